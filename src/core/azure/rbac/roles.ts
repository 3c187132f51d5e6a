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
	/**
	 * An ABAC condition some built-in roles carry (e.g. Key Vault Data Access Administrator limits which roles it may
	 * assign). Shown as ARM returns it; the lab does not evaluate it (docs/fidelity.md).
	 */
	readonly condition?: string;
	readonly conditionVersion?: '2.0';
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
		notDataActions: Object.freeze([...(permission.notDataActions ?? [])]),
		...(permission.condition === undefined
			? {}
			: { condition: permission.condition, conditionVersion: '2.0' as const })
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

/** The control-plane actions Virtual Machine Administrator Login and User Login share. */
const VM_LOGIN_ACTIONS = [
	'Microsoft.Network/publicIPAddresses/read',
	'Microsoft.Network/virtualNetworks/read',
	'Microsoft.Network/loadBalancers/read',
	'Microsoft.Network/networkInterfaces/read',
	'Microsoft.Compute/virtualMachines/*/read',
	'Microsoft.HybridCompute/machines/*/read',
	'Microsoft.HybridConnectivity/endpoints/listCredentials/action'
];

/** The managed-instance security actions SQL DB Contributor and SQL Server Contributor both exclude. */
const SQL_MANAGED_INSTANCE_SECURITY = [
	'Microsoft.Sql/managedInstances/databases/currentSensitivityLabels/*',
	'Microsoft.Sql/managedInstances/databases/recommendedSensitivityLabels/*',
	'Microsoft.Sql/managedInstances/databases/schemas/tables/columns/sensitivityLabels/*',
	'Microsoft.Sql/managedInstances/databases/securityAlertPolicies/*',
	'Microsoft.Sql/managedInstances/databases/sensitivityLabels/*',
	'Microsoft.Sql/managedInstances/databases/vulnerabilityAssessments/*',
	'Microsoft.Sql/managedInstances/securityAlertPolicies/*',
	'Microsoft.Sql/managedInstances/vulnerabilityAssessments/*'
];

/**
 * The ABAC condition of the "… Data Access Administrator" roles: role assignments may be written or deleted only
 * for the listed role GUIDs (the text ARM returns, GUIDs comma-separated as published).
 */
function assignOnlyCondition(roleGuids: readonly string[]): string {
	const list = roleGuids.join(', ');
	return `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals{${list}})) AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals{${list}}))`;
}

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
	),
	// Key Vault (azure-docs built-in-roles/security.md)
	role(
		'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
		'Key Vault Certificate User',
		`Read certificate contents. ${KEY_VAULT_RBAC_ONLY}`,
		{
			dataActions: [
				'Microsoft.KeyVault/vaults/certificates/read',
				'Microsoft.KeyVault/vaults/secrets/getSecret/action',
				'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
				'Microsoft.KeyVault/vaults/keys/read'
			]
		}
	),
	role(
		'a4417e6f-fecd-4de8-b567-7b0420556985',
		'Key Vault Certificates Officer',
		`Perform any action on the certificates of a key vault, except manage permissions. ${KEY_VAULT_RBAC_ONLY}`,
		{
			actions: KEY_VAULT_COMMON_ACTIONS,
			dataActions: [
				'Microsoft.KeyVault/vaults/certificatecas/*',
				'Microsoft.KeyVault/vaults/certificates/*',
				'Microsoft.KeyVault/vaults/certificatecontacts/write'
			]
		}
	),
	role(
		'14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
		'Key Vault Crypto Officer',
		`Perform any action on the keys of a key vault, except manage permissions. ${KEY_VAULT_RBAC_ONLY}`,
		{
			actions: KEY_VAULT_COMMON_ACTIONS,
			dataActions: [
				'Microsoft.KeyVault/vaults/keys/*',
				'Microsoft.KeyVault/vaults/keyrotationpolicies/*'
			]
		}
	),
	role(
		'e147488a-f6f5-4113-8e2d-b22465e65bf6',
		'Key Vault Crypto Service Encryption User',
		`Read metadata of keys and perform wrap/unwrap operations. ${KEY_VAULT_RBAC_ONLY}`,
		{
			actions: [
				'Microsoft.EventGrid/eventSubscriptions/write',
				'Microsoft.EventGrid/eventSubscriptions/read',
				'Microsoft.EventGrid/eventSubscriptions/delete'
			],
			dataActions: [
				'Microsoft.KeyVault/vaults/keys/read',
				'Microsoft.KeyVault/vaults/keys/wrap/action',
				'Microsoft.KeyVault/vaults/keys/unwrap/action'
			]
		}
	),
	role(
		'08bbd89e-9f13-488c-ac41-acfcb10c90ab',
		'Key Vault Crypto Service Release User',
		`Release keys. ${KEY_VAULT_RBAC_ONLY}`,
		{ dataActions: ['Microsoft.KeyVault/vaults/keys/release/action'] }
	),
	role(
		'12338af0-0e69-4776-bea7-57ae8d297424',
		'Key Vault Crypto User',
		`Perform cryptographic operations using keys. ${KEY_VAULT_RBAC_ONLY}`,
		{
			dataActions: [
				'Microsoft.KeyVault/vaults/keys/read',
				'Microsoft.KeyVault/vaults/keys/update/action',
				'Microsoft.KeyVault/vaults/keys/backup/action',
				'Microsoft.KeyVault/vaults/keys/encrypt/action',
				'Microsoft.KeyVault/vaults/keys/decrypt/action',
				'Microsoft.KeyVault/vaults/keys/wrap/action',
				'Microsoft.KeyVault/vaults/keys/unwrap/action',
				'Microsoft.KeyVault/vaults/keys/sign/action',
				'Microsoft.KeyVault/vaults/keys/verify/action'
			]
		}
	),
	role(
		'8b54135c-b56d-4d72-a534-26097cfdc8d8',
		'Key Vault Data Access Administrator',
		'Manage access to Azure Key Vault by adding or removing role assignments for the Key Vault Administrator, Key Vault Certificates Officer, Key Vault Crypto Officer, Key Vault Crypto Service Encryption User, Key Vault Crypto User, Key Vault Reader, Key Vault Secrets Officer, or Key Vault Secrets User roles. Includes an ABAC condition to constrain role assignments.',
		{
			actions: [
				'Microsoft.Authorization/roleAssignments/write',
				'Microsoft.Authorization/roleAssignments/delete',
				'Microsoft.Authorization/*/read',
				'Microsoft.Resources/deployments/*',
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				'Microsoft.Resources/subscriptions/read',
				'Microsoft.Management/managementGroups/read',
				'Microsoft.Resources/deployments/*',
				'Microsoft.Support/*',
				'Microsoft.KeyVault/vaults/*/read'
			],
			condition: assignOnlyCondition([
				'00482a5a-887f-4fb3-b363-3b7fe8e74483',
				'a4417e6f-fecd-4de8-b567-7b0420556985',
				'14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
				'e147488a-f6f5-4113-8e2d-b22465e65bf6',
				'12338af0-0e69-4776-bea7-57ae8d297424',
				'21090545-7ca7-4776-b22c-e363652d74d2',
				'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
				'4633458b-17de-408a-b874-0445c86b69e6'
			])
		}
	),
	// Storage (azure-docs built-in-roles/storage.md)
	role(
		'17d1049b-9a84-46fb-8f53-869881c3d3ab',
		'Storage Account Contributor',
		'Lets you manage storage accounts, including accessing storage account keys which provide full access to storage account data.',
		{
			actions: [
				'Microsoft.Authorization/*/read',
				'Microsoft.Insights/alertRules/*',
				'Microsoft.Insights/diagnosticSettings/*',
				'Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action',
				'Microsoft.ResourceHealth/availabilityStatuses/read',
				'Microsoft.Resources/deployments/*',
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				'Microsoft.Storage/storageAccounts/*',
				'Microsoft.Support/*'
			]
		}
	),
	role(
		'81a9662b-bebf-436f-a333-f67b29880f12',
		'Storage Account Key Operator Service Role',
		'Storage Account Key Operators are allowed to list and regenerate keys on Storage Accounts',
		{
			actions: [
				'Microsoft.Storage/storageAccounts/listkeys/action',
				'Microsoft.Storage/storageAccounts/regeneratekey/action'
			]
		}
	),
	role(
		'c12c1c16-33a1-487b-954d-41c89c60f349',
		'Reader and Data Access',
		'Lets you view everything but will not let you delete or create a storage account or contained resource. It will also allow read/write access to all data contained in a storage account via access to storage account keys.',
		{
			actions: [
				'Microsoft.Storage/storageAccounts/listKeys/action',
				'Microsoft.Storage/storageAccounts/ListAccountSas/action',
				'Microsoft.Storage/storageAccounts/read'
			]
		}
	),
	role(
		'db58b8e5-c6ad-4a2a-8342-4190687cbf4a',
		'Storage Blob Delegator',
		'Allows for generation of a user delegation key which can be used to sign SAS tokens',
		{ actions: ['Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action'] }
	),
	role(
		'974c5e8b-45b9-4653-ba55-5f855dd0fb88',
		'Storage Queue Data Contributor',
		'Allows for read, write, and delete access to Azure Storage queues and queue messages',
		{
			actions: [
				'Microsoft.Storage/storageAccounts/queueServices/queues/delete',
				'Microsoft.Storage/storageAccounts/queueServices/queues/read',
				'Microsoft.Storage/storageAccounts/queueServices/queues/write'
			],
			dataActions: [
				'Microsoft.Storage/storageAccounts/queueServices/queues/messages/delete',
				'Microsoft.Storage/storageAccounts/queueServices/queues/messages/read',
				'Microsoft.Storage/storageAccounts/queueServices/queues/messages/write',
				'Microsoft.Storage/storageAccounts/queueServices/queues/messages/process/action'
			]
		}
	),
	role(
		'8a0f0c08-91a1-4084-bc3d-661d67233fed',
		'Storage Queue Data Message Processor',
		'Allows for peek, receive, and delete access to Azure Storage queue messages',
		{
			dataActions: [
				'Microsoft.Storage/storageAccounts/queueServices/queues/messages/read',
				'Microsoft.Storage/storageAccounts/queueServices/queues/messages/process/action'
			]
		}
	),
	role(
		'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a',
		'Storage Queue Data Message Sender',
		'Allows for sending of Azure Storage queue messages',
		{ dataActions: ['Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action'] }
	),
	role(
		'19e7f393-937e-4f77-808e-94535e297925',
		'Storage Queue Data Reader',
		'Allows for read access to Azure Storage queues and queue messages',
		{
			actions: ['Microsoft.Storage/storageAccounts/queueServices/queues/read'],
			dataActions: ['Microsoft.Storage/storageAccounts/queueServices/queues/messages/read']
		}
	),
	role(
		'7ee386e9-84f0-448e-80a6-f185f6533131',
		'Storage Queue Delegator',
		'Allows for generation of a user delegation key, which can then be used to create a shared access signature for an Azure Storage queue that is signed with Entra ID credentials.',
		{
			actions: ['Microsoft.Storage/storageAccounts/queueServices/generateUserDelegationKey/action']
		}
	),
	role(
		'0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
		'Storage Table Data Contributor',
		'Allows for read, write and delete access to Azure Storage tables and entities',
		{
			actions: [
				'Microsoft.Storage/storageAccounts/tableServices/tables/read',
				'Microsoft.Storage/storageAccounts/tableServices/tables/write',
				'Microsoft.Storage/storageAccounts/tableServices/tables/delete'
			],
			dataActions: [
				'Microsoft.Storage/storageAccounts/tableServices/tables/entities/read',
				'Microsoft.Storage/storageAccounts/tableServices/tables/entities/write',
				'Microsoft.Storage/storageAccounts/tableServices/tables/entities/delete',
				'Microsoft.Storage/storageAccounts/tableServices/tables/entities/add/action',
				'Microsoft.Storage/storageAccounts/tableServices/tables/entities/update/action'
			]
		}
	),
	role(
		'76199698-9eea-4c19-bc75-cec21354c6b6',
		'Storage Table Data Reader',
		'Allows for read access to Azure Storage tables and entities',
		{
			actions: ['Microsoft.Storage/storageAccounts/tableServices/tables/read'],
			dataActions: ['Microsoft.Storage/storageAccounts/tableServices/tables/entities/read']
		}
	),
	role(
		'965033a5-c8eb-4f35-b82f-fef460a3606d',
		'Storage Table Delegator',
		'Allows for generation of a user delegation key, which can then be used to create a shared access signature for an Azure Storage table that is signed with Entra ID credentials.',
		{
			actions: ['Microsoft.Storage/storageAccounts/tableServices/generateUserDelegationKey/action']
		}
	),
	role(
		'69566ab7-960f-475b-8e7c-b3118f30c6bd',
		'Storage File Data Privileged Contributor',
		'Customer has read, write, delete and modify NTFS permission access on Azure Storage file shares.',
		{
			dataActions: [
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/read',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/write',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/delete',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/modifypermissions/action',
				'Microsoft.Storage/storageAccounts/fileServices/readFileBackupSemantics/action',
				'Microsoft.Storage/storageAccounts/fileServices/writeFileBackupSemantics/action'
			]
		}
	),
	role(
		'b8eda974-7b85-4f76-af95-65846b26df6d',
		'Storage File Data Privileged Reader',
		'Customer has read access on Azure Storage file shares.',
		{
			dataActions: [
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/read',
				'Microsoft.Storage/storageAccounts/fileServices/readFileBackupSemantics/action'
			]
		}
	),
	role(
		'bbf004e3-0e4b-4f86-ae4f-1f8fb47b357b',
		'Storage File Data SMB Admin',
		'Allows for admin access equivalent to storage account key for end users over SMB.',
		{
			dataActions: [
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/read',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/write',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/delete',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/modifypermissions/action',
				'Microsoft.Storage/storageAccounts/fileServices/readFileBackupSemantics/action',
				'Microsoft.Storage/storageAccounts/fileServices/writeFileBackupSemantics/action',
				'Microsoft.Storage/storageAccounts/fileServices/takeOwnership/action'
			]
		}
	),
	role(
		'a235d3ee-5935-4cfb-8cc5-a3303ad5995e',
		'Storage File Data SMB MI Admin',
		'Allows for admin-level access for managed identities on files/directories in Azure file shares.',
		{
			dataActions: [
				'Microsoft.Storage/storageAccounts/fileServices/readFileBackupSemantics/action',
				'Microsoft.Storage/storageAccounts/fileServices/writeFileBackupSemantics/action',
				'Microsoft.Storage/storageAccounts/fileServices/takeOwnership/action',
				'Microsoft.Storage/storageAccounts/fileServices/runAsBuiltInFileAdministrator/action',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/read',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/write',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/delete',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/modifypermissions/action'
			]
		}
	),
	role(
		'0c867c2a-1d8c-454a-a3db-ab2ea1bdc8bb',
		'Storage File Data SMB Share Contributor',
		'Allows for read, write, and delete access in Azure Storage file shares over SMB',
		{
			dataActions: [
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/read',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/write',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/delete'
			]
		}
	),
	role(
		'a7264617-510b-434b-a828-9731dc254ea7',
		'Storage File Data SMB Share Elevated Contributor',
		'Allows for read, write, delete and modify NTFS permission access in Azure Storage file shares over SMB',
		{
			dataActions: [
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/read',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/write',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/delete',
				'Microsoft.Storage/storageAccounts/fileServices/fileshares/files/modifypermissions/action'
			]
		}
	),
	role(
		'aba4ae5f-2193-4029-9191-0cb91df5e314',
		'Storage File Data SMB Share Reader',
		'Allows for read access to Azure File Share over SMB',
		{ dataActions: ['Microsoft.Storage/storageAccounts/fileServices/fileshares/files/read'] }
	),
	role(
		'5d9bac3f-34b2-432f-bde5-78aa8e73ce6b',
		'Storage File Data SMB Take Ownership',
		'Allows end user to assume ownership of a file/directory',
		{ dataActions: ['Microsoft.Storage/storageAccounts/fileServices/takeOwnership/action'] }
	),
	role(
		'765a04e0-5de8-4bb2-9bf6-b2a30bc03e91',
		'Storage File Delegator',
		'Allows for generation of a user delegation key, which can then be used to create a shared access signature for a file or Azure file share that is signed with Entra ID credentials.',
		{ actions: ['Microsoft.Storage/storageAccounts/fileServices/generateUserDelegationKey/action'] }
	),
	// Compute (azure-docs built-in-roles/compute.md)
	role(
		'1c0163c0-47e6-4577-8991-ea5c82e286e4',
		'Virtual Machine Administrator Login',
		'View Virtual Machines in the portal and login as administrator',
		{
			actions: VM_LOGIN_ACTIONS,
			dataActions: [
				'Microsoft.Compute/virtualMachines/login/action',
				'Microsoft.Compute/virtualMachines/loginAsAdmin/action',
				'Microsoft.HybridCompute/machines/login/action',
				'Microsoft.HybridCompute/machines/loginAsAdmin/action'
			]
		}
	),
	role(
		'fb879df8-f326-4884-b1cf-06f3ad86be52',
		'Virtual Machine User Login',
		'View Virtual Machines in the portal and login as a regular user.',
		{
			actions: VM_LOGIN_ACTIONS,
			dataActions: [
				'Microsoft.Compute/virtualMachines/login/action',
				'Microsoft.HybridCompute/machines/login/action'
			]
		}
	),
	role(
		'602da2ba-a5c2-41da-b01d-5360126ab525',
		'Virtual Machine Local User Login',
		'View Virtual Machines in the portal and login as a local user configured on the arc server',
		{
			actions: [
				'Microsoft.HybridCompute/machines/*/read',
				'Microsoft.HybridConnectivity/endpoints/listCredentials/action'
			]
		}
	),
	role(
		'66f75aeb-eabe-4b70-9f1e-c350c4c9ad04',
		'Virtual Machine Data Access Administrator (preview)',
		'Manage access to Virtual Machines by adding or removing role assignments for the Virtual Machine Administrator Login and Virtual Machine User Login roles. Includes an ABAC condition to constrain role assignments.',
		{
			actions: [
				'Microsoft.Authorization/roleAssignments/write',
				'Microsoft.Authorization/roleAssignments/delete',
				'Microsoft.Authorization/*/read',
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				'Microsoft.Resources/subscriptions/read',
				'Microsoft.Management/managementGroups/read',
				'Microsoft.Network/publicIPAddresses/read',
				'Microsoft.Network/virtualNetworks/read',
				'Microsoft.Network/loadBalancers/read',
				'Microsoft.Network/networkInterfaces/read',
				'Microsoft.Compute/virtualMachines/*/read',
				'Microsoft.HybridCompute/machines/*/read',
				'Microsoft.Resources/deployments/*',
				'Microsoft.Support/*'
			],
			condition: assignOnlyCondition([
				'1c0163c0-47e6-4577-8991-ea5c82e286e4',
				'fb879df8-f326-4884-b1cf-06f3ad86be52'
			])
		}
	),
	// Web (azure-docs built-in-roles/web-and-mobile.md)
	role(
		'de139f84-1756-47ae-9be6-808fbbe84772',
		'Website Contributor',
		'Lets you manage websites (not web plans), but not access to them.',
		{
			actions: [
				'Microsoft.Authorization/*/read',
				'Microsoft.Insights/alertRules/*',
				'Microsoft.Insights/components/*',
				'Microsoft.ResourceHealth/availabilityStatuses/read',
				'Microsoft.Resources/deployments/*',
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				'Microsoft.Support/*',
				'Microsoft.Web/certificates/*',
				'Microsoft.Web/listSitesAssignedToHostName/read',
				'Microsoft.Web/serverFarms/join/action',
				'Microsoft.Web/serverFarms/read',
				'Microsoft.Web/sites/*'
			]
		}
	),
	role(
		'2cc479cb-7b4d-49a8-b449-8c00fd0f0a4b',
		'Web Plan Contributor',
		'Lets you manage the web plans for websites, but not access to them.',
		{
			actions: [
				'Microsoft.Authorization/*/read',
				'Microsoft.Insights/alertRules/*',
				'Microsoft.ResourceHealth/availabilityStatuses/read',
				'Microsoft.Resources/deployments/*',
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				'Microsoft.Support/*',
				'Microsoft.Web/serverFarms/*',
				'Microsoft.Web/hostingEnvironments/Join/Action',
				'Microsoft.Insights/autoscalesettings/*'
			]
		}
	),
	// SQL (azure-docs built-in-roles/databases.md)
	role(
		'9b7fa17d-e63e-47b0-bb0a-15c516ac86ec',
		'SQL DB Contributor',
		"Lets you manage SQL databases, but not access to them. Also, you can't manage their security-related policies or their parent SQL servers.",
		{
			actions: [
				'Microsoft.Authorization/*/read',
				'Microsoft.Insights/alertRules/*',
				'Microsoft.ResourceHealth/availabilityStatuses/read',
				'Microsoft.Resources/deployments/*',
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				'Microsoft.Sql/locations/*/read',
				'Microsoft.Sql/servers/databases/*',
				'Microsoft.Sql/servers/read',
				'Microsoft.Support/*',
				'Microsoft.Insights/metrics/read',
				'Microsoft.Insights/metricDefinitions/read'
			],
			notActions: [
				'Microsoft.Sql/servers/databases/ledgerDigestUploads/write',
				'Microsoft.Sql/servers/databases/ledgerDigestUploads/disable/action',
				...SQL_MANAGED_INSTANCE_SECURITY,
				'Microsoft.Sql/servers/databases/auditingSettings/*',
				'Microsoft.Sql/servers/databases/auditRecords/read',
				'Microsoft.Sql/servers/databases/currentSensitivityLabels/*',
				'Microsoft.Sql/servers/databases/dataMaskingPolicies/*',
				'Microsoft.Sql/servers/databases/extendedAuditingSettings/*',
				'Microsoft.Sql/servers/databases/recommendedSensitivityLabels/*',
				'Microsoft.Sql/servers/databases/schemas/tables/columns/sensitivityLabels/*',
				'Microsoft.Sql/servers/databases/securityAlertPolicies/*',
				'Microsoft.Sql/servers/databases/securityMetrics/*',
				'Microsoft.Sql/servers/databases/sensitivityLabels/*',
				'Microsoft.Sql/servers/databases/vulnerabilityAssessments/*',
				'Microsoft.Sql/servers/databases/vulnerabilityAssessmentScans/*',
				'Microsoft.Sql/servers/databases/vulnerabilityAssessmentSettings/*',
				'Microsoft.Sql/servers/vulnerabilityAssessments/*'
			]
		}
	),
	role(
		'6d8ee4ec-f05a-4a1d-8b00-a9b17e38b437',
		'SQL Server Contributor',
		'Lets you manage SQL servers and databases, but not access to them, and not their security -related policies.',
		{
			actions: [
				'Microsoft.Authorization/*/read',
				'Microsoft.Insights/alertRules/*',
				'Microsoft.ResourceHealth/availabilityStatuses/read',
				'Microsoft.Resources/deployments/*',
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				'Microsoft.Sql/locations/*/read',
				'Microsoft.Sql/servers/*',
				'Microsoft.Support/*',
				'Microsoft.Insights/metrics/read',
				'Microsoft.Insights/metricDefinitions/read'
			],
			notActions: [
				...SQL_MANAGED_INSTANCE_SECURITY,
				'Microsoft.Sql/servers/auditingSettings/*',
				'Microsoft.Sql/servers/databases/auditingSettings/*',
				'Microsoft.Sql/servers/databases/auditRecords/read',
				'Microsoft.Sql/servers/databases/currentSensitivityLabels/*',
				'Microsoft.Sql/servers/databases/dataMaskingPolicies/*',
				'Microsoft.Sql/servers/databases/extendedAuditingSettings/*',
				'Microsoft.Sql/servers/databases/recommendedSensitivityLabels/*',
				'Microsoft.Sql/servers/databases/schemas/tables/columns/sensitivityLabels/*',
				'Microsoft.Sql/servers/databases/securityAlertPolicies/*',
				'Microsoft.Sql/servers/databases/securityMetrics/*',
				'Microsoft.Sql/servers/databases/sensitivityLabels/*',
				'Microsoft.Sql/servers/databases/vulnerabilityAssessments/*',
				'Microsoft.Sql/servers/databases/vulnerabilityAssessmentScans/*',
				'Microsoft.Sql/servers/databases/vulnerabilityAssessmentSettings/*',
				'Microsoft.Sql/servers/devOpsAuditingSettings/*',
				'Microsoft.Sql/servers/extendedAuditingSettings/*',
				'Microsoft.Sql/servers/securityAlertPolicies/*',
				'Microsoft.Sql/servers/vulnerabilityAssessments/*',
				'Microsoft.Sql/servers/azureADOnlyAuthentications/delete',
				'Microsoft.Sql/servers/azureADOnlyAuthentications/write',
				'Microsoft.Sql/servers/externalPolicyBasedAuthorizations/delete',
				'Microsoft.Sql/servers/externalPolicyBasedAuthorizations/write'
			]
		}
	),
	role(
		'4939a1f6-9ae0-4e48-a1e0-f2cbe897382d',
		'SQL Managed Instance Contributor',
		"Lets you manage SQL Managed Instances and required network configuration, but can't give access to others.",
		{
			actions: [
				'Microsoft.ResourceHealth/availabilityStatuses/read',
				'Microsoft.Resources/deployments/*',
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				'Microsoft.Network/networkSecurityGroups/*',
				'Microsoft.Network/routeTables/*',
				'Microsoft.Sql/locations/*/read',
				'Microsoft.Sql/locations/instanceFailoverGroups/*',
				'Microsoft.Sql/managedInstances/*',
				'Microsoft.Support/*',
				'Microsoft.Network/virtualNetworks/subnets/*',
				'Microsoft.Network/virtualNetworks/*',
				'Microsoft.Authorization/*/read',
				'Microsoft.Insights/alertRules/*',
				'Microsoft.Insights/metrics/read',
				'Microsoft.Insights/metricDefinitions/read'
			],
			notActions: [
				'Microsoft.Sql/managedInstances/azureADOnlyAuthentications/delete',
				'Microsoft.Sql/managedInstances/azureADOnlyAuthentications/write'
			]
		}
	),
	role(
		'056cd41c-7e88-42e1-933e-88ba6a50c9c3',
		'SQL Security Manager',
		'Lets you manage the security-related policies of SQL servers and databases, but not access to them.',
		{
			actions: [
				'Microsoft.Authorization/*/read',
				'Microsoft.Insights/alertRules/*',
				'Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action',
				'Microsoft.ResourceHealth/availabilityStatuses/read',
				'Microsoft.Resources/deployments/*',
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				'Microsoft.Sql/locations/administratorAzureAsyncOperation/read',
				'Microsoft.Sql/managedInstances/advancedThreatProtectionSettings/read',
				'Microsoft.Sql/managedInstances/advancedThreatProtectionSettings/write',
				'Microsoft.Sql/managedInstances/databases/advancedThreatProtectionSettings/read',
				'Microsoft.Sql/managedInstances/databases/advancedThreatProtectionSettings/write',
				'Microsoft.Sql/managedInstances/advancedThreatProtectionSettings/read',
				'Microsoft.Sql/managedInstances/advancedThreatProtectionSettings/write',
				'Microsoft.Sql/managedInstances/databases/advancedThreatProtectionSettings/read',
				'Microsoft.Sql/managedInstances/databases/advancedThreatProtectionSettings/write',
				'Microsoft.Sql/managedInstances/databases/currentSensitivityLabels/*',
				'Microsoft.Sql/managedInstances/databases/recommendedSensitivityLabels/*',
				'Microsoft.Sql/managedInstances/databases/schemas/tables/columns/sensitivityLabels/*',
				'Microsoft.Sql/managedInstances/databases/securityAlertPolicies/*',
				'Microsoft.Sql/managedInstances/databases/sensitivityLabels/*',
				'Microsoft.Sql/managedInstances/databases/vulnerabilityAssessments/*',
				'Microsoft.Sql/servers/advancedThreatProtectionSettings/read',
				'Microsoft.Sql/servers/advancedThreatProtectionSettings/write',
				'Microsoft.Sql/managedInstances/securityAlertPolicies/*',
				'Microsoft.Sql/managedInstances/databases/transparentDataEncryption/*',
				'Microsoft.Sql/managedInstances/vulnerabilityAssessments/*',
				'Microsoft.Sql/managedInstances/serverConfigurationOptions/read',
				'Microsoft.Sql/managedInstances/serverConfigurationOptions/write',
				'Microsoft.Sql/locations/serverConfigurationOptionAzureAsyncOperation/read',
				'Microsoft.Sql/servers/advancedThreatProtectionSettings/read',
				'Microsoft.Sql/servers/advancedThreatProtectionSettings/write',
				'Microsoft.Sql/servers/auditingSettings/*',
				'Microsoft.Sql/servers/extendedAuditingSettings/*',
				'Microsoft.Sql/servers/databases/advancedThreatProtectionSettings/read',
				'Microsoft.Sql/servers/databases/advancedThreatProtectionSettings/write',
				'Microsoft.Sql/servers/databases/advancedThreatProtectionSettings/read',
				'Microsoft.Sql/servers/databases/advancedThreatProtectionSettings/write',
				'Microsoft.Sql/servers/databases/auditingSettings/*',
				'Microsoft.Sql/servers/databases/auditRecords/read',
				'Microsoft.Sql/servers/databases/currentSensitivityLabels/*',
				'Microsoft.Sql/servers/databases/dataMaskingPolicies/*',
				'Microsoft.Sql/servers/databases/extendedAuditingSettings/read',
				'Microsoft.Sql/servers/databases/read',
				'Microsoft.Sql/servers/databases/recommendedSensitivityLabels/*',
				'Microsoft.Sql/servers/databases/schemas/read',
				'Microsoft.Sql/servers/databases/schemas/tables/columns/read',
				'Microsoft.Sql/servers/databases/schemas/tables/columns/sensitivityLabels/*',
				'Microsoft.Sql/servers/databases/schemas/tables/read',
				'Microsoft.Sql/servers/databases/securityAlertPolicies/*',
				'Microsoft.Sql/servers/databases/securityMetrics/*',
				'Microsoft.Sql/servers/databases/sensitivityLabels/*',
				'Microsoft.Sql/servers/databases/transparentDataEncryption/*',
				'Microsoft.Sql/servers/databases/sqlvulnerabilityAssessments/*',
				'Microsoft.Sql/servers/databases/vulnerabilityAssessments/*',
				'Microsoft.Sql/servers/databases/vulnerabilityAssessmentScans/*',
				'Microsoft.Sql/servers/databases/vulnerabilityAssessmentSettings/*',
				'Microsoft.Sql/servers/devOpsAuditingSettings/*',
				'Microsoft.Sql/servers/firewallRules/*',
				'Microsoft.Sql/servers/read',
				'Microsoft.Sql/servers/securityAlertPolicies/*',
				'Microsoft.Sql/servers/sqlvulnerabilityAssessments/*',
				'Microsoft.Sql/servers/vulnerabilityAssessments/*',
				'Microsoft.Support/*',
				'Microsoft.Sql/servers/azureADOnlyAuthentications/*',
				'Microsoft.Sql/managedInstances/read',
				'Microsoft.Sql/managedInstances/azureADOnlyAuthentications/*',
				'Microsoft.Security/sqlVulnerabilityAssessments/*',
				'Microsoft.Sql/managedInstances/administrators/read',
				'Microsoft.Sql/servers/administrators/read',
				'Microsoft.Sql/servers/databases/ledgerDigestUploads/*',
				'Microsoft.Sql/locations/ledgerDigestUploadsAzureAsyncOperation/read',
				'Microsoft.Sql/locations/ledgerDigestUploadsOperationResults/read',
				'Microsoft.Sql/servers/externalPolicyBasedAuthorizations/*'
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
