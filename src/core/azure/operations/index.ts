/**
 * Every change to the world is one named operation. `applyOperation` validates, applies it to a draft, and
 * returns the new world with the events it caused — or a typed error and the world untouched.
 */
import { create } from 'mutative';
import type { World } from '../model.ts';
import type { WorldEvent } from '../events.ts';
import type { OperationError } from '../errors.ts';
import { opError } from '../errors.ts';
import type { Result } from '../../result.ts';
import { err, ok } from '../../result.ts';
import { commit, transient } from '../store/record.ts';
import {
	appendEvents,
	createContext,
	createRecordContext,
	type OperationContext,
	type WorldDraft
} from './context.ts';
import {
	createKeyVault,
	createResourceGroup,
	createScaleSet,
	createSqlDatabase,
	createSqlServer,
	createStorageAccount,
	createUserIdentity,
	createVirtualMachine,
	createWebSite,
	deleteResource,
	scaleScaleSet
} from './resources.ts';
import {
	assignUserIdentity,
	disableSystemIdentity,
	enableSystemIdentity,
	setResourceIdentity,
	unassignUserIdentity
} from './identities.ts';
import { createRoleAssignment, deleteRoleAssignment } from './role-assignments.ts';
import {
	addSqlRoleMember,
	createContainer,
	createSqlUser,
	putBlob,
	setSecret,
	setSqlAdAdmin
} from './data.ts';
import {
	addSigningKey,
	advanceClock,
	recordServiceCall,
	recordToken,
	removeSigningKey,
	setImdsThrottle,
	setPropagationDelay
} from './system.ts';
import { regenerateStorageKey } from './storage-keys.ts';
import { setReplicationDelay } from './replication.ts';
import {
	addClusterIssuerKey,
	annotateServiceAccount,
	createFederatedCredential,
	deleteFederatedCredential,
	projectServiceAccountToken
} from './federation.ts';
import { connectArcMachine, disconnectArcMachine, writeArcSecret } from './arc.ts';
import { setAppSettings, writeFile } from './config.ts';

const HANDLERS = {
	createResourceGroup,
	createVirtualMachine,
	createScaleSet,
	scaleScaleSet,
	createWebSite,
	createStorageAccount,
	createKeyVault,
	createSqlServer,
	createSqlDatabase,
	createUserIdentity,
	deleteResource,
	enableSystemIdentity,
	disableSystemIdentity,
	assignUserIdentity,
	unassignUserIdentity,
	setResourceIdentity,
	createRoleAssignment,
	deleteRoleAssignment,
	setSecret,
	createContainer,
	putBlob,
	setSqlAdAdmin,
	createSqlUser,
	addSqlRoleMember,
	advanceClock,
	setPropagationDelay,
	setImdsThrottle,
	recordToken,
	recordServiceCall,
	addSigningKey,
	removeSigningKey,
	regenerateStorageKey,
	setReplicationDelay,
	createFederatedCredential,
	deleteFederatedCredential,
	addClusterIssuerKey,
	annotateServiceAccount,
	projectServiceAccountToken,
	connectArcMachine,
	disconnectArcMachine,
	writeArcSecret,
	writeFile,
	setAppSettings
} as const;

/** The names of all operations. */
export type OperationType = keyof typeof HANDLERS;

/** Every operation: `{ type, ...its input }`. */
export type Operation = {
	[K in OperationType]: { type: K } & Parameters<(typeof HANDLERS)[K]>[2];
}[OperationType];

/** The list of operation names, for the UI, the terminal's help and tests. */
export const OPERATION_TYPES = Object.keys(HANDLERS) as OperationType[];

/** A successful operation: the new world and the events it caused. */
export interface Applied {
	world: World;
	events: WorldEvent[];
}

/** Options of applyOperation. */
export interface ApplyOptions {
	/** Who performs it, for the activity log (default: the world's first user, the admin). */
	caller?: string;
}

type Handler = (
	draft: WorldDraft,
	ctx: OperationContext,
	input: never
) => OperationError | void | null;

/** Applies one operation entirely, or not at all. Never throws on bad input. */
export function applyOperation(
	world: World,
	operation: Operation,
	options: ApplyOptions = {}
): Result<Applied, OperationError> {
	if (typeof operation !== 'object' || operation === null || typeof operation.type !== 'string') {
		return err(
			opError(
				'UnknownOperation',
				'An operation is an object with a type, e.g. { type: "enableSystemIdentity", resourceId }.'
			)
		);
	}
	const handler = (HANDLERS as Record<string, Handler>)[operation.type];
	if (!handler || !Object.hasOwn(HANDLERS, operation.type)) {
		return err(
			opError(
				'UnknownOperation',
				`'${operation.type}' is not an operation. Known operations: ${OPERATION_TYPES.join(', ')}.`
			)
		);
	}
	const caller = callerOf(world, options);
	if (recordsOnly(operation)) {
		const recorded = applyRecords(world, [operation], caller);
		if (!recorded.ok) {
			const { code, message, hint } = recorded.error;
			return err(opError(code, message, hint));
		}
		return ok({ world: recorded.value, events: eventsSince(world, recorded.value) });
	}
	let failure: OperationError | null = null;
	let next: World;
	let emitted: WorldEvent[] = [];
	// The large records go into the draft as transients: writes to them cost what they change (store/record.ts).
	const staged: World = {
		...world,
		resources: transient(world.resources),
		roleAssignments: transient(world.roleAssignments),
		tokenCache: transient(world.tokenCache),
		// Assigned, not spread after the copy: `{ ...o, key }` on a small object costs many times more in V8.
		directory: Object.assign({}, world.directory, {
			servicePrincipals: transient(world.directory.servicePrincipals)
		})
	};
	try {
		const drafted = create(staged, (draft) => {
			const ctx = createContext(draft, world, caller);
			const problem = handler(draft, ctx, operation as never);
			if (problem) failure = problem;
			emitted = ctx.emitted;
		});
		// (mutative does not freeze by default: freezing every new world would cost more than the operation)
		if (failure) return err(failure);
		next = settle(
			world,
			staged,
			drafted,
			emitted.length > 0 ? appendEvents(world.events, emitted) : world.events
		);
	} catch (cause) {
		// A handler that throws is a bug; the world stays as it was and the learner gets a readable error.
		return err(
			opError(
				'InvalidInput',
				`The operation '${operation.type}' could not be applied: ${cause instanceof Error ? cause.message : String(cause)}.`
			)
		);
	}
	return ok({ world: next, events: emitted });
}

/**
 * The world after an operation: the draft's result with each transient record committed and the new history
 * (`world` if unchanged), made in one copy of the world's top level.
 */
function settle(world: World, staged: World, drafted: World, events: World['events']): World {
	const resources = commit(staged.resources);
	const roleAssignments = commit(staged.roleAssignments);
	const tokenCache = commit(staged.tokenCache);
	const servicePrincipals = commit(staged.directory.servicePrincipals);
	const directory =
		drafted.directory === staged.directory &&
		servicePrincipals === world.directory.servicePrincipals
			? world.directory
			: Object.assign({}, drafted.directory, { servicePrincipals });
	if (
		drafted === staged &&
		directory === world.directory &&
		resources === world.resources &&
		roleAssignments === world.roleAssignments &&
		tokenCache === world.tokenCache &&
		events === world.events
	) {
		return world;
	}
	return { ...drafted, resources, roleAssignments, tokenCache, directory, events };
}

/** Applies operations in order, stopping at the first refusal (whose index is returned). */
export function applyOperations(
	world: World,
	operations: readonly Operation[],
	options: ApplyOptions = {}
): Result<Applied, OperationError & { index: number }> {
	let current = world;
	let index = 0;
	while (index < operations.length) {
		const operation = operations[index] as Operation;
		if (recordsOnly(operation)) {
			// A run of records (an emulator's batch of cache hits) is appended in one step.
			let end = index + 1;
			while (end < operations.length && recordsOnly(operations[end] as Operation)) end++;
			const recorded = applyRecords(
				current,
				operations.slice(index, end),
				callerOf(current, options)
			);
			if (!recorded.ok) return err({ ...recorded.error, index: index + recorded.error.index });
			current = recorded.value;
			index = end;
			continue;
		}
		const result = applyOperation(current, operation, options);
		if (!result.ok) return err({ ...result.error, index });
		current = result.value.world;
		index++;
	}
	return ok({ world: current, events: eventsSince(world, current) });
}

function callerOf(world: World, options: ApplyOptions): string {
	return options.caller ?? Object.values(world.directory.users)[0]?.userPrincipalName ?? 'unknown';
}

/**
 * Whether an operation only adds an event to the history (a service call, a token served from a cache) and
 * changes nothing else in the world.
 */
export function recordsOnly(operation: Operation): boolean {
	return (
		typeof operation === 'object' &&
		operation !== null &&
		(operation.type === 'recordServiceCall' ||
			(operation.type === 'recordToken' && operation.fromCache === true))
	);
}

/**
 * Operations that only record events, applied without a draft: each is validated by its own handler, their
 * events are appended in one step, and the world is copied once. All or nothing, as every operation.
 */
function applyRecords(
	world: World,
	operations: readonly Operation[],
	caller: string
): Result<World, OperationError & { index: number }> {
	const ctx = createRecordContext(world, caller);
	for (let index = 0; index < operations.length; index++) {
		const operation = operations[index] as Operation;
		const handler = HANDLERS[operation.type] as Handler;
		let problem: OperationError | void | null;
		try {
			// No draft: a record-only handler reads its input and emits; it writes nothing else.
			problem = handler(undefined as never, ctx, operation as never);
		} catch (cause) {
			problem = opError(
				'InvalidInput',
				`The operation '${operation.type}' could not be applied: ${cause instanceof Error ? cause.message : String(cause)}.`
			);
		}
		if (problem) return err({ ...problem, index });
	}
	if (ctx.emitted.length === 0) return ok(world);
	const next = Object.assign({}, world);
	next.events = appendEvents(world.events, ctx.emitted);
	return ok(next);
}

/** The events `after` has that `before` did not (the history may have been trimmed at its start). */
export function eventsSince(before: World, after: World): WorldEvent[] {
	const lastSeq = before.events[before.events.length - 1]?.seq ?? 0;
	const events = after.events;
	let i = events.length;
	while (i > 0 && (events[i - 1]?.seq ?? 0) > lastSeq) i--;
	return events.slice(i);
}
