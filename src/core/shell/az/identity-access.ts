/**
 * az commands run as a managed identity (after `az login --identity`): each control-plane command needs the
 * RBAC action ARM would check for it, on the scope it touches; a refusal is ARM's AuthorizationFailed, as
 * Azure CLI prints it. Lists show only what the identity may read, as ARM's lists do. Data-plane commands
 * go to their service with the identity's token (the service decides); Microsoft Graph (`az ad`) refuses an
 * identity without Graph permissions.
 */
import type { ResourceKind, World } from '../../azure/model.ts';
import { RESOURCE_TYPES } from '../../azure/model.ts';
import { authorize } from '../../azure/rbac/authorize.ts';
import { explainDecision } from '../../services/explain.ts';
import type { AzArgs, AzCommand, AzInvocation, AzOutcome } from './types.ts';
import { list, str } from './args.ts';
import { azTime, failure, serviceFailure, success } from './common.ts';
import { identityAccounts, identityToken } from './identity-login.ts';
import type { AzIdentityLogin } from '../types.ts';

/** What a command needs from Azure RBAC when a managed identity runs it. */
export type IdentityAccess =
	| { kind: 'action'; action: string; scope: string }
	| { kind: 'list' }
	| { kind: 'free' }
	| { kind: 'graph' }
	| { kind: 'unsupported' };

const KIND_OF_GROUP: [string, ResourceKind | 'resourceGroup' | 'cluster'][] = [
	['storage account', 'storageAccount'],
	['sql server', 'sqlServer'],
	['sql db', 'sqlDatabase'],
	['keyvault', 'keyVault'],
	['identity', 'userAssignedIdentity'],
	['vmss', 'virtualMachineScaleSet'],
	['vm', 'virtualMachine'],
	['webapp', 'webApp'],
	['functionapp', 'functionApp'],
	['group', 'resourceGroup'],
	['aks', 'cluster']
];

const FREE = new Set([
	'login',
	'logout',
	'rest',
	'keyvault secret show',
	'keyvault secret set',
	'keyvault secret list',
	'storage blob list',
	'storage blob download',
	'storage blob upload',
	'storage container list'
]);

function subscriptionOf(world: World): string {
	return Object.values(world.subscriptions)[0]?.subscriptionId ?? '';
}

function groupName(args: AzArgs): string | undefined {
	return str(args, 'resourceGroup');
}

/** The ARM id a command names, from `--ids` or its group and name arguments. */
function targetId(
	world: World,
	kind: ResourceKind | 'resourceGroup' | 'cluster',
	args: AzArgs
): string | null {
	const ids = list(args, 'ids');
	if (ids[0] !== undefined) return ids[0];
	const sub = subscriptionOf(world);
	const group = groupName(args);
	const name =
		str(args, 'name') ??
		str(args, 'accountName') ??
		str(args, 'identityName') ??
		str(args, 'vaultName');
	if (kind === 'resourceGroup') {
		const g = str(args, 'name') ?? group;
		return g === undefined ? null : `/subscriptions/${sub}/resourceGroups/${g}`;
	}
	if (group === undefined) {
		if (name === undefined) return null;
		const found = Object.values(world.resources).find(
			(r) => r.kind === kind && r.name.toLowerCase() === name.toLowerCase()
		);
		return found?.id ?? null;
	}
	if (kind === 'cluster')
		return name === undefined
			? null
			: `/subscriptions/${sub}/resourceGroups/${group}/providers/Microsoft.ContainerService/managedClusters/${name}`;
	if (kind === 'sqlDatabase') {
		const server = str(args, 'server');
		return server === undefined || name === undefined
			? null
			: `/subscriptions/${sub}/resourceGroups/${group}/providers/Microsoft.Sql/servers/${server}/databases/${name}`;
	}
	if (name === undefined) return null;
	return `/subscriptions/${sub}/resourceGroups/${group}/providers/${RESOURCE_TYPES[kind]}/${name}`;
}

function typeOf(kind: ResourceKind | 'resourceGroup' | 'cluster'): string {
	if (kind === 'resourceGroup') return 'Microsoft.Resources/subscriptions/resourceGroups';
	if (kind === 'cluster') return 'Microsoft.ContainerService/managedClusters';
	return RESOURCE_TYPES[kind];
}

/** The access a command needs when a managed identity runs it. */
export function identityAccess(world: World, command: AzCommand, args: AzArgs): IdentityAccess {
	const name = command.name;
	if (command.lab || FREE.has(name) || name.startsWith('account ')) return { kind: 'free' };
	if (name.startsWith('ad ')) return { kind: 'graph' };
	const words = name.split(' ');
	const verb = words[words.length - 1] ?? '';
	if (
		verb === 'list' &&
		name !== 'storage account keys list' &&
		name !== 'identity federated-credential list'
	)
		return { kind: 'list' };
	const sub = `/subscriptions/${subscriptionOf(world)}`;
	if (name.startsWith('role assignment ')) {
		const group = groupName(args);
		const scope = str(args, 'scope') ?? (group ? `${sub}/resourceGroups/${group}` : sub);
		return {
			kind: 'action',
			action: `Microsoft.Authorization/roleAssignments/${verb === 'create' ? 'write' : 'delete'}`,
			scope
		};
	}
	if (name === 'monitor activity-log list') return { kind: 'list' };
	if (name.startsWith('identity federated-credential ')) {
		const id = targetId(world, 'userAssignedIdentity', {
			...args,
			name: str(args, 'identityName')
		});
		if (id === null) return { kind: 'unsupported' };
		const op = verb === 'create' ? 'write' : verb === 'delete' ? 'delete' : 'read';
		return {
			kind: 'action',
			action: `Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/${op}`,
			scope: id
		};
	}
	const entry = KIND_OF_GROUP.find(([prefix]) => name === prefix || name.startsWith(`${prefix} `));
	if (!entry) return { kind: 'unsupported' };
	const id = targetId(world, entry[1], args);
	if (id === null) return { kind: 'unsupported' };
	const type = typeOf(entry[1]);
	if (name === 'storage account keys list' || name === 'storage account show-connection-string')
		return { kind: 'action', action: `${type}/listKeys/action`, scope: id };
	if (name === 'storage account keys renew')
		return { kind: 'action', action: `${type}/regenerateKey/action`, scope: id };
	if (name === 'storage container-rm create')
		return { kind: 'action', action: `${type}/blobServices/containers/write`, scope: id };
	if (verb === 'show' || verb === 'list-instances' || name.endsWith('get-credentials'))
		return { kind: 'action', action: `${type}/read`, scope: id };
	if (verb === 'delete' && words.length === 2)
		return { kind: 'action', action: `${type}/delete`, scope: id };
	if (verb === 'ssh') return { kind: 'unsupported' };
	return { kind: 'action', action: `${type}/write`, scope: id };
}

/** The read action for an ARM id (resource group, role assignment, resource or child resource). */
export function readActionFor(id: string): string {
	const providers = id.toLowerCase().lastIndexOf('/providers/');
	if (providers < 0) {
		return /\/resourceGroups\/[^/]+$/i.test(id)
			? 'Microsoft.Resources/subscriptions/resourceGroups/read'
			: 'Microsoft.Resources/subscriptions/read';
	}
	const parts = id.slice(providers + '/providers/'.length).split('/');
	const namespace = parts[0] ?? '';
	const types = parts.slice(1).filter((_, i) => i % 2 === 0);
	return `${namespace}/${types.join('/')}/read`;
}

function keepReadable(world: World, principalId: string, value: unknown): unknown {
	if (!Array.isArray(value)) return value;
	return value.filter((item) => {
		const id = (item as { id?: unknown } | null)?.id;
		if (typeof id !== 'string') return true;
		const scope = /^\/subscriptions\/[^/]+/i.test(id)
			? id
			: `/subscriptions/${subscriptionOf(world)}`;
		return authorize(world, principalId, readActionFor(id), scope, 'control').allowed;
	});
}

/** ARM's AuthorizationFailed for a managed identity, as az prints it. */
function authorizationFailed(
	login: AzIdentityLogin,
	action: string,
	scope: string,
	why: string
): AzOutcome {
	return serviceFailure(
		'AuthorizationFailed',
		`The client '${login.clientId}' with object id '${login.principalId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
		why
	);
}

/** Runs an az command as the signed-in managed identity. */
export async function runAsIdentity(
	command: AzCommand,
	inv: AzInvocation,
	login: AzIdentityLogin
): Promise<AzOutcome> {
	if (command.name === 'account show' || command.name === 'account list') {
		const accounts = identityAccounts(inv.world, login);
		return success(command.name === 'account show' ? accounts[0] : accounts);
	}
	const access = identityAccess(inv.world, command, inv.args);
	if (access.kind === 'unsupported') {
		return failure(
			`az ${command.name} is not simulated for a managed identity sign-in in this lab.`,
			1,
			'Run it in Cloud Shell (exit), where az is signed in as you.'
		);
	}
	if (access.kind === 'graph') {
		return serviceFailure(
			'Authorization_RequestDenied',
			'Insufficient privileges to complete the operation.',
			'Microsoft Graph judges an identity by its Graph application permissions, which a managed identity does not have unless an admin grants them; Azure RBAC roles do not count there.'
		);
	}
	const resource =
		command.name === 'account get-access-token'
			? undefined
			: access.kind === 'free'
				? undefined
				: 'https://management.core.windows.net/';
	let current = { ...inv };
	let trail: Pick<Extract<AzOutcome, { ok: true }>, 'events' | 'hops'> = { events: [], hops: [] };
	if (resource !== undefined) {
		const got = await identityToken(inv.world, inv.state, inv.env, resource, login.selector);
		if (!got.ok) {
			return {
				ok: false,
				error: {
					message: got.failure.message,
					exitCode: 1,
					...(got.failure.hint ? { hint: got.failure.hint } : {})
				},
				world: got.world,
				events: got.events,
				hops: got.hops
			};
		}
		current = { ...inv, world: got.world };
		trail = { events: got.events, hops: got.hops };
	}
	if (command.name === 'account get-access-token') return accessToken(inv, login);
	if (access.kind === 'action') {
		const decision = authorize(
			current.world,
			login.principalId,
			access.action,
			access.scope,
			'control'
		);
		if (!decision.allowed) {
			const refused = authorizationFailed(
				login,
				access.action,
				access.scope,
				explainDecision(decision)
			);
			return {
				...refused,
				world: current.world,
				events: trail.events ?? [],
				hops: trail.hops ?? []
			};
		}
	}
	const outcome = await command.run({ ...current, caller: login.principalId });
	const events = [...(trail.events ?? []), ...(outcome.events ?? [])];
	const hops = [...(trail.hops ?? []), ...(outcome.hops ?? [])];
	const world = outcome.world ?? current.world;
	if (!outcome.ok) return { ...outcome, world, events, hops };
	const result =
		access.kind === 'list'
			? keepReadable(world, login.principalId, outcome.result)
			: outcome.result;
	return { ...outcome, result, world, events, hops };
}

async function accessToken(inv: AzInvocation, login: AzIdentityLogin): Promise<AzOutcome> {
	const scopes = list(inv.args, 'scope');
	const resource =
		str(inv.args, 'resource') ??
		(scopes[0] !== undefined ? scopes[0].replace(/\/\.default$/, '') : undefined) ??
		'https://management.core.windows.net/';
	const got = await identityToken(inv.world, inv.state, inv.env, resource, login.selector);
	if (!got.ok) {
		return {
			ok: false,
			error: {
				message: got.failure.message,
				exitCode: 1,
				...(got.failure.hint ? { hint: got.failure.hint } : {})
			},
			world: got.world,
			events: got.events,
			hops: got.hops
		};
	}
	return {
		ok: true,
		result: {
			accessToken: got.accessToken,
			expiresOn: azTime(got.expiresOn)
				.replace('T', ' ')
				.replace(/\+00:00$/, ''),
			expires_on: got.expiresOn,
			subscription: login.subscriptionIds[0] ?? inv.world.tenant.tenantId,
			tenant: inv.world.tenant.tenantId,
			tokenType: 'Bearer'
		},
		world: got.world,
		events: got.events,
		hops: got.hops
	};
}
