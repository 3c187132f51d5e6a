/**
 * The presenter's keys, chosen so that a presentation remote works: remotes send PageDown/PageUp (or the
 * arrows), and `.` or `b` for their "blank" button, which presenters use as play/pause.
 */

/** What a key does in presenter mode. */
export type PresentKey =
	| 'next'
	| 'back'
	| 'playPause'
	| 'reset'
	| 'notes'
	| 'fullscreen'
	| 'help'
	| 'faster'
	| 'slower'
	| 'first'
	| 'last';

/** The keys, for the help dialog (in the order shown). */
export const PRESENT_KEYS: readonly { keys: string[]; action: PresentKey; label: string }[] = [
	{ keys: ['→', 'PageDown'], action: 'next', label: 'Next step (runs it)' },
	{ keys: ['←', 'PageUp'], action: 'back', label: 'Previous step (its world restored)' },
	{ keys: ['Space', '.', 'B'], action: 'playPause', label: 'Play or pause auto-advance' },
	{ keys: ['+', '-'], action: 'faster', label: 'Less or more time per step' },
	{ keys: ['Home', 'End'], action: 'first', label: 'Title or last step' },
	{ keys: ['R'], action: 'reset', label: 'Reset: back to the title, the walkthrough’s world' },
	{ keys: ['N'], action: 'notes', label: 'Show or hide the speaker notes' },
	{ keys: ['F'], action: 'fullscreen', label: 'Full screen' },
	{ keys: ['?'], action: 'help', label: 'This help' }
];

function typingIn(target: EventTarget | null): boolean {
	if (!target || typeof (target as Element).closest !== 'function') return false;
	const el = target as Element;
	return (
		el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null
	);
}

function onControl(target: EventTarget | null): boolean {
	if (!target || typeof (target as Element).closest !== 'function') return false;
	return (target as Element).closest('button, a, summary, [role="tab"], [role="radio"]') !== null;
}

/**
 * The presenter action of a key press, or null when the key belongs to where it was typed: a text field,
 * the arrows of a tab list, Space and Enter on a focused button.
 */
export function presentKeyFor(event: {
	key: string;
	ctrlKey: boolean;
	metaKey: boolean;
	altKey: boolean;
	target: EventTarget | null;
}): PresentKey | null {
	if (event.ctrlKey || event.metaKey || event.altKey) return null;
	if (typingIn(event.target)) return null;
	const control = onControl(event.target);
	const inTabs =
		event.target !== null &&
		typeof (event.target as Element).closest === 'function' &&
		(event.target as Element).closest(
			'[role="tablist"], [role="radiogroup"], [role="tab"], [role="radio"]'
		) !== null;
	switch (event.key) {
		case 'ArrowRight':
			return inTabs ? null : 'next';
		case 'PageDown':
			return 'next';
		case 'ArrowLeft':
			return inTabs ? null : 'back';
		case 'PageUp':
			return 'back';
		case ' ':
		case 'Spacebar':
			return control ? null : 'playPause';
		case '.':
		case 'b':
		case 'B':
			return 'playPause';
		case '+':
		case '=':
			return 'faster';
		case '-':
		case '_':
			return 'slower';
		case 'Home':
			return inTabs ? null : 'first';
		case 'End':
			return inTabs ? null : 'last';
		case 'r':
		case 'R':
			return 'reset';
		case 'n':
		case 'N':
			return 'notes';
		case 'f':
		case 'F':
			return 'fullscreen';
		case '?':
			return 'help';
		default:
			return null;
	}
}
