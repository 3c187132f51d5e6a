/**
 * az keyvault (control plane, through operations) and az keyvault secret (data plane). The secret commands do
 * what az does in Azure: they call the vault's REST API with a token for the signed-in user — here Sarah, from
 * Cloud Shell — so Key Vault answers by Azure RBAC data actions. Owner grants no data action: without a Key Vault
 * data role (e.g. Key Vault Secrets Officer) Sarah gets 403 ForbiddenByRbac, as in Azure.
 */
import type { KeyVault, World } from '../../../azure/model.ts';
import type { HttpRequest } from '../../../http/types.ts';
import type { AzArg, AzCommand, AzInvocation, AzOutcome } from '../types.ts';
import { str } from '../args.ts';
import {
	LOCATION_ARG,
	commit,
	failure,
	locationOption,
	newNameArg,
	serviceFailure,
	success
} from '../common.ts';
import { createInGroup, listCommand } from '../resource-commands.ts';
import { keyVaultView } from '../views.ts';
import type { Exchange } from '../../exchange.ts';
import { exchangeAsSignedIn } from '../identity-login.ts';
import { dataPlaneFailure, withExchange } from './data-plane.ts';

const API_VERSION = '7.4';
const VAULT_RESOURCE = 'https://vault.azure.net';

/** Key Vault's seconds as az prints them (`2026-03-02T09:00:00+00:00`). */
function kvTime(value: unknown): string | null {
	return typeof value === 'number'
		? new Date(value * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00')
		: null;
}

function secretView(bundle: Record<string, unknown>): Record<string, unknown> {
	const attributes = (bundle.attributes ?? {}) as Record<string, unknown>;
	const id = typeof bundle.id === 'string' ? bundle.id : '';
	const name = /\/secrets\/([^/]+)/.exec(id)?.[1] ?? null;
	return {
		attributes: {
			created: kvTime(attributes.created),
			enabled: attributes.enabled ?? true,
			expires: kvTime(attributes.exp),
			notBefore: kvTime(attributes.nbf),
			recoverableDays: attributes.recoverableDays ?? null,
			recoveryLevel: attributes.recoveryLevel ?? null,
			updated: kvTime(attributes.updated)
		},
		contentType: bundle.contentType ?? null,
		id,
		...('value' in bundle ? { kid: null } : {}),
		managed: bundle.managed ?? null,
		name,
		tags: bundle.tags ?? {},
		...('value' in bundle ? { value: bundle.value } : {})
	};
}

function vaultUrl(vaultName: string, path: string): string {
	return `https://${vaultName.toLowerCase()}.vault.azure.net${path}?api-version=${API_VERSION}`;
}

/**
 * Calls the vault as the signed-in user: the exchange and the vault's JSON answer when it answered 200 OK,
 * otherwise az's error (which keeps the vault's record of the call).
 */
async function callVault(
	inv: AzInvocation,
	request: HttpRequest
): Promise<
	| { ok: true; exchange: Exchange; body: Record<string, unknown> | null }
	| { ok: false; outcome: AzOutcome }
> {
	const result = await exchangeAsSignedIn(inv, VAULT_RESOURCE, request);
	if (!result.response || result.response.status !== 200)
		return { ok: false, outcome: vaultFailure(result) };
	return { ok: true, exchange: result, body: parseJson(result.response.body) };
}

function parseJson(text: string): Record<string, unknown> | null {
	try {
		const value: unknown = JSON.parse(text);
		return value !== null && typeof value === 'object' && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: null;
	} catch {
		return null;
	}
}

function vaultFailure(result: Exchange): AzOutcome {
	return dataPlaneFailure(result, (body) => {
		const error = parseJson(body)?.error as
			{ code?: string; message?: string; innererror?: { code?: string } } | undefined;
		if (!error?.code) return null;
		const message = (error.message ?? '').replace(/\r\n/g, '\n');
		const inner = error.innererror?.code
			? `\nInner error: {\n    "code": "${error.innererror.code}"\n}`
			: '';
		return `(${error.code}) ${message}\nCode: ${error.code}\nMessage: ${message}${inner}`;
	});
}

const VAULT_NAME_ARG = {
	dest: 'vaultName',
	options: ['--vault-name'],
	required: true,
	help: 'Name of the Key Vault.'
} as const;

const SECRET_NAME_ARG: AzArg = {
	dest: 'name',
	options: ['--name', '-n'],
	required: true,
	help: 'Name of the secret.'
};

const secretShow: AzCommand = {
	name: 'keyvault secret show',
	summary:
		'Get a specified secret from a given key vault (as the signed-in user: needs a Key Vault data role).',
	args: [
		VAULT_NAME_ARG,
		SECRET_NAME_ARG,
		{
			dest: 'version',
			options: ['--version', '-v'],
			help: 'The secret version. If omitted, uses the latest version.'
		}
	],
	examples: [
		{
			command: 'az keyvault secret show --vault-name kv-stock -n db-password --query value -o tsv',
			description: 'Read the secret (needs e.g. Key Vault Secrets User on the vault).'
		}
	],
	async run(inv) {
		const name = str(inv.args, 'name') ?? '';
		const version = str(inv.args, 'version');
		const path = `/secrets/${encodeURIComponent(name)}${version !== undefined ? `/${encodeURIComponent(version)}` : ''}`;
		const called = await callVault(inv, {
			method: 'GET',
			url: vaultUrl(str(inv.args, 'vaultName') ?? '', path),
			headers: { Accept: 'application/json' }
		});
		if (!called.ok) return called.outcome;
		return withExchange(called.exchange, success(secretView(called.body ?? {})));
	}
};

const secretSet: AzCommand = {
	name: 'keyvault secret set',
	summary:
		"Create a secret (if one doesn't exist) or update a secret in a key vault (needs e.g. Key Vault Secrets Officer).",
	args: [
		VAULT_NAME_ARG,
		SECRET_NAME_ARG,
		{
			dest: 'value',
			options: ['--value'],
			help: 'Plain text secret value. Cannot be used with --file.'
		},
		{ dest: 'file', options: ['--file', '-f'], help: 'Source file for secret (in Cloud Shell).' },
		{
			dest: 'contentType',
			options: ['--content-type'],
			help: 'Type of the secret value such as a password.'
		}
	],
	examples: [
		{
			command: 'az keyvault secret set --vault-name kv-stock -n db-password --value "<new value>"',
			description: 'Rotate the secret (adds a new version).'
		}
	],
	async run(inv) {
		let value = str(inv.args, 'value');
		const file = str(inv.args, 'file');
		if ((value === undefined) === (file === undefined))
			return failure('usage error: --value VALUE | --file PATH', 2);
		if (file !== undefined) {
			const content = Object.entries(inv.state.cloudFiles).find(
				([path]) => path === file || path.endsWith(`/${file}`)
			)?.[1];
			if (content === undefined) return failure(`[Errno 2] No such file or directory: '${file}'`);
			value = content;
		}
		const contentType = str(inv.args, 'contentType');
		const name = str(inv.args, 'name') ?? '';
		const called = await callVault(inv, {
			method: 'PUT',
			url: vaultUrl(str(inv.args, 'vaultName') ?? '', `/secrets/${encodeURIComponent(name)}`),
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			body: JSON.stringify({ value, ...(contentType !== undefined ? { contentType } : {}) })
		});
		if (!called.ok) return called.outcome;
		return withExchange(called.exchange, success(secretView(called.body ?? {})));
	}
};

const secretList: AzCommand = {
	name: 'keyvault secret list',
	summary: 'List secrets in a specified key vault (names and attributes, not values).',
	args: [
		VAULT_NAME_ARG,
		{ dest: 'maxResults', options: ['--maxresults'], help: 'Maximum number of results to return.' }
	],
	examples: [
		{
			command: 'az keyvault secret list --vault-name kv-stock -o table',
			description: 'List the secrets of kv-stock.'
		}
	],
	async run(inv) {
		const called = await callVault(inv, {
			method: 'GET',
			url: vaultUrl(str(inv.args, 'vaultName') ?? '', '/secrets'),
			headers: { Accept: 'application/json' }
		});
		if (!called.ok) return called.outcome;
		const items = (called.body?.value ?? []) as Record<string, unknown>[];
		return withExchange(called.exchange, success(items.map(secretView)));
	}
};

function findVault(world: World, name: string, group: string | undefined): KeyVault | undefined {
	return Object.values(world.resources).find(
		(r): r is KeyVault =>
			r.kind === 'keyVault' &&
			r.name.toLowerCase() === name.toLowerCase() &&
			(group === undefined || r.resourceGroup.toLowerCase() === group.toLowerCase())
	);
}

/** The arguments of show and delete: the vault's name, and the group it must be in. */
const VAULT_ARGS: readonly AzArg[] = [
	{ dest: 'name', options: ['--name', '-n'], required: true, help: 'Name of the Key Vault.' },
	{
		dest: 'resourceGroup',
		options: ['--resource-group', '-g'],
		help: 'Proceed only if Key Vault belongs to the specified resource group.'
	}
];

function vaultNotFound(world: World, name: string): AzOutcome {
	const vaults = Object.values(world.resources)
		.filter((r) => r.kind === 'keyVault')
		.map((r) => r.name);
	return serviceFailure(
		'ResourceNotFound',
		`The Vault '${name}' not found within subscription.`,
		vaults.length ? `Vaults: ${vaults.join(', ')}.` : undefined
	);
}

const vaultCreate: AzCommand = {
	name: 'keyvault create',
	summary: 'Create a Key Vault (permission model: Azure RBAC).',
	args: [
		{
			dest: 'resourceGroup',
			options: ['--resource-group', '-g'],
			required: true,
			help: 'Name of resource group.'
		},
		newNameArg('Name of the Key Vault (unique across Azure).'),
		LOCATION_ARG,
		{
			dest: 'enableRbacAuthorization',
			options: ['--enable-rbac-authorization'],
			help: 'Use Azure RBAC for data actions (always true in the lab).'
		}
	],
	examples: [
		{ command: 'az keyvault create -g rg-stock -n kv-stock-2', description: 'Create a vault.' }
	],
	run: (inv) =>
		createInGroup(
			inv,
			'keyVault',
			(group, name) => ({
				type: 'createKeyVault',
				resourceGroup: group.name,
				name,
				...locationOption(inv.args)
			}),
			keyVaultView
		)
};

const vaultDelete: AzCommand = {
	name: 'keyvault delete',
	summary: 'Delete a Key Vault.',
	args: VAULT_ARGS,
	examples: [{ command: 'az keyvault delete -n kv-stock-2', description: 'Delete a vault.' }],
	run(inv) {
		const name = str(inv.args, 'name') ?? '';
		const vault = findVault(inv.world, name, str(inv.args, 'resourceGroup'));
		if (!vault) return vaultNotFound(inv.world, name);
		const applied = commit(inv, [{ type: 'deleteResource', resourceId: vault.id }]);
		if (!applied.ok) return applied.outcome;
		return success(undefined, applied, [
			'Warning! If you have soft-delete protection enabled on this key vault, you will not be able to reuse this key vault name until the key vault has been purged from the soft deleted state. Please see the following documentation for additional guidance.\nhttps://docs.microsoft.com/azure/key-vault/general/soft-delete-overview'
		]);
	}
};

const vaultShow: AzCommand = {
	name: 'keyvault show',
	summary: 'Show details of a Key Vault.',
	args: VAULT_ARGS,
	examples: [
		{
			command: 'az keyvault show -n kv-stock --query id -o tsv',
			description: 'The vault’s resource id (a scope for role assignments).'
		}
	],
	run({ world, args }) {
		const name = str(args, 'name') ?? '';
		const vault = findVault(world, name, str(args, 'resourceGroup'));
		return vault ? success(keyVaultView(world, vault)) : vaultNotFound(world, name);
	}
};

const vaultList = listCommand({
	name: 'keyvault list',
	summary: 'List Key Vaults.',
	kinds: ['keyVault'],
	examples: [{ command: 'az keyvault list -o table', description: 'List the vaults.' }],
	view: keyVaultView
});

/** The az keyvault commands. */
export const KEYVAULT_COMMANDS: readonly AzCommand[] = [
	vaultCreate,
	vaultDelete,
	vaultShow,
	vaultList,
	secretShow,
	secretSet,
	secretList
];
