/**
 * How the world's large records (resources, service principals, role assignments, cached tokens) change without
 * copying them. A plain object cannot: any new object with 10,000 keys copies 10,000 keys (about 10 ms in V8).
 *
 * - A small record stays a plain object and is copied on write, as before.
 * - Once a record holds {@link PERSISTENT_THRESHOLD} entries, a write turns it into a *persistent record*: a
 *   read-only Proxy with the plain-object read shape (`r[key]`, `Object.keys/values/entries`, `Object.hasOwn`,
 *   `in`, `JSON.stringify`, spreading, insertion-ordered enumeration) over a hash array mapped trie, so that a
 *   new version shares everything with the old one except the path to the changed entries. Writing to it
 *   throws: worlds change through operations only. `structuredClone` cannot copy a Proxy; use JSON (as
 *   snapshots do) or {@link plainRecord}.
 * - During an operation, handlers write to a {@link Transient} in the draft: it hands out a mutative draft per
 *   entry read and keeps new and deleted entries aside; {@link commit} turns it into the next record (the same
 *   object when nothing changed) in time proportional to what changed.
 * - Indexes ({@link IndexSpec}) are derived from a record object once, on first use, then carried forward to
 *   each record a commit makes from it, updated with exactly the entries that changed.
 */
import { create } from 'mutative';
import { PMap } from './hamt.ts';

/** Records with at least this many entries become persistent on their next write. */
export const PERSISTENT_THRESHOLD = 512;

let threshold = PERSISTENT_THRESHOLD;

/**
 * For tests: the size from which records become persistent (0: every record that an operation writes). Returns
 * the previous value.
 */
export function setPersistentThreshold(size: number): number {
	const previous = threshold;
	threshold = size;
	return previous;
}

// ---------------------------------------------------------------------------------------------------------
// Key order

interface LogCell {
	readonly key: string;
	readonly added: boolean;
	readonly prev: LogCell | null;
}

/** Insertion order: a materialized key list plus the adds and deletes since (newest first). */
interface Order {
	keys: readonly string[];
	log: LogCell | null;
	logLength: number;
}

function materialize(order: Order): readonly string[] {
	if (order.log === null) return order.keys;
	const cells: LogCell[] = [];
	for (let c: LogCell | null = order.log; c !== null; c = c.prev) cells.push(c);
	const removed = new Set<string>();
	const appended = new Map<string, true>();
	for (let i = cells.length - 1; i >= 0; i--) {
		const { key, added } = cells[i] as LogCell;
		if (added) {
			appended.delete(key);
			appended.set(key, true);
		} else if (appended.has(key)) appended.delete(key);
		else removed.add(key);
	}
	const keys: string[] = [];
	for (const k of order.keys) if (!removed.has(k)) keys.push(k);
	for (const k of appended.keys()) keys.push(k);
	// A cache of the same sequence: every version that shares this Order object sees the same keys.
	order.keys = keys;
	order.log = null;
	order.logLength = 0;
	return keys;
}

// ---------------------------------------------------------------------------------------------------------
// Persistent records

interface RecordState<V> {
	readonly map: PMap<V>;
	readonly order: Order;
	/** A plain copy for JSON, made on demand. */
	plain?: Record<string, V>;
}

const states = new WeakMap<object, RecordState<unknown>>();

function immutable(): never {
	throw new TypeError(
		'A record of a world cannot be changed in place: worlds change through applyOperation.'
	);
}

class RecordHandler<V> implements ProxyHandler<Record<string, V>> {
	constructor(private readonly state: RecordState<V>) {}

	get(target: Record<string, V>, key: string | symbol, receiver: unknown): unknown {
		if (typeof key === 'string') {
			const value = this.state.map.get(key);
			if (value !== undefined) return value;
			// JSON.stringify asks for toJSON first: a plain copy serializes several times faster than the proxy.
			if (key === 'toJSON') return () => plainOf(this.state);
		}
		return Reflect.get(target, key, receiver);
	}

	has(target: Record<string, V>, key: string | symbol): boolean {
		return (typeof key === 'string' && this.state.map.has(key)) || Reflect.has(target, key);
	}

	ownKeys(): ArrayLike<string | symbol> {
		return materialize(this.state.order);
	}

	getOwnPropertyDescriptor(_target: Record<string, V>, key: string | symbol) {
		if (typeof key !== 'string') return undefined;
		const value = this.state.map.get(key);
		return value === undefined
			? undefined
			: { value, writable: true, enumerable: true, configurable: true };
	}

	set(): boolean {
		return immutable();
	}

	deleteProperty(): boolean {
		return immutable();
	}

	defineProperty(): boolean {
		return immutable();
	}

	setPrototypeOf(): boolean {
		return immutable();
	}

	preventExtensions(): boolean {
		return immutable();
	}
}

function plainOf<V>(state: RecordState<V>): Record<string, V> {
	if (state.plain === undefined) {
		const plain: Record<string, V> = {};
		for (const k of materialize(state.order)) plain[k] = state.map.get(k) as V;
		state.plain = plain;
	}
	return state.plain;
}

function makePersistent<V>(state: RecordState<V>): Record<string, V> {
	const proxy = new Proxy<Record<string, V>>({}, new RecordHandler(state));
	states.set(proxy, state);
	return proxy;
}

function stateOf<V>(record: Record<string, V>): RecordState<V> | undefined {
	return states.get(record) as RecordState<V> | undefined;
}

const converted = new WeakMap<object, RecordState<unknown>>();

/** The persistent state of a plain record (built once per record object). */
function stateFromPlain<V>(record: Record<string, V>): RecordState<V> {
	let state = converted.get(record) as RecordState<V> | undefined;
	if (state === undefined) {
		const keys = Object.keys(record);
		let map = PMap.empty<V>();
		for (const k of keys) map = map.set(k, record[k] as V);
		state = { map, order: { keys, log: null, logLength: 0 } };
		converted.set(record, state);
	}
	return state;
}

/** True for a record kept as a persistent structure behind the plain read shape. */
export function isPersistentRecord(record: object): boolean {
	return states.has(record);
}

/** A plain object with the same entries in the same order (the record itself when it is plain). */
export function plainRecord<V>(record: Record<string, V>): Record<string, V> {
	const state = stateOf(record);
	return state === undefined ? record : { ...plainOf(state) };
}

/** The entry under `key`, if the record itself holds it (not something every object inherits). */
export function recordGet<V>(record: Record<string, V>, key: string): V | undefined {
	const state = stateOf(record);
	if (state !== undefined) return state.map.get(key);
	return Object.hasOwn(record, key) ? record[key] : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Indexes

/**
 * Something derived from a record and kept up to date as the record changes: built once from the record's
 * entries, then updated (immutably) for each entry a commit changes.
 */
export interface IndexSpec<V, I> {
	readonly name: string;
	build(record: Record<string, V>): I;
	update(index: I, key: string, before: V | undefined, after: V | undefined): I;
}

const indexCache = new WeakMap<object, Map<IndexSpec<never, unknown>, unknown>>();

/** The index `spec` of `record`: carried forward from the record it was made from, or built now. */
export function indexOf<V, I>(record: Record<string, V>, spec: IndexSpec<V, I>): I {
	const transient = transientOf(record);
	if (transient !== undefined) {
		throw new Error(`indexOf(${spec.name}) on a record being changed; read ctx.base instead.`);
	}
	let cache = indexCache.get(record);
	if (cache === undefined) {
		cache = new Map();
		indexCache.set(record, cache);
	}
	const key = spec as unknown as IndexSpec<never, unknown>;
	if (cache.has(key)) return cache.get(key) as I;
	const built = spec.build(record);
	cache.set(key, built);
	return built;
}

/** The index `spec` of `record` if it has been built or carried forward; undefined rather than building it. */
export function builtIndex<V, I>(record: Record<string, V>, spec: IndexSpec<V, I>): I | undefined {
	return indexCache.get(record)?.get(spec) as I | undefined;
}

/**
 * Files `index` as the index `spec` of `record`, for a caller that has derived it in passing (it must equal what
 * `spec.build(record)` gives); from then on it is carried forward as if built by {@link indexOf}.
 */
export function keepIndex<V, I>(record: Record<string, V>, spec: IndexSpec<V, I>, index: I): void {
	if (transientOf(record) !== undefined) return;
	let cache = indexCache.get(record);
	if (cache === undefined) {
		cache = new Map();
		indexCache.set(record, cache);
	}
	cache.set(spec, index);
}

// ---------------------------------------------------------------------------------------------------------
// Transients: a record being changed by one operation

type Slot<V> =
	| { kind: 'draft'; draft: V; finalize: () => V; before: V; removedDuring: boolean }
	| { kind: 'value'; value: V; removedDuring: boolean }
	| { kind: 'deleted' };

/**
 * How a view names its transient: a property only the view's handler answers, rather than a WeakMap entry per
 * view (four views per operation; ephemeron entries cost the garbage collector more than the lookup saves).
 */
const TRANSIENT: unique symbol = Symbol('transient');

/** The changes one operation makes to one record, applied by {@link commit}. */
export class Transient<V> {
	readonly slots = new Map<string, Slot<V>>();
	readonly overrides = new Map<IndexSpec<V, unknown>, unknown>();
	/** The writable view handlers use in place of the record. */
	readonly view: Record<string, V>;

	constructor(readonly base: Record<string, V>) {
		// A null prototype keeps mutative from drafting the view (it drafts plain objects only).
		const view = new Proxy<Record<string, V>>(
			Object.create(null) as Record<string, V>,
			new TransientHandler(this)
		);
		this.view = view;
	}

	private baseGet(key: string): V | undefined {
		return recordGet(this.base, key);
	}

	read(key: string): V | undefined {
		const slot = this.slots.get(key);
		if (slot !== undefined) {
			if (slot.kind === 'deleted') return undefined;
			return slot.kind === 'draft' ? slot.draft : slot.value;
		}
		const value = this.baseGet(key);
		if (value === undefined || typeof value !== 'object' || value === null) return value;
		const [draft, finalize] = create(value as object) as unknown as [V, () => V];
		this.slots.set(key, { kind: 'draft', draft, finalize, before: value, removedDuring: false });
		return draft;
	}

	write(key: string, value: V): void {
		const slot = this.slots.get(key);
		let removedDuring = false;
		if (slot?.kind === 'deleted') {
			// A key deleted and written again moves to the end, as it does in a plain object.
			removedDuring = true;
			this.slots.delete(key);
		} else if (slot !== undefined) removedDuring = slot.removedDuring;
		this.slots.set(key, { kind: 'value', value, removedDuring });
	}

	remove(key: string): void {
		if (this.has(key)) this.slots.set(key, { kind: 'deleted' });
	}

	has(key: string): boolean {
		const slot = this.slots.get(key);
		if (slot !== undefined) return slot.kind !== 'deleted';
		return this.baseGet(key) !== undefined;
	}

	keys(): string[] {
		const keys = Object.keys(this.base).filter((k) => {
			const slot = this.slots.get(k);
			return slot === undefined || (slot.kind !== 'deleted' && !slot.removedDuring);
		});
		for (const [k, slot] of this.slots) {
			if (slot.kind === 'deleted') continue;
			if (slot.removedDuring || this.baseGet(k) === undefined) keys.push(k);
		}
		return keys;
	}
}

class TransientHandler<V> implements ProxyHandler<Record<string, V>> {
	constructor(private readonly t: Transient<V>) {}

	get(_target: Record<string, V>, key: string | symbol): unknown {
		if (typeof key === 'string') return this.t.read(key);
		return key === TRANSIENT ? this.t : undefined;
	}

	set(_target: Record<string, V>, key: string | symbol, value: V): boolean {
		if (typeof key !== 'string') return false;
		this.t.write(key, value);
		return true;
	}

	deleteProperty(_target: Record<string, V>, key: string | symbol): boolean {
		if (typeof key === 'string') this.t.remove(key);
		return true;
	}

	has(_target: Record<string, V>, key: string | symbol): boolean {
		return typeof key === 'string' && this.t.has(key);
	}

	ownKeys(): ArrayLike<string | symbol> {
		return this.t.keys();
	}

	getOwnPropertyDescriptor(_target: Record<string, V>, key: string | symbol) {
		if (typeof key !== 'string' || !this.t.has(key)) return undefined;
		return { value: this.t.read(key), writable: true, enumerable: true, configurable: true };
	}

	defineProperty(
		_target: Record<string, V>,
		key: string | symbol,
		descriptor: PropertyDescriptor
	): boolean {
		if (typeof key !== 'string' || !('value' in descriptor)) return false;
		this.t.write(key, descriptor.value as V);
		return true;
	}
}

/** A writable view of `record` for one operation. */
export function transient<V>(record: Record<string, V>): Record<string, V> {
	return new Transient(record).view;
}

/** The transient behind a view made by {@link transient}, if `view` is one. */
function transientOf<V>(view: Record<string, V>): Transient<V> | undefined {
	return (view as { [TRANSIENT]?: Transient<V> })[TRANSIENT];
}

/**
 * Replaces the index `spec` that the committed record will carry, before the commit's changes are applied to it:
 * for an operation that has consumed part of an index (the clock popping its queue).
 */
export function overrideIndex<V, I>(
	view: Record<string, V>,
	spec: IndexSpec<V, I>,
	index: I
): void {
	const t = transientOf(view);
	if (t === undefined) throw new Error(`overrideIndex(${spec.name}) needs a record being changed.`);
	t.overrides.set(spec, index);
}

interface Change<V> {
	key: string;
	before: V | undefined;
	after: V | undefined;
	/** Deleted and written again: the key moves to the end. */
	moved: boolean;
}

/**
 * The record after the view's changes: the base record itself when nothing changed, a plain copy while the
 * record is small, else a new persistent version sharing all unchanged entries with the base. Indexes the base
 * carries are carried forward.
 */
export function commit<V>(view: Record<string, V>): Record<string, V> {
	const t = transientOf(view);
	if (t === undefined) return view;
	const base = t.base;
	const changes: Change<V>[] = [];
	for (const [key, slot] of t.slots) {
		const before = recordGet(base, key);
		if (slot.kind === 'deleted') {
			if (before !== undefined) changes.push({ key, before, after: undefined, moved: false });
		} else if (slot.kind === 'draft') {
			const after = slot.finalize();
			if (after !== before || slot.removedDuring)
				changes.push({ key, before, after, moved: slot.removedDuring && before !== undefined });
		} else if (slot.value !== before || slot.removedDuring) {
			changes.push({
				key,
				before,
				after: slot.value,
				moved: slot.removedDuring && before !== undefined
			});
		}
	}
	if (changes.length === 0 && t.overrides.size === 0) return base;

	const baseState = stateOf(base);
	// A large plain record (a restored or hand-built world) is converted once; its size comes with it.
	const convertedState =
		baseState === undefined ? (converted.get(base) as RecordState<V> | undefined) : undefined;
	let size = baseState?.map.size ?? convertedState?.map.size ?? Object.keys(base).length;
	for (const c of changes) {
		if (c.before === undefined && c.after !== undefined) size++;
		else if (c.before !== undefined && c.after === undefined) size--;
	}
	let next: Record<string, V>;
	if (size < (baseState === undefined ? threshold : threshold / 2)) {
		const plain: Record<string, V> = baseState === undefined ? { ...base } : plainRecord(base);
		for (const c of changes) {
			if (c.after === undefined || c.moved) delete plain[c.key];
			if (c.after !== undefined) plain[c.key] = c.after;
		}
		next = plain;
	} else {
		const state = baseState ?? convertedState ?? stateFromPlain(base);
		let map = state.map;
		let log = state.order.log;
		let logLength = state.order.logLength;
		for (const c of changes) {
			if (c.after === undefined) {
				map = map.delete(c.key);
				log = { key: c.key, added: false, prev: log };
				logLength++;
			} else {
				map = map.set(c.key, c.after);
				if (c.moved) {
					log = { key: c.key, added: false, prev: log };
					logLength++;
				}
				if (c.before === undefined || c.moved) {
					log = { key: c.key, added: true, prev: log };
					logLength++;
				}
			}
		}
		const order: Order = { keys: state.order.keys, log, logLength };
		// Bound the log (an emulator may add and expire tokens for days without listing them).
		if (logLength > Math.max(64, order.keys.length)) materialize(order);
		next = makePersistent({ map, order });
	}

	const carried = indexCache.get(base);
	if (carried !== undefined || t.overrides.size > 0) {
		const out = new Map<IndexSpec<never, unknown>, unknown>();
		const specs = new Set<IndexSpec<never, unknown>>([
			...(carried?.keys() ?? []),
			...(t.overrides.keys() as Iterable<IndexSpec<never, unknown>>)
		]);
		for (const spec of specs) {
			const s = spec as unknown as IndexSpec<V, unknown>;
			let index = t.overrides.has(s) ? t.overrides.get(s) : carried?.get(spec);
			for (const c of changes) index = s.update(index, c.key, c.before, c.after);
			out.set(spec, index);
		}
		indexCache.set(next, out);
	}
	return next;
}
