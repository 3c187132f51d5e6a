import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { DEFAULT_START, addSeconds } from '../../../src/core/clock.ts';
import {
	SIGNING_CERTIFICATE_SUBJECT,
	SIGNING_CERTIFICATE_VALIDITY_SECONDS,
	certificateSummary,
	thumbprintOfCertificate
} from '../../../src/core/crypto/certificate.ts';
import { signAccessToken, verifyAccessToken } from '../../../src/core/crypto/access-token.ts';
import {
	createSigningKey,
	importSigningKey,
	jwksDocument,
	signingKeyIssuer
} from '../../../src/core/crypto/signing-key.ts';
import type { SigningKey } from '../../../src/core/crypto/signing-key.ts';
import {
	FIXTURE_CERTIFICATE_PEM as CERT_PEM,
	FIXTURE_KEY_PEM as KEY_PEM
} from '../../fixtures/files.ts';

/** `openssl x509 -noout -fingerprint -sha1` of the fixture certificate: an independent thumbprint. */
const OPENSSL_SHA1 = '99:41:FC:3B:DF:37:DF:4D:26:2E:16:E1:6C:B0:D3:1E:4A:2F:EF:6D';
const FIXTURE_X5T = Buffer.from(OPENSSL_SHA1.replace(/:/g, ''), 'hex').toString('base64url');
const TENANT = '4a5b6c7d-1e2f-4a3b-9c8d-7e6f5a4b3c2d';

async function spki(key: CryptoKey): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.exportKey('spki', key));
}

function toPkcs8Pem(der: ArrayBuffer): string {
	const body =
		Buffer.from(der)
			.toString('base64')
			.match(/.{1,64}/g) ?? [];
	return `-----BEGIN PRIVATE KEY-----\n${body.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

async function importFixture(): Promise<SigningKey> {
	const result = await importSigningKey(KEY_PEM, CERT_PEM, { tenantId: TENANT });
	if (!result.ok) throw new Error(result.error.message);
	return result.value;
}

describe('createSigningKey', () => {
	const now = addSeconds(DEFAULT_START, 3600);

	it('makes an RSA-2048 key whose private half cannot be exported', async () => {
		const key = await createSigningKey({ now, tenantId: TENANT });
		expect(key.privateKey.extractable).toBe(false);
		expect(key.privateKey.type).toBe('private');
		await expect(crypto.subtle.exportKey('pkcs8', key.privateKey)).rejects.toThrow();
		await expect(crypto.subtle.exportKey('jwk', key.privateKey)).rejects.toThrow();
		expect(key.publicKey.extractable).toBe(true);
		expect((key.publicKey.algorithm as RsaHashedKeyAlgorithm).modulusLength).toBe(2048);
		expect((key.publicKey.algorithm as RsaHashedKeyAlgorithm).hash.name).toBe('SHA-256');
	});

	it('publishes a JWKS entry shaped like Entra ID: kty, use, kid = x5t, n, e, x5c, issuer', async () => {
		const key = await createSigningKey({ now, tenantId: TENANT });
		const jwk = key.publicJwk;
		expect(Object.keys(jwk)).toEqual(['kty', 'use', 'kid', 'x5t', 'n', 'e', 'x5c', 'issuer']);
		expect(jwk.kty).toBe('RSA');
		expect(jwk.use).toBe('sig');
		expect(jwk.e).toBe('AQAB');
		expect(Buffer.from(jwk.n, 'base64url')).toHaveLength(256);
		expect(jwk.kid).toBe(jwk.x5t);
		expect(key.kid).toBe(jwk.kid);
		expect(key.x5t).toBe(jwk.x5t);
		expect(jwk.issuer).toBe(`https://login.microsoftonline.com/${TENANT}/v2.0`);
		expect(jwk.x5c).toHaveLength(1);
		const thumbprint = await thumbprintOfCertificate(jwk.x5c[0] ?? '');
		expect(thumbprint.ok && thumbprint.value.x5t).toBe(jwk.x5t);
	});

	it('certifies the key it made: same public key, self-signed, valid from now for five years', async () => {
		const key = await createSigningKey({ now, tenantId: TENANT });
		const certificate = new X509Certificate(key.certificatePem);
		expect(new Uint8Array(certificate.publicKey.rawData)).toEqual(await spki(key.publicKey));
		expect(await certificate.verify({ signatureOnly: true }, crypto)).toBe(true);
		const summary = await certificateSummary(key.certificatePem);
		expect(summary).toEqual({
			ok: true,
			value: {
				subject: SIGNING_CERTIFICATE_SUBJECT,
				issuer: SIGNING_CERTIFICATE_SUBJECT,
				serialNumber: expect.stringMatching(/^[4-7][0-9a-f]{31}$/) as unknown,
				notBefore: now,
				notAfter: addSeconds(now, SIGNING_CERTIFICATE_VALIDITY_SECONDS),
				selfIssued: true
			}
		});
	});

	it('uses the subject it is given', async () => {
		const key = await createSigningKey({ now, tenantId: TENANT, subjectName: 'CN=lab-signing' });
		const summary = await certificateSummary(key.certificatePem);
		expect(summary.ok && [summary.value.subject, summary.value.issuer]).toEqual([
			'CN=lab-signing',
			'CN=lab-signing'
		]);
	});

	it('makes a new key pair (and so a new kid) every time', async () => {
		const [a, b] = await Promise.all([
			createSigningKey({ now, tenantId: TENANT }),
			createSigningKey({ now, tenantId: TENANT })
		]);
		expect(a.kid).not.toBe(b.kid);
		expect(a.publicJwk.n).not.toBe(b.publicJwk.n);
	});

	it('signs tokens that its own JWKS entry verifies', async () => {
		const key = await createSigningKey({ now, tenantId: TENANT });
		const token = await signAccessToken(key, { aud: 'https://vault.azure.net', exp: now + 60 });
		const verified = await verifyAccessToken(token, jwksDocument([key.publicJwk]), { now });
		expect(verified.ok).toBe(true);
	});
});

describe('importSigningKey', () => {
	it('reads the fixture key and certificate; kid is the thumbprint openssl computes', async () => {
		const key = await importFixture();
		expect(key.kid).toBe(FIXTURE_X5T);
		expect(key.x5t).toBe(FIXTURE_X5T);
		expect(key.publicJwk.kid).toBe(FIXTURE_X5T);
		expect(key.publicJwk.issuer).toBe(signingKeyIssuer(TENANT));
		expect(key.certificatePem).toBe(CERT_PEM);
		expect(key.privateKey.extractable).toBe(false);
		await expect(crypto.subtle.exportKey('pkcs8', key.privateKey)).rejects.toThrow();
	});

	it('self-signs the same certificate, byte for byte, at the same instant', async () => {
		const result = await importSigningKey(KEY_PEM, { now: DEFAULT_START });
		expect(result.ok && result.value.certificatePem).toBe(CERT_PEM);
		expect(result.ok && result.value.kid).toBe(FIXTURE_X5T);
		expect(result.ok && 'issuer' in result.value.publicJwk).toBe(false);
	});

	it('self-signs a different certificate (and kid) at a different instant', async () => {
		const result = await importSigningKey(KEY_PEM, { now: addSeconds(DEFAULT_START, 1) });
		expect(result.ok && result.value.kid).not.toBe(FIXTURE_X5T);
	});

	it('refuses text that is not a PKCS#8 private key', async () => {
		const result = await importSigningKey('not a key', CERT_PEM);
		expect(result).toEqual({
			ok: false,
			error: { code: 'ERR_KEY_INVALID', message: expect.stringContaining('PKCS#8') as unknown }
		});
	});

	it('refuses an EC key', async () => {
		const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
			'sign',
			'verify'
		]);
		const pem = toPkcs8Pem(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
		const result = await importSigningKey(pem, { now: DEFAULT_START });
		expect(!result.ok && result.error.code).toBe('ERR_KEY_INVALID');
	});

	it('refuses an RSA key shorter than 2048 bits', async () => {
		const pair = await crypto.subtle.generateKey(
			{
				name: 'RSASSA-PKCS1-v1_5',
				modulusLength: 1024,
				publicExponent: new Uint8Array([1, 0, 1]),
				hash: 'SHA-256'
			},
			true,
			['sign', 'verify']
		);
		const pem = toPkcs8Pem(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
		const result = await importSigningKey(pem, { now: DEFAULT_START });
		expect(result).toEqual({
			ok: false,
			error: { code: 'ERR_KEY_INVALID', message: expect.stringContaining('1024 bits') as unknown }
		});
	});

	it('refuses a certificate made for another key', async () => {
		const other = await createSigningKey({ now: DEFAULT_START, tenantId: TENANT });
		const result = await importSigningKey(KEY_PEM, other.certificatePem);
		expect(!result.ok && result.error.code).toBe('ERR_CERTIFICATE_KEY_MISMATCH');
	});

	it('refuses a certificate that is not one', async () => {
		const broken = CERT_PEM.replace(/MII[A-Za-z0-9+/]{8}/, 'AAAAAAAAAAA');
		for (const certificate of ['hello', broken]) {
			const result = await importSigningKey(KEY_PEM, certificate);
			expect(!result.ok && result.error.code).toBe('ERR_CERTIFICATE_INVALID');
		}
	});
});

describe('jwksDocument', () => {
	it('publishes the public JWK unchanged', async () => {
		const key = await importFixture();
		expect(jwksDocument([key.publicJwk])).toEqual({ keys: [key.publicJwk] });
	});

	it('never publishes private members, whatever it is given', () => {
		const leaky = {
			kty: 'RSA',
			kid: 'k',
			n: 'nn',
			e: 'AQAB',
			d: 'secret',
			p: 'p',
			q: 'q',
			dp: '1',
			dq: '2',
			qi: '3'
		};
		const symmetric = { kty: 'oct', kid: 's', k: 'c2VjcmV0' };
		expect(jwksDocument([leaky, symmetric])).toEqual({
			keys: [
				{ kty: 'RSA', kid: 'k', n: 'nn', e: 'AQAB' },
				{ kty: 'oct', kid: 's' }
			]
		});
	});

	it('keeps the keys in the order given (active key first is the caller’s choice)', () => {
		const keys = [
			{ kty: 'RSA', kid: 'b' },
			{ kty: 'RSA', kid: 'a' }
		];
		expect(jwksDocument(keys).keys.map((k) => k.kid)).toEqual(['b', 'a']);
	});
});
