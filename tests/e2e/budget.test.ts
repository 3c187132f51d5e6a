/**
 * The home route's first-load budget: the JavaScript it fetches before its load event, gzipped, at most
 * 60 KB. A size measured on the build in the real browser, not a time: the simulator, the shell, x509 and
 * jose must stay in chunks that load after first paint.
 */
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, openLab } from './browser.ts';
import type { Lab } from './browser.ts';

/** The budget, in bytes of gzip. */
export const HOME_JS_BUDGET = 60 * 1024;

describe('home route first-load JavaScript', () => {
	let lab: Lab;
	let scripts: string[];

	beforeAll(async () => {
		lab = await openLab();
		// Every script resource the browser had fetched when the load event fired.
		scripts = await lab.page.evaluate(() => {
			const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
			return performance
				.getEntriesByType('resource')
				.filter((r) => r.name.endsWith('.js') && r.startTime <= nav.loadEventStart)
				.map((r) => new URL(r.name).pathname);
		});
	});

	afterAll(async () => {
		await lab?.close();
	});

	it(`is at most ${HOME_JS_BUDGET / 1024} KB gzipped`, async () => {
		expect(scripts.length).toBeGreaterThan(0);
		let total = 0;
		for (const path of scripts) {
			const file = join(DIST, path.replace(/^.*?\/assets\//, 'assets/'));
			total += gzipSync(await readFile(file), { level: 9 }).length;
		}
		expect(total, `home route loads ${scripts.join(', ')}`).toBeLessThanOrEqual(HOME_JS_BUDGET);
	});

	it('does not load the simulator before its load event', () => {
		expect(scripts.some((s) => /LabPage/.test(s))).toBe(false);
	});
});
