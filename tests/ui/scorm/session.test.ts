/**
 * The LMS session in jsdom with scorm-again as the LMS: progress kept by the LMS is merged into the local
 * store, local progress is reported, a wrapped store reports each save, and pagehide finishes once.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type Scorm12APIClass from 'scorm-again/scorm12';
import * as scorm12 from 'scorm-again/scorm12';
import { createProgressStore, memoryStore } from '../../../src/curriculum/progress.ts';
import { startScormSession, withLmsReporting } from '../../../src/ui/scorm/session.ts';

// scorm-again 3.4.3's types declare a default export, but its ES module exports the class by name.
const Scorm12API = (scorm12 as unknown as { Scorm12API: typeof Scorm12APIClass }).Scorm12API;

const COURSE = {
	format: 'managed-identity-lab-scorm-course',
	version: 1,
	masteryScore: 80,
	lessons: [
		{ id: 'principals', title: 'Principals', quiz: { q1: [0], q2: [1] } },
		{ id: 'system-assigned', title: 'System-assigned', quiz: { q1: [2] } }
	]
};

afterEach(() => {
	delete (window as unknown as { API?: unknown }).API;
	vi.unstubAllGlobals();
});

describe('startScormSession', () => {
	it('is null outside an LMS', async () => {
		await expect(
			startScormSession(
				window,
				createProgressStore(memoryStore(), () => 'now')
			)
		).resolves.toBeNull();
	});

	it('merges, reports, reports each save through the wrapped store, and finishes on pagehide', async () => {
		vi.stubGlobal('fetch', () => Promise.resolve(new Response(JSON.stringify(COURSE))));
		const api = new Scorm12API({ logLevel: 5, autocommit: false });
		api.loadFromJSON({
			core: { student_id: '1', lesson_status: 'incomplete', entry: 'resume' },
			suspend_data: 'mil1|#/sandbox|principals:d100'
		});
		(window as unknown as { API: unknown }).API = api;
		const store = createProgressStore(memoryStore(), () => '2026-12-03T00:00:00.000Z');

		const session = await startScormSession(window, store);
		expect(session?.problems).toEqual([]);
		expect(api.isInitialized()).toBe(true);
		expect((await store.load()).lessons['principals']?.status).toBe('done');
		expect(window.location.hash).toBe('#/sandbox');

		const reporting = withLmsReporting(store);
		const saved = await reporting.saveLesson(
			{ lessonId: 'system-assigned', status: 'done', answers: { q1: [2] }, world: null, step: 3 },
			null
		);
		expect(saved.ok).toBe(true);
		expect(api.LMSGetValue('cmi.suspend_data')).toBe(
			'mil1|#/sandbox|principals:d100,system-assigned:d100'
		);
		expect(api.cmi.core.lesson_status).toBe('passed');

		window.dispatchEvent(new Event('pagehide'));
		expect(api.isTerminated()).toBe(true);
		expect(session?.bridge.finished).toBe(true);
	});
});
