/** Helpers for the core's world and operation tests: the shared worlds (tests/fixtures/worlds.ts), more default-world ids, and apply/refuse wrappers. */
import { expect } from 'vitest';
import type {
	Resource,
	ServicePrincipal,
	UserAssignedIdentityResource,
	World
} from '../../../src/core/azure/model.ts';
import type { OperationError } from '../../../src/core/azure/errors.ts';
import type { Applied, ApplyOptions, Operation } from '../../../src/core/azure/operations/index.ts';
import { applyOperation } from '../../../src/core/azure/operations/index.ts';
import {
	DEFAULT_GROUP,
	DEFAULT_IDS,
	createDefaultWorld
} from '../../../src/core/azure/default-world.ts';
import { getResource, getServicePrincipal } from '../../../src/core/azure/queries.ts';
import { STORAGE, TENANT, VAULT, idOf } from '../../fixtures/worlds.ts';

export * from '../../fixtures/worlds.ts';
export { apply as runAll } from '../../fixtures/worlds.ts';

/** The default subscription id. */
export const SUB_ID = DEFAULT_IDS.subscriptionId;
/** Sarah's object id. */
export const SARAH = DEFAULT_IDS.sarahId;
/** Sarah's user principal name: the default caller. */
export const SARAH_UPN = 'sarah@contoso.onmicrosoft.com';
/** The tenant root management group's scope. */
export const ROOT_MG = `/providers/Microsoft.Management/managementGroups/${TENANT}`;

/** vm-stock-web-1. */
export const VM_WEB_1 = idOf('virtualMachine', 'vm-stock-web-1');
/** func-stock-import. */
export const FUNC_APP = idOf('functionApp', 'func-stock-import');
/** id-stock, the user-assigned identity the tests create. */
export const UAMI = idOf('userAssignedIdentity', 'id-stock');
/** vmss-web, the scale set the tests create. */
export const VMSS = idOf('virtualMachineScaleSet', 'vmss-web');
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

/** The default world plus a user-assigned identity `name` in rg-stock; returns the world and its id. */
export function withIdentity(world: World, name: string): { world: World; id: string } {
	const next = run(world, { type: 'createUserIdentity', resourceGroup: DEFAULT_GROUP, name }).world;
	return { world: next, id: idOf('userAssignedIdentity', name) };
}

/** The default world plus an empty resource group rg-other, for names that must be unique beyond a group. */
export function withOtherGroup(): World {
	return run(defaultWorld(), {
		type: 'createResourceGroup',
		name: 'rg-other',
		location: 'westeurope'
	}).world;
}

/** The role assignments of a world whose principal is `principalId`. */
export function assignmentsOf(world: World, principalId: string) {
	return Object.values(world.roleAssignments).filter((a) => a.principalId === principalId);
}
