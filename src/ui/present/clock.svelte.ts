/**
 * The presenter's clocks: the elapsed time of the talk, and auto-advance (play/pause) with the time left on
 * the current step. Both read time through `now`, so that tests drive them without waiting.
 */

/** The shortest and longest time per step auto-advance allows, in seconds. */
export const INTERVAL_MIN = 5;
export const INTERVAL_MAX = 600;

/** `m:ss`, or `h:mm:ss` past an hour. */
export function formatElapsed(ms: number): string {
	const total = Math.max(0, Math.floor(ms / 1000));
	const s = total % 60;
	const m = Math.floor(total / 60) % 60;
	const h = Math.floor(total / 3600);
	const ss = String(s).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Elapsed time of the presentation, which starts with the first step and can be restarted. */
export class Stopwatch {
	/** When it started (epoch ms), or null before the first step. */
	startedAt = $state<number | null>(null);
	/** Updated every second by `tick` so that the display follows. */
	now = $state(0);
	readonly #clock: () => number;

	constructor(clock: () => number = () => Date.now(), startedAt: number | null = null) {
		this.#clock = clock;
		this.startedAt = startedAt;
		this.now = clock();
	}

	/** Starts counting if it has not yet. */
	start(): void {
		this.startedAt ??= this.#clock();
		this.tick();
	}

	/** Back to zero, not running. */
	restart(): void {
		this.startedAt = null;
		this.tick();
	}

	tick(): void {
		this.now = this.#clock();
	}

	get running(): boolean {
		return this.startedAt !== null;
	}

	get elapsedMs(): number {
		return this.startedAt === null ? 0 : Math.max(0, this.now - this.startedAt);
	}
}

/** Auto-advance: when playing, the deck moves on every `interval` seconds; the time left is shown. */
export class AutoAdvance {
	playing = $state(false);
	/** Seconds per step. */
	interval = $state(20);
	/** When the current step's countdown started (epoch ms). */
	#since = $state(0);
	now = $state(0);
	readonly #clock: () => number;

	constructor(clock: () => number = () => Date.now()) {
		this.#clock = clock;
		this.now = clock();
	}

	/** Seconds left on this step (whole seconds, for the display). */
	get remaining(): number {
		return Math.max(0, Math.ceil(this.interval - (this.now - this.#since) / 1000));
	}

	/** Share of the step's time used, 0…1 (for the progress ring). */
	get progress(): number {
		return Math.min(1, Math.max(0, (this.now - this.#since) / 1000 / this.interval));
	}

	toggle(): void {
		this.playing = !this.playing;
		this.restartCountdown();
	}

	pause(): void {
		this.playing = false;
	}

	/** The countdown starts again (a new step is shown). */
	restartCountdown(): void {
		this.#since = this.#clock();
		this.now = this.#since;
	}

	/** Changes the time per step by `by` seconds, within bounds. */
	adjust(by: number): void {
		this.interval = Math.min(INTERVAL_MAX, Math.max(INTERVAL_MIN, this.interval + by));
	}

	/** Called every second: true when the step's time is up (and the deck should move on). */
	tick(): boolean {
		this.now = this.#clock();
		return this.playing && this.now - this.#since >= this.interval * 1000;
	}
}
