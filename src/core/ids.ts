/**
 * Seeded, readable ids. The core never calls Math.random: every GUID comes from the world's seed and a
 * counter, so the same operations on the same world give the same ids in Node, in the browser and in tests.
 */

/** 32-bit FNV-1a over a string. */
function fnv1a(text: string, basis = 0x811c9dc5): number {
	let hash = basis >>> 0;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash >>> 0;
}

/** Four independent, mixed 32-bit FNV-1a lanes of a string: 128 bits. */
function lanes128(text: string): number[] {
	const out: number[] = [];
	for (let lane = 0; lane < 4; lane++) {
		// FNV-1a is sequential: hashing the text from the prefix's state equals hashing `${lane}:${text}`.
		let h = fnv1a(text, fnv1a(`${lane}:`, 0x811c9dc5 ^ Math.imul(lane + 1, 0x9e3779b1)));
		h ^= h >>> 16;
		h = Math.imul(h, 0x85ebca6b) >>> 0;
		h ^= h >>> 13;
		h = Math.imul(h, 0xc2b2ae35) >>> 0;
		h ^= h >>> 16;
		out.push(h >>> 0);
	}
	return out;
}

/** 32 hex digits derived from a string. */
function hex128(text: string): string {
	return lanes128(text)
		.map((h) => h.toString(16).padStart(8, '0'))
		.join('');
}

/** A version-4-shaped GUID derived deterministically from `seed` and `key`. */
export function seededGuid(seed: string, key: string | number): string {
	const h = hex128(`${seed}/${key}`);
	const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Base64url text of a given length derived from `seed` and `key` (for opaque claims such as `uti`). */
export function seededOpaque(seed: string, key: string | number, length: number): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
	let out = '';
	for (let round = 0; out.length < length; round++) {
		// One character per byte of the 128-bit hash, most significant byte first.
		for (const h of lanes128(`${seed}/${key}/${round}`)) {
			for (let shift = 24; shift >= 0 && out.length < length; shift -= 8) {
				out += alphabet[(h >>> shift) & 63];
			}
		}
	}
	return out;
}

/**
 * A Blob service ETag: quoted `0x` and 15 upper-case hex digits, e.g. `"0x8D9F3E5B2F7A1C4"` (the form Azure Storage
 * returns); the 13 digits after `0x8D` are derived from `seed` and `key`.
 */
export function seededEtag(seed: string, key: string | number): string {
	const hex = seededGuid(`etag/${seed}`, key).replace(/-/g, '').slice(0, 13).toUpperCase();
	return `"0x8D${hex}"`;
}

/** True when `value` is a GUID in 8-4-4-4-12 form (any case). */
export function isGuid(value: string): boolean {
	return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
