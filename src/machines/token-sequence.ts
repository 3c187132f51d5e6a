/**
 * The runtime half of the token-request machine: performs the whole sequence against the core — ask the
 * identity endpoint for a token, then call the service with it — and returns every hop, the operations to
 * record, and the world after them. A failure ends the sequence at the hop that failed.
 */
import type { Operation, World, WorldEvent } from '../core/index.ts';
import { applyOperations } from '../core/index.ts';
import type { Hop, HttpRequest, NetworkSource, TransportFailure } from '../core/http/types.ts';
import { send } from '../core/network/network.ts';
import type { KeyRing } from '../core/token/key-ring.ts';
import { buildTokenRequest, type TokenRequestOptions } from '../core/token/token-request.ts';

/** What the learner's code does: get a token from where it runs, then (optionally) call a service with it. */
export interface TokenSequenceInput {
	source: NetworkSource;
	token: TokenRequestOptions;
	/** The service call made with the token; `Authorization` is added. */
	call?: { method: string; url: string; headers?: Record<string, string>; body?: string };
}

/** What running the sequence produced. */
export interface TokenSequenceResult {
	hops: Hop[];
	world: World;
	events: WorldEvent[];
	/** The access token, when one was issued. */
	accessToken: string | null;
	/** The explanation of a refusal or transport failure, for the "why it failed" panel. */
	explanation: string | null;
	ok: boolean;
}

function transportHop(
	id: string,
	request: HttpRequest,
	failure: TransportFailure,
	to: Hop['to']
): Hop {
	return {
		id,
		from: 'app',
		to,
		kind: 'request',
		title: `${request.method} ${new URL(request.url).host}`,
		request,
		ok: false,
		detail: `${failure.message}. ${failure.explanation}`
	};
}

function accessTokenOf(body: string): string | null {
	try {
		const parsed = JSON.parse(body) as { access_token?: unknown };
		return typeof parsed.access_token === 'string' ? parsed.access_token : null;
	} catch {
		return null;
	}
}

/** Runs the sequence. Never throws on a refused request: the refusal is a failed hop. */
export async function runTokenSequence(
	world: World,
	ring: KeyRing,
	input: TokenSequenceInput
): Promise<TokenSequenceResult> {
	const hops: Hop[] = [];
	let current = world;
	const apply = (operations: Operation[]): void => {
		const applied = applyOperations(current, operations, { caller: 'token-path' });
		if (applied.ok) current = applied.value.world;
	};
	const finish = (
		ok: boolean,
		accessToken: string | null,
		explanation: string | null
	): TokenSequenceResult => {
		const lastSeq = world.events[world.events.length - 1]?.seq ?? 0;
		const why = ok ? null : (explanation ?? hops.find((h) => !h.ok)?.detail ?? null);
		return {
			hops,
			world: current,
			events: current.events.filter((e) => e.seq > lastSeq),
			accessToken,
			explanation: why,
			ok
		};
	};

	const tokenRequest = buildTokenRequest(current, input.source, input.token);
	const tokenResult = await send(current, input.source, tokenRequest, { keyRing: ring });
	apply(tokenResult.operations);
	if (!tokenResult.ok) {
		hops.push(transportHop('token-request', tokenRequest, tokenResult.failure, 'identityEndpoint'));
		return finish(false, null, tokenResult.failure.explanation);
	}
	hops.push(...tokenResult.hops.map((h) => ({ ...h, id: `token:${h.id}` })));
	if (tokenResult.response.status !== 200)
		return finish(false, null, tokenResult.explanation ?? null);
	const accessToken = accessTokenOf(tokenResult.response.body);
	if (!accessToken || !input.call) return finish(accessToken !== null, accessToken, null);

	const call: HttpRequest = {
		method: input.call.method,
		url: input.call.url,
		headers: { ...(input.call.headers ?? {}), Authorization: `Bearer ${accessToken}` },
		...(input.call.body !== undefined ? { body: input.call.body } : {})
	};
	const callResult = await send(current, input.source, call, { keyRing: ring });
	apply(callResult.operations);
	if (!callResult.ok) {
		hops.push(transportHop('service-request', call, callResult.failure, 'service'));
		return finish(false, accessToken, callResult.failure.explanation);
	}
	hops.push(...callResult.hops.map((h) => ({ ...h, id: `call:${h.id}` })));
	const ok = callResult.response.status >= 200 && callResult.response.status < 300;
	return finish(ok, accessToken, ok ? null : (callResult.explanation ?? null));
}
