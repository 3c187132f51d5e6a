/**
 * The SCORM 1.2 package in a real SCORM runtime: `npm run build:scorm`'s zip is unzipped and framed by a
 * host page that puts scorm-again's Scorm12API on window.API (tests/e2e/scorm/host.html), all on one origin
 * as an LMS serves it. The lab initializes once, resumes from cmi.suspend_data and from this browser's
 * progress, reports both, finishes on pagehide, installs no service worker, and the suspend data round-trips.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { buildScormPackage } from '../../scripts/scorm-package.ts';
import type { CourseFile } from '../../src/ui/scorm/course.ts';
import { serveAt, watchBrowser } from './static-host.ts';
import type { StaticHost, Watched } from './static-host.ts';

const HOST_DIR = fileURLToPath(new URL('./scorm/', import.meta.url));
/** scorm-again's browser build (dist/scorm12.js, which sets a global Scorm12API). */
const SCORM_AGAIN = createRequire(import.meta.url).resolve('scorm-again/scorm12');

interface HostState {
	calls: string[];
	sets: [string, string][];
}

function hostUrl(host: StaticHost, params: Record<string, unknown>): string {
	const query = new URLSearchParams(
		Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])
	);
	return `${host.siteUrl}host.html?${query.toString()}`;
}

function state(page: Page): Promise<HostState> {
	return page.evaluate(() => {
		const w = window as unknown as { lmsCalls: string[]; lmsSets: [string, string][] };
		return { calls: [...w.lmsCalls], sets: [...w.lmsSets] };
	});
}

function lmsValue(page: Page, element: string): Promise<string> {
	return page.evaluate(
		(el) => (window as unknown as { API: { LMSGetValue(e: string): string } }).API.LMSGetValue(el),
		element
	);
}

async function courseFrame(page: Page): Promise<Frame> {
	await expect
		.poll(() => page.frames().some((f) => f.url().includes('/course/')), { timeout: 30_000 })
		.toBe(true);
	const frame = page.frames().find((f) => f.url().includes('/course/'))!;
	await frame.waitForLoadState('load');
	return frame;
}

/** The last value the course set on an element (write-only ones like cmi.core.exit included). */
function lastSet(sets: [string, string][], element: string): string | undefined {
	return sets.filter(([e]) => e === element).at(-1)?.[1];
}

describe('the SCORM 1.2 package in scorm-again', () => {
	let root: string;
	let host: StaticHost;
	let browser: Watched;
	let course: CourseFile;
	let files: string[];

	beforeAll(async () => {
		root = await mkdtemp(join(tmpdir(), 'mi-lab-lms-'));
		const built = await buildScormPackage(join(root, 'build'));
		const unzipped = unzipSync(new Uint8Array(await readFile(built.zip)));
		files = Object.keys(unzipped);
		const site = join(root, 'lms');
		for (const [name, bytes] of Object.entries(unzipped)) {
			await mkdir(dirname(join(site, 'course', name)), { recursive: true });
			await writeFile(join(site, 'course', name), bytes);
		}
		await writeFile(join(site, 'host.html'), await readFile(join(HOST_DIR, 'host.html')));
		await writeFile(join(site, 'host.js'), await readFile(join(HOST_DIR, 'host.js')));
		await writeFile(join(site, 'scorm12.js'), await readFile(SCORM_AGAIN));
		course = JSON.parse(
			await readFile(join(site, 'course', 'scorm-course.json'), 'utf8')
		) as CourseFile;
		host = await serveAt(site, '/lms/');
		browser = await watchBrowser(host.origin);
	}, 240_000);

	afterAll(async () => {
		await browser?.close();
		await host?.close();
		if (root) await rm(root, { recursive: true, force: true });
	});

	it('is a zip with imsmanifest.xml at its root, one SCO launching index.html, and no service worker', async () => {
		expect(files).toContain('imsmanifest.xml');
		expect(files).toContain('index.html');
		expect(
			files.filter((f) => f === 'sw.js' || f.endsWith('.webmanifest') || f.endsWith('.map'))
		).toEqual([]);
		const manifest = await readFile(join(root, 'lms', 'course', 'imsmanifest.xml'), 'utf8');
		expect(manifest.match(/adlcp:scormtype="sco"/g)).toHaveLength(1);
		expect(manifest).toContain('href="index.html"');
		for (const file of files.filter((f) => f !== 'imsmanifest.xml'))
			expect(manifest).toContain(`<file href="${file}"/>`);
		expect(course.lessons.length).toBeGreaterThan(1);
	});

	it('initializes once, resumes from suspend_data and this browser, reports both, and finishes on pagehide', async () => {
		const [first, second] = course.lessons;
		const { page } = browser;
		const rightAnswers = Object.fromEntries(
			Object.entries(second!.quiz).map(([question, key]) => [question, key])
		);
		await page.goto(
			hostUrl(host, {
				cmi: {
					core: { student_id: '123456', lesson_status: 'incomplete', entry: 'resume' },
					student_data: { mastery_score: '80' },
					suspend_data: `mil1|#/sandbox|${first!.id}:d100`
				},
				progress: [
					{
						version: 2,
						lessonId: second!.id,
						status: 'done',
						answers: rightAnswers,
						world: null,
						step: 0,
						revision: 0,
						updatedAt: '2026-12-01T10:00:00.000Z'
					}
				]
			})
		);
		const frame = await courseFrame(page);
		// The route the learner was on, from cmi.core.lesson_location's twin in suspend_data.
		await expect.poll(() => frame.url(), { timeout: 30_000 }).toMatch(/#\/sandbox$/);
		await frame.getByRole('navigation', { name: 'Resource navigator' }).waitFor();
		await expect
			.poll(() => lmsValue(page, 'cmi.suspend_data'), { timeout: 30_000 })
			.toBe(`mil1|#/sandbox|${first!.id}:d100,${second!.id}:d100`);

		const during = await state(page);
		expect(during.calls.filter((c) => c === 'LMSInitialize')).toHaveLength(1);
		expect(during.calls).not.toContain('LMSFinish');
		await expect(lmsValue(page, 'cmi.core.lesson_status')).resolves.toBe('incomplete');
		await expect(lmsValue(page, 'cmi.core.score.raw')).resolves.toBe('100');
		await expect(lmsValue(page, 'cmi.objectives._count')).resolves.toBe('1');
		await expect(lmsValue(page, 'cmi.objectives.0.id')).resolves.toBe(second!.id);
		await expect(lmsValue(page, 'cmi.objectives.0.status')).resolves.toBe('passed');
		// No service worker inside an LMS.
		await expect(
			frame.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)
		).resolves.toBe(0);

		// The learner leaves: the frame's page is hidden for good.
		await page.evaluate(() => {
			(document.getElementById('moduleFrame') as HTMLIFrameElement).src = 'about:blank';
		});
		await expect
			.poll(async () => (await state(page)).calls.filter((c) => c === 'LMSFinish'), {
				timeout: 30_000
			})
			.toHaveLength(1);
		const after = await state(page);
		expect(after.calls.filter((c) => c === 'LMSInitialize')).toHaveLength(1);
		expect(lastSet(after.sets, 'cmi.core.exit')).toBe('suspend');
		expect(lastSet(after.sets, 'cmi.core.session_time')).toMatch(/^\d{4}:\d{2}:\d{2}\.\d{2}$/);
		const suspend = await lmsValue(page, 'cmi.suspend_data');
		expect(suspend.length).toBeLessThanOrEqual(4096);
		expect(suspend).toBe(`mil1|#/sandbox|${first!.id}:d100,${second!.id}:d100`);

		expect(browser.errors).toEqual([]);
		expect(browser.failures).toEqual([]);
		expect(browser.requests.filter((url) => new URL(url).origin !== host.origin)).toEqual([]);
	});

	it('on the next launch, reports the progress this browser kept from the LMS', async () => {
		const [first, second] = course.lessons;
		const { page } = browser;
		// An LMS that lost the suspend data: this browser still has both lessons (the first one from the LMS).
		await page.goto(
			hostUrl(host, {
				cmi: { core: { student_id: '123456', lesson_status: 'not attempted' } }
			})
		);
		const frame = await courseFrame(page);
		await frame.getByRole('main').first().waitFor();
		await expect
			.poll(() => lmsValue(page, 'cmi.suspend_data'), { timeout: 30_000 })
			.toMatch(new RegExp(`^mil1\\|[^|]*\\|.*\\b${first!.id}:d\\b`));
		const data = await lmsValue(page, 'cmi.suspend_data');
		expect(data).toContain(`${second!.id}:d100`);
		const calls = (await state(page)).calls;
		expect(calls.filter((c) => c === 'LMSInitialize')).toHaveLength(1);
		await expect(lmsValue(page, 'cmi.core.lesson_status')).resolves.toBe('incomplete');
		expect(browser.errors).toEqual([]);
		await expect(frame.evaluate(() => document.title)).resolves.toBe('Managed Identity Lab');
	});
});
