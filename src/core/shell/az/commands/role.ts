/**
 * az role assignment create|list|delete and az role definition list, with az's rules: `--assignee` is looked up
 * as a user principal name, a service principal name (a client id) or an object id; list and delete look at one
 * scope (the subscription unless `--scope`/`--resource-group`) unless `--all`; `principalName` is az's
 * displayable name (a user's UPN, a service principal's first service principal name).
 */
import type { PrincipalType, RoleAssignment, World } from '../../../azure/model.ts';
import { isPrincipalReplicating } from '../../../azure/operations/replication.ts';
import type { Operation } from '../../../azure/operations/index.ts';
import { idKey, resourceGroupId } from '../../../azure/naming.ts';
import { BUILT_IN_ROLES, findRole } from '../../../azure/rbac/roles.ts';
import { isGuid } from '../../../ids.ts';
import type { AzArgs, AzCommand, AzOutcome } from '../types.ts';
import { flag, list, str } from '../args.ts';
import { commit, failure, findGroup, groupNotFound, success } from '../common.ts';
import { roleAssignmentView, roleDefinitionView } from '../views.ts';
import { own } from '../../../own.ts';

interface Principal {
	id: string;
	type: PrincipalType;
}

/**
 * az's `_resolve_object_id`: a UPN (contains @), else a service principal whose servicePrincipalNames contain
 * the text (its client id), else an object id. The lab also accepts a unique display name, with a warning.
 */
export function resolveAssignee(
	world: World,
	text: string,
	fallbackToObjectId: boolean
): { ok: true; principal: Principal; warning?: string } | { ok: false; outcome: AzOutcome } {
	const lower = text.trim().toLowerCase();
	const users = Object.values(world.directory.users);
	const sps = Object.values(world.directory.servicePrincipals);
	if (lower.includes('@')) {
		const user = users.find((u) => u.userPrincipalName.toLowerCase() === lower);
		if (user) return { ok: true, principal: { id: user.id, type: 'User' } };
	}
	const byName = sps.find((sp) => sp.servicePrincipalNames.some((n) => n.toLowerCase() === lower));
	if (byName) return { ok: true, principal: { id: byName.id, type: 'ServicePrincipal' } };
	if (isGuid(lower)) {
		if (own(world.directory.users, lower))
			return { ok: true, principal: { id: lower, type: 'User' } };
		if (own(world.directory.servicePrincipals, lower))
			return { ok: true, principal: { id: lower, type: 'ServicePrincipal' } };
		if (fallbackToObjectId) return { ok: true, principal: { id: lower, type: 'ServicePrincipal' } };
	}
	const named = [
		...users
			.filter((u) => u.displayName.toLowerCase() === lower)
			.map((u) => ({ id: u.id, type: 'User' as const })),
		...sps
			.filter((sp) => sp.displayName.toLowerCase() === lower)
			.map((sp) => ({ id: sp.id, type: 'ServicePrincipal' as const }))
	];
	if (named.length === 1 && named[0]) {
		return {
			ok: true,
			principal: named[0],
			warning: `Resolved '${text}' by its display name to object id ${named[0].id}. This is a lab convenience: the real az looks up only user principal names, client ids and object ids.`
		};
	}
	return {
		ok: false,
		outcome: failure(
			`Cannot find user or service principal in graph database for '${text}'. If the assignee is an appId, make sure the corresponding service principal is created with 'az ad sp create --id ${text}'.`,
			1,
			named.length > 1
				? `${named.length} principals are called '${text}': use the object id (az ad sp list --display-name ${text} --query "[].id").`
				: `Use the object (principal) id, e.g. --assignee $(az vm identity show -g rg-stock -n vm-stock-app --query principalId -o tsv).`
		)
	};
}

/** The scope list and delete look at: `--scope`, else the group, else the subscription. */
function scopeOf(
	world: World,
	args: AzArgs
): { ok: true; scope: string } | { ok: false; outcome: AzOutcome } {
	const scope = str(args, 'scope');
	const group = str(args, 'resourceGroup');
	if (scope !== undefined && group !== undefined) {
		return {
			ok: false,
			outcome: failure(`Resource group "${group}" is redundant because scope is supplied`)
		};
	}
	if (scope !== undefined) return { ok: true, scope };
	const subscription = Object.values(world.subscriptions)[0]?.subscriptionId ?? '';
	if (group !== undefined) {
		const record = findGroup(world, group);
		if (!record) return { ok: false, outcome: groupNotFound(world, group) };
		return { ok: true, scope: resourceGroupId(record.subscriptionId, record.name) };
	}
	return { ok: true, scope: `/subscriptions/${subscription}` };
}

/** Live assignments (a deleted one is gone from ARM's list at once, even while its access lingers). */
function liveAssignments(world: World): RoleAssignment[] {
	return Object.values(world.roleAssignments)
		.filter((a) => a.removedAt === null)
		.sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
}

/** az's `_search_role_assignments`: at the scope (or above it with include-inherited), for the assignee and role. */
function search(
	world: World,
	args: AzArgs,
	allowAll: boolean
):
	| { ok: true; assignments: RoleAssignment[]; scope: string | null; warnings: string[] }
	| { ok: false; outcome: AzOutcome } {
	const all = allowAll && flag(args, 'all');
	let scope: string | null = null;
	if (all) {
		if (str(args, 'scope') !== undefined || str(args, 'resourceGroup') !== undefined) {
			return { ok: false, outcome: failure('group or scope are not required when --all is used') };
		}
	} else {
		const resolved = scopeOf(world, args);
		if (!resolved.ok) return resolved;
		scope = resolved.scope;
	}
	const warnings: string[] = [];
	let principalId: string | null = null;
	const assignee = str(args, 'assignee');
	if (assignee !== undefined) {
		const resolved = resolveAssignee(world, assignee, true);
		if (!resolved.ok) return resolved;
		principalId = resolved.principal.id;
		if (resolved.warning) warnings.push(resolved.warning);
	}
	let roleId: string | null = null;
	const role = str(args, 'role');
	if (role !== undefined) {
		const found = findRole(role);
		if (!found) return { ok: false, outcome: failure(`Role '${role}' doesn't exist.`) };
		roleId = found.id;
	}
	const inherited = flag(args, 'includeInherited');
	const assignments = liveAssignments(world).filter((a) => {
		if (scope !== null) {
			const target = idKey(scope);
			const own = idKey(a.scope);
			const matches =
				own === target || (inherited && (own === '/' || target.startsWith(`${own}/`)));
			if (!matches) return false;
		}
		if (principalId !== null && a.principalId !== principalId) return false;
		return roleId === null || a.roleDefinitionId === roleId;
	});
	return { ok: true, assignments, scope, warnings };
}

const FILTER_ARGS = [
	{
		dest: 'assignee',
		options: ['--assignee'],
		help: 'Represent a user or service principal. Supported format: object id, user sign-in name, or service principal name.'
	},
	{ dest: 'role', options: ['--role'], help: 'Role name or id.' },
	{
		dest: 'scope',
		options: ['--scope'],
		help: 'Scope at which the role assignment or definition applies to, e.g., /subscriptions/…/resourceGroups/rg-stock.'
	},
	{
		dest: 'resourceGroup',
		options: ['--resource-group', '-g'],
		help: 'Use it only if the role or assignment was added at the level of a resource group.'
	}
] as const;

const INCLUDE_INHERITED_ARG = {
	dest: 'includeInherited',
	options: ['--include-inherited'],
	kind: 'flag',
	help: 'Include assignments applied on parent scopes.'
} as const;

const assignmentCreate: AzCommand = {
	name: 'role assignment create',
	summary: 'Create a new role assignment for a user, group, or service principal.',
	args: [
		{ dest: 'role', options: ['--role'], required: true, help: 'Role name or id.' },
		FILTER_ARGS[0],
		{
			dest: 'assigneeObjectId',
			options: ['--assignee-object-id'],
			help: "Use this parameter instead of '--assignee' to bypass Graph API invocation."
		},
		{
			dest: 'assigneePrincipalType',
			options: ['--assignee-principal-type'],
			choices: ['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'],
			help: 'Use with --assignee-object-id to avoid errors caused by propagation latency in Microsoft Graph.'
		},
		FILTER_ARGS[2],
		FILTER_ARGS[3],
		{ dest: 'description', options: ['--description'], help: 'Description of role assignment.' }
	],
	examples: [
		{
			command:
				'az role assignment create --assignee <principalId> --role "Key Vault Secrets User" --scope $(az keyvault show -n kv-stock --query id -o tsv)',
			description: 'Let an identity read secrets of kv-stock (and nothing wider).'
		}
	],
	run(inv) {
		const { world, args } = inv;
		const assignee = str(args, 'assignee');
		const objectId = str(args, 'assigneeObjectId');
		if ((assignee === undefined) === (objectId === undefined)) {
			return failure('usage error: --assignee STRING | --assignee-object-id GUID', 2);
		}
		const roleText = str(args, 'role') ?? '';
		const role = findRole(roleText);
		if (!role) {
			return failure(
				`Role '${roleText}' doesn't exist.`,
				1,
				'List role names with az role definition list --query "[].roleName" -o tsv.'
			);
		}
		if (str(args, 'scope') === undefined && str(args, 'resourceGroup') === undefined) {
			return failure(
				'usage error: --scope is required. Give the narrowest scope that is enough, e.g. --scope $(az keyvault show -n kv-stock --query id -o tsv)',
				2
			);
		}
		const scoped = scopeOf(world, args);
		if (!scoped.ok) return scoped.outcome;
		const warnings: string[] = [];
		let principal: Principal;
		if (assignee !== undefined) {
			const resolved = resolveAssignee(world, assignee, false);
			if (!resolved.ok) return resolved.outcome;
			principal = resolved.principal;
			if (resolved.warning) warnings.push(resolved.warning);
		} else {
			const id = (objectId ?? '').toLowerCase();
			const type = str(args, 'assigneePrincipalType');
			const chosen = (['User', 'Group', 'ServicePrincipal'] as const).find(
				(t) => t.toLowerCase() === type
			);
			principal = {
				id,
				type: chosen ?? (own(world.directory.users, id) ? 'User' : 'ServicePrincipal')
			};
		}
		const description = str(args, 'description');
		// az sends principalType only when told; with a bare --assignee ARM looks the principal up itself.
		const typeGiven = str(args, 'assigneePrincipalType') !== undefined;
		const untyped = !typeGiven && isPrincipalReplicating(world, principal.id);
		const operation: Operation = {
			type: 'createRoleAssignment',
			role: role.id,
			scope: scoped.scope,
			principalId: principal.id,
			...(untyped ? { untyped: true } : { principalType: principal.type }),
			...(description !== undefined ? { description } : {})
		};
		// az treats an existing assignment as success and prints it as `role assignment list` does
		// (azure-cli role/custom.py: `_error_caused_by_role_assignment_exists` → "for idempotent").
		const scopeKey = idKey(scoped.scope);
		const existing = Object.values(world.roleAssignments).find(
			(a) =>
				a.removedAt === null &&
				idKey(a.scope) === scopeKey &&
				a.principalId === principal.id &&
				a.roleDefinitionId === role.id
		);
		if (existing) return success(roleAssignmentView(world, existing, true), undefined, warnings);
		const applied = commit(inv, [operation]);
		if (!applied.ok) return applied.outcome;
		const before = new Set(Object.keys(world.roleAssignments));
		const created = Object.values(applied.world.roleAssignments).find((a) => !before.has(a.name));
		return success(
			created ? roleAssignmentView(applied.world, created, false) : null,
			applied,
			warnings
		);
	}
};

const assignmentList: AzCommand = {
	name: 'role assignment list',
	summary:
		'List role assignments (at the subscription scope unless --scope, --resource-group or --all).',
	args: [
		...FILTER_ARGS,
		{
			dest: 'all',
			options: ['--all'],
			kind: 'flag',
			help: 'Show all assignments under the current subscription.'
		},
		INCLUDE_INHERITED_ARG,
		{
			dest: 'includeGroups',
			options: ['--include-groups'],
			kind: 'flag',
			help: 'Include extra assignments to the groups of which the user is a member (transitively).'
		}
	],
	examples: [
		{
			command: 'az role assignment list --all -o table',
			description: 'Every role assignment in the subscription.'
		},
		{
			command: 'az role assignment list --all --query "[?principalName==\'\'].id" -o tsv',
			description: 'Assignments whose principal was deleted ("Identity not found").'
		}
	],
	table: (result) =>
		(result as Record<string, unknown>[]).map((a) => ({
			Principal: a.principalName,
			Role: a.roleDefinitionName,
			Scope: a.scope
		})),
	run({ world, args }) {
		const found = search(world, args, true);
		if (!found.ok) return found.outcome;
		return success(
			found.assignments.map((a) => roleAssignmentView(world, a, true)),
			undefined,
			found.warnings
		);
	}
};

const assignmentDelete: AzCommand = {
	name: 'role assignment delete',
	summary: 'Delete role assignments (access they gave ends after the propagation delay).',
	args: [
		...FILTER_ARGS,
		{ dest: 'ids', options: ['--ids'], kind: 'list', help: 'Space-separated role assignment ids.' },
		INCLUDE_INHERITED_ARG,
		{ dest: 'yes', options: ['--yes', '-y'], kind: 'flag', help: 'Currently no-op.' }
	],
	examples: [
		{
			command: 'az role assignment delete --ids <assignment id>',
			description: 'Delete one assignment by its id.'
		},
		{
			command: 'az role assignment delete --assignee <principalId> --role Reader --scope <scope>',
			description: 'Delete the matching assignments at one scope.'
		}
	],
	run(inv) {
		const { world, args } = inv;
		const ids = list(args, 'ids');
		let doomed: RoleAssignment[];
		const warnings: string[] = [];
		const filtered = ['assignee', 'role', 'scope', 'resourceGroup'].some(
			(d) => str(args, d) !== undefined
		);
		if (ids.length > 0) {
			if (filtered) {
				return failure('usage error: --ids | --assignee | --role | --resource-group | --scope', 2);
			}
			doomed = [];
			for (const id of ids) {
				const name = id.split('/').pop()?.toLowerCase() ?? '';
				const assignment = own(world.roleAssignments, name);
				if (assignment && assignment.removedAt === null) doomed.push(assignment);
			}
		} else {
			if (!filtered) {
				return failure(
					'usage error: --ids | --assignee | --role | --resource-group | --scope',
					2,
					'Name what to delete, e.g. --ids <assignment id> (az role assignment list --all shows the ids).'
				);
			}
			const found = search(world, args, false);
			if (!found.ok) return found.outcome;
			doomed = found.assignments;
			warnings.push(...found.warnings);
			if (doomed.length === 0) {
				return failure(
					'No matched assignments were found to delete',
					1,
					`az role assignment delete looks at one scope (here ${found.scope ?? 'the subscription'}). Add --scope with the assignment's scope, or delete by id: az role assignment list --all --query "[].id".`
				);
			}
		}
		if (doomed.length === 0) return failure('No matched assignments were found to delete');
		const applied = commit(
			inv,
			doomed.map((a) => ({ type: 'deleteRoleAssignment' as const, id: a.id }))
		);
		return applied.ok ? success(undefined, applied, warnings) : applied.outcome;
	}
};

const definitionList: AzCommand = {
	name: 'role definition list',
	summary: 'List role definitions (the built-in roles the lab knows).',
	args: [
		{
			dest: 'name',
			options: ['--name', '-n'],
			help: "A role's name (e.g. 'Key Vault Secrets User') or id."
		},
		{
			dest: 'customRoleOnly',
			options: ['--custom-role-only'],
			kind: 'flag',
			help: 'Custom roles only (vs. build-in ones).'
		},
		{ dest: 'scope', options: ['--scope'], help: 'Scope at which the role definition applies.' },
		{
			dest: 'resourceGroup',
			options: ['--resource-group', '-g'],
			help: 'Use it only if the role was added at the level of a resource group.'
		}
	],
	examples: [
		{
			command: 'az role definition list --name "Key Vault Secrets User"',
			description: 'What the role allows (actions and dataActions).'
		},
		{
			command: 'az role definition list --query "[].roleName" -o tsv',
			description: 'Every role name.'
		}
	],
	run({ world, args }) {
		if (flag(args, 'customRoleOnly')) return success([]);
		const name = str(args, 'name');
		const roles =
			name === undefined
				? BUILT_IN_ROLES
				: BUILT_IN_ROLES.filter(
						(r) => r === findRole(name) || r.roleName.toLowerCase() === name.toLowerCase()
					);
		return success(roles.map((r) => roleDefinitionView(world, r)));
	}
};

/** The az role commands. */
export const ROLE_COMMANDS: readonly AzCommand[] = [
	assignmentCreate,
	assignmentList,
	assignmentDelete,
	definitionList
];
