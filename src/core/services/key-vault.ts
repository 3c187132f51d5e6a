/**
 * Key Vault's data plane (`https://{vault}.vault.azure.net`): get, list and set secrets with an Entra ID bearer
 * token, authorized by Azure RBAC data actions, answering with Key Vault's JSON bodies and error texts.
 */
import type { KeyVault, Secret, SecretVersion, World } from '../azure/model.ts';
import { authorize } from '../azure/rbac/authorize.ts';
import type { HandlerContext, HttpRequest, HttpResponse } from '../http/types.ts';
import { header } from '../http/types.ts';
import { seededGuid } from '../ids.ts';
import type { AcceptedToken, TokenFailure } from './bearer.ts';
import { KEY_VAULT_AUDIENCES, keyVaultCaller, tenantIssuers, validateBearer } from './bearer.ts';
import {
	ServiceCall,
	decodeSegment,
	httpDate,
	noCacheJsonResponse,
	requestId
} from './exchange.ts';
import type { ServiceResult } from './exchange.ts';
import { explainDecision } from './explain.ts';

/**
 * Key Vault data-plane API versions the lab accepts, oldest first: the 7.x line and the date versions that
 * followed it (`@azure/keyvault-secrets` 4.10 sends `2025-07-01`, 4.12 sends `2026-04-01`). The last one is
 * what the "not recognized" error names as the latest supported version.
 */
export const KEY_VAULT_API_VERSIONS: readonly string[] = [
	'2016-10-01',
	'7.0',
	'7.1',
	'7.2',
	'7.3',
	'7.4',
	'7.5',
	'7.6',
	'2025-07-01',
	'2026-04-01'
];

/** The newest version the lab's Key Vault speaks. */
const LATEST_KEY_VAULT_API_VERSION =
	KEY_VAULT_API_VERSIONS[KEY_VAULT_API_VERSIONS.length - 1] ?? '7.6';

/** RBAC data actions of the secret operations (reference 5.4). */
export const KEY_VAULT_ACTIONS = {
	getSecret: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
	listSecrets: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
	setSecret: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'
} as const;

type Route =
	| { op: 'getSecret'; name: string; version: string | null }
	| { op: 'listSecrets' }
	| { op: 'setSecret'; name: string }
	| { op: 'unsupportedMethod'; name: string | null }
	| { op: 'unknownPath' };

/** Access-policy words for the 403 of a vault that does not use Azure RBAC. */
const POLICY_VERB: Record<'getSecret' | 'listSecrets' | 'setSecret', string> = {
	getSecret: 'secrets get',
	listSecrets: 'secrets list',
	setSecret: 'secrets set'
};

function route(method: string, url: URL): Route {
	const parts = url.pathname
		.split('/')
		.filter((p) => p !== '')
		.map(decodeSegment);
	const verb = method.toUpperCase();
	if (parts[0]?.toLowerCase() !== 'secrets' || parts.length > 3) return { op: 'unknownPath' };
	const [, name, version] = parts;
	if (name === undefined)
		return verb === 'GET' ? { op: 'listSecrets' } : { op: 'unsupportedMethod', name: null };
	if (verb === 'GET') return { op: 'getSecret', name, version: version ?? null };
	if (verb === 'PUT' && version === undefined) return { op: 'setSecret', name };
	return { op: 'unsupportedMethod', name };
}

function secretEntry(vault: KeyVault, name: string): [string, Secret] | undefined {
	const lower = name.toLowerCase();
	return Object.entries(vault.secrets).find(([n]) => n.toLowerCase() === lower);
}

function baseUri(vault: KeyVault): string {
	return vault.vaultUri.replace(/\/+$/, '');
}

function attributes(version: SecretVersion): Record<string, unknown> {
	return {
		enabled: true,
		created: version.created,
		updated: version.created,
		recoveryLevel: 'Recoverable+Purgeable',
		recoverableDays: 90
	};
}

function secretBundle(
	vault: KeyVault,
	name: string,
	version: SecretVersion
): Record<string, unknown> {
	return {
		value: version.value,
		...(version.contentType !== undefined ? { contentType: version.contentType } : {}),
		id: `${baseUri(vault)}/secrets/${name}/${version.version}`,
		attributes: attributes(version),
		tags: {}
	};
}

/** Key Vault's response headers (region, request id, service version, no caching). */
function kvResponse(
	world: World,
	vault: KeyVault,
	request: HttpRequest,
	status: number,
	body: unknown,
	extra: Record<string, string> = {}
): HttpResponse {
	return noCacheJsonResponse(status, body, extra, {
		'x-ms-keyvault-region': vault.location,
		'x-ms-request-id': requestId(world, 'keyVault', request),
		'x-ms-keyvault-service-version': '1.9.2421.1',
		'X-Content-Type-Options': 'nosniff',
		'Strict-Transport-Security': 'max-age=31536000;includeSubDomains',
		Date: httpDate(world.now)
	});
}

function kvError(code: string, message: string, innerCode?: string): unknown {
	return {
		error: {
			code,
			message,
			...(innerCode !== undefined ? { innererror: { code: innerCode } } : {})
		}
	};
}

/** Key Vault's 401 message for each reason a token was refused. */
export function keyVaultUnauthorizedMessage(failure: TokenFailure, world: World): string {
	switch (failure.reason) {
		case 'missing':
		case 'scheme':
			return 'AKV10000: Request is missing a Bearer or PoP token.';
		case 'audience':
			return `AKV10022: Invalid audience. Expected https://vault.azure.net, found: ${failure.audience ?? ''}.`;
		case 'issuer':
			return `AKV10032: Invalid issuer. Expected one of ${tenantIssuers(world.tenant.tenantId).join(', ')}, found ${failure.issuer ?? ''}.`;
		case 'unknownKey':
			return `AKV10046: Unable to resolve the key used for signature validation. EncodedJwtHeader: '${failure.encodedHeader ?? ''}'.`;
		case 'expired':
			return "[TokenExpired] Error validating token: 'S2S12086'.";
		case 'notYetValid':
		case 'noExpiry':
		case 'signature':
		case 'algorithm':
		case 'malformed':
			return "[AggregatedAuthenticationFailure] Error validating token: 'S2S17001'.";
	}
}

/** The body of Key Vault's RBAC 403 (reference 6.2), resource path lower-cased as Key Vault prints it. */
export function forbiddenByRbacMessage(
	token: AcceptedToken,
	action: string,
	resource: string,
	vault: KeyVault
): string {
	return [
		'Caller is not authorized to perform action on resource.',
		'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.',
		`Caller: ${keyVaultCaller(token)}`,
		`Action: '${action}'`,
		`Resource: '${resource.toLowerCase()}'`,
		'Assignment: (not found)',
		'DenyAssignmentId: null',
		"DecisionReason: 'DeniedWithNoValidRBAC' ",
		`Vault: ${vault.name};location=${vault.location}`,
		''
	].join('\r\n');
}

function findVault(world: World, host: string): KeyVault | undefined {
	const name = host.toLowerCase().replace(/\.vault\.azure\.net$/, '');
	return Object.values(world.resources).find(
		(r): r is KeyVault => r.kind === 'keyVault' && r.name.toLowerCase() === name
	);
}

/** The lab's Key Vault: routes a data-plane request for the vault named by the host. */
export async function handleKeyVault(
	ctx: HandlerContext,
	request: HttpRequest,
	url: URL
): Promise<ServiceResult> {
	const { world } = ctx;
	const vault = findVault(world, url.hostname);
	const r = route(request.method, url);
	const opName =
		r.op === 'unsupportedMethod' || r.op === 'unknownPath' ? request.method.toLowerCase() : r.op;
	const name = 'name' in r ? r.name : null;
	const known = vault !== undefined && name !== null ? secretEntry(vault, name)?.[0] : undefined;
	const vaultId = vault?.id ?? `https://${url.hostname}`;
	const target = name !== null ? `${vaultId}/secrets/${known ?? name}` : vaultId;
	const call = new ServiceCall(
		ctx,
		request,
		url,
		{ service: 'keyVault', operation: opName, target, principalId: null, authMethod: 'none' },
		`Key Vault '${vault?.name ?? url.hostname}'`
	);
	if (vault === undefined) {
		const explanation = `No key vault named '${url.hostname.split('.')[0] ?? ''}' exists in this world. List vaults with az keyvault list.`;
		const response: HttpResponse = { status: 404, statusText: 'Not Found', headers: {}, body: '' };
		return call.finish(response, { errorCode: 'VaultNotFound', explanation });
	}

	const authorization = header(request, 'Authorization');
	const token = await validateBearer(world, authorization, KEY_VAULT_AUDIENCES);
	if (!token.ok) {
		const explanation = call.tokenRefused(token.error);
		const challenge = `Bearer authorization="https://login.microsoftonline.com/${world.tenant.tenantId}", resource="https://vault.azure.net"`;
		const response = kvResponse(
			world,
			vault,
			request,
			401,
			kvError('Unauthorized', keyVaultUnauthorizedMessage(token.error, world)),
			{
				'WWW-Authenticate': challenge
			}
		);
		return call.finish(response, { errorCode: 'Unauthorized', explanation });
	}
	const caller = token.value;
	call.tokenAccepted(caller);

	const apiVersion = url.searchParams.get('api-version');
	if (apiVersion === null || apiVersion === '') {
		const explanation = `Every Key Vault data-plane request names the API version it speaks: add ?api-version=7.5 to the URL (e.g. ${baseUri(vault)}/secrets/db-password?api-version=7.5).`;
		const response = kvResponse(
			world,
			vault,
			request,
			400,
			kvError('BadParameter', "The 'api-version' query parameter is missing.")
		);
		return call.finish(response, { errorCode: 'BadParameter', explanation });
	}
	if (!KEY_VAULT_API_VERSIONS.includes(apiVersion)) {
		const explanation = `'${apiVersion}' is not a Key Vault API version. Use one of ${KEY_VAULT_API_VERSIONS.join(', ')} (7.5 is a good default).`;
		const response = kvResponse(
			world,
			vault,
			request,
			400,
			kvError(
				'BadParameter',
				`The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (${LATEST_KEY_VAULT_API_VERSION}).`
			)
		);
		return call.finish(response, { errorCode: 'BadParameter', explanation });
	}
	if (r.op === 'unknownPath') {
		const explanation = `This lab's Key Vault serves secrets only: GET /secrets, GET /secrets/{name}[/{version}] and PUT /secrets/{name}. '${url.pathname}' is none of them.`;
		const response = kvResponse(
			world,
			vault,
			request,
			404,
			kvError('NotFound', `The requested path '${url.pathname}' was not found.`)
		);
		return call.finish(response, { errorCode: 'NotFound', explanation });
	}
	if (r.op === 'unsupportedMethod') {
		const explanation = `${request.method.toUpperCase()} is not supported here. Read a secret with GET /secrets/{name}, list with GET /secrets, write with PUT /secrets/{name} and a body {"value":"…"}.`;
		const response = kvResponse(
			world,
			vault,
			request,
			405,
			kvError(
				'MethodNotAllowed',
				`The requested resource does not support http method '${request.method.toUpperCase()}'.`
			)
		);
		return call.finish(response, { errorCode: 'MethodNotAllowed', explanation });
	}

	const existing = 'name' in r ? secretEntry(vault, r.name) : undefined;
	const secretName = 'name' in r ? (existing?.[0] ?? r.name) : null;
	const action = KEY_VAULT_ACTIONS[r.op];
	const scope = secretName === null ? vault.id : `${vault.id}/secrets/${secretName}`;

	if (!vault.enableRbacAuthorization) {
		const explanation = `Vault '${vault.name}' uses access policies, not Azure RBAC, and no access policy grants this identity ${POLICY_VERB[r.op]} permission. Switch the vault to the Azure RBAC permission model and assign a Key Vault role.`;
		call.check('authorize', 'Authorize (access policy)', false, explanation);
		const message = `The user, group or application '${keyVaultCaller(caller)}' does not have ${POLICY_VERB[r.op]} permission on key vault '${vault.name};location=${vault.location}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`;
		const response = kvResponse(
			world,
			vault,
			request,
			403,
			kvError('Forbidden', message, 'AccessDenied')
		);
		return call.finish(response, { errorCode: 'AccessDenied', explanation });
	}

	const decision = authorize(world, caller.principalId, action, scope, 'data');
	const decisionText = explainDecision(decision);
	call.rbacCheck(
		{ principalId: caller.principalId, action, scope, plane: 'data' },
		decision,
		decisionText
	);
	if (!decision.allowed) {
		const response = kvResponse(
			world,
			vault,
			request,
			403,
			kvError('Forbidden', forbiddenByRbacMessage(caller, action, scope, vault), 'ForbiddenByRbac')
		);
		return call.finish(response, { errorCode: 'ForbiddenByRbac', explanation: decisionText });
	}

	switch (r.op) {
		case 'listSecrets': {
			const value = Object.entries(vault.secrets)
				.sort(([a], [b]) => a.localeCompare(b))
				.flatMap(([n, s]) => {
					const latest = s.versions[s.versions.length - 1];
					if (latest === undefined) return [];
					return [
						{
							id: `${baseUri(vault)}/secrets/${n}`,
							...(latest.contentType !== undefined ? { contentType: latest.contentType } : {}),
							attributes: attributes(latest),
							tags: {}
						}
					];
				});
			const response = kvResponse(world, vault, request, 200, { value, nextLink: null });
			return call.finish(response, {
				detail: `200 OK: ${value.length} secret(s) listed (names and attributes only, never values).`
			});
		}
		case 'getSecret': {
			const versions = existing?.[1].versions ?? [];
			const found =
				r.version === null
					? versions[versions.length - 1]
					: versions.find((v) => v.version === r.version);
			if (existing === undefined || found === undefined) {
				const shown = r.version === null ? r.name : `${r.name}/${r.version}`;
				const explanation =
					existing === undefined
						? `Vault '${vault.name}' has no secret named '${r.name}'. List the names with az keyvault secret list --vault-name ${vault.name}.`
						: `Secret '${existing[0]}' has no version '${r.version ?? ''}'. Omit the version to get the current value, or list versions with az keyvault secret list-versions --vault-name ${vault.name} --name ${existing[0]}.`;
				const response = kvResponse(
					world,
					vault,
					request,
					404,
					kvError(
						'SecretNotFound',
						`A secret with (name/id) ${shown} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`
					)
				);
				return call.finish(response, { errorCode: 'SecretNotFound', explanation });
			}
			const response = kvResponse(
				world,
				vault,
				request,
				200,
				secretBundle(vault, existing[0], found)
			);
			return call.finish(response, {
				detail: `200 OK: the value of secret '${existing[0]}' (version ${found.version}) is in the body.`
			});
		}
		case 'setSecret':
			return setSecretResult(call, world, vault, request, r.name, existing?.[0]);
	}
}

function setSecretResult(
	call: ServiceCall,
	world: World,
	vault: KeyVault,
	request: HttpRequest,
	requested: string,
	existingName: string | undefined
): ServiceResult {
	const badRequest = (message: string, explanation: string) =>
		call.finish(kvResponse(world, vault, request, 400, kvError('BadParameter', message)), {
			errorCode: 'BadParameter',
			explanation
		});
	if (!/^[0-9a-zA-Z-]{1,127}$/.test(requested)) {
		return badRequest(
			`The request URI contains an invalid name: ${requested}`,
			`'${requested}' is not a valid secret name: use 1 to 127 letters, digits and hyphens.`
		);
	}
	let body: unknown;
	try {
		body = JSON.parse(request.body ?? '');
	} catch {
		return badRequest(
			'The request body is not valid JSON.',
			'Setting a secret takes a JSON body such as {"value":"s3cret"} with Content-Type: application/json.'
		);
	}
	const value =
		typeof body === 'object' && body !== null ? (body as Record<string, unknown>).value : undefined;
	const contentType =
		typeof body === 'object' && body !== null
			? (body as Record<string, unknown>).contentType
			: undefined;
	if (typeof value !== 'string') {
		return badRequest(
			"The parameter 'value' is required and must be a string.",
			'The JSON body needs a "value" with the secret text, e.g. {"value":"s3cret"}.'
		);
	}
	const name = existingName ?? requested;
	// setSecret draws the version from the world's next seeded GUID; it is applied first, so this is its version.
	const version: SecretVersion = {
		version: seededGuid(world.seed, world.idCounter).replace(/-/g, ''),
		value,
		created: world.now,
		...(typeof contentType === 'string' ? { contentType } : {})
	};
	const response = kvResponse(world, vault, request, 200, secretBundle(vault, name, version));
	return call.finish(response, {
		detail: `200 OK: secret '${name}' now has a new current version ${version.version}.`,
		operations: [
			{
				type: 'setSecret',
				vaultId: vault.id,
				name,
				value,
				...(typeof contentType === 'string' ? { contentType } : {})
			}
		]
	});
}
