/** How az reports a data-plane exchange: the record it left in the world, and its errors. */
import type { AzOutcome } from '../types.ts';
import type { Exchange } from '../../exchange.ts';

/** The outcome with the exchange's world, events and hops attached. */
export function withExchange(exchange: Exchange, outcome: AzOutcome): AzOutcome {
	return {
		...outcome,
		world: exchange.world,
		events: [...exchange.events, ...(outcome.events ?? [])],
		hops: [...exchange.hops, ...(outcome.hops ?? [])]
	};
}

/**
 * A refused or failed data-plane call, as az prints it: the service's error (read from its body by `read`), or
 * the transport failure, then the lab's explanation of why and what to do. The service's record of the call
 * stays in the world.
 */
export function dataPlaneFailure(
	exchange: Exchange,
	read: (body: string) => string | null
): AzOutcome {
	const hint = exchange.explanation ?? undefined;
	if (exchange.failure || !exchange.response) {
		const host = /Could not resolve host: (\S+)/.exec(exchange.failure?.message ?? '')?.[1];
		const message = host
			? `<urllib3.connection.HTTPSConnection object>: Failed to resolve '${host}' ([Errno -2] Name or service not known)`
			: (exchange.failure?.message ?? 'The request failed.');
		return withExchange(exchange, {
			ok: false,
			error: { message, exitCode: 1, ...(hint ? { hint } : {}) }
		});
	}
	const response = exchange.response;
	const message =
		read(response.body) ?? `Operation returned an invalid status '${response.statusText}'`;
	return withExchange(exchange, {
		ok: false,
		error: { message, exitCode: 1, ...(hint ? { hint } : {}) }
	});
}
