import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	base64ToBytes,
	base64UrlToBytes,
	bytesToBase64,
	bytesToBase64Url,
	bytesToHex,
	derToPem,
	pemToDer
} from '../../../src/core/crypto/encoding.ts';

describe('base64 and base64url', () => {
	it('agree with Node’s Buffer on any bytes, both ways', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
				const buffer = Buffer.from(bytes);
				expect(bytesToBase64(bytes)).toBe(buffer.toString('base64'));
				expect(bytesToBase64Url(bytes)).toBe(buffer.toString('base64url'));
				expect(bytesToHex(bytes)).toBe(buffer.toString('hex'));
				expect(base64ToBytes(bytesToBase64(bytes))).toEqual(new Uint8Array(bytes));
				expect(base64UrlToBytes(bytesToBase64Url(bytes))).toEqual(new Uint8Array(bytes));
			})
		);
	});

	it('refuses text in the other alphabet, with padding, or of an impossible length', () => {
		expect(base64UrlToBytes('ab+c')).toBeNull();
		expect(base64UrlToBytes('YQ==')).toBeNull();
		expect(base64UrlToBytes('abcde')).toBeNull();
		expect(base64ToBytes('ab-c')).toBeNull();
		expect(base64ToBytes('YQ')).toBeNull();
		expect(base64ToBytes('Y=Q=')).toBeNull();
	});
});

describe('PEM', () => {
	it('wraps DER at 64 characters and reads it back', () => {
		const der = new Uint8Array(100).map((_, i) => i);
		const pem = derToPem(der, 'CERTIFICATE');
		const lines = pem.trimEnd().split('\n');
		expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
		expect(lines.at(-1)).toBe('-----END CERTIFICATE-----');
		expect(lines.slice(1, -1).map((line) => line.length)).toEqual([64, 64, 8]);
		expect(pemToDer(`some text before\n${pem}and after`, 'CERTIFICATE')).toEqual({
			ok: true,
			value: der
		});
	});

	it('refuses a PEM of another kind, naming the lines it looked for', () => {
		const pem = derToPem(new Uint8Array([1, 2, 3]), 'PUBLIC KEY');
		expect(pemToDer(pem, 'CERTIFICATE')).toEqual({
			ok: false,
			error: {
				code: 'ERR_PEM_INVALID',
				message:
					'This text is not a PEM "CERTIFICATE": it needs a "-----BEGIN CERTIFICATE-----" line and a matching "-----END CERTIFICATE-----" line.'
			}
		});
	});
});
