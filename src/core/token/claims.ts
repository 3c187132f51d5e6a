/**
 * The claims of a managed identity access token (reference 3.2) and the audiences Entra ID issues them for
 * (reference 3.4). Pure functions of the world: the opaque claims come from the world's seed, so the same
 * world, identity, resource and time always give the same claims.
 */
import type { World } from '../azure/model.ts';
import type { EpochSeconds } from '../clock.ts';
import { addSeconds } from '../clock.ts';
import { seededGuid, seededOpaque } from '../ids.ts';

/** The payload of a v1.0 managed identity access token, in the order Entra ID writes it. */
export interface ManagedIdentityClaims {
	aud: string;
	iss: string;
	iat: number;
	nbf: number;
	exp: number;
	aio: string;
	appid: string;
	appidacr: '2';
	idp: string;
	idtyp: 'app';
	oid: string;
	rh: string;
	sub: string;
	tid: string;
	uti: string;
	ver: '1.0';
	xms_mirid: string;
	xms_tcdt: number;
}

/** The v1.0 issuer of a tenant: `https://sts.windows.net/{tenantId}/`. */
export function v1Issuer(tenantId: string): string {
	return `https://sts.windows.net/${tenantId}/`;
}

/** The v2.0 issuer of a tenant: `https://login.microsoftonline.com/{tenantId}/v2.0`. */
export function v2Issuer(tenantId: string): string {
	return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

/**
 * The claims that are fixed per tenant (`xms_tcdt`) or per identity and resource (`rh`) are derived once:
 * every token minted again for the same identity and resource (after expiry, a cache flush, a replay) would
 * otherwise hash the same inputs again. A bounded memo of pure functions, so the output cannot change.
 */
const MEMO_LIMIT = 1024;
const creationTimes = new Map<string, number>();
const resourceHandles = new Map<string, string>();

function remember<T>(memo: Map<string, T>, key: string, value: T): T {
	if (memo.size >= MEMO_LIMIT) memo.clear();
	memo.set(key, value);
	return value;
}

/** `rh` of an identity and resource (stable per identity and resource; reference 3.2). */
function resourceHandle(
	seed: string,
	tenantId: string,
	principal: string,
	resource: string
): string {
	const key = `rh|${tenantId}|${principal}|${resource}`;
	// seededOpaque hashes `${seed}/${key}`, so this memo key is as distinct as the values it stands for.
	const memoKey = `${seed}/${key}`;
	const known = resourceHandles.get(memoKey);
	if (known !== undefined) return known;
	return remember(resourceHandles, memoKey, `1.${seededOpaque(seed, key, 66)}AA.`);
}

/** Earliest tenant creation time the simulator hands out: 2015-01-01T00:00:00Z. */
const TENANT_CREATION_FLOOR = 1_420_070_400;
/** Width of the window tenant creation times fall in: six years of 365 days. */
const TENANT_CREATION_SPAN = 6 * 365 * 86_400;

/**
 * `xms_tcdt`, believed to be the tenant's creation time (reference 3.2, open point 7). The world does not
 * record when its tenant was created, so the simulator derives a fixed instant between 2015 and 2021 from the
 * tenant id: every token of a world carries the same value, and it is earlier than any lesson's clock.
 */
export function tenantCreationTime(tenantId: string): number {
	const known = creationTimes.get(tenantId);
	if (known !== undefined) return known;
	const hash = parseInt(seededGuid('xms_tcdt', tenantId.toLowerCase()).slice(0, 8), 16);
	return remember(creationTimes, tenantId, TENANT_CREATION_FLOOR + (hash % TENANT_CREATION_SPAN));
}

/**
 * `xms_mirid` as observed on real tokens: the ARM id with `resourcegroups` in lower case and every other
 * segment (resource group name, provider, type, name) in its original casing.
 */
export function managedIdentityResourceClaim(resourceId: string): string {
	return resourceId.replace(/\/resourcegroups\//i, '/resourcegroups/');
}

/** Inputs of {@link managedIdentityClaims}. */
export interface ClaimInputs {
	/** The requested resource: becomes `aud` verbatim. */
	resource: string;
	/** Principal (object) id of the identity: `oid` and `sub`. */
	principalId: string;
	/** Client id of the identity: `appid`. */
	clientId: string;
	/** ARM id the identity stands for: the host (system-assigned) or the identity resource (user-assigned). */
	identityResourceId: string;
	/** Issue time: `iat` and `nbf`. */
	issuedAt: EpochSeconds;
}

/**
 * The claims of a managed identity token, exactly the set and order of reference 3.2. `exp` is `iat` plus
 * the world's token lifetime (86,700 s in Azure). `aio` and `uti` are unique per token (principal, resource
 * and issue time); `rh` is stable per identity and resource.
 */
export function managedIdentityClaims(world: World, input: ClaimInputs): ManagedIdentityClaims {
	const tenantId = world.tenant.tenantId;
	const issuer = v1Issuer(tenantId);
	const principal = input.principalId.toLowerCase();
	const perToken = `${principal}|${input.resource}|${input.issuedAt}`;
	return {
		aud: input.resource,
		iss: issuer,
		iat: input.issuedAt,
		nbf: input.issuedAt,
		exp: addSeconds(input.issuedAt, world.settings.tokenLifetimeSeconds),
		aio: `k2${seededOpaque(world.seed, `aio|${perToken}`, 54)}`,
		appid: input.clientId.toLowerCase(),
		appidacr: '2',
		idp: issuer,
		idtyp: 'app',
		oid: principal,
		rh: resourceHandle(world.seed, tenantId, principal, input.resource),
		sub: principal,
		tid: tenantId,
		uti: seededOpaque(world.seed, `uti|${perToken}`, 22),
		ver: '1.0',
		xms_mirid: managedIdentityResourceClaim(input.identityResourceId),
		xms_tcdt: tenantCreationTime(tenantId)
	};
}

/** A Microsoft resource a managed identity can get a token for (reference 3.4). */
export interface KnownAudience {
	/** The `resource` value as documented. */
	resource: string;
	service: string;
	/**
	 * The first-party application id of the resource. Entra ID also accepts it as `resource`; the token's `aud` is
	 * then the id as requested (an observed v1 token for Key Vault carries `"aud": "cfa8b339-…"`).
	 */
	appId?: string;
}

/** The audiences of reference 3.4, in its order, then Azure AI services and the AKS AAD server application. */
export const KNOWN_AUDIENCES: readonly KnownAudience[] = [
	{
		resource: 'https://management.azure.com/',
		service: 'Azure Resource Manager',
		appId: '797f4846-ba00-4fd7-ba43-dac1f8f63013'
	},
	{ resource: 'https://management.core.windows.net/', service: 'Azure Resource Manager' },
	{
		resource: 'https://vault.azure.net',
		service: 'Azure Key Vault',
		appId: 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093'
	},
	{
		resource: 'https://storage.azure.com/',
		service: 'Azure Storage',
		appId: 'e406a681-f3d4-42a8-90b6-c2b029497af1'
	},
	{
		resource: 'https://database.windows.net/',
		service: 'Azure SQL Database',
		appId: '022907d3-0f1b-48f7-badc-1ba6abab6d66'
	},
	{ resource: 'https://eventhubs.azure.net', service: 'Azure Event Hubs' },
	{ resource: 'https://servicebus.azure.net', service: 'Azure Service Bus' },
	{ resource: 'https://datalake.azure.net/', service: 'Azure Data Lake' },
	{
		resource: 'https://graph.microsoft.com',
		service: 'Microsoft Graph',
		appId: '00000003-0000-0000-c000-000000000000'
	},
	{
		resource: 'https://ossrdbms-aad.database.windows.net',
		service: 'Azure Database for PostgreSQL and MySQL'
	},
	{ resource: 'https://cognitiveservices.azure.com', service: 'Azure AI services' },
	// The AKS AAD server application is named by its application id alone (kubelogin's server id).
	{
		resource: '6dae42f8-4368-4678-94ff-3960e28e3630',
		service: 'Azure Kubernetes Service AAD Server',
		appId: '6dae42f8-4368-4678-94ff-3960e28e3630'
	}
];

/** What a `resource` value names, when Entra ID knows it. */
export type AudienceMatch =
	| { kind: 'microsoft'; audience: KnownAudience }
	| { kind: 'application'; appId: string; displayName: string };

function comparable(resource: string): string {
	return resource.trim().toLowerCase().replace(/\/$/, '');
}

/**
 * The resource a `resource` value names, or undefined when Entra ID would not find it. Microsoft resources
 * match with or without their trailing slash and in any case (Entra ID matches a service principal name,
 * not a string), or by their application id; an app registration of the directory matches as `api://{appId}`.
 */
export function resolveAudience(world: World, resource: string): AudienceMatch | undefined {
	const wanted = comparable(resource);
	if (wanted === '') return undefined;
	const known = KNOWN_AUDIENCES.find(
		(a) => comparable(a.resource) === wanted || a.appId === wanted
	);
	if (known) return { kind: 'microsoft', audience: known };
	if (wanted.startsWith('api://')) {
		const appId = wanted.slice('api://'.length);
		const app = Object.values(world.directory.applications).find(
			(a) => a.appId.toLowerCase() === appId
		);
		if (app) return { kind: 'application', appId: app.appId, displayName: app.displayName };
	}
	return undefined;
}

/** A hint for a `resource` value Entra ID does not know: what the learner probably meant. */
export function audienceHint(resource: string): string {
	const trimmed = resource.trim();
	if (/\/\.default$/i.test(trimmed)) {
		const bare = trimmed.replace(/\/\.default$/i, '');
		return `'${trimmed}' is a scope (SDKs use <resource>/.default); the identity endpoint wants the resource itself: resource=${bare}.`;
	}
	const host = /^https?:\/\/([^/]+)/i.exec(trimmed)?.[1]?.toLowerCase() ?? '';
	if (host.endsWith('.vault.azure.net')) {
		return `A token for Key Vault is requested for the service, not one vault: use resource=https://vault.azure.net.`;
	}
	if (host.endsWith('.core.windows.net') || host.endsWith('.blob.core.windows.net')) {
		return `A token for Storage is requested for the service, not one account: use resource=https://storage.azure.com/.`;
	}
	if (host.endsWith('.database.windows.net')) {
		return `A token for Azure SQL is requested for the service, not one server: use resource=https://database.windows.net/.`;
	}
	return `Use the App ID URI of a service, e.g. ${KNOWN_AUDIENCES.slice(0, 4)
		.map((a) => a.resource)
		.join(', ')}.`;
}
