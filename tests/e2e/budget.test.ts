/**
 * The home route's first-load budget: the JavaScript it fetches before its load event, gzipped, at most
 * 60 KB. A size measured on the build in the real browser, not a time: the simulator, the shell, x509 and
 * jose must stay in chunks that load after first paint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab } from './browser.ts';
import type { Lab } from './browser.ts';
import { gzipSize, HOME_JS_BUDGET, scriptsBeforeLoad } from './first-load.ts';

describe('home route first-load JavaScript', () => {
	let lab: Lab;
	let scripts: string[];

	beforeAll(async () => {
		lab = await openLab();
		scripts = await scriptsBeforeLoad(lab.page);
	});

	afterAll(async () => {
		await lab?.close();
	});

	it(`is at most ${HOME_JS_BUDGET / 1024} KB gzipped`, async () => {
		expect(scripts.length).toBeGreaterThan(0);
		const total = await gzipSize(scripts);
		expect(total, `home route loads ${scripts.join(', ')}`).toBeLessThanOrEqual(HOME_JS_BUDGET);
	});

	it('does not load the simulator before its load event', () => {
		expect(scripts.some((s) => /LabPage/.test(s))).toBe(false);
	});
});
