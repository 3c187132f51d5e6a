import { describe, expect, it } from 'vitest';
import { DEFAULT_START, addSeconds } from '../../../src/core/clock.ts';
import {
	SIGNING_CERTIFICATE_SUBJECT,
	SIGNING_CERTIFICATE_VALIDITY_SECONDS,
	certificateDer,
	certificateSummary,
	thumbprintOfCertificate
} from '../../../src/core/crypto/certificate.ts';
import { FIXTURE_CERTIFICATE_PEM as CERT_PEM } from '../../fixtures/files.ts';

/** Both from `openssl x509 -noout -fingerprint -sha1 -serial` on the fixture certificate. */
const OPENSSL_SHA1 = '9941FC3BDF37DF4D262E16E16CB0D31E4A2FEF6D';
const OPENSSL_SERIAL = '6b828ae690f69efeae8faf8a41b5af12';
const X5C = CERT_PEM.replace(/-----[A-Z ]+-----|\s/g, '');

describe('thumbprintOfCertificate', () => {
	it('matches the SHA-1 fingerprint openssl computes, as base64url x5t and as hex', async () => {
		expect(await thumbprintOfCertificate(CERT_PEM)).toEqual({
			ok: true,
			value: {
				x5t: Buffer.from(OPENSSL_SHA1, 'hex').toString('base64url'),
				sha1Hex: OPENSSL_SHA1
			}
		});
	});

	it('reads an x5c entry (bare base64 DER) and a PEM with CRLF line ends the same way', async () => {
		const fromPem = await thumbprintOfCertificate(CERT_PEM);
		expect(await thumbprintOfCertificate(X5C)).toEqual(fromPem);
		expect(await thumbprintOfCertificate(CERT_PEM.replace(/\n/g, '\r\n'))).toEqual(fromPem);
	});

	it('refuses text that is not a certificate, saying why', async () => {
		const notBase64 = await thumbprintOfCertificate('not a certificate');
		expect(!notBase64.ok && notBase64.error.message).toContain('neither a PEM certificate');
		const notDer = await thumbprintOfCertificate('AAAA');
		expect(!notDer.ok && notDer.error.message).toContain('not an X.509 certificate');
		const unterminated = await thumbprintOfCertificate('-----BEGIN CERTIFICATE-----\nAAAA');
		expect(!unterminated.ok && unterminated.error).toEqual({
			code: 'ERR_CERTIFICATE_INVALID',
			message: expect.stringContaining('-----END CERTIFICATE-----') as unknown
		});
	});
});

describe('certificateSummary', () => {
	it('reads subject, issuer, serial and validity of the fixture certificate', async () => {
		expect(await certificateSummary(CERT_PEM)).toEqual({
			ok: true,
			value: {
				subject: SIGNING_CERTIFICATE_SUBJECT,
				issuer: SIGNING_CERTIFICATE_SUBJECT,
				serialNumber: OPENSSL_SERIAL,
				notBefore: DEFAULT_START,
				notAfter: addSeconds(DEFAULT_START, SIGNING_CERTIFICATE_VALIDITY_SECONDS),
				selfIssued: true
			}
		});
	});

	it('gives the same summary for the x5c form', async () => {
		expect(await certificateSummary(X5C)).toEqual(await certificateSummary(CERT_PEM));
	});
});

describe('certificateDer', () => {
	it('returns the DER bytes behind the PEM', () => {
		const der = certificateDer(CERT_PEM);
		expect(der.ok && Buffer.from(der.value).toString('base64')).toBe(X5C);
	});

	it('refuses a PEM whose body is not base64', () => {
		const result = certificateDer('-----BEGIN CERTIFICATE-----\n$$$\n-----END CERTIFICATE-----');
		expect(!result.ok && result.error.message).toContain('not base64');
	});
});
