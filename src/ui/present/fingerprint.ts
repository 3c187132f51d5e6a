/**
 * A short fingerprint of a world, so that the audience window can tell whether the world it recomputed is the
 * presenter's. Each window signs tokens with a signing key of its own (created at random on first use, as the
 * tenant's key would be), so the key's ids and the token text are replaced by placeholders before hashing:
 * two windows that ran the same steps give the same fingerprint.
 */
import type { World } from '../../core/index.ts';

const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const PUBLISHED_KEY = /discovery\/keys\/([^"/\s]+)/g;

/** FNV-1a, 32 bits, as 8 hex digits: not for security, only to compare two worlds cheaply. */
export function fnv1a(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0).toString(16).padStart(8, '0');
}

/** The world's fingerprint with signing keys and tokens made anonymous. */
export function worldFingerprint(world: World): string {
	const kids: string[] = [];
	const note = (kid: string): void => {
		if (kid !== '' && !kids.includes(kid)) kids.push(kid);
	};
	// Keys retired since still appear in the events that published them.
	for (const event of world.events)
		for (const match of JSON.stringify(event).matchAll(PUBLISHED_KEY)) note(match[1] ?? '');
	for (const key of world.signingKeys) note(key.kid);
	const thumbprints = world.signingKeys.map((k) => k.x5t).filter((t) => t !== '');
	let text = JSON.stringify({
		...world,
		signingKeys: world.signingKeys.map((k) => ({ active: k.active, createdAt: k.createdAt }))
	});
	text = text.replace(JWT, '<token>');
	for (const [i, kid] of kids.entries()) text = text.replaceAll(kid, `<key ${i}>`);
	for (const [i, x5t] of thumbprints.entries()) text = text.replaceAll(x5t, `<x5t ${i}>`);
	return fnv1a(text);
}
