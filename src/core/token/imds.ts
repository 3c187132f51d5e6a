/**
 * The Azure Instance Metadata Service (IMDS) at 169.254.169.254, as a VM or scale-set instance sees it
 * (reference 1.1–1.5): the managed identity token endpoint, `/metadata/identity/info`, the compute part of
 * `/metadata/instance` and `/metadata/versions`.
 *
 * Choices where Azure's bodies are not documented (reference open point 4), recorded here:
 * - `X-Forwarded-For` present → 400; identity: `{"error":"invalid_request","error_description":"Request
 *   contains X-Forwarded-For header. Requests through a proxy are not allowed."}`; instance and versions:
 *   `{"error":"Bad request. X-Forwarded-For header is not allowed. …"}`.
 * - Identity without `api-version` → 400 `invalid_request` "The api-version query parameter is required…";
 *   an unknown or too old version (identity needs 2018-02-01 or later) → 400 `invalid_request` with the
 *   `newest-versions` list. Instance without `api-version`: the documented "Bad request. api-version was not
 *   specified…" body.
 * - Missing `Metadata: true` on the non-identity endpoints → `{"error":"Required metadata header not
 *   specified"}` (the variant seen in a third-party test).
 * - `mi_res_id` is accepted as an alias of `msi_res_id` (MSAL notes IMDS accepts both; open point 5);
 *   `principal_id` is not an IMDS parameter and is ignored, as the Arc agent ignores unknown selectors.
 * - `bypass_cache=true` (swagger 2023-07-01) skips the endpoint's cache.
 * - A success body echoes `msi_res_id` / `object_id` when they were given, in alphabetical place, as every
 *   other member is.
 * - A method other than GET → 405 `method_not_allowed`; an unknown path → 404 `{"error":"Not found"}`.
 */
import type {
	IdentityHost,
	VirtualMachine,
	VirtualMachineScaleSet,
	World
} from '../azure/model.ts';
import { getResource } from '../azure/queries.ts';
import type {
	HandlerContext,
	HandlerResult,
	Hop,
	HttpRequest,
	HttpResponse
} from '../http/types.ts';
import { header, jsonResponse } from '../http/types.ts';
import {
	assignUserCommand,
	describeIdentity,
	enableSystemCommand,
	findIdentity,
	hostIdentities,
	listIdentities,
	selectorsIn
} from './identity-selection.ts';
import type { HostIdentity, IdentitySelector, SelectorKind } from './identity-selection.ts';
import { reasonPhrase } from '../http/parts.ts';
import {
	appRequestHop,
	cacheSentence,
	duplicateParameter,
	endpointResult,
	relayedRefusal,
	serveToken
} from './serve-token.ts';

/** Every IMDS api-version, oldest first (IMDS documentation, swagger 2023-07-01). */
export const IMDS_API_VERSIONS = [
	'2017-03-01',
	'2017-04-02',
	'2017-08-01',
	'2017-10-01',
	'2017-12-01',
	'2018-02-01',
	'2018-04-02',
	'2018-10-01',
	'2019-02-01',
	'2019-03-11',
	'2019-04-30',
	'2019-06-01',
	'2019-06-04',
	'2019-08-01',
	'2019-08-15',
	'2019-11-01',
	'2020-06-01',
	'2020-07-15',
	'2020-09-01',
	'2020-10-01',
	'2020-12-01',
	'2021-01-01',
	'2021-02-01',
	'2021-03-01',
	'2021-05-01',
	'2021-08-01',
	'2021-10-01',
	'2021-11-01',
	'2021-11-15',
	'2021-12-13',
	'2023-07-01'
] as const;

/** The first api-version with the identity category (reference 1.1). */
export const IMDS_IDENTITY_MIN_VERSION = '2018-02-01';

/** The api-version the SDKs send for tokens. */
export const IMDS_TOKEN_API_VERSION = '2018-02-01';

/** The three newest versions, newest first, as IMDS lists them in `newest-versions`. */
export const IMDS_NEWEST_VERSIONS: readonly string[] = [...IMDS_API_VERSIONS].reverse().slice(0, 3);

function imdsJson(
	status: number,
	body: unknown,
	headers: Record<string, string> = {}
): HttpResponse {
	return jsonResponse(status, reasonPhrase(status), body, headers);
}

function identityError(
	status: number,
	error: string,
	description: string,
	extra: Record<string, unknown> = {}
): HttpResponse {
	return imdsJson(status, { error, error_description: description, ...extra });
}

/** The VM or scale set a source runs on, and the scale-set instance, if any. */
interface Origin {
	host: VirtualMachine | VirtualMachineScaleSet;
	label: string;
	instance?: VirtualMachineScaleSet['instances'][number];
}

function originOf(ctx: HandlerContext): Origin | undefined {
	if (ctx.source.kind !== 'resource') return undefined;
	const resource = getResource(ctx.world, ctx.source.resourceId);
	if (resource?.kind === 'virtualMachine') return { host: resource, label: resource.name };
	if (resource?.kind === 'virtualMachineScaleSet') {
		const wanted = ctx.source.instanceId;
		const instance =
			resource.instances.find((i) => i.instanceId === wanted) ?? resource.instances[0];
		return { host: resource, label: instance ? instance.name : resource.name, instance };
	}
	return undefined;
}

function normalisedPath(url: URL): string {
	const path = url.pathname.replace(/\/+$/, '');
	return path === '' ? '/' : path;
}

/**
 * Serves IMDS for the VM or scale-set instance the request comes from. Token responses carry the
 * operations that record the token (and publish a signing key when one had to be made).
 */
export async function handleImds(
	ctx: HandlerContext,
	request: HttpRequest,
	url: URL
): Promise<HandlerResult> {
	const path = normalisedPath(url);
	const lower = path.toLowerCase();
	const origin = originOf(ctx);
	if (!origin) {
		const hop = appRequestHop('imds-request', request, url, `A request for ${path} reaches IMDS.`);
		return answer(
			hop,
			imdsJson(404, { error: 'Not found' }),
			false,
			'IMDS answers only inside a virtual machine or a scale-set instance; this request does not come from one.'
		);
	}
	if (lower === '/metadata/identity/oauth2/token') return identityToken(ctx, origin, request, url);
	if (lower === '/metadata/identity/info')
		return Promise.resolve(identityInfo(ctx, origin, request, url));
	if (lower === '/metadata/instance' || lower.startsWith('/metadata/instance/')) {
		return Promise.resolve(instanceMetadata(origin, request, url, path));
	}
	if (lower === '/metadata/versions') return Promise.resolve(versions(origin, request, url));
	const hop = appRequestHop(
		'imds-request',
		request,
		url,
		`Code on ${origin.label} asks IMDS for ${path}.`
	);
	return Promise.resolve(
		answer(
			hop,
			imdsJson(404, { error: 'Not found' }),
			false,
			`IMDS has nothing at ${path}. The lab's IMDS serves /metadata/identity/oauth2/token, /metadata/identity/info, /metadata/instance and /metadata/versions.`
		)
	);
}

/** A refusal from the request checks common to every IMDS path, or null when the request passes them. */
interface Refusal {
	response: HttpResponse;
	detail: string;
}

function commonChecks(
	request: HttpRequest,
	url: URL,
	category: 'identity' | 'instance'
): Refusal | null {
	const method = request.method.toUpperCase();
	if (method !== 'GET') {
		return {
			response:
				category === 'identity'
					? identityError(
							405,
							'method_not_allowed',
							`The request method '${method}' is not allowed. Use GET.`
						)
					: imdsJson(405, {
							error: `Bad request. The request method '${method}' is not allowed. For more information refer to aka.ms/azureimds`
						}),
			detail: `IMDS answers GET requests only; this one used ${method}. Use curl without -X/-d (GET is curl's default).`
		};
	}
	const metadata = header(request, 'Metadata');
	if (metadata !== 'true') {
		return {
			response:
				category === 'identity'
					? identityError(400, 'invalid_request', 'Required metadata header not specified')
					: imdsJson(400, { error: 'Required metadata header not specified' }),
			detail:
				metadata === undefined
					? "IMDS refuses a request without the header 'Metadata: true'. The header is its defence against server-side request forgery: a link or a forwarded URL cannot add it. Add -H 'Metadata: true'."
					: `The Metadata header is '${metadata}', but IMDS accepts only the exact lower-case value 'true'. Send -H 'Metadata: true'.`
		};
	}
	if (header(request, 'X-Forwarded-For') !== undefined) {
		return {
			response:
				category === 'identity'
					? identityError(
							400,
							'invalid_request',
							'Request contains X-Forwarded-For header. Requests through a proxy are not allowed.'
						)
					: imdsJson(400, {
							error:
								'Bad request. X-Forwarded-For header is not allowed. For more information refer to aka.ms/azureimds'
						}),
			detail:
				"The request carries an X-Forwarded-For header, the mark of a request relayed by a proxy. IMDS refuses every such request, so that a proxy on the VM cannot pass outside requests to it. Call IMDS directly and bypass any proxy (curl --noproxy '*')."
		};
	}
	const duplicate = duplicateParameter(url);
	if (duplicate !== undefined) {
		const text = `Query parameter '${duplicate}' is specified more than once.`;
		return {
			response:
				category === 'identity'
					? identityError(400, 'invalid_request', text)
					: imdsJson(400, {
							error: `Bad request. ${text} For more information refer to aka.ms/azureimds`
						}),
			detail: `The query string names '${duplicate}' twice; IMDS rejects duplicate parameters. Give it once.`
		};
	}
	return null;
}

/** IMDS's answer to a request: the request hop, then the response hop. */
function answer(
	requestHop: Hop,
	response: HttpResponse,
	ok: boolean,
	detail: string
): HandlerResult {
	return endpointResult(requestHop, response, ok, detail, { responseId: 'imds-response' });
}

/** IMDS's refusal of a request. */
function refuse(requestHop: Hop, refusal: Refusal): HandlerResult {
	return answer(requestHop, refusal.response, false, refusal.detail);
}

function supportedVersion(version: string, minimum: string): boolean {
	return (IMDS_API_VERSIONS as readonly string[]).includes(version) && version >= minimum;
}

function identityVersionCheck(url: URL): Refusal | null {
	const version = url.searchParams.get('api-version');
	if (version === null || version === '') {
		return {
			response: identityError(
				400,
				'invalid_request',
				`The api-version query parameter is required. Use api-version=${IMDS_TOKEN_API_VERSION} or later.`
			),
			detail: `The request has no api-version. IMDS needs one on every call; the SDKs send api-version=${IMDS_TOKEN_API_VERSION}.`
		};
	}
	if (!supportedVersion(version, IMDS_IDENTITY_MIN_VERSION)) {
		return {
			response: identityError(
				400,
				'invalid_request',
				`Invalid api-version '${version}'. The identity endpoint supports ${IMDS_IDENTITY_MIN_VERSION} and later versions.`,
				{ 'newest-versions': IMDS_NEWEST_VERSIONS }
			),
			detail: (IMDS_API_VERSIONS as readonly string[]).includes(version)
				? `api-version ${version} is older than the identity category, which exists since ${IMDS_IDENTITY_MIN_VERSION}. Use api-version=${IMDS_TOKEN_API_VERSION}.`
				: `'${version}' is not an IMDS api-version. Use api-version=${IMDS_TOKEN_API_VERSION} (or one of the newest: ${IMDS_NEWEST_VERSIONS.join(', ')}).`
		};
	}
	return null;
}

const SELECTOR_PARAMS: readonly { param: string; by: SelectorKind }[] = [
	{ param: 'client_id', by: 'clientId' },
	{ param: 'object_id', by: 'principalId' },
	{ param: 'msi_res_id', by: 'resourceId' },
	{ param: 'mi_res_id', by: 'resourceId' }
];

/** The identity IMDS picks (reference 1.2), or the refusal and its explanation. */
function chooseIdentity(
	world: World,
	host: IdentityHost,
	selectors: readonly IdentitySelector[]
): { identity: HostIdentity; note: string } | Refusal {
	const identities = hostIdentities(world, host);
	const users = identities.filter((i) => i.kind === 'user');
	const notFound = (detail: string): Refusal => ({
		response: identityError(400, 'invalid_request', 'Identity not found'),
		detail
	});
	const selector = selectors[0];
	if (selector) {
		const found = findIdentity(identities, selector.by, selector.value);
		if (found) return { identity: found, note: '' };
		const what = { clientId: 'client id', principalId: 'object id', resourceId: 'resource id' }[
			selector.by
		];
		return notFound(
			identities.length === 0
				? `${host.name} has no managed identity at all, so no identity has ${what} ${selector.value}. Turn on its system-assigned identity (${enableSystemCommand(host)}) or assign a user-assigned one (${assignUserCommand(host)}).`
				: `No identity of ${host.name} has ${what} ${selector.value} (${selector.param}). Its identities: ${listIdentities(identities)}. Use one of these ids, or assign the identity you meant (${assignUserCommand(host)}).`
		);
	}
	const system = identities.find((i) => i.kind === 'system');
	if (system) {
		const note =
			users.length > 0
				? ` No client_id, object_id or msi_res_id was given, so IMDS used the system-assigned identity, although ${host.name} also has ${users.map((u) => u.name).join(', ')}. Pass client_id to get a token for one of those.`
				: '';
		return { identity: system, note };
	}
	const only = users[0];
	if (only && users.length === 1) {
		return {
			identity: only,
			note: ` ${host.name} has no system-assigned identity and exactly one user-assigned identity, so IMDS used ${only.name} without being told.`
		};
	}
	if (users.length > 1) {
		return {
			response: identityError(
				400,
				'invalid_request',
				'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request'
			),
			detail: `${host.name} has no system-assigned identity and ${users.length} user-assigned identities (${users.map((u) => u.name).join(', ')}), so IMDS cannot guess which one you want. Name one with client_id, object_id or msi_res_id. Its identities: ${listIdentities(users)}.`
		};
	}
	return notFound(
		`${host.name} has no managed identity: turn on its system-assigned identity (${enableSystemCommand(host)}) or assign a user-assigned one (${assignUserCommand(host)}).`
	);
}

function byAlphabet(body: Record<string, string>): Record<string, string> {
	// Keys sorted and assigned (the names are the endpoint's own): entries/fromEntries cost more per request.
	const out: Record<string, string> = {};
	for (const name of Object.keys(body).sort()) out[name] = body[name] as string;
	return out;
}

async function identityToken(
	ctx: HandlerContext,
	origin: Origin,
	request: HttpRequest,
	url: URL
): Promise<HandlerResult> {
	const { world } = ctx;
	const { host } = origin;
	const resource = url.searchParams.get('resource');
	const requestHop: Hop = appRequestHop(
		'imds-request',
		request,
		url,
		`Code on ${origin.label} asks IMDS at 169.254.169.254 (reachable only from inside the VM) for a token${resource ? ` for ${resource}` : ''}.`
	);

	const common = commonChecks(request, url, 'identity') ?? identityVersionCheck(url);
	if (common) return refuse(requestHop, common);
	if (resource === null || resource.trim() === '') {
		return refuse(requestHop, {
			response: identityError(
				400,
				'invalid_request',
				"Required query variable 'resource' is missing"
			),
			detail:
				'The request does not say which resource the token is for. Add resource=<App ID URI>, e.g. resource=https://vault.azure.net for Key Vault or resource=https://management.azure.com/ for ARM.'
		});
	}
	const selectors = selectorsIn(url, SELECTOR_PARAMS);
	if (selectors.length > 1) {
		const given = selectors.map((s) => s.param).join(', ');
		return refuse(requestHop, {
			response: identityError(
				400,
				'invalid_request',
				`Only one of client_id, object_id and msi_res_id can be specified; the request specifies ${given}.`
			),
			detail: `The request names the identity ${selectors.length} ways (${given}). client_id, object_id and msi_res_id are mutually exclusive: keep one.`
		});
	}
	const chosen = chooseIdentity(world, host, selectors);
	if ('response' in chosen) return refuse(requestHop, chosen);
	const throttled = imdsThrottled(ctx, host, origin.label);
	if (throttled) return refuse(requestHop, throttled);

	const inFlight = ctx.env.imdsInFlight;
	inFlight?.set(host.id, (inFlight.get(host.id) ?? 0) + 1);
	let served: Awaited<ReturnType<typeof serveToken>>;
	try {
		served = await serveToken(world, ctx.env.keyRing, {
			principalId: chosen.identity.principalId,
			resource,
			hostId: host.id,
			endpoint: 'imds',
			bypassCache: url.searchParams.get('bypass_cache') === 'true'
		});
	} finally {
		const left = (inFlight?.get(host.id) ?? 1) - 1;
		if (left > 0) inFlight?.set(host.id, left);
		else inFlight?.delete(host.id);
	}
	if (!served.ok) {
		const relayed = identityError(400, served.error.error, served.error.errorDescription);
		return relayedRefusal(requestHop, relayed, served.error);
	}
	const { token } = served.value;
	const body: Record<string, string> = {
		access_token: token.accessToken,
		client_id: token.clientId,
		expires_in: String(token.expiresOn - world.now),
		expires_on: String(token.expiresOn),
		ext_expires_in: String(token.expiresOn - token.issuedAt),
		not_before: String(token.issuedAt),
		resource,
		token_type: 'Bearer'
	};
	for (const { param } of selectors) {
		if (param === 'object_id' || param === 'msi_res_id')
			body[param] = url.searchParams.get(param) ?? '';
	}
	const ignored = url.searchParams.has('principal_id')
		? ' IMDS does not know principal_id (an App Service parameter) and ignored it: use object_id.'
		: '';
	const detail = `IMDS returns a token for ${resource} of ${describeIdentity(host, chosen.identity)} (client id ${token.clientId}).${chosen.note}${ignored} ${cacheSentence(world, served.value, 'IMDS')}`;
	return endpointResult(requestHop, imdsJson(200, byAlphabet(body)), true, detail, {
		responseId: 'imds-response',
		entraHops: served.value.entraHops,
		operations: served.value.operations
	});
}

/** IMDS's managed-identity limits per VM (IMDS doc and managed identity FAQ; reference 1.4). */
export const IMDS_IDENTITY_RATE_PER_SECOND = 20;
export const IMDS_IDENTITY_CONCURRENCY = 5;

/**
 * 429 when the VM has already been served {@link IMDS_IDENTITY_RATE_PER_SECOND} tokens in this second of simulated
 * time (counted from the world's token events), or has {@link IMDS_IDENTITY_CONCURRENCY} requests under way (only
 * where the network env shares `imdsInFlight`); null otherwise, or when the world turned throttling off.
 */
function imdsThrottled(
	ctx: HandlerContext,
	host: VirtualMachine | VirtualMachineScaleSet,
	label: string
): Refusal | null {
	const { world } = ctx;
	if (world.settings.imdsThrottle === false) return null;
	const running = ctx.env.imdsInFlight?.get(host.id) ?? 0;
	let served = 0;
	for (let i = world.events.length - 1; i >= 0; i--) {
		const e = world.events[i];
		if (!e || e.at < world.now) break;
		if (e.kind === 'token' && e.endpoint === 'imds' && e.hostId === host.id) served++;
	}
	if (running < IMDS_IDENTITY_CONCURRENCY && served < IMDS_IDENTITY_RATE_PER_SECOND) return null;
	const why =
		running >= IMDS_IDENTITY_CONCURRENCY
			? `${label} already has ${running} token requests under way; IMDS allows ${IMDS_IDENTITY_CONCURRENCY} at once per VM`
			: `${label} has already asked IMDS for ${served} tokens in this second; IMDS allows ${IMDS_IDENTITY_RATE_PER_SECOND} managed-identity requests per second per VM`;
	return {
		response: identityError(429, 'too_many_requests', 'Too many requests'),
		detail: `${why}. Retry with exponential backoff, and keep the token: it is valid for about 24 hours, so one request per resource is enough (the SDKs cache it).`
	};
}

function identityInfo(
	ctx: HandlerContext,
	origin: Origin,
	request: HttpRequest,
	url: URL
): HandlerResult {
	const requestHop = appRequestHop(
		'imds-request',
		request,
		url,
		`Code on ${origin.label} asks IMDS which tenant its identity belongs to.`
	);
	const refusal = commonChecks(request, url, 'identity') ?? identityVersionCheck(url);
	if (refusal) return refuse(requestHop, refusal);
	const identities = hostIdentities(ctx.world, origin.host);
	if (identities.length === 0) {
		return answer(
			requestHop,
			identityError(400, 'invalid_request', 'Identity not found'),
			false,
			`${origin.host.name} has no managed identity, so it belongs to no tenant. Turn one on: ${enableSystemCommand(origin.host)}.`
		);
	}
	return answer(
		requestHop,
		imdsJson(200, { tenantId: ctx.world.tenant.tenantId }),
		true,
		`The identities of ${origin.host.name} live in the tenant ${ctx.world.tenant.displayName} (${ctx.world.tenant.tenantId}).`
	);
}

type Json = string | Json[] | { [key: string]: Json };

/** The compute subset of `/metadata/instance`: every primitive a string, members in IMDS's alphabetical order. */
export function computeMetadata(
	host: VirtualMachine | VirtualMachineScaleSet,
	instanceId?: string
): Record<string, Json> {
	const tagsList: Json = Object.entries(host.tags).map(([name, value]) => ({ name, value }));
	const common = {
		location: host.location,
		resourceGroupName: host.resourceGroup,
		subscriptionId: host.subscriptionId
	};
	if (host.kind === 'virtualMachine') {
		return {
			location: common.location,
			name: host.name,
			osType: host.osType,
			resourceGroupName: common.resourceGroupName,
			resourceId: host.id,
			subscriptionId: common.subscriptionId,
			tagsList,
			vmId: host.vmId,
			vmScaleSetName: '',
			vmSize: host.vmSize
		};
	}
	const instance = host.instances.find((i) => i.instanceId === instanceId) ?? host.instances[0];
	return {
		location: common.location,
		name: instance?.name ?? host.name,
		osType: 'Linux',
		resourceGroupName: common.resourceGroupName,
		resourceId: instance ? `${host.id}/virtualMachines/${instance.instanceId}` : host.id,
		subscriptionId: common.subscriptionId,
		tagsList,
		vmId: instance?.vmId ?? '',
		vmScaleSetName: host.name,
		vmSize: host.vmSize
	};
}

function instanceDocument(origin: Origin): Record<string, Json> {
	const privateIp =
		origin.host.kind === 'virtualMachine'
			? origin.host.privateIp
			: (origin.instance?.privateIp ?? '');
	return {
		compute: computeMetadata(origin.host, origin.instance?.instanceId),
		network: {
			interface: [
				{
					ipv4: { ipAddress: [{ privateIpAddress: privateIp, publicIpAddress: '' }] },
					ipv6: { ipAddress: [] }
				}
			]
		}
	};
}

function instanceVersionCheck(url: URL): Refusal | null {
	const version = url.searchParams.get('api-version');
	if (version === null || version === '') {
		return {
			response: imdsJson(400, {
				error:
					'Bad request. api-version was not specified in the request. For more information refer to aka.ms/azureimds',
				'newest-versions': IMDS_NEWEST_VERSIONS
			}),
			detail:
				'The request has no api-version. Every IMDS call but /metadata/versions needs one, e.g. api-version=2021-02-01.'
		};
	}
	if (!supportedVersion(version, IMDS_API_VERSIONS[0])) {
		return {
			response: imdsJson(400, {
				error: `Bad request. api-version '${version}' is not supported. For more information refer to aka.ms/azureimds`,
				'newest-versions': IMDS_NEWEST_VERSIONS
			}),
			detail: `'${version}' is not an IMDS api-version. Use one of the newest: ${IMDS_NEWEST_VERSIONS.join(', ')} (GET /metadata/versions lists them all).`
		};
	}
	return null;
}

function instanceMetadata(
	origin: Origin,
	request: HttpRequest,
	url: URL,
	path: string
): HandlerResult {
	const requestHop = appRequestHop(
		'imds-request',
		request,
		url,
		`Code on ${origin.label} asks IMDS for ${path}.`
	);
	const common = commonChecks(request, url, 'instance') ?? instanceVersionCheck(url);
	if (common) return refuse(requestHop, common);
	const format = url.searchParams.get('format') ?? 'json';
	if (format !== 'json' && format !== 'text') {
		return refuse(requestHop, {
			response: imdsJson(400, {
				error: `Bad request. Invalid format '${format}'. For more information refer to aka.ms/azureimds`
			}),
			detail: `format is json (the default) or text, not '${format}'.`
		});
	}
	let node: Json = instanceDocument(origin);
	const segments = path
		.split('/')
		.filter((s) => s !== '')
		.slice(2);
	for (const segment of segments) {
		let next: Json | undefined;
		if (Array.isArray(node)) next = /^\d+$/.test(segment) ? node[Number(segment)] : undefined;
		else if (typeof node === 'object') {
			const match = Object.keys(node).find((k) => k.toLowerCase() === segment.toLowerCase());
			next = match === undefined ? undefined : node[match];
		}
		if (next === undefined) {
			return refuse(requestHop, {
				response: imdsJson(404, { error: 'Not found' }),
				detail: `IMDS has no '${segment}' under ${path.slice(0, path.toLowerCase().indexOf(`/${segment.toLowerCase()}`)) || '/metadata/instance'}. Ask for the parent with format=text to list what exists.`
			});
		}
		node = next;
	}
	if (typeof node === 'string') {
		if (format !== 'text') {
			return refuse(requestHop, {
				response: imdsJson(400, {
					error:
						'Bad request. Leaf nodes require the format=text query parameter. For more information refer to aka.ms/azureimds'
				}),
				detail: `${path} is a single value (a leaf): IMDS returns it only as text. Add format=text.`
			});
		}
		return answer(
			requestHop,
			textResponse(node),
			true,
			`IMDS returns the value of ${path} as plain text.`
		);
	}
	if (format === 'text') {
		const children = Array.isArray(node)
			? node.map((child, i) => (typeof child === 'string' ? String(i) : `${i}/`))
			: Object.entries(node).map(([k, child]) => (typeof child === 'string' ? k : `${k}/`));
		return answer(
			requestHop,
			textResponse(children.join('\n')),
			true,
			`With format=text IMDS lists what is under ${path}.`
		);
	}
	return answer(
		requestHop,
		imdsJson(200, node),
		true,
		`IMDS describes the machine the code runs on (${origin.label}): no secret is needed to read it, only the Metadata header.`
	);
}

function textResponse(text: string): HttpResponse {
	return {
		status: 200,
		statusText: 'OK',
		headers: { 'Content-Type': 'text/plain; charset=utf-8' },
		body: text
	};
}

function versions(origin: Origin, request: HttpRequest, url: URL): HandlerResult {
	const requestHop = appRequestHop(
		'imds-request',
		request,
		url,
		`Code on ${origin.label} asks IMDS which api-versions it supports.`
	);
	const refusal = commonChecks(request, url, 'instance');
	if (refusal) return refuse(requestHop, refusal);
	return answer(
		requestHop,
		imdsJson(200, { apiVersions: IMDS_API_VERSIONS }),
		true,
		`IMDS lists the api-versions it understands; the identity endpoint needs ${IMDS_IDENTITY_MIN_VERSION} or later.`
	);
}
