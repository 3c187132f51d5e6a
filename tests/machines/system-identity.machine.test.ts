import { describe, it, expect } from 'vitest';
import { createTestModel } from '@xstate/graph';
import type { SnapshotFrom } from 'xstate';
import {
	DEFAULT_GROUP,
	armIdentity,
	createDefaultWorld,
	findInconsistencies,
	getResource,
	getServicePrincipal,
	isIdentityHost,
	type World
} from '../../src/core/index.ts';
import {
	systemIdentityMachine,
	type SystemIdentityMachineEvent
} from '../../src/machines/system-identity.machine.ts';
import { systemIdentityState } from '../../src/machines/lifecycle.ts';
import { expectCoverage, mustApply } from './model-helpers.ts';
import { idOf, systemIdentityOf } from '../fixtures/worlds.ts';

type Snapshot = SnapshotFrom<typeof systemIdentityMachine>;

const VM_NAME = 'vm-lifecycle';
const VM_ID = idOf('virtualMachine', VM_NAME);

/** The system under test: a world, and every principal id the identity has had, oldest first. */
interface Sut {
	world: World;
	principals: string[];
}

function currentPrincipal(world: World): string | undefined {
	return systemIdentityOf(world, VM_ID)?.principalId;
}

function drive(sut: Sut, event: SystemIdentityMachineEvent): void {
	switch (event.type) {
		case 'resource.create':
			sut.world = mustApply(sut.world, {
				type: 'createVirtualMachine',
				resourceGroup: DEFAULT_GROUP,
				name: VM_NAME
			});
			return;
		case 'identity.enable': {
			sut.world = mustApply(sut.world, { type: 'enableSystemIdentity', resourceId: VM_ID });
			const principal = currentPrincipal(sut.world);
			expect(principal, 'enabling gives the resource a principal id').toBeDefined();
			expect(sut.principals, 're-enabling creates a new principal, never an old one').not.toContain(
				principal
			);
			if (principal) sut.principals.push(principal);
			return;
		}
		case 'identity.disable':
			sut.world = mustApply(sut.world, { type: 'disableSystemIdentity', resourceId: VM_ID });
			return;
		case 'resource.delete':
			sut.world = mustApply(sut.world, { type: 'deleteResource', resourceId: VM_ID });
			return;
	}
}

/** The machine is the oracle: the core's world must agree with its state after every step. */
function check(sut: Sut, snapshot: Snapshot): void {
	const { world } = sut;
	expect(systemIdentityState(world, VM_ID)).toBe(snapshot.value);
	expect(findInconsistencies(world)).toEqual([]);
	expect(sut.principals).toHaveLength(snapshot.context.generation);
	const live = sut.principals.filter((id) => getServicePrincipal(world, id) !== undefined);
	expect(snapshot.hasTag('principal')).toBe(live.length === 1);
	const vm = getResource(world, VM_ID);
	switch (snapshot.value) {
		case 'absent':
		case 'deleted':
			expect(vm).toBeUndefined();
			expect(live, 'no service principal outlives its resource').toEqual([]);
			return;
		case 'disabled':
			expect(vm && isIdentityHost(vm)).toBe(true);
			if (vm && isIdentityHost(vm)) {
				expect(vm.identity.systemAssigned).toBeNull();
				expect(armIdentity(world, vm)).toEqual({ type: 'None' });
			}
			expect(live, 'disabling deletes the service principal').toEqual([]);
			return;
		case 'enabled': {
			const newest = sut.principals.at(-1);
			expect(live).toEqual([newest]);
			expect(currentPrincipal(world)).toBe(newest);
			const sp = getServicePrincipal(world, newest ?? '');
			expect(sp?.servicePrincipalType).toBe('ManagedIdentity');
			expect(sp?.displayName).toBe(VM_NAME);
			expect(sp?.alternativeNames).toEqual(['isExplicit=False', VM_ID]);
			if (vm && isIdentityHost(vm)) {
				expect(armIdentity(world, vm)).toMatchObject({
					type: 'SystemAssigned',
					principalId: newest
				});
			}
			return;
		}
	}
}

function runPath(steps: readonly { event: { type: string }; state: Snapshot }[]): Snapshot[] {
	const sut: Sut = { world: createDefaultWorld(), principals: [] };
	const seen: Snapshot[] = [];
	for (const step of steps) {
		if (step.event.type !== 'xstate.init') drive(sut, step.event as SystemIdentityMachineEvent);
		check(sut, step.state);
		seen.push(step.state);
	}
	return seen;
}

// Re-enabling can go on for ever; two generations show that each enable makes a new principal.
const bounded = { stopWhen: (s: Snapshot) => s.context.generation >= 2 };

describe('systemIdentityMachine against the core', () => {
	const model = createTestModel(systemIdentityMachine);
	const shortest = model.getShortestPaths(bounded);
	const simple = model.getSimplePaths(bounded);

	it.each(shortest.map((p) => [p.description, p] as const))('shortest path: %s', (_, path) => {
		runPath(path.steps);
	});

	it.each(simple.map((p) => [p.description, p] as const))('simple path: %s', (_, path) => {
		runPath(path.steps);
	});

	it('reaches every state of the machine and uses every event', () => {
		expectCoverage(
			systemIdentityMachine,
			[...shortest, ...simple],
			['resource.create', 'identity.enable', 'identity.disable', 'resource.delete']
		);
	});

	it('counts a second generation after disable and enable', () => {
		const path = shortest.find(
			(p) => p.state.value === 'enabled' && p.state.context.generation === 2
		);
		expect(path?.steps.map((s) => s.event.type)).toEqual([
			'xstate.init',
			'resource.create',
			'identity.enable',
			'identity.disable',
			'identity.enable'
		]);
	});
});
