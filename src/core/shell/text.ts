/** Small text helpers shared by the terminal's commands. */

/** Edit distance between two strings, counting a swap of neighbours as one edit (for "did you mean"). */
export function editDistance(a: string, b: string): number {
	const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
		Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
	);
	const at = (i: number, j: number) => d[i]?.[j] ?? 0;
	for (let i = 1; i <= a.length; i++) {
		const row = d[i] ?? [];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
				best = Math.min(best, at(i - 2, j - 2) + 1);
			row[j] = best;
		}
	}
	return at(a.length, b.length);
}

/** The candidate closest to `word`, when it is close enough to be a typo of it. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
	const lower = word.toLowerCase();
	const allowed = Math.max(1, Math.floor(word.length / 3));
	let best: string | undefined;
	let bestDistance = Infinity;
	for (const candidate of candidates) {
		// The distance is at least the difference in length: a word far longer than every candidate (a pasted
		// blob) costs nothing instead of a table of its length times the candidate's.
		if (Math.abs(candidate.length - word.length) > allowed) continue;
		const distance = editDistance(lower, candidate.toLowerCase());
		if (distance < bestDistance) {
			best = candidate;
			bestDistance = distance;
		}
	}
	return best !== undefined && bestDistance <= allowed ? best : undefined;
}

/** Ensures text ends with exactly one newline (empty text stays empty). */
export function line(text: string): string {
	return text === '' ? '' : text.endsWith('\n') ? text : `${text}\n`;
}
