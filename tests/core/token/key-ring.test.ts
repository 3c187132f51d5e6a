import { beforeAll, describe, expect, it } from 'vitest';
import { createDefaultWorld } from '../../../src/core/azure/default-world.ts';
import type { World } from '../../../src/core/azure/model.ts';
import { restoreWorld, snapshotWorld } from '../../../src/core/azure/snapshot.ts';
import { verifyAccessToken } from '../../../src/core/crypto/index.ts';
import type { SigningKey } from '../../../src/core/crypto/index.ts';
import { v1Issuer } from '../../../src/core/token/claims.ts';
import { tenantJwks } from '../../../src/core/token/entra.ts';
import {
	activeSigningKey,
	createKeyRing,
	ensureSigningKey,
	publishSigningKey,
	retireSigningKey,
	rolloverSigningKey
} from '../../../src/core/token/key-ring.ts';
import type { KeyRing } from '../../../src/core/token/key-ring.ts';
import { handleImds } from '../../../src/core/token/imds.ts';
import {
	VM,
	advance,
	apply,
	body,
	call,
	context,
	enableSystem,
	get,
	keyedWorld,
	loadFixtureKey
} from './scenario.ts';

let fixture: SigningKey;

beforeAll(async () => {
	fixture = await loadFixtureKey();
});

async function vaultToken(world: World, ring: KeyRing): Promise<{ token: string; world: World }> {
	const result = await call(
		handleImds,
		context(world, ring, { kind: 'resource', resourceId: VM }),
		get(
			'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net&bypass_cache=true',
			{
				Metadata: 'true'
			}
		)
	);
	return { token: String(body(result).access_token), world: apply(world, result.operations) };
}

function verify(world: World, token: string) {
	return verifyAccessToken(token, tenantJwks(world, 'v2'), {
		now: world.now,
		issuer: v1Issuer(world.tenant.tenantId),
		audience: 'https://vault.azure.net'
	});
}

describe('key ring', () => {
	it('holds keys by kid, in the order added', () => {
		const ring = createKeyRing([fixture]);
		expect(ring.kids()).toEqual([fixture.kid]);
		expect(ring.get(fixture.kid)).toBe(fixture);
		expect(ring.get('nope')).toBeUndefined();
		ring.add(fixture);
		expect(ring.kids()).toEqual([fixture.kid]);
	});

	it('uses the active published key when the ring holds its private half', async () => {
		const { world, ring } = await keyedWorld();
		const choice = await ensureSigningKey(world, ring);
		expect(choice.key).toBe(fixture);
		expect(choice.operations).toEqual([]);
	});

	it('a world without keys gets a new key and the operation that publishes it', async () => {
		const world = createDefaultWorld();
		const ring = createKeyRing();
		const choice = await ensureSigningKey(world, ring);
		expect(ring.kids()).toEqual([choice.key.kid]);
		expect(choice.operations).toEqual([publishSigningKey(choice.key)]);
		const published = apply(world, choice.operations);
		expect(activeSigningKey(published)?.kid).toBe(choice.key.kid);
		expect(JSON.stringify(published)).not.toContain('"d":');
	});

	it('a restored world, whose private keys are gone, publishes a new key and keeps the old one', async () => {
		const { world: w, ring } = await keyedWorld();
		const issued = await vaultToken(enableSystem(w, VM), ring);
		const restored = restoreWorld(snapshotWorld(issued.world));
		if (!restored.ok) throw new Error(restored.error.message);
		const freshRing = createKeyRing();
		const { token, world } = await vaultToken(restored.value, freshRing);
		expect(world.signingKeys.map((k) => [k.kid === fixture.kid, k.active])).toEqual([
			[true, false],
			[false, true]
		]);
		expect((await verify(world, token)).ok).toBe(true);
		expect((await verify(world, issued.token)).ok).toBe(true);
	});
});

describe('key rollover', () => {
	it('the new key signs new tokens; a token from a removed key fails with ERR_JWKS_NO_MATCHING_KEY', async () => {
		const { world: w, ring } = await keyedWorld();
		const before = await vaultToken(enableSystem(w, VM), ring);
		expect(before.world.tokenCache).not.toEqual({});

		const rolled = await rolloverSigningKey(before.world, ring);
		expect(rolled.key.kid).not.toBe(fixture.kid);
		let world = apply(before.world, rolled.operations);
		expect(activeSigningKey(world)?.kid).toBe(rolled.key.kid);
		expect((await verify(world, before.token)).ok).toBe(true);

		world = advance(world, 60);
		const after = await vaultToken(world, ring);
		world = after.world;
		const verified = await verify(world, after.token);
		if (!verified.ok) throw new Error(verified.error.message);
		expect(verified.value.header.kid).toBe(rolled.key.kid);

		const retire = retireSigningKey(world, fixture.kid);
		if (!retire.ok) throw new Error(retire.error.message);
		world = apply(world, [retire.value]);
		expect(world.signingKeys.map((k) => k.kid)).toEqual([rolled.key.kid]);
		const refused = await verify(world, before.token);
		expect(refused.ok).toBe(false);
		if (!refused.ok) expect(refused.error.code).toBe('ERR_JWKS_NO_MATCHING_KEY');
		expect((await verify(world, after.token)).ok).toBe(true);
	});

	it('refuses to retire an unknown key or the only key', async () => {
		const { world } = await keyedWorld();
		expect(retireSigningKey(world, 'nope')).toMatchObject({
			ok: false,
			error: { code: 'SigningKeyNotFound' }
		});
		const only = retireSigningKey(world, fixture.kid);
		expect(only).toMatchObject({ ok: false, error: { code: 'SigningKeyActive' } });
		if (!only.ok) expect(only.error.message).toContain('Roll over');
	});
});
