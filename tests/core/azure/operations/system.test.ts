import { describe, expect, it } from 'vitest';
import type { CachedToken, World } from '../../../../src/core/azure/model.ts';
import { tokenCacheKey } from '../../../../src/core/azure/operations/system.ts';
import { findInconsistencies } from '../../../../src/core/azure/invariants.ts';
import { DEFAULT_START, LATEST_TIME, addSeconds } from '../../../../src/core/clock.ts';
import { SARAH_UPN, TENANT, VM_APP, defaultWorld, host, refuse, run, runAll } from '../helpers.ts';

const PRINCIPAL = '7e57e57e-0000-4000-8000-000000000001';

function token(world: World, overrides: Partial<CachedToken> = {}): CachedToken {
	return {
		principalId: PRINCIPAL,
		clientId: '7e57e57e-0000-4000-8000-000000000002',
		resource: 'https://vault.azure.net',
		accessToken: 'eyJhbGciOiJSUzI1NiJ9.e30.sig',
		issuedAt: world.now,
		expiresOn: addSeconds(world.now, 3600),
		kid: 'kid-1',
		...overrides
	};
}

const key = (kid: string) => ({
	kid,
	x5t: `x5t-${kid}`,
	jwk: { kty: 'RSA', kid, n: 'AQAB', e: 'AQAB' }
});

describe('advanceClock', () => {
	it('moves time forward and records a clock event', () => {
		const { world, events } = run(defaultWorld(), { type: 'advanceClock', seconds: 600 });
		expect(world.now).toBe(DEFAULT_START + 600);
		expect(events).toEqual([
			{
				kind: 'clock',
				from: DEFAULT_START,
				to: DEFAULT_START + 600,
				seq: 1,
				at: DEFAULT_START + 600
			}
		]);
	});

	it('drops cached tokens once they expire (at expiresOn exactly)', () => {
		const w0 = defaultWorld();
		const w1 = run(w0, {
			type: 'recordToken',
			token: token(w0),
			hostId: VM_APP,
			endpoint: 'imds',
			fromCache: false
		}).world;
		expect(
			Object.keys(run(w1, { type: 'advanceClock', seconds: 3599 }).world.tokenCache)
		).toHaveLength(1);
		expect(run(w1, { type: 'advanceClock', seconds: 3600 }).world.tokenCache).toEqual({});
	});

	it.each([0, -60, 1.5, '60', Number.NaN, Infinity, 10 * 365 * 86_400 + 1, undefined])(
		'refuses %j seconds',
		(seconds) => {
			const error = refuse(defaultWorld(), { type: 'advanceClock', seconds });
			expect(error.code).toBe('InvalidClockAdvance');
			expect(error.message).toMatch(/whole number of seconds/);
		}
	);

	it('accepts up to ten years', () => {
		expect(
			run(defaultWorld(), { type: 'advanceClock', seconds: 10 * 365 * 86_400 }).world.now
		).toBe(DEFAULT_START + 315_360_000);
	});

	it('stops at the end of year 9999, the last time a saved world may show', () => {
		const near = { ...defaultWorld(), now: addSeconds(LATEST_TIME, -100) };
		const error = refuse(near, { type: 'advanceClock', seconds: 101 });
		expect(error.code).toBe('InvalidClockAdvance');
		expect(error.message).toContain('9999-12-31T23:59:59.000Z');
		expect(run(near, { type: 'advanceClock', seconds: 100 }).world.now).toBe(LATEST_TIME);
	});
});

describe('setPropagationDelay', () => {
	it('sets the delay and says so in the activity log', () => {
		const { world, events } = run(defaultWorld(), { type: 'setPropagationDelay', seconds: 30 });
		expect(world.settings.propagationDelaySeconds).toBe(30);
		expect(events[0]).toMatchObject({
			kind: 'activity',
			operationName: 'Lab/settings/write',
			caller: SARAH_UPN,
			summary: expect.stringContaining('30 s') as string
		});
	});

	it.each([-1, 86_401, 2.5, '5', null])('refuses %j', (seconds) => {
		expect(refuse(defaultWorld(), { type: 'setPropagationDelay', seconds }).code).toBe(
			'InvalidInput'
		);
	});
});

describe('recordToken', () => {
	it('caches a fresh token under (principal, resource) and records the issue', () => {
		const w0 = defaultWorld();
		const t = token(w0);
		const { world, events } = run(w0, {
			type: 'recordToken',
			token: t,
			hostId: VM_APP,
			endpoint: 'imds',
			fromCache: false
		});
		expect(world.tokenCache).toEqual({ [tokenCacheKey(PRINCIPAL, t.resource)]: t });
		expect(events).toEqual([
			{
				kind: 'token',
				principalId: PRINCIPAL,
				clientId: t.clientId,
				resource: t.resource,
				hostId: VM_APP,
				endpoint: 'imds',
				fromCache: false,
				expiresOn: t.expiresOn,
				seq: 1,
				at: w0.now
			}
		]);
	});

	it('does not cache again when the token came from the cache, and keeps no extra fields', () => {
		const w0 = defaultWorld();
		const { world, events } = run(w0, {
			type: 'recordToken',
			token: token(w0),
			hostId: 'onprem-legacy-01',
			endpoint: 'appService',
			fromCache: true
		});
		expect(world.tokenCache).toEqual({});
		expect(events[0]).toMatchObject({ fromCache: true, endpoint: 'appService' });
		const extra = run(w0, {
			type: 'recordToken',
			token: { ...token(w0), secret: 'x' } as CachedToken,
			hostId: VM_APP,
			endpoint: 'imds',
			fromCache: false
		});
		expect(Object.values(extra.world.tokenCache)[0]).not.toHaveProperty('secret');
	});

	it.each([
		['no token', (t: CachedToken) => ({ token: undefined, t })],
		['a token without expiry', (t: CachedToken) => ({ token: { ...t, expiresOn: undefined } })],
		['a token whose resource is not text', (t: CachedToken) => ({ token: { ...t, resource: 5 } })],
		['a token that is text', () => ({ token: 'eyJ' })],
		['an unknown endpoint', () => ({ endpoint: 'cloudShell' })],
		['no host', () => ({ hostId: undefined })],
		['fromCache that is not a boolean', () => ({ fromCache: 'no' })]
	])('refuses %s', (_what, change) => {
		const w0 = defaultWorld();
		const t = token(w0);
		const op = {
			type: 'recordToken',
			token: t,
			hostId: VM_APP,
			endpoint: 'imds',
			fromCache: false,
			...change(t)
		};
		expect(refuse(w0, op).code).toBe('InvalidInput');
	});

	it('is key-insensitive to the principal id case', () => {
		expect(tokenCacheKey(PRINCIPAL.toUpperCase(), 'https://storage.azure.com/')).toBe(
			`${PRINCIPAL}|https://storage.azure.com/`
		);
	});
});

describe('recordServiceCall', () => {
	const call = {
		service: 'keyVault',
		operation: 'getSecret',
		target: 'https://kv-stock.vault.azure.net/secrets/db-password',
		status: 403,
		principalId: PRINCIPAL,
		authMethod: 'bearer',
		source: VM_APP,
		errorCode: 'Forbidden'
	} as const;

	it('records exactly the service call (no operation type, kind stays serviceCall)', () => {
		const w0 = defaultWorld();
		const { world, events } = run(w0, { type: 'recordServiceCall', ...call });
		expect(events).toEqual([{ kind: 'serviceCall', ...call, seq: 1, at: w0.now }]);
		expect(findInconsistencies(world)).toEqual([]);
		const sneaky = run(w0, {
			type: 'recordServiceCall',
			...call,
			kind: 'activity',
			seq: 99
		} as never);
		expect(sneaky.events[0]).toMatchObject({ kind: 'serviceCall', seq: 1 });
	});

	it('refuses a call without service or status', () => {
		expect(refuse(defaultWorld(), { type: 'recordServiceCall', ...call, status: '403' }).code).toBe(
			'InvalidInput'
		);
		expect(
			refuse(defaultWorld(), { type: 'recordServiceCall', ...call, service: undefined }).code
		).toBe('InvalidInput');
	});
});

describe('addSigningKey and removeSigningKey', () => {
	it('publishes keys; the newest one is the only active key', () => {
		const world = runAll(defaultWorld(), [
			{ type: 'addSigningKey', key: key('k1') },
			{ type: 'addSigningKey', key: key('k2') }
		]);
		expect(world.signingKeys.map((k) => [k.kid, k.active, k.createdAt])).toEqual([
			['k1', false, world.now],
			['k2', true, world.now]
		]);
		expect(world.events.at(-1)).toMatchObject({
			operationName: 'Entra/signingKeys/write',
			resourceId: `/${TENANT}/discovery/keys/k2`,
			caller: 'Microsoft Entra ID'
		});
		expect(findInconsistencies(world)).toEqual([]);
	});

	it('refuses a kid that is published, and a key without kid, x5t or jwk', () => {
		const world = run(defaultWorld(), { type: 'addSigningKey', key: key('k1') }).world;
		expect(refuse(world, { type: 'addSigningKey', key: key('k1') }).code).toBe('SigningKeyExists');
		for (const bad of [
			undefined,
			{ ...key('k3'), kid: 3 },
			{ ...key('k3'), x5t: undefined },
			{ ...key('k3'), jwk: null }
		]) {
			expect(refuse(world, { type: 'addSigningKey', key: bad }).code).toBe('InvalidInput');
		}
	});

	it('withdrawing the active key activates the newest remaining one and drops the tokens it signed', () => {
		const w0 = runAll(defaultWorld(), [
			{ type: 'addSigningKey', key: key('k1') },
			{ type: 'addSigningKey', key: key('k2') },
			{ type: 'addSigningKey', key: key('k3') }
		]);
		const w1 = runAll(w0, [
			{
				type: 'recordToken',
				token: token(w0, { kid: 'k3' }),
				hostId: VM_APP,
				endpoint: 'imds',
				fromCache: false
			},
			{
				type: 'recordToken',
				token: token(w0, { kid: 'k1', resource: 'https://storage.azure.com/' }),
				hostId: VM_APP,
				endpoint: 'imds',
				fromCache: false
			}
		]);
		const { world, events } = run(w1, { type: 'removeSigningKey', kid: 'k3' });
		expect(world.signingKeys.map((k) => [k.kid, k.active])).toEqual([
			['k1', false],
			['k2', true]
		]);
		expect(Object.values(world.tokenCache).map((t) => t.kid)).toEqual(['k1']);
		expect(events[0]).toMatchObject({ operationName: 'Entra/signingKeys/delete' });
	});

	it('withdrawing an inactive key changes no active flag; the last key can go', () => {
		const w0 = runAll(defaultWorld(), [
			{ type: 'addSigningKey', key: key('k1') },
			{ type: 'addSigningKey', key: key('k2') }
		]);
		const w1 = run(w0, { type: 'removeSigningKey', kid: 'k1' }).world;
		expect(w1.signingKeys.map((k) => [k.kid, k.active])).toEqual([['k2', true]]);
		expect(run(w1, { type: 'removeSigningKey', kid: 'k2' }).world.signingKeys).toEqual([]);
	});

	it('refuses an unknown kid', () => {
		expect(refuse(defaultWorld(), { type: 'removeSigningKey', kid: 'nope' }).code).toBe(
			'SigningKeyNotFound'
		);
	});

	it('does not touch the resources', () => {
		const w0 = defaultWorld();
		const w1 = run(w0, { type: 'addSigningKey', key: key('k1') }).world;
		expect(host(w1, VM_APP)).toEqual(host(w0, VM_APP));
	});
});
