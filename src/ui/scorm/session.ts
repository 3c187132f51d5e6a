/**
 * The lab inside an LMS: started by main.ts only when a SCORM 1.2 API is reachable. It opens one session
 * (the bridge), merges the progress the LMS kept into this browser's progress store and reports this
 * browser's progress to the LMS, follows the route as `cmi.core.lesson_location`, and finishes on `pagehide`.
 *
 * The lesson pages report as they go through {@link withLmsReporting}: a progress store wrapped with it
 * reports every saved lesson (status and quiz score) to the LMS as well.
 */
// The progress modules alone, not the curriculum's index (which pulls in the simulator).
import { createProgressStore } from '../../curriculum/progress.ts';
import type { LessonRecord, ProgressStore } from '../../curriculum/progress.ts';
import { indexedDbStore } from '../../curriculum/progress-idb.ts';
import { findScormApi } from './api.ts';
import { decodeSuspendData, scormBridge, type ScormBridge } from './bridge.ts';
import { parseCourseFile, quizScore, type CourseFile } from './course.ts';

/** A running LMS session. */
export interface LmsSession {
	bridge: ScormBridge;
	course: CourseFile | null;
	/** Reports one saved lesson record to the LMS. */
	report(record: LessonRecord): void;
	/** Reads the whole progress store and reports what the LMS does not have yet. */
	sync(): Promise<void>;
	/** What went wrong on the way (course file, suspend data), for the console. */
	problems: string[];
}

let current: LmsSession | null = null;

/** The session of this page, when the lab runs inside an LMS. */
export function lmsSession(): LmsSession | null {
	return current;
}

/** The progress store, reporting every saved lesson to the LMS too when there is a session. */
export function withLmsReporting(store: ProgressStore): ProgressStore {
	return {
		...store,
		async saveLesson(record, expectedRevision) {
			const result = await store.saveLesson(record, expectedRevision);
			if (result.ok) current?.report(result.record);
			return result;
		}
	};
}

async function loadCourse(problems: string[]): Promise<CourseFile | null> {
	try {
		const response = await fetch(new URL('scorm-course.json', document.baseURI));
		if (!response.ok) {
			problems.push(
				`scorm-course.json could not be loaded (${response.status}): lesson statuses are reported, the course is not marked complete. Build the package with npm run build:scorm.`
			);
			return null;
		}
		const parsed = parseCourseFile(await response.json());
		if (parsed.ok) return parsed.course;
		problems.push(parsed.message);
	} catch (cause) {
		problems.push(
			`scorm-course.json could not be read (${cause instanceof Error ? cause.message : String(cause)}).`
		);
	}
	return null;
}

/**
 * Starts the LMS session when an LMS is reachable from `win`; null outside an LMS. `store` defaults to the
 * progress store in IndexedDB.
 */
export async function startScormSession(
	win: Window = window,
	store: ProgressStore = createProgressStore(indexedDbStore(), () => new Date().toISOString())
): Promise<LmsSession | null> {
	if (current) return current;
	const api = findScormApi(win);
	if (!api) return null;
	const problems: string[] = [];
	const course = await loadCourse(problems);
	const bridge = scormBridge(api, {
		lessonIds: course?.lessons.map((l) => l.id) ?? [],
		masteryScore: course?.masteryScore ?? 80
	});
	if (bridge.resumeProblem) problems.push(bridge.resumeProblem);
	const quizKey = new Map(course?.lessons.map((l) => [l.id, l.quiz]) ?? []);

	const report = (record: LessonRecord) => {
		const key = quizKey.get(record.lessonId);
		bridge.reportLesson(
			record.lessonId,
			record.status,
			key ? quizScore(key, record.answers) : null
		);
	};

	const sync = async () => {
		const { lessons } = await store.load();
		const now = decodeSuspendData(bridge.suspendData());
		const known = now.ok ? now.state.lessons : {};
		for (const record of Object.values(lessons)) {
			const key = quizKey.get(record.lessonId);
			const score = key ? quizScore(key, record.answers) : null;
			const there = known[record.lessonId];
			// A score the LMS has and this browser lacks (progress merged from the LMS) is not news.
			if (!there || there.status !== record.status || (score !== null && score !== there.score))
				report(record);
		}
	};

	const session: LmsSession = { bridge, course, report, sync, problems };
	current = session;

	// The LMS's progress into this browser: a lesson done there is done here (its world is not kept there).
	const { lessons } = await store.load();
	for (const [lessonId, saved] of Object.entries(bridge.resume().lessons)) {
		const local = lessons[lessonId];
		const behind = !local || (local.status === 'inProgress' && saved.status !== 'inProgress');
		if (!behind) continue;
		const result = await store.saveLesson(
			{
				lessonId,
				status: saved.status,
				answers: local?.answers ?? {},
				world: saved.status === 'inProgress' ? (local?.world ?? null) : null,
				step: local?.step ?? 0
			},
			local?.revision ?? null
		);
		if (!result.ok) problems.push(result.message);
	}
	// And this browser's progress into the LMS.
	await sync();

	const location = bridge.resume().location;
	if (
		bridge.entry === 'resume' &&
		location &&
		(win.location.hash === '' || win.location.hash === '#/')
	)
		win.location.hash = location;
	bridge.setLocation(win.location.hash);
	win.addEventListener('hashchange', () => bridge.setLocation(win.location.hash));
	win.document.addEventListener('visibilitychange', () => {
		if (win.document.visibilityState === 'hidden' && !bridge.finished)
			void sync().catch(() => undefined);
	});
	win.addEventListener('pagehide', () => bridge.finish());

	for (const problem of problems) console.warn(`SCORM: ${problem}`);
	return session;
}
