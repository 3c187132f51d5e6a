/**
 * Tenant token-signing keys: an RSA-2048 key pair whose private half never leaves Web Crypto, a self-signed
 * certificate for it, and the public JWK that the tenant's JWKS publishes (reference 3.1, 3.5).
 */
import { exportJWK, generateKeyPair, importPKCS8 } from 'jose';
import type { EpochSeconds } from '../clock.ts';
import { err, ok } from '../result.ts';
import type { Result } from '../result.ts';
import {
	SIGNING_CERTIFICATE_SUBJECT,
	certificateDer,
	certificatePublicKeySpki,
	createSelfSignedCertificate,
	thumbprintOfDer
} from './certificate.ts';
import { base64UrlToBytes, bytesToBase64, derToPem } from './encoding.ts';

/** The Web Crypto algorithm behind RS256. */
const RS256_KEY_ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** The smallest RSA modulus jose (and Entra ID) accept for RS256. */
const MIN_MODULUS_BITS = 2048;

/** A public signing key as Entra ID publishes it in a JWKS, members in Entra's order (reference 3.5). */
export type PublicSigningJwk = {
	kty: 'RSA';
	use: 'sig';
	/** Same value as `x5t`. */
	kid: string;
	/** Base64url SHA-1 thumbprint of the DER certificate in `x5c`. */
	x5t: string;
	/** RSA modulus, base64url. */
	n: string;
	/** RSA public exponent, base64url (`AQAB` = 65537). */
	e: string;
	/** The self-signed certificate, standard base64 DER. */
	x5c: string[];
	/** The issuer this key may sign for, e.g. `https://login.microsoftonline.com/{tenantId}/v2.0`. */
	issuer?: string;
};

/** A token-signing key. The private key is a non-extractable CryptoKey: it signs, it cannot be read out. */
export interface SigningKey {
	kid: string;
	x5t: string;
	privateKey: CryptoKey;
	publicKey: CryptoKey;
	publicJwk: PublicSigningJwk;
	certificatePem: string;
}

/** The private signing keys of a tenant, by `kid` (token/key-ring.ts makes one). */
export interface KeyRing {
	/** The key with this `kid`, if the ring holds its private half. */
	get(kid: string): SigningKey | undefined;
	/** Keeps a key (replacing one with the same `kid`). */
	add(key: SigningKey): void;
	/** The `kid`s held, in the order they were added. */
	kids(): string[];
}

/** Why a signing key could not be imported. */
export interface SigningKeyError {
	code: 'ERR_KEY_INVALID' | 'ERR_CERTIFICATE_INVALID' | 'ERR_CERTIFICATE_KEY_MISMATCH';
	message: string;
}

/** Inputs of a new signing key. */
export interface CreateSigningKeyOptions {
	/** Simulated creation time: the certificate's `notBefore`. */
	now: EpochSeconds;
	/** Tenant whose tokens the key signs; names the JWK's `issuer`. */
	tenantId: string;
	/** Certificate subject; defaults to {@link SIGNING_CERTIFICATE_SUBJECT}. */
	subjectName?: string;
}

/** How to get a certificate for an imported key when none is given: self-sign one at `now`. */
export interface SelfSignAt {
	now: EpochSeconds;
	subjectName?: string;
}

/** The `issuer` member Entra ID puts on a tenant's JWKS keys (the v2 issuer of that tenant). */
export function signingKeyIssuer(tenantId: string): string {
	return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

/**
 * A fresh RSA-2048 RS256 signing key with a self-signed certificate valid from `now`. The private key is not
 * extractable; the public key is (Web Crypto always makes the public half of a pair extractable).
 */
export async function createSigningKey(options: CreateSigningKeyOptions): Promise<SigningKey> {
	const keys = await generateKeyPair('RS256', { extractable: false, modulusLength: 2048 });
	const der = await createSelfSignedCertificate(keys, {
		notBefore: options.now,
		subjectName: options.subjectName ?? SIGNING_CERTIFICATE_SUBJECT
	});
	return assembleSigningKey(keys, der, signingKeyIssuer(options.tenantId));
}

/**
 * A signing key from a PKCS#8 PEM (for fixtures: tokens signed with a committed key are the same byte for
 * byte on every run). `certificate` is the key's certificate PEM, or the time at which to self-sign one; a
 * self-signed certificate is deterministic too. `tenantId`, when given, names the JWK's `issuer`.
 */
export async function importSigningKey(
	pkcs8Pem: string,
	certificate: string | SelfSignAt,
	options: { tenantId?: string } = {}
): Promise<Result<SigningKey, SigningKeyError>> {
	let privateKey: CryptoKey;
	let readable: CryptoKey;
	try {
		// The public half is derived from a short-lived extractable copy; the key kept is not extractable.
		readable = await importPKCS8(pkcs8Pem, 'RS256', { extractable: true });
		privateKey = await importPKCS8(pkcs8Pem, 'RS256', { extractable: false });
	} catch (cause) {
		return err({
			code: 'ERR_KEY_INVALID',
			message: `This is not an RSA private key in PKCS#8 PEM form ("-----BEGIN PRIVATE KEY-----"): ${describe(cause)}. Convert it with "openssl pkcs8 -topk8 -nocrypt".`
		});
	}
	const { n, e } = await exportJWK(readable);
	const modulus = typeof n === 'string' ? base64UrlToBytes(n) : null;
	if (modulus === null || typeof e !== 'string' || modulus.length * 8 < MIN_MODULUS_BITS) {
		return err({
			code: 'ERR_KEY_INVALID',
			message: `The RSA key is ${modulus ? modulus.length * 8 : 'of unknown'} bits; RS256 needs at least ${MIN_MODULUS_BITS}. Generate a new key with "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048".`
		});
	}
	const publicKey = await globalThis.crypto.subtle.importKey(
		'jwk',
		{ kty: 'RSA', n, e, ext: true },
		RS256_KEY_ALGORITHM,
		true,
		['verify']
	);
	const keys = { privateKey, publicKey };
	let der: Uint8Array;
	if (typeof certificate === 'string') {
		const given = certificateDer(certificate);
		const spki = await certificatePublicKeySpki(certificate);
		if (!given.ok) return given;
		if (!spki.ok) return spki;
		const ours = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', publicKey));
		if (!sameBytes(ours, spki.value)) {
			return err({
				code: 'ERR_CERTIFICATE_KEY_MISMATCH',
				message:
					'The certificate belongs to a different key: its public key is not the public half of this private key. Use the certificate that was made for this key.'
			});
		}
		der = given.value;
	} else {
		der = await createSelfSignedCertificate(keys, {
			notBefore: certificate.now,
			subjectName: certificate.subjectName ?? SIGNING_CERTIFICATE_SUBJECT
		});
	}
	const issuer = options.tenantId === undefined ? undefined : signingKeyIssuer(options.tenantId);
	return ok(await assembleSigningKey(keys, der, issuer));
}

async function assembleSigningKey(
	keys: CryptoKeyPair,
	der: Uint8Array,
	issuer: string | undefined
): Promise<SigningKey> {
	const { n, e } = await exportJWK(keys.publicKey);
	if (typeof n !== 'string' || typeof e !== 'string') {
		throw new Error('Web Crypto exported an RSA public key without "n" or "e".');
	}
	const { x5t } = await thumbprintOfDer(der);
	const publicJwk: PublicSigningJwk = {
		kty: 'RSA',
		use: 'sig',
		kid: x5t,
		x5t,
		n,
		e,
		x5c: [bytesToBase64(der)]
	};
	if (issuer !== undefined) publicJwk.issuer = issuer;
	return {
		kid: x5t,
		x5t,
		privateKey: keys.privateKey,
		publicKey: keys.publicKey,
		publicJwk,
		certificatePem: derToPem(der, 'CERTIFICATE')
	};
}

/** A JSON Web Key Set document, as served at a tenant's `jwks_uri`. */
export interface JwksDocument {
	keys: Record<string, unknown>[];
}

/** Members a public JWK may carry (RFC 7517, RFC 7518, and Entra ID's `issuer`); others are dropped. */
const PUBLIC_JWK_MEMBERS = new Set([
	'kty',
	'use',
	'key_ops',
	'alg',
	'kid',
	'x5u',
	'x5c',
	'x5t',
	'x5t#S256',
	'n',
	'e',
	'crv',
	'x',
	'y',
	'issuer'
]);

/**
 * The JWKS document for a list of keys, each reduced to its public members in its own order: whatever is
 * passed in, private parameters (`d`, `p`, `q`, …, or a symmetric `k`) are never published.
 */
export function jwksDocument(keys: readonly Record<string, unknown>[]): JwksDocument {
	return {
		keys: keys.map((key) =>
			Object.fromEntries(Object.entries(key).filter(([name]) => PUBLIC_JWK_MEMBERS.has(name)))
		)
	};
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function describe(cause: unknown): string {
	return cause instanceof Error ? cause.message : String(cause);
}
