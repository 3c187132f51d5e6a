/**
 * Microsoft Entra ID's token service, as far as managed identities need it: issuing a managed identity's
 * access token to its identity endpoint, the tenant's OpenID configuration and signing keys, and the token
 * endpoint a learner can reach from outside (which refuses every client-credentials request, because a
 * managed identity's certificate never leaves Azure).
 *
 * The exchange between an identity endpoint (IMDS, the App Service token service) and Entra ID is not
 * documented by Azure. The simulator reconstructs it as an OAuth 2.0 client-credentials request to the v2.0
 * token endpoint, authenticated with a client assertion signed by the identity's certificate (reference 4.3:
 * ARM hands the client id and certificate to the endpoint). Only its outline is shown; no key material is.
 */
import type { CachedToken, ServicePrincipal, World } from '../azure/model.ts';
import type { Operation } from '../azure/operations/index.ts';
import type { TokenEvent } from '../azure/events.ts';
import {
	currentCertificate,
	findServicePrincipalByAppId,
	getResource,
	getServicePrincipal,
	isIdentityHost
} from '../azure/queries.ts';
import { idKey } from '../azure/naming.ts';
import { describeDuration, isoTime } from '../clock.ts';
import type { EpochSeconds } from '../clock.ts';
import { decodeForDisplay, jwksDocument, signAccessToken } from '../crypto/index.ts';
import { seededGuid } from '../ids.ts';
import { err, ok } from '../result.ts';
import type { Result } from '../result.ts';
import type {
	HandlerContext,
	HandlerResult,
	Hop,
	HttpRequest,
	HttpResponse
} from '../http/types.ts';
import { header, jsonResponse } from '../http/types.ts';
import {
	audienceHint,
	managedIdentityClaims,
	resolveAudience,
	v1Issuer,
	v2Issuer
} from './claims.ts';
import type { ManagedIdentityClaims } from './claims.ts';
import { reasonPhrase, requestHop, responseHop } from '../http/parts.ts';
import { ensureSigningKey } from './key-ring.ts';
import type { KeyRing } from './key-ring.ts';

/** Entra ID's sign-in host. */
export const ENTRA_HOST = 'login.microsoftonline.com';
/** Entra ID's authority URL. */
export const ENTRA_AUTHORITY = `https://${ENTRA_HOST}`;

/** The body of an Entra ID error response, members in Entra ID's order. */
export interface EntraErrorBody {
	error: string;
	/** `AADSTSnnnn: text`, then the trace id, correlation id and timestamp on their own lines. */
	error_description: string;
	error_codes: number[];
	/** `2026-03-02 09:00:00Z`. */
	timestamp: string;
	trace_id: string;
	correlation_id: string;
	error_uri: string;
}

/** Entra ID's timestamp format: ISO date and time with a space, whole seconds, `Z`. */
export function entraTimestamp(at: EpochSeconds): string {
	return isoTime(at)
		.replace('T', ' ')
		.replace(/\.\d{3}Z$/, 'Z');
}

/**
 * An Entra ID error body. Trace and correlation ids are derived from the world's seed, the time and `key`
 * (something that identifies the request), so a replay gives the same ids.
 */
export function entraErrorBody(
	world: World,
	error: string,
	code: number,
	text: string,
	key: string
): EntraErrorBody {
	const traceId = seededGuid(world.seed, `entra-trace|${world.now}|${key}`);
	const correlationId = seededGuid(world.seed, `entra-correlation|${world.now}|${key}`);
	const timestamp = entraTimestamp(world.now);
	return {
		error,
		error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
		error_codes: [code],
		timestamp,
		trace_id: traceId,
		correlation_id: correlationId,
		error_uri: `${ENTRA_AUTHORITY}/error?code=${code}`
	};
}

/** A JSON answer of Entra ID: discovery documents may be cached, token responses never. */
function entraJson(
	status: number,
	body: unknown,
	cache: 'document' | 'token',
	requestId?: string
): HttpResponse {
	return jsonResponse(status, reasonPhrase(status), body, {
		'Cache-Control': cache === 'document' ? 'max-age=86400, private' : 'no-store, no-cache',
		...(requestId !== undefined ? { 'x-ms-request-id': requestId } : {})
	});
}

function errorResponse(status: number, body: EntraErrorBody): HttpResponse {
	return entraJson(status, body, 'token', body.trace_id);
}

/** Input of {@link issueManagedIdentityToken}. */
export interface IssueRequest {
	/** Principal (object) id of the managed identity. */
	principalId: string;
	/** The requested resource (App ID URI): becomes `aud` verbatim. */
	resource: string;
	/** ARM id of the resource whose identity endpoint asks. */
	hostId: string;
	/** Which identity endpoint asks. */
	endpoint: TokenEvent['endpoint'];
}

/** A freshly issued managed identity token. */
export interface IssuedToken {
	token: CachedToken;
	claims: ManagedIdentityClaims;
	/** `addSigningKey` when a new key had to be published, then `recordToken` (fromCache false). */
	operations: Operation[];
	/** The endpoint's request to Entra ID and Entra ID's answer. */
	hops: Hop[];
}

/** Why Entra ID refused to issue a managed identity token. */
export interface TokenIssueError {
	/** The OAuth error code Entra ID answered with (`invalid_resource`, `unauthorized_client`). */
	error: 'invalid_resource' | 'unauthorized_client';
	/** The AADSTS number. */
	aadsts: number;
	/** Entra ID's `error_description`, as the identity endpoint relays it. */
	errorDescription: string;
	/** What is wrong in this world and what to do, for a learner. */
	message: string;
	/** The endpoint's request to Entra ID and Entra ID's refusal (the last hop, `ok: false`). */
	hops: Hop[];
}

/** The identity endpoint's token request to Entra ID, and Entra ID's answer. */
const ENDPOINT_TO_ENTRA = { id: 'entra-request', from: 'identityEndpoint', to: 'entra' } as const;
const ENTRA_TO_ENDPOINT = { id: 'entra-response', from: 'entra', to: 'identityEndpoint' } as const;

const ENDPOINT_NAMES: Record<TokenEvent['endpoint'], string> = {
	imds: 'IMDS',
	appService: 'The App Service identity endpoint',
	arc: 'The Arc agent (HIMDS)',
	federation: 'Entra ID'
};

function identityPhrase(world: World, sp: ServicePrincipal, hostId: string): string {
	const host = getResource(world, hostId);
	const hostName = host?.name ?? hostId;
	const system =
		sp.managedIdentityResourceId !== null && idKey(sp.managedIdentityResourceId) === idKey(hostId);
	return system
		? `the system-assigned identity of ${hostName}`
		: `the user-assigned identity ${sp.displayName}`;
}

/** The v2.0 token request an identity endpoint sends for an identity (reconstructed; see the module note). */
function tokenRequestHop(
	world: World,
	sp: ServicePrincipal | undefined,
	clientId: string,
	input: IssueRequest,
	who: string
): Hop {
	const thumbprint = (sp && currentCertificate(world, sp)?.thumbprint) ?? '(no certificate)';
	const body = new URLSearchParams({
		client_id: clientId,
		scope: `${input.resource}/.default`,
		grant_type: 'client_credentials',
		client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
		client_assertion: `<JWT signed with the identity's certificate, thumbprint ${thumbprint}>`
	}).toString();
	const target = `${ENTRA_AUTHORITY}/${world.tenant.tenantId}/oauth2/v2.0/token`;
	const request: HttpRequest = {
		method: 'POST',
		url: target,
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'application/json'
		},
		body
	};
	return requestHop(
		ENDPOINT_TO_ENTRA,
		request,
		new URL(target),
		`${ENDPOINT_NAMES[input.endpoint]} has no token for ${input.resource} in its cache, so it asks Entra ID for one as ${who} (client id ${clientId}), proving it with the identity's certificate (thumbprint ${thumbprint}). Azure does not document this internal call: the lab shows it as a client-credentials request.`
	);
}

function refusal(
	world: World,
	request: Hop,
	status: number,
	error: TokenIssueError['error'],
	code: number,
	text: string,
	message: string,
	key: string
): Result<IssuedToken, TokenIssueError> {
	const body = entraErrorBody(world, error, code, text, key);
	const refused = responseHop(
		ENTRA_TO_ENDPOINT,
		errorResponse(status, body),
		false,
		message,
		`${status} ${error}`
	);
	return err({
		error,
		aadsts: code,
		errorDescription: body.error_description,
		message,
		hops: [request, refused]
	});
}

/**
 * Entra ID issues a v1.0 access token to a managed identity: the claims of reference 3.2, signed with the
 * tenant's active key (a new key is created and published when the ring lacks it). Refuses a resource Entra
 * ID does not know (AADSTS50001, `invalid_resource`, as IMDS relays it) and a principal that is missing or
 * disabled (AADSTS700016 / AADSTS7000112, `unauthorized_client`).
 */
export async function issueManagedIdentityToken(
	world: World,
	ring: KeyRing,
	input: IssueRequest
): Promise<Result<IssuedToken, TokenIssueError>> {
	const sp = getServicePrincipal(world, input.principalId);
	const managed = sp?.servicePrincipalType === 'ManagedIdentity' ? sp : undefined;
	const clientId = managed?.appId ?? input.principalId;
	const who = managed
		? identityPhrase(world, managed, input.hostId)
		: `the identity ${input.principalId}`;
	const tokenRequest = tokenRequestHop(world, managed, clientId, input, who);
	const key = `${input.principalId}|${input.resource}`;
	if (!managed) {
		return refusal(
			world,
			tokenRequest,
			400,
			'unauthorized_client',
			700016,
			`Application with identifier '${clientId}' was not found in the directory '${world.tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
			`Entra ID has no managed identity with object id ${input.principalId}: its service principal was deleted. Turn the identity off and on again (or assign another one) so that ARM creates a new service principal.`,
			key
		);
	}
	if (!managed.accountEnabled) {
		return refusal(
			world,
			tokenRequest,
			400,
			'unauthorized_client',
			7000112,
			`Application '${managed.appId}'(${managed.displayName}) is disabled.`,
			`The service principal of ${managed.displayName} is disabled in Entra ID, so Entra ID issues it no tokens. Enable it again.`,
			key
		);
	}
	if (!resolveAudience(world, input.resource)) {
		return refusal(
			world,
			tokenRequest,
			400,
			'invalid_resource',
			50001,
			`The application named ${input.resource} was not found in the tenant named ${world.tenant.tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
			`Entra ID knows no resource called '${input.resource}', so it cannot issue a token for it (the token's "aud" would name it). ${audienceHint(input.resource)}`,
			key
		);
	}
	const signer = await ensureSigningKey(world, ring);
	const claims = managedIdentityClaims(world, {
		resource: input.resource,
		principalId: managed.id,
		clientId: managed.appId,
		identityResourceId: managed.managedIdentityResourceId ?? input.hostId,
		issuedAt: world.now
	});
	const accessToken = await signAccessToken(signer.key, claims);
	const token: CachedToken = {
		principalId: managed.id,
		clientId: managed.appId,
		resource: input.resource,
		accessToken,
		issuedAt: world.now,
		expiresOn: claims.exp as EpochSeconds,
		kid: signer.key.kid
	};
	const lifetime = claims.exp - claims.iat;
	const issued = responseHop(
		ENTRA_TO_ENDPOINT,
		entraJson(
			200,
			{
				token_type: 'Bearer',
				expires_in: lifetime,
				ext_expires_in: lifetime,
				access_token: accessToken
			},
			'token',
			seededGuid(world.seed, `entra-trace|${world.now}|${key}`)
		),
		true,
		`Entra ID checks the certificate, then issues a token for ${input.resource} to ${who}: "oid" ${managed.id}, "appid" ${managed.appId}, signed with key ${signer.key.kid}, valid for ${describeDuration(lifetime)}, until ${isoTime(token.expiresOn)}.`,
		'200 OK (access token)'
	);
	const recordOp: Operation = {
		type: 'recordToken',
		token,
		hostId: input.hostId,
		endpoint: input.endpoint,
		fromCache: false
	};
	return ok({
		token,
		claims,
		operations: [...signer.operations, recordOp],
		hops: [tokenRequest, issued]
	});
}

/** Which tenant a path segment names: the world's tenant (by id or domain), `common`, or none. */
type TenantRef = { kind: 'tenant'; segment: string } | { kind: 'common'; segment: string } | null;

function resolveTenant(world: World, segment: string): TenantRef {
	const lower = segment.toLowerCase();
	if (
		lower === world.tenant.tenantId.toLowerCase() ||
		lower === world.tenant.defaultDomain.toLowerCase()
	) {
		return { kind: 'tenant', segment };
	}
	if (lower === 'common' || lower === 'organizations') return { kind: 'common', segment: lower };
	return null;
}

/** `claims_supported` of the v1 OpenID configuration, as Entra ID publishes it. */
const V1_CLAIMS_SUPPORTED = [
	'sub',
	'iss',
	'cloud_instance_name',
	'cloud_instance_host_name',
	'cloud_graph_host_name',
	'msgraph_host',
	'aud',
	'exp',
	'iat',
	'auth_time',
	'acr',
	'amr',
	'nonce',
	'email',
	'given_name',
	'family_name',
	'nickname'
];

/** `claims_supported` of the v2.0 OpenID configuration, as Entra ID publishes it. */
const V2_CLAIMS_SUPPORTED = [
	'sub',
	'iss',
	'cloud_instance_name',
	'cloud_instance_host_name',
	'cloud_graph_host_name',
	'msgraph_host',
	'aud',
	'exp',
	'iat',
	'auth_time',
	'acr',
	'nonce',
	'preferred_username',
	'name',
	'tid',
	'ver',
	'at_hash',
	'c_hash',
	'email'
];

/**
 * The OpenID configuration document (v1 or v2) of the tenant, or of `common`, whose issuer is the template
 * `{tenantid}`. Endpoint URLs name the tenant by id, as Entra ID's do even when asked by domain name.
 */
export function openIdConfiguration(
	world: World,
	version: 'v1' | 'v2',
	tenant: 'tenant' | 'common' = 'tenant'
): Record<string, unknown> {
	const t = tenant === 'common' ? 'common' : world.tenant.tenantId;
	const tid = tenant === 'common' ? '{tenantid}' : world.tenant.tenantId;
	const base = `${ENTRA_AUTHORITY}/${t}`;
	const cloud = {
		cloud_instance_name: 'microsoftonline.com',
		cloud_graph_host_name: 'graph.windows.net',
		msgraph_host: 'graph.microsoft.com',
		rbac_url: 'https://pas.windows.net'
	};
	if (version === 'v1') {
		return {
			token_endpoint: `${base}/oauth2/token`,
			token_endpoint_auth_methods_supported: [
				'client_secret_post',
				'private_key_jwt',
				'client_secret_basic'
			],
			// Every tenant's v1 document points at the common keys (served below for `common` too).
			jwks_uri: `${ENTRA_AUTHORITY}/common/discovery/keys`,
			response_modes_supported: ['query', 'fragment', 'form_post'],
			subject_types_supported: ['pairwise'],
			id_token_signing_alg_values_supported: ['RS256'],
			response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
			scopes_supported: ['openid'],
			issuer: v1Issuer(tid),
			microsoft_multi_refresh_token: true,
			authorization_endpoint: `${base}/oauth2/authorize`,
			device_authorization_endpoint: `${base}/oauth2/devicecode`,
			http_logout_supported: true,
			frontchannel_logout_supported: true,
			end_session_endpoint: `${base}/oauth2/logout`,
			claims_supported: V1_CLAIMS_SUPPORTED,
			check_session_iframe: `${base}/oauth2/checksession`,
			userinfo_endpoint: `${base}/openid/userinfo`,
			...cloud
		};
	}
	return {
		token_endpoint: `${base}/oauth2/v2.0/token`,
		token_endpoint_auth_methods_supported: [
			'client_secret_post',
			'private_key_jwt',
			'client_secret_basic'
		],
		jwks_uri: `${base}/discovery/v2.0/keys`,
		response_modes_supported: ['query', 'fragment', 'form_post'],
		subject_types_supported: ['pairwise'],
		id_token_signing_alg_values_supported: ['RS256'],
		response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
		scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
		issuer: v2Issuer(tid),
		request_uri_parameter_supported: false,
		userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
		authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
		device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
		http_logout_supported: true,
		frontchannel_logout_supported: true,
		end_session_endpoint: `${base}/oauth2/v2.0/logout`,
		claims_supported: V2_CLAIMS_SUPPORTED,
		...cloud
	};
}

/**
 * The tenant's JWKS from `world.signingKeys`: public members only; v2 keys carry the `issuer` they may sign
 * for (the tenant's v2 issuer), v1 keys do not (reference 3.5).
 */
export function tenantJwks(
	world: World,
	version: 'v1' | 'v2'
): { keys: Record<string, unknown>[] } {
	return jwksDocument(
		world.signingKeys.map((k) => {
			const jwk: Record<string, unknown> = { ...k.jwk };
			delete jwk.issuer;
			if (version === 'v2') jwk.issuer = v2Issuer(world.tenant.tenantId);
			return jwk;
		})
	);
}

/** Entra ID's answer to a caller: the request hop (`asked`) and the response hop (`detail`). */
function answer(
	request: HttpRequest,
	url: URL,
	response: HttpResponse,
	ok: boolean,
	asked: string,
	detail: string
): HandlerResult {
	return {
		response,
		operations: [],
		hops: [
			requestHop({ id: 'entra-request', from: 'app', to: 'entra' }, request, url, asked),
			responseHop({ id: 'entra-response', from: 'entra', to: 'app' }, response, ok, detail)
		]
	};
}

function requestKey(request: HttpRequest, url: URL): string {
	return `${request.method}|${url.pathname}|${request.body ?? ''}`;
}

/**
 * Serves `login.microsoftonline.com`: the v1 and v2 OpenID configuration and JWKS of the tenant (by id or
 * default domain) and of `common`, and the token endpoints, which refuse client-credentials requests that
 * carry no valid credential — a managed identity's token can only be had through its identity endpoint.
 */
export function handleEntra(
	ctx: HandlerContext,
	request: HttpRequest,
	url: URL
): Promise<HandlerResult> {
	return Promise.resolve(serveEntra(ctx, request, url));
}

/** Answers the request being served with `response` (`detail`: what happened, for a learner). */
type Reply = (response: HttpResponse, ok: boolean, detail: string) => HandlerResult;

function serveEntra(ctx: HandlerContext, request: HttpRequest, url: URL): HandlerResult {
	const { world } = ctx;
	const segments = url.pathname.split('/').filter((s) => s !== '');
	const route = segments.slice(1).join('/').toLowerCase();
	const method = request.method.toUpperCase();
	const key = requestKey(request, url);
	const asked = `The caller asks Entra ID for ${url.pathname}.`;
	const reply: Reply = (response, ok, detail) => answer(request, url, response, ok, asked, detail);
	const isToken = route === 'oauth2/token' || route === 'oauth2/v2.0/token';
	const isDiscovery =
		route === '.well-known/openid-configuration' ||
		route === 'v2.0/.well-known/openid-configuration' ||
		route === 'discovery/keys' ||
		route === 'discovery/v2.0/keys';

	if (!isToken && !isDiscovery) {
		const response = entraJson(
			404,
			{
				error: 'not_found',
				error_description: `Entra ID has no endpoint at ${url.pathname}. The lab serves /{tenant}/.well-known/openid-configuration, /{tenant}/v2.0/.well-known/openid-configuration, /{tenant}/discovery/keys, /{tenant}/discovery/v2.0/keys and /{tenant}/oauth2/v2.0/token.`
			},
			'token'
		);
		return reply(
			response,
			false,
			`Nothing answers at ${url.pathname} on login.microsoftonline.com. Check the path: the tenant comes first, e.g. /${world.tenant.tenantId}/v2.0/.well-known/openid-configuration.`
		);
	}

	const tenantSegment = segments[0] ?? '';
	const tenant = resolveTenant(world, tenantSegment);
	if (!tenant) {
		const body = entraErrorBody(
			world,
			isToken ? 'invalid_request' : 'invalid_tenant',
			90002,
			`Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
			key
		);
		return reply(
			errorResponse(400, body),
			false,
			`'${tenantSegment}' is not this lab's tenant. Use the tenant id ${world.tenant.tenantId} or the domain ${world.tenant.defaultDomain} (az account show prints the tenant id).`
		);
	}

	if (isDiscovery) {
		if (method !== 'GET' && method !== 'HEAD') {
			const response = entraJson(
				405,
				{
					error: 'method_not_allowed',
					error_description: `The discovery endpoints answer GET only; this request used ${method}.`
				},
				'token'
			);
			return reply(
				response,
				false,
				`Discovery documents are read with GET; ${method} is not allowed.`
			);
		}
		const common = tenant.kind === 'common' ? 'common' : 'tenant';
		if (route.endsWith('openid-configuration')) {
			const version = route.startsWith('v2.0') ? 'v2' : 'v1';
			const doc = openIdConfiguration(world, version, common);
			return reply(
				entraJson(200, doc, 'document'),
				true,
				`Entra ID answers with the tenant's ${version} OpenID configuration: issuer ${String(doc.issuer)}, keys at ${String(doc.jwks_uri)}. A service validating tokens reads it to learn whom to trust.`
			);
		}
		const version = route === 'discovery/v2.0/keys' ? 'v2' : 'v1';
		const jwks = tenantJwks(world, version);
		const kids = world.signingKeys.map((k) => k.kid);
		return reply(
			entraJson(200, jwks, 'document'),
			true,
			kids.length === 0
				? 'The tenant has published no signing key yet: the first token issued creates one.'
				: `Entra ID publishes the public halves of its signing keys (kid ${kids.join(', ')}). A token whose header names one of them, and whose signature that key checks, was signed by Entra ID.`
		);
	}

	return tokenEndpoint(ctx, request, url, key, reply);
}

function tokenEndpoint(
	ctx: HandlerContext,
	request: HttpRequest,
	url: URL,
	key: string,
	reply: Reply
): HandlerResult {
	const { world } = ctx;
	const method = request.method.toUpperCase();
	const v2 = url.pathname.toLowerCase().includes('/oauth2/v2.0/');
	const refuse = (
		status: number,
		error: string,
		code: number,
		text: string,
		detail: string
	): HandlerResult =>
		reply(errorResponse(status, entraErrorBody(world, error, code, text, key)), false, detail);

	if (method !== 'POST') {
		return refuse(
			400,
			'invalid_request',
			900561,
			`The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`,
			`The token endpoint takes a POST with a form body (curl -X POST -d 'grant_type=client_credentials&…').`
		);
	}
	const contentType = header(request, 'content-type') ?? '';
	const form = new URLSearchParams(
		contentType === '' || contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')
			? (request.body ?? '')
			: ''
	);
	const missing = (name: string): HandlerResult =>
		refuse(
			400,
			'invalid_request',
			900144,
			`The request body must contain the following parameter: '${name}'.`,
			`The form body has no '${name}'. A token request is a POST with Content-Type application/x-www-form-urlencoded and grant_type, client_id${v2 ? ', scope' : ', resource'} and a credential.`
		);
	const grantType = form.get('grant_type');
	if (!grantType) return missing('grant_type');
	const clientId = form.get('client_id');
	if (!clientId) return missing('client_id');
	if (grantType !== 'client_credentials') {
		return refuse(
			400,
			'unsupported_grant_type',
			70003,
			`The app requested an unsupported grant type '${grantType}'.`,
			`The lab's Entra ID models only the client-credentials grant, the one an application uses to get a token for itself.`
		);
	}
	if (v2 && !form.get('scope')) return missing('scope');
	const sp = findServicePrincipalByAppId(world, clientId);
	if (!sp) {
		return refuse(
			400,
			'unauthorized_client',
			700016,
			`Application with identifier '${clientId}' was not found in the directory '${world.tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
			`No application or managed identity in this tenant has the client id ${clientId}.`
		);
	}
	const isManaged = sp.servicePrincipalType === 'ManagedIdentity';
	const laptop = `${describeCaller(ctx)} is asking Entra ID directly.`;
	const onlyAzure = isManaged
		? ` ${sp.displayName} is a managed identity: its credential is a certificate that only Azure holds, so nobody can present it from outside. Code gets its token from the identity endpoint of the resource it runs on (IMDS on a VM, IDENTITY_ENDPOINT on App Service).`
		: ` The lab keeps no secret or private key of ${sp.displayName} for you to use.`;
	const secret = form.get('client_secret');
	const assertion = form.get('client_assertion');
	if (secret) {
		return refuse(
			401,
			'invalid_client',
			7000215,
			`Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${sp.appId}'.`,
			`${laptop} The client secret is not valid for ${sp.displayName}.${onlyAzure}`
		);
	}
	if (assertion) {
		const decoded = decodeForDisplay(assertion);
		if (!decoded.ok) {
			return refuse(
				400,
				'invalid_request',
				50027,
				'JWT token is invalid or malformed.',
				`${laptop} The client_assertion is not a JWT: ${decoded.error.message}`
			);
		}
		const thumb = typeof decoded.value.header.x5t === 'string' ? decoded.value.header.x5t : '';
		return refuse(
			401,
			'invalid_client',
			700027,
			`The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumb}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${sp.appId}'.]`,
			`${laptop} The client assertion is not signed by a certificate registered for ${sp.displayName}.${onlyAzure}`
		);
	}
	return refuse(
		401,
		'invalid_client',
		7000216,
		`'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.`,
		`${laptop} The request names the client id of ${sp.displayName} but proves nothing: Entra ID issues a token only to a client that presents its credential.${onlyAzure}`
	);
}

function describeCaller(ctx: HandlerContext): string {
	const { source, world } = ctx;
	if (source.kind === 'cloudShell') return 'Cloud Shell';
	if (source.kind === 'outside') return source.machine;
	const r = getResource(world, source.resourceId);
	return r && isIdentityHost(r) ? `Code on ${r.name}` : (r?.name ?? 'The caller');
}
