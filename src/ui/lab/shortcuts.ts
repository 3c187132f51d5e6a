/** The lab's keyboard shortcuts: one table, read by the key handler and listed in the `?` dialog. */
import type { DockTab } from './view.svelte.ts';

/** What a shortcut does. */
export type ShortcutAction =
	| { kind: 'help' }
	| { kind: 'pane'; tab: DockTab }
	| { kind: 'toggleNav' }
	| { kind: 'toggleDock' }
	| { kind: 'undo' }
	| { kind: 'clock' };

/** A shortcut as the help dialog lists it. */
export interface Shortcut {
	keys: string;
	description: string;
	/** Alt+key shortcuts work anywhere; plain keys only when not typing in a field. */
	alt: boolean;
	key: string;
	action: ShortcutAction;
}

export const SHORTCUTS: readonly Shortcut[] = [
	{
		keys: '?',
		description: 'Show these shortcuts',
		alt: false,
		key: '?',
		action: { kind: 'help' }
	},
	{
		keys: 'Alt+T',
		description: 'Terminal',
		alt: true,
		key: 't',
		action: { kind: 'pane', tab: 'terminal' }
	},
	{
		keys: 'Alt+I',
		description: 'JWT inspector',
		alt: true,
		key: 'i',
		action: { kind: 'pane', tab: 'inspector' }
	},
	{
		keys: 'Alt+E',
		description: 'Event log',
		alt: true,
		key: 'e',
		action: { kind: 'pane', tab: 'events' }
	},
	{
		keys: 'Alt+C',
		description: 'Code view',
		alt: true,
		key: 'c',
		action: { kind: 'pane', tab: 'code' }
	},
	{
		keys: 'Alt+N',
		description: 'Show or hide the resource navigator',
		alt: true,
		key: 'n',
		action: { kind: 'toggleNav' }
	},
	{
		keys: 'Alt+D',
		description: 'Collapse or expand the tools',
		alt: true,
		key: 'd',
		action: { kind: 'toggleDock' }
	},
	{
		keys: 'Alt+Z',
		description: 'Undo the last change to the world',
		alt: true,
		key: 'z',
		action: { kind: 'undo' }
	},
	{
		keys: 'Alt+K',
		description: 'Run or pause the simulated clock',
		alt: true,
		key: 'k',
		action: { kind: 'clock' }
	}
];

/** Keys inside the terminal, listed in the same dialog. */
export const TERMINAL_KEYS: readonly { keys: string; description: string }[] = [
	{ keys: 'Enter', description: 'Run the line' },
	{ keys: '↑ / ↓', description: 'Previous / next line from the history' },
	{ keys: 'Tab', description: 'Complete a command, flag or name' },
	{ keys: 'Ctrl+C', description: 'Interrupt a waiting command, or drop the line' },
	{ keys: 'Ctrl+L', description: 'Clear the screen' }
];

function typing(target: EventTarget | null): boolean {
	if (!target || typeof (target as Element).closest !== 'function') return false;
	return (target as Element).closest('input, textarea, select, [contenteditable="true"]') !== null;
}

/** The shortcut a key press means, or null. */
export function shortcutFor(event: KeyboardEvent): ShortcutAction | null {
	if (event.ctrlKey || event.metaKey) return null;
	const key = event.key.toLowerCase();
	for (const s of SHORTCUTS) {
		if (s.alt) {
			// Alt+letter: match the physical key too, since Alt changes event.key on some layouts (macOS).
			if (event.altKey && (key === s.key || event.code === `Key${s.key.toUpperCase()}`))
				return s.action;
		} else if (!event.altKey && key === s.key && !typing(event.target)) {
			return s.action;
		}
	}
	return null;
}
