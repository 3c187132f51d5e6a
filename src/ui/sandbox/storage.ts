/**
 * Where the sandbox keeps its world between visits: IndexedDB through idb-keyval, in a database of its own
 * (idb-keyval's `createStore` makes one object store per database). The saved record is versioned; anything
 * else found under the key is damaged data, kept under a second key and offered for download, never lost.
 */
import { createStore, get, set, type UseStore } from 'idb-keyval';
import { restoreWorld, type World } from '../../core/index.ts';

/** The key of the saved sandbox world. */
export const SANDBOX_KEY = 'mil.sandbox.world';
/** Where damaged saved data is moved before the sandbox writes over it. */
export const DAMAGED_KEY = 'mil.sandbox.damaged';
/** The format of the saved record. */
export const SAVED_FORMAT = 1;

/** The saved record: the world's snapshot text, which tab wrote it, and when (real time, for the notice). */
export interface SavedSandbox {
	format: typeof SAVED_FORMAT;
	/** `snapshotWorld` text. */
	world: string;
	tab: string;
	savedAt: string;
}

/** The storage the sandbox needs (IndexedDB in the browser, a Map in tests). */
export interface SandboxStore {
	get(key: string): Promise<unknown>;
	set(key: string, value: unknown): Promise<void>;
}

/** The sandbox's store in IndexedDB (database `managed-identity-lab-sandbox`, object store `sandbox`). */
export function indexedDbSandboxStore(): SandboxStore {
	let store: UseStore | null = null;
	const use = () => (store ??= createStore('managed-identity-lab-sandbox', 'sandbox'));
	return {
		get: (key) => get(key, use()),
		set: (key, value) => set(key, value, use())
	};
}

/** A store in memory (tests, and browsers where IndexedDB is unavailable). */
export function memorySandboxStore(initial: Record<string, unknown> = {}): SandboxStore & {
	data: Map<string, unknown>;
} {
	const data = new Map<string, unknown>(Object.entries(initial));
	return {
		data,
		get: (key) => Promise.resolve(data.get(key)),
		set: (key, value) => {
			data.set(key, value);
			return Promise.resolve();
		}
	};
}

/** What was found under the sandbox key. */
export type LoadedSandbox =
	| { kind: 'none' }
	| { kind: 'world'; world: World; saved: SavedSandbox }
	| { kind: 'damaged'; why: string; raw: string };

/** Reads what was saved; never throws. */
export function decodeSaved(value: unknown): LoadedSandbox {
	if (value === undefined || value === null) return { kind: 'none' };
	const raw = rawText(value);
	if (typeof value !== 'object' || Array.isArray(value))
		return { kind: 'damaged', why: 'it is not a saved sandbox record', raw };
	const record = value as Partial<SavedSandbox>;
	if (record.format !== SAVED_FORMAT)
		return {
			kind: 'damaged',
			why: `it has format ${JSON.stringify(record.format ?? null)}, this lab reads ${SAVED_FORMAT}`,
			raw
		};
	if (typeof record.world !== 'string')
		return { kind: 'damaged', why: 'its world is missing', raw };
	const restored = restoreWorld(record.world);
	if (!restored.ok)
		return {
			kind: 'damaged',
			why: restored.error.message.replace(/ Nothing was changed\.$/, ''),
			raw
		};
	return {
		kind: 'world',
		world: restored.value,
		saved: {
			format: SAVED_FORMAT,
			world: record.world,
			tab: typeof record.tab === 'string' ? record.tab : '',
			savedAt: typeof record.savedAt === 'string' ? record.savedAt : ''
		}
	};
}

/** Damaged data as text for download: a string as it is, anything else as JSON when it can be. */
export function rawText(value: unknown): string {
	if (typeof value === 'string') return value;
	try {
		return JSON.stringify(value, null, 2) ?? String(value);
	} catch {
		return String(value);
	}
}
