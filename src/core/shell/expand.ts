/**
 * Expanding the markers the parser left in words: variables (`$A`, `${A}`, `${A:-default}`, `${#A}`, `$?`)
 * and command substitutions. A substitution's output loses its trailing newlines; outside double quotes it is
 * split into words, as bash does (`--ids $(az … -o tsv)` gives one argument per line).
 */
import { SUB_CLOSE, SUB_QUOTED, SUB_SPLIT, VAR_CLOSE, VAR_OPEN } from './parse.ts';

/** Looks a variable up; undefined when it is not set. */
export type VariableLookup = (name: string) => string | undefined;

/** Runs substitution number `index` and resolves with its output. */
export type SubstitutionRunner = (index: number) => Promise<string>;

const MARKER = new RegExp(
	`${VAR_OPEN}([^${VAR_CLOSE}]*)${VAR_CLOSE}|([${SUB_QUOTED}${SUB_SPLIT}])(\\d+)${SUB_CLOSE}`,
	'g'
);

/** The value of `${expression}`: a name, `?`, `#NAME` (length) or `NAME:-default`. */
export function variableValue(expression: string, lookup: VariableLookup): string {
	if (expression === '') return '$';
	if (expression.startsWith('#') && expression.length > 1)
		return String((lookup(expression.slice(1)) ?? '').length);
	const withDefault = /^([A-Za-z_][A-Za-z0-9_]*):?-(.*)$/s.exec(expression);
	if (withDefault) {
		const value = lookup(withDefault[1] ?? '');
		return value === undefined || (value === '' && expression.includes(':-'))
			? (withDefault[2] ?? '')
			: value;
	}
	return lookup(expression) ?? '';
}

/** The text without its trailing newlines (one backwards pass: `/\n+$/` is quadratic in newline runs). */
function withoutTrailingNewlines(text: string): string {
	let end = text.length;
	while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
	return text.slice(0, end);
}

/** True when a word contains a marker that expansion will replace. */
export function hasMarkers(word: string): boolean {
	MARKER.lastIndex = 0;
	return MARKER.test(word);
}

/**
 * Expands one word into zero or more fields. Substitutions run left to right, each once. A word made only of
 * unquoted substitutions that printed nothing disappears, as in bash.
 */
export async function expandWord(
	word: string,
	lookup: VariableLookup,
	substitute: SubstitutionRunner
): Promise<string[]> {
	const fields: string[] = [];
	let current = '';
	let hasLiteral = false;
	let last = 0;
	const matches = [...word.matchAll(MARKER)];
	for (const match of matches) {
		const before = word.slice(last, match.index);
		if (before) hasLiteral = true;
		current += before;
		last = match.index + match[0].length;
		if (match[1] !== undefined) {
			current += variableValue(match[1], lookup);
			hasLiteral = true;
			continue;
		}
		const output = withoutTrailingNewlines(await substitute(Number(match[3])));
		if (match[2] === SUB_QUOTED) {
			current += output;
			hasLiteral = true;
			continue;
		}
		const parts = output.split(/[ \t\n]+/);
		const leading = /^[ \t\n]/.test(output);
		const trailing = /[ \t\n]$/.test(output);
		const words = parts.filter((p) => p !== '');
		if (words.length === 0) continue;
		if (leading && current !== '') {
			fields.push(current);
			current = '';
		}
		for (const [i, part] of words.entries()) {
			if (i > 0) {
				fields.push(current);
				current = '';
			}
			current += part;
		}
		hasLiteral = true;
		if (trailing) {
			fields.push(current);
			current = '';
			hasLiteral = false;
		}
	}
	const rest = word.slice(last);
	if (rest) hasLiteral = true;
	current += rest;
	if (current !== '' || hasLiteral || (matches.length === 0 && word === '')) fields.push(current);
	return fields;
}

/** Expands a word into one string (assignments and here-strings are never split). */
export async function expandJoined(
	word: string,
	lookup: VariableLookup,
	substitute: SubstitutionRunner
): Promise<string> {
	const lookupOnly = word.replace(new RegExp(SUB_SPLIT, 'g'), SUB_QUOTED);
	const fields = await expandWord(lookupOnly, lookup, substitute);
	return fields.join(' ');
}
