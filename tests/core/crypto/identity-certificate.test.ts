import { describe, expect, it } from 'vitest';
import type { IdentityCertificate } from '../../../src/core/azure/model.ts';
import { DEFAULT_START, addSeconds } from '../../../src/core/clock.ts';
import {
	IDENTITY_CERTIFICATE_ISSUER,
	currentIdentityCertificate,
	identityCertificateFor
} from '../../../src/core/crypto/identity-certificate.ts';

const DAY = 24 * 60 * 60;
const PRINCIPAL = 'e3f4a5b6-c7d8-4e9f-a0b1-c2d3e4f5a6b7';
const OTHER_PRINCIPAL = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

describe('identityCertificateFor', () => {
	it('lives 90 days and is due for renewal after 45 (reference 4.3)', () => {
		const certificate: IdentityCertificate = identityCertificateFor(PRINCIPAL, DEFAULT_START);
		expect(certificate).toEqual({
			thumbprint: expect.stringMatching(/^[0-9A-F]{40}$/) as unknown,
			issuer: IDENTITY_CERTIFICATE_ISSUER,
			notBefore: DEFAULT_START,
			notAfter: addSeconds(DEFAULT_START, 90 * DAY),
			renewAfter: addSeconds(DEFAULT_START, 45 * DAY)
		});
		expect(IDENTITY_CERTIFICATE_ISSUER).toBe('CN=Managed Identity Credential CA');
	});

	it('is deterministic: same principal and instant, same thumbprint', () => {
		expect(identityCertificateFor(PRINCIPAL, DEFAULT_START)).toEqual(
			identityCertificateFor(PRINCIPAL, DEFAULT_START)
		);
	});

	it('gives another identity, or another issue time, another thumbprint', () => {
		const thumbprints = new Set([
			identityCertificateFor(PRINCIPAL, DEFAULT_START).thumbprint,
			identityCertificateFor(OTHER_PRINCIPAL, DEFAULT_START).thumbprint,
			identityCertificateFor(PRINCIPAL, addSeconds(DEFAULT_START, 1)).thumbprint,
			identityCertificateFor(PRINCIPAL, addSeconds(DEFAULT_START, 45 * DAY)).thumbprint
		]);
		expect(thumbprints.size).toBe(4);
	});

	it('uses every hex digit across many thumbprints (no stuck bits)', () => {
		const digits = new Set<string>();
		for (let i = 0; i < 20; i++) {
			for (const d of identityCertificateFor(PRINCIPAL, addSeconds(DEFAULT_START, i)).thumbprint)
				digits.add(d);
		}
		expect([...digits].sort().join('')).toBe('0123456789ABCDEF');
	});
});

describe('currentIdentityCertificate', () => {
	const at = (days: number) =>
		currentIdentityCertificate(PRINCIPAL, DEFAULT_START, addSeconds(DEFAULT_START, days * DAY));

	it('keeps the first certificate until its renewAfter', () => {
		const first = identityCertificateFor(PRINCIPAL, DEFAULT_START);
		expect(at(0)).toEqual(first);
		expect(at(44.99)).toEqual(first);
		expect(at(-3)).toEqual(first);
	});

	it('rolls the certificate every 45 days', () => {
		expect(at(45).notBefore).toBe(addSeconds(DEFAULT_START, 45 * DAY));
		expect(at(100)).toEqual(identityCertificateFor(PRINCIPAL, addSeconds(DEFAULT_START, 90 * DAY)));
		expect(at(45).thumbprint).not.toBe(at(0).thumbprint);
	});

	it('always holds a certificate that is valid at the time asked', () => {
		for (const days of [0, 1, 44, 45, 46, 89, 90, 91, 365, 1000]) {
			const now = addSeconds(DEFAULT_START, days * DAY);
			const certificate = currentIdentityCertificate(PRINCIPAL, DEFAULT_START, now);
			expect(certificate.notBefore).toBeLessThanOrEqual(now);
			expect(certificate.renewAfter).toBeGreaterThan(now);
			expect(certificate.notAfter).toBeGreaterThan(now);
		}
	});
});
