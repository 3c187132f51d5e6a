/** Shared pieces of the model-based tests: apply an operation or fail loudly, list a machine's states. */
import { getStateNodes } from '@xstate/graph';
import type { AnyStateMachine, StateValue } from 'xstate';
import { applyOperation, type Operation, type World } from '../../src/core/index.ts';
import { activeStateKeys } from '../../src/machines/lifecycle.ts';

/** Applies an operation the path requires; a refusal means the core disagrees with the model. */
export function mustApply(world: World, operation: Operation): World {
	const result = applyOperation(world, operation);
	if (!result.ok) {
		throw new Error(
			`The core refused ${operation.type} (${result.error.code}): ${result.error.message}`
		);
	}
	return result.value.world;
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
