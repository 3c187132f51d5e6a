/**
 * az storage: accounts (control plane, through operations) and blobs (data plane, through the Blob service).
 * Blob commands authenticate as az does: `--auth-mode login` with the signed-in user's token (Azure RBAC data
 * actions decide: Owner is not enough, Storage Blob Data Reader is); `--account-key` / `--connection-string` (or
 * AZURE_STORAGE_KEY / AZURE_STORAGE_CONNECTION_STRING) sign with Shared Key — no identity, no RBAC, and no
 * sign-in needed, so they work from any machine; with neither, az fetches the account key (as an Owner may) and
 * warns about it.
 */
import type { StorageAccount, World } from '../../../azure/model.ts';
import { idKey } from '../../../azure/naming.ts';
import type { HttpRequest, HttpResponse } from '../../../http/types.ts';
import { signSharedKeyRequest } from '../../../services/shared-key.ts';
import type { AzArg, AzArgs, AzCommand, AzInvocation, AzOutcome } from '../types.ts';
import { str } from '../args.ts';
import {
	CREATE_GROUP_ARG,
	GROUP_FILTER_ARG,
	azTime,
	LOCATION_ARG,
	commit,
	failure,
	locationOption,
	nameArg,
	newNameArg,
	serviceFailure,
	success
} from '../common.ts';
import { createInGroup, deleteCommand, listCommand, showTargets } from '../resource-commands.ts';
import { storageAccountView } from '../views.ts';
import type { Exchange } from '../../exchange.ts';
import { exchange } from '../../exchange.ts';
import { exchangeAsSignedIn } from '../identity-login.ts';
import { dataPlaneFailure, withExchange } from './data-plane.ts';
import { describePlace, resolvePath } from '../../state.ts';
import { own } from '../../../own.ts';
import { identityLoginOf } from '../identity-login.ts';
import { authorize } from '../../../azure/rbac/authorize.ts';
import { explainDecision } from '../../../services/explain.ts';

const LIST_KEYS_ACTION = 'Microsoft.Storage/storageAccounts/listKeys/action';

const STORAGE_VERSION = '2022-11-02';
const STORAGE_RESOURCE = 'https://storage.azure.com/';

const KEY_WARNING =
	'There are no credentials provided in your command and environment, we will query for account key for your storage account.\nIt is recommended to provide --connection-string, --account-key or --sas-token in your command as credentials.\n\nYou also can add `--auth-mode login` in your command to use Azure Active Directory (Azure AD) for authorization if your login account is assigned required RBAC roles.\nFor more information about RBAC roles in storage, visit https://docs.microsoft.com/azure/storage/common/storage-auth-aad-rbac-cli.\n\nIn addition, setting the corresponding environment variables can avoid inputting credentials in your command. Please use --help to get more information about environment variable usage.';

const PERMISSION_MESSAGE = `
You do not have the required permissions needed to perform this operation.
Depending on your operation, you may need to be assigned one of the following roles:
    "Storage Blob Data Owner"
    "Storage Blob Data Contributor"
    "Storage Blob Data Reader"
    "Storage Queue Data Contributor"
    "Storage Queue Data Reader"
    "Storage Table Data Contributor"
    "Storage Table Data Reader"

If you want to use the old authentication method and allow querying for the right account key, please use the "--auth-mode" parameter and "key" value.`;

/** The arguments every data-plane storage command takes. */
const AUTH_ARGS: AzArg[] = [
	{
		dest: 'accountName',
		options: ['--account-name'],
		help: 'Storage account name. Environment variable: AZURE_STORAGE_ACCOUNT.'
	},
	{
		dest: 'accountKey',
		options: ['--account-key'],
		help: 'Storage account key. Environment variable: AZURE_STORAGE_KEY.'
	},
	{
		dest: 'connectionString',
		options: ['--connection-string'],
		help: 'Storage account connection string. Environment variable: AZURE_STORAGE_CONNECTION_STRING.'
	},
	{
		dest: 'authMode',
		options: ['--auth-mode'],
		choices: ['key', 'login'],
		help: 'The mode in which to run the command. "login" mode will directly use your login credentials for the authentication. The legacy "key" mode will attempt to query for an account key if no authentication parameters for the account are provided.'
	}
];

function connectionString(args: AzArgs, environment: Record<string, string>): string | undefined {
	return str(args, 'connectionString') ?? environment.AZURE_STORAGE_CONNECTION_STRING;
}

/** Data-plane storage commands need no sign-in when a key or connection string is at hand. */
function needsLogin(args: AzArgs, environment: Record<string, string>): boolean {
	if (str(args, 'authMode') === 'login') return true;
	return (
		connectionString(args, environment) === undefined &&
		(str(args, 'accountKey') ?? environment.AZURE_STORAGE_KEY) === undefined
	);
}

type Auth =
	| { kind: 'login'; account: string }
	| { kind: 'key'; account: string; key: string; warning?: string };

function parseConnectionString(text: string): { account?: string; key?: string } {
	const parts = Object.fromEntries(
		text
			.split(';')
			.filter((p) => p.includes('='))
			.map((p) => [
				p.slice(0, p.indexOf('=')).trim().toLowerCase(),
				p.slice(p.indexOf('=') + 1).trim()
			])
	);
	return { account: parts.accountname, key: parts.accountkey };
}

/** How the command authenticates, as az decides it. */
function resolveAuth(
	inv: AzInvocation
): { ok: true; auth: Auth } | { ok: false; outcome: AzOutcome } {
	const { args, environment, world } = inv;
	const mode = str(args, 'authMode');
	const cs = connectionString(args, environment);
	if (mode === 'login') {
		if (cs !== undefined || str(args, 'accountKey') !== undefined) {
			return {
				ok: false,
				outcome: failure(
					'usage error: --auth-mode login cannot be used with --account-key or --connection-string',
					2
				)
			};
		}
		const account = str(args, 'accountName') ?? environment.AZURE_STORAGE_ACCOUNT;
		if (account === undefined)
			return {
				ok: false,
				outcome: failure(
					'Missing account name: give --account-name (or set AZURE_STORAGE_ACCOUNT).',
					2
				)
			};
		return { ok: true, auth: { kind: 'login', account } };
	}
	if (cs !== undefined) {
		const parsed = parseConnectionString(cs);
		if (!parsed.account || !parsed.key) {
			return {
				ok: false,
				outcome: failure(
					'Connection string is either blank or malformed.',
					1,
					'A connection string looks like DefaultEndpointsProtocol=https;AccountName=<name>;AccountKey=<key>;EndpointSuffix=core.windows.net'
				)
			};
		}
		return { ok: true, auth: { kind: 'key', account: parsed.account, key: parsed.key } };
	}
	const account = str(args, 'accountName') ?? environment.AZURE_STORAGE_ACCOUNT;
	if (account === undefined)
		return {
			ok: false,
			outcome: failure(
				'Missing account name: give --account-name (or set AZURE_STORAGE_ACCOUNT).',
				2
			)
		};
	const key = str(args, 'accountKey') ?? environment.AZURE_STORAGE_KEY;
	if (key !== undefined) return { ok: true, auth: { kind: 'key', account, key } };
	const record = Object.values(world.resources).find(
		(r): r is StorageAccount => r.kind === 'storageAccount' && r.name === account
	);
	if (!record) {
		return {
			ok: false,
			outcome: failure(
				`The storage account '${account}' was not found in the subscription, so az cannot query its key.`,
				1,
				'List accounts with az storage account list, or use --auth-mode login.'
			)
		};
	}
	const login = identityLoginOf(inv.state);
	if (login) {
		// az lists the keys through ARM as the signed-in identity: listKeys/action decides, not a data role.
		const decision = authorize(world, login.principalId, LIST_KEYS_ACTION, record.id, 'control');
		if (!decision.allowed) {
			return {
				ok: false,
				outcome: serviceFailure(
					'AuthorizationFailed',
					`The client '${login.clientId}' with object id '${login.principalId}' does not have authorization to perform action '${LIST_KEYS_ACTION}' over scope '${record.id}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
					explainDecision(decision)
				)
			};
		}
	}
	return { ok: true, auth: { kind: 'key', account, key: record.keys.key1, warning: KEY_WARNING } };
}

function httpDateOf(world: World): string {
	return new Date(world.now * 1000).toUTCString();
}

/**
 * Sends a Blob service request with the command's authentication: the exchange when the service answered with
 * the `expected` status, otherwise az's error (which keeps the service's record of the call).
 */
async function callStorage(
	inv: AzInvocation,
	auth: Auth,
	path: string,
	init: Omit<HttpRequest, 'url'>,
	expected: number
): Promise<
	{ ok: true; exchange: Exchange; response: HttpResponse } | { ok: false; outcome: AzOutcome }
> {
	const request: HttpRequest = {
		...init,
		url: `https://${auth.account}.blob.core.windows.net${path}`,
		headers: { 'x-ms-version': STORAGE_VERSION, Accept: 'application/xml', ...init.headers }
	};
	let result: Exchange;
	if (auth.kind === 'login') {
		result = await exchangeAsSignedIn(inv, STORAGE_RESOURCE, request);
	} else {
		const signed = await signSharedKeyRequest(
			request,
			auth.account,
			auth.key,
			httpDateOf(inv.world)
		);
		if (!signed) {
			return {
				ok: false,
				outcome: failure(
					'Incorrect padding: the account key is not valid base64.',
					1,
					'Copy the whole AccountKey value (it ends with ==).'
				)
			};
		}
		result = await exchange(inv.world, inv.state.place, signed, inv.env);
	}
	if (!result.response || result.response.status !== expected)
		return { ok: false, outcome: storageFailure(result, auth) };
	return { ok: true, exchange: result, response: result.response };
}

/** The path of a blob, each segment of its name encoded. */
function blobPath(container: string, blob: string): string {
	return `/${encodeURIComponent(container)}/${blob.split('/').map(encodeURIComponent).join('/')}`;
}

function xmlText(xml: string, tag: string): string | null {
	const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
	return match
		? (match[1] ?? '')
				.replace(/&lt;/g, '<')
				.replace(/&gt;/g, '>')
				.replace(/&quot;/g, '"')
				.replace(/&apos;/g, "'")
				.replace(/&amp;/g, '&')
		: null;
}

function storageFailure(result: Exchange, auth: Auth): AzOutcome {
	return dataPlaneFailure(result, (body) => {
		const code = xmlText(body, 'Code');
		if (code === null) return null;
		if (code === 'AuthorizationPermissionMismatch' && auth.kind === 'login')
			return PERMISSION_MESSAGE;
		const detail = xmlText(body, 'AuthenticationErrorDetail');
		return `${xmlText(body, 'Message') ?? code}${detail ? `\n${detail}` : ''}\nErrorCode:${code}`;
	});
}

function storageTime(httpDate: string | null): string | null {
	if (httpDate === null) return null;
	const ms = Date.parse(httpDate);
	return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function blobView(container: string, xml: string): Record<string, unknown> {
	return {
		container,
		content: '',
		deleted: null,
		encryptedMetadata: null,
		encryptionKeySha256: null,
		encryptionScope: null,
		hasLegalHold: null,
		hasVersionsOnly: null,
		immutabilityPolicy: { expiryTime: null, policyMode: null },
		isAppendBlobSealed: null,
		isCurrentVersion: null,
		lastAccessedOn: null,
		metadata: {},
		name: xmlText(xml, 'Name'),
		objectReplicationDestinationPolicy: null,
		objectReplicationSourceProperties: [],
		properties: {
			appendBlobCommittedBlockCount: null,
			blobTier: xmlText(xml, 'AccessTier') ?? 'Hot',
			blobTierChangeTime: null,
			blobTierInferred: true,
			blobType: xmlText(xml, 'BlobType') ?? 'BlockBlob',
			contentLength: Number(xmlText(xml, 'Content-Length') ?? 0),
			contentRange: null,
			contentSettings: {
				cacheControl: null,
				contentDisposition: null,
				contentEncoding: null,
				contentLanguage: null,
				contentMd5: null,
				contentType: xmlText(xml, 'Content-Type')
			},
			creationTime: storageTime(xmlText(xml, 'Creation-Time')),
			deletedTime: null,
			etag: xmlText(xml, 'Etag'),
			lastModified: storageTime(xmlText(xml, 'Last-Modified')),
			lease: { duration: null, state: 'available', status: 'unlocked' },
			serverEncrypted: true
		},
		rehydratePriority: null,
		requestServerEncrypted: null,
		snapshot: null,
		tagCount: null,
		tags: null,
		versionId: null
	};
}

const CONTAINER_ARG: AzArg = {
	dest: 'containerName',
	options: ['--container-name', '-c'],
	required: true,
	help: 'The container name.'
};
const BLOB_ARG: AzArg = {
	dest: 'name',
	options: ['--name', '-n'],
	required: true,
	help: 'The blob name.'
};

function storageCommand(
	name: string,
	summary: string,
	args: AzArg[],
	examples: AzCommand['examples'],
	body: (inv: AzInvocation, auth: Auth) => Promise<AzOutcome>,
	table?: AzCommand['table']
): AzCommand {
	return {
		name,
		summary,
		args: [...args, ...AUTH_ARGS],
		examples,
		needsLogin,
		...(table ? { table } : {}),
		async run(inv) {
			const resolved = resolveAuth(inv);
			if (!resolved.ok) return resolved.outcome;
			const outcome = await body(inv, resolved.auth);
			const warning = resolved.auth.kind === 'key' ? resolved.auth.warning : undefined;
			return warning ? { ...outcome, warnings: [warning, ...(outcome.warnings ?? [])] } : outcome;
		}
	};
}

const blobList = storageCommand(
	'storage blob list',
	'List blobs in a given container.',
	[
		CONTAINER_ARG,
		{
			dest: 'prefix',
			options: ['--prefix'],
			help: 'Filter the results to return only blobs whose name begins with the specified prefix.'
		}
	],
	[
		{
			command:
				'az storage blob list --account-name ststockdata -c quotes --auth-mode login -o table',
			description: 'List the blobs with your own identity (needs a Storage Blob Data role).'
		}
	],
	async (inv, auth) => {
		const container = str(inv.args, 'containerName') ?? '';
		const called = await callStorage(
			inv,
			auth,
			`/${encodeURIComponent(container)}?restype=container&comp=list`,
			{ method: 'GET', headers: {} },
			200
		);
		if (!called.ok) return called.outcome;
		const prefix = str(inv.args, 'prefix') ?? '';
		const blobs = [...called.response.body.matchAll(/<Blob>([\s\S]*?)<\/Blob>/g)]
			.map((m) => blobView(container, m[1] ?? ''))
			.filter((b) => (typeof b.name === 'string' ? b.name : '').startsWith(prefix));
		return withExchange(called.exchange, success(blobs));
	},
	(result) =>
		(result as Record<string, Record<string, unknown>>[]).map((b) => ({
			Name: b.name,
			'Blob Type': b.properties?.blobType,
			'Blob Tier': b.properties?.blobTier,
			Length: b.properties?.contentLength,
			'Content Type': (b.properties?.contentSettings as Record<string, unknown> | undefined)
				?.contentType,
			'Last Modified': b.properties?.lastModified,
			Snapshot: b.snapshot
		}))
);

const blobDownload = storageCommand(
	'storage blob download',
	'Download a blob (to a file in Cloud Shell with --file, else to the screen).',
	[
		CONTAINER_ARG,
		BLOB_ARG,
		{
			dest: 'file',
			options: ['--file', '-f'],
			help: 'Path of file to write out to. If not specified, stdout will be used.'
		}
	],
	[
		{
			command:
				'az storage blob download --account-name ststockdata -c quotes -n today.csv --auth-mode login',
			description: 'Print the blob.'
		}
	],
	async (inv, auth) => {
		const container = str(inv.args, 'containerName') ?? '';
		const blob = str(inv.args, 'name') ?? '';
		const called = await callStorage(
			inv,
			auth,
			blobPath(container, blob),
			{ method: 'GET', headers: {} },
			200
		);
		if (!called.ok) return called.outcome;
		const { exchange: result, response } = called;
		const file = str(inv.args, 'file');
		if (file === undefined) return withExchange(result, { ok: true, text: response.body });
		if (inv.state.place.kind !== 'cloudShell') {
			return withExchange(
				result,
				failure(
					`[Errno 30] Read-only file system: '${file}'`,
					1,
					'In this lab only Cloud Shell keeps downloaded files; leave out --file to print the blob.'
				)
			);
		}
		const home = describePlace(inv.world, inv.state.place, inv.state)?.home ?? '/';
		const path = resolvePath(file, inv.state.cwd, home);
		const headers = response.headers;
		const xml = `<Name>${blob}</Name><Content-Length>${headers['Content-Length'] ?? ''}</Content-Length><Content-Type>${headers['Content-Type'] ?? ''}</Content-Type><Last-Modified>${headers['Last-Modified'] ?? ''}</Last-Modified><Etag>${headers.ETag ?? ''}</Etag>`;
		return withExchange(result, {
			ok: true,
			result: blobView(container, xml),
			state: { ...inv.state, cloudFiles: { ...inv.state.cloudFiles, [path]: response.body } }
		});
	}
);

const blobUpload = storageCommand(
	'storage blob upload',
	'Upload a file (or --data) to a storage blob.',
	[
		CONTAINER_ARG,
		BLOB_ARG,
		{
			dest: 'file',
			options: ['--file', '-f'],
			help: 'Path of the file to upload as the blob content.'
		},
		{ dest: 'data', options: ['--data'], help: 'The blob data to upload.' },
		{ dest: 'contentType', options: ['--content-type'], help: 'The content MIME type.' },
		{
			dest: 'overwrite',
			options: ['--overwrite'],
			kind: 'flag',
			help: 'Whether the blob to be uploaded should overwrite the current data.'
		}
	],
	[
		{
			command:
				'az storage blob upload --account-name ststockdata -c quotes -n note.txt --data "hello" --auth-mode login',
			description: 'Write a blob (needs Storage Blob Data Contributor).'
		}
	],
	async (inv, auth) => {
		const file = str(inv.args, 'file');
		let content = str(inv.args, 'data');
		if ((file === undefined) === (content === undefined))
			return failure('usage error: --file FILE | --data DATA', 2);
		if (file !== undefined) {
			const info = describePlace(inv.world, inv.state.place, inv.state);
			const path = resolvePath(file, inv.state.cwd, info?.home ?? '/');
			content = info ? own(info.files, path) : undefined;
			if (content === undefined) return failure(`[Errno 2] No such file or directory: '${file}'`);
		}
		const container = str(inv.args, 'containerName') ?? '';
		const blob = str(inv.args, 'name') ?? '';
		const contentType = str(inv.args, 'contentType');
		const called = await callStorage(
			inv,
			auth,
			blobPath(container, blob),
			{
				method: 'PUT',
				headers: {
					'x-ms-blob-type': 'BlockBlob',
					...(contentType !== undefined ? { 'x-ms-blob-content-type': contentType } : {})
				},
				body: content ?? ''
			},
			201
		);
		if (!called.ok) return called.outcome;
		const headers = called.response.headers;
		return withExchange(
			called.exchange,
			success({
				client_request_id: null,
				content_md5: null,
				date: storageTime(headers.Date ?? null),
				encryption_key_sha256: null,
				encryption_scope: null,
				etag: headers.ETag ?? null,
				last_modified: storageTime(headers['Last-Modified'] ?? null),
				request_id: headers['x-ms-request-id'] ?? null,
				request_server_encrypted: true,
				version: STORAGE_VERSION,
				version_id: null
			})
		);
	}
);

const containerList = storageCommand(
	'storage container list',
	'List containers in a storage account.',
	[],
	[
		{
			command: 'az storage container list --account-name ststockdata --auth-mode login -o table',
			description: 'List the containers.'
		}
	],
	async (inv, auth) => {
		const called = await callStorage(inv, auth, '/?comp=list', { method: 'GET', headers: {} }, 200);
		if (!called.ok) return called.outcome;
		const containers = [
			...called.response.body.matchAll(/<Container>([\s\S]*?)<\/Container>/g)
		].map((m) => ({
			deleted: null,
			encryptionScope: {
				defaultEncryptionScope: '$account-encryption-key',
				preventEncryptionScopeOverride: false
			},
			immutableStorageWithVersioningEnabled: false,
			metadata: null,
			name: xmlText(m[1] ?? '', 'Name'),
			properties: {
				etag: xmlText(m[1] ?? '', 'Etag'),
				hasImmutabilityPolicy: false,
				hasLegalHold: false,
				lastModified: storageTime(xmlText(m[1] ?? '', 'Last-Modified')),
				lease: { duration: null, state: 'available', status: 'unlocked' },
				publicAccess: null
			},
			version: null
		}));
		return withExchange(called.exchange, success(containers));
	}
);

/** ARM's answer for a storage account that does not exist. */
function accountNotFound(name: string): AzOutcome {
	return serviceFailure(
		'ResourceNotFound',
		`The Resource 'Microsoft.Storage/storageAccounts/${name}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`
	);
}

function findAccount(world: World, name: string, group?: string): StorageAccount | undefined {
	return Object.values(world.resources).find(
		(r): r is StorageAccount =>
			r.kind === 'storageAccount' &&
			r.name === name &&
			(group === undefined || r.resourceGroup.toLowerCase() === group.toLowerCase())
	);
}

const containerRmCreate: AzCommand = {
	name: 'storage container-rm create',
	summary:
		'Create a new container under the specified storage account (through Azure Resource Manager).',
	args: [
		{
			dest: 'storageAccount',
			options: ['--storage-account'],
			required: true,
			help: 'The name or ID of the storage account.'
		},
		{
			dest: 'name',
			options: ['--name', '-n'],
			required: true,
			help: 'The name of the storage container.'
		},
		{ dest: 'resourceGroup', options: ['--resource-group', '-g'], help: 'Name of resource group.' }
	],
	examples: [
		{
			command: 'az storage container-rm create --storage-account ststockdata -n reports',
			description: 'Create the container reports.'
		}
	],
	run(inv) {
		const accountText = str(inv.args, 'storageAccount') ?? '';
		const account = accountText.startsWith('/')
			? own(inv.world.resources, idKey(accountText))
			: findAccount(inv.world, accountText, str(inv.args, 'resourceGroup'));
		if (!account || account.kind !== 'storageAccount')
			return accountNotFound(accountText.split('/').pop() ?? '');
		const name = str(inv.args, 'name') ?? '';
		const applied = commit(inv, [{ type: 'createContainer', accountId: account.id, name }]);
		if (!applied.ok) return applied.outcome;
		return success(
			{
				defaultEncryptionScope: '$account-encryption-key',
				deleted: null,
				denyEncryptionScopeOverride: false,
				hasImmutabilityPolicy: false,
				hasLegalHold: false,
				id: `${account.id}/blobServices/default/containers/${name}`,
				lastModifiedTime: null,
				name,
				publicAccess: 'None',
				resourceGroup: account.resourceGroup,
				type: 'Microsoft.Storage/storageAccounts/blobServices/containers'
			},
			applied
		);
	}
};

const accountCreate: AzCommand = {
	name: 'storage account create',
	summary: 'Create a storage account.',
	args: [
		newNameArg(
			'The storage account name (3–24 lower-case letters and digits, unique across Azure).'
		),
		CREATE_GROUP_ARG,
		LOCATION_ARG,
		{ dest: 'sku', options: ['--sku'], help: 'The storage account SKU. Default: Standard_RAGRS.' },
		{
			dest: 'kind',
			options: ['--kind'],
			help: 'Indicate the type of storage account. Default: StorageV2.'
		}
	],
	examples: [
		{
			command: 'az storage account create -g rg-stock -n ststocklab01',
			description: 'Create a storage account.'
		}
	],
	run: (inv) =>
		createInGroup(
			inv,
			'storageAccount',
			(group, name) => ({
				type: 'createStorageAccount',
				resourceGroup: group.name,
				name,
				...locationOption(inv.args)
			}),
			(_world, account) => storageAccountView(account)
		)
};

const accountDelete = deleteCommand({
	name: 'storage account delete',
	summary: 'Delete a storage account.',
	kinds: ['storageAccount'],
	nameHelp: 'The storage account name.',
	confirm: true,
	examples: [
		{
			command: 'az storage account delete -g rg-stock -n ststocklab01 --yes',
			description: 'Delete a storage account.'
		}
	]
});

const accountShow: AzCommand = {
	name: 'storage account show',
	summary: 'Show storage account properties.',
	args: [nameArg('The storage account name.'), GROUP_FILTER_ARG],
	ids: true,
	examples: [
		{
			command: 'az storage account show -n ststockdata --query id -o tsv',
			description: 'The account’s resource id (a scope for role assignments).'
		}
	],
	run(inv) {
		const name = str(inv.args, 'name');
		if (name !== undefined && str(inv.args, 'resourceGroup') === undefined) {
			const account = findAccount(inv.world, name);
			return account ? success(storageAccountView(account)) : accountNotFound(name);
		}
		return showTargets(inv, ['storageAccount'], (_world, account) => storageAccountView(account));
	}
};

const accountList = listCommand({
	name: 'storage account list',
	summary: 'List storage accounts.',
	kinds: ['storageAccount'],
	examples: [
		{ command: 'az storage account list -o table', description: 'List the storage accounts.' }
	],
	view: (_world, account) => storageAccountView(account)
});

const keysList: AzCommand = {
	name: 'storage account keys list',
	summary:
		'List the access keys of a storage account (anyone with a key can read every blob, no identity needed).',
	args: [
		{
			dest: 'accountName',
			options: ['--account-name', '-n'],
			required: true,
			help: 'The storage account name.'
		},
		GROUP_FILTER_ARG
	],
	examples: [
		{
			command: 'az storage account keys list -n ststockdata',
			description: 'Show the two account keys.'
		}
	],
	run({ world, args }) {
		const name = str(args, 'accountName') ?? '';
		const account = findAccount(world, name, str(args, 'resourceGroup'));
		if (!account) return accountNotFound(name);
		return success(keysView(account));
	}
};

/** The keys as az prints them (`az storage account keys list|renew`). */
function keysView(account: StorageAccount): Record<string, unknown>[] {
	const created = account.keyCreationTime ?? { key1: account.createdAt, key2: account.createdAt };
	return (['key1', 'key2'] as const).map((keyName) => ({
		creationTime: azTime(created[keyName]),
		keyName,
		permissions: 'FULL',
		value: account.keys[keyName]
	}));
}

const keysRenew: AzCommand = {
	name: 'storage account keys renew',
	summary:
		'Regenerate one of the access keys of a storage account: everything signed with the old key (connection strings too) stops working.',
	args: [
		{
			dest: 'accountName',
			options: ['--account-name', '-n'],
			required: true,
			help: 'The storage account name.'
		},
		GROUP_FILTER_ARG,
		{
			dest: 'key',
			options: ['--key'],
			required: true,
			choices: ['primary', 'secondary'],
			help: 'The key options to regenerate.'
		}
	],
	examples: [
		{
			command: 'az storage account keys renew -g rg-stock -n ststockdata --key primary',
			description: 'Rotate key1; the leaked connection string with the old key1 stops working.'
		}
	],
	run(inv) {
		const name = str(inv.args, 'accountName') ?? '';
		const account = findAccount(inv.world, name, str(inv.args, 'resourceGroup'));
		if (!account) return accountNotFound(name);
		const keyName = str(inv.args, 'key') === 'secondary' ? 'key2' : 'key1';
		const applied = commit(inv, [{ type: 'regenerateStorageKey', accountId: account.id, keyName }]);
		if (!applied.ok) return applied.outcome;
		const after = applied.world.resources[idKey(account.id)];
		return success(after?.kind === 'storageAccount' ? keysView(after) : null, applied);
	}
};

const connectionStringShow: AzCommand = {
	name: 'storage account show-connection-string',
	summary:
		'Get the connection string for a storage account (it contains an account key: a secret).',
	args: [
		{ dest: 'name', options: ['--name', '-n'], required: true, help: 'The storage account name.' },
		GROUP_FILTER_ARG
	],
	examples: [
		{
			command: 'az storage account show-connection-string -n ststockdata',
			description: 'The connection string an app would store in its config.'
		}
	],
	run({ world, args }) {
		const name = str(args, 'name') ?? '';
		const account = findAccount(world, name, str(args, 'resourceGroup'));
		if (!account) return accountNotFound(name);
		return success({
			connectionString: `DefaultEndpointsProtocol=https;EndpointSuffix=core.windows.net;AccountName=${account.name};AccountKey=${account.keys.key1};BlobEndpoint=https://${account.name}.blob.core.windows.net/`
		});
	}
};

/** The az storage commands. */
export const STORAGE_COMMANDS: readonly AzCommand[] = [
	accountCreate,
	accountDelete,
	accountShow,
	accountList,
	keysList,
	keysRenew,
	connectionStringShow,
	containerList,
	containerRmCreate,
	blobList,
	blobDownload,
	blobUpload
];
