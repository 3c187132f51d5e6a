/**
 * The built site works from a sub-path of a plain static host: dist/ served at /training/mil/ by sirv with no
 * rewrite, no fallback and no CSP header (only the page's `<meta>` policy). Every route loads with no 4xx
 * answer, no console error, no request to another origin and no CSP violation.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspFromHtml } from '../../scripts/serve.js';
import { DIST } from './browser.ts';
import { serveAt, watchBrowser } from './static-host.ts';
import type { StaticHost, Watched } from './static-host.ts';

const SUB_PATH = '/training/mil/';

/** Every kind of route; lesson and presenter routes may show their own "not found" until lessons ship. */
const ROUTES = [
	'#/',
	'#/sandbox',
	'#/sandbox/flow/1',
	'#/lesson/system-assigned',
	'#/present/system-assigned',
	'#/no/such/page'
];

describe(`the built site served from ${SUB_PATH}`, () => {
	let host: StaticHost;
	let browser: Watched;

	beforeAll(async () => {
		host = await serveAt(DIST, SUB_PATH);
		browser = await watchBrowser(host.origin);
	});

	afterAll(async () => {
		await browser?.close();
		await host?.close();
	});

	it('refers to its files by relative URLs only', async () => {
		const html = await readFile(join(DIST, 'index.html'), 'utf8');
		const urls = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? '');
		expect(urls.length).toBeGreaterThan(0);
		expect(urls.filter((url) => !url.startsWith('./'))).toEqual([]);
	});

	it('declares a strict Content-Security-Policy: only its own scripts, no plugins, no base change', async () => {
		const csp = cspFromHtml(await readFile(join(DIST, 'index.html'), 'utf8')) ?? '';
		const directives = new Map(
			csp
				.split(';')
				.map((d) => d.trim().split(/\s+/))
				.filter((parts) => parts[0])
				.map(([name, ...values]) => [name, values.join(' ')])
		);
		expect(directives.get('default-src')).toBe("'self'");
		expect(directives.get('script-src')).toBe("'self'");
		expect(directives.get('object-src')).toBe("'none'");
		expect(directives.get('base-uri')).toBe("'self'");
		// Workers and the web manifest fall back to default-src 'self'.
		expect(directives.has('worker-src') || directives.has('child-src')).toBe(false);
		expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
	});

	it.each(ROUTES)('loads %s cleanly', async (route) => {
		const { page } = browser;
		// A fresh document per route (going from one hash to another would not reload the page).
		await page.goto('about:blank');
		const before = browser.requests.length;
		await page.goto(`${host.siteUrl}${route}`, { waitUntil: 'networkidle' });
		// The shell has painted the route: a main landmark (home, lab, or a not-found page).
		await page.getByRole('main').first().waitFor();
		if (route.startsWith('#/sandbox')) {
			await page.getByRole('navigation', { name: 'Resource navigator' }).waitFor();
		}
		await page.waitForLoadState('networkidle');

		const requests = browser.requests.slice(before);
		expect(requests).toContain(`${host.siteUrl}${route}`.replace(/#.*$/, ''));
		expect(requests.filter((url) => new URL(url).origin !== host.origin)).toEqual([]);
		expect(requests.filter((url) => !url.startsWith(host.siteUrl))).toEqual([]);
		expect(browser.failures).toEqual([]);
		expect(browser.errors).toEqual([]);
		await expect(browser.cspViolations()).resolves.toEqual([]);
	});

	it('fetched the favicon, the stylesheet and the scripts from the sub-path', () => {
		const paths = browser.requests.map((url) => new URL(url).pathname);
		expect(paths).toContain(`${SUB_PATH}favicon.svg`);
		expect(paths.some((p) => p.startsWith(`${SUB_PATH}assets/`) && p.endsWith('.css'))).toBe(true);
		expect(paths.some((p) => p.startsWith(`${SUB_PATH}assets/`) && p.endsWith('.js'))).toBe(true);
	});

	// Last, as it makes a violation on purpose: shows that the checks above would have seen one.
	it('would notice a CSP violation: an inline script is refused and reported', async () => {
		await browser.page.evaluate(() => {
			const script = document.createElement('script');
			script.textContent = 'document.title = "inline ran"';
			document.head.append(script);
		});
		await expect
			.poll(() => browser.cspViolations())
			.toEqual([expect.stringMatching(/^script-src(-elem)? inline$/)]);
		await expect(browser.page.title()).resolves.not.toBe('inline ran');
	});
});
