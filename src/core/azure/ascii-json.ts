/**
 * JSON text that is pure ASCII: every character outside ASCII is written as a `\uXXXX` escape, which
 * `JSON.parse` reads back as the same character. Otherwise the text is exactly `JSON.stringify`'s.
 *
 * Why: V8 keeps a string whose characters all fit in one byte at one byte per character, but a single character
 * beyond U+00FF (the default world's ’) makes it keep the whole text at two bytes per character. A saved world
 * is large (a 1,000-resource world is about 1.7 million characters) and is copied whole at least once between
 * `JSON.stringify` and `JSON.parse` (the engine flattens the pieces `stringify` builds into one string), so one
 * such character doubles the cost of that copy. Escaping everything outside ASCII (the simpler rule) keeps the
 * text at one byte per character.
 */

const NON_ASCII = /[\u0080-\uffff]/;

/** `JSON.stringify(value)` and whether any key or string in it holds a character outside ASCII. */
export function stringifyNoting(value: unknown): { text: string | undefined; ascii: boolean } {
	let ascii = true;
	// A replacer that returns each value unchanged leaves the text as it was, and costs less than a second walk.
	const text = JSON.stringify(value, (key: string, item: unknown) => {
		if (ascii && (NON_ASCII.test(key) || (typeof item === 'string' && NON_ASCII.test(item))))
			ascii = false;
		return item;
	}) as string | undefined;
	return { text, ascii };
}

const CHUNK = 8192;

/** `text` with every character outside ASCII written as a `\uXXXX` escape, held one byte per character. */
function escapeNonAscii(text: string): string {
	// String.fromCharCode of codes below 128 makes a one-byte string; a slice of a two-byte string would stay
	// two-byte (and make whatever it is joined to two-byte too).
	const codes: number[] = [];
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x80) codes.push(code);
		else {
			const escape = `\\u${code.toString(16).padStart(4, '0')}`;
			for (let j = 0; j < escape.length; j++) codes.push(escape.charCodeAt(j));
		}
	}
	let out = '';
	for (let i = 0; i < codes.length; i += CHUNK)
		out += String.fromCharCode(...codes.slice(i, i + CHUNK));
	return out;
}

/** True when a record's entry (its key, and every key and string in its value) is all ASCII. */
export function isAsciiEntry(key: string, value: unknown): boolean {
	return !NON_ASCII.test(key) && stringifyNoting(value).ascii;
}

/**
 * `JSON.stringify(value)` with characters outside ASCII escaped. Only the parts that hold such characters are
 * taken apart (an object into its entries, an array into its items, down to the strings themselves); the rest
 * is written by `JSON.stringify` whole.
 */
export function asciiJsonOf(value: unknown): string | undefined {
	const { text, ascii } = stringifyNoting(value);
	if (ascii || text === undefined) return text;
	if (typeof value !== 'object' || value === null) return escapeNonAscii(text);
	if (Array.isArray(value)) {
		let out = '[';
		for (let i = 0; i < value.length; i++) {
			if (i > 0) out += ',';
			// As JSON.stringify does: an item that has no JSON form (undefined, a function) is written as null.
			out += asciiJsonOf(value[i]) ?? 'null';
		}
		return `${out}]`;
	}
	return objectJson(value as Record<string, unknown>, (item) => asciiJsonOf(item));
}

/** An object's JSON from its entries' JSON; entries that have no JSON form are left out, as JSON.stringify does. */
export function objectJson(
	value: Record<string, unknown>,
	json: (item: unknown, key: string) => string | undefined
): string {
	let out = '{';
	let first = true;
	for (const key of Object.keys(value)) {
		const item = json(value[key], key);
		if (item === undefined) continue;
		out += `${first ? '' : ','}${asciiJsonOf(key) as string}:${item}`;
		first = false;
	}
	return `${out}}`;
}

/** Pretty JSON text (indented by two spaces) of plain data, with characters outside ASCII escaped. */
export function prettyAsciiJson(value: unknown): string {
	// Files written for people: rare, so one pass over the whole text is fine.
	const text = JSON.stringify(value, null, 2);
	return NON_ASCII.test(text) ? escapeNonAscii(text) : text;
}
