import { describe, expect, it } from 'vitest';
import type { ActivityEvent, DirectoryAuditEvent } from '../../../../src/core/azure/events.ts';
import type { World } from '../../../../src/core/azure/model.ts';
import { armIdentity } from '../../../../src/core/azure/arm-view.ts';
import {
	DEFAULT_IDS,
	MICROSOFT_SERVICES_TENANT
} from '../../../../src/core/azure/default-world.ts';
import { findInconsistencies } from '../../../../src/core/azure/invariants.ts';
import { isOrphaned, resourcesUsingIdentity } from '../../../../src/core/azure/queries.ts';
import { applyOperation } from '../../../../src/core/azure/operations/index.ts';
import { isGuid } from '../../../../src/core/ids.ts';
import {
	FUNC_APP,
	SQL_DB,
	STORAGE,
	VAULT,
	VMSS,
	VM_APP,
	VM_WEB_1,
	WEB_APP,
	defaultWorld,
	enableSystem,
	host,
	idOf,
	principal,
	refuse,
	run,
	runAll,
	systemPrincipalId,
	uami,
	withIdentity
} from '../helpers.ts';

/** The default world with two user-assigned identities, both attached to vm-stock-app. */
function withTwoIdentities(): { world: World; a: string; b: string } {
	const { world: w1, id: a } = withIdentity(defaultWorld(), 'id-stock-a');
	const { world: w2, id: b } = withIdentity(w1, 'id-stock-b');
	const world = runAll(w2, [
		{ type: 'assignUserIdentity', resourceId: VM_APP, identityId: a },
		{ type: 'assignUserIdentity', resourceId: VM_APP, identityId: b }
	]);
	return { world, a, b };
}

function managedPrincipals(world: World) {
	return Object.values(world.directory.servicePrincipals).filter(
		(sp) => sp.servicePrincipalType === 'ManagedIdentity'
	);
}

describe('enableSystemIdentity', () => {
	it('asks Entra ID for a ManagedIdentity service principal named after the resource', () => {
		const before = defaultWorld();
		const { world, events } = run(before, { type: 'enableSystemIdentity', resourceId: VM_APP });
		const vm = host(world, VM_APP);
		const system = vm.identity.systemAssigned;
		if (!system) throw new Error('not enabled');
		expect(isGuid(system.principalId) && isGuid(system.clientId)).toBe(true);
		expect(system.tenantId).toBe(DEFAULT_IDS.tenantId);
		expect(principal(world, system.principalId)).toMatchObject({
			id: system.principalId,
			appId: system.clientId,
			displayName: 'vm-stock-app',
			servicePrincipalType: 'ManagedIdentity',
			appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT,
			alternativeNames: ['isExplicit=False', VM_APP],
			managedIdentityResourceId: VM_APP,
			accountEnabled: true,
			createdAt: world.now
		});
		expect(world.directory.applications).toEqual(before.directory.applications);
		expect(armIdentity(world, vm)).toEqual({
			type: 'SystemAssigned',
			principalId: system.principalId,
			tenantId: DEFAULT_IDS.tenantId
		});
		const [audit, write] = events as [DirectoryAuditEvent, ActivityEvent];
		expect(audit).toMatchObject({
			kind: 'directoryAudit',
			activity: 'Add service principal',
			initiatedBy: 'Managed Service Identity',
			targetId: system.principalId
		});
		expect(write).toMatchObject({
			kind: 'activity',
			operationName: 'Microsoft.Compute/virtualMachines/write',
			resourceId: VM_APP,
			caller: 'sarah@contoso.onmicrosoft.com'
		});
		expect(events.map((e) => e.seq)).toEqual([1, 2]);
	});

	it('is a no-op when the identity is already on: same principal, no events, the same world', () => {
		const { world } = run(defaultWorld(), { type: 'enableSystemIdentity', resourceId: VM_APP });
		const again = run(world, { type: 'enableSystemIdentity', resourceId: VM_APP.toUpperCase() });
		expect(again.events).toEqual([]);
		expect(again.world).toEqual(world);
		expect(managedPrincipals(again.world)).toHaveLength(1);
	});

	it('keeps the user-assigned identities (Compute writes the combined type with a space)', () => {
		const { world: w1, a, b } = withTwoIdentities();
		const { world } = run(w1, { type: 'enableSystemIdentity', resourceId: VM_APP });
		const vm = host(world, VM_APP);
		expect(vm.identity.userAssigned).toEqual([a, b]);
		const view = armIdentity(world, vm);
		expect(view.type).toBe('SystemAssigned, UserAssigned');
		expect(Object.keys(view.userAssignedIdentities ?? {})).toEqual([a, b]);
	});

	it('keeps the user-assigned identities of a web app (App Service writes no space)', () => {
		const { world: w1, id } = withIdentity(defaultWorld(), 'id-web');
		const world = runAll(w1, [
			{ type: 'assignUserIdentity', resourceId: WEB_APP, identityId: id },
			{ type: 'enableSystemIdentity', resourceId: WEB_APP },
			{ type: 'assignUserIdentity', resourceId: FUNC_APP, identityId: id },
			{ type: 'enableSystemIdentity', resourceId: FUNC_APP }
		]);
		expect(armIdentity(world, host(world, WEB_APP)).type).toBe('SystemAssigned,UserAssigned');
		expect(armIdentity(world, host(world, FUNC_APP)).type).toBe('SystemAssigned,UserAssigned');
		expect(principal(world, systemPrincipalId(world, WEB_APP)).displayName).toBe('app-stock-web');
		expect(principal(world, systemPrincipalId(world, FUNC_APP)).alternativeNames).toEqual([
			'isExplicit=False',
			FUNC_APP
		]);
	});

	it('works on a scale set', () => {
		const { world: w1, id } = withIdentity(defaultWorld(), 'id-vmss');
		const world = runAll(w1, [
			{
				type: 'createScaleSet',
				resourceGroup: 'rg-stock',
				name: 'vmss-web',
				identity: { userAssigned: [id] }
			},
			{ type: 'enableSystemIdentity', resourceId: VMSS }
		]);
		expect(armIdentity(world, host(world, VMSS)).type).toBe('SystemAssigned, UserAssigned');
	});

	it('gives each resource its own principal, even after a disable and re-enable', () => {
		const w1 = runAll(defaultWorld(), [
			{ type: 'enableSystemIdentity', resourceId: VM_APP },
			{ type: 'enableSystemIdentity', resourceId: VM_WEB_1 }
		]);
		const first = systemPrincipalId(w1, VM_APP);
		expect(first).not.toBe(systemPrincipalId(w1, VM_WEB_1));
		const w2 = runAll(w1, [
			{ type: 'disableSystemIdentity', resourceId: VM_APP },
			{ type: 'enableSystemIdentity', resourceId: VM_APP }
		]);
		expect(systemPrincipalId(w2, VM_APP)).not.toBe(first);
		expect(w2.directory.servicePrincipals[first]).toBeUndefined();
	});

	it.each([VAULT, STORAGE, SQL_DB])(
		'refuses %s, which cannot carry a managed identity',
		(resourceId) => {
			const error = refuse(defaultWorld(), { type: 'enableSystemIdentity', resourceId });
			expect(error.code).toBe('UnsupportedResourceType');
			expect(error.message).toMatch(/virtual machines, scale sets, web apps and function apps/);
		}
	);

	it('refuses a user-assigned identity as the host', () => {
		const { world, id } = withIdentity(defaultWorld(), 'id-stock');
		expect(refuse(world, { type: 'enableSystemIdentity', resourceId: id }).code).toBe(
			'UnsupportedResourceType'
		);
	});

	it.each([
		'',
		'vm-stock-app',
		'constructor',
		'__proto__',
		'toString',
		null,
		`${VM_APP}/extensions/x`
	])('refuses %j with ResourceNotFound', (resourceId) => {
		expect(refuse(defaultWorld(), { type: 'enableSystemIdentity', resourceId }).code).toBe(
			'ResourceNotFound'
		);
	});
});

describe('disableSystemIdentity', () => {
	it('deletes the service principal (Hard delete service principal, by Managed Service Identity)', () => {
		const w1 = enableSystem(defaultWorld(), WEB_APP);
		const principalId = systemPrincipalId(w1, WEB_APP);
		const { world, events } = run(w1, { type: 'disableSystemIdentity', resourceId: WEB_APP });
		expect(host(world, WEB_APP).identity.systemAssigned).toBeNull();
		expect(world.directory.servicePrincipals[principalId]).toBeUndefined();
		expect(armIdentity(world, host(world, WEB_APP))).toEqual({ type: 'None' });
		expect(events).toEqual([
			expect.objectContaining({
				kind: 'directoryAudit',
				activity: 'Hard delete service principal',
				initiatedBy: 'Managed Service Identity',
				initiatedById: DEFAULT_IDS.msiFirstPartyId,
				targetId: principalId,
				targetDisplayName: 'app-stock-web'
			}),
			expect.objectContaining({
				kind: 'activity',
				operationName: 'Microsoft.Web/sites/write',
				resourceId: WEB_APP
			})
		]);
	});

	it('keeps the user-assigned identities', () => {
		const { world: w1, a, b } = withTwoIdentities();
		const world = runAll(w1, [
			{ type: 'enableSystemIdentity', resourceId: VM_APP },
			{ type: 'disableSystemIdentity', resourceId: VM_APP }
		]);
		expect(armIdentity(world, host(world, VM_APP)).type).toBe('UserAssigned');
		expect(host(world, VM_APP).identity.userAssigned).toEqual([a, b]);
		expect(
			managedPrincipals(world)
				.map((sp) => sp.displayName)
				.sort()
		).toEqual(['id-stock-a', 'id-stock-b']);
	});

	it('is a no-op when the identity is off', () => {
		const world = defaultWorld();
		const result = run(world, { type: 'disableSystemIdentity', resourceId: VM_APP });
		expect(result.events).toEqual([]);
		expect(result.world).toEqual(world);
	});

	it('refuses what is not an identity host', () => {
		expect(refuse(defaultWorld(), { type: 'disableSystemIdentity', resourceId: VAULT }).code).toBe(
			'UnsupportedResourceType'
		);
		expect(refuse(defaultWorld(), { type: 'disableSystemIdentity', resourceId: 'nope' }).code).toBe(
			'ResourceNotFound'
		);
	});
});

describe('assignUserIdentity', () => {
	it('attaches identities in order, with ARM casing, and ARM shows their ids', () => {
		const { world, a, b } = withTwoIdentities();
		const vm = host(world, VM_APP);
		expect(vm.identity.userAssigned).toEqual([a, b]);
		const view = armIdentity(world, vm);
		expect(view).toEqual({
			type: 'UserAssigned',
			userAssignedIdentities: {
				[a]: { principalId: uami(world, a).principalId, clientId: uami(world, a).clientId },
				[b]: { principalId: uami(world, b).principalId, clientId: uami(world, b).clientId }
			}
		});
		expect(isOrphaned(world, a)).toBe(false);
	});

	it('lets one identity serve many resources, and attaching twice is a no-op', () => {
		const { world: w1, id } = withIdentity(defaultWorld(), 'id-shared');
		const w2 = runAll(w1, [
			{ type: 'assignUserIdentity', resourceId: VM_APP, identityId: id },
			{ type: 'assignUserIdentity', resourceId: WEB_APP, identityId: id.toLowerCase() }
		]);
		expect(
			resourcesUsingIdentity(w2, id)
				.map((r) => r.name)
				.sort()
		).toEqual(['app-stock-web', 'vm-stock-app']);
		const again = run(w2, {
			type: 'assignUserIdentity',
			resourceId: VM_APP,
			identityId: id.toUpperCase()
		});
		expect(again.events).toEqual([]);
		expect(host(again.world, VM_APP).identity.userAssigned).toEqual([id]);
		expect(managedPrincipals(again.world)).toHaveLength(1);
	});

	it('logs a write on the resource', () => {
		const { world: w1, id } = withIdentity(defaultWorld(), 'id-stock');
		const { events } = run(
			w1,
			{ type: 'assignUserIdentity', resourceId: FUNC_APP, identityId: id },
			{ caller: DEFAULT_IDS.sarahId }
		);
		expect(events).toEqual([
			expect.objectContaining({
				operationName: 'Microsoft.Web/sites/write',
				resourceId: FUNC_APP,
				caller: DEFAULT_IDS.sarahId
			})
		]);
	});

	it.each([
		idOf('userAssignedIdentity', 'id-missing'),
		VM_WEB_1,
		'id-stock',
		'',
		'constructor',
		'__proto__'
	])('refuses %j as an identity with IdentityNotFound', (identityId) => {
		const { world } = withIdentity(defaultWorld(), 'id-stock');
		expect(refuse(world, { type: 'assignUserIdentity', resourceId: VM_APP, identityId }).code).toBe(
			'IdentityNotFound'
		);
	});

	it('refuses a host that cannot carry identities', () => {
		const { world, id } = withIdentity(defaultWorld(), 'id-stock');
		expect(
			refuse(world, { type: 'assignUserIdentity', resourceId: STORAGE, identityId: id }).code
		).toBe('UnsupportedResourceType');
		expect(refuse(world, { type: 'assignUserIdentity', resourceId: id, identityId: id }).code).toBe(
			'UnsupportedResourceType'
		);
	});
});

describe('unassignUserIdentity', () => {
	it('detaches one identity; the identity and its principal live on, orphaned', () => {
		const { world: w1, a, b } = withTwoIdentities();
		const { world, events } = run(w1, {
			type: 'unassignUserIdentity',
			resourceId: VM_APP,
			identityId: a.toUpperCase()
		});
		expect(host(world, VM_APP).identity.userAssigned).toEqual([b]);
		expect(principal(world, uami(world, a).principalId).displayName).toBe('id-stock-a');
		expect(isOrphaned(world, a)).toBe(true);
		expect(events).toHaveLength(1);
		expect((events[0] as ActivityEvent).summary).toMatch(/orphaned/);
	});

	it('does not call an identity orphaned while another resource still uses it', () => {
		const { world: w1, a } = withTwoIdentities();
		const w2 = run(w1, { type: 'assignUserIdentity', resourceId: WEB_APP, identityId: a }).world;
		const { world, events } = run(w2, {
			type: 'unassignUserIdentity',
			resourceId: VM_APP,
			identityId: a
		});
		expect(isOrphaned(world, a)).toBe(false);
		expect((events[0] as ActivityEvent).summary).not.toMatch(/orphaned/);
	});

	it('refuses an identity that is not attached, naming the ones that are', () => {
		const { world, b } = withTwoIdentities();
		const { world: w2, id: c } = withIdentity(world, 'id-stock-c');
		const error = refuse(w2, { type: 'unassignUserIdentity', resourceId: VM_APP, identityId: c });
		expect(error.code).toBe('IdentityNotAssigned');
		expect(error.message).toContain(b);
		expect(
			refuse(w2, { type: 'unassignUserIdentity', resourceId: VM_WEB_1, identityId: b }).code
		).toBe('IdentityNotAssigned');
	});

	it('refuses an unknown or unsupported host', () => {
		const { world, a } = withTwoIdentities();
		expect(
			refuse(world, { type: 'unassignUserIdentity', resourceId: 'nope', identityId: a }).code
		).toBe('ResourceNotFound');
		expect(
			refuse(world, { type: 'unassignUserIdentity', resourceId: VAULT, identityId: a }).code
		).toBe('UnsupportedResourceType');
	});
});

describe('setResourceIdentity (ARM PATCH of the identity property)', () => {
	it.each([
		'SystemAssigned, UserAssigned',
		'SystemAssigned,UserAssigned',
		'systemassigned,userassigned',
		' SystemAssigned ,  UserAssigned '
	])('accepts the combined type spelled %j', (type) => {
		const { world: w1, a, b } = withTwoIdentities();
		const { world } = run(w1, {
			type: 'setResourceIdentity',
			resourceId: VM_APP,
			identity: { type }
		});
		const vm = host(world, VM_APP);
		expect(vm.identity.userAssigned).toEqual([a, b]);
		expect(vm.identity.systemAssigned).not.toBeNull();
		expect(armIdentity(world, vm).type).toBe('SystemAssigned, UserAssigned');
	});

	it('attaches keys set to {} and detaches keys set to null, keeping the others', () => {
		const { world: w1, a, b } = withTwoIdentities();
		const { world: w2, id: c } = withIdentity(w1, 'id-stock-c');
		const { world } = run(w2, {
			type: 'setResourceIdentity',
			resourceId: VM_APP,
			identity: { type: 'UserAssigned', userAssignedIdentities: { [a]: null, [c]: {} } }
		});
		expect(host(world, VM_APP).identity.userAssigned).toEqual([b, c]);
		expect(isOrphaned(world, a)).toBe(true);
		expect(uami(world, a).principalId in world.directory.servicePrincipals).toBe(true);
	});

	it("'None' removes everything and deletes the system-assigned principal", () => {
		const { world: w1, a, b } = withTwoIdentities();
		const w2 = enableSystem(w1, VM_APP);
		const systemId = systemPrincipalId(w2, VM_APP);
		const { world, events } = run(w2, {
			type: 'setResourceIdentity',
			resourceId: VM_APP,
			identity: { type: 'None' }
		});
		expect(host(world, VM_APP).identity).toEqual({ systemAssigned: null, userAssigned: [] });
		expect(armIdentity(world, host(world, VM_APP))).toEqual({ type: 'None' });
		expect(world.directory.servicePrincipals[systemId]).toBeUndefined();
		expect(isOrphaned(world, a) && isOrphaned(world, b)).toBe(true);
		expect(
			events
				.filter((e): e is DirectoryAuditEvent => e.kind === 'directoryAudit')
				.map((e) => e.activity)
		).toEqual(['Hard delete service principal']);
		expect(findInconsistencies(world)).toEqual([]);
	});

	it("'SystemAssigned' drops the user-assigned identities and keeps or creates the system one", () => {
		const { world: w1 } = withTwoIdentities();
		const { world } = run(w1, {
			type: 'setResourceIdentity',
			resourceId: VM_APP,
			identity: { type: 'SystemAssigned' }
		});
		const vm = host(world, VM_APP);
		expect(vm.identity.userAssigned).toEqual([]);
		expect(principal(world, systemPrincipalId(world, VM_APP)).displayName).toBe('vm-stock-app');
		const again = run(world, {
			type: 'setResourceIdentity',
			resourceId: VM_APP,
			identity: { type: 'SystemAssigned' }
		});
		expect(again.events).toEqual([]);
		expect(systemPrincipalId(again.world, VM_APP)).toBe(systemPrincipalId(world, VM_APP));
	});

	it("'UserAssigned' turns the system-assigned identity off", () => {
		const { world: w1, a } = withTwoIdentities();
		const w2 = enableSystem(w1, VM_APP);
		const systemId = systemPrincipalId(w2, VM_APP);
		const { world } = run(w2, {
			type: 'setResourceIdentity',
			resourceId: VM_APP,
			identity: { type: 'UserAssigned', userAssignedIdentities: { [a]: {} } }
		});
		expect(host(world, VM_APP).identity.systemAssigned).toBeNull();
		expect(world.directory.servicePrincipals[systemId]).toBeUndefined();
	});

	it.each([
		'Garbage',
		'',
		'System',
		'SystemAssigned;UserAssigned',
		'constructor',
		'__proto__',
		'toString',
		42,
		null
	])('refuses the type %j with InvalidIdentityType', (type) => {
		const { world } = withTwoIdentities();
		expect(
			refuse(world, { type: 'setResourceIdentity', resourceId: VM_APP, identity: { type } }).code
		).toBe('InvalidIdentityType');
	});

	it('refuses a missing identity body', () => {
		expect(refuse(defaultWorld(), { type: 'setResourceIdentity', resourceId: VM_APP }).code).toBe(
			'InvalidIdentityType'
		);
	});

	it('refuses UserAssigned without any identity left', () => {
		const { world, a, b } = withTwoIdentities();
		expect(
			refuse(world, {
				type: 'setResourceIdentity',
				resourceId: VM_WEB_1,
				identity: { type: 'UserAssigned' }
			}).code
		).toBe('UserAssignedIdentitiesRequired');
		const error = refuse(world, {
			type: 'setResourceIdentity',
			resourceId: VM_APP,
			identity: {
				type: 'SystemAssigned, UserAssigned',
				userAssignedIdentities: { [a]: null, [b]: null }
			}
		});
		expect(error.code).toBe('UserAssignedIdentitiesRequired');
	});

	it('refuses a dictionary that is not an object', () => {
		const { world, a } = withTwoIdentities();
		for (const userAssignedIdentities of [[a], a, 7]) {
			expect(
				refuse(world, {
					type: 'setResourceIdentity',
					resourceId: VM_APP,
					identity: { type: 'UserAssigned', userAssignedIdentities }
				}).code
			).toBe('InvalidInput');
		}
	});

	it('refuses the whole PATCH when one key is unknown or not attached (never half-applies)', () => {
		const { world, a } = withTwoIdentities();
		const missing = idOf('userAssignedIdentity', 'id-missing');
		const unknown = refuse(world, {
			type: 'setResourceIdentity',
			resourceId: VM_APP,
			identity: {
				type: 'SystemAssigned, UserAssigned',
				userAssignedIdentities: { [a]: null, [missing]: {} }
			}
		});
		expect(unknown.code).toBe('IdentityNotFound');
		const detached = refuse(world, {
			type: 'setResourceIdentity',
			resourceId: VM_WEB_1,
			identity: { type: 'UserAssigned', userAssignedIdentities: { [a]: null } }
		});
		expect(detached.code).toBe('IdentityNotAssigned');
	});

	it('refuses a host that is missing or cannot carry identities', () => {
		expect(
			refuse(defaultWorld(), {
				type: 'setResourceIdentity',
				resourceId: 'x',
				identity: { type: 'None' }
			}).code
		).toBe('ResourceNotFound');
		expect(
			refuse(defaultWorld(), {
				type: 'setResourceIdentity',
				resourceId: VAULT,
				identity: { type: 'None' }
			}).code
		).toBe('UnsupportedResourceType');
	});

	it('leaves the input world as it was when it succeeds', () => {
		const { world } = withTwoIdentities();
		const before = structuredClone(world);
		const result = applyOperation(world, {
			type: 'setResourceIdentity',
			resourceId: VM_APP,
			identity: { type: 'None' }
		});
		expect(result.ok).toBe(true);
		expect(world).toEqual(before);
	});
});
