/**
 * How the topology animates: boxes and edges move with a `Tween` fed by d3's interpolators and easing, fade
 * and grow in as they appear and fade out as they go. With `still` (instant mode, reduced motion) every
 * duration is zero, so the same final picture is reached at once.
 */
import { easeCubicInOut, easeCubicOut } from 'd3-ease';
import type { TransitionConfig } from 'svelte/transition';

/** How long a move takes. */
export const MOVE_MS = 450;
const ENTER_MS = 350;
const EXIT_MS = 250;

/** Options for a position `Tween`: d3 easing, with the interpolator chosen by the caller. */
export const moveEasing = easeCubicInOut;

/** A box or an edge coming into the picture: fades in, growing from 60 % about its centre. */
export function appear(_node: Element, still: boolean): TransitionConfig {
	return {
		duration: still ? 0 : ENTER_MS,
		easing: easeCubicOut,
		css: (t) => `opacity: ${t}; transform: scale(${0.6 + 0.4 * t})`
	};
}

/** An edge coming into the picture: fades in only (a growing curve would leave its ends). */
export function fadeIn(_node: Element, still: boolean): TransitionConfig {
	return { duration: still ? 0 : ENTER_MS, easing: easeCubicOut, css: (t) => `opacity: ${t}` };
}

/** A box or an edge leaving the picture: fades out where it was. */
export function vanish(_node: Element, still: boolean): TransitionConfig {
	return { duration: still ? 0 : EXIT_MS, easing: easeCubicOut, css: (t) => `opacity: ${t}` };
}
