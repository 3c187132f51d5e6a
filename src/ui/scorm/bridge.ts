/**
 * The lab's side of a SCORM 1.2 session: one SCO holding the whole lab. It initializes once, reports each
 * lesson as an objective (`cmi.objectives.n.*`) and the course as a whole (`cmi.core.lesson_status`,
 * `cmi.core.score.raw/min/max`: the average quiz score), keeps the learner's progress (not worlds) in
 * `cmi.suspend_data` (at most 4,096 characters, SCORM 1.2's limit) and finishes once.
 */
import type { Scorm12Api } from './api.ts';

/** Where a learner is with one lesson (the progress store's statuses). */
export type LessonProgress = 'inProgress' | 'done' | 'doneWithHelp';

/** One lesson as the LMS keeps it: its status and its quiz score (0–100), when known. */
export interface LessonReport {
	status: LessonProgress;
	score: number | null;
}

/** What `cmi.suspend_data` holds: each lesson's report and the route the learner was on. */
export interface SuspendState {
	lessons: Record<string, LessonReport>;
	location: string | null;
}

/** The course the SCO stands for. */
export interface Course {
	/** Every lesson, in catalogue order: the course is complete when each is done. */
	lessonIds: readonly string[];
	/** Pass mark (0–100) when the LMS gives none in `cmi.student_data.mastery_score`. */
	masteryScore: number;
}

/** The bridge between the lab's progress and the LMS. */
export interface ScormBridge {
	/** `resume` when the LMS relaunches an attempt that was suspended, else `ab-initio` (or '' if unsaid). */
	readonly entry: string;
	/** The progress read from `cmi.suspend_data` at initialization (empty when there was none). */
	resume(): SuspendState;
	/** Why the saved `cmi.suspend_data` could not be read, or null. */
	readonly resumeProblem: string | null;
	/** Records a lesson's status and quiz score (0–100 or null), reports it and commits. */
	reportLesson(lessonId: string, status: LessonProgress, score: number | null): void;
	/** Records the route the learner is on (`cmi.core.lesson_location`); sent with the next commit. */
	setLocation(route: string): void;
	/** The current `cmi.suspend_data` text (at most 4,096 characters). */
	suspendData(): string;
	/** The overall status as last reported. */
	courseStatus(): 'incomplete' | 'completed' | 'passed' | 'failed';
	/** Sets the session time and exit mode, commits and finishes. Later calls do nothing. */
	finish(): void;
	/** LMSSetValue calls the LMS refused (element, value, error), for diagnostics. */
	readonly problems: readonly string[];
	/** Whether `finish` has run. */
	readonly finished: boolean;
}

/** SCORM 1.2's limit on `cmi.suspend_data` (CMIString4096). */
export const SUSPEND_DATA_LIMIT = 4096;
const LOCATION_LIMIT = 255;
const FORMAT = 'mil1';
const STATUS_CODE: Record<LessonProgress, string> = {
	done: 'd',
	doneWithHelp: 'h',
	inProgress: 'p'
};
const CODE_STATUS: Record<string, LessonProgress> = {
	d: 'done',
	h: 'doneWithHelp',
	p: 'inProgress'
};
const LESSON_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** A SCORM call that answered "false": which call, and the LMS's own words. */
export class ScormError extends Error {
	constructor(
		readonly call: string,
		readonly code: string,
		lmsMessage: string
	) {
		super(
			`The learning-management system refused ${call} (error ${code}: ${lmsMessage || 'no description'}). Progress is still saved in this browser.`
		);
		this.name = 'ScormError';
	}
}

/**
 * `cmi.suspend_data` text for a state: `mil1|<location>|<id>:<d|h|p><score>,…`, e.g.
 * `mil1|#/lesson/token-request|principals:d100,token-request:p`. Done lessons come first; if the text would
 * pass 4,096 characters, the location and then the lessons at the end are left out.
 */
export function encodeSuspendData(state: SuspendState): string {
	const entries = Object.entries(state.lessons)
		.filter(([id]) => LESSON_ID.test(id))
		.sort(([, a], [, b]) => Number(a.status === 'inProgress') - Number(b.status === 'inProgress'))
		.map(
			([id, report]) =>
				`${id}:${STATUS_CODE[report.status]}${report.score === null ? '' : clampScore(report.score)}`
		);
	const location = (state.location ?? '').replace(/\|/g, '').slice(0, LOCATION_LIMIT);
	let text = `${FORMAT}|${location}|${entries.join(',')}`;
	if (text.length > SUSPEND_DATA_LIMIT) text = `${FORMAT}||${entries.join(',')}`;
	while (text.length > SUSPEND_DATA_LIMIT && entries.length > 0) {
		entries.pop();
		text = `${FORMAT}||${entries.join(',')}`;
	}
	return text;
}

/** Reads `cmi.suspend_data`; an empty text is an empty state, anything unreadable an error message. */
export function decodeSuspendData(
	text: string
): { ok: true; state: SuspendState } | { ok: false; message: string } {
	if (text === '') return { ok: true, state: { lessons: {}, location: null } };
	const [format, location, list, ...rest] = text.split('|');
	if (format !== FORMAT || list === undefined || rest.length > 0)
		return {
			ok: false,
			message: `The progress the LMS kept for this course is not in a format this lab reads (it starts "${text.slice(0, 12)}"); the lab starts from this browser's progress instead.`
		};
	const lessons: Record<string, LessonReport> = {};
	for (const entry of list === '' ? [] : list.split(',')) {
		const match = /^([a-z0-9][a-z0-9-]{0,63}):([dhp])(\d{1,3})?$/.exec(entry);
		const status = match ? CODE_STATUS[match[2] ?? ''] : undefined;
		if (!match?.[1] || !status)
			return {
				ok: false,
				message: `The progress the LMS kept for this course has an unreadable entry "${entry.slice(0, 70)}"; the lab starts from this browser's progress instead.`
			};
		lessons[match[1]] = {
			status,
			score: match[3] === undefined ? null : clampScore(Number(match[3]))
		};
	}
	return { ok: true, state: { lessons, location: location || null } };
}

function clampScore(score: number): number {
	return Math.min(100, Math.max(0, Math.round(score)));
}

/** SCORM 1.2's CMITimespan: `HHHH:MM:SS.SS`. */
export function scormTimespan(milliseconds: number): string {
	const centis = Math.max(0, Math.round(milliseconds / 10));
	const hours = Math.min(9999, Math.floor(centis / 360_000));
	const minutes = Math.floor((centis % 360_000) / 6000);
	const seconds = Math.floor((centis % 6000) / 100);
	const pad = (n: number, width = 2) => String(n).padStart(width, '0');
	return `${pad(hours, 4)}:${pad(minutes)}:${pad(seconds)}.${pad(centis % 100)}`;
}

function isDone(report: LessonReport | undefined): boolean {
	return report !== undefined && report.status !== 'inProgress';
}

/**
 * Starts a SCORM session on `api`: LMSInitialize once, then reads the entry mode, the mastery score, the
 * objectives the LMS already has and `cmi.suspend_data`. Throws a {@link ScormError} when the LMS refuses to
 * initialize. `now` gives milliseconds (for the session time).
 */
export function scormBridge(
	api: Scorm12Api,
	course: Course,
	now: () => number = () => Date.now()
): ScormBridge {
	const check = (call: string, result: string) => {
		if (String(result) !== 'true') {
			const code = String(api.LMSGetLastError());
			throw new ScormError(call, code, String(api.LMSGetErrorString(code)));
		}
	};
	const get = (element: string): string => String(api.LMSGetValue(element) ?? '');
	// A failed set is reported, not thrown: one refused element must not stop the rest of the report.
	const problems: string[] = [];
	const set = (element: string, value: string) => {
		if (String(api.LMSSetValue(element, value)) !== 'true') {
			const code = String(api.LMSGetLastError());
			problems.push(`${element}=${value}: error ${code} ${String(api.LMSGetErrorString(code))}`);
		}
	};

	check('LMSInitialize', api.LMSInitialize(''));
	const started = now();
	const entry = get('cmi.core.entry');
	const lmsMastery = Number.parseFloat(get('cmi.student_data.mastery_score'));
	const mastery = Number.isFinite(lmsMastery) ? lmsMastery : course.masteryScore;

	const objectiveIndex = new Map<string, number>();
	const objectiveCount = Number.parseInt(get('cmi.objectives._count'), 10) || 0;
	for (let n = 0; n < objectiveCount; n++) objectiveIndex.set(get(`cmi.objectives.${n}.id`), n);

	const saved = decodeSuspendData(get('cmi.suspend_data'));
	const resumed: SuspendState = saved.ok ? saved.state : { lessons: {}, location: null };
	const state: SuspendState = {
		lessons: { ...resumed.lessons },
		location: resumed.location
	};
	let status: ReturnType<ScormBridge['courseStatus']> = 'incomplete';
	let finished = false;

	const computeStatus = (): typeof status => {
		// With no list of lessons (no course file) the course can never be called complete.
		if (course.lessonIds.length === 0 || !course.lessonIds.every((id) => isDone(state.lessons[id])))
			return 'incomplete';
		const scores = Object.values(state.lessons).flatMap((l) => (l.score === null ? [] : [l.score]));
		if (scores.length === 0) return 'completed';
		return average(scores) >= mastery ? 'passed' : 'failed';
	};

	const objectiveStatus = (report: LessonReport): string => {
		if (!isDone(report)) return 'incomplete';
		if (report.score === null) return 'completed';
		return report.score >= mastery ? 'passed' : 'failed';
	};

	const writeCourse = () => {
		const scores = Object.values(state.lessons).flatMap((l) => (l.score === null ? [] : [l.score]));
		if (scores.length > 0) {
			set('cmi.core.score.min', '0');
			set('cmi.core.score.max', '100');
			set('cmi.core.score.raw', String(Math.round(average(scores))));
		}
		status = computeStatus();
		set('cmi.core.lesson_status', status);
		if (state.location) set('cmi.core.lesson_location', state.location.slice(0, LOCATION_LIMIT));
		set('cmi.suspend_data', encodeSuspendData(state));
	};

	const writeLesson = (lessonId: string, report: LessonReport) => {
		let n = objectiveIndex.get(lessonId);
		if (n === undefined) {
			n = objectiveIndex.size;
			objectiveIndex.set(lessonId, n);
			set(`cmi.objectives.${n}.id`, lessonId);
		}
		set(`cmi.objectives.${n}.status`, objectiveStatus(report));
		if (report.score !== null) {
			set(`cmi.objectives.${n}.score.min`, '0');
			set(`cmi.objectives.${n}.score.max`, '100');
			set(`cmi.objectives.${n}.score.raw`, String(report.score));
		}
	};

	const commit = () => {
		check('LMSCommit', api.LMSCommit(''));
	};

	// A first launch: say the attempt has begun, so the LMS shows "incomplete" rather than "not attempted".
	if (get('cmi.core.lesson_status') === 'not attempted') {
		set('cmi.core.lesson_status', 'incomplete');
		commit();
	}

	return {
		entry,
		resumeProblem: saved.ok ? null : saved.message,
		resume: () => structuredClone(resumed),
		reportLesson(lessonId, lessonStatus, score) {
			if (finished) return;
			if (!LESSON_ID.test(lessonId))
				throw new Error(
					`"${lessonId}" is not a lesson id (lowercase letters, digits and dashes): nothing was reported.`
				);
			const before = state.lessons[lessonId];
			// Done stays done: reopening a finished lesson does not take its completion back from the LMS.
			const report: LessonReport = {
				status: isDone(before) && lessonStatus === 'inProgress' ? before!.status : lessonStatus,
				score: score === null ? (before?.score ?? null) : clampScore(score)
			};
			state.lessons[lessonId] = report;
			writeLesson(lessonId, report);
			writeCourse();
			commit();
		},
		setLocation(route) {
			state.location = route.replace(/\|/g, '').slice(0, LOCATION_LIMIT) || null;
		},
		suspendData: () => encodeSuspendData(state),
		courseStatus: () => status,
		finish() {
			if (finished) return;
			finished = true;
			writeCourse();
			set('cmi.core.exit', status === 'incomplete' ? 'suspend' : '');
			set('cmi.core.session_time', scormTimespan(now() - started));
			api.LMSCommit('');
			api.LMSFinish('');
		},
		problems,
		get finished() {
			return finished;
		}
	};
}

function average(values: readonly number[]): number {
	return values.reduce((sum, v) => sum + v, 0) / values.length;
}
