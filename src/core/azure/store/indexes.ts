/**
 * The indexes the operations and queries use instead of scanning a whole record. Each is derived from a record
 * on first use and carried forward by every commit (see record.ts), so a lookup costs what it finds.
 */
import type {
	CachedToken,
	Resource,
	ResourceGroup,
	RoleAssignment,
	ServicePrincipal
} from '../model.ts';
import { IDENTITY_HOST_KINDS } from '../model.ts';
import { idKey } from '../naming.ts';
import { PMap } from './hamt.ts';
import type { IndexSpec } from './record.ts';
import { enqueue, type TimeQueue } from './queue.ts';
import { isAsciiEntry } from '../ascii-json.ts';

/**
 * Index key → the record keys filed under it, sorted. (Sorted rather than in record order: an index carried
 * forward must equal one built afresh, and a record key's place in the record is not known without a scan.)
 */
export type MultiIndex = PMap<readonly string[]>;

/** Where `key` is or would go in the sorted `list`. */
function position(list: readonly string[], key: string): number {
	let lo = 0;
	let hi = list.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if ((list[mid] as string) < key) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

function addTo(index: MultiIndex, indexKey: string, key: string): MultiIndex {
	const list = index.get(indexKey);
	if (list === undefined) return index.set(indexKey, [key]);
	const at = position(list, key);
	if (list[at] === key) return index;
	const next = list.slice();
	next.splice(at, 0, key);
	return index.set(indexKey, next);
}

function removeFrom(index: MultiIndex, indexKey: string, key: string): MultiIndex {
	const list = index.get(indexKey);
	if (list === undefined) return index;
	const at = position(list, key);
	if (list[at] !== key) return index;
	if (list.length === 1) return index.delete(indexKey);
	const next = list.slice();
	next.splice(at, 1);
	return index.set(indexKey, next);
}

/** A multi-index filing each entry under the keys `keysOf` gives (none to leave it out). */
function multiIndex<V>(
	name: string,
	keysOf: (key: string, value: V) => readonly string[]
): IndexSpec<V, MultiIndex> {
	return {
		name,
		build(record) {
			let index: MultiIndex = PMap.empty();
			for (const [key, value] of Object.entries(record)) {
				for (const k of keysOf(key, value)) index = addTo(index, k, key);
			}
			return index;
		},
		update(index, key, before, after) {
			const old = before === undefined ? [] : keysOf(key, before);
			const now = after === undefined ? [] : keysOf(key, after);
			for (const k of old) if (!now.includes(k)) index = removeFrom(index, k, key);
			for (const k of now) if (!old.includes(k)) index = addTo(index, k, key);
			return index;
		}
	};
}

/** The record keys filed under `indexKey`. */
export function lookup(index: MultiIndex, indexKey: string): readonly string[] {
	return index.get(indexKey) ?? [];
}

const HOST_KINDS: ReadonlySet<string> = new Set(IDENTITY_HOST_KINDS);

/** Resource groups by lower-cased name. */
export const groupsByName = multiIndex<ResourceGroup>('groupsByName', (_k, g) => [
	g.name.toLowerCase()
]);

/** Resources by lower-cased name. */
export const resourcesByName = multiIndex<Resource>('resourcesByName', (_k, r) => [
	r.name.toLowerCase()
]);

/** Identity hosts by the lower-cased ids of the user-assigned identities attached to them. */
export const hostsByUserIdentity = multiIndex<Resource>('hostsByUserIdentity', (_k, r) =>
	HOST_KINDS.has(r.kind) && 'identity' in r
		? [...new Set(r.identity.userAssigned.map((u) => idKey(u)))]
		: []
);

/** SQL databases by the key of their server. */
export const databasesByServer = multiIndex<Resource>('databasesByServer', (key, r) => {
	if (r.kind !== 'sqlDatabase') return [];
	const at = key.lastIndexOf('/databases/');
	return at < 0 ? [] : [key.slice(0, at)];
});

/** Service principals by appId (as stored). */
export const principalsByAppId = multiIndex<ServicePrincipal>('principalsByAppId', (_k, sp) => [
	sp.appId
]);

/** Service principals by display name (exact). */
export const principalsByDisplayName = multiIndex<ServicePrincipal>(
	'principalsByDisplayName',
	(_k, sp) => [sp.displayName]
);

/** Role assignments by the comparison key (idKey) of their scope. */
export const assignmentsByScope = multiIndex<RoleAssignment>('assignmentsByScope', (_k, a) => [
	idKey(a.scope)
]);

/**
 * Role assignments at or below a resource, filed under every resource-level prefix of their scope
 * (`/subscriptions/s/resourcegroups/g/providers/ns/type/name` and deeper), for deleting a resource's assignments.
 */
export const assignmentsUnderResource = multiIndex<RoleAssignment>(
	'assignmentsUnderResource',
	(_k, a) => {
		const key = idKey(a.scope);
		const out: string[] = [];
		let segments = 0;
		for (let i = 0; i <= key.length; i++) {
			if (i === key.length || key[i] === '/') {
				// A resource id has 8 slashes: /subscriptions/s/resourcegroups/g/providers/ns/type/name.
				if (segments >= 8) out.push(key.slice(0, i));
				segments++;
			}
		}
		return out;
	}
);

/** Cached tokens by principal id (as stored). */
export const tokensByPrincipal = multiIndex<CachedToken>('tokensByPrincipal', (_k, t) => [
	t.principalId
]);

/** Cached tokens by the kid of the key that signed them. */
export const tokensByKid = multiIndex<CachedToken>('tokensByKid', (_k, t) => [t.kid]);

function timeQueue<V>(
	name: string,
	timeOf: (value: V) => number | null
): IndexSpec<V, TimeQueue | null> {
	return {
		name,
		build(record) {
			let queue: TimeQueue | null = null;
			for (const [key, value] of Object.entries(record)) {
				const at = timeOf(value);
				if (at !== null) queue = enqueue(queue, at, key);
			}
			return queue;
		},
		update(queue, key, before, after) {
			if (after === undefined) return queue;
			const at = timeOf(after);
			if (at === null || (before !== undefined && timeOf(before) === at)) return queue;
			return enqueue(queue, at, key);
		}
	};
}

/** Deleted role assignments by the time their removal has propagated. */
export const removalQueue = timeQueue<RoleAssignment>('removalQueue', (a) => a.removedAt);

/** Cached tokens by the time they expire. */
export const expiryQueue = timeQueue<CachedToken>('expiryQueue', (t) => t.expiresOn);

/**
 * The keys of the entries that hold a character outside ASCII (in the key or anywhere in the value), sorted. A
 * snapshot writes a record with none in one `JSON.stringify` and takes apart only these entries otherwise
 * (see ascii-json.ts); carried forward, the index costs each change one look at the entries it changed.
 */
export const nonAsciiEntries: IndexSpec<unknown, readonly string[]> = {
	name: 'nonAsciiEntries',
	build(record) {
		// Usually every entry is ASCII: one look at the whole record says so faster than one look per entry.
		if (isAsciiEntry('', record)) return [];
		const keys: string[] = [];
		for (const [key, value] of Object.entries(record))
			if (!isAsciiEntry(key, value)) keys.push(key);
		return keys.sort();
	},
	update(index, key, _before, after) {
		const at = position(index, key);
		const listed = index[at] === key;
		const listNow = after !== undefined && !isAsciiEntry(key, after);
		if (listed === listNow) return index;
		const next = index.slice();
		if (listNow) next.splice(at, 0, key);
		else next.splice(at, 1);
		return next;
	}
};
