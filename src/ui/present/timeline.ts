/**
 * The presentation's timeline: one snapshot per walkthrough step. The core is deterministic, so step N's
 * snapshot is the start with steps 1..N run; snapshots are computed when first needed and kept, so that
 * stepping back restores a step at once. Acting in the past forks, as RaftScope's "fork playback, discarding
 * future": the acted-on snapshot replaces that step's and every later one is dropped.
 */

/** What running one step gave: the snapshot after it, or why it failed (with the snapshot before it). */
export type StepRun<S> = { ok: true; state: S } | { ok: false; state: S; error: string };

/** Where computing a step's snapshot ended. */
export type Reached<S> =
	{ ok: true; state: S } | { ok: false; state: S; failedAt: number; error: string };

/** The snapshots of a walkthrough of `count` steps, from `start` (snapshot 0). */
export class StepTimeline<S> {
	readonly count: number;
	#snapshots: (S | undefined)[];
	#forkedAt: number | null = null;
	readonly #run: (state: S, step: number) => Promise<StepRun<S>>;
	readonly #start: S;

	/** `run(state, n)` runs step n (1-based) on the snapshot of step n - 1. */
	constructor(start: S, count: number, run: (state: S, step: number) => Promise<StepRun<S>>) {
		this.#start = start;
		this.count = count;
		this.#run = run;
		this.#snapshots = [start];
	}

	/** The step from which the snapshots are the presenter's own (null: all follow the walkthrough). */
	get forkedAt(): number | null {
		return this.#forkedAt;
	}

	/** The snapshot of step `n` if it is computed already. */
	cached(n: number): S | undefined {
		return this.#snapshots[n];
	}

	/** How many snapshots are kept (for tests and the presenter's status line). */
	get size(): number {
		return this.#snapshots.filter((s) => s !== undefined).length;
	}

	/** The snapshot of step `n` (0…count), running the steps after the latest one kept. */
	async at(n: number): Promise<Reached<S>> {
		const target = Math.max(0, Math.min(this.count, Math.trunc(n)));
		let from = target;
		while (this.#snapshots[from] === undefined) from--;
		let state = this.#snapshots[from] as S;
		for (let step = from + 1; step <= target; step++) {
			const ran = await this.#run(state, step);
			if (!ran.ok) return { ok: false, state: ran.state, failedAt: step, error: ran.error };
			state = ran.state;
			this.#snapshots[step] = state;
		}
		return { ok: true, state };
	}

	/**
	 * Keeps the snapshot of step `n` as the step showed it when it ran live (with its terminal output). Only
	 * where the step's snapshot is not kept yet or is being replaced by the same run: it never forks.
	 */
	record(n: number, state: S): void {
		if (n < 0 || n > this.count) return;
		if (this.#snapshots[n - 1] === undefined && n > 0) return;
		this.#snapshots[n] = state;
	}

	/** The presenter acted at step `n`: its snapshot becomes `state` and every later snapshot is discarded. */
	fork(n: number, state: S): void {
		const at = Math.max(0, Math.min(this.count, Math.trunc(n)));
		this.#snapshots = this.#snapshots.slice(0, at);
		this.#snapshots[at] = state;
		this.#forkedAt = this.#forkedAt === null ? at : Math.min(this.#forkedAt, at);
	}

	/** Back to the walkthrough: only the start is kept and nothing is forked. */
	reset(): void {
		this.#snapshots = [this.#start];
		this.#forkedAt = null;
	}
}
