import { describe, it, expect } from 'vitest';
import {
	actionMatches,
	excludingPattern,
	hasDataActions,
	permissionGrants
} from '../../../../src/core/azure/rbac/match.ts';
import type { RoleDefinition } from '../../../../src/core/azure/rbac/roles.ts';
import { findRole } from '../../../../src/core/azure/rbac/roles.ts';

function role(name: string): RoleDefinition {
	const found = findRole(name);
	if (found === undefined) throw new Error(`fixture role ${name} missing`);
	return found;
}

describe('actionMatches', () => {
	it.each([
		['*', 'Microsoft.Storage/storageAccounts/read', true],
		['*/read', 'Microsoft.Storage/storageAccounts/read', true],
		['*/read', 'Microsoft.Storage/storageAccounts/blobServices/containers/read', true],
		['*/read', 'Microsoft.Storage/storageAccounts/write', false],
		['*/read', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action', false],
		['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/secrets/read', true],
		['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/keys/versions/read', true],
		['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/read', true],
		['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaultsx/read', false],
		['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/secrets/write', false],
		['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/roleAssignments/delete', true],
		['Microsoft.Authorization/*/Write', 'microsoft.authorization/ROLEASSIGNMENTS/WRITE', true],
		['Microsoft.Authorization/*/Write', 'Microsoft.Authorization/roleAssignments/read', false],
		[
			'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action',
			'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action',
			true
		],
		['Microsoft.Storage/*', 'Microsoft.Storage/storageAccounts/listKeys/action', true],
		['Microsoft.Storage/*', 'Microsoft.StorageSync/storageSyncServices/read', false],
		['Microsoft.Storage/storageAccounts/read', 'MICROSOFT.STORAGE/STORAGEACCOUNTS/READ', true],
		['Microsoft.Storage/storageAccounts/read', 'MicrosoftXStorage/storageAccounts/read', false],
		[
			'Microsoft.Storage/storageAccounts/read',
			'Microsoft.Storage/storageAccounts/read/more',
			false
		],
		[
			'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*',
			'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/write',
			true
		],
		['Microsoft.Insights/alertRules/*', 'Microsoft.Insights/AlertRules/Activated/Action', true]
	])('%s vs %s → %s', (pattern, action, expected) => {
		expect(actionMatches(pattern, action)).toBe(expected);
	});
});

describe('permissionGrants', () => {
	const roleAssignmentWrite = 'Microsoft.Authorization/roleAssignments/write';
	const blobRead = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read';
	const getSecret = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';

	it.each([
		['Owner', 'Microsoft.Storage/storageAccounts/write', 'control', true],
		['Owner', roleAssignmentWrite, 'control', true],
		['Owner', blobRead, 'data', false],
		['Owner', getSecret, 'data', false],
		['Contributor', 'Microsoft.Storage/storageAccounts/write', 'control', true],
		['Contributor', roleAssignmentWrite, 'control', false],
		['Contributor', 'Microsoft.Authorization/roleAssignments/read', 'control', true],
		['Contributor', 'Microsoft.Authorization/elevateAccess/Action', 'control', false],
		['Contributor', blobRead, 'data', false],
		['Reader', 'Microsoft.KeyVault/vaults/read', 'control', true],
		['Reader', 'Microsoft.KeyVault/vaults/write', 'control', false],
		['Reader', blobRead, 'data', false],
		['User Access Administrator', roleAssignmentWrite, 'control', true],
		['Role Based Access Control Administrator', roleAssignmentWrite, 'control', true],
		[
			'Role Based Access Control Administrator',
			'Microsoft.Authorization/policyAssignments/write',
			'control',
			false
		],
		['Storage Blob Data Reader', blobRead, 'data', true],
		['Storage Blob Data Reader', blobRead, 'control', false],
		[
			'Storage Blob Data Reader',
			'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
			'data',
			false
		],
		[
			'Storage Blob Data Owner',
			'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
			'data',
			true
		],
		['Key Vault Secrets User', getSecret, 'data', true],
		['Key Vault Secrets User', 'Microsoft.KeyVault/vaults/secrets/setSecret/action', 'data', false],
		['Key Vault Reader', getSecret, 'data', false],
		['Key Vault Reader', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action', 'data', true],
		[
			'Key Vault Secrets Officer',
			'Microsoft.KeyVault/vaults/secrets/setSecret/action',
			'data',
			true
		],
		['Key Vault Administrator', 'Microsoft.KeyVault/vaults/keys/encrypt/action', 'data', true],
		['Key Vault Contributor', 'Microsoft.KeyVault/vaults/write', 'control', true],
		[
			'Key Vault Contributor',
			'Microsoft.KeyVault/locations/deletedVaults/purge/action',
			'control',
			false
		],
		['Key Vault Contributor', 'Microsoft.KeyVault/managedHsms/write', 'control', false],
		['Key Vault Contributor', getSecret, 'data', false],
		[
			'Managed Identity Operator',
			'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action',
			'control',
			true
		],
		[
			'Managed Identity Operator',
			'Microsoft.ManagedIdentity/userAssignedIdentities/read',
			'control',
			true
		],
		[
			'Managed Identity Operator',
			'Microsoft.ManagedIdentity/userAssignedIdentities/write',
			'control',
			false
		],
		[
			'Managed Identity Contributor',
			'Microsoft.ManagedIdentity/userAssignedIdentities/write',
			'control',
			true
		],
		[
			'Managed Identity Contributor',
			'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action',
			'control',
			false
		],
		['Virtual Machine Contributor', 'Microsoft.Compute/virtualMachines/write', 'control', true],
		[
			'Virtual Machine Contributor',
			'Microsoft.Storage/storageAccounts/listKeys/action',
			'control',
			true
		],
		['Virtual Machine Contributor', 'Microsoft.Storage/storageAccounts/write', 'control', false]
	] as const)('%s, %s on the %s plane → %s', (name, action, plane, expected) => {
		expect(permissionGrants(role(name), action, plane)).toBe(expected);
	});

	it('answers the same when asked again (memoized) and whatever the casing', () => {
		const contributor = role('Contributor');
		expect(permissionGrants(contributor, roleAssignmentWrite, 'control')).toBe(false);
		expect(permissionGrants(contributor, roleAssignmentWrite.toUpperCase(), 'control')).toBe(false);
		expect(
			permissionGrants(contributor, 'microsoft.compute/virtualmachines/write', 'control')
		).toBe(true);
	});

	it('subtracts notActions only within their own permission block', () => {
		const custom: RoleDefinition = {
			id: '11111111-2222-4333-8444-555555555555',
			roleName: 'Two blocks',
			description: 'A role whose second block grants what the first subtracts.',
			roleType: 'BuiltInRole',
			assignableScopes: ['/'],
			permissions: [
				{
					actions: ['*'],
					notActions: ['Microsoft.Authorization/*/Write'],
					dataActions: [],
					notDataActions: []
				},
				{
					actions: ['Microsoft.Authorization/roleAssignments/write'],
					notActions: [],
					dataActions: [],
					notDataActions: []
				}
			]
		};
		expect(permissionGrants(custom, roleAssignmentWrite, 'control')).toBe(true);
		expect(
			permissionGrants(custom, 'Microsoft.Authorization/policyAssignments/write', 'control')
		).toBe(false);
	});

	it('subtracts notDataActions from dataActions', () => {
		const custom: RoleDefinition = {
			id: '66666666-7777-4888-9999-000000000000',
			roleName: 'Blob reader-writer without delete',
			description: 'All blob data actions except delete.',
			roleType: 'BuiltInRole',
			assignableScopes: ['/'],
			permissions: [
				{
					actions: [],
					notActions: [],
					dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*'],
					notDataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete']
				}
			]
		};
		expect(permissionGrants(custom, blobRead, 'data')).toBe(true);
		expect(
			permissionGrants(
				custom,
				'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
				'data'
			)
		).toBe(false);
		expect(
			excludingPattern(
				custom,
				'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
				'data'
			)
		).toBe('Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete');
	});
});

describe('excludingPattern and hasDataActions', () => {
	it('names the NotActions entry that takes an action away from Contributor', () => {
		expect(
			excludingPattern(
				role('Contributor'),
				'Microsoft.Authorization/roleAssignments/write',
				'control'
			)
		).toBe('Microsoft.Authorization/*/Write');
		expect(
			excludingPattern(role('Contributor'), 'Microsoft.Storage/storageAccounts/write', 'control')
		).toBeNull();
		expect(
			excludingPattern(role('Reader'), 'Microsoft.Storage/storageAccounts/write', 'control')
		).toBeNull();
	});

	it.each([
		['Owner', false],
		['Contributor', false],
		['Reader', false],
		['Storage Blob Data Reader', true],
		['Key Vault Secrets User', true]
	])('%s has data actions: %s', (name, expected) => {
		expect(hasDataActions(role(name))).toBe(expected);
	});
});
