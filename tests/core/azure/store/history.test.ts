import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	HISTORY_VIEW_THRESHOLD,
	appendHistory,
	isPersistentHistory
} from '../../../../src/core/azure/store/history.ts';

/** What a history must read as: the newest `max` of everything appended, as a plain array. */
function model(before: readonly number[], added: readonly number[], max: number): number[] {
	return [...before, ...added].slice(-max);
}

function expectSame(history: readonly number[], expected: readonly number[]): void {
	expect(history.length).toBe(expected.length);
	expect(Array.isArray(history)).toBe(true);
	expect([...history]).toEqual(expected);
	expect(JSON.stringify(history)).toBe(JSON.stringify(expected));
	for (let i = 0; i < expected.length; i += 97) expect(history[i]).toBe(expected[i]);
	expect(history[expected.length]).toBeUndefined();
	expect(history.at(-1)).toBe(expected.at(-1));
	expect(history.at(0)).toBe(expected.at(0));
	expect(history.slice(-3)).toEqual(expected.slice(-3));
	expect(history.filter((n) => n % 7 === 0)).toEqual(expected.filter((n) => n % 7 === 0));
	expect(Object.keys(history)).toEqual(Object.keys(expected));
	expect(history).toEqual(expected);
}

describe('appendHistory', () => {
	it('returns the same history when nothing is appended, and plain arrays while short', () => {
		const short = [1, 2, 3];
		expect(appendHistory(short, [], 10)).toBe(short);
		const next = appendHistory(short, [4], 10);
		expect(isPersistentHistory(next)).toBe(false);
		expect(next).toEqual([1, 2, 3, 4]);
		expect(short).toEqual([1, 2, 3]);
	});

	it('reads like the plain array of the newest events, from any earlier version, which never changes', () => {
		const step = fc.record({
			from: fc.nat(),
			count: fc.integer({ min: 1, max: 300 })
		});
		fc.assert(
			fc.property(
				fc.array(step, { minLength: 1, maxLength: 25 }),
				fc.constantFrom(HISTORY_VIEW_THRESHOLD, 700, 2000),
				(steps, max) => {
					let next = 0;
					const versions: { history: number[]; expected: number[] }[] = [
						{ history: [], expected: [] }
					];
					for (const { from, count } of steps) {
						const base = versions[from % versions.length]!;
						const added = Array.from({ length: count }, () => next++);
						const history = appendHistory(base.history, added, max);
						versions.push({ history, expected: model(base.expected, added, max) });
					}
					for (const { history, expected } of versions) expectSame(history, expected);
				}
			),
			{ numRuns: 40 }
		);
	});

	it('keeps a history past the threshold persistent, bounded, and refuses changes in place', () => {
		let history: number[] = [];
		let expected: number[] = [];
		for (let i = 0; i < 5_000; i++) {
			history = appendHistory(history, [i], 1_000);
			expected = model(expected, [i], 1_000);
		}
		expect(isPersistentHistory(history)).toBe(true);
		expectSame(history, expected);
		expect(() => history.push(1)).toThrow(TypeError);
		expect(() => {
			history[0] = 1;
		}).toThrow(TypeError);
		expect(() => history.sort()).toThrow(TypeError);
		expect(history.length).toBe(1_000);
		// A restored (plain) long history is converted once, keeping its newest events.
		const restored = Array.from({ length: 1_500 }, (_, i) => i);
		expectSame(appendHistory(restored, [1_500], 1_000), model(restored, [1_500], 1_000));
	});
});

describe('slice of a persistent history', () => {
	it('gives what Array.prototype.slice gives for any bounds', () => {
		let history: number[] = [];
		for (let i = 0; i < 700; i++) history = appendHistory(history, [i], 600);
		const plain = [...history];
		expect(isPersistentHistory(history)).toBe(true);
		const bounds = [
			undefined,
			0,
			1,
			31,
			32,
			33,
			599,
			600,
			601,
			-1,
			-32,
			-600,
			-700,
			2.5,
			Infinity,
			-Infinity,
			NaN
		];
		for (const from of bounds)
			for (const to of bounds) expect(history.slice(from, to)).toEqual(plain.slice(from, to));
	});
});
