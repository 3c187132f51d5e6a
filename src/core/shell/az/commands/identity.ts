/** az identity: user-assigned managed identities as resources of their own. */
import type { UserAssignedIdentityResource } from '../../../azure/model.ts';
import { idKey, resourceId } from '../../../azure/naming.ts';
import type { AzCommand } from '../types.ts';
import { list, str } from '../args.ts';
import {
	CREATE_GROUP_ARG,
	LOCATION_ARG,
	commit,
	findGroup,
	groupNotFound,
	locationOption,
	newNameArg,
	success
} from '../common.ts';
import { deleteCommand, listCommand, showCommand } from '../resource-commands.ts';
import { identityResourceView } from '../views.ts';
import { own } from '../../../own.ts';

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
		newNameArg('The name of the identity resource.'),
		CREATE_GROUP_ARG,
		LOCATION_ARG,
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
		const existing = own(inv.world.resources, idKey(id));
		// ARM's PUT is idempotent: creating an identity that exists returns it unchanged (same ids).
		if (existing?.kind === 'userAssignedIdentity') return success(identityResourceView(existing));
		const applied = commit(inv, [
			{
				type: 'createUserIdentity',
				resourceGroup: group.name,
				name,
				tags: tagsOf(list(inv.args, 'tags')),
				...locationOption(inv.args)
			}
		]);
		if (!applied.ok) return applied.outcome;
		return success(
			identityResourceView(own(applied.world.resources, idKey(id)) as UserAssignedIdentityResource),
			applied
		);
	}
};

const identityDelete = deleteCommand({
	name: 'identity delete',
	summary:
		'Delete an Identity (its service principal goes; role assignments naming it stay as "Identity not found").',
	kinds: ['userAssignedIdentity'],
	nameHelp: 'The name of the identity resource.',
	absentOk: true,
	examples: [
		{
			command: 'az identity delete -g rg-stock -n id-stock-old',
			description: 'Delete an orphaned identity.'
		}
	]
});

const identityShow = showCommand({
	name: 'identity show',
	summary: 'Show an identity: clientId, principalId, tenantId, id.',
	kinds: ['userAssignedIdentity'],
	nameHelp: 'The name of the identity resource.',
	examples: [
		{
			command: 'az identity show -g rg-stock -n id-stock-web --query clientId -o tsv',
			description: 'The client id of id-stock-web.'
		}
	],
	view: (_world, identity) => identityResourceView(identity)
});

const identityList = listCommand({
	name: 'identity list',
	summary: 'List Identities.',
	kinds: ['userAssignedIdentity'],
	examples: [
		{
			command: 'az identity list -g rg-stock -o table',
			description: 'List the user-assigned identities of rg-stock.'
		}
	],
	view: (_world, identity) => identityResourceView(identity)
});

/** The az identity commands. */
export const IDENTITY_COMMANDS: readonly AzCommand[] = [
	identityCreate,
	identityDelete,
	identityShow,
	identityList
];
