/**
 * End-to-end harness: the built site (dist/) served by scripts/serve.js on a free port, opened in Debian's
 * Chromium through playwright-core with a fresh profile. It records every request the page makes and every
 * console error or uncaught page error, so tests can assert that the lab is self-contained and clean.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { startServer } from '../../scripts/serve.js';

/** The built site the tests open. */
export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/** An open lab page and what it did. */
export interface Lab {
	page: Page;
	/** The site's own origin, e.g. `http://127.0.0.1:41234`. */
	origin: string;
	/** Base URL of the site, with a trailing slash. */
	baseUrl: string;
	/** Every URL the page requested, in order, whatever its origin. */
	requests: string[];
	/** Console messages of type error and uncaught page errors, in order. */
	errors: string[];
	/** Responses with a status of 400 or more (`404 http://…/favicon.ico`), in order. */
	failures: string[];
	/** Closes the browser, stops the server and removes the temporary profile. */
	close(): Promise<void>;
}

/** The Chromium binary to drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
	return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/**
 * Serves dist/, launches Chromium and opens `route` (relative to the site, e.g. `''` or `#/lesson/1`).
 * Waits until the page has loaded and the network is idle.
 */
export async function openLab(route = ''): Promise<Lab> {
	if (!existsSync(join(DIST, 'index.html'))) {
		throw new Error(
			'dist/index.html is missing: run the end-to-end tests with `npm run test:e2e`, which builds first.'
		);
	}
	const executablePath = chromiumPath();
	if (!existsSync(executablePath)) {
		throw new Error(
			`No Chromium at ${executablePath}. Run \`node scripts/ensure-chromium.js\` or set CHROMIUM_PATH to a Chromium binary.`
		);
	}

	const server = await startServer({ root: DIST, port: 0 });
	const profile = await mkdtemp(join(tmpdir(), 'mi-lab-chromium-'));
	let context: BrowserContext | undefined;
	const close = async () => {
		await context?.close().catch(() => undefined);
		await server.close();
		await rm(profile, { recursive: true, force: true });
	};

	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath,
			headless: true,
			args: CHROMIUM_ARGS
		});
		const origin = new URL(server.url).origin;
		const requests: string[] = [];
		const errors: string[] = [];
		const failures: string[] = [];
		context.on('request', (request) => requests.push(request.url()));
		context.on('response', (response) => {
			if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
		});
		// Nothing may leave the site; a request elsewhere is recorded above and then refused here.
		await context.route(
			(url) => url.origin !== origin,
			(route) => route.abort('blockedbyclient')
		);

		const page = context.pages()[0] ?? (await context.newPage());
		page.on('console', (message) => {
			if (message.type() === 'error') errors.push(`console: ${message.text()}`);
		});
		page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));

		await page.goto(new URL(route, server.url).href, { waitUntil: 'networkidle' });
		return { page, origin, baseUrl: server.url, requests, errors, failures, close };
	} catch (error) {
		await close();
		throw error;
	}
}
