/**
 * A persistent (immutable, structurally shared) hash map from strings to values: a hash array mapped trie.
 * Setting or removing a key copies only the nodes on its path (about log32 n small arrays), so a world's large
 * records and indexes change in time and memory proportional to the change, not to their size.
 */

interface Leaf<V> {
	readonly t: 0;
	readonly h: number;
	readonly k: string;
	readonly v: V;
}

interface Branch<V> {
	readonly t: 1;
	readonly bitmap: number;
	readonly kids: readonly Node<V>[];
}

interface Collision<V> {
	readonly t: 2;
	readonly h: number;
	readonly leaves: readonly Leaf<V>[];
}

type Node<V> = Leaf<V> | Branch<V> | Collision<V>;

/** FNV-1a over the UTF-16 code units: cheap, and spreads ARM ids and GUIDs well. */
function hashOf(key: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < key.length; i++) {
		h ^= key.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

function popcount(x: number): number {
	x -= (x >>> 1) & 0x55555555;
	x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
	x = (x + (x >>> 4)) & 0x0f0f0f0f;
	return Math.imul(x, 0x01010101) >>> 24;
}

function nodeHash<V>(node: Leaf<V> | Collision<V>): number {
	return node.h;
}

/** A branch holding two nodes whose hashes differ, split at `shift` or deeper. */
function merge<V>(shift: number, a: Leaf<V> | Collision<V>, b: Leaf<V>): Branch<V> {
	const ia = (nodeHash(a) >>> shift) & 31;
	const ib = (b.h >>> shift) & 31;
	if (ia === ib) return { t: 1, bitmap: 1 << ia, kids: [merge(shift + 5, a, b)] };
	return {
		t: 1,
		bitmap: (1 << ia) | (1 << ib),
		kids: ia < ib ? [a, b] : [b, a]
	};
}

function insert<V>(node: Node<V>, shift: number, leaf: Leaf<V>, added: { n: number }): Node<V> {
	if (node.t === 1) {
		const bit = 1 << ((leaf.h >>> shift) & 31);
		const idx = popcount(node.bitmap & (bit - 1));
		if ((node.bitmap & bit) === 0) {
			added.n = 1;
			const kids = node.kids.slice();
			kids.splice(idx, 0, leaf);
			return { t: 1, bitmap: node.bitmap | bit, kids };
		}
		const child = node.kids[idx] as Node<V>;
		const next = insert(child, shift + 5, leaf, added);
		if (next === child) return node;
		const kids = node.kids.slice();
		kids[idx] = next;
		return { t: 1, bitmap: node.bitmap, kids };
	}
	if (node.t === 0) {
		if (node.k === leaf.k) return node.v === leaf.v ? node : leaf;
		added.n = 1;
		if (node.h === leaf.h) return { t: 2, h: node.h, leaves: [node, leaf] };
		return merge(shift, node, leaf);
	}
	if (node.h === leaf.h) {
		const i = node.leaves.findIndex((l) => l.k === leaf.k);
		if (i >= 0 && node.leaves[i]?.v === leaf.v) return node;
		const leaves = node.leaves.slice();
		if (i >= 0) leaves[i] = leaf;
		else {
			added.n = 1;
			leaves.push(leaf);
		}
		return { t: 2, h: node.h, leaves };
	}
	added.n = 1;
	return merge(shift, node, leaf);
}

function remove<V>(
	node: Node<V>,
	shift: number,
	h: number,
	key: string,
	removed: { n: number }
): Node<V> | null {
	if (node.t === 1) {
		const bit = 1 << ((h >>> shift) & 31);
		if ((node.bitmap & bit) === 0) return node;
		const idx = popcount(node.bitmap & (bit - 1));
		const child = node.kids[idx] as Node<V>;
		const next = remove(child, shift + 5, h, key, removed);
		if (next === child) return node;
		if (next === null) {
			if (node.kids.length === 1) return null;
			const kids = node.kids.slice();
			kids.splice(idx, 1);
			const only = kids[0];
			// A lone leaf needs no branch above it (lookups compare the key at the leaf); keep the root a branch.
			if (kids.length === 1 && only !== undefined && only.t !== 1 && shift > 0) return only;
			return { t: 1, bitmap: node.bitmap & ~bit, kids };
		}
		const kids = node.kids.slice();
		kids[idx] = next;
		if (kids.length === 1 && next.t !== 1 && shift > 0) return next;
		return { t: 1, bitmap: node.bitmap, kids };
	}
	if (node.t === 0) {
		if (node.k !== key) return node;
		removed.n = 1;
		return null;
	}
	const i = node.leaves.findIndex((l) => l.k === key);
	if (i < 0) return node;
	removed.n = 1;
	const leaves = node.leaves.filter((_, j) => j !== i);
	return leaves.length === 1 ? (leaves[0] as Leaf<V>) : { t: 2, h: node.h, leaves };
}

function each<V>(node: Node<V>, fn: (key: string, value: V) => void): void {
	if (node.t === 0) fn(node.k, node.v);
	else if (node.t === 1) for (const kid of node.kids) each(kid, fn);
	else for (const leaf of node.leaves) fn(leaf.k, leaf.v);
}

const EMPTY_ROOT: Branch<never> = { t: 1, bitmap: 0, kids: [] };

/** An immutable map from strings to values; every change returns a new map and leaves this one as it was. */
export class PMap<V> {
	private constructor(
		private readonly root: Branch<V>,
		/** How many keys the map holds. */
		readonly size: number
	) {}

	/** The empty map. */
	static empty<V>(): PMap<V> {
		return new PMap<V>(EMPTY_ROOT, 0);
	}

	/** A map of these entries (later duplicates win). */
	static from<V>(entries: Iterable<readonly [string, V]>): PMap<V> {
		let map = PMap.empty<V>();
		for (const [k, v] of entries) map = map.set(k, v);
		return map;
	}

	/** The value under `key`, or undefined. */
	get(key: string): V | undefined {
		const h = hashOf(key);
		let node: Node<V> = this.root;
		let shift = 0;
		for (;;) {
			if (node.t === 1) {
				const bit = 1 << ((h >>> shift) & 31);
				if ((node.bitmap & bit) === 0) return undefined;
				node = node.kids[popcount(node.bitmap & (bit - 1))] as Node<V>;
				shift += 5;
			} else if (node.t === 0) {
				return node.k === key ? node.v : undefined;
			} else {
				for (const leaf of node.leaves) if (leaf.k === key) return leaf.v;
				return undefined;
			}
		}
	}

	/** True when the map holds `key`. */
	has(key: string): boolean {
		return this.get(key) !== undefined;
	}

	/** The map with `key` set to `value` (this map when it already holds exactly that). */
	set(key: string, value: V): PMap<V> {
		const added = { n: 0 };
		const root = insert(this.root, 0, { t: 0, h: hashOf(key), k: key, v: value }, added);
		return root === this.root ? this : new PMap(root as Branch<V>, this.size + added.n);
	}

	/** The map without `key` (this map when it does not hold it). */
	delete(key: string): PMap<V> {
		const removed = { n: 0 };
		const root = remove(this.root, 0, hashOf(key), key, removed);
		if (root === this.root) return this;
		return new PMap((root ?? EMPTY_ROOT) as Branch<V>, this.size - removed.n);
	}

	/** Calls `fn` for every entry, in hash order. */
	forEach(fn: (key: string, value: V) => void): void {
		each(this.root, fn);
	}
}
