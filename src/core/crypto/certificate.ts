/**
 * X.509 certificates for token-signing keys, through `@peculiar/x509` (imported only by ./x509.ts, and only when
 * the first certificate is made or read: it is a large module the lab must not evaluate while it starts). Entra ID
 * publishes each signing key with a self-signed certificate in the JWKS `x5c` member; the certificate's
 * SHA-1 thumbprint in base64url is the key's `x5t` and `kid` (reference 3.1, 3.5).
 */
import type { X509Certificate } from './x509.ts';
import { epochSeconds } from '../clock.ts';
import type { EpochSeconds } from '../clock.ts';
import { err, ok } from '../result.ts';
import type { Result } from '../result.ts';
import { digestBytes } from './digest.ts';
import { base64ToBytes, bytesToBase64Url, bytesToHex, pemToDer, utf8Bytes } from './encoding.ts';

let x509Module: Promise<typeof import('./x509.ts')> | null = null;
const loadX509 = () => (x509Module ??= import('./x509.ts'));

/**
 * Subject (and issuer) of the simulated tenant signing certificates: the name Entra ID's published signing
 * certificates carry. A simulator choice, not stated in the reference.
 */
export const SIGNING_CERTIFICATE_SUBJECT = 'CN=accounts.accesscontrol.windows.net';

/** Validity of a simulated signing certificate: five years of 365 days (a simulator choice). */
export const SIGNING_CERTIFICATE_VALIDITY_SECONDS = 5 * 365 * 24 * 60 * 60;

/** The Web Crypto signature of a certificate: RSASSA-PKCS1-v1_5 is deterministic, so same input, same DER. */
const CERTIFICATE_SIGNATURE = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** Why a certificate could not be read. */
export interface CertificateError {
	code: 'ERR_CERTIFICATE_INVALID';
	message: string;
}

/** The fields of a certificate a learner is shown next to a JWKS key. */
export interface CertificateSummary {
	subject: string;
	issuer: string;
	/** Lower-case hex, without a sign byte. */
	serialNumber: string;
	notBefore: EpochSeconds;
	notAfter: EpochSeconds;
	/** True when subject and issuer are the same name, as for Entra ID's signing certificates. */
	selfIssued: boolean;
}

/** A certificate's SHA-1 thumbprint in the two spellings Azure uses. */
export interface CertificateThumbprint {
	/** Base64url, as in a JWT header's `x5t` and Entra ID's `kid`. */
	x5t: string;
	/** Upper-case hex, as the portal and `az` print certificate thumbprints. */
	sha1Hex: string;
}

/** Thumbprint of DER certificate bytes. */
export async function thumbprintOfDer(der: Uint8Array): Promise<CertificateThumbprint> {
	const sha1 = await digestBytes('SHA-1', der);
	return { x5t: bytesToBase64Url(sha1), sha1Hex: bytesToHex(sha1).toUpperCase() };
}

/**
 * DER bytes of a certificate given as PEM (`-----BEGIN CERTIFICATE-----`) or as the bare base64 of an
 * `x5c` entry.
 */
export function certificateDer(
	certificate: string
): Result<Uint8Array<ArrayBuffer>, CertificateError> {
	if (certificate.includes('-----BEGIN')) {
		const der = pemToDer(certificate, 'CERTIFICATE');
		return der.ok ? der : err({ code: 'ERR_CERTIFICATE_INVALID', message: der.error.message });
	}
	const der = base64ToBytes(certificate.trim());
	if (der === null || der.length === 0) {
		return err({
			code: 'ERR_CERTIFICATE_INVALID',
			message:
				'This is neither a PEM certificate nor the base64 of one (an "x5c" entry): expected "-----BEGIN CERTIFICATE-----" or standard base64 text.'
		});
	}
	return ok(der);
}

/** Thumbprint (`x5t` and hex) of a certificate given as PEM or as an `x5c` entry. */
export async function thumbprintOfCertificate(
	certificate: string
): Promise<Result<CertificateThumbprint, CertificateError>> {
	const der = await readCertificateDer(certificate);
	return der.ok ? ok(await thumbprintOfDer(der.value.der)) : der;
}

/** Subject, issuer, serial and validity of a certificate given as PEM or as an `x5c` entry. */
export async function certificateSummary(
	certificate: string
): Promise<Result<CertificateSummary, CertificateError>> {
	const parsed = await readCertificateDer(certificate);
	if (!parsed.ok) return parsed;
	const { x509 } = parsed.value;
	return ok({
		subject: x509.subject,
		issuer: x509.issuer,
		serialNumber: x509.serialNumber.toLowerCase(),
		notBefore: epochSeconds(x509.notBefore.getTime() / 1000),
		notAfter: epochSeconds(x509.notAfter.getTime() / 1000),
		selfIssued: x509.subject === x509.issuer
	});
}

/** The certificate's SubjectPublicKeyInfo (DER), from which its public key is imported. */
export async function certificatePublicKeySpki(
	certificate: string
): Promise<Result<Uint8Array, CertificateError>> {
	const parsed = await readCertificateDer(certificate);
	return parsed.ok ? ok(new Uint8Array(parsed.value.x509.publicKey.rawData)) : parsed;
}

async function readCertificateDer(
	certificate: string
): Promise<Result<{ der: Uint8Array<ArrayBuffer>; x509: X509Certificate }, CertificateError>> {
	const der = certificateDer(certificate);
	if (!der.ok) return der;
	const { X509Certificate } = await loadX509();
	try {
		return ok({ der: der.value, x509: new X509Certificate(der.value) });
	} catch (cause) {
		return err({
			code: 'ERR_CERTIFICATE_INVALID',
			message: `The bytes are base64 but not an X.509 certificate (${cause instanceof Error ? cause.message : String(cause)}).`
		});
	}
}

/** What a self-signed signing certificate is made from. */
export interface SelfSignedCertificateOptions {
	/** Start of validity; the certificate is valid for {@link SIGNING_CERTIFICATE_VALIDITY_SECONDS}. */
	notBefore: EpochSeconds;
	/** Distinguished name, e.g. `CN=accounts.accesscontrol.windows.net`. */
	subjectName: string;
}

/**
 * A self-signed certificate (DER) for an RSA key pair, signed with the private key. The serial number is the
 * first 16 bytes of SHA-256 over the subject, the start of validity and the public key, so the same key and
 * inputs always give the same certificate, byte for byte.
 */
export async function createSelfSignedCertificate(
	keys: CryptoKeyPair,
	options: SelfSignedCertificateOptions
): Promise<Uint8Array> {
	const spki = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', keys.publicKey));
	const seed = utf8Bytes(`${options.subjectName}\n${options.notBefore}\n`);
	const material = new Uint8Array(seed.length + spki.length);
	material.set(seed);
	material.set(spki, seed.length);
	const serial = (await digestBytes('SHA-256', material)).slice(0, 16);
	// Positive and without a leading zero byte, so DER keeps all 16 bytes.
	serial[0] = ((serial[0] ?? 0) & 0x3f) | 0x40;
	const { BasicConstraintsExtension, KeyUsageFlags, KeyUsagesExtension, X509CertificateGenerator } =
		await loadX509();
	const certificate = await X509CertificateGenerator.createSelfSigned(
		{
			serialNumber: bytesToHex(serial),
			name: options.subjectName,
			notBefore: new Date(options.notBefore * 1000),
			notAfter: new Date((options.notBefore + SIGNING_CERTIFICATE_VALIDITY_SECONDS) * 1000),
			keys,
			signingAlgorithm: CERTIFICATE_SIGNATURE,
			// An end-entity key that only signs; X.509 also forbids an empty extensions list.
			extensions: [
				new BasicConstraintsExtension(false, undefined, true),
				new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true)
			]
		},
		globalThis.crypto
	);
	return new Uint8Array(certificate.rawData);
}
