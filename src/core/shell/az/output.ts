/**
 * az's output, as knack writes it: JSON with sorted keys and two-space indents; tsv rows (a list's length, an
 * empty field for an object, `None` for null); tables in tabulate's "simple" format (scalar columns only, `id`,
 * `type` and `etag` skipped, headers capitalised); YAML; nothing for `none`. `--query` is JMESPath.
 */
import * as jmespath from 'jmespath';
import { stringify as yamlStringify } from 'yaml';
import type { Result } from '../../result.ts';
import { err, ok } from '../../result.ts';

/** An output format az knows. */
export type OutputFormat = 'json' | 'jsonc' | 'yaml' | 'yamlc' | 'table' | 'tsv' | 'none';

/** A copy of a JSON value with every object's keys in sorted order (as Python's sort_keys). */
export function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const key of Object.keys(value).sort(compareKeys))
			out[key] = sortKeys((value as Record<string, unknown>)[key]);
		return out;
	}
	return value;
}

/** Python compares str keys by code point; so does this (no locale). */
function compareKeys(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

const { compile: compileJmespath } = jmespath as unknown as { compile: (query: string) => unknown };

/**
 * Checks a `--query` before the command runs, as az's argument parser does (knack's `jmespath_type` compiles
 * it): the error is az's message for a query that does not parse, and the command then never runs.
 */
export function checkQuery(query: string): Result<null, string> {
	try {
		compileJmespath(query);
		return ok(null);
	} catch (cause) {
		const detail = cause instanceof Error ? cause.message : String(cause);
		return err(
			`argument --query: invalid jmespath_type value: '${query}'\n# JMESPath says: ${detail}`
		);
	}
}

/**
 * Runs a (checked) JMESPath query on a command's result. A query can still fail on the data (a function given
 * the wrong type): az then reports it after the command has run, with its "Invalid jmespath query" message.
 */
export function runQuery(value: unknown, query: string): Result<unknown, string> {
	const checked = checkQuery(query);
	if (!checked.ok) return checked;
	try {
		return ok(jmespath.search(value, query) as unknown);
	} catch (cause) {
		const detail = cause instanceof Error ? cause.message : String(cause);
		return err(
			`Invalid jmespath query supplied for \`--query\`: ${detail}\nTo learn more about --query, please visit: 'https://learn.microsoft.com/cli/azure/query-azure-cli'`
		);
	}
}

function jsonText(value: unknown): string {
	return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function tsvField(value: unknown): string {
	if (Array.isArray(value)) return String(value.length);
	if (value !== null && typeof value === 'object') return '';
	if (value === null || value === undefined) return 'None';
	if (typeof value === 'boolean') return value ? 'True' : 'False';
	return typeof value === 'string' ? value : JSON.stringify(value);
}

function tsvText(value: unknown): string {
	const rows: unknown[] = Array.isArray(value) ? value : [value];
	return rows
		.map((row) => {
			if (Array.isArray(row)) return `${row.map(tsvField).join('\t')}\n`;
			if (row !== null && typeof row === 'object')
				return `${Object.values(row).map(tsvField).join('\t')}\n`;
			if (typeof row === 'boolean') return `${row ? 'true' : 'false'}\n`;
			return `${tsvField(row)}\n`;
		})
		.join('');
}

const SKIP_KEYS = new Set(['id', 'type', 'etag']);

function capitalize(key: string): string {
	return key ? key[0]?.toUpperCase() + key.slice(1) : key;
}

function tableRow(item: unknown): Map<string, unknown> {
	const row = new Map<string, unknown>();
	if (Array.isArray(item)) {
		item.forEach((v, i) => row.set(`Column${i + 1}`, v));
	} else if (item !== null && typeof item === 'object') {
		for (const [key, value] of Object.entries(item)) {
			if (SKIP_KEYS.has(key)) continue;
			if (value !== null && value !== undefined && typeof value !== 'object')
				row.set(capitalize(key), value);
		}
	} else {
		row.set('Result', item);
	}
	return row;
}

function cell(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'boolean') return value ? 'True' : 'False';
	return typeof value === 'string' ? value : JSON.stringify(value);
}

/** tabulate's "simple" table: headers, dashes (header width + 2 at least), rows; lines right-trimmed. */
export function simpleTable(rows: readonly Map<string, unknown>[]): string {
	const headers: string[] = [];
	for (const row of rows)
		for (const key of row.keys()) if (!headers.includes(key)) headers.push(key);
	if (headers.length === 0) return '\n';
	const cells = rows.map((row) => headers.map((h) => cell(row.get(h))));
	const widths = headers.map((h, i) =>
		Math.max(h.length + 2, ...cells.map((c) => (c[i] ?? '').length))
	);
	const render = (values: string[]) =>
		values
			.map((v, i) => v.padEnd(widths[i] ?? 0))
			.join('  ')
			.trimEnd();
	return `${[render(headers), render(widths.map((w) => '-'.repeat(w))), ...cells.map(render)].join('\n')}\n`;
}

function tableText(value: unknown): string {
	const rows = (Array.isArray(value) ? value : [value]).map(tableRow);
	return simpleTable(rows);
}

/**
 * Formats a command's result. Values arrive with sorted keys (az's objects) or in query order (objects made by
 * a `--query` multiselect), which tsv and table keep, as knack does with its OrderedDicts.
 */
export function formatResult(value: unknown, format: OutputFormat): string {
	// knack prints nothing at all for a None result, whatever the format.
	if (value === undefined || value === null) return '';
	switch (format) {
		case 'json':
		case 'jsonc':
			return jsonText(value);
		case 'yaml':
		case 'yamlc':
			return yamlStringify(sortKeys(value), { indentSeq: false });
		case 'tsv':
			return tsvText(value);
		case 'table':
			return tableText(value);
		case 'none':
			return '';
	}
}
