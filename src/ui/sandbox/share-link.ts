/**
 * Share links for the sandbox and the lesson route. The link is the page's address with a hash route that
 * carries the world: `#/sandbox?share=<data>` or `#/lesson/<id>/<step>?share=<data>`, where `<data>` is
 * what the curriculum's `createShareFragment` writes after `#share=` (lz-string, checksummed, no cached
 * token; the world passes through `exportableWorld` first, so no private key member or token in a file).
 */
import type { World } from '../../core/index.ts';
import { createShareFragment, readShareFragment } from '../../curriculum/share.ts';
import { parseRoute, routeHash, type Route } from '../routes.ts';
import { exportableWorld } from './world-file.ts';

/** The `lessonId` a sandbox link carries (lesson ids are lower-case words; this one is never a lesson). */
export const SANDBOX_SHARE_ID = 'sandbox';

const FRAGMENT_PREFIX = '#share=';
const LESSON_FALLBACK = 'The lesson starts from its beginning instead.';
const SANDBOX_FALLBACK = 'The sandbox starts from the default world instead.';

/** What a share link held, once read. */
export type SharedStart =
	| { kind: 'none' }
	| { kind: 'world'; world: World; lessonId: string | null; step: number }
	| { kind: 'broken'; message: string };

/** The share data (after `share=`) for a world, and for a lesson and step when given. */
export function shareData(world: World, lesson?: { id: string; step: number }): string {
	const fragment = createShareFragment({
		lessonId: lesson?.id ?? SANDBOX_SHARE_ID,
		step: lesson?.step ?? 0,
		world: exportableWorld(world)
	});
	return fragment.slice(FRAGMENT_PREFIX.length);
}

/**
 * The whole link: `base` (the page's address; its hash is replaced) with the sandbox route, or the lesson
 * route at `lesson.step` when a lesson is given.
 */
export function shareUrl(
	base: string,
	world: World,
	lesson?: { id: string; step: number }
): string {
	const share = shareData(world, lesson);
	const route: Route = lesson
		? { name: 'lesson', id: lesson.id, step: lesson.step >= 1 ? lesson.step : null, share }
		: { name: 'sandbox', flowStep: null, share };
	return `${base.replace(/#.*$/, '')}${routeHash(route)}`;
}

/**
 * What a route's share link holds. `none` when the route carries none; `broken` (with a message for the
 * learner saying what is wrong and where they start instead) when it does not check out, or when it was made
 * for another lesson than the route's; otherwise the world, the lesson id (null for a sandbox link) and step.
 */
export function sharedStart(route: Route): SharedStart {
	if ((route.name !== 'sandbox' && route.name !== 'lesson') || !route.share)
		return { kind: 'none' };
	const fallback = route.name === 'sandbox' ? SANDBOX_FALLBACK : LESSON_FALLBACK;
	const read = readShareFragment(`${FRAGMENT_PREFIX}${route.share}`);
	if (read === null) return { kind: 'none' };
	if (!read.ok) return { kind: 'broken', message: withFallback(read.message, fallback) };
	const lessonId = read.value.lessonId === SANDBOX_SHARE_ID ? null : read.value.lessonId;
	if (route.name === 'lesson' && lessonId !== route.id) {
		return {
			kind: 'broken',
			message: `This shared link was made for ${lessonId === null ? 'the sandbox' : `the lesson ${lessonId}`}, not for this lesson. ${LESSON_FALLBACK}`
		};
	}
	if (!Number.isInteger(read.value.step) || read.value.step < 0) {
		return {
			kind: 'broken',
			message: `This shared link is broken or was changed (its step ${read.value.step} is not a step number). ${fallback}`
		};
	}
	return { kind: 'world', world: read.value.world, lessonId, step: read.value.step };
}

/** Same as {@link sharedStart}, from a location hash (`location.hash`). */
export function readSharedWorld(hash: string): SharedStart {
	return sharedStart(parseRoute(hash));
}

function withFallback(message: string, fallback: string): string {
	return message.endsWith(LESSON_FALLBACK)
		? `${message.slice(0, -LESSON_FALLBACK.length)}${fallback}`
		: `${message} ${fallback}`;
}
