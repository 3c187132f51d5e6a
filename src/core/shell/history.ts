/**
 * The shell's history, bounded as bash bounds it (HISTSIZE): the last {@link HISTSIZE} lines are kept and
 * numbered as bash numbers them, counting on past the lines that were dropped. Adding a line does not copy
 * the list: states share one append-only store and each sees its own window of it, so a long session costs
 * the same per line as a short one. A state that adds to an older window (not the newest) gets its own copy.
 */

/** How many lines the history keeps (bash's default HISTSIZE). */
export const HISTSIZE = 1000;

/** A window `[start, end)` of a shared, append-only store of lines. Treat as opaque; read with the functions. */
export interface ShellHistory {
	readonly store: string[];
	readonly start: number;
	readonly end: number;
	/** The number of the line at `start` (1 for the first line typed). */
	readonly firstNumber: number;
}

/** An empty history. */
export function emptyHistory(): ShellHistory {
	return { store: [], start: 0, end: 0, firstNumber: 1 };
}

/** The history with `line` added, dropping the oldest line beyond {@link HISTSIZE}. */
export function addToHistory(history: ShellHistory, line: string): ShellHistory {
	let { store, start, end } = history;
	if (end !== store.length) {
		store = store.slice(start, end);
		end -= start;
		start = 0;
	}
	store.push(line);
	end++;
	const dropped = Math.max(0, end - start - HISTSIZE);
	start += dropped;
	if (start >= HISTSIZE) {
		// Drop the store's dead prefix once it is as long as the history itself: amortized O(1) per line.
		store = store.slice(start, end);
		end -= start;
		start = 0;
	}
	return { store, start, end, firstNumber: history.firstNumber + dropped };
}

/** The lines, oldest first, with their numbers. */
export function historyEntries(history: ShellHistory): { n: number; line: string }[] {
	return history.store
		.slice(history.start, history.end)
		.map((line, i) => ({ n: history.firstNumber + i, line }));
}

/** The lines, oldest first. */
export function historyLines(history: ShellHistory): string[] {
	return history.store.slice(history.start, history.end);
}
