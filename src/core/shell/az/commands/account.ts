/** az account, az login, az group and az resource. */
import type { World } from '../../../azure/model.ts';
import { idKey } from '../../../azure/naming.ts';
import type { AzCommand, AzOutcome } from '../types.ts';
import { list, str } from '../args.ts';
import { commit, failure, findGroup, groupNotFound, success, serviceFailure } from '../common.ts';
import { groupView, resourceView } from '../views.ts';
import { cloudShellUser } from '../../state.ts';
import { cloudShellUserToken } from '../../../token/user-token.ts';
import { applyOperations } from '../../../azure/operations/index.ts';
import { own } from '../../../own.ts';
import { loginWithIdentity, logout } from './identity-login.ts';

/**
 * The subscriptions as az prints them. `az account show` names the cloud `environmentName` only; `az account list`
 * and `az login` name it `cloudName` only (issue 11, as real az prints them).
 */
function accountView(
	world: World,
	cloudKey: 'environmentName' | 'cloudName'
): Record<string, unknown>[] {
	const user = cloudShellUser(world);
	return Object.values(world.subscriptions).map((s, i) => ({
		[cloudKey]: 'AzureCloud',
		homeTenantId: s.tenantId,
		id: s.subscriptionId,
		isDefault: i === 0,
		managedByTenants: [],
		name: s.displayName,
		state: 'Enabled',
		tenantDefaultDomain: world.tenant.defaultDomain,
		tenantDisplayName: world.tenant.displayName,
		tenantId: s.tenantId,
		user: { cloudShellID: true, name: user?.userPrincipalName ?? '', type: 'user' }
	}));
}

const accountShow: AzCommand = {
	name: 'account show',
	summary: 'Get the details of a subscription.',
	args: [],
	examples: [
		{
			command: 'az account show',
			description: 'Show the subscription Cloud Shell uses and who is signed in.'
		}
	],
	run({ world }) {
		const [first] = accountView(world, 'environmentName');
		return first ? success(first) : failure("Please run 'az login' to setup account.");
	}
};

const accountList: AzCommand = {
	name: 'account list',
	summary: 'Get a list of subscriptions for the logged in account.',
	args: [
		{
			dest: 'all',
			options: ['--all'],
			kind: 'flag',
			help: 'List all subscriptions from all clouds.'
		}
	],
	examples: [{ command: 'az account list -o table', description: 'List the subscriptions.' }],
	run({ world }) {
		return success(accountView(world, 'cloudName'));
	}
};

/** az uses management.core.windows.net for ARM tokens when no resource is given. */
const DEFAULT_TOKEN_RESOURCE = 'https://management.core.windows.net/';

const accountGetAccessToken: AzCommand = {
	name: 'account get-access-token',
	summary: 'Get a token for utilities to access Azure, as the signed-in user.',
	args: [
		{
			dest: 'resource',
			options: ['--resource'],
			help: 'Azure resource endpoints in AAD v1.0, e.g. https://vault.azure.net. Default: Azure Resource Manager.'
		},
		{
			dest: 'scope',
			options: ['--scope'],
			kind: 'list',
			help: 'Space-separated AAD scopes in AAD v2.0, e.g. https://vault.azure.net/.default.'
		},
		{
			dest: 'resourceType',
			options: ['--resource-type'],
			choices: ['aad-graph', 'arm', 'batch', 'data-lake', 'media', 'ms-graph', 'oss-rdbms'],
			help: 'Type of well-known resource.'
		}
	],
	examples: [
		{
			command:
				'az account get-access-token --resource https://vault.azure.net --query accessToken -o tsv',
			description: 'Get a Key Vault token for the signed-in user (decode it with jwt decode).'
		}
	],
	async run({ world, env, args }) {
		const scopes = list(args, 'scope');
		if (str(args, 'resource') !== undefined && scopes.length > 0) {
			return failure('usage error: --resource and --scope are mutually exclusive', 2);
		}
		const types: Record<string, string> = {
			arm: DEFAULT_TOKEN_RESOURCE,
			'ms-graph': 'https://graph.microsoft.com/',
			'oss-rdbms': 'https://ossrdbms-aad.database.windows.net'
		};
		const type = str(args, 'resourceType');
		if (type !== undefined && own(types, type) === undefined) {
			return failure(
				`The lab's tenant has no resource of type '${type}'. Use --resource with an App ID URI such as https://vault.azure.net.`
			);
		}
		const resource =
			str(args, 'resource') ??
			(scopes[0] !== undefined ? scopes[0].replace(/\/\.default$/, '') : undefined) ??
			(type !== undefined ? own(types, type) : undefined) ??
			DEFAULT_TOKEN_RESOURCE;
		const token = await cloudShellUserToken(world, env, resource);
		if (!token) return failure("Please run 'az login' to setup account.");
		const applied = applyOperations(world, token.operations, { caller: 'system' });
		if (!applied.ok) return failure(applied.error.message);
		const subscription = Object.values(world.subscriptions)[0];
		const local = new Date(token.expiresOn * 1000)
			.toISOString()
			.replace('T', ' ')
			.replace('Z', '000');
		return success(
			{
				accessToken: token.accessToken,
				expiresOn: local,
				expires_on: token.expiresOn,
				subscription: subscription?.subscriptionId ?? '',
				tenant: world.tenant.tenantId,
				tokenType: 'Bearer'
			},
			applied.value
		);
	}
};

const login: AzCommand = {
	name: 'login',
	summary: 'Log in to Azure.',
	args: [
		{
			dest: 'identity',
			options: ['--identity'],
			kind: 'flag',
			help: "Log in using the Virtual Machine's managed identity."
		},
		{
			dest: 'username',
			options: ['--username', '-u'],
			help: 'User name, service principal client id, or managed identity id.'
		},
		{
			dest: 'clientId',
			options: ['--client-id'],
			help: 'Client ID of the user-assigned managed identity (with --identity).'
		},
		{
			dest: 'objectId',
			options: ['--object-id'],
			help: 'Object ID of the user-assigned managed identity (with --identity).'
		},
		{
			dest: 'resourceId',
			options: ['--resource-id'],
			help: 'Resource ID of the user-assigned managed identity (with --identity).'
		},
		{
			dest: 'allowNoSubscriptions',
			options: ['--allow-no-subscriptions'],
			kind: 'flag',
			help: "Support access tenants without subscriptions. It's uncommon but useful to run tenant level commands, such as 'az ad'."
		},
		{ dest: 'tenant', options: ['--tenant', '-t'], help: 'The AAD tenant.' },
		{
			dest: 'useDeviceCode',
			options: ['--use-device-code'],
			kind: 'flag',
			help: "Use CLI's old authentication flow based on device code."
		}
	],
	needsLogin: false,
	examples: [
		{
			command: 'az login --identity',
			description: 'Log in with the managed identity of the VM you are on.'
		}
	],
	run(inv) {
		const { state, world } = inv;
		if (state.place.kind !== 'cloudShell' && inv.args.identity === true)
			return loginWithIdentity(inv);
		if (state.place.kind === 'cloudShell') {
			return success(accountView(world, 'cloudName'), undefined, [
				"Cloud Shell is automatically authenticated under the initial account signed-in with. Run 'az login' only if you need to use a different account"
			]);
		}
		return failure(
			'Interactive sign-in is not simulated on this machine.',
			1,
			"Sign in as this machine's managed identity with az login --identity (add --client-id <id> for a user-assigned one), or go back to Cloud Shell (exit), where az is signed in as you."
		);
	}
};

const groupCreate: AzCommand = {
	name: 'group create',
	summary: 'Create a new resource group.',
	args: [
		{
			dest: 'name',
			options: ['--name', '--resource-group', '-n', '-g'],
			required: true,
			help: 'Name of the new resource group.'
		},
		{
			dest: 'location',
			options: ['--location', '-l'],
			required: true,
			help: 'Location. Values from: az account list-locations, e.g. westeurope.'
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
			command: 'az group create -n rg-lab -l westeurope',
			description: 'Create a resource group in West Europe.'
		}
	],
	run(inv) {
		const name = str(inv.args, 'name') ?? '';
		const location = (str(inv.args, 'location') ?? '').toLowerCase().replace(/\s+/g, '');
		const existing = findGroup(inv.world, name);
		if (existing) {
			if (existing.location !== location) {
				return serviceFailure(
					'InvalidResourceGroupLocation',
					`Invalid resource group location '${location}'. The Resource group already exists in location '${existing.location}' in resource group '${existing.name}'. A resource group cannot change location.`
				);
			}
			return success(groupView(existing));
		}
		const applied = commit(inv, [{ type: 'createResourceGroup', name, location }]);
		if (!applied.ok) return applied.outcome;
		const group = findGroup(applied.world, name);
		return success(group ? groupView(group) : null, applied);
	}
};

const groupShow: AzCommand = {
	name: 'group show',
	summary: 'Gets a resource group.',
	args: [
		{
			dest: 'name',
			options: ['--name', '--resource-group', '-n', '-g'],
			required: true,
			help: 'Name of the resource group.'
		}
	],
	examples: [
		{ command: 'az group show -n rg-stock', description: 'Show the resource group rg-stock.' }
	],
	run({ world, args }) {
		const name = str(args, 'name') ?? '';
		const group = findGroup(world, name);
		return group ? success(groupView(group)) : groupNotFound(world, name);
	}
};

const groupList: AzCommand = {
	name: 'group list',
	summary: 'List resource groups.',
	args: [{ dest: 'tag', options: ['--tag'], help: 'A single tag in key[=value] format.' }],
	examples: [
		{ command: 'az group list -o table', description: 'List the resource groups as a table.' }
	],
	table: (result) =>
		(result as Record<string, unknown>[]).map((g) => ({
			Name: g.name,
			Location: g.location,
			Status: (g.properties as { provisioningState?: string } | undefined)?.provisioningState
		})),
	run({ world }) {
		return success(Object.values(world.resourceGroups).map(groupView));
	}
};

const resourceList: AzCommand = {
	name: 'resource list',
	summary: 'List resources.',
	args: [
		{ dest: 'resourceGroup', options: ['--resource-group', '-g'], help: 'Name of resource group.' },
		{
			dest: 'resourceType',
			options: ['--resource-type'],
			help: 'The resource type, e.g. Microsoft.Compute/virtualMachines.'
		},
		{ dest: 'name', options: ['--name', '-n'], help: 'Name of the resource.' }
	],
	examples: [
		{
			command: 'az resource list -g rg-stock -o table',
			description: 'List everything in rg-stock.'
		}
	],
	run({ world, args }) {
		const group = str(args, 'resourceGroup');
		if (group !== undefined && !findGroup(world, group)) return groupNotFound(world, group);
		const type = str(args, 'resourceType')?.toLowerCase();
		const name = str(args, 'name')?.toLowerCase();
		const items = Object.values(world.resources)
			.filter((r) => group === undefined || r.resourceGroup.toLowerCase() === group.toLowerCase())
			.filter((r) => name === undefined || r.name.toLowerCase() === name)
			.map((r) => resourceView(world, r))
			.filter((v) => type === undefined || String(v.type).toLowerCase() === type)
			.map((v) => ({
				id: v.id,
				identity: v.identity ?? null,
				kind: v.kind ?? null,
				location: v.location,
				name: v.name,
				resourceGroup: v.resourceGroup,
				tags: v.tags ?? null,
				type: v.type
			}));
		return success(items);
	}
};

/** az resource show and delete name resources only by `--ids` here. */
const IDS_REQUIRED = 'usage error: --ids is required (the lab names resources by id here).';

/** ARM's answer for an id that names no resource. */
function resourceIdNotFound(id: string): AzOutcome {
	return serviceFailure(
		'ResourceNotFound',
		`The Resource '${id}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`
	);
}

const resourceShow: AzCommand = {
	name: 'resource show',
	summary: 'Get the details of a resource.',
	args: [],
	ids: true,
	examples: [
		{ command: 'az resource show --ids <resource id>', description: 'Show a resource by its id.' }
	],
	run({ world, args }) {
		const ids = list(args, 'ids');
		if (ids.length === 0) return failure(IDS_REQUIRED, 2);
		const views = [];
		for (const id of ids) {
			const resource = own(world.resources, idKey(id));
			if (!resource) return resourceIdNotFound(id);
			views.push(resourceView(world, resource));
		}
		return success(views.length === 1 ? views[0] : views);
	}
};

const resourceDelete: AzCommand = {
	name: 'resource delete',
	summary: 'Delete a resource.',
	args: [],
	ids: true,
	examples: [
		{
			command: 'az resource delete --ids <resource id>',
			description: 'Delete a resource by its id.'
		}
	],
	run(inv) {
		const ids = list(inv.args, 'ids');
		if (ids.length === 0) return failure(IDS_REQUIRED, 2);
		const missing = ids.find((id) => !own(inv.world.resources, idKey(id)));
		if (missing !== undefined) return resourceIdNotFound(missing);
		const applied = commit(
			inv,
			ids.map((id) => ({ type: 'deleteResource' as const, resourceId: id }))
		);
		return applied.ok ? success(undefined, applied) : applied.outcome;
	}
};

/** Account, login, group and generic resource commands. */
export const ACCOUNT_COMMANDS: readonly AzCommand[] = [
	accountShow,
	accountList,
	accountGetAccessToken,
	login,
	logout,
	groupCreate,
	groupShow,
	groupList,
	resourceList,
	resourceShow,
	resourceDelete
];
