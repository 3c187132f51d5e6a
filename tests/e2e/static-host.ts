/**
 * A plain static host for the end-to-end tests of hosting: sirv serves a directory under a sub-path (e.g.
 * `/training/mil/`) and answers 404 to everything else, with no CSP header, no rewrite and no fallback, as a
 * bare web server or a learning-management system would. The page's own `<meta>` CSP is what applies.
 * Chromium is launched with a fresh profile; the harness records requests, 4xx/5xx answers, console errors
 * and the page's `securitypolicyviolation` events.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sirv from 'sirv';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumPath } from './browser.ts';

/** A running sub-path host. */
export interface StaticHost {
	/** `http://127.0.0.1:<port>` */
	origin: string;
	/** The site's URL, ending in the sub-path and a slash. */
	siteUrl: string;
	/** Stops listening and drops open connections (the site goes offline); again, does nothing. */
	close(): Promise<void>;
}

/**
 * Serves `root` at `subPath` (with leading and trailing slashes) on `port` (default 0: a free port; give the
 * port of a closed host to bring the same site back at the same origin).
 */
export async function serveAt(root: string, subPath: string, port = 0): Promise<StaticHost> {
	const files = sirv(root, { dev: false, etag: true, dotfiles: false });
	const server: Server = createServer((request, response) => {
		const url = request.url ?? '/';
		const notFound = () => {
			response.writeHead(404, { 'Content-Type': 'text/plain' });
			response.end(`Not found: ${url}\n`);
		};
		if (!url.startsWith(subPath)) return notFound();
		request.url = `/${url.slice(subPath.length)}`;
		files(request, response, notFound);
	});
	await new Promise<void>((done, fail) => {
		server.once('error', fail);
		server.listen(port, '127.0.0.1', done);
	});
	const address = server.address();
	const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
	return {
		origin,
		siteUrl: `${origin}${subPath}`,
		close: () =>
			new Promise<void>((done, fail) => {
				if (!server.listening) return done();
				server.close((error) => (error ? fail(error) : done()));
				server.closeAllConnections();
			})
	};
}

/** A browser with what its pages did. */
export interface Watched {
	context: BrowserContext;
	page: Page;
	/** Every URL requested by the pages or their service worker. */
	requests: string[];
	/** `<status> <url>` of every answer of 400 or more. */
	failures: string[];
	/** Console errors and uncaught page errors. */
	errors: string[];
	/** CSP violations the page saw (`<directive> <blocked URI>`). */
	cspViolations(): Promise<string[]>;
	close(): Promise<void>;
}

/**
 * Launches Chromium with a fresh profile. Requests to any origin but `origin` are recorded, then refused.
 */
export async function watchBrowser(origin: string): Promise<Watched> {
	const profile = await mkdtemp(join(tmpdir(), 'mi-lab-hosting-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: chromiumPath(),
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync']
	});
	const requests: string[] = [];
	const failures: string[] = [];
	const errors: string[] = [];
	context.on('request', (request) => requests.push(request.url()));
	context.on('response', (response) => {
		if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
	});
	await context.route(
		(url) => url.origin !== origin,
		(route) => route.abort('blockedbyclient')
	);
	// An init script runs through the DevTools protocol, so the page's CSP does not apply to it.
	await context.addInitScript(() => {
		const seen: string[] = [];
		(window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
		document.addEventListener('securitypolicyviolation', (event) => {
			seen.push(`${event.violatedDirective} ${event.blockedURI}`);
		});
	});
	const page = context.pages()[0] ?? (await context.newPage());
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(`console: ${message.text()}`);
	});
	page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
	return {
		context,
		page,
		requests,
		failures,
		errors,
		cspViolations: () =>
			page.evaluate(
				() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []
			),
		close: async () => {
			await context.close().catch(() => undefined);
			await rm(profile, { recursive: true, force: true });
		}
	};
}
