import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { AnyStateMachine, EventFromLogic, SnapshotFrom, StateValue } from 'xstate';
import {
	DEFAULT_GROUP,
	DEFAULT_IDS,
	applyOperation,
	createDefaultWorld,
	createEmptyWorld,
	getUserIdentity,
	resourceGroupId,
	type Operation,
	type World
} from '../../src/core/index.ts';
import { resourceMachine } from '../../src/machines/resource.machine.ts';
import { systemIdentityMachine } from '../../src/machines/system-identity.machine.ts';
import { userIdentityMachine } from '../../src/machines/user-identity.machine.ts';
import { roleAssignmentMachine } from '../../src/machines/role-assignment.machine.ts';
import {
	activeStateKeys,
	feedSnapshot,
	resourceEvents,
	resourceState,
	roleAssignmentEvents,
	roleAssignmentState,
	systemIdentityEvents,
	systemIdentityState,
	userIdentityEvents,
	userIdentityState
} from '../../src/machines/lifecycle.ts';
import { mustApply } from './model-helpers.ts';
import { enableSystem, idOf, systemIdentityOf } from '../fixtures/worlds.ts';

const SUB = DEFAULT_IDS.subscriptionId;
const rg = DEFAULT_GROUP;
const APP_VM = idOf('virtualMachine', 'vm-stock-app');
const WEB_VM = idOf('virtualMachine', 'vm-stock-web-1');
const WEB_APP = idOf('webApp', 'app-stock-web');
const VAULT = idOf('keyVault', 'kv-stock');
const WORKER = idOf('userAssignedIdentity', 'id-worker');
const R_VAULT = '0a55e7a1-0000-4000-8000-0000000000a1';
const R_GROUP = '0a55e7a1-0000-4000-8000-0000000000a2';
const R_WEB = '0a55e7a1-0000-4000-8000-0000000000a3';

function systemPrincipal(world: World, host: string): string {
	return systemIdentityOf(world, host)?.principalId ?? '';
}

describe('the state derived from a world', () => {
	const world = createDefaultWorld();

	it('names absent ids absent and other kinds of resource undefined', () => {
		expect(resourceState(world, APP_VM)).toBe('exists');
		expect(resourceState(world, WORKER)).toBe('absent');
		expect(systemIdentityState(world, APP_VM)).toBe('disabled');
		expect(systemIdentityState(world, VAULT)).toBeUndefined();
		expect(systemIdentityState(world, WORKER)).toBe('absent');
		expect(userIdentityState(world, WORKER)).toBe('absent');
		expect(userIdentityState(world, VAULT)).toBeUndefined();
		expect(roleAssignmentState(world, R_VAULT)).toBe('absent');
	});

	it('reads deletions from the activity log, and ARM ids in any case', () => {
		let w = mustApply(world, { type: 'deleteResource', resourceId: VAULT });
		w = mustApply(w, { type: 'deleteResource', resourceId: APP_VM });
		expect(resourceState(w, VAULT.toUpperCase())).toBe('deleted');
		expect(systemIdentityState(w, VAULT)).toBeUndefined();
		expect(systemIdentityState(w, APP_VM)).toBe('deleted');
		expect(userIdentityState(w, APP_VM)).toBeUndefined();
		w = mustApply(w, { type: 'createVirtualMachine', resourceGroup: rg, name: 'vm-stock-app' });
		expect(resourceState(w, APP_VM)).toBe('exists');
		expect(systemIdentityState(w, APP_VM)).toBe('disabled');
	});

	it('finds a role assignment by name or by full id, and knows a removed one from one that never was', () => {
		let w = mustApply(world, { type: 'setPropagationDelay', seconds: 0 });
		w = mustApply(w, {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: VAULT,
			principalId: DEFAULT_IDS.sarahId,
			name: R_VAULT
		});
		const id = w.roleAssignments[R_VAULT]?.id ?? '';
		expect(roleAssignmentState(w, id)).toBe('effective');
		expect(roleAssignmentState(w, R_VAULT.toUpperCase())).toBe('effective');
		w = mustApply(w, { type: 'deleteRoleAssignment', id });
		expect(roleAssignmentState(w, R_VAULT)).toBe('removed');
		expect(roleAssignmentState(w, R_GROUP)).toBe('absent');
	});
});

describe('activeStateKeys', () => {
	it('lists a flat state and every level of a nested one, parents first', () => {
		expect(activeStateKeys('pending')).toEqual(['pending']);
		expect(activeStateKeys({ created: 'attached' })).toEqual(['created', 'created.attached']);
		expect(activeStateKeys({ a: { b: 'c' }, d: 'e' })).toEqual(['a', 'a.b', 'a.b.c', 'd', 'd.e']);
	});
});

describe('feedSnapshot', () => {
	it('starts from the initial state and applies events in order', () => {
		const s = feedSnapshot(roleAssignmentMachine, null, [
			{ type: 'assignment.create', delaySeconds: 300 },
			{ type: 'clock.advance', seconds: 100 }
		]);
		expect(s.value).toBe('pending');
		expect(s.context.secondsLeft).toBe(200);
	});

	it('ignores events after the end of a life, except the one that starts a new life under the same id', () => {
		const removed = feedSnapshot(roleAssignmentMachine, null, [
			{ type: 'assignment.create', delaySeconds: 0 },
			{ type: 'assignment.delete', delaySeconds: 0 }
		]);
		expect(removed.status).toBe('done');
		expect(
			feedSnapshot(roleAssignmentMachine, removed, [{ type: 'clock.advance', seconds: 60 }]).value
		).toBe('removed');
		const reborn = feedSnapshot(roleAssignmentMachine, removed, [
			{ type: 'assignment.create', delaySeconds: 60 }
		]);
		expect(reborn.value).toBe('pending');
		expect(reborn.context.secondsLeft).toBe(60);
	});

	it('gives a re-created resource a fresh system identity', () => {
		const gone = feedSnapshot(systemIdentityMachine, null, [
			{ type: 'resource.create' },
			{ type: 'identity.enable' },
			{ type: 'resource.delete' }
		]);
		expect(gone.value).toBe('deleted');
		const again = feedSnapshot(systemIdentityMachine, gone, [{ type: 'resource.create' }]);
		expect(again.value).toBe('disabled');
		expect(again.context.generation).toBe(0);
	});
});

describe('the events one operation causes', () => {
	it('explains a resource deletion to every machine that follows it', () => {
		let before = enableSystem(createDefaultWorld(), APP_VM);
		before = mustApply(before, {
			type: 'createUserIdentity',
			resourceGroup: rg,
			name: 'id-worker'
		});
		before = mustApply(before, {
			type: 'assignUserIdentity',
			resourceId: APP_VM,
			identityId: WORKER
		});
		before = mustApply(before, {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: APP_VM,
			principalId: systemPrincipal(before, APP_VM),
			name: R_WEB
		});
		const after = mustApply(before, { type: 'deleteResource', resourceId: APP_VM });
		expect(resourceEvents(before, after, APP_VM)).toEqual([{ type: 'resource.delete' }]);
		expect(systemIdentityEvents(before, after, APP_VM)).toEqual([{ type: 'resource.delete' }]);
		expect(userIdentityEvents(before, after, WORKER)).toEqual([
			{ type: 'resource.delete', resourceId: APP_VM }
		]);
		// The assignment's principal and its scope went in the same operation.
		expect(roleAssignmentEvents(before, after, R_WEB)).toEqual([
			{ type: 'principal.delete' },
			{ type: 'scope.delete' }
		]);
	});

	it('starts following an existing subject from an empty world', () => {
		let world = enableSystem(createDefaultWorld(), APP_VM);
		world = mustApply(world, {
			type: 'createRoleAssignment',
			role: 'Key Vault Secrets User',
			scope: VAULT,
			principalId: systemPrincipal(world, APP_VM),
			name: R_VAULT
		});
		world = mustApply(world, { type: 'advanceClock', seconds: 100 });
		const empty = createEmptyWorld();
		const identity = feedSnapshot(
			systemIdentityMachine,
			null,
			systemIdentityEvents(empty, world, APP_VM)
		);
		expect(identity.value).toBe('enabled');
		const assignment = feedSnapshot(
			roleAssignmentMachine,
			null,
			roleAssignmentEvents(empty, world, R_VAULT)
		);
		expect(assignment.value).toBe('pending');
		expect(assignment.context.secondsLeft).toBe(200);
	});
});

/** One step of a random story, built against the world it applies to (principal ids change as it goes). */
type Step = (world: World) => Operation;

/** A GUID no directory object has: granting it is refused, as for a principal that is gone. */
const NO_PRINCIPAL = '00000000-0000-4000-8000-000000000000';

const assign =
	(scope: string, principal: (w: World) => string, name: string, role: string): Step =>
	(w) => ({
		type: 'createRoleAssignment',
		role,
		scope,
		principalId: principal(w) || NO_PRINCIPAL,
		name
	});

const STEPS: Record<string, Step> = {
	enableAppVm: () => ({ type: 'enableSystemIdentity', resourceId: APP_VM }),
	disableAppVm: () => ({ type: 'disableSystemIdentity', resourceId: APP_VM }),
	enableWebApp: () => ({ type: 'enableSystemIdentity', resourceId: WEB_APP }),
	disableWebApp: () => ({ type: 'disableSystemIdentity', resourceId: WEB_APP }),
	deleteAppVm: () => ({ type: 'deleteResource', resourceId: APP_VM }),
	createAppVm: () => ({
		type: 'createVirtualMachine',
		resourceGroup: rg,
		name: 'vm-stock-app',
		identity: { systemAssigned: true }
	}),
	deleteWebVm: () => ({ type: 'deleteResource', resourceId: WEB_VM }),
	createWebVm: () => ({ type: 'createVirtualMachine', resourceGroup: rg, name: 'vm-stock-web-1' }),
	deleteVault: () => ({ type: 'deleteResource', resourceId: VAULT }),
	createVault: () => ({ type: 'createKeyVault', resourceGroup: rg, name: 'kv-stock' }),
	createWorker: () => ({ type: 'createUserIdentity', resourceGroup: rg, name: 'id-worker' }),
	deleteWorker: () => ({ type: 'deleteResource', resourceId: WORKER }),
	attachWorkerToAppVm: () => ({
		type: 'assignUserIdentity',
		resourceId: APP_VM,
		identityId: WORKER
	}),
	attachWorkerToWebVm: () => ({
		type: 'assignUserIdentity',
		resourceId: WEB_VM,
		identityId: WORKER
	}),
	detachWorkerFromAppVm: () => ({
		type: 'unassignUserIdentity',
		resourceId: APP_VM,
		identityId: WORKER
	}),
	detachWorkerFromWebVm: () => ({
		type: 'unassignUserIdentity',
		resourceId: WEB_VM,
		identityId: WORKER
	}),
	grantAppVmOnVault: assign(
		VAULT,
		(w) => systemPrincipal(w, APP_VM),
		R_VAULT,
		'Key Vault Secrets User'
	),
	grantWorkerOnGroup: assign(
		resourceGroupId(SUB, rg),
		(w) => getUserIdentity(w, WORKER)?.principalId ?? '',
		R_GROUP,
		'Reader'
	),
	grantWebAppOnWebVm: assign(WEB_VM, (w) => systemPrincipal(w, WEB_APP), R_WEB, 'Reader'),
	revokeVault: () => ({ type: 'deleteRoleAssignment', id: R_VAULT }),
	revokeGroup: () => ({ type: 'deleteRoleAssignment', id: R_GROUP }),
	revokeWeb: () => ({ type: 'deleteRoleAssignment', id: R_WEB }),
	wait60: () => ({ type: 'advanceClock', seconds: 60 }),
	wait300: () => ({ type: 'advanceClock', seconds: 300 }),
	instantPropagation: () => ({ type: 'setPropagationDelay', seconds: 0 }),
	slowPropagation: () => ({ type: 'setPropagationDelay', seconds: 300 })
};

/** A subject followed through the story: its machine, how to derive its state, how to explain a change. */
interface Follower<TMachine extends AnyStateMachine> {
	label: string;
	machine: TMachine;
	derive: (world: World) => StateValue | undefined;
	explain: (before: World, after: World) => EventFromLogic<TMachine>[];
}

interface Followed {
	label: string;
	snapshot: () => StateValue;
	derive: (world: World) => StateValue | undefined;
	step: (before: World, after: World) => void;
}

function follow<TMachine extends AnyStateMachine>(f: Follower<TMachine>, start: World): Followed {
	let snapshot: SnapshotFrom<TMachine> = feedSnapshot(
		f.machine,
		null,
		f.explain(createEmptyWorld(), start)
	);
	const valueOf = (): StateValue => (snapshot as { value: StateValue }).value;
	return {
		label: f.label,
		snapshot: valueOf,
		derive: f.derive,
		step: (before, after) => {
			snapshot = feedSnapshot(f.machine, snapshot, f.explain(before, after));
		}
	};
}

function followers(start: World): Followed[] {
	const list: Followed[] = [];
	for (const id of [APP_VM, WEB_VM, VAULT, WORKER]) {
		list.push(
			follow(
				{
					label: `resource ${id}`,
					machine: resourceMachine,
					derive: (w) => resourceState(w, id),
					explain: (b, a) => resourceEvents(b, a, id)
				},
				start
			)
		);
	}
	for (const id of [APP_VM, WEB_APP]) {
		list.push(
			follow(
				{
					label: `system identity of ${id}`,
					machine: systemIdentityMachine,
					derive: (w) => systemIdentityState(w, id),
					explain: (b, a) => systemIdentityEvents(b, a, id)
				},
				start
			)
		);
	}
	list.push(
		follow(
			{
				label: 'user identity id-worker',
				machine: userIdentityMachine,
				derive: (w) => userIdentityState(w, WORKER),
				explain: (b, a) => userIdentityEvents(b, a, WORKER)
			},
			start
		)
	);
	for (const name of [R_VAULT, R_GROUP, R_WEB]) {
		list.push(
			follow(
				{
					label: `role assignment ${name}`,
					machine: roleAssignmentMachine,
					derive: (w) => roleAssignmentState(w, name),
					explain: (b, a) => roleAssignmentEvents(b, a, name)
				},
				start
			)
		);
	}
	return list;
}

describe('machines fed the events of each operation agree with the state derived from the world', () => {
	it('holds for random stories on the default world', () => {
		const seen = new Set<string>();
		fc.assert(
			fc.property(
				fc.array(fc.constantFrom(...Object.keys(STEPS)), {
					minLength: 5,
					maxLength: 40,
					size: 'max'
				}),
				(story) => {
					let world = createDefaultWorld();
					const followed = followers(world);
					for (const f of followed) expect(f.snapshot(), f.label).toEqual(f.derive(world));
					for (const name of story) {
						const make = STEPS[name];
						if (!make) throw new Error(`No step named ${name}.`);
						const result = applyOperation(world, make(world));
						if (!result.ok) continue;
						const next = result.value.world;
						for (const f of followed) {
							f.step(world, next);
							expect(f.snapshot(), `${f.label} after ${name}`).toEqual(f.derive(next));
							seen.add(`${f.label.split(' ')[0] ?? ''}:${JSON.stringify(f.snapshot())}`);
						}
						world = next;
					}
				}
			),
			{ numRuns: 300, seed: 20260302 }
		);
		// The stories must have walked the lifecycles, not just bounced off refusals.
		const expected = [
			...['pending', 'effective', 'stale', 'removing', 'removed'].map((v) => `role:"${v}"`),
			...['unattached', 'attached', 'deleted'].map((v) => `user:"${v}"`),
			...['disabled', 'enabled', 'deleted'].map((v) => `system:"${v}"`),
			...['exists', 'deleted'].map((v) => `resource:"${v}"`)
		];
		for (const key of expected) expect(seen).toContain(key);
	});
});
