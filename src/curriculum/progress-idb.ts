/**
 * The progress store's key-value store in IndexedDB, through idb-keyval. `update` runs in one readwrite
 * transaction, which is what makes a lesson's revision check safe across open tabs.
 */
import { createStore, del, get, keys, set, update, type UseStore } from 'idb-keyval';
import type { KeyValueStore } from './progress.ts';

/** A key-value store in the IndexedDB database `managed-identity-lab`, object store `progress`. */
export function indexedDbStore(
	dbName = 'managed-identity-lab',
	storeName = 'progress'
): KeyValueStore {
	const store: UseStore = createStore(dbName, storeName);
	return {
		get: (key) => get(key, store),
		set: (key, value) => set(key, value, store),
		update: (key, updater) => update(key, updater, store),
		del: (key) => del(key, store),
		keys: async () => (await keys(store)).map(String)
	};
}
