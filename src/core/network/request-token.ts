/**
 * What `ManagedIdentityCredential` does on a machine, as one call: build the token request for the source's
 * environment (token/token-request.ts) and send it through the simulated network.
 */
import type { World } from '../azure/model.ts';
import type { KeyRing } from '../crypto/index.ts';
import type { NetworkSource, SendResult } from '../http/types.ts';
import { buildTokenRequest, type TokenRequestOptions } from '../token/token-request.ts';
import { send } from './network.ts';

/** Builds the source's token request and sends it; the caller applies the result's operations. */
export function requestToken(
	world: World,
	ring: KeyRing,
	source: NetworkSource,
	options: TokenRequestOptions
): Promise<SendResult> {
	return send(world, source, buildTokenRequest(world, source, options), { keyRing: ring });
}
