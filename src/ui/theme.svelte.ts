/**
 * Light and dark themes. The system's preference applies until the learner picks one; the choice is kept in
 * localStorage (a preference, not progress: losing it loses nothing).
 */
export type ThemeChoice = 'light' | 'dark' | 'system';

const KEY = 'mil.theme';

function stored(): ThemeChoice {
	try {
		const value = localStorage.getItem(KEY);
		return value === 'light' || value === 'dark' ? value : 'system';
	} catch {
		return 'system';
	}
}

/** The theme in force, applied as `data-theme` on the root element. */
export class Theme {
	choice = $state<ThemeChoice>('system');
	systemDark = $state(false);
	/** The theme actually shown. */
	readonly current = $derived<'light' | 'dark'>(
		this.choice === 'system' ? (this.systemDark ? 'dark' : 'light') : this.choice
	);

	constructor() {
		this.choice = stored();
		const query = window.matchMedia?.('(prefers-color-scheme: dark)');
		this.systemDark = query?.matches ?? false;
		query?.addEventListener('change', (e) => {
			this.systemDark = e.matches;
		});
		$effect.root(() => {
			$effect(() => {
				document.documentElement.dataset.theme = this.current;
			});
		});
	}

	/** Switches to the other theme and remembers the choice. */
	toggle(): void {
		this.choice = this.current === 'dark' ? 'light' : 'dark';
		try {
			localStorage.setItem(KEY, this.choice);
		} catch {
			// Storage can be off (private mode, a locked-down LMS): the choice lasts for this page only.
		}
	}
}
