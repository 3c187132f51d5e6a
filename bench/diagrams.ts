/**
 * The diagrams measured in Debian's Chromium: topology layout plus render after one operation (a 200-node and
 * a 1,000-node world), frame times while the token flow plays, and the gzip size of what the site loads when a
 * diagram is first shown. The first two run on a small page that mounts one diagram over a generated world
 * (bench/diagrams-page, built into a temporary directory); the chunk size is read from the real site.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/serve.js';
import { chromiumPath, DIST, openLab } from '../tests/e2e/browser.ts';
import type { Row } from './core.ts';

interface TopologyResult {
	nodes: number;
	/** The first operation after mount, while the engine still compiles the diagram's code. */
	first: number;
	warmUp: number;
	measured: number;
	median: number;
	max: number;
	/** Median of the script part: the operation and Svelte's update, before the browser renders. */
	script: number;
	error?: string;
}
interface FlowResult {
	hops: number;
	frames: number;
	p95: number;
	median: number;
	error?: string;
}

const ms = (v: number): string => `${v.toFixed(1)} ms`;

async function onBenchPage<T>(root: string, query: string): Promise<T> {
	const server = await startServer({ root, port: 0 });
	const browser = await chromium.launch({
		executablePath: chromiumPath(),
		args: ['--no-sandbox', '--disable-gpu']
	});
	try {
		const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		await page.goto(`${server.url}index.html?${query}`);
		// Plain JavaScript text: tsx's transform would add helpers (__name) that the page does not have.
		await page.waitForFunction('window.__result !== undefined', undefined, { timeout: 120_000 });
		const result = await page.evaluate<T & { error?: string }>('window.__result');
		if (result.error) throw new Error(result.error);
		return result;
	} finally {
		await browser.close();
		await server.close();
	}
}

/** Scripts the site requests when the Topology tab is first shown, and their gzip size. */
async function diagramChunk(): Promise<{ files: string[]; bytes: number }> {
	const lab = await openLab('#/sandbox');
	try {
		const { page } = lab;
		await page.getByRole('textbox', { name: 'Terminal' }).waitFor();
		await page.waitForTimeout(1500);
		const before = lab.requests.length;
		await page.getByRole('tab', { name: 'Topology' }).click();
		await page.getByRole('region', { name: 'Topology' }).waitFor();
		await page.waitForTimeout(500);
		const files = lab.requests
			.slice(before)
			.filter((u) => u.endsWith('.js'))
			.map((u) => new URL(u).pathname.replace(/^\//, ''));
		const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(DIST, f))).length, 0);
		return { files, bytes };
	} finally {
		await lab.close();
	}
}

/** Builds the site and the benchmark page, then measures. */
export async function run(): Promise<Row[]> {
	execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
	const out = mkdtempSync(join(tmpdir(), 'mil-diagram-bench-'));
	try {
		execFileSync(
			'npx',
			['vite', 'build', '--config', 'bench/diagrams-page/vite.config.ts', '--outDir', out],
			{ stdio: 'inherit' }
		);
		// mixedWorld(n) draws about 1.6 boxes per resource (identities get service principals).
		const small = await onBenchPage<TopologyResult>(out, 'view=topology&resources=120');
		const large = await onBenchPage<TopologyResult>(out, 'view=topology&resources=620');
		const flow = await onBenchPage<FlowResult>(out, 'view=flow');
		const chunk = await diagramChunk();
		return [
			{
				what: `topology: layout + render after one operation, ${small.nodes}-node world (operation applied in a frame to that frame rendered), median of ${small.measured} after ${small.warmUp} unmeasured (max; script part; the first operation after mount)`,
				figure: `${ms(small.median)} (${ms(small.max)}; ${ms(small.script)}; first ${ms(small.first)})`,
				target: '≤ 16 ms',
				met: small.median <= 16
			},
			{
				what: `topology: layout + render after one operation, ${large.nodes}-node world, median of ${large.measured} after ${large.warmUp} unmeasured (max; script part; the first operation after mount)`,
				figure: `${ms(large.median)} (${ms(large.max)}; ${ms(large.script)}; first ${ms(large.first)})`
			},
			{
				what: `token flow playing at 2× (${flow.hops} hops, ${flow.frames} frames in 4 s): frame time p95 (median)`,
				figure: `${ms(flow.p95)} (${ms(flow.median)})`,
				target: '≤ 20 ms',
				met: flow.p95 <= 20
			},
			{
				what: `diagram chunk: scripts loaded when a diagram is first shown (${chunk.files.join(', ') || 'none'}), gzip`,
				figure: `${(chunk.bytes / 1024).toFixed(1)} KB`
			}
		];
	} finally {
		rmSync(out, { recursive: true, force: true });
	}
}
