import fc from 'fast-check';
import { SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { addSeconds, epochSeconds } from '../../../src/core/clock.ts';
import type { EpochSeconds } from '../../../src/core/clock.ts';
import {
	VERIFY_ERROR_CODES,
	signAccessToken,
	verifyAccessToken
} from '../../../src/core/crypto/access-token.ts';
import type {
	KeySet,
	VerifyErrorCode,
	VerifyOptions
} from '../../../src/core/crypto/access-token.ts';
import {
	createSigningKey,
	importSigningKey,
	jwksDocument
} from '../../../src/core/crypto/signing-key.ts';
import type { SigningKey } from '../../../src/core/crypto/signing-key.ts';
import {
	FIXTURE_CERTIFICATE_PEM as CERT_PEM,
	FIXTURE_KEY_PEM as KEY_PEM,
	FIXTURE_TOKEN as EXPECTED_TOKEN,
	FIXTURE_TOKEN_CLAIMS
} from '../../fixtures/files.ts';

const CLAIMS = FIXTURE_TOKEN_CLAIMS as Record<string, unknown> & {
	iat: number;
	nbf: number;
	exp: number;
	aud: string;
	iss: string;
	tid: string;
};

const TENANT = CLAIMS.tid;
const ISSUER = CLAIMS.iss;
const ARM = CLAIMS.aud;
const ISSUED = epochSeconds(CLAIMS.iat);
const EXPIRES = epochSeconds(CLAIMS.exp);
const DURING = addSeconds(ISSUED, 600);

let key: SigningKey;
let jwks: KeySet;
let token: string;

beforeAll(async () => {
	const imported = await importSigningKey(KEY_PEM, CERT_PEM, { tenantId: TENANT });
	if (!imported.ok) throw new Error(imported.error.message);
	key = imported.value;
	jwks = jwksDocument([key.publicJwk]);
	token = await signAccessToken(key, CLAIMS);
});

afterEach(() => {
	vi.useRealTimers();
});

const b64url = (value: unknown): string =>
	Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A token with any header and payload, signed RS256 with the given key outside signAccessToken. */
async function signRaw(
	with_: SigningKey,
	header: Record<string, unknown>,
	payload: Record<string, unknown>
): Promise<string> {
	const input = `${b64url(header)}.${b64url(payload)}`;
	const signature = await crypto.subtle.sign(
		'RSASSA-PKCS1-v1_5',
		with_.privateKey,
		new TextEncoder().encode(input)
	);
	return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

const decodePart = (jwt: string, index: number): unknown =>
	JSON.parse(Buffer.from(jwt.split('.')[index] ?? '', 'base64url').toString('utf8'));

describe('signAccessToken', () => {
	it('signs the fixture claims into exactly the committed token, byte for byte', () => {
		expect(token).toBe(EXPECTED_TOKEN);
	});

	it('writes the header exactly as Entra ID does: typ, alg, x5t, kid, in that order', () => {
		const header = Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8');
		expect(header).toBe(`{"typ":"JWT","alg":"RS256","x5t":"${key.x5t}","kid":"${key.kid}"}`);
	});

	it('signs the claims as given, in their order', () => {
		const payload = decodePart(token, 1) as Record<string, unknown>;
		expect(Object.keys(payload)).toEqual(Object.keys(CLAIMS));
		expect(payload).toEqual(CLAIMS);
	});

	it('never reads the real clock: no iat is added, and the system time changes nothing', async () => {
		vi.useFakeTimers();
		vi.setSystemTime(new Date('1999-12-31T23:59:59Z'));
		expect(await signAccessToken(key, CLAIMS)).toBe(EXPECTED_TOKEN);
		const bare = await signAccessToken(key, { aud: ARM });
		expect(decodePart(bare, 1)).toEqual({ aud: ARM });
	});

	it('appends extra header fields after the four fixed ones, which it never replaces', async () => {
		const signed = await signAccessToken(
			key,
			{ aud: ARM },
			{ alg: 'none', kid: 'forged', cty: 'lab' }
		);
		expect(Object.entries(decodePart(signed, 0) as object)).toEqual([
			['typ', 'JWT'],
			['alg', 'RS256'],
			['x5t', key.x5t],
			['kid', key.kid],
			['cty', 'lab']
		]);
	});
});

interface FailureCase {
	name: string;
	code: VerifyErrorCode;
	/** Words the learner's message must contain. */
	says: string[];
	run: () => Promise<Awaited<ReturnType<typeof verifyAccessToken>>>;
}

const during: VerifyOptions = { now: DURING, issuer: ISSUER, audience: ARM };

const failures: FailureCase[] = [
	{
		name: 'garbage text',
		code: 'ERR_JWS_INVALID',
		says: ['not a JWT', '1 part'],
		run: () => verifyAccessToken('this-is-not-a-token', jwks, during)
	},
	{
		name: 'two-part text',
		code: 'ERR_JWS_INVALID',
		says: ['three parts', 'this text has 2 parts'],
		run: () => verifyAccessToken(token.split('.').slice(0, 2).join('.'), jwks, during)
	},
	{
		name: 'a header without alg',
		code: 'ERR_JWS_INVALID',
		says: ['no "alg"'],
		run: async () =>
			verifyAccessToken(await signRaw(key, { typ: 'JWT', kid: key.kid }, CLAIMS), jwks, during)
	},
	{
		name: 'a tampered payload (one claim changed, signature kept)',
		code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
		says: ['signature does not match', 'changed after it was signed'],
		run: () => {
			const [header, , signature] = token.split('.');
			const forged = b64url({ ...CLAIMS, aud: 'https://vault.azure.net' });
			return verifyAccessToken(`${header}.${forged}.${signature}`, jwks, during);
		}
	},
	{
		name: 'a tampered header (kid kept, typ changed)',
		code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
		says: ['signature does not match'],
		run: () => {
			const [, payload, signature] = token.split('.');
			const header = b64url({ typ: 'at+jwt', alg: 'RS256', x5t: key.x5t, kid: key.kid });
			return verifyAccessToken(`${header}.${payload}.${signature}`, jwks, during);
		}
	},
	{
		name: 'a token signed by another key that claims the same kid',
		code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
		says: ['same kid "KID"'],
		run: async () => {
			const other = await createSigningKey({ now: ISSUED, tenantId: TENANT });
			const impostor: SigningKey = { ...other, kid: key.kid, x5t: key.x5t };
			return verifyAccessToken(await signAccessToken(impostor, CLAIMS), jwks, during);
		}
	},
	{
		name: 'an unknown kid (a key removed after rollover)',
		code: 'ERR_JWKS_NO_MATCHING_KEY',
		says: ['kid "KID"', 'rolled over'],
		run: async () => {
			const current = await createSigningKey({ now: ISSUED, tenantId: TENANT });
			return verifyAccessToken(token, jwksDocument([current.publicJwk]), during);
		}
	},
	{
		name: 'an empty key set',
		code: 'ERR_JWKS_NO_MATCHING_KEY',
		says: ['no usable key'],
		run: () => verifyAccessToken(token, { keys: [] }, during)
	},
	{
		name: 'a key set whose key is not a usable RSA key',
		code: 'ERR_JWKS_INVALID',
		says: ['key set (JWKS)'],
		run: () => verifyAccessToken(token, { keys: [{ kty: 'RSA', kid: key.kid }] }, during)
	},
	{
		name: 'something that is not a key set',
		code: 'ERR_JWKS_INVALID',
		says: ['key set (JWKS)'],
		run: () => verifyAccessToken(token, { keys: 'none' } as unknown as KeySet, during)
	},
	{
		name: 'an unsigned token (alg none)',
		code: 'ERR_JOSE_ALG_NOT_ALLOWED',
		says: ['"none"', 'unsigned'],
		run: () =>
			verifyAccessToken(`${b64url({ typ: 'JWT', alg: 'none' })}.${b64url(CLAIMS)}.`, jwks, during)
	},
	{
		name: 'an HS256 token',
		code: 'ERR_JOSE_ALG_NOT_ALLOWED',
		says: ['"HS256"', 'shared-secret'],
		run: async () => {
			const secret = new TextEncoder().encode('a-guessable-shared-secret-of-32b');
			const hs = await new SignJWT(CLAIMS)
				.setProtectedHeader({ typ: 'JWT', alg: 'HS256', kid: key.kid })
				.sign(secret);
			return verifyAccessToken(hs, jwks, during);
		}
	},
	{
		name: 'an RS512 token',
		code: 'ERR_JOSE_ALG_NOT_ALLOWED',
		says: ['"RS512"', 'only RS256'],
		run: () =>
			verifyAccessToken(
				`${b64url({ typ: 'JWT', alg: 'RS512', kid: key.kid })}.${b64url(CLAIMS)}.c2ln`,
				jwks,
				during
			)
	},
	{
		name: 'an expired token (now = exp)',
		code: 'ERR_JWT_EXPIRED',
		says: ['expired at 2026-03-03T09:05:00.000Z', 'exactly the current time'],
		run: () => verifyAccessToken(token, jwks, { ...during, now: EXPIRES })
	},
	{
		name: 'an expired token (a day later)',
		code: 'ERR_JWT_EXPIRED',
		says: ['24 h before', 'request a new one'],
		run: () => verifyAccessToken(token, jwks, { ...during, now: addSeconds(EXPIRES, 86_400) })
	},
	{
		name: 'a token not yet valid (nbf in the future)',
		code: 'ERR_JWT_NOT_YET_VALID',
		says: ['not valid before 2026-03-02T09:00:00.000Z', '1 min 30 s after'],
		run: () => verifyAccessToken(token, jwks, { ...during, now: addSeconds(ISSUED, -90) })
	},
	{
		name: 'a token for another audience',
		code: 'ERR_JWT_AUDIENCE_INVALID',
		says: [`"${ARM}"`, '"https://vault.azure.net"', 'resource=https://vault.azure.net'],
		run: () => verifyAccessToken(token, jwks, { ...during, audience: 'https://vault.azure.net' })
	},
	{
		name: 'a token without aud when one is required',
		code: 'ERR_JWT_AUDIENCE_INVALID',
		says: ['no audience'],
		run: async () => {
			const withoutAud = Object.fromEntries(
				Object.entries(CLAIMS).filter(([name]) => name !== 'aud')
			);
			return verifyAccessToken(await signAccessToken(key, withoutAud), jwks, during);
		}
	},
	{
		name: 'a token from another tenant (wrong issuer)',
		code: 'ERR_JWT_ISSUER_INVALID',
		says: [`"${ISSUER}"`, 'trusts only "https://sts.windows.net/00000000'],
		run: () =>
			verifyAccessToken(token, jwks, {
				...during,
				issuer: 'https://sts.windows.net/00000000-0000-4000-8000-000000000000/'
			})
	},
	{
		name: 'an exp claim that is not a number',
		code: 'ERR_JWT_CLAIM_INVALID',
		says: ['"exp" claim must be a number', '"tomorrow"'],
		run: async () =>
			verifyAccessToken(
				await signRaw(
					key,
					{ typ: 'JWT', alg: 'RS256', x5t: key.x5t, kid: key.kid },
					{ ...CLAIMS, exp: 'tomorrow' }
				),
				jwks,
				during
			)
	}
];

describe('verifyAccessToken', () => {
	it('accepts the fixture token during its lifetime and returns its header and payload', async () => {
		const result = await verifyAccessToken(token, jwks, during);
		expect(result).toEqual({
			ok: true,
			value: {
				header: { typ: 'JWT', alg: 'RS256', x5t: key.x5t, kid: key.kid },
				payload: CLAIMS
			}
		});
	});

	it('accepts any of several issuers or audiences, and no check when none is given', async () => {
		const lists = await verifyAccessToken(token, jwks, {
			now: DURING,
			issuer: ['https://login.microsoftonline.com/x/v2.0', ISSUER],
			audience: ['https://vault.azure.net', ARM]
		});
		expect(lists.ok).toBe(true);
		expect((await verifyAccessToken(token, jwks, { now: DURING })).ok).toBe(true);
	});

	it('accepts the token from its first second to the second before exp', async () => {
		expect((await verifyAccessToken(token, jwks, { ...during, now: ISSUED })).ok).toBe(true);
		const last = addSeconds(EXPIRES, -1);
		expect((await verifyAccessToken(token, jwks, { ...during, now: last })).ok).toBe(true);
	});

	it('allows clock skew only when told to', async () => {
		const early = { ...during, now: addSeconds(ISSUED, -90) };
		expect((await verifyAccessToken(token, jwks, early)).ok).toBe(false);
		const tolerant = await verifyAccessToken(token, jwks, { ...early, clockToleranceSeconds: 300 });
		expect(tolerant.ok).toBe(true);
		const late = { ...during, now: addSeconds(EXPIRES, 60), clockToleranceSeconds: 300 };
		expect((await verifyAccessToken(token, jwks, late)).ok).toBe(true);
	});

	it('finds the right key among several, including after a rollover', async () => {
		const next = await createSigningKey({ now: ISSUED, tenantId: TENANT });
		const both = jwksDocument([next.publicJwk, key.publicJwk]);
		expect((await verifyAccessToken(token, both, during)).ok).toBe(true);
		const fresh = await signAccessToken(next, CLAIMS);
		expect((await verifyAccessToken(fresh, both, during)).ok).toBe(true);
	});

	it('tries every key that shares a kid and accepts the one that verifies', async () => {
		const other = await createSigningKey({ now: ISSUED, tenantId: TENANT });
		const clash = { ...other.publicJwk, kid: key.kid };
		const result = await verifyAccessToken(token, jwksDocument([clash, key.publicJwk]), during);
		expect(result.ok).toBe(true);
		const expired = await verifyAccessToken(token, jwksDocument([clash, key.publicJwk]), {
			...during,
			now: EXPIRES
		});
		expect(!expired.ok && expired.error.code).toBe('ERR_JWT_EXPIRED');
	});

	it('refuses a shared kid when no key with it verifies the signature', async () => {
		const [a, b] = await Promise.all([
			createSigningKey({ now: ISSUED, tenantId: TENANT }),
			createSigningKey({ now: ISSUED, tenantId: TENANT })
		]);
		const keys = jwksDocument([
			{ ...a.publicJwk, kid: key.kid },
			{ ...b.publicJwk, kid: key.kid }
		]);
		const result = await verifyAccessToken(token, keys, during);
		expect(!result.ok && result.error.code).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
	});

	it.each(failures)('refuses $name with $code', async ({ code, says, run }) => {
		const result = await run();
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error.code).toBe(code);
		for (const words of says) {
			expect(result.error.message).toContain(words.replace('KID', key.kid));
		}
	});

	it('has a real case for every error code it can return', () => {
		expect(new Set(failures.map((f) => f.code))).toEqual(new Set(VERIFY_ERROR_CODES));
	});

	it('never throws, whatever text it is given', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					fc.string(),
					fc.stringMatching(/^[A-Za-z0-9_=+/.-]{0,60}$/),
					fc.constantFrom(...token.split('.')).map((part) => `${part}.${part}.${part}`)
				),
				async (text) => {
					const result = await verifyAccessToken(text, jwks, during);
					expect(result.ok).toBe(false);
					if (!result.ok) expect(VERIFY_ERROR_CODES).toContain(result.error.code);
				}
			),
			{ numRuns: 200 }
		);
	});
});

describe('time', () => {
	it('uses only the simulated time it is given', async () => {
		vi.useFakeTimers();
		vi.setSystemTime(new Date('2040-01-01T00:00:00Z'));
		const now: EpochSeconds = DURING;
		expect((await verifyAccessToken(token, jwks, { ...during, now })).ok).toBe(true);
	});
});
