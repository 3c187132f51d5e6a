/**
 * What the identity endpoints share: their token cache (per identity and resource, as IMDS's "managed
 * identities subsystem caches tokens"), the call to Entra ID on a miss, and the hops between the app and
 * the endpoint.
 */
import type { CachedToken } from '../azure/model.ts';
import type { Operation } from '../azure/operations/index.ts';
import { tokenCacheKey } from '../azure/operations/system.ts';
import type { TokenEvent } from '../azure/events.ts';
import type { World } from '../azure/model.ts';
import { describeDuration, isoTime } from '../clock.ts';
import { ok } from '../result.ts';
import type { Result } from '../result.ts';
import type { HandlerResult, Hop, HttpRequest, HttpResponse } from '../http/types.ts';
import { issueManagedIdentityToken } from './entra.ts';
import { requestHop, responseHop } from '../http/parts.ts';
import type { TokenIssueError } from './entra.ts';
import type { KeyRing } from './key-ring.ts';
import { own } from '../own.ts';

/**
 * An endpoint serves a cached token until this many seconds before it expires, then asks Entra ID for a new
 * one. Azure does not publish its threshold; 5 minutes is the simulator's choice (the SDKs' own caches
 * refresh earlier, at half the lifetime).
 */
export const TOKEN_REFRESH_BEFORE_EXPIRY_SECONDS = 300;

/** A token an endpoint hands out: from its cache or fresh from Entra ID. */
export interface ServedToken {
	token: CachedToken;
	fromCache: boolean;
	/** `recordToken` (and `addSigningKey` when a key had to be published), to apply in order. */
	operations: Operation[];
	/** The endpoint ↔ Entra ID hops (empty on a cache hit). */
	entraHops: Hop[];
}

/** What {@link serveToken} needs. */
export interface ServeTokenRequest {
	principalId: string;
	resource: string;
	hostId: string;
	endpoint: TokenEvent['endpoint'];
	/** Skip the cache (IMDS `bypass_cache=true`). */
	bypassCache?: boolean;
}

/** The cached token for an identity and resource that an endpoint would still hand out at `world.now`. */
export function usableCachedToken(
	world: World,
	principalId: string,
	resource: string
): CachedToken | undefined {
	const cached = own(world.tokenCache, tokenCacheKey(principalId, resource));
	if (!cached) return undefined;
	return cached.expiresOn - world.now > TOKEN_REFRESH_BEFORE_EXPIRY_SECONDS ? cached : undefined;
}

/** The cached token when it is still good, otherwise a new one from Entra ID. */
export async function serveToken(
	world: World,
	ring: KeyRing,
	request: ServeTokenRequest
): Promise<Result<ServedToken, TokenIssueError>> {
	const cached = request.bypassCache
		? undefined
		: usableCachedToken(world, request.principalId, request.resource);
	if (cached) {
		return ok({
			token: cached,
			fromCache: true,
			operations: [
				{
					type: 'recordToken',
					token: cached,
					hostId: request.hostId,
					endpoint: request.endpoint,
					fromCache: true
				}
			],
			entraHops: []
		});
	}
	const issued = await issueManagedIdentityToken(world, ring, request);
	if (!issued.ok) return issued;
	return ok({
		token: issued.value.token,
		fromCache: false,
		operations: issued.value.operations,
		entraHops: issued.value.hops
	});
}

/** One sentence on where a served token came from, for the response hop. */
export function cacheSentence(world: World, served: ServedToken, endpointName: string): string {
	const left = served.token.expiresOn - world.now;
	if (served.fromCache) {
		return `${endpointName} answers from its cache without calling Entra ID: the token was issued at ${isoTime(served.token.issuedAt)} and expires in ${describeDuration(left)} (expires_in counts down with the clock).`;
	}
	return `${endpointName} caches the new token and hands out the same one for ${served.token.resource} until ${describeDuration(TOKEN_REFRESH_BEFORE_EXPIRY_SECONDS)} before it expires; it is valid for ${describeDuration(left)}.`;
}

/** The app → endpoint request hop. */
export function appRequestHop(id: string, request: HttpRequest, url: URL, detail: string): Hop {
	return requestHop({ id, from: 'app', to: 'identityEndpoint' }, request, url, detail);
}

/** The endpoint → app response hop. */
export function appResponseHop(
	id: string,
	response: HttpResponse,
	ok: boolean,
	detail: string
): Hop {
	return responseHop({ id, from: 'identityEndpoint', to: 'app' }, response, ok, detail);
}

/** A handler result whose sequence is request → (Entra hops) → response. */
export function endpointResult(
	requestHop: Hop,
	response: HttpResponse,
	ok: boolean,
	detail: string,
	options: { responseId: string; entraHops?: Hop[]; operations?: Operation[] }
): HandlerResult {
	return {
		response,
		operations: options.operations ?? [],
		hops: [
			requestHop,
			...(options.entraHops ?? []),
			appResponseHop(options.responseId, response, ok, detail)
		]
	};
}

/**
 * A handler result for a refusal by Entra ID: the sequence ends at Entra ID's refusal (a failed hop ends
 * the sequence); the endpoint relays the error to the app in `response`.
 */
export function relayedRefusal(
	requestHop: Hop,
	response: HttpResponse,
	error: TokenIssueError
): HandlerResult {
	return { response, operations: [], hops: [requestHop, ...error.hops] };
}

/** Counts each query parameter name; the first name given more than once, if any. */
export function duplicateParameter(url: URL): string | undefined {
	const seen = new Set<string>();
	for (const name of url.searchParams.keys()) {
		if (seen.has(name)) return name;
		seen.add(name);
	}
	return undefined;
}
