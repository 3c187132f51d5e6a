/**
 * From a typed line to lists of pipelines of commands. Words, quotes, escapes, operators and comments come from
 * shell-quote. Two things are kept for later, because they depend on what runs before them on the same line:
 * `$VAR` / `${VAR}` references and `$(…)` command substitutions. Both stay in the words as markers (characters
 * from Unicode's private-use area, which the learner's text never contains) and are expanded when the command
 * they belong to runs, so `A=1; echo $A` and `T=$(curl …) && curl -H "Authorization: Bearer $T" …` work.
 */
import { parse as shellParse } from 'shell-quote';
import type { Result } from '../result.ts';
import { err, ok } from '../result.ts';

/** Opens a variable reference; the name follows, then {@link VAR_CLOSE}. */
export const VAR_OPEN = '\uE000';
/** Closes a variable reference. */
export const VAR_CLOSE = '\uE001';
/** Opens a command substitution inside double quotes (its output stays one word); its index follows. */
export const SUB_QUOTED = '\uE002';
/** Opens an unquoted command substitution (its output is split into words). */
export const SUB_SPLIT = '\uE004';
/** Closes a command substitution marker. */
export const SUB_CLOSE = '\uE003';

const MARKERS = /[\uE000-\uE005]/g;

/** How a pipeline is joined to the one before it. */
export type Connector = ';' | '&&' | '||';

/** One command: its words, with markers still in them. */
export interface SimpleCommand {
	words: string[];
}

/** Commands joined by `|`. */
export interface Pipeline {
	commands: SimpleCommand[];
}

/** A pipeline and how it is joined to the previous one (null for the first). */
export interface ListItem {
	connector: Connector | null;
	pipeline: Pipeline;
}

/** A parsed line: its pipelines and the source text of each command substitution. */
export interface ParsedLine {
	items: ListItem[];
	/** `$(…)` bodies, by the index their markers carry. */
	substitutions: string[];
}

/** Why a line could not be parsed; bash exits 2 on these. */
export interface SyntaxError {
	message: string;
}

function syntaxError(message: string): { ok: false; error: SyntaxError } {
	return err({ message });
}

/** Index of the `)` that closes a `$(` whose body starts at `start`, or -1. */
function closingParen(line: string, start: number): number {
	let depth = 1;
	let quote: '"' | "'" | null = null;
	for (let i = start; i < line.length; i++) {
		const c = line[i];
		if (quote === "'") {
			if (c === "'") quote = null;
			continue;
		}
		if (c === '\\') {
			i++;
			continue;
		}
		if (quote === '"') {
			if (c === '"') quote = null;
			continue;
		}
		if (c === '"' || c === "'") quote = c;
		else if (c === '(') depth++;
		else if (c === ')' && --depth === 0) return i;
	}
	return -1;
}

/**
 * Replaces each `$(…)` and `` `…` `` outside single quotes and comments by a marker, and returns their bodies.
 * This only finds where a substitution starts and ends; words and quotes are shell-quote's job.
 */
function extractSubstitutions(
	line: string
): Result<{ text: string; substitutions: string[] }, SyntaxError> {
	const substitutions: string[] = [];
	let out = '';
	let quote: '"' | "'" | null = null;
	for (let i = 0; i < line.length; i++) {
		const c = line[i] ?? '';
		if (quote === "'") {
			out += c;
			if (c === "'") quote = null;
			continue;
		}
		if (c === '\\') {
			out += c + (line[i + 1] ?? '');
			i++;
			continue;
		}
		if (c === '"') {
			quote = quote === '"' ? null : '"';
			out += c;
			continue;
		}
		if (c === "'" && quote === null) {
			quote = "'";
			out += c;
			continue;
		}
		if (c === '#' && quote === null && (i === 0 || /[\s;|&()]/.test(line[i - 1] ?? ''))) {
			out += line.slice(i);
			break;
		}
		const open = quote === '"' ? SUB_QUOTED : SUB_SPLIT;
		if (c === '$' && line[i + 1] === '(') {
			if (line[i + 2] === '(') {
				return syntaxError('arithmetic expansion $(( … )) is not supported in this terminal');
			}
			const end = closingParen(line, i + 2);
			if (end < 0) return syntaxError("unexpected EOF while looking for matching `)'");
			out += `${open}${substitutions.length}${SUB_CLOSE}`;
			substitutions.push(line.slice(i + 2, end));
			i = end;
			continue;
		}
		if (c === '`') {
			const end = line.indexOf('`', i + 1);
			if (end < 0) return syntaxError("unexpected EOF while looking for matching ``'");
			out += `${open}${substitutions.length}${SUB_CLOSE}`;
			substitutions.push(line.slice(i + 1, end));
			i = end;
			continue;
		}
		out += c;
	}
	return ok({ text: out, substitutions });
}

type Token = ReturnType<typeof shellParse>[number];

const UNSUPPORTED: Record<string, string> = {
	'>': 'redirection (>) is not supported in this terminal: output stays on screen. To keep a value, store it in a variable: X=$(command)',
	'>>': 'redirection (>>) is not supported in this terminal: output stays on screen. To keep a value, store it in a variable: X=$(command)',
	'<': 'redirection (<) is not supported in this terminal: pass the value as an argument, or pipe it: echo "$X" | command',
	'&': 'background jobs (&) are not supported in this terminal: run the command on its own',
	'(': 'subshells ( … ) are not supported in this terminal; use $( … ) to capture a command’s output',
	')': "syntax error near unexpected token `)'"
};

function describeOp(op: string): string {
	return UNSUPPORTED[op] ?? `syntax error near unexpected token \`${op}'`;
}

/** Parses a line into pipelines joined by `;`, `&&` and `||`. Never throws. */
export function parseLine(input: string): Result<ParsedLine, SyntaxError> {
	const extracted = extractSubstitutions(input.replace(MARKERS, ''));
	if (!extracted.ok) return extracted;
	let tokens: Token[];
	try {
		tokens = shellParse(extracted.value.text, (key: string) => `${VAR_OPEN}${key}${VAR_CLOSE}`);
	} catch (cause) {
		const message = cause instanceof Error ? cause.message : String(cause);
		return syntaxError(
			/bad substitution/i.test(message) ? `${message.trim()}: a \${ has no closing }` : message
		);
	}
	const items: ListItem[] = [];
	let connector: Connector | null = null;
	let commands: SimpleCommand[] = [];
	let words: string[] = [];
	let pendingOp: string | null = null;

	const endCommand = (op: string): Result<null, SyntaxError> => {
		if (words.length === 0) return syntaxError(`syntax error near unexpected token \`${op}'`);
		commands.push({ words });
		words = [];
		return ok(null);
	};

	for (const token of tokens) {
		if (typeof token === 'string') {
			words.push(token);
			pendingOp = null;
			continue;
		}
		if ('comment' in token) break;
		if (!('op' in token)) continue;
		if (token.op === 'glob') {
			words.push((token as { pattern: string }).pattern);
			pendingOp = null;
			continue;
		}
		const op = token.op as string;
		if (op === '|') {
			const ended = endCommand(op);
			if (!ended.ok) return ended;
			pendingOp = op;
			continue;
		}
		if (op === '&&' || op === '||' || op === ';') {
			const ended = endCommand(op);
			if (!ended.ok) return ended;
			items.push({ connector, pipeline: { commands } });
			commands = [];
			connector = op;
			pendingOp = op === ';' ? null : op;
			continue;
		}
		return syntaxError(describeOp(op));
	}
	if (pendingOp !== null) {
		return syntaxError(`unexpected end of line after \`${pendingOp}': a command must follow it`);
	}
	if (words.length > 0) commands.push({ words });
	if (commands.length > 0) items.push({ connector, pipeline: { commands } });
	return ok({ items, substitutions: extracted.value.substitutions });
}

/** True when a raw word is a variable assignment (`NAME=value`). */
export function isAssignment(word: string): boolean {
	return /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);
}
