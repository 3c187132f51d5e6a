/**
 * The catalogue of Azure built-in role definitions the simulator knows, with their real GUIDs, descriptions and
 * permissions (azure-docs `role-based-access-control/built-in-roles/*.md`).
 */
import { isGuid } from '../../ids.ts';

/** One block of a role's permissions; `notActions` / `notDataActions` subtract within this block only. */
export interface RolePermission {
	readonly actions: readonly string[];
	readonly notActions: readonly string[];
	readonly dataActions: readonly string[];
	readonly notDataActions: readonly string[];
}

/** A role definition as ARM describes it (`GET …/roleDefinitions/{guid}`), flattened out of `properties`. */
export interface RoleDefinition {
	/** The role's GUID (ARM's `name`). */
	readonly id: string;
	readonly roleName: string;
	readonly description: string;
	readonly roleType: 'BuiltInRole';
	readonly assignableScopes: readonly ['/'];
	readonly permissions: readonly RolePermission[];
}

function role(
	id: string,
	roleName: string,
	description: string,
	permission: Partial<RolePermission>
): RoleDefinition {
	const block: RolePermission = Object.freeze({
		actions: Object.freeze([...(permission.actions ?? [])]),
		notActions: Object.freeze([...(permission.notActions ?? [])]),
		dataActions: Object.freeze([...(permission.dataActions ?? [])]),
		notDataActions: Object.freeze([...(permission.notDataActions ?? [])])
	});
	return Object.freeze({
		id,
		roleName,
		description,
		roleType: 'BuiltInRole',
		assignableScopes: Object.freeze(['/'] as const),
		permissions: Object.freeze([block])
	});
}

/** The control-plane actions shared by Key Vault Administrator, Reader and Secrets Officer. */
const KEY_VAULT_COMMON_ACTIONS = [
	'Microsoft.Authorization/*/read',
	'Microsoft.Insights/alertRules/*',
	'Microsoft.Resources/deployments/*',
	'Microsoft.Resources/subscriptions/resourceGroups/read',
	'Microsoft.Support/*',
	'Microsoft.KeyVault/checkNameAvailability/read',
	'Microsoft.KeyVault/deletedVaults/read',
	'Microsoft.KeyVault/locations/*/read',
	'Microsoft.KeyVault/vaults/*/read',
	'Microsoft.KeyVault/operations/read'
];

const KEY_VAULT_RBAC_ONLY =
	"Only works for key vaults that use the 'Azure role-based access control' permission model.";

/** Every built-in role the simulator knows, in the order the portal's role picker groups them. */
export const BUILT_IN_ROLES: readonly RoleDefinition[] = Object.freeze([
	role(
		'8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
		'Owner',
		'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
		{ actions: ['*'] }
	),
	role(
		'b24988ac-6180-42a0-ab88-20f7382dd24c',
		'Contributor',
		'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
		{
			actions: ['*'],
			notActions: [
				'Microsoft.Authorization/*/Delete',
				'Microsoft.Authorization/*/Write',
				'Microsoft.Authorization/elevateAccess/Action',
				'Microsoft.Blueprint/blueprintAssignments/write',
				'Microsoft.Blueprint/blueprintAssignments/delete',
				'Microsoft.Compute/galleries/share/action',
				'Microsoft.Purview/consents/write',
				'Microsoft.Purview/consents/delete',
				'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
				'Microsoft.Subscription/cancel/action',
				'Microsoft.Subscription/enable/action'
			]
		}
	),
	role(
		'acdd72a7-3385-48ef-bd42-f606fba81ae7',
		'Reader',
		'View all resources, but does not allow you to make any changes.',
		{ actions: ['*/read'] }
	),
	role(
		'18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
		'User Access Administrator',
		'Lets you manage user access to Azure resources.',
		{ actions: ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'] }
	),
	role(
		'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
		'Role Based Access Control Administrator',
		'Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.',
		{
			actions: [
				'Microsoft.Authorization/roleAssignments/write',
				'Microsoft.Authorization/roleAssignments/delete',
				'*/read',
				'Microsoft.Support/*'
			]
		}
	),
	role(
		'2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
		'Storage Blob Data Reader',
		'Allows for read access to Azure Storage blob containers and data',
		{
			actions: [
				'Microsoft.Storage/storageAccounts/blobServices/containers/read',
				'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action'
			],
			dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read']
		}
	),
	role(
		'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
		'Storage Blob Data Contributor',
		'Allows for read, write and delete access to Azure Storage blob containers and data',
		{
			actions: [
				'Microsoft.Storage/storageAccounts/blobServices/containers/delete',
				'Microsoft.Storage/storageAccounts/blobServices/containers/read',
				'Microsoft.Storage/storageAccounts/blobServices/containers/write',
				'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action'
			],
			dataActions: [
				'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
				'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
				'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
				'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action',
				'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'
			]
		}
	),
	role(
		'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
		'Storage Blob Data Owner',
		'Allows for full access to Azure Storage blob containers and data, including assigning POSIX access control.',
		{
			actions: [
				'Microsoft.Storage/storageAccounts/blobServices/containers/*',
				'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action'
			],
			dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*']
		}
	),
	role(
		'00482a5a-887f-4fb3-b363-3b7fe8e74483',
		'Key Vault Administrator',
		`Perform all data plane operations on a key vault and all objects in it, including certificates, keys, and secrets. Cannot manage key vault resources or manage role assignments. ${KEY_VAULT_RBAC_ONLY}`,
		{ actions: KEY_VAULT_COMMON_ACTIONS, dataActions: ['Microsoft.KeyVault/vaults/*'] }
	),
	role(
		'21090545-7ca7-4776-b22c-e363652d74d2',
		'Key Vault Reader',
		`Read metadata of key vaults and its certificates, keys, and secrets. Cannot read sensitive values such as secret contents or key material. ${KEY_VAULT_RBAC_ONLY}`,
		{
			actions: KEY_VAULT_COMMON_ACTIONS,
			dataActions: [
				'Microsoft.KeyVault/vaults/*/read',
				'Microsoft.KeyVault/vaults/secrets/readMetadata/action'
			]
		}
	),
	role(
		'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
		'Key Vault Secrets Officer',
		`Perform any action on the secrets of a key vault, except manage permissions. ${KEY_VAULT_RBAC_ONLY}`,
		{ actions: KEY_VAULT_COMMON_ACTIONS, dataActions: ['Microsoft.KeyVault/vaults/secrets/*'] }
	),
	role(
		'4633458b-17de-408a-b874-0445c86b69e6',
		'Key Vault Secrets User',
		`Read secret contents. ${KEY_VAULT_RBAC_ONLY}`,
		{
			dataActions: [
				'Microsoft.KeyVault/vaults/secrets/getSecret/action',
				'Microsoft.KeyVault/vaults/secrets/readMetadata/action'
			]
		}
	),
	role(
		'f25e0fa2-a7c8-4377-a976-54943a77a395',
		'Key Vault Contributor',
		'Lets you manage key vaults, but not access to them.',
		{
			actions: [
				'Microsoft.Authorization/*/read',
				'Microsoft.Insights/alertRules/*',
				'Microsoft.KeyVault/*',
				'Microsoft.Resources/deployments/*',
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				'Microsoft.Support/*'
			],
			notActions: [
				'Microsoft.KeyVault/locations/deletedVaults/purge/action',
				'Microsoft.KeyVault/hsmPools/*',
				'Microsoft.KeyVault/managedHsms/*'
			]
		}
	),
	role(
		'f1a07417-d97a-45cb-824c-7a7467783830',
		'Managed Identity Operator',
		'Read and Assign User Assigned Identity',
		{
			actions: [
				'Microsoft.ManagedIdentity/userAssignedIdentities/*/read',
				'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action',
				'Microsoft.Authorization/*/read',
				'Microsoft.Insights/alertRules/*',
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				'Microsoft.Resources/deployments/*',
				'Microsoft.Support/*'
			]
		}
	),
	role(
		'e40ec5ca-96e0-45a2-b4ff-59039f2c2b59',
		'Managed Identity Contributor',
		'Create, Read, Update, and Delete User Assigned Identity',
		{
			actions: [
				'Microsoft.ManagedIdentity/userAssignedIdentities/read',
				'Microsoft.ManagedIdentity/userAssignedIdentities/write',
				'Microsoft.ManagedIdentity/userAssignedIdentities/delete',
				'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read',
				'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write',
				'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete',
				'Microsoft.ManagedIdentity/userAssignedIdentities/revokeTokens/action',
				'Microsoft.Authorization/*/read',
				'Microsoft.Insights/alertRules/*',
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				'Microsoft.Resources/deployments/*',
				'Microsoft.Support/*'
			]
		}
	),
	role(
		'9980e02c-c2be-4d73-94e8-173b1dc7cf3c',
		'Virtual Machine Contributor',
		"Lets you manage virtual machines, but not access to them, and not the virtual network or storage account they're connected to.",
		{
			actions: [
				'Microsoft.Authorization/*/read',
				'Microsoft.Compute/availabilitySets/*',
				'Microsoft.Compute/locations/*',
				'Microsoft.Compute/virtualMachines/*',
				'Microsoft.Compute/virtualMachineScaleSets/*',
				'Microsoft.Compute/cloudServices/*',
				'Microsoft.Compute/disks/write',
				'Microsoft.Compute/disks/read',
				'Microsoft.Compute/disks/delete',
				'Microsoft.Compute/hostgroups/write',
				'Microsoft.Compute/hostgroups/hosts/write',
				'Microsoft.DevTestLab/schedules/*',
				'Microsoft.Insights/alertRules/*',
				'Microsoft.Network/applicationGateways/backendAddressPools/join/action',
				'Microsoft.Network/loadBalancers/backendAddressPools/join/action',
				'Microsoft.Network/loadBalancers/inboundNatPools/join/action',
				'Microsoft.Network/loadBalancers/inboundNatRules/join/action',
				'Microsoft.Network/loadBalancers/probes/join/action',
				'Microsoft.Network/loadBalancers/read',
				'Microsoft.Network/locations/*',
				'Microsoft.Network/networkInterfaces/*',
				'Microsoft.Network/networkSecurityGroups/join/action',
				'Microsoft.Network/networkSecurityGroups/read',
				'Microsoft.Network/publicIPAddresses/join/action',
				'Microsoft.Network/publicIPAddresses/read',
				'Microsoft.Network/virtualNetworks/read',
				'Microsoft.Network/virtualNetworks/subnets/join/action',
				'Microsoft.RecoveryServices/locations/*',
				'Microsoft.RecoveryServices/Vaults/backupFabrics/backupProtectionIntent/write',
				'Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/*/read',
				'Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/read',
				'Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems/write',
				'Microsoft.RecoveryServices/Vaults/backupPolicies/read',
				'Microsoft.RecoveryServices/Vaults/backupPolicies/write',
				'Microsoft.RecoveryServices/Vaults/read',
				'Microsoft.RecoveryServices/Vaults/usages/read',
				'Microsoft.RecoveryServices/Vaults/write',
				'Microsoft.ResourceHealth/availabilityStatuses/read',
				'Microsoft.Resources/deployments/*',
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				'Microsoft.SerialConsole/serialPorts/connect/action',
				'Microsoft.SqlVirtualMachine/*',
				'Microsoft.Storage/storageAccounts/listKeys/action',
				'Microsoft.Storage/storageAccounts/read',
				'Microsoft.Support/*'
			]
		}
	)
]);

const ROLE_DEFINITION_ID =
	/^(?:\/subscriptions\/[^/]+)?\/providers\/microsoft\.authorization\/roledefinitions\/([0-9a-f-]{36})\/?$/i;

const BY_GUID = new Map(BUILT_IN_ROLES.map((r) => [r.id, r]));
const BY_NAME = new Map(BUILT_IN_ROLES.map((r) => [r.roleName.toLowerCase(), r]));

/**
 * The role GUID (lower case) in a role GUID or a role definition ARM id (`/providers/Microsoft.Authorization/
 * roleDefinitions/{guid}`, with or without a leading `/subscriptions/{sub}`); undefined for anything else.
 */
export function roleGuidOf(roleDefinitionId: string): string | undefined {
	const text = roleDefinitionId.trim();
	if (isGuid(text)) return text.toLowerCase();
	const match = ROLE_DEFINITION_ID.exec(text);
	const guid = match?.[1];
	return guid !== undefined && isGuid(guid) ? guid.toLowerCase() : undefined;
}

/**
 * A built-in role by role name (any case, as `az role assignment create --role "Key Vault Secrets User"`
 * accepts), by GUID, or by role definition ARM id (subscription-qualified or not). Undefined when unknown.
 */
export function findRole(nameOrId: string): RoleDefinition | undefined {
	const guid = roleGuidOf(nameOrId);
	if (guid !== undefined) return BY_GUID.get(guid);
	return BY_NAME.get(nameOrId.trim().toLowerCase());
}

/**
 * The subscription-qualified role definition id ARM returns and role assignments carry:
 * `/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}` (tenant-level form when
 * `subscriptionId` is empty).
 */
export function roleDefinitionArmId(subscriptionId: string, roleGuid: string): string {
	const tail = `/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
	return subscriptionId === '' ? tail : `/subscriptions/${subscriptionId}${tail}`;
}
