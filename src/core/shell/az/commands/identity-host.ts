/**
 * `az <vm|vmss|webapp|functionapp> identity assign|remove|show`: the same three commands for every resource that
 * can hold managed identities, with az's `[system]` token, user-assigned identities by id or by name in the
 * resource's group, and the optional `--role`/`--scope` role assignment for the system-assigned identity.
 */
import type { IdentityHost, ResourceKind, World } from '../../../azure/model.ts';
import type { Operation } from '../../../azure/operations/index.ts';
import { idKey, resourceId } from '../../../azure/naming.ts';
import { findRole } from '../../../azure/rbac/roles.ts';
import type { AzArg, AzArgs, AzCommand, AzInvocation, AzOutcome } from '../types.ts';
import { list, str } from '../args.ts';
import {
	commit,
	failure,
	findGroup,
	GROUP_ARG,
	nameArg,
	success,
	targets,
	serviceFailure
} from '../common.ts';
import { showCommand } from '../resource-commands.ts';
import { identityAssignSummary, identityView } from '../views.ts';
import { isIdentityHost } from '../../../azure/queries.ts';
import { own } from '../../../own.ts';

/** az's name for the system-assigned identity in `--identities` and `--assign-identity`. */
export const SYSTEM_TOKEN = '[system]';

/** What `--identities` asks for: the system-assigned identity and/or user-assigned identity ids. */
export interface IdentityRequest {
	system: boolean;
	userIds: string[];
}

/**
 * Reads `[system]`, identity resource ids and identity names (resolved in `group`, as az does) into ids of
 * existing user-assigned identities, or says which one does not exist.
 */
export function resolveIdentities(
	world: World,
	group: string,
	values: readonly string[]
): { ok: true; request: IdentityRequest } | { ok: false; outcome: AzOutcome } {
	const request: IdentityRequest = { system: false, userIds: [] };
	const subscription =
		findGroup(world, group)?.subscriptionId ?? Object.keys(world.subscriptions)[0] ?? '';
	for (const value of values) {
		if (value.toLowerCase() === SYSTEM_TOKEN) {
			request.system = true;
			continue;
		}
		const id = value.startsWith('/')
			? value
			: resourceId(subscription, group, 'userAssignedIdentity', value);
		const identity = own(world.resources, idKey(id));
		if (!identity || identity.kind !== 'userAssignedIdentity') {
			const name = id.split('/').pop() ?? value;
			const known = Object.values(world.resources)
				.filter((r) => r.kind === 'userAssignedIdentity')
				.map((r) => `${r.name} (${r.resourceGroup})`);
			return {
				ok: false,
				outcome: serviceFailure(
					'ResourceNotFound',
					`The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/${name}' under resource group '${/\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
					known.length
						? `User-assigned identities: ${known.join(', ')}. A name is looked up in the resource's own group; give the full id (az identity show --query id) for one in another group.`
						: 'There is no user-assigned identity yet: create one with az identity create -g <group> -n <name>.'
				)
			};
		}
		if (!request.userIds.some((u) => idKey(u) === idKey(identity.id)))
			request.userIds.push(identity.id);
	}
	return { ok: true, request };
}

/** `--identities` of assign and remove: `[system]` when left out. */
function requestedIdentities(args: AzArgs): string[] {
	return list(args, 'identities').length ? list(args, 'identities') : [SYSTEM_TOKEN];
}

/** The `identity` member of a create operation for the identities asked for; nothing when none were. */
export function identityOption(request: IdentityRequest | null): {
	identity?: { systemAssigned: boolean; userAssigned: string[] };
} {
	return request
		? { identity: { systemAssigned: request.system, userAssigned: request.userIds } }
		: {};
}

/** The operations that give a host the identities asked for. */
export function assignOperations(host: IdentityHost, request: IdentityRequest): Operation[] {
	const operations: Operation[] = request.userIds.map((identityId) => ({
		type: 'assignUserIdentity',
		resourceId: host.id,
		identityId
	}));
	if (request.system) operations.push({ type: 'enableSystemIdentity', resourceId: host.id });
	return operations;
}

/**
 * After a system-assigned identity was enabled: the role assignment `--role`/`--scope` ask for. Null when
 * neither was given; an error when only one was.
 */
export function roleForSystemIdentity(
	world: World,
	host: IdentityHost,
	role: string | undefined,
	scope: string | undefined
): { ok: true; operation: Operation | null } | { ok: false; outcome: AzOutcome } {
	if (role === undefined && scope === undefined) return { ok: true, operation: null };
	if (role === undefined || scope === undefined) {
		return {
			ok: false,
			outcome: failure(
				'usage error: please specify both --role and --scope when assigning a role to the managed identity',
				2
			)
		};
	}
	if (!findRole(role)) {
		return {
			ok: false,
			outcome: failure(
				`Role '${role}' doesn't exist.`,
				1,
				'List roles with az role definition list --query "[].roleName" -o tsv.'
			)
		};
	}
	const current = own(world.resources, idKey(host.id));
	const principalId =
		current && isIdentityHost(current) ? current.identity.systemAssigned?.principalId : undefined;
	if (!principalId) {
		return {
			ok: false,
			outcome: failure(
				'usage error: --role and --scope apply to the system assigned identity; include [system] in the identities to assign.',
				2
			)
		};
	}
	return {
		ok: true,
		operation: {
			type: 'createRoleAssignment',
			role,
			scope,
			principalId,
			principalType: 'ServicePrincipal'
		}
	};
}

/** Which az group a kind belongs to, for messages. */
const GROUP_OF: Record<string, string> = {
	virtualMachine: 'vm',
	virtualMachineScaleSet: 'vmss',
	webApp: 'webapp',
	functionApp: 'functionapp'
};

/** The noun az uses for the resource in help texts. */
const NOUN: Record<string, string> = {
	virtualMachine: 'VM',
	virtualMachineScaleSet: 'VM scale set',
	webApp: 'web app',
	functionApp: 'function app'
};

/** The three identity commands for one kind of host. */
export function identityCommands(
	kind: ResourceKind & ('virtualMachine' | 'virtualMachineScaleSet' | 'webApp' | 'functionApp')
): AzCommand[] {
	const group = GROUP_OF[kind] ?? 'vm';
	const noun = NOUN[kind] ?? 'resource';
	const sample =
		kind === 'virtualMachine'
			? 'vm-stock-app'
			: kind === 'virtualMachineScaleSet'
				? 'vmss-stock'
				: kind === 'webApp'
					? 'app-stock-web'
					: 'func-stock-import';
	const site = kind === 'webApp' || kind === 'functionApp';
	const common: AzArg[] = [nameArg(`Name of the ${noun}.`), GROUP_ARG];
	const roleArgs: AzArg[] = [
		{
			dest: 'role',
			options: ['--role'],
			help: 'Role name or id the system assigned identity will have.'
		},
		{
			dest: 'scope',
			options: ['--scope'],
			help: 'Scope that the system assigned identity can access.'
		}
	];
	const assign: AzCommand = {
		name: `${group} identity assign`,
		summary: `Enable managed service identity on a ${noun}.`,
		args: [
			...common,
			{
				dest: 'identities',
				options: ['--identities'],
				kind: 'list',
				help: "Space-separated identities to assign. Use '[system]' to refer to the system assigned identity. Default: '[system]'."
			},
			...roleArgs
		],
		ids: true,
		examples: [
			{
				command: `az ${group} identity assign -g rg-stock -n ${sample}`,
				description: `Turn on the system-assigned identity of ${sample}.`
			},
			{
				command: `az ${group} identity assign -g rg-stock -n ${sample} --identities id-stock-web`,
				description: 'Attach the user-assigned identity id-stock-web.'
			}
		],
		run(inv) {
			const found = targets(inv, [kind]);
			if (!found.ok) return found.outcome;
			let current = inv.world;
			const events = [];
			let last: IdentityHost | undefined;
			for (const target of found.resources) {
				const host = own(current.resources, idKey(target.id));
				if (!host || !isIdentityHost(host)) continue;
				const resolved = resolveIdentities(
					current,
					host.resourceGroup,
					requestedIdentities(inv.args)
				);
				if (!resolved.ok) return resolved.outcome;
				const applied = commit(
					{ world: current, caller: inv.caller },
					assignOperations(host, resolved.request)
				);
				if (!applied.ok) return applied.outcome;
				current = applied.world;
				events.push(...applied.events);
				const role = roleForSystemIdentity(
					current,
					host,
					str(inv.args, 'role'),
					str(inv.args, 'scope')
				);
				if (!role.ok) return role.outcome;
				if (role.operation) {
					const granted = commit({ world: current, caller: inv.caller }, [role.operation]);
					if (!granted.ok) return granted.outcome;
					current = granted.world;
					events.push(...granted.events);
				}
				last = own(current.resources, idKey(host.id)) as IdentityHost;
			}
			if (!last) return failure('Nothing to assign.');
			const result = site ? identityView(current, last) : identityAssignSummary(current, last);
			const withScope =
				str(inv.args, 'scope') !== undefined && !site
					? { ...result, role: str(inv.args, 'role'), scope: str(inv.args, 'scope') }
					: result;
			return success(withScope, { world: current, events });
		}
	};
	const remove: AzCommand = {
		name: `${group} identity remove`,
		summary: `Remove managed service identities from a ${noun}.`,
		args: [
			...common,
			{
				dest: 'identities',
				options: ['--identities'],
				kind: 'list',
				help: "Space-separated identities to remove. Use '[system]' to refer to the system assigned identity. Default: '[system]'."
			}
		],
		ids: true,
		examples: [
			{
				command: `az ${group} identity remove -g rg-stock -n ${sample}`,
				description: 'Turn off the system-assigned identity (its service principal is deleted).'
			},
			{
				command: `az ${group} identity remove -g rg-stock -n ${sample} --identities id-stock-web`,
				description: 'Detach a user-assigned identity (the identity itself lives on).'
			}
		],
		run(inv) {
			const found = targets(inv, [kind]);
			if (!found.ok) return found.outcome;
			const target = found.resources[0];
			if (!target || !isIdentityHost(target)) return failure('Nothing to remove.');
			const values = requestedIdentities(inv.args);
			const system = values.some((v) => v.toLowerCase() === SYSTEM_TOKEN);
			const users = values.filter((v) => v.toLowerCase() !== SYSTEM_TOKEN);
			const subscription = target.subscriptionId;
			const ids = users.map((u) =>
				u.startsWith('/')
					? u
					: resourceId(subscription, target.resourceGroup, 'userAssignedIdentity', u)
			);
			const missing = ids.filter(
				(id) => !target.identity.userAssigned.some((u) => idKey(u) === idKey(id))
			);
			if (missing.length) {
				return failure(
					`'${missing.join(',')}' are not associated with '${target.name}'`,
					1,
					`Its user-assigned identities: ${target.identity.userAssigned.map((u) => u.split('/').pop()).join(', ') || '(none)'} (az ${group} identity show -g ${target.resourceGroup} -n ${target.name}).`
				);
			}
			const operations: Operation[] = ids.map((identityId) => ({
				type: 'unassignUserIdentity',
				resourceId: target.id,
				identityId
			}));
			if (system) operations.push({ type: 'disableSystemIdentity', resourceId: target.id });
			const applied = commit(inv, operations);
			if (!applied.ok) return applied.outcome;
			const after = own(applied.world.resources, idKey(target.id));
			return success(
				after && isIdentityHost(after) ? identityView(applied.world, after) : null,
				applied
			);
		}
	};
	const show = showCommand({
		name: `${group} identity show`,
		summary: `Display ${noun}'s managed identity info.`,
		kinds: [kind],
		nameHelp: `Name of the ${noun}.`,
		examples: [
			{
				command: `az ${group} identity show -g rg-stock -n ${sample}`,
				description: `Show the identities of ${sample} (principalId, tenantId, userAssignedIdentities).`
			}
		],
		view: identityView
	});
	return [assign, remove, show];
}

/** `--assign-identity` of the create commands: `[system]` when given without values. */
export function createIdentityRequest(
	inv: AzInvocation,
	group: string
): { ok: true; request: IdentityRequest | null } | { ok: false; outcome: AzOutcome } {
	const value = inv.args.assignIdentity;
	if (value === undefined) return { ok: true, request: null };
	const values = Array.isArray(value) && value.length > 0 ? value : [SYSTEM_TOKEN];
	const resolved = resolveIdentities(inv.world, group, values);
	return resolved.ok ? { ok: true, request: resolved.request } : resolved;
}

/** The `--assign-identity` argument. */
export const ASSIGN_IDENTITY_ARG: AzArg = {
	dest: 'assignIdentity',
	options: ['--assign-identity'],
	kind: 'optionalList',
	help: "Accept system or user assigned identities separated by spaces. Use '[system]' to refer to the system assigned identity, or a resource id to refer to a user assigned identity. Check out help for more examples."
};
