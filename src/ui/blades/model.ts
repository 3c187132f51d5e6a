/**
 * What the blades show, derived from a world: scopes, role-assignment rows with This resource / (Inherited),
 * the managed identities the Select managed identities pane offers, role categories. Pure, tested in node.
 */
import {
	assignmentState,
	BUILT_IN_ROLES,
	findRole,
	getResource,
	getServicePrincipal,
	idKey,
	isIdentityHost,
	kindLabel,
	resourcesUsingIdentity,
	type AssignmentState,
	type IdentityHost,
	type Resource,
	type RoleAssignment,
	type RoleDefinition,
	type World
} from '../../core/index.ts';
import type { BladeRef } from '../lab/view.svelte.ts';

/** The ARM scope a blade is about (subscription, resource group or resource); null for directory blades. */
export function scopeOfBlade(world: World, blade: BladeRef): string | null {
	switch (blade.kind) {
		case 'subscription':
			return Object.values(world.subscriptions)[0]?.id ?? null;
		case 'resourceGroup':
		case 'resource':
			return blade.id;
		default:
			return null;
	}
}

/** True when an assignment at `assignmentScope` applies at `scope` (the scope itself or one above it). */
export function coversScope(world: World, assignmentScope: string, scope: string): boolean {
	const a = idKey(assignmentScope);
	const s = idKey(scope);
	if (a === s || a === '/') return true;
	if (a.startsWith('/subscriptions/')) return s.startsWith(`${a}/`);
	// A management group covers the subscriptions placed under it.
	return Object.values(world.subscriptions).some(
		(sub) =>
			idKey(sub.managementGroupId) === a &&
			(s === idKey(sub.id) || s.startsWith(`${idKey(sub.id)}/`))
	);
}

/** How the portal names a principal's type in the IAM lists. */
export type PrincipalKind = 'User' | 'Service principal' | 'Managed identity' | 'Unknown';

/** A principal as the blades show it; a deleted one is "Identity not found". */
export interface PrincipalInfo {
	id: string;
	name: string;
	kind: PrincipalKind;
	/** For a managed identity: the resource it stands for. */
	resourceId: string | null;
	exists: boolean;
}

/** Who a principal id is, in the world's directory. */
export function principalInfo(world: World, principalId: string): PrincipalInfo {
	const id = principalId.toLowerCase();
	const user = Object.hasOwn(world.directory.users, id) ? world.directory.users[id] : undefined;
	if (user) return { id, name: user.displayName, kind: 'User', resourceId: null, exists: true };
	const sp = getServicePrincipal(world, id);
	if (sp) {
		return {
			id,
			name: sp.displayName,
			kind:
				sp.servicePrincipalType === 'ManagedIdentity' ? 'Managed identity' : 'Service principal',
			resourceId: sp.managedIdentityResourceId,
			exists: true
		};
	}
	return { id, name: 'Identity not found', kind: 'Unknown', resourceId: null, exists: false };
}

/** One row of a Role assignments list. */
export interface AssignmentRow {
	assignment: RoleAssignment;
	role: RoleDefinition | undefined;
	principal: PrincipalInfo;
	/** True for an assignment made at this very scope ("This resource"), false when inherited. */
	here: boolean;
	state: AssignmentState;
	/** A short name of where the assignment was made. */
	scopeName: string;
}

function row(world: World, assignment: RoleAssignment, scope: string | null): AssignmentRow {
	return {
		assignment,
		role: findRole(assignment.roleDefinitionId),
		principal: principalInfo(world, assignment.principalId),
		here: scope !== null && idKey(assignment.scope) === idKey(scope),
		state: assignmentState(world, assignment),
		scopeName: scopeName(world, assignment.scope)
	};
}

/** Assignments at `scope` and inherited from above it (not those at child scopes), still in force or pending. */
export function assignmentsAtScope(world: World, scope: string): AssignmentRow[] {
	return Object.values(world.roleAssignments)
		.filter((a) => coversScope(world, a.scope, scope))
		.map((a) => row(world, a, scope))
		.filter((r) => r.state !== 'removed')
		.sort(
			(x, y) =>
				Number(y.here) - Number(x.here) ||
				(x.role?.roleName ?? '').localeCompare(y.role?.roleName ?? '') ||
				x.principal.name.localeCompare(y.principal.name)
		);
}

/** Check access: one principal's assignments at `scope` and inherited. */
export function accessAt(world: World, scope: string, principalId: string): AssignmentRow[] {
	const id = principalId.toLowerCase();
	return assignmentsAtScope(world, scope).filter((r) => r.assignment.principalId === id);
}

/** Every assignment of a principal anywhere (the identity's Azure role assignments page). */
export function assignmentsOf(world: World, principalId: string): AssignmentRow[] {
	const id = principalId.toLowerCase();
	return Object.values(world.roleAssignments)
		.filter((a) => a.principalId === id)
		.map((a) => row(world, a, null))
		.filter((r) => r.state !== 'removed')
		.sort((x, y) => x.assignment.createdAt - y.assignment.createdAt);
}

/** A learner-facing name of a scope: "Subscription Contoso Production", "Resource group rg-stock", "kv-stock". */
export function scopeName(world: World, scope: string): string {
	const key = idKey(scope);
	if (key === '/') return 'Root (/)';
	const mg = Object.values(world.managementGroups).find((m) => idKey(m.id) === key);
	if (mg) return `Management group ${mg.displayName}`;
	const sub = Object.values(world.subscriptions).find((s) => idKey(s.id) === key);
	if (sub) return `Subscription ${sub.displayName}`;
	const group = Object.hasOwn(world.resourceGroups, key) ? world.resourceGroups[key] : undefined;
	if (group) return `Resource group ${group.name}`;
	const resource = getResource(world, scope);
	if (resource) return `${resource.name} (${kindLabel(resource.kind)})`;
	const owner = Object.values(world.resources)
		.filter((r) => key.startsWith(`${idKey(r.id)}/`))
		.sort((a, b) => b.id.length - a.id.length)[0];
	if (owner) return `${scope.slice(owner.id.length + 1)} in ${owner.name}`;
	return scope;
}

/** Roles the portal files under Privileged administrator roles (ui-anchors A.1.3). */
export const PRIVILEGED_ROLE_NAMES: readonly string[] = [
	'Owner',
	'Contributor',
	'User Access Administrator',
	'Role Based Access Control Administrator'
];

/** True for a privileged administrator role. */
export function isPrivileged(role: RoleDefinition): boolean {
	return PRIVILEGED_ROLE_NAMES.includes(role.roleName);
}

/** The roles of one Role tab, filtered by a search over name and description. */
export function rolesFor(tab: 'job' | 'privileged', search: string): RoleDefinition[] {
	const q = search.trim().toLowerCase();
	return BUILT_IN_ROLES.filter(
		(r) =>
			(tab === 'privileged') === isPrivileged(r) &&
			(q === '' ||
				r.roleName.toLowerCase().includes(q) ||
				r.description.toLowerCase().includes(q) ||
				r.id.includes(q))
	);
}

/** Values of the Managed identity dropdown in Select managed identities. */
export const MI_TYPES = [
	'userAssigned',
	'virtualMachine',
	'virtualMachineScaleSet',
	'webApp',
	'functionApp',
	'allSystemAssigned'
] as const;
export type MiType = (typeof MI_TYPES)[number];

/** A managed identity the pane offers. */
export interface MiCandidate {
	principalId: string;
	name: string;
	resourceId: string;
	resourceGroup: string;
	kind: Resource['kind'];
}

/** The managed identities of one type in the world, by name. */
export function managedIdentityCandidates(world: World, type: MiType): MiCandidate[] {
	const out: MiCandidate[] = [];
	for (const r of Object.values(world.resources)) {
		if (r.kind === 'userAssignedIdentity') {
			if (type === 'userAssigned')
				out.push({
					principalId: r.principalId,
					name: r.name,
					resourceId: r.id,
					resourceGroup: r.resourceGroup,
					kind: r.kind
				});
			continue;
		}
		if (!isIdentityHost(r) || !r.identity.systemAssigned) continue;
		if (type === 'allSystemAssigned' || type === r.kind)
			out.push({
				principalId: r.identity.systemAssigned.principalId,
				name: r.name,
				resourceId: r.id,
				resourceGroup: r.resourceGroup,
				kind: r.kind
			});
	}
	return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Every managed identity (for Check access): user-assigned and system-assigned. */
export function allManagedIdentities(world: World): MiCandidate[] {
	return [
		...managedIdentityCandidates(world, 'userAssigned'),
		...managedIdentityCandidates(world, 'allSystemAssigned')
	].sort((a, b) => a.name.localeCompare(b.name));
}

/** Identity hosts using a user-assigned identity (the Associated resources page). */
export function associatedResources(world: World, identityId: string): IdentityHost[] {
	return resourcesUsingIdentity(world, identityId).sort((a, b) => a.name.localeCompare(b.name));
}

/** Resources in a resource group, by name. */
export function resourcesInGroup(world: World, groupId: string): Resource[] {
	const group = Object.hasOwn(world.resourceGroups, idKey(groupId))
		? world.resourceGroups[idKey(groupId)]
		: undefined;
	if (!group) return [];
	return Object.values(world.resources)
		.filter((r) => r.resourceGroup.toLowerCase() === group.name.toLowerCase())
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Scopes offered by the identity-first Add role assignment (Preview) pane. */
export type ScopeKind = 'subscription' | 'resourceGroup' | Resource['kind'];

/** Resources of a kind (for the pane's resource list), by name. */
export function resourcesOfKind(world: World, kind: Resource['kind']): Resource[] {
	return Object.values(world.resources)
		.filter((r) => r.kind === kind)
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** A simulated time as the portal prints it (UTC). */
export function formatTime(seconds: number): string {
	return new Date(seconds * 1000)
		.toISOString()
		.replace('T', ' ')
		.replace(/\.\d+Z$/, ' UTC');
}
