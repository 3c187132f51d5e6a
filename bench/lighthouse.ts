/**
 * Lighthouse 12.2.3 (pinned: 13 needs Node 22) on the built site, served by scripts/serve.js with the headers
 * a host should send, in Debian's Chromium: performance, accessibility, best practices and SEO for the home
 * route and a lesson route, with Lighthouse's default (mobile, simulated throttling) settings. Each score
 * below 100 names the audits that keep it there.
 */
import { execFileSync } from 'node:child_process';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { startServer } from '../scripts/serve.js';
import { chromiumPath, DIST } from '../tests/e2e/browser.ts';
import type { Row } from './core.ts';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const ROUTES: [string, string][] = [
	['home', ''],
	['lesson', '#/lesson/system-assigned']
];

interface Audit {
	id: string;
	title: string;
	score: number | null;
	scoreDisplayMode: string;
}

/** The audits of a category that lost points (weighted, score below 1). */
function losses(
	lhr: {
		categories: Record<string, { auditRefs: { id: string; weight: number }[] }>;
		audits: Record<string, Audit>;
	},
	category: string
): string[] {
	return (lhr.categories[category]?.auditRefs ?? [])
		.filter((ref) => ref.weight > 0)
		.map((ref) => lhr.audits[ref.id])
		.filter((a): a is Audit => a !== undefined && a.score !== null && a.score < 1)
		.map((a) => `${a.id} ${a.score?.toFixed(2)}`);
}

/** Builds the site, serves it and runs Lighthouse on each route. */
export async function run(): Promise<Row[]> {
	execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
	const server = await startServer({ root: DIST, port: 0 });
	const chrome = await chromeLauncher.launch({
		chromePath: chromiumPath(),
		chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run']
	});
	const rows: Row[] = [];
	try {
		for (const [name, route] of ROUTES) {
			const result = await lighthouse(`${server.url}${route}`, {
				port: chrome.port,
				output: 'json',
				logLevel: 'error',
				onlyCategories: [...CATEGORIES]
			});
			if (!result) throw new Error(`Lighthouse returned no result for ${name}.`);
			const lhr = result.lhr as unknown as Parameters<typeof losses>[0] & {
				categories: Record<string, { score: number | null; title: string }>;
				runtimeError?: { message: string };
			};
			if (lhr.runtimeError) throw new Error(`Lighthouse on ${name}: ${lhr.runtimeError.message}`);
			for (const category of CATEGORIES) {
				const score = Math.round((lhr.categories[category]?.score ?? 0) * 100);
				const lost = losses(lhr, category);
				rows.push({
					what: `Lighthouse ${lhr.categories[category]?.title ?? category}, ${name} route (${route || '#/'})`,
					figure: lost.length > 0 ? `${score} (below 1: ${lost.join(', ')})` : String(score),
					target: '100',
					met: score === 100
				});
			}
		}
	} finally {
		chrome.kill();
		await server.close();
	}
	return rows;
}
