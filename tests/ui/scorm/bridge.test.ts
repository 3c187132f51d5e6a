/**
 * The SCORM 1.2 bridge against a real SCORM runtime: scorm-again's Scorm12API in jsdom, as an LMS would put
 * it on `window.API`. Lesson reports become objectives, the course status and the average quiz score; the
 * progress round-trips through `cmi.suspend_data` within 4,096 characters; finish runs once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type Scorm12APIClass from 'scorm-again/scorm12';
import * as scorm12 from 'scorm-again/scorm12';
import { findScormApi, insideLms, type Scorm12Api } from '../../../src/ui/scorm/api.ts';
import {
	decodeSuspendData,
	encodeSuspendData,
	scormBridge,
	scormTimespan,
	ScormError,
	SUSPEND_DATA_LIMIT
} from '../../../src/ui/scorm/bridge.ts';

const LESSONS = ['principals', 'system-assigned', 'token-request'];
const COURSE = { lessonIds: LESSONS, masteryScore: 80 };

// scorm-again 3.4.3's types declare a default export, but its ES module exports the class by name.
const Scorm12API = (scorm12 as unknown as { Scorm12API: typeof Scorm12APIClass }).Scorm12API;
type Scorm12API = Scorm12APIClass;

/** A fresh LMS session with what the LMS sends at launch. */
function lms(cmi: Record<string, unknown> = {}, masteryScore = '80') {
	const api = new Scorm12API({ logLevel: 5, autocommit: false });
	api.loadFromJSON({
		core: { student_id: '123456', student_name: 'Learner, Ada', lesson_status: 'not attempted' },
		student_data: { mastery_score: masteryScore },
		...cmi
	});
	return api;
}

/** A later launch of the same attempt: the LMS hands back what the SCO committed. */
function relaunch(previous: Scorm12API) {
	return lms({
		core: {
			student_id: '123456',
			lesson_status: previous.LMSGetValue('cmi.core.lesson_status'),
			entry: 'resume'
		},
		suspend_data: previous.LMSGetValue('cmi.suspend_data')
	});
}

/** What the SCO set on write-only elements (cmi.core.exit, cmi.core.session_time), by element. */
function writes(api: Scorm12API): Map<string, string> {
	const seen = new Map<string, string>();
	api.on('LMSSetValue.cmi.*', (element: string, value: unknown) =>
		seen.set(element, String(value))
	);
	return seen;
}

/** scorm-again's API is a SCORM 1.2 API as the lab sees it (this checks that the types agree). */
function asApi(api: Scorm12API): Scorm12Api {
	return api;
}

afterEach(() => {
	delete (window as unknown as { API?: unknown }).API;
});

describe('finding the LMS', () => {
	it('finds window.API on the window itself, and nothing outside an LMS', () => {
		expect(findScormApi(window)).toBeNull();
		expect(insideLms(window)).toBe(false);
		const api = lms();
		(window as unknown as { API: unknown }).API = api;
		expect(findScormApi(window)).toBe(api);
		expect(insideLms(window)).toBe(true);
	});

	it('walks up the parents, then the opener and its parents', () => {
		const api = lms();
		const top = { API: api } as unknown as Window;
		(top as unknown as { parent: Window }).parent = top;
		const middle = { parent: top } as unknown as Window;
		const frame = { parent: middle, opener: null } as unknown as Window;
		expect(findScormApi(frame)).toBe(api);

		const popup = { opener: frame } as unknown as Window;
		(popup as unknown as { parent: Window }).parent = popup;
		expect(findScormApi(popup)).toBe(api);
	});

	it('ignores an API object without the SCORM 1.2 calls, and frames it may not read', () => {
		const blocked = {} as Window;
		Object.defineProperty(blocked, 'API', {
			get() {
				throw new DOMException('Blocked a frame', 'SecurityError');
			}
		});
		(blocked as unknown as { parent: Window }).parent = blocked;
		const fake = { API: { Initialize: () => 'true' }, parent: blocked } as unknown as Window;
		expect(findScormApi(fake)).toBeNull();
	});
});

describe('the SCORM 1.2 bridge', () => {
	it('initializes once and marks a first launch as incomplete', () => {
		const api = lms();
		const bridge = scormBridge(asApi(api), COURSE);
		expect(api.isInitialized()).toBe(true);
		expect(api.cmi.core.lesson_status).toBe('incomplete');
		expect(bridge.entry).toBe('');
		expect(bridge.resume()).toEqual({ lessons: {}, location: null });
		// A second LMSInitialize is an error in SCORM 1.2 (101); the bridge never makes one.
		expect(api.LMSInitialize('')).toBe('false');
	});

	it('reports each lesson as an objective and the course as incomplete until all are done', () => {
		const api = lms();
		const bridge = scormBridge(asApi(api), COURSE);
		bridge.reportLesson('principals', 'done', 100);
		bridge.reportLesson('system-assigned', 'inProgress', null);

		expect(api.LMSGetValue('cmi.objectives._count')).toBe('2');
		expect(api.LMSGetValue('cmi.objectives.0.id')).toBe('principals');
		expect(api.LMSGetValue('cmi.objectives.0.status')).toBe('passed');
		expect(api.LMSGetValue('cmi.objectives.0.score.raw')).toBe('100');
		expect(api.LMSGetValue('cmi.objectives.1.id')).toBe('system-assigned');
		expect(api.LMSGetValue('cmi.objectives.1.status')).toBe('incomplete');
		expect(api.cmi.core.lesson_status).toBe('incomplete');
		expect(api.cmi.core.score.raw).toBe('100');
		expect(bridge.courseStatus()).toBe('incomplete');
		expect(bridge.problems).toEqual([]);
	});

	it('passes the course when every lesson is done and the average quiz score reaches the mastery score', () => {
		const api = lms();
		const bridge = scormBridge(asApi(api), COURSE);
		bridge.reportLesson('principals', 'done', 100);
		bridge.reportLesson('system-assigned', 'doneWithHelp', 80);
		bridge.reportLesson('token-request', 'done', 70);
		expect(api.cmi.core.lesson_status).toBe('passed');
		expect(api.cmi.core.score.raw).toBe('83');
		expect(api.cmi.core.score.min).toBe('0');
		expect(api.cmi.core.score.max).toBe('100');
		expect(api.LMSGetValue('cmi.objectives.2.status')).toBe('failed');
	});

	it('fails the course below the LMS mastery score, and completes it when there is no quiz score', () => {
		const strict = lms({}, '90');
		const bridge = scormBridge(asApi(strict), COURSE);
		for (const id of LESSONS) bridge.reportLesson(id, 'done', 85);
		expect(strict.cmi.core.lesson_status).toBe('failed');

		const noQuiz = lms({}, '');
		const other = scormBridge(asApi(noQuiz), COURSE);
		for (const id of LESSONS) other.reportLesson(id, 'done', null);
		expect(noQuiz.cmi.core.lesson_status).toBe('completed');
	});

	it('keeps a done lesson done when it is reopened, and its last known score', () => {
		const api = lms();
		const bridge = scormBridge(asApi(api), COURSE);
		bridge.reportLesson('principals', 'done', 90);
		bridge.reportLesson('principals', 'inProgress', null);
		expect(bridge.resume()).toEqual({ lessons: {}, location: null });
		expect(decodeSuspendData(bridge.suspendData())).toEqual({
			ok: true,
			state: { lessons: { principals: { status: 'done', score: 90 } }, location: null }
		});
		expect(api.LMSGetValue('cmi.objectives._count')).toBe('1');
	});

	it('resumes from cmi.suspend_data on the next launch, with the objectives the LMS kept', () => {
		const first = lms();
		const written = writes(first);
		const bridge = scormBridge(asApi(first), COURSE);
		bridge.reportLesson('principals', 'done', 100);
		bridge.reportLesson('system-assigned', 'inProgress', null);
		bridge.setLocation('#/lesson/system-assigned/2');
		bridge.finish();
		expect(written.get('cmi.core.exit')).toBe('suspend');
		expect(first.isTerminated()).toBe(true);
		expect(first.LMSGetValue('cmi.suspend_data')).toBe(
			'mil1|#/lesson/system-assigned/2|principals:d100,system-assigned:p'
		);

		const second = relaunch(first);
		const again = scormBridge(asApi(second), COURSE);
		expect(again.entry).toBe('resume');
		expect(again.resumeProblem).toBeNull();
		expect(again.resume()).toEqual({
			lessons: {
				principals: { status: 'done', score: 100 },
				'system-assigned': { status: 'inProgress', score: null }
			},
			location: '#/lesson/system-assigned/2'
		});
		again.reportLesson('system-assigned', 'done', 80);
		again.reportLesson('token-request', 'done', 100);
		expect(second.cmi.core.lesson_status).toBe('passed');
		expect(second.cmi.core.score.raw).toBe('93');
	});

	it('says so and starts empty when the saved suspend data is not its own', () => {
		const api = lms({ suspend_data: '{"someOtherTool":true}' });
		const bridge = scormBridge(asApi(api), COURSE);
		expect(bridge.resume()).toEqual({ lessons: {}, location: null });
		expect(bridge.resumeProblem).toMatch(/not in a format this lab reads/);
	});

	it('finishes once on finish(), with the session time and no suspend when the course is complete', () => {
		const api = lms();
		const written = writes(api);
		let clock = 1_000;
		const bridge = scormBridge(asApi(api), COURSE, () => clock);
		for (const id of LESSONS) bridge.reportLesson(id, 'done', 100);
		clock += 65_250;
		bridge.finish();
		bridge.finish();
		expect(bridge.finished).toBe(true);
		expect(api.isTerminated()).toBe(true);
		expect(written.get('cmi.core.exit')).toBe('');
		expect(written.get('cmi.core.session_time')).toBe('0000:01:05.25');
		// After finish nothing more is sent (scorm-again would refuse it with error 101).
		bridge.reportLesson('principals', 'inProgress', null);
		expect(api.cmi.core.lesson_status).toBe('passed');
	});

	it('throws a clear error when the LMS refuses to initialize', () => {
		const api = lms();
		api.LMSInitialize('');
		expect(() => scormBridge(asApi(api), COURSE)).toThrow(ScormError);
		expect(() => scormBridge(asApi(api), COURSE)).toThrow(/refused LMSInitialize \(error 101/);
	});

	it('refuses a lesson id that is not one, naming it', () => {
		const bridge = scormBridge(asApi(lms()), COURSE);
		expect(() => bridge.reportLesson('Not An Id', 'done', 1)).toThrow(
			/"Not An Id" is not a lesson id/
		);
	});
});

describe('suspend data', () => {
	it('round-trips and stays within 4,096 characters however many lessons there are', () => {
		const lessons = Object.fromEntries(
			Array.from({ length: 120 }, (_, i) => [
				`lesson-${String(i).padStart(3, '0')}-${'x'.repeat(40)}`,
				{ status: i % 3 === 0 ? ('inProgress' as const) : ('done' as const), score: i % 101 }
			])
		);
		const text = encodeSuspendData({ lessons, location: '#/lesson/lesson-001' });
		expect(text.length).toBeLessThanOrEqual(SUSPEND_DATA_LIMIT);
		const decoded = decodeSuspendData(text);
		expect(decoded.ok).toBe(true);
		if (!decoded.ok) return;
		const kept = Object.values(decoded.state.lessons);
		expect(kept.length).toBeGreaterThan(40);
		// Done lessons are kept before unfinished ones.
		expect(kept.filter((l) => l.status === 'inProgress')).toEqual([]);
		for (const [id, report] of Object.entries(decoded.state.lessons))
			expect(report).toEqual(lessons[id]);
	});

	it('rejects an entry it cannot read, quoting it', () => {
		const decoded = decodeSuspendData('mil1||principals:z');
		expect(decoded.ok).toBe(false);
		expect(decoded.ok ? '' : decoded.message).toContain('"principals:z"');
	});

	it('writes SCORM 1.2 timespans', () => {
		expect(scormTimespan(0)).toBe('0000:00:00.00');
		expect(scormTimespan(3_723_450)).toBe('0001:02:03.45');
	});
});
