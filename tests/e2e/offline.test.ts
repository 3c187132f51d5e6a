/**
 * Offline after the first visit: the lab is loaded from a sub-path, its service worker takes control, the
 * host goes away, and after a reload the lab still opens the sandbox, runs a terminal line and takes a lesson step. Then a new
 * version on the host is offered in a notice, not forced, and taken only when the learner chooses Reload.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DIST } from './browser.ts';
import { serveAt, watchBrowser } from './static-host.ts';
import type { StaticHost, Watched } from './static-host.ts';
import { runLine } from './lab-page.ts';

const SUB_PATH = '/lab/';

/** Waits until a service worker controls the page; returns its script URL. */
async function controlled(page: Page): Promise<string> {
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
		timeout: 45_000
	});
	return page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '');
}

describe('offline use through the service worker', () => {
	let site: string;
	let host: StaticHost | undefined;
	let browser: Watched;

	beforeAll(async () => {
		// A copy of the build, so that a "new version" can be published without touching dist/.
		site = await mkdtemp(join(tmpdir(), 'mi-lab-site-'));
		await cp(DIST, site, { recursive: true });
		host = await serveAt(site, SUB_PATH);
		browser = await watchBrowser(host.origin);
	});

	afterAll(async () => {
		await browser?.close();
		await host?.close();
		await rm(site, { recursive: true, force: true });
	});

	it('takes control of the page on the first visit', async () => {
		const { page } = browser;
		await page.goto(host!.siteUrl, { waitUntil: 'load' });
		await expect(controlled(page)).resolves.toBe(`${host!.siteUrl}sw.js`);
		await expect(page.getByRole('region', { name: 'New version' }).count()).resolves.toBe(0);
	});

	it('reloads and runs the sandbox with the host gone', async () => {
		const { page } = browser;
		const origin = host!.origin;
		await host!.close();
		await page.reload({ waitUntil: 'load' });
		await page.getByRole('link', { name: 'Open the sandbox' }).click();
		await page.getByRole('navigation', { name: 'Resource navigator' }).waitFor();
		const output = await runLine(page, 'az group list -o tsv');
		expect(output).toMatch(/rg-/);

		// A lesson step, offline: the lesson's chunk comes from the worker's cache.
		await page.goto(`${host!.siteUrl}#/lesson/system-assigned`);
		const lesson = page.getByRole('complementary', { name: 'Lesson' });
		await lesson.getByRole('button', { name: 'Start the tasks' }).first().click();
		await lesson.getByRole('button', { name: 'Show me the next step' }).click();
		await expect
			.poll(() => lesson.getByText(/Reference steps shown: 1 of/).count(), { timeout: 15_000 })
			.toBe(1);
		expect(browser.errors).toEqual([]);
		expect(browser.failures).toEqual([]);
		expect(browser.requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
		await expect(browser.cspViolations()).resolves.toEqual([]);
	});

	it('offers a new version without forcing it, and takes it on Reload', async () => {
		const { page } = browser;
		const origin = host!.origin;
		await host!.close();
		// Publish a "new version" on the same address: any byte change to sw.js is an update.
		const worker = join(site, 'sw.js');
		await writeFile(worker, `${await readFile(worker, 'utf8')}\n// next version\n`);
		host = await serveAt(site, SUB_PATH, Number(new URL(origin).port));
		await page.evaluate(() => {
			(window as unknown as { sameDocument: boolean }).sameDocument = true;
		});
		await page.evaluate(async () => {
			await (await navigator.serviceWorker.getRegistration())?.update();
		});
		const notice = page.getByRole('region', { name: 'New version' });
		await notice.waitFor({ timeout: 45_000 });
		await expect(notice.getByRole('status').textContent()).resolves.toMatch(/new version/i);
		// Offered, not forced: the page has not reloaded and the old worker still serves it.
		await expect(
			page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)
		).resolves.toBe(true);
		await expect(
			page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)
		).resolves.toBe(true);

		await Promise.all([
			page.waitForEvent('framenavigated', { timeout: 30_000 }),
			notice.getByRole('button', { name: 'Reload' }).click()
		]);
		await page.waitForLoadState('load');
		await expect(
			page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)
		).resolves.toBeUndefined();
		await controlled(page);
		await expect(
			page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)
		).resolves.toBeNull();
		await expect(page.getByRole('region', { name: 'New version' }).count()).resolves.toBe(0);
		expect(browser.errors).toEqual([]);
	});
});
