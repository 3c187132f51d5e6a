/**
 * The tenant's private signing keys. The world holds only the public half of each key (`world.signingKeys`,
 * what the JWKS publishes); the private halves live in a key ring next to the world and are never serialized.
 *
 * A restored world (a saved game, a shared link, a lesson start) therefore arrives without private keys: its
 * active key cannot sign any more. {@link ensureSigningKey} handles that the way a real tenant rolls its keys:
 * it creates a fresh key and returns an `addSigningKey` operation that publishes it and makes it the active
 * one. The old public keys stay in the JWKS, so tokens signed before the restore still verify until they
 * expire or their key is withdrawn with `removeSigningKey`.
 */
import type { SigningKeyInfo, World } from '../azure/model.ts';
import type { Operation } from '../azure/operations/index.ts';
import { createSigningKey } from '../crypto/index.ts';
import type { KeyRing, SigningKey } from '../crypto/index.ts';
import { err, ok } from '../result.ts';
import type { Result } from '../result.ts';

export type { KeyRing };

/** A key ring holding `keys`. */
export function createKeyRing(keys: readonly SigningKey[] = []): KeyRing {
	const byKid = new Map<string, SigningKey>();
	for (const key of keys) byKid.set(key.kid, key);
	return {
		get: (kid) => byKid.get(kid),
		add: (key) => {
			byKid.set(key.kid, key);
		},
		kids: () => [...byKid.keys()]
	};
}

/** A signing key and the operations that publish it (empty when it was already the active, published key). */
export interface SigningKeyChoice {
	key: SigningKey;
	operations: Operation[];
}

/** The `addSigningKey` operation that publishes a key's public half in the tenant's JWKS. */
export function publishSigningKey(key: SigningKey): Operation {
	return {
		type: 'addSigningKey',
		key: { kid: key.kid, x5t: key.x5t, jwk: { ...key.publicJwk } }
	};
}

/** The world's active signing key (public half), if one is published. */
export function activeSigningKey(world: World): SigningKeyInfo | undefined {
	return world.signingKeys.find((k) => k.active);
}

/**
 * The key that signs the next token: the world's active key when the ring holds its private half; otherwise
 * a new key (created at `world.now`), added to the ring, with the `addSigningKey` operation that publishes it.
 * The caller applies the operations before anyone verifies the token against the JWKS.
 */
export async function ensureSigningKey(world: World, ring: KeyRing): Promise<SigningKeyChoice> {
	const active = activeSigningKey(world);
	const held = active ? ring.get(active.kid) : undefined;
	if (held) return { key: held, operations: [] };
	return rolloverSigningKey(world, ring);
}

/**
 * Key rollover: a new key, added to the ring, and the `addSigningKey` operation that publishes it and makes
 * it the active key. Earlier keys stay published (their tokens keep verifying) until {@link retireSigningKey}.
 */
export async function rolloverSigningKey(world: World, ring: KeyRing): Promise<SigningKeyChoice> {
	const key = await createSigningKey({ now: world.now, tenantId: world.tenant.tenantId });
	ring.add(key);
	return { key, operations: [publishSigningKey(key)] };
}

/** Why a key cannot be retired. */
export interface RetireKeyError {
	code: 'SigningKeyNotFound' | 'SigningKeyActive';
	message: string;
}

/**
 * The `removeSigningKey` operation that withdraws a published key from the JWKS: tokens it signed stop
 * verifying and the identity endpoints drop them from their caches. Refuses the active key while it is the
 * only one published (nothing could sign new tokens).
 */
export function retireSigningKey(world: World, kid: string): Result<Operation, RetireKeyError> {
	const published = world.signingKeys.find((k) => k.kid === kid);
	if (!published) {
		const kids = world.signingKeys.map((k) => k.kid).join(', ') || '(none)';
		return err({
			code: 'SigningKeyNotFound',
			message: `No published signing key has kid '${kid}'. Published keys: ${kids}.`
		});
	}
	if (published.active && world.signingKeys.length === 1) {
		return err({
			code: 'SigningKeyActive',
			message: `Key '${kid}' is the tenant's only signing key. Roll over to a new key first, then retire this one.`
		});
	}
	return ok({ type: 'removeSigningKey', kid });
}
