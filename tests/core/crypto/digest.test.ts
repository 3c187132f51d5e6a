import { describe, expect, it } from 'vitest';
import { digestBytes, sha256Base64Url, sha256Hex } from '../../../src/core/crypto/digest.ts';

describe('digests', () => {
	it('give the FIPS 180 test vectors for "abc"', async () => {
		expect(await sha256Hex('abc')).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
		);
		expect(await sha256Base64Url('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
		const sha1 = await digestBytes('SHA-1', new TextEncoder().encode('abc'));
		expect(Buffer.from(sha1).toString('hex')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
	});

	it('hash UTF-8 text, not UTF-16 code units', async () => {
		expect(await sha256Hex('é')).toBe(await sha256Hex('\u00e9'));
		expect(await sha256Hex('é')).not.toBe(await sha256Hex('e\u0301'));
	});

	it('hash a view of a larger buffer by its own bytes only', async () => {
		const whole = new TextEncoder().encode('xxabcxx');
		const view = whole.subarray(2, 5);
		expect(Buffer.from(await digestBytes('SHA-256', view)).toString('hex')).toBe(
			await sha256Hex('abc')
		);
	});
});
