/**
 * The credential certificate Entra ID holds for each managed identity, as the learner is shown it. Azure
 * issues it from the managed identity resource provider, lets it live 90 days and rolls it after 45
 * (reference 4.3). The learner never sees a key, so this is a computed record, not a real certificate.
 */
import type { IdentityCertificate } from '../azure/model.ts';
import { addSeconds } from '../clock.ts';
import type { EpochSeconds } from '../clock.ts';
import { seededOpaque } from '../ids.ts';

/** Issuer name of managed identity credential certificates: a simulator choice (Azure does not show it). */
export const IDENTITY_CERTIFICATE_ISSUER = 'CN=Managed Identity Credential CA';

/** A managed identity certificate is valid for 90 days (reference 4.3). */
export const IDENTITY_CERTIFICATE_LIFETIME_SECONDS = 90 * 24 * 60 * 60;

/** Azure rolls a managed identity certificate 45 days after issuing it, half its life (reference 4.3). */
export const IDENTITY_CERTIFICATE_RENEW_AFTER_SECONDS = 45 * 24 * 60 * 60;

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The certificate issued to a managed identity's service principal at `issuedAt`. The thumbprint is 40
 * upper-case hex digits (the shape of a SHA-1 thumbprint), derived from the principal id and the issue time,
 * so the same identity and time always give the same certificate.
 */
export function identityCertificateFor(
	principalId: string,
	issuedAt: EpochSeconds
): IdentityCertificate {
	// Every token request shows the current certificate's thumbprint: derive it once per certificate.
	const memoKey = `${principalId}@${issuedAt}`;
	const known = certificates.get(memoKey);
	if (known !== undefined) return { ...known };
	const made = deriveCertificate(principalId, issuedAt);
	if (certificates.size >= 4096) certificates.clear();
	certificates.set(memoKey, made);
	return { ...made };
}

const certificates = new Map<string, IdentityCertificate>();

function deriveCertificate(principalId: string, issuedAt: EpochSeconds): IdentityCertificate {
	const opaque = seededOpaque('identity-certificate', `${principalId}@${issuedAt}`, 40);
	let thumbprint = '';
	for (const char of opaque) {
		// Each opaque character stands for six random bits; its low four make one hex digit.
		thumbprint += (BASE64URL_ALPHABET.indexOf(char) & 15).toString(16);
	}
	return {
		thumbprint: thumbprint.toUpperCase(),
		issuer: IDENTITY_CERTIFICATE_ISSUER,
		notBefore: issuedAt,
		notAfter: addSeconds(issuedAt, IDENTITY_CERTIFICATE_LIFETIME_SECONDS),
		renewAfter: addSeconds(issuedAt, IDENTITY_CERTIFICATE_RENEW_AFTER_SECONDS)
	};
}

/**
 * The certificate a managed identity holds at `now`, given when its first certificate was issued: Azure
 * replaces the certificate each time one reaches its `renewAfter`, so after 100 days the identity holds its
 * third certificate (issued on day 90). Before `firstIssuedAt`, the first certificate.
 */
export function currentIdentityCertificate(
	principalId: string,
	firstIssuedAt: EpochSeconds,
	now: EpochSeconds
): IdentityCertificate {
	const renewals = Math.max(
		0,
		Math.floor((now - firstIssuedAt) / IDENTITY_CERTIFICATE_RENEW_AFTER_SECONDS)
	);
	return identityCertificateFor(
		principalId,
		addSeconds(firstIssuedAt, renewals * IDENTITY_CERTIFICATE_RENEW_AFTER_SECONDS)
	);
}
