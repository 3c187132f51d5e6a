/** How the terminal shows a block of output: long JSON is folded to its first lines, the full text kept. */

/** JSON longer than this many lines is folded. */
export const FOLD_AFTER_LINES = 30;
/** How many lines a folded block shows. */
export const FOLDED_LINES = 20;

/** A block of output as the terminal shows it. */
export interface OutputView {
	/** The whole text (what the copy button copies). */
	full: string;
	/** The text shown while folded (the first lines), or null when the block is not folded. */
	head: string | null;
	lineCount: number;
}

/** True when the text looks like a JSON document (an object or an array), as az and curl print it. */
export function looksLikeJson(text: string): boolean {
	const trimmed = text.trim();
	return (
		(trimmed.startsWith('{') && trimmed.endsWith('}')) ||
		(trimmed.startsWith('[') && trimmed.endsWith(']'))
	);
}

/** The view of a block: JSON over {@link FOLD_AFTER_LINES} lines gets a folded head. */
export function outputView(text: string): OutputView {
	const full = text.replace(/\n$/, '');
	const lines = full.split('\n');
	const fold = lines.length > FOLD_AFTER_LINES && looksLikeJson(full);
	return {
		full,
		head: fold ? lines.slice(0, FOLDED_LINES).join('\n') : null,
		lineCount: lines.length
	};
}
