/** What the home route loads before its load event, and its budget: shared by the budget test and the bench. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { DIST } from './browser.ts';

/** The home route's first-load JavaScript budget, in bytes of gzip. */
export const HOME_JS_BUDGET = 60 * 1024;

/** Paths of the scripts the page had fetched when its load event fired. */
export function scriptsBeforeLoad(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
		return performance
			.getEntriesByType('resource')
			.filter((r) => r.name.endsWith('.js') && r.startTime <= nav.loadEventStart)
			.map((r) => new URL(r.name).pathname);
	});
}

/** The gzip size (level 9) of built files named by their URL paths, added up. */
export async function gzipSize(paths: readonly string[]): Promise<number> {
	let total = 0;
	for (const path of paths) {
		const file = join(DIST, path.replace(/^.*?\/assets\//, 'assets/'));
		total += gzipSync(await readFile(file), { level: 9 }).length;
	}
	return total;
}
