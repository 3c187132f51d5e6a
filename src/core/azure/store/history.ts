/**
 * The world's event history without a copy per append. A plain array cannot: a new world's history is a new
 * array, so appending one event to a history of 10,000 copies 10,000 entries (and leaves 40 KB of garbage), on
 * every operation that records anything — every token an emulator serves.
 *
 * - A short history stays a plain array and is copied on append, as before.
 * - Once a history holds {@link HISTORY_VIEW_THRESHOLD} events, appending makes it a *persistent history*: a
 *   read-only Proxy with the array's read shape (`h[i]`, `length`, `Array.isArray`, iteration, every
 *   non-mutating array method, `JSON.stringify`, spreading) over a persistent vector (a 32-way trie with a
 *   tail, as Clojure's), so that appending copies at most a 32-entry tail and one path of the trie, from any
 *   version, and every earlier version stays as it was. Trimming the oldest events moves a start offset; the
 *   vector is rebuilt from the kept events once the dropped ones outnumber them (amortized O(1) per event).
 * - Array methods run on a plain copy made once per version on first use; mutating methods throw.
 */

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

/** Histories of at least this many events become persistent on their next append. */
export const HISTORY_VIEW_THRESHOLD = 512;

type Trie = readonly unknown[];

/** A persistent vector: a trie of full 32-entry leaves and a tail of up to 32 entries. */
interface Vector<T> {
	readonly count: number;
	readonly shift: number;
	readonly root: Trie;
	readonly tail: readonly T[];
}

const EMPTY_VECTOR: Vector<never> = { count: 0, shift: BITS, root: [], tail: [] };

function tailOffset(v: Vector<unknown>): number {
	return v.count < WIDTH ? 0 : ((v.count - 1) >>> BITS) << BITS;
}

function vectorGet<T>(v: Vector<T>, i: number): T {
	if (i >= tailOffset(v)) return v.tail[i & MASK] as T;
	let node: Trie = v.root;
	for (let level = v.shift; level > 0; level -= BITS) node = node[(i >>> level) & MASK] as Trie;
	return node[i & MASK] as T;
}

function newPath(level: number, node: Trie): Trie {
	return level === 0 ? node : [newPath(level - BITS, node)];
}

function pushTail(count: number, level: number, parent: Trie, leaf: Trie): Trie {
	const at = ((count - 1) >>> level) & MASK;
	const copy = parent.slice();
	if (level === BITS) copy[at] = leaf;
	else {
		const child = parent[at] as Trie | undefined;
		copy[at] =
			child === undefined
				? newPath(level - BITS, leaf)
				: pushTail(count, level - BITS, child, leaf);
	}
	return copy;
}

function vectorPush<T>(v: Vector<T>, value: T): Vector<T> {
	if (v.count - tailOffset(v) < WIDTH) {
		const tail = v.tail.slice();
		tail.push(value);
		return { count: v.count + 1, shift: v.shift, root: v.root, tail };
	}
	let root: Trie;
	let shift = v.shift;
	if (v.count >>> BITS > 1 << v.shift) {
		root = [v.root, newPath(v.shift, v.tail)];
		shift += BITS;
	} else root = pushTail(v.count, v.shift, v.root, v.tail);
	return { count: v.count + 1, shift, root, tail: [value] };
}

function vectorFrom<T>(values: Iterable<T>): Vector<T> {
	let v = EMPTY_VECTOR as Vector<T>;
	for (const value of values) v = vectorPush(v, value);
	return v;
}

/** Calls `fn` for entries `from` to `to` (exclusive) in order, a leaf at a time. */
function vectorEach<T>(v: Vector<T>, from: number, to: number, fn: (value: T) => void): void {
	let i = from;
	const tailStart = tailOffset(v);
	while (i < to && i < tailStart) {
		let node: Trie = v.root;
		for (let level = v.shift; level > 0; level -= BITS) node = node[(i >>> level) & MASK] as Trie;
		const end = Math.min(to, (i | MASK) + 1);
		for (; i < end; i++) fn(node[i & MASK] as T);
	}
	for (; i < to; i++) fn(v.tail[i - tailStart] as T);
}

interface HistoryState<T> {
	readonly vector: Vector<T>;
	/** Where the history starts in the vector (the entries before it were trimmed). */
	readonly start: number;
	readonly length: number;
	/** A plain copy for array methods and JSON, made on demand. */
	plain?: T[];
}

const states = new WeakMap<object, HistoryState<unknown>>();

function immutable(): never {
	throw new TypeError(
		'The history of a world cannot be changed in place: worlds change through applyOperation.'
	);
}

const MUTATORS: ReadonlySet<string> = new Set([
	'push',
	'pop',
	'shift',
	'unshift',
	'splice',
	'sort',
	'reverse',
	'fill',
	'copyWithin'
]);

/** The array index a property key names, or -1 (canonical non-negative integers only, as arrays have). */
function indexOf(key: string): number {
	const n = key.length;
	if (n === 0 || n > 9) return -1;
	const first = key.charCodeAt(0);
	if (first === 48) return n === 1 ? 0 : -1;
	let value = 0;
	for (let i = 0; i < n; i++) {
		const c = key.charCodeAt(i) - 48;
		if (c < 0 || c > 9) return -1;
		value = value * 10 + c;
	}
	return value;
}

function plainOf<T>(state: HistoryState<T>): T[] {
	if (state.plain === undefined) {
		const plain: T[] = new Array<T>(state.length);
		let n = 0;
		vectorEach(state.vector, state.start, state.start + state.length, (value) => {
			plain[n++] = value;
		});
		state.plain = plain;
	}
	return state.plain;
}

class HistoryHandler<T> implements ProxyHandler<T[]> {
	constructor(private readonly state: HistoryState<T>) {}

	private at(i: number): T | undefined {
		const s = this.state;
		return i < s.length ? vectorGet(s.vector, s.start + i) : undefined;
	}

	/** `Array.prototype.slice`'s bounds, read from the vector. */
	private slice(from?: number, to?: number): T[] {
		const s = this.state;
		const bound = (n: number | undefined, fallback: number): number => {
			if (n === undefined) return fallback;
			const k = Math.trunc(Number(n)) || 0;
			return k < 0 ? Math.max(0, s.length + k) : Math.min(k, s.length);
		};
		const start = bound(from, 0);
		const end = bound(to, s.length);
		const out: T[] = [];
		if (end > start) vectorEach(s.vector, s.start + start, s.start + end, (v) => out.push(v));
		return out;
	}

	get(target: T[], key: string | symbol, receiver: unknown): unknown {
		if (typeof key === 'string') {
			const i = indexOf(key);
			if (i >= 0) return this.at(i);
			if (key === 'length') return this.state.length;
			// JSON.stringify asks for toJSON first: a plain copy serializes faster than the proxy.
			if (key === 'toJSON') return () => plainOf(this.state);
			if (key === 'at') {
				return (n: number) => {
					const k = Math.trunc(Number(n)) || 0;
					const i = k < 0 ? this.state.length + k : k;
					return i < 0 ? undefined : this.at(i);
				};
			}
			// The newest events (`slice(-n)`, eventsSince) without a plain copy of the whole history.
			if (key === 'slice') return (from?: number, to?: number) => this.slice(from, to);
			if (MUTATORS.has(key)) return immutable;
		}
		const method = Reflect.get(target, key, receiver) as unknown;
		if (typeof method !== 'function' || key === 'constructor') return method;
		// Every other array method (filter, map, slice, some, find, values, [Symbol.iterator], …) on a plain copy.
		const plain = plainOf(this.state);
		return (method as (...args: unknown[]) => unknown).bind(plain);
	}

	has(target: T[], key: string | symbol): boolean {
		if (typeof key === 'string') {
			const i = indexOf(key);
			if (i >= 0) return i < this.state.length;
		}
		return Reflect.has(target, key);
	}

	ownKeys(): ArrayLike<string | symbol> {
		const keys: string[] = new Array<string>(this.state.length + 1);
		for (let i = 0; i < this.state.length; i++) keys[i] = String(i);
		keys[this.state.length] = 'length';
		return keys;
	}

	getOwnPropertyDescriptor(target: T[], key: string | symbol): PropertyDescriptor | undefined {
		if (typeof key !== 'string') return undefined;
		if (key === 'length') {
			// The target's own length is non-configurable; a proxy may report another value for it while writable.
			return { value: this.state.length, writable: true, enumerable: false, configurable: false };
		}
		const i = indexOf(key);
		if (i < 0 || i >= this.state.length) return Reflect.getOwnPropertyDescriptor(target, key);
		return { value: this.at(i), writable: true, enumerable: true, configurable: true };
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

function makeHistory<T>(state: HistoryState<T>): T[] {
	const proxy = new Proxy<T[]>([], new HistoryHandler(state));
	states.set(proxy, state);
	return proxy;
}

/** True for a history kept as a persistent vector behind the array's read shape. */
export function isPersistentHistory(history: object): boolean {
	return states.has(history);
}

/**
 * The history with `events` appended, keeping only the newest `max` (oldest dropped first): `history` itself
 * when `events` is empty; a plain array while short; else a persistent history sharing `history`'s entries.
 * `history` is never changed.
 */
export function appendHistory<T>(history: readonly T[], events: readonly T[], max: number): T[] {
	if (events.length === 0) return history as T[];
	const total = history.length + events.length;
	const state = states.get(history) as HistoryState<T> | undefined;
	if (state === undefined && total < HISTORY_VIEW_THRESHOLD) {
		if (total <= max) return history.concat(events);
		return history.concat(events).slice(total - max);
	}
	// A plain history (a restored world, or one that just reached the threshold) is converted once.
	let vector: Vector<T> =
		state?.vector ??
		vectorFrom(history.length > max ? history.slice(history.length - max) : history);
	const added = events.length > max ? events.slice(events.length - max) : events;
	for (const e of added) vector = vectorPush(vector, e);
	let length = Math.min(max, total);
	let start = vector.count - length;
	if (start >= Math.max(length, WIDTH)) {
		// The dropped events outnumber the kept ones: rebuild from the kept ones so they can be collected.
		const kept: T[] = [];
		vectorEach(vector, start, vector.count, (value) => kept.push(value));
		vector = vectorFrom(kept);
		start = 0;
		length = kept.length;
	}
	return makeHistory({ vector, start, length });
}
