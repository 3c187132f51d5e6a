/** Shared helpers for the core's world and operation tests: the default world's ids and apply/refuse wrappers. */
import { expect } from 'vitest';
import type {
	IdentityHost,
	Resource,
	ResourceKind,
	ServicePrincipal,
	UserAssignedIdentityResource,
	World
} from '../../../src/core/azure/model.ts';
import type { OperationError } from '../../../src/core/azure/errors.ts';
import type { Applied, ApplyOptions, Operation } from '../../../src/core/azure/operations/index.ts';
import { applyOperation, applyOperations } from '../../../src/core/azure/operations/index.ts';
import {
	DEFAULT_GROUP,
	DEFAULT_IDS,
	createDefaultWorld
} from '../../../src/core/azure/default-world.ts';
import { resourceGroupId, resourceId, subscriptionScope } from '../../../src/core/azure/naming.ts';
import {
	getResource,
	getServicePrincipal,
	isIdentityHost
} from '../../../src/core/azure/queries.ts';

/** The default subscription id. */
export const SUB_ID = DEFAULT_IDS.subscriptionId;
/** The default subscription's scope. */
export const SUB = subscriptionScope(SUB_ID);
/** The ARM id of rg-stock. */
export const RG = resourceGroupId(SUB_ID, DEFAULT_GROUP);
/** Sarah's object id. */
export const SARAH = DEFAULT_IDS.sarahId;
/** Sarah's user principal name: the default caller. */
export const SARAH_UPN = 'sarah@contoso.onmicrosoft.com';
/** The Contoso tenant id. */
export const TENANT = DEFAULT_IDS.tenantId;
/** The tenant root management group's scope. */
export const ROOT_MG = `/providers/Microsoft.Management/managementGroups/${TENANT}`;

/** The ARM id of a resource of the default resource group. */
export function idOf(kind: ResourceKind, name: string, parentName?: string): string {
	return resourceId(SUB_ID, DEFAULT_GROUP, kind, name, parentName);
}

/** ARM ids of the default world's resources and data scopes. */
export const VM_APP = idOf('virtualMachine', 'vm-stock-app');
/** vm-stock-web-1. */
export const VM_WEB_1 = idOf('virtualMachine', 'vm-stock-web-1');
/** kv-stock. */
export const VAULT = idOf('keyVault', 'kv-stock');
/** ststockdata. */
export const STORAGE = idOf('storageAccount', 'ststockdata');
/** sql-stock. */
export const SQL_SERVER = idOf('sqlServer', 'sql-stock');
/** stockdb on sql-stock. */
export const SQL_DB = idOf('sqlDatabase', 'stockdb', 'sql-stock');
/** app-stock-web. */
export const WEB_APP = idOf('webApp', 'app-stock-web');
/** func-stock-import. */
export const FUNC_APP = idOf('functionApp', 'func-stock-import');
/** The quotes container. */
export const CONTAINER = `${STORAGE}/blobServices/default/containers/quotes`;
/** The today.csv blob. */
export const BLOB = `${CONTAINER}/blobs/today.csv`;
/** The db-password secret. */
export const SECRET = `${VAULT}/secrets/db-password`;

/** Role GUIDs used across the tests. */
export const ROLE = {
	owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
	reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
	secretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
	blobReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
} as const;

/** A GUID no directory object has. */
export const NOBODY = '0badc0de-0000-4000-8000-000000000000';

let cached: string | undefined;

/** A fresh copy of the default world (built once per test file, cloned per call). */
export function defaultWorld(): World {
	cached ??= JSON.stringify(createDefaultWorld());
	return JSON.parse(cached) as World;
}

/** Applies an operation that must succeed; a refusal fails the test with its code and message. */
export function run(world: World, operation: Operation, options?: ApplyOptions): Applied {
	const result = applyOperation(world, operation, options);
	if (!result.ok)
		throw new Error(`${operation.type} refused: ${result.error.code}: ${result.error.message}`);
	return result.value;
}

/** Applies operations that must all succeed and returns the final world. */
export function runAll(
	world: World,
	operations: readonly Operation[],
	options?: ApplyOptions
): World {
	const result = applyOperations(world, operations, options);
	if (!result.ok) {
		throw new Error(
			`operation ${result.error.index} refused: ${result.error.code}: ${result.error.message}`
		);
	}
	return result.value.world;
}

/**
 * Applies an operation that must be refused, checks that it left the world exactly as it was, and returns the
 * error. Operations take anything at run time (a terminal or a saved lesson can send any JSON), hence `unknown`.
 */
export function refuse(world: World, operation: unknown, options?: ApplyOptions): OperationError {
	const before = structuredClone(world);
	const result = applyOperation(world, operation as Operation, options);
	expect(result.ok).toBe(false);
	expect(world).toEqual(before);
	if (result.ok) throw new Error('unreachable: the operation was applied');
	expect(result.error.message.length).toBeGreaterThan(0);
	// A thrown handler surfaces as "could not be applied": a bug, never an answer to bad input.
	expect(result.error.message).not.toMatch(/\[object Object\]|could not be applied/);
	return result.error;
}

/** The resource with this id; fails the test when it does not exist. */
export function resource(world: World, id: string): Resource {
	const r = getResource(world, id);
	if (!r) throw new Error(`no resource ${id}`);
	return r;
}

/** The identity host with this id; fails the test when it is missing or cannot carry identities. */
export function host(world: World, id: string): IdentityHost {
	const r = resource(world, id);
	if (!isIdentityHost(r)) throw new Error(`${id} is a ${r.kind}, not an identity host`);
	return r;
}

/** The user-assigned identity with this id; fails the test when missing. */
export function uami(world: World, id: string): UserAssignedIdentityResource {
	const r = resource(world, id);
	if (r.kind !== 'userAssignedIdentity') throw new Error(`${id} is a ${r.kind}`);
	return r;
}

/** The service principal with this object id; fails the test when missing. */
export function principal(world: World, id: string): ServicePrincipal {
	const sp = getServicePrincipal(world, id);
	if (!sp) throw new Error(`no service principal ${id}`);
	return sp;
}

/** The principal id of a host's system-assigned identity; fails the test when it has none. */
export function systemPrincipalId(world: World, id: string): string {
	const system = host(world, id).identity.systemAssigned;
	if (!system) throw new Error(`${id} has no system-assigned identity`);
	return system.principalId;
}

/** The default world plus a user-assigned identity `name` in rg-stock; returns the world and its id. */
export function withIdentity(world: World, name: string): { world: World; id: string } {
	const next = run(world, { type: 'createUserIdentity', resourceGroup: DEFAULT_GROUP, name }).world;
	return { world: next, id: idOf('userAssignedIdentity', name) };
}

/** The role assignments of a world whose principal is `principalId`. */
export function assignmentsOf(world: World, principalId: string) {
	return Object.values(world.roleAssignments).filter((a) => a.principalId === principalId);
}
