/**
 * Records of token requests that got no token: an identity endpoint or Entra ID refused them (IMDS's 400 for a
 * missing `Metadata` header, AADSTS70021 for a federated subject that matches nothing), or nothing answered
 * (169.254.169.254 from outside Azure). Issued tokens are recorded by `recordToken`; these refusals become
 * `serviceCall` events, so that the event log shows them and a lesson check can ask for "a request to IMDS that
 * failed with 400". Azure keeps no such log: it is the lab's record of what the learner's requests met.
 */
import type { World } from '../azure/model.ts';
import type { TokenEndpointName } from '../azure/events.ts';
import type { Operation } from '../azure/operations/index.ts';
import type { HandlerResult, HttpRequest, NetworkSource, TransportFailure } from '../http/types.ts';
import { header } from '../http/types.ts';
import { findServicePrincipalByAppId, getResource, isIdentityHost } from '../azure/queries.ts';
import {
	findIdentity,
	hostIdentities,
	selectorsIn,
	type HostIdentity,
	type SelectorKind
} from '../token/identity-selection.ts';

type TokenEndpointService = TokenEndpointName;

/** Selector parameters of each host endpoint (reference section 0). */
const SELECTORS: Record<'imds' | 'appService', { param: string; by: SelectorKind }[]> = {
	imds: [
		{ param: 'client_id', by: 'clientId' },
		{ param: 'object_id', by: 'principalId' },
		{ param: 'msi_res_id', by: 'resourceId' }
	],
	appService: [
		{ param: 'client_id', by: 'clientId' },
		{ param: 'principal_id', by: 'principalId' },
		{ param: 'object_id', by: 'principalId' },
		{ param: 'mi_res_id', by: 'resourceId' }
	]
};

function sourceOf(source: NetworkSource): string {
	if (source.kind === 'cloudShell') return 'cloudshell';
	if (source.kind === 'outside') return source.machine;
	return source.resourceId;
}

/**
 * The identity a host endpoint request asked for: the one its selector names, or, without a selector, the one
 * the endpoint would use (the system-assigned identity, else the only user-assigned one). Null when the request
 * names none of the host's identities or the choice is ambiguous.
 */
function hostPrincipal(
	world: World,
	source: NetworkSource,
	endpoint: 'imds' | 'appService',
	url: URL
): string | null {
	if (source.kind !== 'resource') return null;
	const host = getResource(world, source.resourceId);
	if (!host || !isIdentityHost(host)) return null;
	const identities = hostIdentities(world, host);
	const selectors = selectorsIn(url, SELECTORS[endpoint]);
	let chosen: HostIdentity | undefined;
	if (selectors.length === 1 && selectors[0])
		chosen = findIdentity(identities, selectors[0].by, selectors[0].value);
	else if (selectors.length === 0)
		chosen =
			identities.find((i) => i.kind === 'system') ??
			(identities.length === 1 ? identities[0] : undefined);
	return chosen?.principalId ?? null;
}

/** The principal a request to Entra ID's token endpoint speaks for: the service principal of its client_id. */
function entraPrincipal(world: World, request: HttpRequest): string | null {
	const type = header(request, 'content-type') ?? '';
	if (type !== '' && !type.toLowerCase().startsWith('application/x-www-form-urlencoded'))
		return null;
	const clientId = new URLSearchParams(request.body ?? '').get('client_id');
	return clientId ? (findServicePrincipalByAppId(world, clientId)?.id ?? null) : null;
}

function principalOf(
	world: World,
	service: TokenEndpointService,
	source: NetworkSource,
	request: HttpRequest,
	url: URL
): string | null {
	switch (service) {
		case 'imds':
		case 'appService':
			return hostPrincipal(world, source, service, url);
		case 'arc':
			return source.kind === 'outside'
				? (world.outsideMachines[source.machine]?.arc?.identity.principalId ?? null)
				: null;
		case 'entra':
			return entraPrincipal(world, request);
	}
}

/** What was asked, by path: `getToken` for the token endpoints. */
function operationOf(url: URL): string {
	const path = url.pathname.toLowerCase().replace(/\/+$/, '');
	if (/\/oauth2(\/v2\.0)?\/token$/.test(path) || path === '/msi/token') return 'getToken';
	if (path === '/metadata/identity/info') return 'getIdentityInfo';
	if (path.startsWith('/metadata/instance')) return 'getInstanceMetadata';
	return `${url.pathname}`;
}

/** The error code of a refusal's body: `AADSTS70021` for Entra ID, IMDS's `error`, or the status. */
function errorCodeOf(status: number, body: string): string {
	try {
		const parsed = JSON.parse(body) as { error?: unknown; error_codes?: unknown };
		if (Array.isArray(parsed.error_codes) && typeof parsed.error_codes[0] === 'number')
			return `AADSTS${parsed.error_codes[0]}`;
		if (typeof parsed.error === 'string' && /^[A-Za-z0-9_]+$/.test(parsed.error))
			return parsed.error;
	} catch {
		// not JSON: the status says it
	}
	return String(status);
}

function record(
	service: TokenEndpointService,
	url: URL,
	status: number,
	principalId: string | null,
	source: NetworkSource,
	errorCode: string
): Operation {
	return {
		type: 'recordServiceCall',
		service,
		operation: operationOf(url),
		target: `${url.protocol}//${url.host}${url.pathname}`,
		status,
		principalId,
		authMethod: 'none',
		source: sourceOf(source),
		errorCode
	};
}

/** True when a handler's operations already record the exchange (a token served, a service call). */
function alreadyRecorded(operations: readonly Operation[]): boolean {
	return operations.some((o) => o.type === 'recordToken' || o.type === 'recordServiceCall');
}

/**
 * A token endpoint's answer with its refusal recorded: a response of 400 or more that no token or call record
 * covers gets a `recordServiceCall` (status, error code, the principal it asked for when that is known).
 */
export function withRefusalRecorded<R extends HandlerResult>(
	world: World,
	service: TokenEndpointService,
	source: NetworkSource,
	request: HttpRequest,
	url: URL,
	result: R
): R {
	if (result.response.status < 400 || alreadyRecorded(result.operations)) return result;
	const op = record(
		service,
		url,
		result.response.status,
		principalOf(world, service, source, request, url),
		source,
		errorCodeOf(result.response.status, result.response.body)
	);
	return { ...result, operations: [...result.operations, op] };
}

/**
 * The record of a token request that nothing answered: status 0 (no HTTP answer, as a browser's fetch reports
 * it) and the transport failure's kind (`timeout`, `refused`) as the error code.
 */
export function transportFailureRecord(
	world: World,
	service: TokenEndpointService,
	source: NetworkSource,
	request: HttpRequest,
	url: URL,
	failure: TransportFailure['kind']
): Operation {
	return record(
		service,
		url,
		0,
		principalOf(world, service, source, request, url),
		source,
		failure
	);
}
