/**
 * The T-SQL statements the lab's database understands, read in one pass over the text (no backtracking
 * regular expression sees the whole statement, so a pasted line of any size parses in linear time):
 * `SELECT [TOP (n)] <columns|*> FROM [schema.]table`, `CREATE USER <name> FROM EXTERNAL PROVIDER` and
 * `ALTER ROLE <role> ADD MEMBER <name>`; a trailing `;` and `GO` are dropped.
 */

/** A statement as read. Names keep their brackets, as written; the caller unbrackets them. */
export type SqlStatement =
	| { kind: 'select'; top: number | null; columns: string; table: string }
	| { kind: 'createUser'; name: string }
	| { kind: 'alterRole'; role: string; member: string }
	| { kind: 'unknown'; near: string };

interface Word {
	text: string;
	lower: string;
	start: number;
	end: number;
}

const SPACE = /\s/;

/** The whitespace-separated words of `text`, with their positions. */
function wordsOf(text: string): Word[] {
	const words: Word[] = [];
	let start = -1;
	for (let i = 0; i <= text.length; i++) {
		const blank = i === text.length || SPACE.test(text.charAt(i));
		if (blank && start >= 0) {
			const word = text.slice(start, i);
			words.push({ text: word, lower: word.toLowerCase(), start, end: i });
			start = -1;
		} else if (!blank && start < 0) start = i;
	}
	return words;
}

/** `[any name]` (no `]` inside) or a bare name of the given characters. Each test is a single linear pass. */
function isName(text: string, bare: RegExp): boolean {
	return /^\[[^\]]+\]$/.test(text) || bare.test(text);
}
const BARE_USER = /^[\w.@-]+$/;
const BARE_ROLE = /^\w+$/;
const TABLE_PART = /^\[?\w+\]?$/;
// `TOP (n)` or `TOP n`; no two whitespace quantifiers touch, so a run of blanks is not retried.
const TOP = /^top(?:\s*\(\s*(\d+)\s*\)|\s*(\d+))\s+([\s\S]+)$/i;

function isTable(text: string): boolean {
	const parts = text.split('.');
	return parts.length <= 2 && parts.every((p) => TABLE_PART.test(p));
}

/** The words of `words` from `from` to `to` (inclusive), as written in `text`. */
function span(text: string, words: readonly Word[], from: number, to: number): string {
	const first = words[from];
	const last = words[to];
	return first && last && from <= to ? text.slice(first.start, last.end) : '';
}

/** Reads one statement. */
export function parseSqlStatement(statement: string): SqlStatement {
	const words = wordsOf(statement);
	if (words.length > 1 && words[words.length - 1]?.lower === 'go') words.pop();
	const last = words[words.length - 1];
	if (last?.text.endsWith(';')) {
		if (last.text === ';') words.pop();
		else {
			const text = last.text.slice(0, -1);
			words[words.length - 1] = {
				text,
				lower: text.toLowerCase(),
				start: last.start,
				end: last.end - 1
			};
		}
	}
	const n = words.length;
	const lower = (i: number) => words[i]?.lower ?? '';
	const near = words[0]?.text ?? '';

	if (lower(0) === 'select' && n >= 4 && lower(n - 2) === 'from') {
		const table = words[n - 1]?.text ?? '';
		const middle = span(statement, words, 1, n - 3);
		if (isTable(table)) {
			const top = TOP.exec(middle);
			return top
				? { kind: 'select', top: Number(top[1] ?? top[2]), columns: top[3] ?? '', table }
				: { kind: 'select', top: null, columns: middle, table };
		}
	}
	if (
		lower(0) === 'create' &&
		lower(1) === 'user' &&
		n >= 6 &&
		lower(n - 3) === 'from' &&
		lower(n - 2) === 'external' &&
		lower(n - 1) === 'provider'
	) {
		const name = span(statement, words, 2, n - 4);
		if (isName(name, BARE_USER)) return { kind: 'createUser', name };
	}
	if (lower(0) === 'alter' && lower(1) === 'role' && n >= 6) {
		// The role is one bare word, or a bracketed name that ends at its first `]`.
		let roleEnd = 2;
		if (words[2]?.text.startsWith('[')) {
			while (roleEnd < n && !words[roleEnd]?.text.includes(']')) roleEnd++;
		}
		const role = span(statement, words, 2, roleEnd);
		const member = span(statement, words, roleEnd + 3, n - 1);
		if (
			lower(roleEnd + 1) === 'add' &&
			lower(roleEnd + 2) === 'member' &&
			isName(role, BARE_ROLE) &&
			isName(member, BARE_USER)
		)
			return { kind: 'alterRole', role, member };
	}
	return { kind: 'unknown', near };
}
