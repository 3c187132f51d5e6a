/** axe-core run in the page under test, for the end-to-end tests: every violation, of any impact, as a line. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// Evaluated through the DevTools protocol: the page's CSP (rightly) refuses an injected <script>.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
	id: string;
	impact: string | null;
	nodes: { target: string[] }[];
}

/**
 * The page's axe violations as `id (impact): targets` lines; `exclude` leaves out elements matched by these
 * selectors (each test says why it leaves any out).
 */
export async function violations(page: Page, exclude: string[] = []): Promise<string[]> {
	if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
	const found = await page.evaluate(async (selectors) => {
		const axe = (
			window as unknown as {
				axe: { run: (context?: unknown) => Promise<{ violations: unknown[] }> };
			}
		).axe;
		const context = selectors.length > 0 ? { exclude: selectors.map((s) => [s]) } : undefined;
		return (await axe.run(context)).violations;
	}, exclude);
	return (found as Violation[]).map(
		(v) =>
			`${v.id} (${v.impact ?? 'no impact'}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
	);
}
