/**
 * Signing access tokens (RS256 over Web Crypto) and verifying them with jose. Simulated time is always passed
 * in: nothing here reads the real clock (claims arrive fully formed; verification gets `currentDate`).
 */
import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import type { JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import { describeDuration, isoTime } from '../clock.ts';
import type { EpochSeconds } from '../clock.ts';
import { err, ok } from '../result.ts';
import type { Result } from '../result.ts';
import { decodeForDisplay } from './jwt-decode.ts';
import type { DecodedToken } from './jwt-decode.ts';
import type { SigningKey } from './signing-key.ts';

/** The one algorithm Entra ID signs access tokens with, and the only one verification accepts. */
export const ACCESS_TOKEN_ALGORITHM = 'RS256';

/** The Web Crypto algorithm of RS256. */
const RS256_SIGNING = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** The smallest RSA modulus RS256 may be signed with (RFC 7518 3.3; jose refuses smaller keys too). */
const MIN_RS256_MODULUS_BITS = 2048;

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL_CODES = Uint8Array.from(BASE64URL_ALPHABET, (c) => c.charCodeAt(0));
const DOT = 0x2e;
const utf8 = new TextEncoder();
const ascii = new TextDecoder();

/** Length of the unpadded base64url text of `n` bytes. */
function base64UrlLength(n: number): number {
	return Math.floor(n / 3) * 4 + [0, 2, 3][n % 3]!;
}

/** Writes the unpadded base64url text of `bytes` into `out` from `at`, as ASCII codes; returns the end. */
function writeBase64Url(bytes: Uint8Array, out: Uint8Array, at: number): number {
	const whole = bytes.length - (bytes.length % 3);
	let o = at;
	for (let i = 0; i < whole; i += 3) {
		const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
		out[o++] = BASE64URL_CODES[n >>> 18]!;
		out[o++] = BASE64URL_CODES[(n >>> 12) & 63]!;
		out[o++] = BASE64URL_CODES[(n >>> 6) & 63]!;
		out[o++] = BASE64URL_CODES[n & 63]!;
	}
	if (bytes.length - whole === 1) {
		const n = bytes[whole]!;
		out[o++] = BASE64URL_CODES[n >>> 2]!;
		out[o++] = BASE64URL_CODES[(n << 4) & 63]!;
	} else if (bytes.length - whole === 2) {
		const n = (bytes[whole]! << 8) | bytes[whole + 1]!;
		out[o++] = BASE64URL_CODES[n >>> 10]!;
		out[o++] = BASE64URL_CODES[(n >>> 4) & 63]!;
		out[o++] = BASE64URL_CODES[(n << 2) & 63]!;
	}
	return o;
}

/** The RS256 JWS signing input `base64url(header).base64url(payload)`, as ASCII bytes. */
function signingInput(header: Uint8Array, payload: Uint8Array): Uint8Array<ArrayBuffer> {
	const headerLength = base64UrlLength(header.length);
	const out = new Uint8Array(headerLength + 1 + base64UrlLength(payload.length));
	writeBase64Url(header, out, 0);
	out[headerLength] = DOT;
	writeBase64Url(payload, out, headerLength + 1);
	return out;
}

/** Refuses a key RS256 must not sign with, as jose does, before Web Crypto is asked. */
function assertRs256Key(key: CryptoKey): void {
	const algorithm = key.algorithm as Partial<RsaHashedKeyAlgorithm>;
	if (
		key.type !== 'private' ||
		algorithm.name !== RS256_SIGNING.name ||
		algorithm.hash?.name !== RS256_SIGNING.hash
	) {
		throw new TypeError(
			`RS256 signs with an RSASSA-PKCS1-v1_5 SHA-256 private key; this key is a ${key.type} ${algorithm.name ?? 'unknown'} key.`
		);
	}
	if ((algorithm.modulusLength ?? 0) < MIN_RS256_MODULUS_BITS) {
		throw new TypeError(`RS256 requires key modulusLength to be 2048 bits or larger`);
	}
}

/**
 * Signs an access token. The protected header is exactly `{ typ: 'JWT', alg: 'RS256', x5t, kid }`, in that
 * order (reference 3.1); `header` may add further fields after them but cannot replace those four. Claims
 * are signed as given, in their order: the caller sets `iat`, `nbf` and `exp` from simulated time. RS256 is
 * deterministic, so the same key and claims give the same token. The compact JWS is the one jose's SignJWT
 * writes, built here over Web Crypto directly because minting sits on every token request's path.
 */
export async function signAccessToken(
	key: SigningKey,
	claims: object,
	header: Record<string, unknown> = {}
): Promise<string> {
	const protectedHeader: Record<string, unknown> = {
		typ: 'JWT',
		alg: ACCESS_TOKEN_ALGORITHM,
		x5t: key.x5t,
		kid: key.kid
	};
	for (const [name, value] of Object.entries(header)) {
		if (!(name in protectedHeader)) protectedHeader[name] = value;
	}
	for (const claim of ['iat', 'nbf', 'exp']) {
		const value = (claims as Record<string, unknown>)[claim];
		if (typeof value === 'number' && !Number.isFinite(value)) {
			throw new TypeError(`"${claim}" claim must be a finite number`);
		}
	}
	assertRs256Key(key.privateKey);
	const input = signingInput(
		utf8.encode(JSON.stringify(protectedHeader)),
		utf8.encode(JSON.stringify(claims))
	);
	const signature = new Uint8Array(await crypto.subtle.sign(RS256_SIGNING, key.privateKey, input));
	const token = new Uint8Array(input.length + 1 + base64UrlLength(signature.length));
	token.set(input);
	token[input.length] = DOT;
	writeBase64Url(signature, token, input.length + 1);
	return ascii.decode(token);
}

/** Every reason {@link verifyAccessToken} can refuse a token. */
export const VERIFY_ERROR_CODES = [
	'ERR_JWS_INVALID',
	'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
	'ERR_JWKS_NO_MATCHING_KEY',
	'ERR_JWKS_INVALID',
	'ERR_JOSE_ALG_NOT_ALLOWED',
	'ERR_JWT_EXPIRED',
	'ERR_JWT_NOT_YET_VALID',
	'ERR_JWT_AUDIENCE_INVALID',
	'ERR_JWT_ISSUER_INVALID',
	'ERR_JWT_CLAIM_INVALID'
] as const;

/** A reason a token was refused, named as jose names it where jose has a name. */
export type VerifyErrorCode = (typeof VERIFY_ERROR_CODES)[number];

/** Why a token was refused: `message` tells a learner what is wrong and what it means. */
export interface VerifyError {
	code: VerifyErrorCode;
	message: string;
}

/** A token whose signature and claims checked out. */
export interface VerifiedToken {
	header: Record<string, unknown>;
	payload: Record<string, unknown>;
}

/** What a token is checked against. */
export interface VerifyOptions {
	/** Simulated current time. */
	now: EpochSeconds;
	/** Accepted `iss` value(s); any issuer when absent. */
	issuer?: string | string[];
	/** Accepted `aud` value(s); any audience when absent. */
	audience?: string | string[];
	/** Allowed clock skew for `nbf` and `exp`, in seconds (default 0). */
	clockToleranceSeconds?: number;
}

/** A key set to verify against: a JWKS document, keys as plain JSON. */
export interface KeySet {
	keys: readonly Record<string, unknown>[];
}

/**
 * Verifies an access token against a key set: structure, `alg` (RS256 only), the key named by `kid`, the
 * signature, then `iss`, `aud`, `nbf` and `exp` at the simulated time `now`. Never throws: every refusal is
 * a {@link VerifyError}.
 */
export async function verifyAccessToken(
	token: string,
	jwks: KeySet,
	options: VerifyOptions
): Promise<Result<VerifiedToken, VerifyError>> {
	const decoded = decodeForDisplay(token);
	if (!decoded.ok) return err({ code: 'ERR_JWS_INVALID', message: decoded.error.message });
	const context: ErrorContext = { token: decoded.value, options, jwks };
	let keySet: JWTVerifyGetKey;
	try {
		keySet = createLocalJWKSet({ keys: [...jwks.keys] });
	} catch (cause) {
		return err(explain(cause, context));
	}
	const tolerance = options.clockToleranceSeconds ?? 0;
	const verifyOptions: JWTVerifyOptions = {
		algorithms: [ACCESS_TOKEN_ALGORITHM],
		currentDate: new Date(options.now * 1000),
		clockTolerance: Number.isFinite(tolerance) ? Math.max(0, tolerance) : 0,
		issuer: options.issuer,
		audience: options.audience
	};
	try {
		const { protectedHeader, payload } = await jwtVerify(token, keySet, verifyOptions);
		return ok({ header: { ...protectedHeader }, payload: { ...payload } });
	} catch (cause) {
		if (cause instanceof errors.JWKSMultipleMatchingKeys) {
			return verifyWithEachCandidate(token, cause, verifyOptions, context);
		}
		return err(explain(cause, context));
	}
}

/**
 * Several published keys fit the header (the same `kid` twice, or no `kid`): the token is good if one of
 * them verifies it. A claim error from a key whose signature matched is the real answer.
 */
async function verifyWithEachCandidate(
	token: string,
	candidates: errors.JWKSMultipleMatchingKeys,
	verifyOptions: JWTVerifyOptions,
	context: ErrorContext
): Promise<Result<VerifiedToken, VerifyError>> {
	let failure: unknown = new errors.JWSSignatureVerificationFailed();
	for await (const publicKey of candidates) {
		try {
			const { protectedHeader, payload } = await jwtVerify(token, publicKey, verifyOptions);
			return ok({ header: { ...protectedHeader }, payload: { ...payload } });
		} catch (cause) {
			if (cause instanceof errors.JWSSignatureVerificationFailed) continue;
			failure = cause;
			break;
		}
	}
	return err(explain(failure, context));
}

interface ErrorContext {
	token: DecodedToken;
	options: VerifyOptions;
	jwks: KeySet;
}

/** Maps a jose error (by `code`, and `claim` for claim failures) to a learner-facing {@link VerifyError}. */
function explain(cause: unknown, context: ErrorContext): VerifyError {
	const { header, payload } = context.token;
	const code = cause instanceof errors.JOSEError ? cause.code : undefined;
	const detail = cause instanceof Error ? cause.message : String(cause);
	switch (code) {
		case 'ERR_JOSE_ALG_NOT_ALLOWED':
			return { code: 'ERR_JOSE_ALG_NOT_ALLOWED', message: algorithmMessage(header.alg) };
		case 'ERR_JWKS_NO_MATCHING_KEY':
			return {
				code: 'ERR_JWKS_NO_MATCHING_KEY',
				message: noMatchingKeyMessage(header.kid, context.jwks)
			};
		case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
			return {
				code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
				message: `The signature does not match the header and payload. Either the token was changed after it was signed (changing even one character of a claim breaks the signature), or it was signed by a different private key${typeof header.kid === 'string' ? ` that claims the same kid "${header.kid}"` : ''}. Never edit a token: request a new one.`
			};
		case 'ERR_JWT_EXPIRED':
			return { code: 'ERR_JWT_EXPIRED', message: expiredMessage(payload.exp, context.options.now) };
		case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
			return claimError(cause as errors.JWTClaimValidationFailed, context);
		case 'ERR_JWS_INVALID':
		case 'ERR_JWT_INVALID':
			return {
				code: 'ERR_JWS_INVALID',
				message:
					typeof header.alg !== 'string'
						? 'The token\'s header has no "alg", so nobody can tell how it was signed. A signed JWT always names its algorithm (RS256 for Entra ID tokens).'
						: `This is not a valid signed JWT: ${detail}.`
			};
		default:
			return {
				code: 'ERR_JWKS_INVALID',
				message: `The key set (JWKS) the token is checked against cannot be used: ${detail}. A JWKS is {"keys":[…]} holding public RSA keys of at least 2048 bits, as served at the tenant's jwks_uri.`
			};
	}
}

function claimError(cause: errors.JWTClaimValidationFailed, context: ErrorContext): VerifyError {
	const { payload } = context.token;
	const { now, audience, issuer } = context.options;
	const failedCheck = cause.reason === 'check_failed';
	if (cause.claim === 'nbf' && failedCheck && typeof payload.nbf === 'number') {
		return {
			code: 'ERR_JWT_NOT_YET_VALID',
			message: `This token is not valid before ${isoTime(payload.nbf as EpochSeconds)} ("nbf"), ${describeDuration(payload.nbf - now)} after the current time ${isoTime(now)}. A service accepts a token only from its "nbf" time on; a token from the future means a clock is wrong or the token was forged.`
		};
	}
	if (cause.claim === 'aud' && audience !== undefined) {
		return {
			code: 'ERR_JWT_AUDIENCE_INVALID',
			message: `${payload.aud === undefined ? 'This token has no audience ("aud")' : `This token was issued for the audience ${listOf(payload.aud)} ("aud")`}, but this service accepts only ${listOf(audience)}. A token is good for one resource only: request a new one with resource=${first(audience)}.`
		};
	}
	if (cause.claim === 'iss' && issuer !== undefined) {
		return {
			code: 'ERR_JWT_ISSUER_INVALID',
			message: `${payload.iss === undefined ? 'This token has no issuer ("iss")' : `This token was issued by ${listOf(payload.iss)} ("iss")`}, but this service trusts only ${listOf(issuer)}. Tokens from another tenant or another token service are refused.`
		};
	}
	const value = payload[cause.claim];
	const problem =
		cause.reason === 'invalid'
			? `must be a number of seconds since 1970-01-01 (a NumericDate), but it is ${JSON.stringify(value)}`
			: cause.reason === 'missing'
				? 'is required but missing'
				: `failed its check (${cause.message})`;
	return {
		code: 'ERR_JWT_CLAIM_INVALID',
		message: `The "${cause.claim}" claim ${problem}. The token service did not produce this token, or it was changed.`
	};
}

function algorithmMessage(alg: unknown): string {
	if (alg === 'none') {
		return 'The token\'s header says "alg": "none": the token is unsigned, so anyone could have written it. Only RS256 tokens, signed with Entra ID\'s private key, are accepted.';
	}
	if (typeof alg === 'string' && /^HS/i.test(alg)) {
		return `The token's header says "alg": "${alg}", a shared-secret (HMAC) algorithm. Entra ID signs access tokens with RS256: a private key only Entra ID holds signs them, and services check them with the public key from the tenant's JWKS. Anyone who knows an HMAC secret can make an ${alg} token, so it is refused.`;
	}
	return `The token's header says "alg": ${JSON.stringify(alg)}, but only RS256 is accepted: that is the algorithm Entra ID signs access tokens with.`;
}

function noMatchingKeyMessage(kid: unknown, jwks: KeySet): string {
	const published = jwks.keys
		.map((key) => key.kid)
		.filter((k): k is string => typeof k === 'string');
	const set =
		published.length === 0
			? 'the key set (JWKS) has no usable key at all'
			: `the tenant's key set (JWKS) holds only ${published.map((k) => `"${k}"`).join(', ')}`;
	const named =
		typeof kid === 'string'
			? `The token's header names the signing key kid "${kid}", but ${set}.`
			: `The token's header names no signing key ("kid" is missing), and ${set}.`;
	return `${named} The key may have been rolled over and removed, or the token was signed with a key this tenant never published. Request a new token: it is signed with a current key.`;
}

function expiredMessage(exp: unknown, now: EpochSeconds): string {
	if (typeof exp !== 'number')
		return 'This token has expired ("exp" is in the past). Request a new one.';
	const when =
		now === exp
			? 'which is exactly the current time'
			: `${describeDuration(now - exp)} before the current time ${isoTime(now)}`;
	return `This token expired at ${isoTime(exp as EpochSeconds)} ("exp"), ${when}. A token is accepted only before its "exp" time: request a new one (managed identity tokens live about 24 hours).`;
}

function listOf(value: unknown): string {
	return Array.isArray(value)
		? value.map((v) => JSON.stringify(v)).join(' or ')
		: JSON.stringify(value);
}

function first(value: string | string[]): string {
	return Array.isArray(value) ? (value[0] ?? '') : value;
}
