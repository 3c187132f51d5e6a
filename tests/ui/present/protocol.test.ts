// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
	StateFollower,
	channelName,
	helloMessage,
	instanceId,
	parseMessage,
	stateMessage,
	type PresentState
} from '../../../src/ui/present/protocol.ts';

const state: PresentState = {
	lesson: 'system-assigned',
	step: 2,
	seq: 5,
	clock: { elapsedMs: 61_000, running: true },
	playing: false,
	interval: 20,
	view: 'portal',
	selection: '{"kind":"managedIdentities"}',
	worldHash: '0a1b2c3d',
	forked: false
};

describe('presenter protocol', () => {
	it('accepts the messages it builds', () => {
		const m = stateMessage('abc123', state);
		expect(parseMessage(m)).toEqual(m);
		// A structured clone (what postMessage and BroadcastChannel deliver) reads the same.
		expect(parseMessage(structuredClone(m))).toEqual(m);
		const hello = helloMessage('abc123', 'audience', 'system-assigned');
		expect(parseMessage(hello)).toEqual(hello);
	});

	it.each<[string, unknown]>([
		['null', null],
		['a string', 'next'],
		['another namespace', { ...stateMessage('a', state), ns: 'reveal-notes' }],
		['another version', { ...stateMessage('a', state), v: 2 }],
		['an unknown type', { ...stateMessage('a', state), type: 'command' }],
		['a negative step', stateMessage('a', { ...state, step: -1 })],
		['a fractional step', stateMessage('a', { ...state, step: 1.5 })],
		['a bad lesson id', stateMessage('a', { ...state, lesson: '../etc' })],
		['an unknown view', stateMessage('a', { ...state, view: 'inspector' as 'portal' })],
		['a bad hash', stateMessage('a', { ...state, worldHash: '<script>' })],
		['an extra field', { ...stateMessage('a', state), command: 'reset' }],
		['an extra state field', stateMessage('a', { ...state, eval: 'x' } as PresentState)],
		['a bad sender id', stateMessage('a b', state)],
		['a hello without role', { ...helloMessage('a', 'audience', 'x'), role: 'admin' }],
		['an interval too short', stateMessage('a', { ...state, interval: 1 })]
	])('ignores %s', (_what, data) => {
		expect(parseMessage(data)).toBeNull();
	});

	it('follows states in order and starts again when the presenter reloads', () => {
		const follower = new StateFollower();
		const at = (from: string, seq: number) =>
			stateMessage(from, { ...state, seq }) as ReturnType<typeof stateMessage> & { type: 'state' };
		expect(follower.accept(at('p1', 3))).toBe(true);
		expect(follower.accept(at('p1', 3))).toBe(false);
		expect(follower.accept(at('p1', 2))).toBe(false);
		expect(follower.accept(at('p1', 4))).toBe(true);
		// A reloaded presenter has a new id and counts from 0.
		expect(follower.accept(at('p2', 0))).toBe(true);
	});

	it('keeps one channel per lesson and gives each window its own id', () => {
		expect(channelName('a')).not.toBe(channelName('b'));
		expect(instanceId()).toMatch(/^[a-z0-9]{12}$/);
		expect(instanceId()).not.toBe(instanceId());
	});
});
