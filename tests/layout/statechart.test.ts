import { describe, expect, it } from 'vitest';
import {
	STATECHART_SIZES,
	statechartLayout,
	transitionLabel,
	type Chart
} from '../../src/layout/statechart.ts';

const state = (id: string, over: Partial<Chart['states'][number]> = {}) => ({
	id,
	label: id,
	initial: false,
	final: false,
	description: `${id} state`,
	...over
});

const chart: Chart = {
	states: [state('absent', { initial: true }), state('exists'), state('deleted', { final: true })],
	transitions: [
		{ from: 'absent', to: 'exists', event: 'resource.create', guard: null },
		{ from: 'exists', to: 'deleted', event: 'resource.delete', guard: null },
		{ from: 'exists', to: 'deleted', event: 'scope.delete', guard: null },
		{ from: 'exists', to: 'exists', event: 'clock.advance', guard: null }
	]
};

describe('transitionLabel', () => {
	it.each([
		[{ event: 'a.b', guard: null }, 'a.b'],
		[{ event: 'a.b', guard: 'isDue' }, 'a.b [isDue]']
	])('%o → %s', (t, label) => {
		expect(transitionLabel(t)).toBe(label);
	});
});

describe('statechartLayout', () => {
	it('places every state once, top to bottom from the initial state, inside the picture', () => {
		const layout = statechartLayout(chart);
		expect(layout.states.map((s) => s.id)).toEqual(['absent', 'exists', 'deleted']);
		const [absent, exists, deleted] = layout.states;
		expect(absent!.y).toBeLessThan(exists!.y);
		expect(exists!.y).toBeLessThan(deleted!.y);
		for (const s of layout.states) {
			expect(s.x).toBeGreaterThanOrEqual(0);
			expect(s.y).toBeGreaterThanOrEqual(STATECHART_SIZES.initialOffset);
			expect(s.x + s.width).toBeLessThanOrEqual(layout.width);
			expect(s.y + s.height).toBeLessThanOrEqual(layout.height);
			expect(s.height).toBe(STATECHART_SIZES.stateHeight);
			expect(s.width).toBeGreaterThanOrEqual(STATECHART_SIZES.minStateWidth);
		}
	});

	it('merges transitions between the same states into one labelled curve and leaves out self-loops', () => {
		const layout = statechartLayout(chart);
		expect(layout.transitions.map((t) => [t.id, t.label])).toEqual([
			['absent->exists', 'resource.create'],
			['exists->deleted', 'resource.delete / scope.delete']
		]);
		for (const t of layout.transitions) {
			expect(t.path).toMatch(/^M[\d.]+,[\d.]+/);
			expect(t.labelX).toBeGreaterThan(0);
			expect(t.labelY).toBeGreaterThan(0);
		}
	});

	it('keeps guarded alternatives to different targets apart', () => {
		const layout = statechartLayout({
			states: [state('absent', { initial: true }), state('pending'), state('effective')],
			transitions: [
				{ from: 'absent', to: 'effective', event: 'assignment.create', guard: 'isImmediate' },
				{ from: 'absent', to: 'pending', event: 'assignment.create', guard: null },
				{ from: 'pending', to: 'effective', event: 'clock.advance', guard: 'isDue' }
			]
		});
		expect(layout.transitions.map((t) => t.label)).toEqual([
			'assignment.create [isImmediate]',
			'assignment.create',
			'clock.advance [isDue]'
		]);
	});

	it('draws the initial marker above the initial state, and none without one', () => {
		const layout = statechartLayout(chart);
		const absent = layout.states[0]!;
		expect(layout.initial).toMatchObject({
			cx: absent.x + absent.width / 2,
			cy: absent.y - STATECHART_SIZES.initialOffset
		});
		expect(statechartLayout({ states: [state('a')], transitions: [] }).initial).toBeNull();
	});

	it('is deterministic', () => {
		expect(statechartLayout(chart)).toEqual(statechartLayout(chart));
	});

	it('refuses a transition to a state the chart does not have, naming it', () => {
		expect(() =>
			statechartLayout({
				states: [state('a')],
				transitions: [{ from: 'a', to: 'b', event: 'go', guard: null }]
			})
		).toThrow("Transition go goes from 'a' to 'b', but the chart has no such state.");
	});
});
