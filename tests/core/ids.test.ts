import { describe, expect, it } from 'vitest';
import { isGuid, seededGuid, seededOpaque } from '../../src/core/ids.ts';

describe('seededGuid', () => {
	it('is a version-4-shaped GUID', () => {
		for (let i = 0; i < 200; i++) {
			const guid = seededGuid('contoso', i);
			expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
			expect(isGuid(guid)).toBe(true);
		}
	});

	it('is the same for the same seed and key, and different otherwise', () => {
		expect(seededGuid('contoso', 7)).toBe(seededGuid('contoso', 7));
		expect(seededGuid('contoso', 7)).toBe(seededGuid('contoso', '7'));
		const many = new Set<string>();
		for (const seed of ['contoso', 'fabrikam', ''])
			for (let i = 0; i < 500; i++) many.add(seededGuid(seed, i));
		expect(many.size).toBe(1500);
	});

	it('has a stable value (ids in saved lessons must not change)', () => {
		expect(seededGuid('contoso', 0)).toBe('c9550b0b-878f-43d3-b8ca-ff1ed6b73aec');
		expect(seededGuid('fabrikam', 'x')).toBe('a99ee8e8-d062-4fd0-95e4-dcc0e560ec8b');
		expect(seededOpaque('contoso', 'k', 16)).toBe('F5Tel8bgqfdO4G6r');
	});
});

describe('seededOpaque', () => {
	it('is base64url text of the asked length, stable per seed and key', () => {
		for (const length of [0, 1, 13, 43, 86, 200]) {
			const text = seededOpaque('contoso', 'k', length);
			expect(text).toHaveLength(length);
			expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
		}
		expect(seededOpaque('contoso', 'k', 43)).toBe(seededOpaque('contoso', 'k', 43));
		expect(seededOpaque('contoso', 'k', 43)).not.toBe(seededOpaque('contoso', 'j', 43));
		expect(seededOpaque('contoso', 'k', 86).startsWith(seededOpaque('contoso', 'k', 43))).toBe(
			true
		);
	});
});

describe('isGuid', () => {
	it.each([
		['c0a7e5f0-1d2b-4c3a-9e8f-00000c0a7050', true],
		['C0A7E5F0-1D2B-4C3A-9E8F-00000C0A7050', true],
		['c0a7e5f01d2b4c3a9e8f00000c0a7050', false],
		['{c0a7e5f0-1d2b-4c3a-9e8f-00000c0a7050}', false],
		['c0a7e5f0-1d2b-4c3a-9e8f-00000c0a705', false],
		['g0a7e5f0-1d2b-4c3a-9e8f-00000c0a7050', false],
		['', false]
	])('%j → %s', (text, expected) => {
		expect(isGuid(text)).toBe(expected);
	});
});
