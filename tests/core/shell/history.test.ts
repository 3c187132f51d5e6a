import { describe, expect, it } from 'vitest';
import {
	HISTSIZE,
	addToHistory,
	emptyHistory,
	historyEntries,
	historyLines
} from '../../../src/core/shell/history.ts';

describe('shell history', () => {
	it('keeps the last HISTSIZE lines, numbered from the first line typed', () => {
		let h = emptyHistory();
		for (let i = 1; i <= 3 * HISTSIZE + 7; i++) {
			h = addToHistory(h, `line ${i}`);
			// The shared store never holds more than twice the history: old lines are really let go.
			expect(h.store.length).toBeLessThanOrEqual(2 * HISTSIZE);
		}
		const entries = historyEntries(h);
		expect(entries).toHaveLength(HISTSIZE);
		expect(entries[0]).toEqual({ n: 2 * HISTSIZE + 8, line: `line ${2 * HISTSIZE + 8}` });
		expect(entries.at(-1)).toEqual({ n: 3 * HISTSIZE + 7, line: `line ${3 * HISTSIZE + 7}` });
	});

	it('is a value: an older state does not see later lines, and a branch from it gets its own', () => {
		const a = addToHistory(addToHistory(emptyHistory(), 'one'), 'two');
		const b = addToHistory(a, 'three');
		const branch = addToHistory(a, 'other');
		expect(historyLines(a)).toEqual(['one', 'two']);
		expect(historyLines(b)).toEqual(['one', 'two', 'three']);
		expect(historyLines(branch)).toEqual(['one', 'two', 'other']);
		expect(historyLines(addToHistory(b, 'four'))).toEqual(['one', 'two', 'three', 'four']);
		expect(historyLines(b)).toEqual(['one', 'two', 'three']);
	});

	it('shares the store when the newest state adds a line (no copy per line)', () => {
		const a = addToHistory(emptyHistory(), 'one');
		expect(addToHistory(a, 'two').store).toBe(a.store);
	});
});
