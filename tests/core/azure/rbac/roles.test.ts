import { describe, it, expect } from 'vitest';
import {
	BUILT_IN_ROLES,
	findRole,
	roleDefinitionArmId,
	roleGuidOf
} from '../../../../src/core/azure/rbac/roles.ts';

const EXPECTED: [string, string][] = [
	['Owner', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'],
	['Contributor', 'b24988ac-6180-42a0-ab88-20f7382dd24c'],
	['Reader', 'acdd72a7-3385-48ef-bd42-f606fba81ae7'],
	['User Access Administrator', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9'],
	['Role Based Access Control Administrator', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'],
	['Storage Blob Data Reader', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'],
	['Storage Blob Data Contributor', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'],
	['Storage Blob Data Owner', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'],
	['Key Vault Administrator', '00482a5a-887f-4fb3-b363-3b7fe8e74483'],
	['Key Vault Reader', '21090545-7ca7-4776-b22c-e363652d74d2'],
	['Key Vault Secrets Officer', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'],
	['Key Vault Secrets User', '4633458b-17de-408a-b874-0445c86b69e6'],
	['Managed Identity Operator', 'f1a07417-d97a-45cb-824c-7a7467783830'],
	['Managed Identity Contributor', 'e40ec5ca-96e0-45a2-b4ff-59039f2c2b59'],
	['Virtual Machine Contributor', '9980e02c-c2be-4d73-94e8-173b1dc7cf3c'],
	['Key Vault Contributor', 'f25e0fa2-a7c8-4377-a976-54943a77a395']
];

describe('BUILT_IN_ROLES', () => {
	it('holds exactly the catalogue roles with their real GUIDs', () => {
		expect(BUILT_IN_ROLES.map((r) => [r.roleName, r.id]).sort()).toEqual([...EXPECTED].sort());
	});

	it('gives every role the built-in shape: root assignable scope, a description, full action strings', () => {
		for (const role of BUILT_IN_ROLES) {
			expect(role.roleType).toBe('BuiltInRole');
			expect(role.assignableScopes).toEqual(['/']);
			expect(role.description.length).toBeGreaterThan(10);
			expect(role.permissions).toHaveLength(1);
			for (const p of role.permissions) {
				const all = [...p.actions, ...p.notActions, ...p.dataActions, ...p.notDataActions];
				for (const action of all) {
					expect(action).not.toContain('…');
					expect(
						action === '*' || action.startsWith('*/') || /^Microsoft\.\w+\//.test(action)
					).toBe(true);
				}
				expect(p.notDataActions).toEqual([]);
			}
		}
	});

	it('gives Owner, Contributor and Reader no data actions, and the data roles their data actions', () => {
		for (const name of ['Owner', 'Contributor', 'Reader', 'Key Vault Contributor']) {
			expect(findRole(name)?.permissions[0]?.dataActions).toEqual([]);
		}
		expect(findRole('Storage Blob Data Reader')?.permissions[0]?.dataActions).toEqual([
			'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'
		]);
		expect(findRole('Key Vault Secrets User')?.permissions[0]).toEqual({
			actions: [],
			notActions: [],
			dataActions: [
				'Microsoft.KeyVault/vaults/secrets/getSecret/action',
				'Microsoft.KeyVault/vaults/secrets/readMetadata/action'
			],
			notDataActions: []
		});
	});

	it('spells out the Storage Blob Data Contributor and Key Vault Contributor permissions in full', () => {
		const blob = findRole('Storage Blob Data Contributor')?.permissions[0];
		expect(blob?.actions).toContain(
			'Microsoft.Storage/storageAccounts/blobServices/containers/delete'
		);
		expect(blob?.dataActions).toContain(
			'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action'
		);
		const kv = findRole('Key Vault Contributor')?.permissions[0];
		expect(kv?.actions).toEqual([
			'Microsoft.Authorization/*/read',
			'Microsoft.Insights/alertRules/*',
			'Microsoft.KeyVault/*',
			'Microsoft.Resources/deployments/*',
			'Microsoft.Resources/subscriptions/resourceGroups/read',
			'Microsoft.Support/*'
		]);
		expect(kv?.notActions).toEqual([
			'Microsoft.KeyVault/locations/deletedVaults/purge/action',
			'Microsoft.KeyVault/hsmPools/*',
			'Microsoft.KeyVault/managedHsms/*'
		]);
	});

	it('is frozen, so no caller can change the catalogue', () => {
		const reader = findRole('Reader');
		expect(Object.isFrozen(BUILT_IN_ROLES)).toBe(true);
		expect(Object.isFrozen(reader)).toBe(true);
		expect(Object.isFrozen(reader?.permissions[0]?.actions)).toBe(true);
	});
});

describe('findRole', () => {
	const guid = '4633458b-17de-408a-b874-0445c86b69e6';
	it.each([
		['Key Vault Secrets User'],
		['key vault secrets user'],
		['  KEY VAULT SECRETS USER '],
		[guid],
		[guid.toUpperCase()],
		[`/providers/Microsoft.Authorization/roleDefinitions/${guid}`],
		[
			`/subscriptions/a925b8a2-3c1f-4f2e-9d7b-1e2f3a4b5c6d/providers/Microsoft.Authorization/roleDefinitions/${guid}`
		],
		[`/SUBSCRIPTIONS/x/PROVIDERS/MICROSOFT.AUTHORIZATION/ROLEDEFINITIONS/${guid.toUpperCase()}`]
	])('finds Key Vault Secrets User from %j', (input) => {
		expect(findRole(input)?.roleName).toBe('Key Vault Secrets User');
	});

	it.each([
		['Key Vault Secret User'],
		[''],
		['00000000-0000-4000-8000-000000000000'],
		['/providers/Microsoft.Authorization/roleDefinitions/not-a-guid'],
		[`/providers/Microsoft.Authorization/roleAssignments/${guid}`]
	])('returns undefined for %j', (input) => {
		expect(findRole(input)).toBeUndefined();
	});
});

describe('roleGuidOf and roleDefinitionArmId', () => {
	it('builds the subscription-qualified id ARM returns, and reads the GUID back', () => {
		const id = roleDefinitionArmId(
			'a925b8a2-3c1f-4f2e-9d7b-1e2f3a4b5c6d',
			'acdd72a7-3385-48ef-bd42-f606fba81ae7'
		);
		expect(id).toBe(
			'/subscriptions/a925b8a2-3c1f-4f2e-9d7b-1e2f3a4b5c6d/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7'
		);
		expect(roleGuidOf(id)).toBe('acdd72a7-3385-48ef-bd42-f606fba81ae7');
		expect(findRole(id)?.roleName).toBe('Reader');
	});

	it('builds the tenant-level form without a subscription', () => {
		expect(roleDefinitionArmId('', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635')).toBe(
			'/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635'
		);
	});

	it('returns undefined for text that holds no role GUID', () => {
		expect(roleGuidOf('Reader')).toBeUndefined();
	});
});
