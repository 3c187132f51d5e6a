/** ↑/↓ through the shell's history, keeping the line being typed to come back to. */
export class History {
	/** Position in the history while browsing it; null while typing a new line. */
	#index: number | null = null;
	#draft = '';

	/** Back to typing a new line (after Enter or Ctrl+C). */
	reset(): void {
		this.#index = null;
		this.#draft = '';
	}

	/**
	 * The line to show after moving `step` (-1 older, +1 newer) from the current one; null when there is
	 * nothing further that way (the key then does what it does in a text field).
	 */
	move(lines: readonly string[], current: string, step: -1 | 1): string | null {
		if (lines.length === 0) return null;
		if (this.#index === null) {
			if (step === 1) return null;
			this.#draft = current;
			this.#index = lines.length - 1;
			return lines[this.#index] ?? '';
		}
		const next = this.#index + step;
		if (next < 0) return null;
		if (next >= lines.length) {
			this.#index = null;
			return this.#draft;
		}
		this.#index = next;
		return lines[next] ?? '';
	}
}
