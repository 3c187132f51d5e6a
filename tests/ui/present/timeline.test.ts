// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { StepTimeline, type StepRun } from '../../../src/ui/present/timeline.ts';

/** A world that is a list of the steps applied; step 3 fails on a world that contains 'x'. */
function timeline(count = 5) {
	const runs: number[] = [];
	const run = (state: string[], n: number): Promise<StepRun<string[]>> => {
		runs.push(n);
		if (n === 3 && state.includes('x'))
			return Promise.resolve({ ok: false, state, error: 'step 3 needs a world without x' });
		return Promise.resolve({ ok: true, state: [...state, `s${n}`] });
	};
	return { t: new StepTimeline<string[]>([], count, run), runs };
}

describe('step timeline', () => {
	it('computes a step from the start once, then restores it from the cache', async () => {
		const { t, runs } = timeline();
		expect(await t.at(3)).toEqual({ ok: true, state: ['s1', 's2', 's3'] });
		expect(runs).toEqual([1, 2, 3]);
		expect(await t.at(2)).toEqual({ ok: true, state: ['s1', 's2'] });
		expect(await t.at(4)).toEqual({ ok: true, state: ['s1', 's2', 's3', 's4'] });
		// Only step 4 was new.
		expect(runs).toEqual([1, 2, 3, 4]);
		expect(t.size).toBe(5);
	});

	it('keeps steps within the walkthrough', async () => {
		const { t } = timeline(2);
		expect((await t.at(9)).state).toEqual(['s1', 's2']);
		expect((await t.at(-3)).state).toEqual([]);
	});

	it('forks when the presenter acts in the past: the future is discarded and recomputed from the fork', async () => {
		const { t, runs } = timeline();
		await t.at(5);
		runs.length = 0;
		t.fork(2, ['s1', 's2', 'typed']);
		expect(t.forkedAt).toBe(2);
		expect(t.cached(3)).toBeUndefined();
		expect(t.cached(5)).toBeUndefined();
		expect(t.cached(1)).toEqual(['s1']);
		expect(await t.at(4)).toEqual({ ok: true, state: ['s1', 's2', 'typed', 's3', 's4'] });
		expect(runs).toEqual([3, 4]);
	});

	it('says which step fails on a forked world', async () => {
		const { t } = timeline();
		t.fork(2, ['x']);
		expect(await t.at(4)).toEqual({
			ok: false,
			state: ['x'],
			failedAt: 3,
			error: 'step 3 needs a world without x'
		});
		expect(t.cached(3)).toBeUndefined();
	});

	it('resets to the walkthrough', async () => {
		const { t } = timeline();
		t.fork(1, ['x']);
		t.reset();
		expect(t.forkedAt).toBeNull();
		expect(t.size).toBe(1);
		expect(await t.at(2)).toEqual({ ok: true, state: ['s1', 's2'] });
	});

	it('records a step run live only next to a kept one', () => {
		const { t } = timeline();
		t.record(3, ['live']);
		expect(t.cached(3)).toBeUndefined();
		t.record(1, ['s1 live']);
		expect(t.cached(1)).toEqual(['s1 live']);
	});
});
