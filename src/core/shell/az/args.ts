/**
 * az's argument parsing, with argparse's rules and messages: `--name value`, `--name=value`, `-nvalue`, switches,
 * lists (`--identities a b`), `expected one argument`, `unrecognized arguments`, `the following arguments are
 * required`, `invalid choice`.
 */
import type { AzArg, AzArgs } from './types.ts';
import type { Result } from '../../result.ts';
import { err, ok } from '../../result.ts';

/** Output formats az knows. */
export const OUTPUT_FORMATS = ['json', 'jsonc', 'none', 'table', 'tsv', 'yaml', 'yamlc'] as const;

/** The global arguments every az command takes. */
export const GLOBAL_ARGS: readonly AzArg[] = [
	{
		dest: 'debug',
		options: ['--debug'],
		kind: 'flag',
		help: 'Increase logging verbosity to show all debug logs.'
	},
	{
		dest: 'help',
		options: ['--help', '-h'],
		kind: 'flag',
		help: 'Show this help message and exit.'
	},
	{
		dest: 'onlyShowErrors',
		options: ['--only-show-errors'],
		kind: 'flag',
		help: 'Only show errors, suppressing warnings.'
	},
	{
		dest: 'output',
		options: ['--output', '-o'],
		help: 'Output format.  Default: json.',
		choices: OUTPUT_FORMATS
	},
	{
		dest: 'query',
		options: ['--query'],
		help: 'JMESPath query string. See http://jmespath.org/ for more information and examples.'
	},
	{ dest: 'subscription', options: ['--subscription'], help: 'Name or ID of subscription.' },
	{
		dest: 'verbose',
		options: ['--verbose'],
		kind: 'flag',
		help: 'Increase logging verbosity. Use --debug for full debug logs.'
	}
];

/** The `--ids` argument of commands that accept resource ids. */
export const IDS_ARG: AzArg = {
	dest: 'ids',
	options: ['--ids'],
	kind: 'list',
	help: "One or more resource IDs (space-delimited). It should be a complete resource ID containing all information of 'Resource Id' arguments. You should provide either --ids or other 'Resource Id' arguments."
};

/** `--name/-n` as argparse names an argument in its messages. */
export function argLabel(arg: AzArg): string {
	return arg.options.join('/');
}

function isOptionLike(token: string): boolean {
	return token.startsWith('-') && token.length > 1 && !/^-\d/.test(token);
}

/** Parses the tokens after the command words against the command's and the global arguments. */
export function parseAzArgs(
	specs: readonly AzArg[],
	tokens: readonly string[],
	options: { ids: boolean }
): Result<AzArgs, string> {
	const all = [...specs, ...(options.ids ? [IDS_ARG] : []), ...GLOBAL_ARGS];
	const byOption = new Map<string, AzArg>();
	for (const spec of all) for (const option of spec.options) byOption.set(option, spec);
	const values: AzArgs = {};
	const unrecognized: string[] = [];
	for (let i = 0; i < tokens.length; i++) {
		const token = tokens[i] ?? '';
		if (!isOptionLike(token)) {
			unrecognized.push(token);
			continue;
		}
		let name = token;
		let inline: string | undefined;
		const eq = token.indexOf('=');
		if (token.startsWith('--') && eq > 0) {
			name = token.slice(0, eq);
			inline = token.slice(eq + 1);
		} else if (!token.startsWith('--') && token.length > 2 && !byOption.has(token)) {
			name = token.slice(0, 2);
			inline = token.slice(2);
		}
		const spec = byOption.get(name);
		if (!spec) {
			unrecognized.push(token);
			continue;
		}
		const kind = spec.kind ?? 'value';
		if (kind === 'flag') {
			if (inline !== undefined)
				return err(`argument ${argLabel(spec)}: ignored explicit argument '${inline}'`);
			values[spec.dest] = true;
			continue;
		}
		if (kind === 'value') {
			let value = inline;
			if (value === undefined) {
				const next = tokens[i + 1];
				if (next === undefined || isOptionLike(next))
					return err(`argument ${argLabel(spec)}: expected one argument`);
				value = next;
				i++;
			}
			if (spec.choices && !spec.choices.some((c) => c.toLowerCase() === value.toLowerCase())) {
				return err(
					`argument ${argLabel(spec)}: invalid choice: '${value}' (choose from ${spec.choices.map((c) => `'${c}'`).join(', ')})`
				);
			}
			values[spec.dest] = spec.choices ? value.toLowerCase() : value;
			continue;
		}
		const list: string[] = inline !== undefined ? [inline] : [];
		while (
			inline === undefined &&
			tokens[i + 1] !== undefined &&
			!isOptionLike(tokens[i + 1] ?? '')
		) {
			list.push(tokens[i + 1] ?? '');
			i++;
		}
		if (kind === 'list' && list.length === 0)
			return err(`argument ${argLabel(spec)}: expected at least one argument`);
		const previous = values[spec.dest];
		values[spec.dest] = Array.isArray(previous) ? [...previous, ...list] : list;
	}
	if (values.help === true) return ok(values);
	const idsGiven = Array.isArray(values.ids) && values.ids.length > 0;
	const missing = specs.filter(
		(s) => s.required && values[s.dest] === undefined && !(s.idPart && idsGiven)
	);
	if (missing.length > 0 && options.ids && missing.every((s) => s.idPart)) {
		// az's wording for commands that also take --ids: "(--resource-group --name | --ids) are required"
		// (azure-cli's id-part validation; seen as "(--name | --ids) are required" when only the name is missing).
		const order = (s: AzArg) => (s.dest === 'resourceGroup' ? 0 : 1);
		const longNames = [...missing]
			.sort((a, b) => order(a) - order(b))
			.map((s) => s.options.find((o) => o.startsWith('--')) ?? s.options[0]);
		return err(`(${longNames.join(' ')} | --ids) are required`);
	}
	if (missing.length > 0) {
		return err(`the following arguments are required: ${missing.map(argLabel).join(', ')}`);
	}
	if (unrecognized.length > 0) return err(`unrecognized arguments: ${unrecognized.join(' ')}`);
	return ok(values);
}

/** A string argument, or undefined. */
export function str(args: AzArgs, dest: string): string | undefined {
	const value = args[dest];
	return typeof value === 'string' ? value : undefined;
}

/** A list argument, or an empty list. */
export function list(args: AzArgs, dest: string): string[] {
	const value = args[dest];
	return Array.isArray(value) ? value : [];
}

/** True when a switch was given. */
export function flag(args: AzArgs, dest: string): boolean {
	return args[dest] === true;
}
