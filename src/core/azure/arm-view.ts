/** Resources, identities and role assignments rendered exactly as ARM returns them. */
import type { IdentityHost, Resource, RoleAssignment, World } from './model.ts';
import { RESOURCE_TYPES } from './model.ts';
import { idKey } from './naming.ts';
import { directoryObjectType, isIdentityHost, principalDisplayName } from './queries.ts';
import { findRole, roleDefinitionArmId } from './rbac/roles.ts';
import { own } from '../own.ts';

/** ARM's `identity` object: `{ type, principalId?, tenantId?, userAssignedIdentities? }`. */
export interface ArmIdentity {
	type:
		| 'None'
		| 'SystemAssigned'
		| 'UserAssigned'
		| 'SystemAssigned, UserAssigned'
		| 'SystemAssigned,UserAssigned';
	principalId?: string;
	tenantId?: string;
	userAssignedIdentities?: Record<string, { principalId: string; clientId: string }>;
}

/**
 * The `identity` property of a resource as ARM returns it. Compute writes the combined type with a space
 * (`SystemAssigned, UserAssigned`), App Service without.
 */
export function armIdentity(world: World, host: IdentityHost): ArmIdentity {
	const system = host.identity.systemAssigned;
	const users = host.identity.userAssigned;
	const combined =
		host.kind === 'webApp' || host.kind === 'functionApp'
			? 'SystemAssigned,UserAssigned'
			: 'SystemAssigned, UserAssigned';
	const type =
		system && users.length
			? combined
			: system
				? 'SystemAssigned'
				: users.length
					? 'UserAssigned'
					: 'None';
	const out: ArmIdentity = { type };
	if (system) {
		out.principalId = system.principalId;
		out.tenantId = system.tenantId;
	}
	if (users.length) {
		out.userAssignedIdentities = {};
		for (const id of users) {
			const identity = own(world.resources, idKey(id));
			if (identity?.kind === 'userAssignedIdentity') {
				out.userAssignedIdentities[identity.id] = {
					principalId: identity.principalId,
					clientId: identity.clientId
				};
			}
		}
	}
	return out;
}

/**
 * A user-assigned identity's id as the Microsoft.ManagedIdentity RP returns it: lower-case `resourcegroups`
 * (azure-rest-api-specs msi examples/IdentityCreate.json; reference 4.2).
 */
export function identityResourceId(id: string): string {
	return id.replace(/\/resourceGroups\//i, '/resourcegroups/');
}

/**
 * A resource as `GET {id}` on ARM returns it (the parts the simulator models). ARM bodies have no `resourceGroup`
 * member — that is az's addition.
 */
export function armResource(world: World, resource: Resource): Record<string, unknown> {
	const common = {
		id: resource.id,
		name: resource.name,
		type: RESOURCE_TYPES[resource.kind],
		location: resource.location,
		tags: { ...resource.tags }
	};
	const identity = isIdentityHost(resource) ? { identity: armIdentity(world, resource) } : {};
	switch (resource.kind) {
		case 'virtualMachine':
			return {
				...common,
				...identity,
				properties: {
					vmId: resource.vmId,
					hardwareProfile: { vmSize: resource.vmSize },
					storageProfile: { osDisk: { osType: resource.osType } },
					provisioningState: 'Succeeded'
				}
			};
		case 'virtualMachineScaleSet':
			return {
				...common,
				...identity,
				sku: { name: resource.vmSize, tier: 'Standard', capacity: resource.instances.length },
				properties: { provisioningState: 'Succeeded', orchestrationMode: 'Uniform' }
			};
		case 'webApp':
		case 'functionApp':
			return {
				...common,
				kind: `${resource.kind === 'functionApp' ? 'functionapp' : 'app'}${resource.osType === 'Windows' ? '' : ',linux'}`,
				...identity,
				properties: { defaultHostName: resource.defaultHostName, state: 'Running', httpsOnly: true }
			};
		case 'storageAccount':
			return {
				...common,
				kind: 'StorageV2',
				sku: { name: 'Standard_LRS', tier: 'Standard' },
				properties: {
					primaryEndpoints: { blob: `https://${resource.name}.blob.core.windows.net/` },
					allowSharedKeyAccess: true,
					provisioningState: 'Succeeded'
				}
			};
		case 'keyVault':
			return {
				...common,
				properties: {
					tenantId: world.tenant.tenantId,
					vaultUri: resource.vaultUri,
					enableRbacAuthorization: resource.enableRbacAuthorization,
					sku: { family: 'A', name: 'standard' },
					provisioningState: 'Succeeded'
				}
			};
		case 'sqlServer':
			return {
				...common,
				kind: 'v12.0',
				properties: {
					fullyQualifiedDomainName: resource.fullyQualifiedDomainName,
					administrators: resource.adAdmin
						? {
								administratorType: 'ActiveDirectory',
								login: resource.adAdmin.login,
								sid: resource.adAdmin.sid,
								tenantId: world.tenant.tenantId
							}
						: null,
					state: 'Ready'
				}
			};
		case 'sqlDatabase':
			return {
				...common,
				name: `${resource.serverName}/${resource.name}`,
				properties: { status: 'Online' }
			};
		case 'userAssignedIdentity':
			return {
				...common,
				id: identityResourceId(resource.id),
				properties: {
					clientId: resource.clientId,
					principalId: resource.principalId,
					tenantId: resource.tenantId,
					isolationScope: 'None'
				}
			};
	}
}

/**
 * A role assignment as ARM returns it. A deleted principal keeps its stored `principalType` (only the portal shows
 * "Identity not found" / Unknown; reference 4.4); `principalExists` in rbac/authorize tells the two apart.
 */
export function armRoleAssignment(
	world: World,
	assignment: RoleAssignment
): Record<string, unknown> {
	// Above a subscription (root, management group) ARM names the role at tenant level.
	const subscription = /^\/subscriptions\/([^/]+)/i.exec(assignment.scope)?.[1] ?? '';
	const role = findRole(assignment.roleDefinitionId);
	const exists = directoryObjectType(world, assignment.principalId) !== undefined;
	return {
		id: assignment.id,
		name: assignment.name,
		type: 'Microsoft.Authorization/roleAssignments',
		properties: {
			roleDefinitionId: roleDefinitionArmId(subscription, assignment.roleDefinitionId),
			roleDefinitionName: role?.roleName ?? '',
			principalId: assignment.principalId,
			principalType: assignment.principalType,
			principalName: exists ? principalDisplayName(world, assignment.principalId) : '',
			scope: assignment.scope,
			description: assignment.description || null,
			createdOn: new Date(assignment.createdAt * 1000).toISOString(),
			createdBy: assignment.createdBy
		}
	};
}
