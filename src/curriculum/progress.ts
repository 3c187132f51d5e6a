/**
 * Saved progress: which lessons are done, done with help or in progress, the quiz answers, and the world of
 * each unfinished lesson. UI-free: it talks to a small key-value store (IndexedDB through idb-keyval in the
 * browser, `progress-idb.ts`; a Map in tests).
 *
 * - One record per lesson (`lesson:<id>`), each with a revision: a tab saves only over the revision it read,
 *   inside one atomic update, so several open tabs never overwrite each other's lessons.
 * - Records are versioned; older formats are migrated when read.
 * - Nothing stored ever makes `load` throw: a damaged record is moved aside (`corrupt:…`), reported, and kept
 *   for download.
 */
import * as v from 'valibot';

/** The current format of a lesson record. */
export const PROGRESS_VERSION = 2;

/** Where a learner is with a lesson. */
export type LessonStatus = 'inProgress' | 'done' | 'doneWithHelp';

const LessonRecordSchema = v.strictObject({
	version: v.literal(PROGRESS_VERSION),
	lessonId: v.pipe(v.string(), v.regex(/^[a-z0-9-]+$/)),
	status: v.picklist(['inProgress', 'done', 'doneWithHelp']),
	/** Quiz answers: chosen option indexes by question id. */
	answers: v.record(v.string(), v.array(v.pipe(v.number(), v.integer(), v.minValue(0)))),
	/** The world of an unfinished lesson, as a snapshot (restoreWorld reads it); null once done. */
	world: v.nullable(v.string()),
	/** How many reference steps *show me* has run. */
	step: v.pipe(v.number(), v.integer(), v.minValue(0)),
	/** Bumped on every save; a save over another revision is refused. */
	revision: v.pipe(v.number(), v.integer(), v.minValue(0)),
	/** ISO time of the last save (real time, from the caller). */
	updatedAt: v.string()
});

/** One lesson's saved progress. */
export type LessonRecord = v.InferOutput<typeof LessonRecordSchema>;

/** The version-1 lesson record (before the world and show-me step were kept). */
const LessonRecordV1Schema = v.object({
	version: v.literal(1),
	lessonId: v.string(),
	completed: v.boolean(),
	withHelp: v.optional(v.boolean()),
	answers: v.optional(v.record(v.string(), v.array(v.number())))
});

/** The small async key-value store progress lives in. `update` must be atomic (one transaction). */
export interface KeyValueStore {
	get(key: string): Promise<unknown>;
	set(key: string, value: unknown): Promise<void>;
	update(key: string, updater: (old: unknown) => unknown): Promise<void>;
	del(key: string): Promise<void>;
	keys(): Promise<string[]>;
}

/** Something wrong with stored data, said to the learner; the data is kept under `keptAs`. */
export interface ProgressProblem {
	key: string;
	message: string;
	keptAs: string;
}

/** What loading gives: every readable lesson record, and what could not be read. */
export interface LoadedProgress {
	lessons: Record<string, LessonRecord>;
	problems: ProgressProblem[];
}

/** The result of a save. */
export type SaveResult =
	| { ok: true; record: LessonRecord }
	| { ok: false; reason: 'conflict'; current: LessonRecord; message: string };

/** The exported progress file. */
export const EXPORT_FORMAT = 'managed-identity-lab-progress';

const ExportSchema = v.strictObject({
	format: v.literal(EXPORT_FORMAT),
	version: v.literal(PROGRESS_VERSION),
	exportedAt: v.string(),
	lessons: v.array(LessonRecordSchema)
});

const LESSON_PREFIX = 'lesson:';
const CORRUPT_PREFIX = 'corrupt:';
/** Where progress lived before per-lesson records (version 1): one object for everything. */
const LEGACY_KEY = 'progress';

/** Migrates a stored value to the current record format; null when it is not a record of any known version. */
export function migrateRecord(value: unknown): LessonRecord | null {
	const current = v.safeParse(LessonRecordSchema, value);
	if (current.success) return current.output;
	const old = v.safeParse(LessonRecordV1Schema, value);
	if (!old.success) return null;
	return {
		version: PROGRESS_VERSION,
		lessonId: old.output.lessonId,
		status: old.output.completed ? (old.output.withHelp ? 'doneWithHelp' : 'done') : 'inProgress',
		answers: old.output.answers ?? {},
		world: null,
		step: 0,
		revision: 0,
		updatedAt: ''
	};
}

function describeProblem(value: unknown): string {
	const issues = v.safeParse(LessonRecordSchema, value);
	if (issues.success) return 'unreadable';
	const issue = issues.issues[0];
	return `${v.getDotPath(issue) ?? 'the record'}: ${issue.message}`;
}

/** The progress store over a key-value store. `now` gives the real time as ISO text (for updatedAt). */
export function createProgressStore(kv: KeyValueStore, now: () => string) {
	async function moveAside(key: string, value: unknown, why: string): Promise<ProgressProblem> {
		const keptAs = `${CORRUPT_PREFIX}${key}:${now()}`;
		await kv.set(keptAs, value);
		await kv.del(key);
		return {
			key,
			keptAs,
			message: `Saved progress under '${key}' could not be read (${why}). The lab started without it; the damaged data is kept and can be downloaded.`
		};
	}

	async function migrateLegacy(problems: ProgressProblem[]): Promise<void> {
		const legacy = await kv.get(LEGACY_KEY);
		if (legacy === undefined) return;
		const parsed = v.safeParse(
			v.object({ done: v.array(v.string()), withHelp: v.optional(v.array(v.string())) }),
			legacy
		);
		if (!parsed.success) {
			problems.push(await moveAside(LEGACY_KEY, legacy, 'not the version-1 progress format'));
			return;
		}
		const withHelp = new Set(parsed.output.withHelp ?? []);
		for (const lessonId of parsed.output.done) {
			if (!/^[a-z0-9-]+$/.test(lessonId)) continue;
			const record: LessonRecord = {
				version: PROGRESS_VERSION,
				lessonId,
				status: withHelp.has(lessonId) ? 'doneWithHelp' : 'done',
				answers: {},
				world: null,
				step: 0,
				revision: 0,
				updatedAt: now()
			};
			await kv.update(`${LESSON_PREFIX}${lessonId}`, (old) => old ?? record);
		}
		await kv.del(LEGACY_KEY);
	}

	return {
		/** Every lesson's progress. Never throws on stored data; problems say what was set aside. */
		async load(): Promise<LoadedProgress> {
			const problems: ProgressProblem[] = [];
			try {
				await migrateLegacy(problems);
			} catch (cause) {
				problems.push({
					key: LEGACY_KEY,
					keptAs: LEGACY_KEY,
					message: `Old progress could not be converted (${cause instanceof Error ? cause.message : String(cause)}); it was left where it was.`
				});
			}
			const lessons: Record<string, LessonRecord> = {};
			for (const key of await kv.keys()) {
				if (!key.startsWith(LESSON_PREFIX)) continue;
				const value = await kv.get(key);
				const record = migrateRecord(value);
				if (!record || `${LESSON_PREFIX}${record.lessonId}` !== key) {
					problems.push(
						await moveAside(key, value, record ? 'it names another lesson' : describeProblem(value))
					);
					continue;
				}
				if (record.version !== (value as { version?: unknown }).version) await kv.set(key, record);
				lessons[record.lessonId] = record;
			}
			return { lessons, problems };
		},

		/**
		 * Saves a lesson's progress over the revision this tab last read (`expectedRevision`, or null for a new
		 * record). If another tab saved in between, nothing is written and the current record comes back.
		 */
		async saveLesson(
			record: Omit<LessonRecord, 'version' | 'revision' | 'updatedAt'>,
			expectedRevision: number | null
		): Promise<SaveResult> {
			const key = `${LESSON_PREFIX}${record.lessonId}`;
			let outcome: SaveResult | null = null;
			await kv.update(key, (old) => {
				const current = old === undefined ? null : migrateRecord(old);
				const currentRevision = current?.revision ?? null;
				if (current && currentRevision !== expectedRevision) {
					outcome = {
						ok: false,
						reason: 'conflict',
						current,
						message: `Another tab saved this lesson meanwhile (revision ${currentRevision}). Reload it there or here before continuing.`
					};
					return old;
				}
				const next: LessonRecord = {
					...record,
					version: PROGRESS_VERSION,
					revision: (currentRevision ?? -1) + 1,
					updatedAt: now()
				};
				outcome = { ok: true, record: next };
				return next;
			});
			return outcome as unknown as SaveResult;
		},

		/** The progress file to download: every readable lesson record. */
		async exportJson(): Promise<string> {
			const { lessons } = await this.load();
			return `${JSON.stringify(
				{
					format: EXPORT_FORMAT,
					version: PROGRESS_VERSION,
					exportedAt: now(),
					lessons: Object.values(lessons)
				},
				null,
				2
			)}\n`;
		},

		/**
		 * Replaces all progress with an exported file. The whole file is checked first: an invalid file says why
		 * and changes nothing.
		 */
		async importJson(
			text: string
		): Promise<{ ok: true; count: number } | { ok: false; message: string }> {
			let data: unknown;
			try {
				data = JSON.parse(text);
			} catch {
				return {
					ok: false,
					message: 'This file is not a progress export: it is not JSON. Nothing was changed.'
				};
			}
			const parsed = v.safeParse(ExportSchema, data);
			if (!parsed.success) {
				const issue = parsed.issues[0];
				return {
					ok: false,
					message: `This file is not a valid progress export (${v.getDotPath(issue) ?? 'top level'}: ${issue.message}). Nothing was changed.`
				};
			}
			const ids = parsed.output.lessons.map((l) => l.lessonId);
			if (new Set(ids).size !== ids.length)
				return { ok: false, message: 'This file lists a lesson twice. Nothing was changed.' };
			for (const key of await kv.keys()) if (key.startsWith(LESSON_PREFIX)) await kv.del(key);
			for (const record of parsed.output.lessons)
				await kv.set(`${LESSON_PREFIX}${record.lessonId}`, { ...record, revision: 0 });
			return { ok: true, count: parsed.output.lessons.length };
		},

		/** Damaged data set aside by `load`, to offer for download. */
		async corruptData(): Promise<{ key: string; value: unknown }[]> {
			const out: { key: string; value: unknown }[] = [];
			for (const key of await kv.keys())
				if (key.startsWith(CORRUPT_PREFIX)) out.push({ key, value: await kv.get(key) });
			return out;
		},

		/** Deletes all progress (the UI asks first). Damaged data is kept unless `includingDamaged`. */
		async resetAll(options: { includingDamaged?: boolean } = {}): Promise<void> {
			for (const key of await kv.keys()) {
				if (
					key.startsWith(LESSON_PREFIX) ||
					key === LEGACY_KEY ||
					(options.includingDamaged === true && key.startsWith(CORRUPT_PREFIX))
				)
					await kv.del(key);
			}
		}
	};
}

/** The progress store's interface. */
export type ProgressStore = ReturnType<typeof createProgressStore>;

/** A key-value store in memory (tests, and browsers where IndexedDB is unavailable). */
export function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
	const data = new Map<string, unknown>();
	return {
		data,
		get: (key) => Promise.resolve(data.get(key)),
		set: (key, value) => {
			data.set(key, structuredClone(value));
			return Promise.resolve();
		},
		update: (key, updater) => {
			data.set(key, structuredClone(updater(data.get(key))));
			return Promise.resolve();
		},
		del: (key) => {
			data.delete(key);
			return Promise.resolve();
		},
		keys: () => Promise.resolve([...data.keys()])
	};
}
