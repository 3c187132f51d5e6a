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
	getUserIdentity,
	idKey,
	isIdentityHost,
	isOrphaned,
	resourcesUsingIdentity,
	type World
} from '../../src/core/index.ts';
import {
	userIdentityMachine,
	type UserIdentityMachineEvent
} from '../../src/machines/user-identity.machine.ts';
import { userIdentityState } from '../../src/machines/lifecycle.ts';
import { expectCoverage, mustApply } from './model-helpers.ts';
import { idOf } from '../fixtures/worlds.ts';

type Snapshot = SnapshotFrom<typeof userIdentityMachine>;

const IDENTITY_NAME = 'id-stock-worker';
const IDENTITY_ID = idOf('userAssignedIdentity', IDENTITY_NAME);
const HOST_NAMES = ['vm-stock-web-1', 'vm-stock-web-2'] as const;
const HOSTS = HOST_NAMES.map((name) => idOf('virtualMachine', name));

function hostIdOf(key: string): string {
	const id = HOSTS.find((h) => idKey(h) === key);
	if (!id) throw new Error(`The model attached the identity to ${key}, which is not a test host.`);
	return id;
}

/**
 * The events the traversal may send: attach to either host, and detach or delete only hosts the identity is
 * on (elsewhere they change nothing in the model).
 */
function eventsFor(snapshot: Snapshot): UserIdentityMachineEvent[] {
	const attached = snapshot.context.attachedTo.map(hostIdOf);
	return [
		{ type: 'identity.create' },
		{ type: 'identity.delete' },
		...HOSTS.map((resourceId) => ({ type: 'identity.assign' as const, resourceId })),
		...attached.map((resourceId) => ({ type: 'identity.unassign' as const, resourceId })),
		...attached.map((resourceId) => ({ type: 'resource.delete' as const, resourceId }))
	];
}

interface Sut {
	world: World;
	/** The identity's principal id, remembered to check that it is deleted with the identity. */
	principalId: string | null;
}

function drive(sut: Sut, event: UserIdentityMachineEvent): void {
	switch (event.type) {
		case 'identity.create': {
			sut.world = mustApply(sut.world, {
				type: 'createUserIdentity',
				resourceGroup: DEFAULT_GROUP,
				name: IDENTITY_NAME
			});
			sut.principalId = getUserIdentity(sut.world, IDENTITY_ID)?.principalId ?? null;
			return;
		}
		case 'identity.assign': {
			if (!getResource(sut.world, event.resourceId)) {
				// A path may attach to a host it deleted earlier: ARM lets you create a resource again under the
				// same id, and the identity meets a new VM that has never used it.
				const name = HOST_NAMES[HOSTS.indexOf(event.resourceId)] ?? '';
				sut.world = mustApply(sut.world, {
					type: 'createVirtualMachine',
					resourceGroup: DEFAULT_GROUP,
					name
				});
			}
			sut.world = mustApply(sut.world, {
				type: 'assignUserIdentity',
				resourceId: event.resourceId,
				identityId: IDENTITY_ID
			});
			return;
		}
		case 'identity.unassign':
			sut.world = mustApply(sut.world, {
				type: 'unassignUserIdentity',
				resourceId: event.resourceId,
				identityId: IDENTITY_ID
			});
			return;
		case 'resource.delete':
			sut.world = mustApply(sut.world, { type: 'deleteResource', resourceId: event.resourceId });
			return;
		case 'identity.delete':
			sut.world = mustApply(sut.world, { type: 'deleteResource', resourceId: IDENTITY_ID });
			return;
	}
}

function check(sut: Sut, snapshot: Snapshot): void {
	const { world } = sut;
	expect(userIdentityState(world, IDENTITY_ID)).toBe(snapshot.value);
	expect(findInconsistencies(world)).toEqual([]);
	const identity = getUserIdentity(world, IDENTITY_ID);
	const principalLives =
		sut.principalId !== null && getServicePrincipal(world, sut.principalId) !== undefined;
	expect(snapshot.hasTag('principal')).toBe(principalLives);
	const users = resourcesUsingIdentity(world, IDENTITY_ID).map((r) => idKey(r.id));
	expect(users.sort()).toEqual([...snapshot.context.attachedTo].sort());
	switch (snapshot.value) {
		case 'absent':
			expect(identity).toBeUndefined();
			return;
		case 'unattached':
			expect(identity?.principalId).toBe(sut.principalId);
			expect(isOrphaned(world, IDENTITY_ID)).toBe(true);
			expect(snapshot.hasTag('orphaned')).toBe(true);
			return;
		case 'attached':
			expect(isOrphaned(world, IDENTITY_ID)).toBe(false);
			expect(snapshot.hasTag('orphaned')).toBe(false);
			for (const key of snapshot.context.attachedTo) {
				const host = getResource(world, key);
				expect(host && isIdentityHost(host)).toBe(true);
				if (host && isIdentityHost(host) && identity) {
					expect(armIdentity(world, host).userAssignedIdentities?.[identity.id]).toEqual({
						principalId: identity.principalId,
						clientId: identity.clientId
					});
				}
			}
			return;
		case 'deleted':
			expect(identity).toBeUndefined();
			expect(principalLives, 'deleting the identity deletes its service principal').toBe(false);
			return;
	}
}

function runPath(steps: readonly { event: { type: string }; state: Snapshot }[]): void {
	const sut: Sut = { world: createDefaultWorld(), principalId: null };
	for (const step of steps) {
		if (step.event.type !== 'xstate.init') drive(sut, step.event as UserIdentityMachineEvent);
		check(sut, step.state);
	}
}

describe('userIdentityMachine against the core', () => {
	const model = createTestModel(userIdentityMachine, { events: eventsFor });
	const shortest = model.getShortestPaths();
	const simple = model.getSimplePaths();

	it.each(shortest.map((p) => [p.description, p] as const))('shortest path: %s', (_, path) => {
		runPath(path.steps);
	});

	it('follows every simple path', () => {
		for (const path of simple) runPath(path.steps);
	});

	it('reaches every state of the machine and uses every event', () => {
		expectCoverage(
			userIdentityMachine,
			[...shortest, ...simple],
			[
				'identity.create',
				'identity.assign',
				'identity.unassign',
				'resource.delete',
				'identity.delete'
			]
		);
	});

	it('goes back to unattached when the last resource using it is deleted, and survives it', () => {
		const path = shortest.find(
			(p) => p.state.value === 'unattached' && p.steps.at(-1)?.event.type === 'resource.delete'
		);
		expect(path).toBeDefined();
		if (path) runPath(path.steps);
	});
});
