import { describe, it, expect } from 'vitest';
import { createTestModel } from '@xstate/graph';
import type { SnapshotFrom } from 'xstate';
import {
	armRoleAssignment,
	createDefaultWorld,
	findInconsistencies,
	getResource,
	type World
} from '../../src/core/index.ts';
import { authorize, principalExists } from '../../src/core/azure/rbac/authorize.ts';
import {
	roleAssignmentMachine,
	type RoleAssignmentMachineEvent
} from '../../src/machines/role-assignment.machine.ts';
import { roleAssignmentState } from '../../src/machines/lifecycle.ts';
import { expectCoverage, mustApply } from './model-helpers.ts';
import { enableSystem, idOf, systemPrincipalId } from '../fixtures/worlds.ts';

type Snapshot = SnapshotFrom<typeof roleAssignmentMachine>;

const APP_VM = idOf('virtualMachine', 'vm-stock-app');
const VAULT = idOf('keyVault', 'kv-stock');
const SECRET = `${VAULT}/secrets/db-password`;
const GET_SECRET = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';
const NAME = '0a55e7a1-0000-4000-8000-00000000a551';
const DELAY = 300;

/** Delays of 0 (applies at once) and 300 s; advances that end a wait (300) and ones that do not (120). */
const EVENTS: RoleAssignmentMachineEvent[] = [
	{ type: 'assignment.create', delaySeconds: 0 },
	{ type: 'assignment.create', delaySeconds: DELAY },
	{ type: 'assignment.delete', delaySeconds: 0 },
	{ type: 'assignment.delete', delaySeconds: DELAY },
	{ type: 'clock.advance', seconds: 120 },
	{ type: 'clock.advance', seconds: DELAY }
];

interface Sut {
	world: World;
	/** The principal the assignment names: the system-assigned identity of vm-stock-app. */
	principalId: string;
}

/** A default world where vm-stock-app has its system-assigned identity (the principal to grant). */
function start(): Sut {
	const world = enableSystem(createDefaultWorld(), APP_VM);
	return { world, principalId: systemPrincipalId(world, APP_VM) };
}

function drive(sut: Sut, event: RoleAssignmentMachineEvent): void {
	switch (event.type) {
		case 'assignment.create':
			sut.world = mustApply(sut.world, {
				type: 'setPropagationDelay',
				seconds: event.delaySeconds
			});
			sut.world = mustApply(sut.world, {
				type: 'createRoleAssignment',
				role: 'Key Vault Secrets User',
				scope: VAULT,
				principalId: sut.principalId,
				principalType: 'ServicePrincipal',
				name: NAME
			});
			return;
		case 'assignment.delete':
			sut.world = mustApply(sut.world, {
				type: 'setPropagationDelay',
				seconds: event.delaySeconds
			});
			sut.world = mustApply(sut.world, { type: 'deleteRoleAssignment', id: NAME });
			return;
		case 'clock.advance':
			sut.world = mustApply(sut.world, { type: 'advanceClock', seconds: event.seconds });
			return;
		case 'principal.delete':
			// Turning the identity off deletes its service principal; the assignment stays behind.
			sut.world = mustApply(sut.world, { type: 'disableSystemIdentity', resourceId: APP_VM });
			return;
		case 'scope.delete':
			sut.world = mustApply(sut.world, { type: 'deleteResource', resourceId: VAULT });
			return;
	}
}

function check(sut: Sut, snapshot: Snapshot): void {
	const { world } = sut;
	expect(roleAssignmentState(world, NAME)).toBe(snapshot.value);
	expect(findInconsistencies(world)).toEqual([]);
	const record = world.roleAssignments[NAME];
	const busy = snapshot.value === 'pending' || snapshot.value === 'removing';
	expect(snapshot.hasTag('busy')).toBe(busy);
	expect(snapshot.hasTag('stale')).toBe(snapshot.value === 'stale');
	const decision = () => authorize(world, sut.principalId, GET_SECRET, SECRET, 'data');
	switch (snapshot.value) {
		case 'absent':
		case 'removed':
			expect(record).toBeUndefined();
			if (getResource(world, VAULT)) expect(decision().allowed).toBe(false);
			return;
		case 'pending':
			expect(record?.removedAt).toBeNull();
			expect(principalExists(world, sut.principalId)).toBe(true);
			expect((record?.effectiveAt ?? 0) - world.now).toBe(snapshot.context.secondsLeft);
			expect(decision().allowed).toBe(false);
			expect(decision().pending.map((p) => p.assignment.name)).toEqual([NAME]);
			return;
		case 'effective':
			expect(record?.removedAt).toBeNull();
			expect(principalExists(world, sut.principalId)).toBe(true);
			expect(decision().allowed).toBe(true);
			expect(decision().grantedBy?.name).toBe(NAME);
			return;
		case 'stale': {
			expect(record?.removedAt).toBeNull();
			expect(principalExists(world, sut.principalId)).toBe(false);
			const shown = record ? armRoleAssignment(world, record) : undefined;
			// ARM keeps the stored principalType; only the portal says Unknown (reference 4.4).
			expect(shown?.properties).toMatchObject({
				principalType: 'ServicePrincipal',
				principalName: ''
			});
			return;
		}
		case 'removing':
			expect(record?.removedAt).not.toBeNull();
			expect((record?.removedAt ?? 0) - world.now).toBe(snapshot.context.secondsLeft);
			expect(snapshot.context.secondsLeft).toBeGreaterThan(0);
			// Access it gave lasts until the removal propagates (if it had taken effect at all).
			expect(decision().allowed).toBe(world.now >= (record?.effectiveAt ?? Infinity));
			return;
	}
}

function runPath(steps: readonly { event: { type: string }; state: Snapshot }[]): void {
	const sut = start();
	for (const step of steps) {
		if (step.event.type !== 'xstate.init') drive(sut, step.event as RoleAssignmentMachineEvent);
		check(sut, step.state);
	}
}

describe('roleAssignmentMachine against the core', () => {
	const model = createTestModel(roleAssignmentMachine, { events: EVENTS });
	const shortest = model.getShortestPaths();
	const simple = model.getSimplePaths();

	it.each(shortest.map((p) => [p.description, p] as const))('shortest path: %s', (_, path) => {
		runPath(path.steps);
	});

	it('follows every simple path', () => {
		expect(simple.length).toBeGreaterThan(0);
		for (const path of simple) runPath(path.steps);
	});

	it('reaches every state of the machine and uses every event', () => {
		expectCoverage(
			roleAssignmentMachine,
			[...shortest, ...simple],
			[
				'assignment.create',
				'assignment.delete',
				'clock.advance',
				'principal.delete',
				'scope.delete'
			]
		);
	});

	it('stays pending while less time than the delay has passed', () => {
		const path = shortest.find((p) =>
			p.steps.some((s) => s.state.value === 'pending' && s.state.context.secondsLeft === 60)
		);
		expect(path?.steps.slice(0, 4).map((s) => s.event)).toEqual([
			{ type: 'xstate.init' },
			{ type: 'assignment.create', delaySeconds: DELAY },
			{ type: 'clock.advance', seconds: 120 },
			{ type: 'clock.advance', seconds: 120 }
		]);
		if (path) runPath(path.steps);
	});

	it('lets a stale assignment be deleted', () => {
		const path = shortest.find((p) =>
			p.steps.some((s, i) => s.state.value === 'removed' && p.steps[i - 1]?.state.value === 'stale')
		);
		expect(path).toBeDefined();
		if (path) runPath(path.steps);
	});
});
