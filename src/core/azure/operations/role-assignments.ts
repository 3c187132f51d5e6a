/** Creating and deleting Azure RBAC role assignments, with ARM's checks and the propagation delay. */
import type { PrincipalType, RoleAssignment, World } from '../model.ts';
import type { OperationError } from '../errors.ts';
import { opError } from '../errors.ts';
import type { OperationContext, WorldDraft } from './context.ts';
import { idKey } from '../naming.ts';
import { ownEntry } from '../queries.ts';
import { indexOf, recordGet } from '../store/record.ts';
import { assignmentsByScope, lookup } from '../store/indexes.ts';
import { findRole } from '../rbac/roles.ts';
import { addSeconds, describeDuration } from '../../clock.ts';
import { isGuid } from '../../ids.ts';
import { own } from '../../own.ts';
import { isPrincipalReplicating } from './replication.ts';

const OWNER_ROLE_ID = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

interface ScopeIssue {
	code: 'InvalidScope' | 'ScopeNotFound';
	message: string;
}

const invalid = (message: string): ScopeIssue => ({ code: 'InvalidScope', message });
const missing = (message: string): ScopeIssue => ({ code: 'ScopeNotFound', message });

/** Why a scope cannot take a role assignment: it is not a scope at all, or it names nothing that exists. */
function scopeIssue(world: World, scope: string): ScopeIssue | null {
	if (typeof scope !== 'string' || !scope.startsWith('/')) {
		return invalid(
			`'${String(scope)}' is not a scope. A scope starts with / — for example /subscriptions/<id>/resourceGroups/rg-stock.`
		);
	}
	const key = idKey(scope);
	if (key === '/') return null;
	const mg = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)$/.exec(key);
	if (mg) {
		return Object.values(world.managementGroups).some((m) => idKey(m.id) === key)
			? null
			: missing(`Management group '${mg[1] ?? ''}' does not exist.`);
	}
	const sub = /^\/subscriptions\/([^/]+)(\/.*)?$/.exec(key);
	if (!sub)
		return invalid(
			`'${scope}' is not a scope Azure knows. Use a subscription, resource group or resource id.`
		);
	const subscription = Object.values(world.subscriptions).find(
		(s) => s.subscriptionId.toLowerCase() === sub[1]
	);
	if (!subscription)
		return missing(`Subscription '${sub[1] ?? ''}' does not exist in this tenant.`);
	const rest = sub[2] ?? '';
	if (!rest) return null;
	const rg = /^\/resourcegroups\/([^/]+)(\/.*)?$/.exec(rest);
	if (!rg) return invalid(`'${scope}' is not a valid scope below the subscription.`);
	const groupKey = `/subscriptions/${sub[1] ?? ''}/resourcegroups/${rg[1] ?? ''}`;
	if (!ownEntry(world.resourceGroups, groupKey))
		return missing(`Resource group '${rg[1] ?? ''}' could not be found.`);
	if (!rg[2]) return null;
	// The longest existing resource id that prefixes the scope, then the child path below it.
	const owner = longestResourcePrefix(world, key);
	if (owner === undefined) return missing(`The resource '${scope}' could not be found.`);
	const resource = recordGet(world.resources, owner);
	const child = key.slice(owner.length);
	if (!child || !resource) return null;
	if (resource.kind === 'storageAccount') {
		const m = /^\/blobservices\/default(?:\/containers\/([^/]+)(?:\/blobs\/(.+))?)?$/.exec(child);
		if (!m) return invalid(`'${scope}' is not a scope inside storage account '${resource.name}'.`);
		if (!m[1]) return null;
		const container = Object.entries(resource.containers).find(([n]) => n.toLowerCase() === m[1]);
		if (!container)
			return missing(`Container '${m[1]}' does not exist in storage account '${resource.name}'.`);
		return m[2] && !Object.keys(container[1].blobs).some((b) => b.toLowerCase() === m[2])
			? missing(`Blob '${m[2]}' does not exist in container '${m[1]}'.`)
			: null;
	}
	if (resource.kind === 'keyVault') {
		const m = /^\/secrets\/([^/]+)$/.exec(child);
		if (!m) return invalid(`'${scope}' is not a scope inside key vault '${resource.name}'.`);
		return Object.keys(resource.secrets).some((s) => s.toLowerCase() === m[1])
			? null
			: missing(`Secret '${m[1] ?? ''}' does not exist in key vault '${resource.name}'.`);
	}
	return missing(`The resource '${scope}' could not be found.`);
}

/** The longest key of an existing resource that is `key` or a path prefix of it (a lookup per path segment). */
function longestResourcePrefix(world: World, key: string): string | undefined {
	for (let end = key.length; end > 0; end = key.lastIndexOf('/', end - 1)) {
		const candidate = key.slice(0, end);
		if (recordGet(world.resources, candidate) !== undefined) return candidate;
	}
	return undefined;
}

/**
 * Null when the scope names something that exists: the root, a management group, a subscription, a resource
 * group, a resource, or a child of a resource that exists (a blob container, a blob, a secret).
 */
export function scopeProblem(world: World, scope: string): string | null {
	return scopeIssue(world, scope)?.message ?? null;
}

/** The role assignments (live or being removed) whose scope's comparison key is `scopeKey`. */
function assignmentsAt(world: World, scopeKey: string): RoleAssignment[] {
	const out: RoleAssignment[] = [];
	for (const name of lookup(indexOf(world.roleAssignments, assignmentsByScope), scopeKey)) {
		const a = recordGet(world.roleAssignments, name);
		if (a !== undefined) out.push(a);
	}
	return out;
}

/**
 * ARM's PrincipalNotFound text: the principal id without dashes, then the replication-delay sentence (azure-docs
 * role-based-access-control/troubleshooting.md, "PrincipalNotFound").
 */
export function principalNotFoundMessage(principalId: string, tenantId: string): string {
	return `Principal ${principalId.replaceAll('-', '')} does not exist in the directory ${tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`;
}

/**
 * ARM's UnmatchedPrincipalType text, typo "PrinciaplType" included, id without dashes as in observed errors
 * **(unconfirmed: the dashes)**.
 */
export function unmatchedPrincipalTypeMessage(
	principalId: string,
	actualType: string,
	specifiedType: string
): string {
	return `The PrincipalId '${principalId.replaceAll('-', '')}' has type '${actualType}', which is different from specified PrinciaplType '${specifiedType}'.`;
}

/** Input of createRoleAssignment. */
export interface CreateRoleAssignmentInput {
	/** Role name (case-insensitive), GUID or role definition id. */
	role: string;
	scope: string;
	principalId: string;
	principalType?: PrincipalType;
	/**
	 * True when the request carried no principalType (az with a bare --assignee, a REST body without it): ARM
	 * then looks the principal up in the directory, where a new one may not have replicated yet. The portal
	 * always sends the type.
	 */
	untyped?: boolean;
	/** Assignment name (GUID); generated when absent. */
	name?: string;
	description?: string;
}

/** Operation: create a role assignment. It takes effect after the world's propagation delay. */
export function createRoleAssignment(
	draft: WorldDraft,
	ctx: OperationContext,
	input: CreateRoleAssignmentInput
): OperationError | void {
	const role = typeof input?.role === 'string' ? findRole(input.role) : undefined;
	if (!role) {
		return opError(
			'RoleNotFound',
			`Role '${String(input?.role)}' doesn't exist. List roles with az role definition list, e.g. 'Key Vault Secrets User'.`
		);
	}
	// az and the portal trim what the learner typed; ARM never sees the spaces.
	const scopeText = typeof input.scope === 'string' ? input.scope.trim() : input.scope;
	const issue = scopeIssue(ctx.base, scopeText);
	if (issue) return opError(issue.code, issue.message);
	const principalId = String(input.principalId ?? '').toLowerCase();
	if (!isGuid(principalId)) {
		return opError(
			'InvalidInput',
			`The principal id '${String(input.principalId)}' is not a GUID (object id).`
		);
	}
	const actualType: PrincipalType | undefined = ownEntry(ctx.base.directory.users, principalId)
		? 'User'
		: recordGet(ctx.base.directory.servicePrincipals, principalId)
			? 'ServicePrincipal'
			: undefined;
	// ARM looks the principal up only when the type is not given; a new one may not have replicated yet.
	const replicating =
		input.untyped === true &&
		input.principalType === undefined &&
		isPrincipalReplicating(ctx.base, principalId);
	if (!actualType || replicating) {
		return opError(
			'PrincipalNotFound',
			principalNotFoundMessage(principalId, draft.tenant.tenantId),
			'Check that you gave the object (principal) id, not the client (application) id: az identity show … --query principalId.'
		);
	}
	const principalType = input.principalType ?? actualType;
	if (principalType !== actualType) {
		return opError(
			'UnmatchedPrincipalType',
			unmatchedPrincipalTypeMessage(principalId, actualType, principalType),
			`Give --assignee-principal-type ${actualType}, or leave it out and let ARM look the type up.`
		);
	}
	const scopeKey = idKey(scopeText);
	if (
		assignmentsAt(ctx.base, scopeKey).some(
			(a) => a.removedAt === null && a.principalId === principalId && a.roleDefinitionId === role.id
		)
	) {
		return opError('RoleAssignmentExists', 'The role assignment already exists.');
	}
	let name: string;
	if (input.name !== undefined) {
		if (!isGuid(String(input.name))) {
			return opError(
				'InvalidInput',
				`The role assignment name '${String(input.name)}' is not valid: it must be a GUID.`
			);
		}
		name = String(input.name).toLowerCase();
		if (own(draft.roleAssignments, name)) {
			return opError(
				'RoleAssignmentUpdateNotPermitted',
				'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.'
			);
		}
	} else {
		name = ctx.guid();
	}
	const scope = scopeText.length > 1 ? scopeText.replace(/\/+$/, '') : scopeText;
	const assignment: RoleAssignment = {
		id: `${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
		name,
		scope,
		roleDefinitionId: role.id,
		principalId,
		principalType,
		description: typeof input.description === 'string' ? input.description : '',
		createdAt: draft.now,
		createdBy: ctx.caller,
		effectiveAt: addSeconds(draft.now, draft.settings.propagationDelaySeconds),
		removedAt: null
	};
	draft.roleAssignments[name] = assignment;
	const delay = draft.settings.propagationDelaySeconds;
	ctx.emit({
		kind: 'activity',
		operationName: 'Microsoft.Authorization/roleAssignments/write',
		resourceId: assignment.id,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `Assigned '${role.roleName}' at ${scope} to ${principalType} ${principalId}.${delay > 0 ? ` It takes effect in ${describeDuration(delay)} (propagation).` : ''}`
	});
}

/** Operation: delete a role assignment by its id or name. Access ends after the propagation delay. */
export function deleteRoleAssignment(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { id: string }
): OperationError | void {
	const text = String(input?.id ?? '').trim();
	const name = text.split('/').pop()?.toLowerCase() ?? '';
	const assignment = ownEntry(draft.roleAssignments, name);
	if (!assignment || assignment.removedAt !== null) {
		return opError(
			'RoleAssignmentNotFound',
			`No role assignment '${text}' exists. List them with az role assignment list --all.`
		);
	}
	if (
		assignment.roleDefinitionId === OWNER_ROLE_ID &&
		/^\/subscriptions\/[^/]+$/i.test(assignment.scope)
	) {
		const owners = assignmentsAt(ctx.base, idKey(assignment.scope)).filter(
			(a) =>
				a.removedAt === null &&
				a.roleDefinitionId === OWNER_ROLE_ID &&
				ownEntry(ctx.base.directory.users, a.principalId)
		);
		if (owners.length <= 1 && own(draft.directory.users, assignment.principalId)) {
			return opError('LastOwner', 'Cannot delete the last RBAC admin assignment.');
		}
	}
	const delay = draft.settings.propagationDelaySeconds;
	if (delay === 0) delete draft.roleAssignments[name];
	else assignment.removedAt = addSeconds(draft.now, delay);
	ctx.emit({
		kind: 'activity',
		operationName: 'Microsoft.Authorization/roleAssignments/delete',
		resourceId: assignment.id,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `Deleted the role assignment ${name} at ${assignment.scope}.${delay > 0 ? ` Access it gave ends in ${describeDuration(delay)} (propagation).` : ''}`
	});
}
