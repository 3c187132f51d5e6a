/** az identity: user-assigned managed identities as resources of their own. */
import type { UserAssignedIdentityResource } from '../../../azure/model.ts';
import { idKey, resourceId } from '../../../azure/naming.ts';
import type { AzCommand } from '../types.ts';
import { list, str } from '../args.ts';
import {
	GROUP_ARG,
	GROUP_FILTER_ARG,
	commit,
	findGroup,
	groupNotFound,
	listResources,
	nameArg,
	success,
	targets
} from '../common.ts';
import { identityResourceView } from '../views.ts';

function tagsOf(values: readonly string[]): Record<string, string> {
	return Object.fromEntries(
		values.map((v) =>
			v.includes('=') ? [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)] : [v, '']
		)
	);
}

const identityCreate: AzCommand = {
	name: 'identity create',
	summary: 'Create an Identity (a user-assigned managed identity and its service principal).',
	args: [
		{
			dest: 'name',
			options: ['--name', '-n'],
			required: true,
			help: 'The name of the identity resource.'
		},
		{ ...GROUP_ARG, idPart: false },
		{
			dest: 'location',
			options: ['--location', '-l'],
			help: 'Location. Default: the resource group’s location.'
		},
		{
			dest: 'tags',
			options: ['--tags'],
			kind: 'list',
			help: 'Space-separated tags: key[=value] [key[=value] ...].'
		}
	],
	examples: [
		{
			command: 'az identity create -g rg-stock -n id-stock-web',
			description: 'Create the user-assigned identity id-stock-web.'
		}
	],
	run(inv) {
		const groupName = str(inv.args, 'resourceGroup') ?? '';
		const group = findGroup(inv.world, groupName);
		if (!group) return groupNotFound(inv.world, groupName);
		const name = str(inv.args, 'name') ?? '';
		const id = resourceId(group.subscriptionId, group.name, 'userAssignedIdentity', name);
		const existing = inv.world.resources[idKey(id)];
		// ARM's PUT is idempotent: creating an identity that exists returns it unchanged (same ids).
		if (existing?.kind === 'userAssignedIdentity') return success(identityResourceView(existing));
		const location = str(inv.args, 'location')?.toLowerCase();
		const applied = commit(inv, [
			{
				type: 'createUserIdentity',
				resourceGroup: group.name,
				name,
				tags: tagsOf(list(inv.args, 'tags')),
				...(location !== undefined ? { location } : {})
			}
		]);
		if (!applied.ok) return applied.outcome;
		return success(
			identityResourceView(applied.world.resources[idKey(id)] as UserAssignedIdentityResource),
			applied
		);
	}
};

const identityDelete: AzCommand = {
	name: 'identity delete',
	summary:
		'Delete an Identity (its service principal goes; role assignments naming it stay as "Identity not found").',
	args: [nameArg('The name of the identity resource.'), GROUP_ARG],
	ids: true,
	examples: [
		{
			command: 'az identity delete -g rg-stock -n id-stock-old',
			description: 'Delete an orphaned identity.'
		}
	],
	run(inv) {
		const found = targets(inv, ['userAssignedIdentity']);
		if (!found.ok) return found.outcome;
		const applied = commit(
			inv,
			found.resources.map((r) => ({ type: 'deleteResource' as const, resourceId: r.id }))
		);
		return applied.ok ? success(undefined, applied) : applied.outcome;
	}
};

const identityShow: AzCommand = {
	name: 'identity show',
	summary: 'Show an identity: clientId, principalId, tenantId, id.',
	args: [nameArg('The name of the identity resource.'), GROUP_ARG],
	ids: true,
	examples: [
		{
			command: 'az identity show -g rg-stock -n id-stock-web --query clientId -o tsv',
			description: 'The client id of id-stock-web.'
		}
	],
	run(inv) {
		const found = targets(inv, ['userAssignedIdentity']);
		if (!found.ok) return found.outcome;
		const views = found.resources.map((r) =>
			identityResourceView(r as UserAssignedIdentityResource)
		);
		return success(views.length === 1 ? views[0] : views);
	}
};

const identityList: AzCommand = {
	name: 'identity list',
	summary: 'List Identities.',
	args: [GROUP_FILTER_ARG],
	examples: [
		{
			command: 'az identity list -g rg-stock -o table',
			description: 'List the user-assigned identities of rg-stock.'
		}
	],
	run({ world, args }) {
		const found = listResources(world, ['userAssignedIdentity'], args);
		if (!found.ok) return found.outcome;
		return success(
			found.resources.map((r) => identityResourceView(r as UserAssignedIdentityResource))
		);
	}
};

/** The az identity commands. */
export const IDENTITY_COMMANDS: readonly AzCommand[] = [
	identityCreate,
	identityDelete,
	identityShow,
	identityList
];
