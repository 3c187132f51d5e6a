/**
 * Who may touch the emulator's world when. Requests that read it (token requests, service calls, GET /lab/…)
 * run side by side: the few records they make (a token event, a cache entry) are applied in one synchronous
 * step each, so they cannot interleave. A change that spans awaits (a terminal line, a clock move) runs alone:
 * it waits for the readers in flight, and readers that arrive after it wait for it, so that it applies to the
 * world the earlier requests left and nothing is lost when it swaps in its result.
 */
export class Gate {
	private readers = 0;
	private writing = false;
	private readonly waiting: { exclusive: boolean; start: () => void }[] = [];

	/** Runs `task` beside other readers (after any change queued before it). */
	shared<T>(task: () => Promise<T>): Promise<T> {
		return this.run(false, task);
	}

	/** Runs `task` alone, after every request that arrived before it. */
	exclusive<T>(task: () => Promise<T>): Promise<T> {
		return this.run(true, task);
	}

	private run<T>(exclusive: boolean, task: () => Promise<T>): Promise<T> {
		const go = (): Promise<T> => {
			let running: Promise<T>;
			try {
				running = task();
			} catch (cause) {
				running = Promise.reject(cause instanceof Error ? cause : new Error(String(cause)));
			}
			return running.finally(() => this.release(exclusive));
		};
		if (this.canStart(exclusive)) {
			this.enter(exclusive);
			return go();
		}
		return new Promise<T>((resolve, reject) => {
			this.waiting.push({
				exclusive,
				start: () => {
					go().then(resolve, reject);
				}
			});
		});
	}

	private canStart(exclusive: boolean): boolean {
		if (this.writing || this.waiting.length > 0) return false;
		return exclusive ? this.readers === 0 : true;
	}

	private enter(exclusive: boolean): void {
		if (exclusive) this.writing = true;
		else this.readers++;
	}

	private release(exclusive: boolean): void {
		if (exclusive) this.writing = false;
		else this.readers--;
		this.admit();
	}

	/** Starts waiting tasks in arrival order: one change alone, or every reader up to the next change. */
	private admit(): void {
		while (this.waiting.length > 0 && !this.writing) {
			const next = this.waiting[0];
			if (!next) return;
			if (next.exclusive && this.readers > 0) return;
			this.waiting.shift();
			this.enter(next.exclusive);
			next.start();
		}
	}
}
