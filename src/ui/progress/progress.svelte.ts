/**
 * Saved progress as the pages see it: every lesson's record, what could not be read, and the actions of the
 * home page (export, import, reset). Light on purpose: the home page imports it, and it loads the progress
 * store (valibot, idb-keyval) with `import()` only when it opens.
 */
import type {
	KeyValueStore,
	LessonRecord,
	LessonStatus,
	ProgressProblem,
	ProgressStore,
	SaveResult
} from '../../curriculum/progress.ts';

/** Where a learner is with a lesson, as the catalogue shows it. */
export type CatalogueStatus = LessonStatus | 'notStarted';

/** The words for each status (never a colour alone). */
export const STATUS_TEXT: Record<CatalogueStatus, string> = {
	notStarted: 'Not started',
	inProgress: 'In progress',
	done: 'Done',
	doneWithHelp: 'Done with help'
};

/** The name of the channel tabs use to tell each other that progress changed. */
const CHANNEL = 'managed-identity-lab-progress';

/** Saved progress, loaded once per page, kept in step with the other tabs. */
export class ProgressState {
	lessons = $state.raw<Record<string, LessonRecord>>({});
	problems = $state.raw<ProgressProblem[]>([]);
	/** Set when progress cannot be kept in this browser (no IndexedDB): it lives only as long as the page. */
	unavailable = $state<string | null>(null);
	loaded = $state(false);

	readonly store: ProgressStore;
	#channel: BroadcastChannel | null = null;

	constructor(store: ProgressStore, options: { unavailable?: string | null } = {}) {
		this.store = store;
		this.unavailable = options.unavailable ?? null;
		if (typeof BroadcastChannel !== 'undefined') {
			this.#channel = new BroadcastChannel(CHANNEL);
			this.#channel.onmessage = () => void this.reload();
		}
	}

	/** Reads every record; damaged ones are set aside and reported in `problems`. Never throws. */
	async load(): Promise<void> {
		try {
			const loaded = await this.store.load();
			this.lessons = loaded.lessons;
			if (loaded.problems.length) this.problems = [...this.problems, ...loaded.problems];
		} catch (cause) {
			this.problems = [
				...this.problems,
				{
					key: 'progress',
					keptAs: 'progress',
					message: `Saved progress could not be opened (${cause instanceof Error ? cause.message : String(cause)}). The lab started without it.`
				}
			];
		}
		this.loaded = true;
	}

	/** Reads the records again (another tab saved). */
	async reload(): Promise<void> {
		try {
			this.lessons = (await this.store.load()).lessons;
		} catch {
			// The first load already said what is wrong with the store.
		}
	}

	/** Where the learner is with a lesson. */
	status(lessonId: string): CatalogueStatus {
		return this.lessons[lessonId]?.status ?? 'notStarted';
	}

	/** Saves one lesson over the revision this tab read; on success, tells the other tabs. */
	async save(
		record: Omit<LessonRecord, 'version' | 'revision' | 'updatedAt'>,
		expectedRevision: number | null
	): Promise<SaveResult> {
		const result = await this.store.saveLesson(record, expectedRevision);
		const saved = result.ok ? result.record : result.current;
		this.lessons = { ...this.lessons, [saved.lessonId]: saved };
		if (result.ok) this.#channel?.postMessage({ lessonId: saved.lessonId });
		return result;
	}

	/** The progress file's text. */
	exportText(): Promise<string> {
		return this.store.exportJson();
	}

	/** Replaces all progress with an exported file; an invalid file says why and changes nothing. */
	async importText(
		text: string
	): Promise<{ ok: true; count: number } | { ok: false; message: string }> {
		const result = await this.store.importJson(text);
		if (result.ok) {
			await this.reload();
			this.#channel?.postMessage({ imported: true });
		}
		return result;
	}

	/** Deletes all progress (the page asks first). */
	async resetAll(): Promise<void> {
		await this.store.resetAll();
		this.lessons = {};
		this.#channel?.postMessage({ reset: true });
	}

	/** The damaged data set aside, as JSON text to download. */
	async damagedText(): Promise<string> {
		return `${JSON.stringify(await this.store.corruptData(), null, 2)}\n`;
	}

	/** Stops listening to the other tabs. */
	close(): void {
		this.#channel?.close();
		this.#channel = null;
	}
}

/** Builds progress over a key-value store (tests give a memory store). */
export async function progressOver(
	kv: KeyValueStore,
	options: { unavailable?: string | null } = {}
): Promise<ProgressState> {
	const [{ createProgressStore }, { withLmsReporting }] = await Promise.all([
		import('../../curriculum/progress.ts'),
		import('../scorm/session.ts')
	]);
	const state = new ProgressState(
		// Inside an LMS every saved lesson is also reported to it as it is saved; elsewhere this adds nothing.
		withLmsReporting(
			// Real time for updatedAt, read once per save: nothing renders it reactively.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			createProgressStore(kv, () => new Date().toISOString())
		),
		options
	);
	await state.load();
	return state;
}

let opened: Promise<ProgressState> | null = null;

/**
 * The page's progress, in IndexedDB (one per page). Where IndexedDB is missing or refused, progress lives in
 * memory for the page's life, and `unavailable` says so.
 */
export function openProgress(): Promise<ProgressState> {
	opened ??= (async () => {
		const { memoryStore } = await import('../../curriculum/progress.ts');
		if (typeof indexedDB === 'undefined')
			return progressOver(memoryStore(), {
				unavailable:
					'This browser keeps no storage for the lab (IndexedDB is off), so progress lasts only until you close the page. Export it before you leave.'
			});
		const { indexedDbStore } = await import('../../curriculum/progress-idb.ts');
		return progressOver(indexedDbStore());
	})();
	return opened;
}

/** Offers text as a file download. */
export function downloadText(name: string, text: string, type = 'application/json'): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const link = document.createElement('a');
	link.href = url;
	link.download = name;
	link.rel = 'noopener';
	document.body.append(link);
	link.click();
	link.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
