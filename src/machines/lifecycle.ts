/**
 * The bridge between the world and the lifecycle machines. The `…State` functions read, from a world alone,
 * the state each machine should be in, so the lifecycle view can light it; the `…Events` functions turn the
 * change one operation made into the machine events that explain it, so a view can animate the transition;
 * `feedSnapshot` applies them with xstate's pure `transition`. No actors, no timers: the world is the truth
 * and the machines are its vocabulary.
 */
import type {
	AnyMachineSnapshot,
	AnyStateMachine,
	EventFromLogic,
	SnapshotFrom,
	StateValue
} from 'xstate';
import { initialTransition, transition } from 'xstate';
import type { World } from '../core/index.ts';
import {
	IDENTITY_HOST_KINDS,
	RESOURCE_TYPES,
	getResource,
	getUserIdentity,
	idKey,
	isIdentityHost,
	resourcesUsingIdentity,
	scopeProblem
} from '../core/index.ts';
import { assignmentState, principalExists } from '../core/azure/rbac/authorize.ts';
import type { ResourceLifecycleState, ResourceMachineEvent } from './resource.machine.ts';
import type {
	SystemIdentityLifecycleState,
	SystemIdentityMachineEvent
} from './system-identity.machine.ts';
import type {
	UserIdentityLifecycleState,
	UserIdentityMachineEvent
} from './user-identity.machine.ts';
import type {
	RoleAssignmentLifecycleState,
	RoleAssignmentMachineEvent
} from './role-assignment.machine.ts';

const HOST_TYPES: readonly string[] = [
	...new Set(IDENTITY_HOST_KINDS.map((k) => RESOURCE_TYPES[k]))
];
const IDENTITY_TYPE = RESOURCE_TYPES.userAssignedIdentity;

/** The ARM type named by the newest successful delete of this id in the activity log, if any. */
function deletedType(world: World, resourceId: string): string | undefined {
	const key = idKey(resourceId);
	for (let i = world.events.length - 1; i >= 0; i--) {
		const e = world.events[i];
		if (
			e?.kind === 'activity' &&
			e.status === 'Succeeded' &&
			e.operationName.endsWith('/delete') &&
			idKey(e.resourceId) === key
		) {
			return e.operationName.slice(0, -'/delete'.length).toLowerCase();
		}
	}
	return undefined;
}

function isOneOf(type: string, types: readonly string[]): boolean {
	return types.some((t) => t.toLowerCase() === type);
}

/**
 * The state of a resource's lifecycle: `exists` while ARM lists it, `deleted` when the activity log records
 * its deletion, `absent` otherwise. A resource created again under the same id is a new life (`exists`).
 */
export function resourceState(world: World, resourceId: string): ResourceLifecycleState {
	if (getResource(world, resourceId)) return 'exists';
	return deletedType(world, resourceId) === undefined ? 'absent' : 'deleted';
}

/**
 * The state of a resource's system-assigned identity, or undefined when the id names a resource that cannot
 * carry one (a storage account, a key vault…).
 */
export function systemIdentityState(
	world: World,
	resourceId: string
): SystemIdentityLifecycleState | undefined {
	const resource = getResource(world, resourceId);
	if (resource) {
		if (!isIdentityHost(resource)) return undefined;
		return resource.identity.systemAssigned ? 'enabled' : 'disabled';
	}
	const type = deletedType(world, resourceId);
	if (type === undefined) return 'absent';
	return isOneOf(type, HOST_TYPES) ? 'deleted' : undefined;
}

/**
 * The state of a user-assigned identity: `attached` while at least one resource uses it, `unattached` while
 * none does, `deleted` once the activity log records its deletion; undefined when the id names another kind
 * of resource.
 */
export function userIdentityState(
	world: World,
	identityId: string
): UserIdentityLifecycleState | undefined {
	const resource = getResource(world, identityId);
	if (resource) {
		if (resource.kind !== 'userAssignedIdentity') return undefined;
		return resourcesUsingIdentity(world, identityId).length > 0 ? 'attached' : 'unattached';
	}
	const type = deletedType(world, identityId);
	if (type === undefined) return 'absent';
	return isOneOf(type, [IDENTITY_TYPE]) ? 'deleted' : undefined;
}

/** The lower-cased assignment name from a name or a full role assignment id. */
function assignmentKey(nameOrId: string): string {
	return (nameOrId.trim().split('/').pop() ?? '').toLowerCase();
}

function wasCreated(world: World, name: string): boolean {
	const suffix = `/roleassignments/${name}`;
	return world.events.some(
		(e) =>
			e.kind === 'activity' &&
			e.status === 'Succeeded' &&
			e.operationName === 'Microsoft.Authorization/roleAssignments/write' &&
			idKey(e.resourceId).endsWith(suffix)
	);
}

/**
 * The state of a role assignment, by name (GUID) or full id: `pending` before its effective time, `effective`
 * after, `stale` when its principal no longer exists, `removing` while a deletion propagates, `removed` when the
 * activity log shows it was created and it is gone, `absent` when it never existed.
 */
export function roleAssignmentState(world: World, nameOrId: string): RoleAssignmentLifecycleState {
	const name = assignmentKey(nameOrId);
	const assignment = world.roleAssignments[name];
	if (!assignment) return wasCreated(world, name) ? 'removed' : 'absent';
	const state = assignmentState(world, assignment);
	if (state === 'removing' || state === 'removed') return state;
	return principalExists(world, assignment.principalId) ? state : 'stale';
}

/**
 * The events that take a resource's machine from `before` to `after`. Contract for every `…Events` function:
 * `after` is `before` plus one operation, or `before` is an empty world (`createEmptyWorld()`) to start
 * following a subject that already exists.
 */
export function resourceEvents(
	before: World,
	after: World,
	resourceId: string
): ResourceMachineEvent[] {
	const was = getResource(before, resourceId) !== undefined;
	const is = getResource(after, resourceId) !== undefined;
	if (!was && is) return [{ type: 'resource.create' }];
	if (was && !is) return [{ type: 'resource.delete' }];
	return [];
}

/** The events that take a resource's system-assigned identity machine from `before` to `after`. */
export function systemIdentityEvents(
	before: World,
	after: World,
	resourceId: string
): SystemIdentityMachineEvent[] {
	const wasResource = getResource(before, resourceId);
	const isResource = getResource(after, resourceId);
	const was = wasResource && isIdentityHost(wasResource) ? wasResource : undefined;
	const is = isResource && isIdentityHost(isResource) ? isResource : undefined;
	if (was && !is) return [{ type: 'resource.delete' }];
	if (!is) return [];
	const events: SystemIdentityMachineEvent[] = [];
	if (!was) events.push({ type: 'resource.create' });
	const from = was?.identity.systemAssigned?.principalId;
	const to = is.identity.systemAssigned?.principalId;
	if (from !== undefined && from !== to) events.push({ type: 'identity.disable' });
	if (to !== undefined && to !== from) events.push({ type: 'identity.enable' });
	return events;
}

/** The events that take a user-assigned identity's machine from `before` to `after`. */
export function userIdentityEvents(
	before: World,
	after: World,
	identityId: string
): UserIdentityMachineEvent[] {
	const was = getUserIdentity(before, identityId);
	const is = getUserIdentity(after, identityId);
	const events: UserIdentityMachineEvent[] = [];
	if (was && (!is || is.principalId !== was.principalId)) events.push({ type: 'identity.delete' });
	if (!is) return events;
	const newLife = !was || was.principalId !== is.principalId;
	if (newLife) events.push({ type: 'identity.create' });
	const users = newLife ? [] : resourcesUsingIdentity(before, identityId).map((r) => r.id);
	const usersNow = resourcesUsingIdentity(after, identityId).map((r) => r.id);
	const keys = new Set(users.map(idKey));
	const keysNow = new Set(usersNow.map(idKey));
	// Attachments first, so that swapping hosts never passes through `unattached`.
	for (const id of usersNow) {
		if (!keys.has(idKey(id))) events.push({ type: 'identity.assign', resourceId: id });
	}
	for (const id of users) {
		if (keysNow.has(idKey(id))) continue;
		events.push({
			type: getResource(after, id) ? 'identity.unassign' : 'resource.delete',
			resourceId: id
		});
	}
	return events;
}

/** The events that take a role assignment's machine from `before` to `after`. */
export function roleAssignmentEvents(
	before: World,
	after: World,
	nameOrId: string
): RoleAssignmentMachineEvent[] {
	const name = assignmentKey(nameOrId);
	const was = before.roleAssignments[name];
	const is = after.roleAssignments[name];
	const events: RoleAssignmentMachineEvent[] = [];
	if (after.now > before.now)
		events.push({ type: 'clock.advance', seconds: after.now - before.now });
	const lostPrincipal = (principalId: string): boolean =>
		(was === undefined || principalExists(before, principalId)) &&
		!principalExists(after, principalId);
	if (is) {
		if (!was) {
			events.push({
				type: 'assignment.create',
				delaySeconds: Math.max(0, is.effectiveAt - after.now)
			});
		}
		if (is.removedAt === null) {
			if (lostPrincipal(is.principalId)) events.push({ type: 'principal.delete' });
		} else if (!was || was.removedAt === null) {
			events.push({
				type: 'assignment.delete',
				delaySeconds: Math.max(0, is.removedAt - after.now)
			});
		}
		return events;
	}
	if (!was) return events;
	if (was.removedAt !== null && after.now >= was.removedAt) return events;
	if (was.removedAt === null && lostPrincipal(was.principalId))
		events.push({ type: 'principal.delete' });
	events.push(
		scopeProblem(after, was.scope) === null
			? { type: 'assignment.delete', delaySeconds: 0 }
			: { type: 'scope.delete' }
	);
	return events;
}

/** State values are plain JSON (strings and nested records), so equal text means equal state. */
function sameValue(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Feeds events to a machine snapshot with xstate's pure `transition` (no actor, no side effects) and returns
 * the snapshot they lead to; `null` starts from the machine's initial state. A finished life (a deleted
 * resource, a removed assignment) ignores events, except one its initial state accepts: the same id was
 * used again (a resource re-created, an assignment name reused), which starts a new life.
 */
export function feedSnapshot<TMachine extends AnyStateMachine>(
	machine: TMachine,
	snapshot: SnapshotFrom<TMachine> | null,
	events: readonly EventFromLogic<TMachine>[]
): SnapshotFrom<TMachine> {
	const logic: AnyStateMachine = machine;
	let current: AnyMachineSnapshot = snapshot ?? initialTransition(logic)[0];
	for (const event of events) {
		if (current.status === 'done') {
			const [fresh] = initialTransition(logic);
			const [born] = transition(logic, fresh, event);
			if (!sameValue(born.value, fresh.value)) current = born;
		} else {
			[current] = transition(logic, current, event);
		}
	}
	return current as SnapshotFrom<TMachine>;
}

/**
 * Dotted keys of every active state in a state value, parents first (`{ a: 'b' }` → `['a', 'a.b']`): what a
 * lifecycle diagram lights.
 */
export function activeStateKeys(value: StateValue, prefix = ''): string[] {
	if (typeof value === 'string') return [`${prefix}${value}`];
	return Object.entries(value).flatMap(([key, child]) =>
		child === undefined
			? [`${prefix}${key}`]
			: [`${prefix}${key}`, ...activeStateKeys(child, `${prefix}${key}.`)]
	);
}
