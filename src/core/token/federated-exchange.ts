/**
 * Entra ID's v2.0 token endpoint exchanging a federated assertion (workload identity federation): a client
 * credentials request whose `client_assertion` is a token from an external issuer (an AKS cluster's service
 * account token). Entra ID checks the assertion's signature against the issuer's JWKS, then its issuer,
 * expiry, audience and subject against the identity's federated credentials, and issues the identity's
 * access token (reference 2.5; errors per learn.microsoft.com/entra/workload-id/workload-identity-federation).
 */
import type { FederatedCredential, ServicePrincipal, World } from '../azure/model.ts';
import type { Operation } from '../azure/operations/index.ts';
import { findServicePrincipalByAppId, getResource } from '../azure/queries.ts';
import type { EpochSeconds } from '../clock.ts';
import { describeDuration, isoTime } from '../clock.ts';
import { decodeForDisplay, signAccessToken, verifyAccessToken } from '../crypto/index.ts';
import type { HandlerContext, HandlerResult, HttpRequest, HttpResponse } from '../http/types.ts';
import { header, jsonResponse } from '../http/types.ts';
import { reasonPhrase, requestHop, responseHop } from '../http/parts.ts';
import { seededGuid } from '../ids.ts';
import { ENTRA_HOST, entraErrorBody } from './entra.ts';
import { audienceHint, managedIdentityClaims, resolveAudience } from './claims.ts';
import { ensureSigningKey } from './key-ring.ts';
import { clusterOfIssuer, issuerJwks } from './federation.ts';

/** The `client_assertion_type` of a JWT client assertion. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const FEDERATION_DOC = 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation';

function form(request: HttpRequest): URLSearchParams {
	const type = header(request, 'content-type') ?? '';
	if (type !== '' && !type.toLowerCase().startsWith('application/x-www-form-urlencoded'))
		return new URLSearchParams();
	return new URLSearchParams(request.body ?? '');
}

/** The user-assigned identity behind a managed identity's service principal, if it is one. */
function userIdentityOf(world: World, sp: ServicePrincipal) {
	const resource = sp.managedIdentityResourceId
		? getResource(world, sp.managedIdentityResourceId)
		: undefined;
	return resource?.kind === 'userAssignedIdentity' ? resource : undefined;
}

/**
 * True for a request this module answers: POST to this tenant's v2.0 token endpoint, client credentials with a
 * JWT-bearer assertion, for a managed identity's client id. Everything else goes to the general endpoint.
 */
export function isFederatedTokenRequest(world: World, request: HttpRequest, url: URL): boolean {
	if (url.hostname.toLowerCase() !== ENTRA_HOST || request.method.toUpperCase() !== 'POST')
		return false;
	const segments = url.pathname.split('/').filter((s) => s !== '');
	const tenant = (segments[0] ?? '').toLowerCase();
	if (
		tenant !== world.tenant.tenantId.toLowerCase() &&
		tenant !== world.tenant.defaultDomain.toLowerCase()
	)
		return false;
	if (segments.slice(1).join('/').toLowerCase() !== 'oauth2/v2.0/token') return false;
	const body = form(request);
	if (
		body.get('grant_type') !== 'client_credentials' ||
		body.get('client_assertion_type') !== JWT_BEARER_ASSERTION_TYPE ||
		!body.get('client_assertion') ||
		!body.get('scope')
	)
		return false;
	const sp = findServicePrincipalByAppId(world, body.get('client_id') ?? '');
	return sp?.servicePrincipalType === 'ManagedIdentity';
}

/** Entra ID's time text in assertion errors: `2026-03-02T09:00:00.0000000Z`. */
function entraInstant(at: EpochSeconds): string {
	return isoTime(at).replace(/\.\d{3}Z$/, '.0000000Z');
}

function audiencesOf(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	return Array.isArray(value) ? value.filter((a): a is string => typeof a === 'string') : [];
}

/** Answers a federated token request (see {@link isFederatedTokenRequest}). */
export async function handleFederatedToken(
	ctx: HandlerContext,
	request: HttpRequest,
	url: URL
): Promise<HandlerResult> {
	const { world } = ctx;
	const body = form(request);
	const clientId = body.get('client_id') ?? '';
	const scope = body.get('scope') ?? '';
	const assertion = body.get('client_assertion') ?? '';
	const key = `federated|${clientId}|${scope}|${assertion.slice(-16)}`;
	const sp = findServicePrincipalByAppId(world, clientId) as ServicePrincipal;
	const asked = `The workload sends Entra ID its service-account token as a client assertion for ${sp.displayName} (client id ${clientId}), asking for ${scope}.`;
	const hops = (response: HttpResponse, ok: boolean, detail: string) => [
		requestHop({ id: 'entra-request', from: 'app', to: 'entra' }, request, url, asked),
		responseHop({ id: 'entra-response', from: 'entra', to: 'app' }, response, ok, detail)
	];
	const refuse = (
		status: number,
		error: string,
		code: number,
		text: string,
		detail: string
	): HandlerResult => {
		const errorBody = entraErrorBody(world, error, code, text, key);
		const response = jsonResponse(status, reasonPhrase(status), errorBody, {
			'Cache-Control': 'no-store, no-cache',
			'x-ms-request-id': errorBody.trace_id
		});
		return { response, operations: [], hops: hops(response, false, detail), explanation: detail };
	};

	const decoded = decodeForDisplay(assertion);
	if (!decoded.ok) {
		return refuse(
			400,
			'invalid_request',
			50027,
			'JWT token is invalid or malformed.',
			`The client_assertion is not a JWT: ${decoded.error.message} Send the content of $AZURE_FEDERATED_TOKEN_FILE.`
		);
	}
	const claims = decoded.value.payload;
	const issuer = typeof claims.iss === 'string' ? claims.iss : '';
	const subject = typeof claims.sub === 'string' ? claims.sub : '';
	const audiences = audiencesOf(claims.aud);
	const identity = userIdentityOf(world, sp);
	const credentials: FederatedCredential[] = Object.values(identity?.federatedCredentials ?? {});
	const byIssuer = credentials.filter((c) => c.issuer === issuer);
	const list = credentials.map((c) => `${c.name} (issuer ${c.issuer}, subject ${c.subject})`);
	if (byIssuer.length === 0) {
		return refuse(
			400,
			'invalid_request',
			700211,
			`No matching federated identity record found for presented assertion issuer '${issuer}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${FEDERATION_DOC}`,
			identity
				? `${identity.name} trusts no token from ${issuer}. Its federated credentials: ${list.join('; ') || '(none)'}. Add one with az identity federated-credential create --issuer ${issuer} --subject ${subject || '<subject>'}.`
				: `${sp.displayName} is a system-assigned identity: federated credentials exist only on user-assigned identities.`
		);
	}
	const cluster = clusterOfIssuer(world, issuer);
	const verified = await verifyAccessToken(
		assertion,
		cluster ? issuerJwks(cluster) : { keys: [] },
		{ now: world.now }
	);
	if (
		!verified.ok &&
		verified.error.code !== 'ERR_JWT_EXPIRED' &&
		verified.error.code !== 'ERR_JWT_NOT_YET_VALID'
	) {
		return refuse(
			401,
			'invalid_client',
			700027,
			'Client assertion failed signature validation.',
			`Entra ID fetched the JWKS of ${issuer} and no key there verifies the assertion (${verified.error.message}). Only tokens signed by the issuer's own keys are accepted.`
		);
	}
	const exp = typeof claims.exp === 'number' ? claims.exp : 0;
	const nbf =
		typeof claims.nbf === 'number' ? claims.nbf : typeof claims.iat === 'number' ? claims.iat : 0;
	if (!verified.ok) {
		return refuse(
			401,
			'invalid_client',
			700024,
			`Client assertion is not within its valid time range. Current time: ${entraInstant(world.now)}, assertion valid from ${entraInstant(nbf as EpochSeconds)}, expiry time of assertion ${entraInstant(exp as EpochSeconds)}. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .`,
			`The service-account token expired ${describeDuration(Math.max(0, world.now - exp))} ago. Kubelet refreshes the projected file before it expires; read the file again instead of keeping an old copy.`
		);
	}
	const byAudience = byIssuer.filter((c) => c.audiences.some((a) => audiences.includes(a)));
	if (byAudience.length === 0) {
		return refuse(
			400,
			'invalid_request',
			700212,
			`No matching federated identity record found for presented assertion audience '${audiences.join(',')}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${FEDERATION_DOC}`,
			`The assertion is for audience ${audiences.join(', ') || '(none)'}, but the credentials for ${issuer} expect ${byIssuer.map((c) => c.audiences.join(', ')).join('; ')}.`
		);
	}
	const match = byAudience.find((c) => c.subject === subject);
	if (!match) {
		return refuse(
			400,
			'invalid_request',
			70021,
			`No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${subject}'. Assertion Audience: '${audiences.join(',')}'. ${FEDERATION_DOC}`,
			`The token's subject is ${subject}, but ${identity?.name ?? sp.displayName} trusts ${issuer} only for ${byAudience.map((c) => c.subject).join(', ')}. The subject names the namespace and service account: check both.`
		);
	}
	if (!/\/\.default$/.test(scope)) {
		return refuse(
			400,
			'invalid_scope',
			1002012,
			`The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
			`A client-credentials request asks for <resource>/.default, e.g. https://vault.azure.net/.default.`
		);
	}
	const resource = scope.replace(/\/\.default$/, '');
	if (!resolveAudience(world, resource)) {
		return refuse(
			400,
			'invalid_resource',
			500011,
			`The resource principal named ${resource} was not found in the tenant named ${world.tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
			`Entra ID knows no resource called '${resource}'. ${audienceHint(resource)}`
		);
	}
	if (!sp.accountEnabled) {
		return refuse(
			400,
			'unauthorized_client',
			7000112,
			`Application '${sp.appId}'(${sp.displayName}) is disabled.`,
			`The service principal of ${sp.displayName} is disabled, so Entra ID issues it no tokens.`
		);
	}
	const signer = await ensureSigningKey(world, ctx.env.keyRing);
	const tokenClaims = managedIdentityClaims(world, {
		resource,
		principalId: sp.id,
		clientId: sp.appId,
		identityResourceId: sp.managedIdentityResourceId ?? '',
		issuedAt: world.now
	});
	const accessToken = await signAccessToken(signer.key, tokenClaims);
	const lifetime = tokenClaims.exp - tokenClaims.iat;
	const response = jsonResponse(
		200,
		'OK',
		{
			token_type: 'Bearer',
			expires_in: lifetime,
			ext_expires_in: lifetime,
			access_token: accessToken
		},
		{
			'Cache-Control': 'no-store, no-cache',
			'x-ms-request-id': seededGuid(world.seed, `entra-trace|${world.now}|${key}`)
		}
	);
	const source =
		ctx.source.kind === 'outside'
			? ctx.source.machine
			: ctx.source.kind === 'resource'
				? ctx.source.resourceId
				: 'cloudshell';
	const record: Operation = {
		type: 'recordToken',
		token: {
			principalId: sp.id,
			clientId: sp.appId,
			resource,
			accessToken,
			issuedAt: world.now,
			expiresOn: tokenClaims.exp as EpochSeconds,
			kid: signer.key.kid
		},
		hostId: source,
		endpoint: 'federation',
		fromCache: false
	};
	return {
		response,
		operations: [...signer.operations, record],
		hops: hops(
			response,
			true,
			`Entra ID verified the assertion with ${issuer}'s key, matched the federated credential '${match.name}' (subject ${subject}), and issued a token for ${resource} to ${sp.displayName}: "oid" ${sp.id}, valid for ${describeDuration(lifetime)}. No secret was involved.`
		)
	};
}
