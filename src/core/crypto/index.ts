/**
 * The core's crypto: the only place that uses jose and @peculiar/x509. Signing keys, access-token signing
 * and verification, decoding for display, JWKS documents, certificate thumbprints and the managed identity
 * credential certificate. Everything runs on Web Crypto (`globalThis.crypto.subtle`), in Node and browsers.
 */
export {
	ACCESS_TOKEN_ALGORITHM,
	VERIFY_ERROR_CODES,
	signAccessToken,
	verifyAccessToken
} from './access-token.ts';
export type {
	KeySet,
	VerifiedToken,
	VerifyError,
	VerifyErrorCode,
	VerifyOptions
} from './access-token.ts';
export {
	SIGNING_CERTIFICATE_SUBJECT,
	SIGNING_CERTIFICATE_VALIDITY_SECONDS,
	certificateSummary,
	thumbprintOfCertificate
} from './certificate.ts';
export type { CertificateError, CertificateSummary, CertificateThumbprint } from './certificate.ts';
export { sha256Base64Url, sha256Hex } from './digest.ts';
export {
	base64ToBytes,
	base64UrlToBytes,
	bytesToBase64,
	bytesToBase64Url,
	bytesToHex,
	utf8Bytes
} from './encoding.ts';
export {
	IDENTITY_CERTIFICATE_ISSUER,
	IDENTITY_CERTIFICATE_LIFETIME_SECONDS,
	IDENTITY_CERTIFICATE_RENEW_AFTER_SECONDS,
	currentIdentityCertificate,
	identityCertificateFor
} from './identity-certificate.ts';
export { decodeForDisplay } from './jwt-decode.ts';
export type { DecodeError, DecodedToken } from './jwt-decode.ts';
export {
	createSigningKey,
	importSigningKey,
	jwksDocument,
	signingKeyIssuer
} from './signing-key.ts';
export type {
	CreateSigningKeyOptions,
	JwksDocument,
	KeyRing,
	PublicSigningJwk,
	SelfSignAt,
	SigningKey,
	SigningKeyError
} from './signing-key.ts';
