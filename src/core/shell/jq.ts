/**
 * A small jq: paths (`.`, `.a.b`, `.a[0]`, `.["key"]`, `.[]`, `.a?`), pipes between them, and the builtins
 * `keys`, `length` and `type`. Enough to pull `.access_token` out of a token response; not a general jq.
 */
import type { CommandOutcome, ShellCommand } from './types.ts';
import { own } from '../own.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Step =
	| { kind: 'key'; key: string; optional: boolean }
	| { kind: 'index'; index: number; optional: boolean }
	| { kind: 'iterate'; optional: boolean }
	| { kind: 'builtin'; name: 'keys' | 'length' | 'type' };

class JqError extends Error {}

function typeName(value: Json): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value === 'object' ? 'object' : typeof value;
}

function describeValue(value: Json): string {
	const text = JSON.stringify(value);
	return `${typeName(value)} (${text.length > 11 ? `${text.slice(0, 10)}...` : text})`;
}

/** Parses one segment (between pipes) into steps, or throws a JqError naming what is not understood. */
function parseSegment(segment: string): Step[] {
	const text = segment.trim();
	if (text === 'keys' || text === 'length' || text === 'type')
		return [{ kind: 'builtin', name: text }];
	if (!text.startsWith('.')) throw new JqError(text);
	const steps: Step[] = [];
	let rest = text;
	if (rest === '.') return steps;
	while (rest.length > 0) {
		let match: RegExpExecArray | null;
		if ((match = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(rest))) {
			steps.push({ kind: 'key', key: match[1] ?? '', optional: false });
		} else if ((match = /^\.?"((?:[^"\\]|\\.)*)"/.exec(rest))) {
			steps.push({
				kind: 'key',
				key: JSON.parse(`"${match[1] ?? ''}"`) as string,
				optional: false
			});
		} else if ((match = /^\.?\[\s*\]/.exec(rest))) {
			steps.push({ kind: 'iterate', optional: false });
		} else if ((match = /^\.?\[\s*(-?\d+)\s*\]/.exec(rest))) {
			steps.push({ kind: 'index', index: Number(match[1]), optional: false });
		} else if ((match = /^\.?\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest))) {
			steps.push({
				kind: 'key',
				key: JSON.parse(`"${match[1] ?? ''}"`) as string,
				optional: false
			});
		} else if ((match = /^\?/.exec(rest)) && steps.length > 0) {
			const last = steps[steps.length - 1];
			if (last && last.kind !== 'builtin') last.optional = true;
		} else {
			throw new JqError(text);
		}
		rest = rest.slice(match[0].length);
	}
	return steps;
}

/** Splits a filter on `|` outside quotes and brackets. */
function splitPipes(filter: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let quoted = false;
	let current = '';
	for (let i = 0; i < filter.length; i++) {
		const c = filter[i] ?? '';
		if (quoted) {
			if (c === '\\') {
				current += c + (filter[i + 1] ?? '');
				i++;
				continue;
			}
			if (c === '"') quoted = false;
		} else if (c === '"') quoted = true;
		else if (c === '[') depth++;
		else if (c === ']') depth--;
		else if (c === '|' && depth === 0) {
			parts.push(current);
			current = '';
			continue;
		}
		current += c;
	}
	parts.push(current);
	return parts;
}

function applyStep(value: Json, step: Step): Json[] {
	switch (step.kind) {
		case 'builtin':
			if (step.name === 'type') return [typeName(value)];
			if (step.name === 'keys') {
				if (Array.isArray(value)) return [value.map((_, i) => i)];
				if (value !== null && typeof value === 'object') return [Object.keys(value).sort()];
				throw new JqError(`${describeValue(value)} has no keys`);
			}
			if (value === null) return [0];
			if (typeof value === 'string' || Array.isArray(value)) return [value.length];
			if (typeof value === 'object') return [Object.keys(value).length];
			if (typeof value === 'number') return [Math.abs(value)];
			throw new JqError(`${describeValue(value)} has no length`);
		case 'key':
			if (value === null) return [null];
			if (typeof value === 'object' && !Array.isArray(value)) return [own(value, step.key) ?? null];
			if (step.optional) return [];
			throw new JqError(`Cannot index ${typeName(value)} with "${step.key}"`);
		case 'index':
			if (value === null) return [null];
			if (Array.isArray(value))
				return [value[step.index < 0 ? value.length + step.index : step.index] ?? null];
			if (step.optional) return [];
			throw new JqError(`Cannot index ${typeName(value)} with number`);
		case 'iterate':
			if (Array.isArray(value)) return value;
			if (value !== null && typeof value === 'object') return Object.values(value);
			if (step.optional) return [];
			throw new JqError(`Cannot iterate over ${value === null ? 'null' : describeValue(value)}`);
	}
}

/** Reads the input: one JSON document, or several (one per line or concatenated). */
function readInputs(text: string): Json[] | string {
	if (text.trim() === '') return [];
	try {
		return [JSON.parse(text) as Json];
	} catch (cause) {
		const values: Json[] = [];
		for (const line of text.split('\n')) {
			if (line.trim() === '') continue;
			try {
				values.push(JSON.parse(line) as Json);
			} catch {
				return cause instanceof Error ? cause.message : String(cause);
			}
		}
		return values;
	}
}

function render(value: Json, raw: boolean, compact: boolean): string {
	if (raw && typeof value === 'string') return value;
	return compact ? JSON.stringify(value) : JSON.stringify(value, null, 2);
}

const USAGE = ['command | jq [-r] [-c] FILTER', 'curl -s … | jq -r .access_token', 'jq . FILE'];

/** `jq`. */
export const jq: ShellCommand = {
	name: 'jq',
	summary:
		'Pick values out of JSON: jq -r .access_token, jq .a.b, jq .[0].name, jq . (pretty print).',
	usage: USAGE,
	run(ctx): CommandOutcome {
		let raw = false;
		let compact = false;
		let exitStatus = false;
		let joined = false;
		const positional: string[] = [];
		for (const arg of ctx.argv.slice(1)) {
			if (arg === '--raw-output') raw = true;
			else if (arg === '--compact-output') compact = true;
			else if (arg === '--exit-status') exitStatus = true;
			else if (arg === '--join-output') joined = raw = true;
			else if (arg === '--monochrome-output' || arg === '--color-output') continue;
			else if (/^-[rcMCej]+$/.test(arg)) {
				if (arg.includes('r')) raw = true;
				if (arg.includes('c')) compact = true;
				if (arg.includes('e')) exitStatus = true;
				if (arg.includes('j')) joined = raw = true;
			} else if (arg.startsWith('-') && arg !== '-' && !arg.startsWith('-.')) {
				return {
					exitCode: 2,
					stderr: `jq: Unknown option: ${arg}\nUse jq --help for help with command-line options.\n`
				};
			} else positional.push(arg);
		}
		const [filter, file] = positional;
		if (filter === undefined) {
			return {
				exitCode: 2,
				stderr: `Usage:\tjq [OPTIONS] FILTER [FILES...]\n\nExamples: ${USAGE.join(' ; ')}\n`
			};
		}
		let segments: Step[][];
		try {
			segments = splitPipes(filter).map(parseSegment);
		} catch {
			return {
				exitCode: 3,
				stderr: `jq: error: '${filter}' is not a filter this lab's jq understands.\njq: 1 compile error\n# This jq knows paths (., .a.b, .a[0], .["key"], .[]), pipes between them, and keys, length, type. Example: jq -r .access_token\n`
			};
		}
		let input = ctx.stdin;
		if (file !== undefined) {
			return {
				exitCode: 2,
				stderr: `jq: error: Could not open ${file}: reading files is not supported here; pipe the JSON in: cat ${file} | jq '${filter}'\n`
			};
		}
		const values = readInputs(input);
		if (typeof values === 'string') {
			input = input.length > 60 ? `${input.slice(0, 60)}…` : input;
			return {
				exitCode: 2,
				stderr: `jq: error (at <stdin>:0): Cannot parse the input as JSON (${values})\n# jq reads JSON, but the command before the | printed something else: ${JSON.stringify(input.trim())}. Run that command alone to see what it printed (an error?).\n`
			};
		}
		let stdout = '';
		let last: Json | undefined;
		try {
			for (const value of values) {
				let stream: Json[] = [value];
				for (const steps of segments) {
					for (const step of steps) stream = stream.flatMap((v) => applyStep(v, step));
				}
				for (const out of stream) {
					stdout += render(out, raw, compact) + (joined ? '' : '\n');
					last = out;
				}
			}
		} catch (cause) {
			const message = cause instanceof Error ? cause.message : String(cause);
			return { exitCode: 5, stdout, stderr: `jq: error (at <stdin>:0): ${message}\n` };
		}
		const exitCode = exitStatus
			? last === undefined
				? 4
				: last === null || last === false
					? 1
					: 0
			: 0;
		return { exitCode, stdout };
	}
};
