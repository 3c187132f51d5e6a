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
	['Key Vault Contributor', 'f25e0fa2-a7c8-4377-a976-54943a77a395'],
	// Added from azure-docs articles/role-based-access-control/built-in-roles/{security,storage,compute,
	// web-and-mobile,databases}.md (the JSON block of each role).
	['Key Vault Certificate User', 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba'],
	['Key Vault Certificates Officer', 'a4417e6f-fecd-4de8-b567-7b0420556985'],
	['Key Vault Crypto Officer', '14b46e9e-c2b7-41b4-b07b-48a6ebf60603'],
	['Key Vault Crypto Service Encryption User', 'e147488a-f6f5-4113-8e2d-b22465e65bf6'],
	['Key Vault Crypto Service Release User', '08bbd89e-9f13-488c-ac41-acfcb10c90ab'],
	['Key Vault Crypto User', '12338af0-0e69-4776-bea7-57ae8d297424'],
	['Key Vault Data Access Administrator', '8b54135c-b56d-4d72-a534-26097cfdc8d8'],
	['Storage Account Contributor', '17d1049b-9a84-46fb-8f53-869881c3d3ab'],
	['Storage Account Key Operator Service Role', '81a9662b-bebf-436f-a333-f67b29880f12'],
	['Reader and Data Access', 'c12c1c16-33a1-487b-954d-41c89c60f349'],
	['Storage Blob Delegator', 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'],
	['Storage Queue Data Contributor', '974c5e8b-45b9-4653-ba55-5f855dd0fb88'],
	['Storage Queue Data Message Processor', '8a0f0c08-91a1-4084-bc3d-661d67233fed'],
	['Storage Queue Data Message Sender', 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'],
	['Storage Queue Data Reader', '19e7f393-937e-4f77-808e-94535e297925'],
	['Storage Queue Delegator', '7ee386e9-84f0-448e-80a6-f185f6533131'],
	['Storage Table Data Contributor', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'],
	['Storage Table Data Reader', '76199698-9eea-4c19-bc75-cec21354c6b6'],
	['Storage Table Delegator', '965033a5-c8eb-4f35-b82f-fef460a3606d'],
	['Storage File Data Privileged Contributor', '69566ab7-960f-475b-8e7c-b3118f30c6bd'],
	['Storage File Data Privileged Reader', 'b8eda974-7b85-4f76-af95-65846b26df6d'],
	['Storage File Data SMB Admin', 'bbf004e3-0e4b-4f86-ae4f-1f8fb47b357b'],
	['Storage File Data SMB MI Admin', 'a235d3ee-5935-4cfb-8cc5-a3303ad5995e'],
	['Storage File Data SMB Share Contributor', '0c867c2a-1d8c-454a-a3db-ab2ea1bdc8bb'],
	['Storage File Data SMB Share Elevated Contributor', 'a7264617-510b-434b-a828-9731dc254ea7'],
	['Storage File Data SMB Share Reader', 'aba4ae5f-2193-4029-9191-0cb91df5e314'],
	['Storage File Data SMB Take Ownership', '5d9bac3f-34b2-432f-bde5-78aa8e73ce6b'],
	['Storage File Delegator', '765a04e0-5de8-4bb2-9bf6-b2a30bc03e91'],
	['Virtual Machine Administrator Login', '1c0163c0-47e6-4577-8991-ea5c82e286e4'],
	['Virtual Machine User Login', 'fb879df8-f326-4884-b1cf-06f3ad86be52'],
	['Virtual Machine Local User Login', '602da2ba-a5c2-41da-b01d-5360126ab525'],
	['Virtual Machine Data Access Administrator (preview)', '66f75aeb-eabe-4b70-9f1e-c350c4c9ad04'],
	['Website Contributor', 'de139f84-1756-47ae-9be6-808fbbe84772'],
	['Web Plan Contributor', '2cc479cb-7b4d-49a8-b449-8c00fd0f0a4b'],
	['SQL DB Contributor', '9b7fa17d-e63e-47b0-bb0a-15c516ac86ec'],
	['SQL Server Contributor', '6d8ee4ec-f05a-4a1d-8b00-a9b17e38b437'],
	['SQL Managed Instance Contributor', '4939a1f6-9ae0-4e48-a1e0-f2cbe897382d'],
	['SQL Security Manager', '056cd41c-7e88-42e1-933e-88ba6a50c9c3']
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

	it('carries the ABAC condition of the Data Access Administrator roles as ARM publishes it', () => {
		const kv = findRole('Key Vault Data Access Administrator')?.permissions[0];
		expect(kv?.conditionVersion).toBe('2.0');
		expect(kv?.condition).toContain(
			'(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals{00482a5a-887f-4fb3-b363-3b7fe8e74483, a4417e6f-fecd-4de8-b567-7b0420556985,'
		);
		expect(findRole('Reader')?.permissions[0]).not.toHaveProperty('condition');
	});

	it('spells out Storage Blob Delegator and Storage Account Contributor as azure-docs storage.md lists them', () => {
		expect(findRole('Storage Blob Delegator')?.permissions[0]?.actions).toEqual([
			'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action'
		]);
		expect(findRole('Storage Account Contributor')?.permissions[0]?.actions).toContain(
			'Microsoft.Storage/storageAccounts/*'
		);
		expect(findRole('Key Vault Certificates Officer')?.permissions[0]?.dataActions).toEqual([
			'Microsoft.KeyVault/vaults/certificatecas/*',
			'Microsoft.KeyVault/vaults/certificates/*',
			'Microsoft.KeyVault/vaults/certificatecontacts/write'
		]);
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

describe('role names in the lab’s own advice', () => {
	it('names only roles the catalogue holds (az storage’s permission message, service explanations)', async () => {
		const { readFile } = await import('node:fs/promises');
		const files = [
			'src/core/shell/az/commands/storage.ts',
			'src/core/shell/az/commands/keyvault.ts',
			'src/core/services/blob-storage.ts',
			'src/core/services/key-vault.ts',
			'src/core/services/explain.ts'
		];
		const named = new Set<string>();
		for (const file of files) {
			const text = await readFile(new URL(`../../../../${file}`, import.meta.url), 'utf8');
			for (const m of text.matchAll(
				/(?:Storage|Key Vault) [A-Za-z ]*?(?:Reader|Contributor|Owner|User|Officer|Administrator|Delegator)\b/g
			))
				named.add(m[0]);
		}
		expect(named.size).toBeGreaterThan(5);
		for (const name of named) expect(findRole(name)?.roleName, name).toBe(name);
	});
});
