import { describe, expect, it } from 'vitest';
import {
	ARM_AUDIENCES,
	KEY_VAULT_AUDIENCES,
	keyVaultCaller,
	readBearer,
	storageAudiences,
	tenantIssuers,
	validateAccessToken,
	validateBearer
} from '../../../src/core/services/bearer.ts';
import { tenantJwks } from '../../../src/core/token/entra.ts';
import {
	apply,
	at,
	lab,
	loadStrangerKey,
	mint,
	tamper,
	TENANT,
	V1_ISSUER,
	VM
} from './service-fixture.ts';

const VAULT_AUD = 'https://vault.azure.net';

describe('readBearer', () => {
	it('refuses a missing or empty header', () => {
		expect(readBearer(undefined)).toMatchObject({ ok: false, error: { reason: 'missing' } });
		expect(readBearer('   ')).toMatchObject({ ok: false, error: { reason: 'missing' } });
	});

	it('refuses another scheme and names it', () => {
		expect(readBearer('Basic dXNlcjpwYXNz')).toMatchObject({
			ok: false,
			error: { reason: 'scheme', scheme: 'Basic' }
		});
	});

	it('refuses "Bearer" with no token', () => {
		const r = readBearer('Bearer ');
		expect(r).toMatchObject({ ok: false, error: { reason: 'missing' } });
		if (!r.ok) expect(r.error.message).toContain('no token');
	});

	it('returns the token of a Bearer header, scheme in any case', () => {
		expect(readBearer('bearer abc.def.ghi')).toEqual({ ok: true, value: 'abc.def.ghi' });
	});
});

describe('audiences and issuers', () => {
	it('lists the accepted values per service', () => {
		expect(KEY_VAULT_AUDIENCES).toEqual(['https://vault.azure.net', 'https://vault.azure.net/']);
		expect(ARM_AUDIENCES).toHaveLength(4);
		expect(storageAudiences('StStockData')).toEqual([
			'https://storage.azure.com/',
			'https://storage.azure.com',
			'https://ststockdata.blob.core.windows.net',
			'https://ststockdata.blob.core.windows.net/'
		]);
		expect(tenantIssuers(TENANT)).toEqual([
			V1_ISSUER,
			`https://login.microsoftonline.com/${TENANT}/v2.0`
		]);
	});

	it('builds the JWKS from the world signing keys', async () => {
		const l = await lab();
		expect(tenantJwks(l.world, 'v1').keys.map((k) => k.kid)).toEqual([l.key.kid]);
	});
});

describe('validateAccessToken', () => {
	it('accepts a token of the tenant for the audience, and names the caller', async () => {
		const l = await lab();
		const token = await mint(l, VAULT_AUD);
		const r = await validateAccessToken(l.world, token, KEY_VAULT_AUDIENCES);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.value.principalId).toBe(l.principalId);
		expect(r.value.appId).toBe(l.clientId);
		expect(r.value.issuer).toBe(V1_ISSUER);
		expect(r.value.principalExists).toBe(true);
		expect(keyVaultCaller(r.value)).toBe(
			`appid=${l.clientId};oid=${l.principalId};iss=${V1_ISSUER}`
		);
	});

	it('accepts the v2 issuer and the trailing-slash audience', async () => {
		const l = await lab();
		const token = await mint(l, 'https://vault.azure.net/', {
			iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
			ver: '2.0'
		});
		expect((await validateAccessToken(l.world, token, KEY_VAULT_AUDIENCES)).ok).toBe(true);
	});

	it('refuses a token for another audience and reports the audience found', async () => {
		const l = await lab();
		const token = await mint(l, 'https://management.azure.com/');
		const r = await validateAccessToken(l.world, token, KEY_VAULT_AUDIENCES);
		expect(r).toMatchObject({
			ok: false,
			error: { reason: 'audience', audience: 'https://management.azure.com/' }
		});
	});

	it('refuses another issuer', async () => {
		const l = await lab();
		const iss = 'https://sts.windows.net/11111111-2222-4333-8444-555555555555/';
		const r = await validateAccessToken(
			l.world,
			await mint(l, VAULT_AUD, { iss }),
			KEY_VAULT_AUDIENCES
		);
		expect(r).toMatchObject({ ok: false, error: { reason: 'issuer', issuer: iss } });
	});

	it('refuses an expired token and reports exp', async () => {
		const l = await lab();
		const exp = at(l.world, -60);
		const r = await validateAccessToken(
			l.world,
			await mint(l, VAULT_AUD, { iat: at(l.world, -3600), nbf: at(l.world, -3600), exp }),
			KEY_VAULT_AUDIENCES
		);
		expect(r).toMatchObject({ ok: false, error: { reason: 'expired', expiresAt: exp } });
	});

	it('refuses a tenant-signed token without exp', async () => {
		const l = await lab();
		const r = await validateAccessToken(
			l.world,
			await mint(l, VAULT_AUD, { exp: undefined }),
			KEY_VAULT_AUDIENCES
		);
		expect(r).toMatchObject({ ok: false, error: { reason: 'noExpiry' } });
		if (!r.ok) expect(r.error.message).toContain('no "exp"');
	});

	it('refuses a token that is not valid yet', async () => {
		const l = await lab();
		const r = await validateAccessToken(
			l.world,
			await mint(l, VAULT_AUD, { nbf: at(l.world, 600) }),
			KEY_VAULT_AUDIENCES
		);
		expect(r).toMatchObject({ ok: false, error: { reason: 'notYetValid' } });
	});

	it('refuses a token changed after signing', async () => {
		const l = await lab();
		const r = await validateAccessToken(
			l.world,
			tamper(await mint(l, VAULT_AUD), { oid: 'someone-else' }),
			KEY_VAULT_AUDIENCES
		);
		expect(r).toMatchObject({ ok: false, error: { reason: 'signature' } });
	});

	it('refuses a token signed by a key the tenant never published, with its encoded header', async () => {
		const l = await lab();
		const token = await mint(l, VAULT_AUD, {}, await loadStrangerKey());
		const r = await validateAccessToken(l.world, token, KEY_VAULT_AUDIENCES);
		expect(r).toMatchObject({
			ok: false,
			error: { reason: 'unknownKey', encodedHeader: token.split('.')[0] }
		});
	});

	it('refuses text that is not a JWT, and an unsigned token', async () => {
		const l = await lab();
		expect(await validateAccessToken(l.world, 'not-a-token', KEY_VAULT_AUDIENCES)).toMatchObject({
			ok: false,
			error: { reason: 'malformed' }
		});
		const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ aud: VAULT_AUD, iss: V1_ISSUER, oid: l.principalId })).toString('base64url')}.`;
		const r = await validateAccessToken(l.world, none, KEY_VAULT_AUDIENCES);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(['algorithm', 'malformed']).toContain(r.error.reason);
	});

	it('refuses a verified token without oid', async () => {
		const l = await lab();
		const r = await validateAccessToken(
			l.world,
			await mint(l, VAULT_AUD, { oid: undefined }),
			KEY_VAULT_AUDIENCES
		);
		expect(r).toMatchObject({ ok: false, error: { reason: 'malformed' } });
		if (!r.ok) expect(r.error.message).toContain('"oid"');
	});

	it('keeps accepting the token of a deleted identity until it expires, and says the principal is gone', async () => {
		const l = await lab();
		const token = await mint(l, VAULT_AUD);
		const world = apply(l.world, [{ type: 'disableSystemIdentity', resourceId: VM }]);
		const r = await validateAccessToken(world, token, KEY_VAULT_AUDIENCES);
		expect(r.ok).toBe(true);
		if (r.ok) expect(r.value.principalExists).toBe(false);
	});
});

describe('validateBearer', () => {
	it('reads the header then verifies the token', async () => {
		const l = await lab();
		expect(await validateBearer(l.world, undefined, KEY_VAULT_AUDIENCES)).toMatchObject({
			ok: false,
			error: { reason: 'missing' }
		});
		expect(
			(await validateBearer(l.world, `Bearer ${await mint(l, VAULT_AUD)}`, KEY_VAULT_AUDIENCES)).ok
		).toBe(true);
	});
});
