import { describe, expect, it } from 'vitest';
import type { World } from '../../../src/core/azure/model.ts';
import { armIdentity, armResource, armRoleAssignment } from '../../../src/core/azure/arm-view.ts';
import { DEFAULT_IDS } from '../../../src/core/azure/default-world.ts';
import {
	FUNC_APP,
	RG,
	SARAH,
	SQL_DB,
	SQL_SERVER,
	STORAGE,
	SUB,
	UAMI,
	VAULT,
	VMSS,
	VM_APP,
	WEB_APP,
	defaultWorld,
	host,
	resource,
	roleAssignment,
	run,
	runAll,
	systemPrincipalId,
	uami
} from './helpers.ts';

function busy(): World {
	return runAll(defaultWorld(), [
		{
			type: 'createUserIdentity',
			resourceGroup: 'rg-stock',
			name: 'id-stock',
			tags: { team: 'stock' }
		},
		{ type: 'createScaleSet', resourceGroup: 'rg-stock', name: 'vmss-web', capacity: 3 },
		{ type: 'setSqlAdAdmin', serverId: SQL_SERVER, principalId: SARAH }
	]);
}

describe('armIdentity', () => {
	it('renders None, SystemAssigned, UserAssigned and both, with the spelling of each provider', () => {
		const world = busy();
		const identity = uami(world, UAMI);
		expect(armIdentity(world, host(world, VM_APP))).toEqual({ type: 'None' });
		const w2 = runAll(world, [
			{ type: 'enableSystemIdentity', resourceId: VM_APP },
			{ type: 'assignUserIdentity', resourceId: VM_APP, identityId: UAMI },
			{ type: 'assignUserIdentity', resourceId: WEB_APP, identityId: UAMI },
			{ type: 'enableSystemIdentity', resourceId: WEB_APP },
			{ type: 'assignUserIdentity', resourceId: VMSS, identityId: UAMI },
			{ type: 'enableSystemIdentity', resourceId: VMSS },
			{ type: 'assignUserIdentity', resourceId: FUNC_APP, identityId: UAMI }
		]);
		const users = { [UAMI]: { principalId: identity.principalId, clientId: identity.clientId } };
		expect(armIdentity(w2, host(w2, VM_APP))).toEqual({
			type: 'SystemAssigned, UserAssigned',
			principalId: systemPrincipalId(w2, VM_APP),
			tenantId: DEFAULT_IDS.tenantId,
			userAssignedIdentities: users
		});
		expect(armIdentity(w2, host(w2, VMSS)).type).toBe('SystemAssigned, UserAssigned');
		expect(armIdentity(w2, host(w2, WEB_APP)).type).toBe('SystemAssigned,UserAssigned');
		expect(armIdentity(w2, host(w2, FUNC_APP))).toEqual({
			type: 'UserAssigned',
			userAssignedIdentities: users
		});
	});
});

describe('armResource', () => {
	const world = busy();
	const common = (id: string, name: string, type: string) => ({
		id,
		name,
		type,
		// ARM bodies carry no `resourceGroup` member; az adds it to its own views.
		location: 'westeurope'
	});

	it('renders a VM', () => {
		const vm = resource(world, VM_APP);
		expect(armResource(world, vm)).toEqual({
			...common(VM_APP, 'vm-stock-app', 'Microsoft.Compute/virtualMachines'),
			tags: {},
			identity: { type: 'None' },
			properties: {
				vmId: vm.kind === 'virtualMachine' ? vm.vmId : '',
				hardwareProfile: { vmSize: 'Standard_B2s' },
				storageProfile: { osDisk: { osType: 'Linux' } },
				provisioningState: 'Succeeded'
			}
		});
	});

	it('renders a scale set with its capacity', () => {
		expect(armResource(world, resource(world, VMSS))).toMatchObject({
			type: 'Microsoft.Compute/virtualMachineScaleSets',
			sku: { name: 'Standard_B2s', tier: 'Standard', capacity: 3 },
			identity: { type: 'None' }
		});
	});

	it('renders web and function apps with their App Service kind', () => {
		expect(armResource(world, resource(world, WEB_APP))).toMatchObject({
			type: 'Microsoft.Web/sites',
			kind: 'app,linux',
			properties: {
				defaultHostName: 'app-stock-web.azurewebsites.net',
				state: 'Running',
				httpsOnly: true
			}
		});
		expect(armResource(world, resource(world, FUNC_APP))).toMatchObject({
			type: 'Microsoft.Web/sites',
			kind: 'functionapp,linux'
		});
	});

	it('renders storage, vault, SQL server and database without data or keys', () => {
		const storage = armResource(world, resource(world, STORAGE));
		expect(storage).toMatchObject({
			type: 'Microsoft.Storage/storageAccounts',
			kind: 'StorageV2',
			properties: {
				primaryEndpoints: { blob: 'https://ststockdata.blob.core.windows.net/' },
				allowSharedKeyAccess: true
			}
		});
		expect(JSON.stringify(storage)).not.toMatch(/key1|today\.csv/);
		const vault = armResource(world, resource(world, VAULT));
		expect(vault).toMatchObject({
			type: 'Microsoft.KeyVault/vaults',
			properties: {
				tenantId: DEFAULT_IDS.tenantId,
				vaultUri: 'https://kv-stock.vault.azure.net/',
				enableRbacAuthorization: true
			}
		});
		expect(JSON.stringify(vault)).not.toContain('Stock-Db-Pa55');
		expect(armResource(world, resource(world, SQL_SERVER))).toMatchObject({
			type: 'Microsoft.Sql/servers',
			properties: {
				fullyQualifiedDomainName: 'sql-stock.database.windows.net',
				administrators: {
					administratorType: 'ActiveDirectory',
					login: 'sarah@contoso.onmicrosoft.com',
					sid: SARAH,
					tenantId: DEFAULT_IDS.tenantId
				}
			}
		});
		expect(armResource(defaultWorld(), resource(defaultWorld(), SQL_SERVER))).toMatchObject({
			properties: { administrators: null }
		});
		expect(armResource(world, resource(world, SQL_DB))).toMatchObject({
			id: SQL_DB,
			name: 'sql-stock/stockdb',
			type: 'Microsoft.Sql/servers/databases',
			properties: { status: 'Online' }
		});
	});

	it('renders a user-assigned identity with its ids and tags', () => {
		const identity = uami(world, UAMI);
		expect(armResource(world, identity)).toEqual({
			// The MSI RP spells `resourcegroups` in lower case (reference 4.2).
			...common(
				UAMI.replace('/resourceGroups/', '/resourcegroups/'),
				'id-stock',
				'Microsoft.ManagedIdentity/userAssignedIdentities'
			),
			tags: { team: 'stock' },
			properties: {
				clientId: identity.clientId,
				principalId: identity.principalId,
				tenantId: DEFAULT_IDS.tenantId,
				isolationScope: 'None'
			}
		});
	});

	it('returns copies: changing the view does not change the world', () => {
		const view = armResource(world, resource(world, VM_APP)) as { tags: Record<string, string> };
		view.tags['x'] = 'y';
		expect(resource(world, VM_APP).tags).toEqual({});
	});
});

describe('armRoleAssignment', () => {
	it('renders an assignment with its role name and the subscription-qualified definition id', () => {
		const world = run(defaultWorld(), {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: RG,
			principalId: SARAH,
			description: 'audit'
		}).world;
		const assignment = Object.values(world.roleAssignments).find((a) => a.scope === RG);
		if (!assignment) throw new Error('missing');
		expect(armRoleAssignment(world, assignment)).toEqual({
			id: assignment.id,
			name: assignment.name,
			type: 'Microsoft.Authorization/roleAssignments',
			properties: {
				roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`,
				roleDefinitionName: 'Reader',
				principalId: SARAH,
				principalType: 'User',
				principalName: 'Sarah',
				scope: RG,
				description: 'audit',
				createdOn: '2026-03-02T09:00:00.000Z',
				createdBy: 'sarah@contoso.onmicrosoft.com'
			}
		});
	});

	it('names the role at tenant level for assignments above a subscription (root, management group)', () => {
		const mg = `/providers/Microsoft.Management/managementGroups/${DEFAULT_IDS.tenantId}`;
		const world = runAll(defaultWorld(), [
			roleAssignment('Reader', '/', SARAH),
			roleAssignment('Reader', mg, SARAH)
		]);
		const shown = Object.values(world.roleAssignments)
			.filter((a) => a.scope === '/' || a.scope === mg)
			.map(
				(a) =>
					armRoleAssignment(world, a) as { id: string; properties: { roleDefinitionId: string } }
			);
		expect(shown.map((v) => v.properties.roleDefinitionId)).toEqual([
			'/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
			'/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7'
		]);
		expect(shown[0]?.id).toMatch(
			/^\/providers\/Microsoft\.Authorization\/roleAssignments\/[0-9a-f-]{36}$/
		);
	});

	it('shows a principal named "Identity not found" as the principal it is', () => {
		const world = run(defaultWorld(), {
			type: 'createUserIdentity',
			resourceGroup: 'rg-stock',
			name: 'id-stock'
		}).world;
		const principalId = uami(world, UAMI).principalId;
		const w2 = run(world, {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: RG,
			principalId
		}).world;
		const odd = structuredClone(w2);
		const sp = odd.directory.servicePrincipals[principalId];
		if (!sp) throw new Error('missing principal');
		sp.displayName = 'Identity not found';
		const assignment = Object.values(odd.roleAssignments).find(
			(a) => a.principalId === principalId
		);
		if (!assignment) throw new Error('missing');
		expect(armRoleAssignment(odd, assignment)).toMatchObject({
			properties: { principalType: 'ServicePrincipal', principalName: 'Identity not found' }
		});
	});
});
