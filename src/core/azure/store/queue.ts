/**
 * A persistent priority queue of (time, key) entries (a leftist heap): what the clock must settle, soonest first.
 * Entries are never removed out of order; whoever pops checks that the entry still applies (lazy deletion).
 */

/** A queue node; `null` is the empty queue. */
export interface TimeQueue {
	readonly at: number;
	readonly key: string;
	readonly rank: number;
	readonly left: TimeQueue | null;
	readonly right: TimeQueue | null;
}

function before(a: TimeQueue, b: TimeQueue): boolean {
	return a.at < b.at || (a.at === b.at && a.key < b.key);
}

function rank(q: TimeQueue | null): number {
	return q === null ? 0 : q.rank;
}

function merge(a: TimeQueue | null, b: TimeQueue | null): TimeQueue | null {
	if (a === null) return b;
	if (b === null) return a;
	if (before(b, a)) [a, b] = [b, a];
	const merged = merge(a.right, b);
	const [left, right] = rank(a.left) >= rank(merged) ? [a.left, merged] : [merged, a.left];
	return { at: a.at, key: a.key, rank: rank(right) + 1, left, right };
}

/** The queue with (at, key) added. */
export function enqueue(queue: TimeQueue | null, at: number, key: string): TimeQueue {
	return merge(queue, { at, key, rank: 1, left: null, right: null }) as TimeQueue;
}

/** The queue without its first entry. */
export function dequeue(queue: TimeQueue): TimeQueue | null {
	return merge(queue.left, queue.right);
}

/** How many entries the queue holds (for tests; walks the whole queue). */
export function queueSize(queue: TimeQueue | null): number {
	return queue === null ? 0 : 1 + queueSize(queue.left) + queueSize(queue.right);
}
