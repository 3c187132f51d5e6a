/** Shared pieces of the model-based tests: apply an operation or fail loudly, check a machine's coverage. */
import { expect } from 'vitest';
import { getStateNodes } from '@xstate/graph';
import type { AnyStateMachine, StateValue } from 'xstate';
import type { Operation, World } from '../../src/core/index.ts';
import { activeStateKeys } from '../../src/machines/lifecycle.ts';
import { apply } from '../fixtures/worlds.ts';

/** Applies an operation the path requires; a refusal means the core disagrees with the model. */
export function mustApply(world: World, operation: Operation): World {
	return apply(world, [operation]);
}

/** Dotted keys of every state node of a machine (`absent`, `created.attached`…). */
export function machineStateKeys(machine: AnyStateMachine): string[] {
	return getStateNodes(machine.root)
		.map((node) => node.path.join('.'))
		.sort();
}

/** Dotted keys of every state the given snapshots were in. */
export function visitedStateKeys(values: Iterable<StateValue>): string[] {
	const keys = new Set<string>();
	for (const value of values) for (const key of activeStateKeys(value)) keys.add(key);
	return [...keys].sort();
}

/** A path of a test model, as far as coverage goes: the event of each step and the state it led to. */
export interface CoveredPath {
	steps: readonly { event: { type: string }; state: { value: StateValue } }[];
}

/** Fails the test unless the paths reach every state of `machine` and send every one of `eventTypes`. */
export function expectCoverage(
	machine: AnyStateMachine,
	paths: readonly CoveredPath[],
	eventTypes: readonly string[] = []
): void {
	const values = paths.flatMap((p) => p.steps.map((s) => s.state.value));
	expect(visitedStateKeys(values)).toEqual(machineStateKeys(machine));
	const used = new Set(paths.flatMap((p) => p.steps.map((s) => s.event.type)));
	for (const type of eventTypes) expect(used).toContain(type);
}
