/**
 * The portal blades' actions, each as a `PortalAction` for `session.act()`: the core operations it applies, the
 * equivalent Azure CLI line, and the ARM request the portal would send with the response ARM gives. Pure: no
 * Svelte, no DOM, so the node tests check that every action and its az line change the world the same way.
 */
import {
	armResource,
	armRoleAssignment,
	findRole,
	getResource,
	isIdentityHost,
	RESOURCE_TYPES,
	type IdentityHost,
	type Operation,
	type PrincipalType,
	type Resource,
	type RoleAssignment,
	type World
} from '../../core/index.ts';
import type { ArmExchange, PortalAction } from '../lab/session.svelte.ts';

/** Where the portal sends its control-plane requests. */
export const ARM_ENDPOINT = 'https://management.azure.com';

/** api-version the portal uses per resource provider (the values az and the REST docs use). */
export const API_VERSIONS = {
	compute: '2024-07-01',
	web: '2023-12-01',
	managedIdentity: '2023-01-31',
	authorization: '2022-04-01',
	resources: '2022-09-01'
} as const;

/** The api-version for a resource's own URL. */
export function apiVersionFor(resource: Pick<Resource, 'kind'>): string {
	switch (resource.kind) {
		case 'virtualMachine':
		case 'virtualMachineScaleSet':
			return API_VERSIONS.compute;
		case 'webApp':
		case 'functionApp':
			return API_VERSIONS.web;
		case 'userAssignedIdentity':
			return API_VERSIONS.managedIdentity;
		default:
			return API_VERSIONS.resources;
	}
}

/** The full URL of a resource (or any ARM path) with its api-version. */
export function armUrl(path: string, apiVersion: string): string {
	return `${ARM_ENDPOINT}${path}?api-version=${apiVersion}`;
}

/** Quotes a shell word only when it needs it (spaces, quotes, `$`…), the way a learner would type it. */
export function shellWord(word: string): string {
	if (word !== '' && /^[\w@%+=:,./[\]-]+$/.test(word)) return word;
	return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The az command group of an identity host (`vm`, `vmss`, `webapp`, `functionapp`). */
export function azGroupOf(host: Pick<IdentityHost, 'kind'>): string {
	switch (host.kind) {
		case 'virtualMachine':
			return 'vm';
		case 'virtualMachineScaleSet':
			return 'vmss';
		case 'webApp':
			return 'webapp';
		case 'functionApp':
			return 'functionapp';
	}
}

/** `identity.type` as the host's resource provider spells it. */
function identityType(host: IdentityHost, system: boolean, user: boolean): string {
	if (system && user)
		return host.kind === 'webApp' || host.kind === 'functionApp'
			? 'SystemAssigned,UserAssigned'
			: 'SystemAssigned, UserAssigned';
	if (system) return 'SystemAssigned';
	if (user) return 'UserAssigned';
	return 'None';
}

/** The portal's PATCH of a host's `identity`, answered with the resource as ARM returns it afterwards. */
function identityPatch(
	host: IdentityHost,
	identity: Record<string, unknown>
): (before: World, after: World) => ArmExchange | null {
	return (_before, after) => {
		const now = getResource(after, host.id);
		return {
			method: 'PATCH',
			url: armUrl(host.id, apiVersionFor(host)),
			requestBody: { identity },
			status: 200,
			responseBody: now ? armResource(after, now) : null
		};
	};
}

function hostLine(verb: 'assign' | 'remove', host: IdentityHost, identities?: string[]): string {
	const base = `az ${azGroupOf(host)} identity ${verb} -g ${shellWord(host.resourceGroup)} -n ${shellWord(host.name)}`;
	return identities?.length ? `${base} --identities ${identities.map(shellWord).join(' ')}` : base;
}

/** Identity blade, System assigned tab: Status On → Save → Yes. */
export function enableSystemIdentityAction(host: IdentityHost): PortalAction {
	const users = host.identity.userAssigned;
	// Resending the attached user-assigned identities keeps them (managed-identities.md §4.1).
	const identity: Record<string, unknown> = { type: identityType(host, true, users.length > 0) };
	if (users.length) identity.userAssignedIdentities = Object.fromEntries(users.map((u) => [u, {}]));
	return {
		label: `Enable the system assigned identity of ${host.name}`,
		operations: [{ type: 'enableSystemIdentity', resourceId: host.id }],
		azCommand: hostLine('assign', host),
		arm: identityPatch(host, identity)
	};
}

/** Identity blade, System assigned tab: Status Off → Save → Yes. */
export function disableSystemIdentityAction(host: IdentityHost): PortalAction {
	const users = host.identity.userAssigned;
	const identity: Record<string, unknown> = { type: identityType(host, false, users.length > 0) };
	if (users.length) identity.userAssignedIdentities = Object.fromEntries(users.map((u) => [u, {}]));
	return {
		label: `Disable the system assigned identity of ${host.name}`,
		operations: [{ type: 'disableSystemIdentity', resourceId: host.id }],
		azCommand: hostLine('remove', host),
		arm: identityPatch(host, identity)
	};
}

/** Identity blade, User assigned tab: + Add → pick identities → Add. */
export function addUserIdentitiesAction(host: IdentityHost, identityIds: string[]): PortalAction {
	const system = host.identity.systemAssigned !== null;
	return {
		label: `Add user assigned identities to ${host.name}`,
		operations: identityIds.map((identityId) => ({
			type: 'assignUserIdentity',
			resourceId: host.id,
			identityId
		})),
		azCommand: hostLine('assign', host, identityIds),
		arm: identityPatch(host, {
			type: identityType(host, system, true),
			userAssignedIdentities: Object.fromEntries(identityIds.map((id) => [id, {}]))
		})
	};
}

/** Identity blade, User assigned tab: select → Remove → Yes. */
export function removeUserIdentitiesAction(
	host: IdentityHost,
	identityIds: string[]
): PortalAction {
	const system = host.identity.systemAssigned !== null;
	const gone = new Set(identityIds.map((id) => id.toLowerCase()));
	const left = host.identity.userAssigned.filter((u) => !gone.has(u.toLowerCase()));
	// Compute removes identities with their keys set to null; the last one goes by dropping the type.
	const identity: Record<string, unknown> = left.length
		? {
				type: identityType(host, system, true),
				userAssignedIdentities: Object.fromEntries(identityIds.map((id) => [id, null]))
			}
		: { type: identityType(host, system, false) };
	const names = identityIds.map((id) => id.split('/').pop() ?? id).join(', ');
	return {
		label: `Remove the user assigned identity ${names} from ${host.name}`,
		operations: identityIds.map((identityId) => ({
			type: 'unassignUserIdentity',
			resourceId: host.id,
			identityId
		})),
		azCommand: hostLine('remove', host, identityIds),
		arm: identityPatch(host, identity)
	};
}

/** What the Create User Assigned Managed Identity form asks for. */
export interface CreateIdentityInput {
	resourceGroup: string;
	name: string;
	location: string;
}

/** Managed Identities → + Create → Review + create → Create. */
export function createUserIdentityAction(world: World, input: CreateIdentityInput): PortalAction {
	const group = Object.values(world.resourceGroups).find(
		(g) => g.name.toLowerCase() === input.resourceGroup.toLowerCase()
	);
	const subscription = group?.subscriptionId ?? Object.keys(world.subscriptions)[0] ?? '';
	const id = `/subscriptions/${subscription}/resourceGroups/${group?.name ?? input.resourceGroup}/providers/${RESOURCE_TYPES.userAssignedIdentity}/${input.name}`;
	return {
		label: `Create the user assigned managed identity ${input.name}`,
		operations: [
			{
				type: 'createUserIdentity',
				resourceGroup: input.resourceGroup,
				name: input.name,
				location: input.location,
				tags: {}
			}
		],
		azCommand: `az identity create -g ${shellWord(input.resourceGroup)} -n ${shellWord(input.name)} -l ${shellWord(input.location)}`,
		arm: (_before, after) => {
			const created = getResource(after, id);
			return {
				method: 'PUT',
				url: armUrl(id, API_VERSIONS.managedIdentity),
				requestBody: { location: input.location, tags: {} },
				status: 201,
				responseBody: created ? armResource(after, created) : null
			};
		}
	};
}

/** The az line that deletes a resource: `az identity delete` for identities, `az resource delete` otherwise. */
export function deleteLine(resource: Resource): string {
	if (resource.kind === 'userAssignedIdentity')
		return `az identity delete -g ${shellWord(resource.resourceGroup)} -n ${shellWord(resource.name)}`;
	return `az resource delete --ids ${shellWord(resource.id)}`;
}

/** A resource's Delete button (→ confirmation). */
export function deleteResourceAction(resource: Resource): PortalAction {
	return {
		label: `Delete ${resource.name}`,
		operations: [{ type: 'deleteResource', resourceId: resource.id }],
		azCommand: deleteLine(resource),
		arm: () => ({
			method: 'DELETE',
			url: armUrl(resource.id, apiVersionFor(resource)),
			requestBody: null,
			status: 200,
			responseBody: null
		})
	};
}

/** What the Add role assignment wizard (or the Identity blade's Add role assignment pane) chose. */
export interface RoleAssignmentInput {
	scope: string;
	/** Role name or GUID. */
	role: string;
	principalId: string;
	principalType: PrincipalType;
	description?: string;
}

/** The role assignment a world gained between two states (the one an action created). */
export function createdAssignment(before: World, after: World): RoleAssignment | undefined {
	return Object.values(after.roleAssignments).find(
		(a) => !Object.hasOwn(before.roleAssignments, a.name)
	);
}

/** Access control (IAM) → Add role assignment → Review + assign. */
export function addRoleAssignmentAction(input: RoleAssignmentInput): PortalAction {
	const role = findRole(input.role);
	const roleName = role?.roleName ?? input.role;
	const description = input.description?.trim() ? input.description.trim() : undefined;
	const operation: Operation = {
		type: 'createRoleAssignment',
		role: role?.id ?? input.role,
		scope: input.scope,
		principalId: input.principalId,
		principalType: input.principalType,
		...(description !== undefined ? { description } : {})
	};
	const az = [
		'az role assignment create',
		`--assignee-object-id ${shellWord(input.principalId)}`,
		`--assignee-principal-type ${input.principalType}`,
		`--role ${shellWord(roleName)}`,
		`--scope ${shellWord(input.scope)}`,
		...(description !== undefined ? [`--description ${shellWord(description)}`] : [])
	].join(' ');
	return {
		label: `Assign ${roleName}`,
		operations: [operation],
		azCommand: az,
		arm: (before, after) => {
			const created = createdAssignment(before, after);
			if (!created) return null;
			const view = armRoleAssignment(after, created);
			const properties = view.properties as Record<string, unknown>;
			return {
				method: 'PUT',
				url: armUrl(created.id, API_VERSIONS.authorization),
				requestBody: {
					properties: {
						roleDefinitionId: properties.roleDefinitionId,
						principalId: input.principalId,
						principalType: input.principalType,
						...(description !== undefined ? { description } : {})
					}
				},
				status: 201,
				responseBody: view
			};
		}
	};
}

/** Role assignments tab: select → Remove → Yes. */
export function removeRoleAssignmentAction(assignment: RoleAssignment): PortalAction {
	const role = findRole(assignment.roleDefinitionId);
	return {
		label: `Remove the role assignment ${role?.roleName ?? assignment.roleDefinitionId}`,
		operations: [{ type: 'deleteRoleAssignment', id: assignment.id }],
		azCommand: `az role assignment delete --ids ${shellWord(assignment.id)}`,
		arm: (before) => ({
			method: 'DELETE',
			url: armUrl(assignment.id, API_VERSIONS.authorization),
			requestBody: null,
			status: 200,
			responseBody: armRoleAssignment(before, assignment)
		})
	};
}

/** The identity host with this id in the world, if it is one. */
export function hostById(world: World, id: string): IdentityHost | undefined {
	const resource = getResource(world, id);
	return resource && isIdentityHost(resource) ? resource : undefined;
}
