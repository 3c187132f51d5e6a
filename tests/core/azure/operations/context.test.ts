import { describe, expect, it } from 'vitest';
import { MAX_EVENTS, appendEvents } from '../../../../src/core/azure/operations/context.ts';
import {
	applyOperation,
	applyOperations,
	eventsSince,
	findInconsistencies,
	type WorldEvent
} from '../../../../src/core/index.ts';
import { DEFAULT_START } from '../../../../src/core/clock.ts';
import { defaultWorld } from '../helpers.ts';

function clockEvents(from: number, count: number): WorldEvent[] {
	return Array.from({ length: count }, (_, i) => ({
		kind: 'clock' as const,
		seq: from + i,
		at: DEFAULT_START,
		from: DEFAULT_START,
		to: DEFAULT_START
	}));
}

describe('appendEvents', () => {
	it('returns the same history when nothing was emitted', () => {
		const history = clockEvents(1, 3);
		expect(appendEvents(history, [])).toBe(history);
	});

	it('keeps only the newest MAX_EVENTS, oldest dropped first', () => {
		const history = clockEvents(1, MAX_EVENTS);
		const next = appendEvents(history, clockEvents(MAX_EVENTS + 1, 2));
		expect(next).toHaveLength(MAX_EVENTS);
		expect(next[0]?.seq).toBe(3);
		expect(next.at(-1)?.seq).toBe(MAX_EVENTS + 2);
		expect(history).toHaveLength(MAX_EVENTS);
	});
});

describe('a world whose history is full', () => {
	it('goes on numbering events, stays consistent, and reports only the new events', () => {
		const full = { ...defaultWorld(), events: clockEvents(1, MAX_EVENTS) };
		const applied = applyOperation(full, { type: 'advanceClock', seconds: 60 });
		if (!applied.ok) throw new Error(applied.error.message);
		const { world, events } = applied.value;
		expect(world.events).toHaveLength(MAX_EVENTS);
		expect(events.map((e) => e.seq)).toEqual([MAX_EVENTS + 1]);
		expect(world.events.at(-1)).toEqual(events[0]);
		expect(findInconsistencies(world)).toEqual([]);

		const more = applyOperations(world, [
			{ type: 'advanceClock', seconds: 1 },
			{ type: 'advanceClock', seconds: 1 }
		]);
		if (!more.ok) throw new Error(more.error.message);
		expect(more.value.events.map((e) => e.seq)).toEqual([MAX_EVENTS + 2, MAX_EVENTS + 3]);
		expect(eventsSince(world, more.value.world)).toEqual(more.value.events);
	});
});
