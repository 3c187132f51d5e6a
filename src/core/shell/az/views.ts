/**
 * Resources, identities, role assignments and directory objects in the shapes az prints them. Compute, web,
 * storage, SQL and managed-identity objects come flattened (the SDK models lift `properties` to the top);
 * Key Vault keeps `properties`. az adds `resourceGroup` to every object whose id names one.
 */
import type {
	IdentityHost,
	KeyVault,
	Resource,
	ResourceGroup,
	RoleAssignment,
	ServicePrincipal,
	SqlDatabase,
	SqlServer,
	StorageAccount,
	UserAssignedIdentityResource,
	VirtualMachine,
	VirtualMachineScaleSet,
	WebSite,
	World
} from '../../azure/model.ts';
import { RESOURCE_TYPES } from '../../azure/model.ts';
import { armIdentity, armResource, identityResourceId } from '../../azure/arm-view.ts';
import { currentCertificate } from '../../azure/queries.ts';
import { findRole, roleDefinitionArmId } from '../../azure/rbac/roles.ts';
import type { RoleDefinition } from '../../azure/rbac/roles.ts';
import { seededGuid } from '../../ids.ts';
import { azTime } from './common.ts';
import { scaleSetComputerName } from '../state.ts';
import { own } from '../../own.ts';

/** The `identity` of a resource as the SDK models print it (null when it has none). */
export function identityView(world: World, host: IdentityHost): Record<string, unknown> | null {
	const arm = armIdentity(world, host);
	if (arm.type === 'None') return null;
	return {
		principalId: arm.principalId ?? null,
		tenantId: arm.tenantId ?? null,
		type: arm.type,
		userAssignedIdentities: arm.userAssignedIdentities ?? null
	};
}

/** `az vm identity assign`'s summary: `{ systemAssignedIdentity, userAssignedIdentities }`. */
export function identityAssignSummary(world: World, host: IdentityHost): Record<string, unknown> {
	const arm = armIdentity(world, host);
	return {
		systemAssignedIdentity: arm.principalId ?? '',
		userAssignedIdentities: arm.userAssignedIdentities ?? {}
	};
}

function common(resource: Resource): Record<string, unknown> {
	return {
		id: resource.id,
		location: resource.location,
		name: resource.name,
		resourceGroup: resource.resourceGroup,
		tags: Object.keys(resource.tags).length ? { ...resource.tags } : null,
		type: RESOURCE_TYPES[resource.kind]
	};
}

function nicId(vm: VirtualMachine): string {
	return `${vm.id.replace(/\/providers\/.*$/, '')}/providers/Microsoft.Network/networkInterfaces/${vm.name}VMNic`;
}

/** `az vm show`. */
export function vmView(world: World, vm: VirtualMachine): Record<string, unknown> {
	return {
		...common(vm),
		hardwareProfile: { vmSize: vm.vmSize },
		identity: identityView(world, vm),
		networkProfile: { networkInterfaces: [{ id: nicId(vm), resourceGroup: vm.resourceGroup }] },
		osProfile: {
			adminUsername: 'azureuser',
			computerName: vm.name,
			linuxConfiguration: vm.osType === 'Linux' ? { disablePasswordAuthentication: true } : null,
			windowsConfiguration: vm.osType === 'Windows' ? { provisionVmAgent: true } : null
		},
		provisioningState: 'Succeeded',
		storageProfile: {
			osDisk: { createOption: 'FromImage', name: `${vm.name}_OsDisk_1`, osType: vm.osType }
		},
		timeCreated: azTime(vm.createdAt),
		vmId: vm.vmId,
		zones: null
	};
}

/** A public address for a VM, derived from its id (the lab has no public network). */
export function publicIp(vm: VirtualMachine): string {
	const n = Number.parseInt(vm.vmId.replace(/-/g, '').slice(0, 6), 16);
	return `20.${(n >> 16) & 0x7f}.${(n >> 8) & 0xff}.${(n & 0xfe) + 1}`;
}

/** `az vm create`'s summary. */
export function vmCreateView(world: World, vm: VirtualMachine): Record<string, unknown> {
	const mac = vm.vmId.replace(/-/g, '').slice(-12).toUpperCase().match(/../g)?.join('-') ?? '';
	const system = vm.identity.systemAssigned;
	const hasIdentity = system !== null || vm.identity.userAssigned.length > 0;
	return {
		fqdns: '',
		id: vm.id,
		...(hasIdentity ? { identity: identityAssignSummary(world, vm) } : {}),
		location: vm.location,
		macAddress: mac,
		powerState: 'VM running',
		privateIpAddress: vm.privateIp,
		publicIpAddress: publicIp(vm),
		resourceGroup: vm.resourceGroup,
		zones: ''
	};
}

/** `az vmss show`. */
export function vmssView(world: World, vmss: VirtualMachineScaleSet): Record<string, unknown> {
	return {
		...common(vmss),
		identity: identityView(world, vmss),
		orchestrationMode: 'Uniform',
		provisioningState: 'Succeeded',
		sku: { capacity: vmss.instances.length, name: vmss.vmSize, tier: 'Standard' },
		timeCreated: azTime(vmss.createdAt),
		uniqueId: seededGuid(world.seed, `vmss:${vmss.id.toLowerCase()}`),
		upgradePolicy: { mode: 'Manual' }
	};
}

/** `az vmss list-instances`. */
export function vmssInstanceView(
	vmss: VirtualMachineScaleSet,
	instance: VirtualMachineScaleSet['instances'][number]
): Record<string, unknown> {
	return {
		id: `${vmss.id}/virtualMachines/${instance.instanceId}`,
		instanceId: instance.instanceId,
		location: vmss.location,
		name: instance.name,
		osProfile: {
			adminUsername: 'azureuser',
			computerName: scaleSetComputerName(vmss, instance.instanceId)
		},
		provisioningState: 'Succeeded',
		resourceGroup: vmss.resourceGroup,
		sku: { name: vmss.vmSize, tier: 'Standard' },
		type: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines',
		vmId: instance.vmId
	};
}

/** `az webapp show` / `az functionapp show`. */
export function siteView(world: World, site: WebSite): Record<string, unknown> {
	return {
		...common(site),
		defaultHostName: site.defaultHostName,
		enabled: true,
		enabledHostNames: [
			site.defaultHostName,
			site.defaultHostName.replace('.azurewebsites.net', '.scm.azurewebsites.net')
		],
		hostNames: [site.defaultHostName],
		httpsOnly: true,
		identity: identityView(world, site),
		kind: site.kind === 'functionApp' ? 'functionapp,linux' : 'app,linux',
		state: 'Running'
	};
}

/** `az identity show`. */
export function identityResourceView(
	identity: UserAssignedIdentityResource
): Record<string, unknown> {
	// The MSI RP answers with lower-case `resourcegroups` in the id, and (api-version 2024-11-30, which current az
	// uses) `isolationScope` (azure-rest-api-specs msi examples/IdentityCreate.json; reference 4.2).
	return {
		...common(identity),
		id: identityResourceId(identity.id),
		tags: { ...identity.tags },
		clientId: identity.clientId,
		isolationScope: 'None',
		principalId: identity.principalId,
		systemData: null,
		tenantId: identity.tenantId
	};
}

/** `az group show`. */
export function groupView(group: ResourceGroup): Record<string, unknown> {
	return {
		id: group.id,
		location: group.location,
		managedBy: null,
		name: group.name,
		properties: { provisioningState: 'Succeeded' },
		tags: Object.keys(group.tags).length ? { ...group.tags } : null,
		type: 'Microsoft.Resources/resourceGroups'
	};
}

/** `az keyvault show` (Key Vault keeps ARM's `properties`). */
export function keyVaultView(world: World, vault: KeyVault): Record<string, unknown> {
	const arm = armResource(world, vault);
	return { ...arm, resourceGroup: vault.resourceGroup, systemData: null, tags: { ...vault.tags } };
}

/** `az storage account show`. */
export function storageAccountView(account: StorageAccount): Record<string, unknown> {
	return {
		...common(account),
		tags: { ...account.tags },
		allowBlobPublicAccess: false,
		allowSharedKeyAccess: true,
		creationTime: azTime(account.createdAt),
		kind: 'StorageV2',
		minimumTlsVersion: 'TLS1_2',
		primaryEndpoints: { blob: `https://${account.name}.blob.core.windows.net/` },
		primaryLocation: account.location,
		provisioningState: 'Succeeded',
		sku: { name: 'Standard_LRS', tier: 'Standard' },
		statusOfPrimary: 'available'
	};
}

/** `az sql server show`. */
export function sqlServerView(world: World, server: SqlServer): Record<string, unknown> {
	return {
		...common(server),
		administrators: server.adAdmin
			? {
					administratorType: 'ActiveDirectory',
					azureAdOnlyAuthentication: null,
					login: server.adAdmin.login,
					principalType: own(world.directory.users, server.adAdmin.sid) ? 'User' : 'Application',
					sid: server.adAdmin.sid,
					tenantId: world.tenant.tenantId
				}
			: null,
		fullyQualifiedDomainName: server.fullyQualifiedDomainName,
		kind: 'v12.0',
		state: 'Ready',
		version: '12.0'
	};
}

/** `az sql server ad-admin create/list`. */
export function sqlAdminView(world: World, server: SqlServer): Record<string, unknown> | null {
	if (!server.adAdmin) return null;
	return {
		administratorType: 'ActiveDirectory',
		azureAdOnlyAuthentication: null,
		id: `${server.id}/administrators/ActiveDirectory`,
		login: server.adAdmin.login,
		name: 'ActiveDirectory',
		resourceGroup: server.resourceGroup,
		sid: server.adAdmin.sid,
		tenantId: world.tenant.tenantId,
		type: 'Microsoft.Sql/servers/administrators'
	};
}

/** `az sql db show`. */
export function sqlDatabaseView(db: SqlDatabase): Record<string, unknown> {
	return {
		...common(db),
		creationDate: azTime(db.createdAt),
		databaseId: seededGuid('sql', db.id.toLowerCase()),
		kind: 'v12.0,user',
		sku: { capacity: 5, name: 'Basic', tier: 'Basic' },
		status: 'Online'
	};
}

/** The view az shows for any resource (`az resource show`, `az resource list`). */
export function resourceView(world: World, resource: Resource): Record<string, unknown> {
	switch (resource.kind) {
		case 'virtualMachine':
			return vmView(world, resource);
		case 'virtualMachineScaleSet':
			return vmssView(world, resource);
		case 'webApp':
		case 'functionApp':
			return siteView(world, resource);
		case 'userAssignedIdentity':
			return identityResourceView(resource);
		case 'keyVault':
			return keyVaultView(world, resource);
		case 'storageAccount':
			return storageAccountView(resource);
		case 'sqlServer':
			return sqlServerView(world, resource);
		case 'sqlDatabase':
			return sqlDatabaseView(resource);
	}
}

function subscriptionOf(world: World, scope: string): string {
	return /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? Object.keys(world.subscriptions)[0] ?? '';
}

function creatorId(world: World, createdBy: string): string | null {
	const user = Object.values(world.directory.users).find(
		(u) => u.userPrincipalName.toLowerCase() === createdBy.toLowerCase()
	);
	if (user) return user.id;
	return /^[0-9a-f-]{36}$/i.test(createdBy) ? createdBy : null;
}

/**
 * How az names a principal in `principalName`: a user's UPN, a service principal's first service principal
 * name (for a managed identity, its client id), else its display name; empty when it no longer exists.
 */
export function azPrincipalName(world: World, principalId: string): string {
	const id = principalId.toLowerCase();
	const user = own(world.directory.users, id);
	if (user) return user.userPrincipalName;
	const sp = own(world.directory.servicePrincipals, id);
	if (!sp) return '';
	return sp.servicePrincipalNames[0] ?? sp.displayName;
}

/** A role assignment as `az role assignment create` (without names) or `list` (with names) prints it. */
export function roleAssignmentView(
	world: World,
	assignment: RoleAssignment,
	withNames: boolean
): Record<string, unknown> {
	const group = /\/resourceGroups\/([^/]+)/i.exec(assignment.scope)?.[1];
	const creator = creatorId(world, assignment.createdBy);
	const view: Record<string, unknown> = {
		condition: null,
		conditionVersion: null,
		createdBy: withNames ? creator : null,
		createdOn: azTime(assignment.createdAt),
		delegatedManagedIdentityResourceId: null,
		description: assignment.description || null,
		id: assignment.id,
		name: assignment.name,
		principalId: assignment.principalId,
		// az keeps ARM's stored type for a deleted principal and leaves principalName empty (reference 4.4).
		principalType: assignment.principalType,
		...(group !== undefined ? { resourceGroup: group } : {}),
		roleDefinitionId: roleDefinitionArmId(
			subscriptionOf(world, assignment.scope),
			assignment.roleDefinitionId
		),
		scope: assignment.scope,
		type: 'Microsoft.Authorization/roleAssignments',
		updatedBy: creator,
		updatedOn: azTime(assignment.createdAt)
	};
	if (withNames) {
		view.principalName = azPrincipalName(world, assignment.principalId);
		view.roleDefinitionName = findRole(assignment.roleDefinitionId)?.roleName ?? null;
	}
	return view;
}

/** `az role definition list`. */
export function roleDefinitionView(world: World, role: RoleDefinition): Record<string, unknown> {
	return {
		assignableScopes: [...role.assignableScopes],
		description: role.description,
		id: roleDefinitionArmId(Object.keys(world.subscriptions)[0] ?? '', role.id),
		name: role.id,
		permissions: role.permissions.map((p) => ({
			actions: [...p.actions],
			condition: p.condition ?? null,
			conditionVersion: p.conditionVersion ?? null,
			dataActions: [...p.dataActions],
			notActions: [...p.notActions],
			notDataActions: [...p.notDataActions]
		})),
		roleName: role.roleName,
		roleType: role.roleType,
		type: 'Microsoft.Authorization/roleDefinitions'
	};
}

/** A service principal as Microsoft Graph returns it (`az ad sp show`). */
export function servicePrincipalView(world: World, sp: ServicePrincipal): Record<string, unknown> {
	const cert = currentCertificate(world, sp);
	return {
		'@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity',
		accountEnabled: sp.accountEnabled,
		addIns: [],
		alternativeNames: [...sp.alternativeNames],
		appDescription: null,
		appDisplayName: sp.servicePrincipalType === 'ManagedIdentity' ? null : sp.displayName,
		appId: sp.appId,
		appOwnerOrganizationId: sp.appOwnerOrganizationId,
		appRoleAssignmentRequired: false,
		appRoles: [],
		applicationTemplateId: null,
		createdDateTime: new Date(sp.createdAt * 1000).toISOString().replace('.000Z', 'Z'),
		deletedDateTime: null,
		description: null,
		displayName: sp.displayName,
		homepage: null,
		id: sp.id,
		info: {
			logoUrl: null,
			marketingUrl: null,
			privacyStatementUrl: null,
			supportUrl: null,
			termsOfServiceUrl: null
		},
		keyCredentials: cert
			? [
					{
						customKeyIdentifier: cert.thumbprint,
						displayName: cert.issuer,
						endDateTime: new Date(cert.notAfter * 1000).toISOString().replace('.000Z', 'Z'),
						key: null,
						keyId: seededGuid(world.seed, `keyCredential:${sp.id}:${cert.thumbprint}`),
						startDateTime: new Date(cert.notBefore * 1000).toISOString().replace('.000Z', 'Z'),
						type: 'AsymmetricX509Cert',
						usage: 'Verify'
					}
				]
			: [],
		notificationEmailAddresses: [],
		oauth2PermissionScopes: [],
		passwordCredentials: [],
		replyUrls: [],
		servicePrincipalNames: [...sp.servicePrincipalNames],
		servicePrincipalType: sp.servicePrincipalType,
		signInAudience: sp.servicePrincipalType === 'ManagedIdentity' ? null : 'AzureADMyOrg',
		tags: []
	};
}
