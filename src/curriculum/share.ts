/**
 * Share links: a lesson, its step and its world, compressed into a URL fragment with lz-string, with a
 * checksum so that a broken or edited link is detected. Access tokens cached in the world are removed; the
 * tenant's private signing keys are never in a world. A link that does not check out says so, and the caller
 * starts the lesson from its beginning.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { restoreWorld, snapshotWorld, type World } from '../core/index.ts';

/** What a share link carries. */
export interface SharedState {
	lessonId: string;
	/** The reference step reached (for *show me*). */
	step: number;
	world: World;
}

const PREFIX = '#share=';
const FORMAT = 1;

/** FNV-1a over UTF-16 code units, as 8 hex digits: enough to notice a damaged or edited link. */
export function checksum(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(16).padStart(8, '0');
}

/** The world as a link may carry it: no cached access tokens. */
export function shareableWorld(world: World): World {
	return { ...world, tokenCache: {} };
}

/** The URL fragment (`#share=…`) for a lesson, step and world. */
export function createShareFragment(state: SharedState): string {
	const payload = JSON.stringify({
		v: FORMAT,
		lessonId: state.lessonId,
		step: state.step,
		world: snapshotWorld(shareableWorld(state.world))
	});
	return `${PREFIX}${compressToEncodedURIComponent(`${checksum(payload)}${payload}`)}`;
}

/** Reads a fragment. Never throws: a broken or edited link gives a message for the learner. */
export function readShareFragment(
	fragment: string
): { ok: true; value: SharedState } | { ok: false; message: string } | null {
	if (!fragment.startsWith(PREFIX)) return null;
	const broken = (why: string) => ({
		ok: false as const,
		message: `This shared link is broken or was changed (${why}). The lesson starts from its beginning instead.`
	});
	let text: string | null;
	try {
		text = decompressFromEncodedURIComponent(fragment.slice(PREFIX.length));
	} catch {
		text = null;
	}
	if (!text || text.length < 9) return broken('it cannot be decompressed');
	const sum = text.slice(0, 8);
	const payload = text.slice(8);
	if (checksum(payload) !== sum) return broken('its checksum does not match');
	let data: unknown;
	try {
		data = JSON.parse(payload);
	} catch {
		return broken('it is not valid JSON');
	}
	const d = data as { v?: unknown; lessonId?: unknown; step?: unknown; world?: unknown };
	if (d.v !== FORMAT) return broken(`it has format ${String(d.v)}, this lab reads ${FORMAT}`);
	if (typeof d.lessonId !== 'string' || typeof d.step !== 'number' || typeof d.world !== 'string')
		return broken('a field is missing');
	const world = restoreWorld(d.world);
	if (!world.ok) return broken(world.error.message);
	return { ok: true, value: { lessonId: d.lessonId, step: d.step, world: world.value } };
}
