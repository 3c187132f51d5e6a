/**
 * The `az` program: finds the command from its words (with az's "misspelled or not recognized" error), parses
 * its arguments (argparse's messages, exit code 2), checks the sign-in, runs it, applies `--query` and prints
 * in the `--output` format; errors go to stderr as `ERROR: …` with exit code 1.
 */
import type { CommandContext, CommandOutcome, ShellCommand } from '../types.ts';
import type { AzArg, AzArgs, AzCommand, AzOutcome } from './types.ts';
import { GLOBAL_ARGS, IDS_ARG, parseAzArgs, str } from './args.ts';
import type { OutputFormat } from './output.ts';
import { formatResult, checkQuery, runQuery, simpleTable, sortKeys } from './output.ts';
import { cloudShellUser } from '../state.ts';
import { closest, line } from '../text.ts';
import { AZ_COMMANDS, GROUP_SUMMARIES } from './registry.ts';
import { runAsIdentity } from './identity-access.ts';

interface Node {
	name: string;
	children: Map<string, Node>;
	command?: AzCommand;
}

function buildTree(commands: readonly AzCommand[]): Node {
	const root: Node = { name: '', children: new Map() };
	for (const command of commands) {
		let node = root;
		const words = command.name.split(' ');
		for (const [i, word] of words.entries()) {
			let child = node.children.get(word);
			if (!child) {
				child = { name: words.slice(0, i + 1).join(' '), children: new Map() };
				node.children.set(word, child);
			}
			node = child;
		}
		node.command = command;
	}
	return root;
}

const TREE = buildTree(AZ_COMMANDS);

function summaryOf(node: Node): string {
	return node.command?.summary ?? GROUP_SUMMARIES[node.name] ?? '';
}

function twoColumns(rows: [string, string][]): string {
	const width = Math.max(0, ...rows.map(([a]) => a.length));
	return rows.map(([a, b]) => `    ${a.padEnd(width)} : ${b}`).join('\n');
}

/** Help for a group: its subgroups and commands, as `az <group> --help` prints it. */
export function groupHelp(node: Node): string {
	const children = [...node.children.values()].sort((a, b) => a.name.localeCompare(b.name));
	const groups = children.filter((c) => !c.command);
	const commands = children.filter((c) => c.command);
	const last = (n: Node) => n.name.split(' ').pop() ?? n.name;
	const parts = [
		'',
		'Group',
		`    az${node.name ? ` ${node.name}` : ''}${summaryOf(node) ? ` : ${summaryOf(node)}` : ''}`,
		''
	];
	if (groups.length)
		parts.push('Subgroups:', twoColumns(groups.map((g) => [last(g), summaryOf(g)])), '');
	if (commands.length) {
		parts.push(
			'Commands:',
			twoColumns(
				commands.map((c) => [last(c), `${c.command?.lab ? '[Lab] ' : ''}${summaryOf(c)}`])
			),
			''
		);
	}
	parts.push(
		`To search AI knowledge base for examples, use: az find "az ${node.name || 'vm'}"`,
		''
	);
	return `${parts.join('\n')}\n`;
}

function argLine(arg: AzArg): [string, string] {
	return [
		`${arg.options.join(' ')}${arg.required ? ' [Required]' : ''}`,
		arg.help + (arg.choices ? `  Allowed values: ${arg.choices.join(', ')}.` : '')
	];
}

/** Help for a command: its arguments, the global arguments and examples. */
export function commandHelp(command: AzCommand): string {
	const args = [...command.args].sort(
		(a, b) =>
			Number(b.required ?? false) - Number(a.required ?? false) ||
			(a.options[0] ?? '').localeCompare(b.options[0] ?? '')
	);
	const parts = [
		'',
		'Command',
		`    az ${command.name} : ${command.lab ? '[Lab only: not an Azure CLI command] ' : ''}${command.summary}`,
		''
	];
	if (args.length) parts.push('Arguments', twoColumns(args.map(argLine)), '');
	if (command.ids) parts.push('Resource Id Arguments', twoColumns([argLine(IDS_ARG)]), '');
	parts.push('Global Arguments', twoColumns(GLOBAL_ARGS.map(argLine)), '');
	if (command.examples.length) {
		parts.push('Examples');
		for (const example of command.examples)
			parts.push(`    ${example.description}`, `        ${example.command}`, '');
	}
	return `${parts.join('\n')}\n`;
}

/** The usage line printed with a usage error. */
function usageLine(command: AzCommand): string {
	const shown = command.args.map((a) => {
		const name = a.options[0] ?? '';
		const value =
			a.kind === 'flag'
				? ''
				: ` ${a.dest.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}${a.kind === 'list' || a.kind === 'optionalList' ? ' ...' : ''}`;
		return a.required ? `${name}${value}` : `[${name}${value}]`;
	});
	return `usage: az ${command.name} ${shown.join(' ')}`.trimEnd();
}

function examplesText(command: AzCommand): string {
	if (!command.examples.length) return '';
	return `\nExamples:\n${command.examples.map((e) => `${e.command}\n    ${e.description}`).join('\n')}\n`;
}

function usageFailure(command: AzCommand | null, message: string): CommandOutcome {
	if (!command) return { exitCode: 2, stderr: `ERROR: ${message}\n` };
	return {
		exitCode: 2,
		stderr: `ERROR: ${message}\n\n${usageLine(command)}\n${examplesText(command)}`
	};
}

function notRecognized(node: Node, word: string): CommandOutcome {
	const candidates = [...node.children.keys()];
	const guess = closest(word, candidates);
	const did = guess ? `Did you mean 'az ${node.name ? `${node.name} ` : ''}${guess}' ?\n` : '';
	const where = node.name ? `az ${node.name}` : 'az';
	return {
		exitCode: 2,
		stderr: `ERROR: '${word}' is misspelled or not recognized by the system.\n${did}\n# Type ${where} --help to list what ${where} can do here.\n`
	};
}

function printOutcome(
	outcome: AzOutcome,
	command: AzCommand,
	format: OutputFormat,
	query: string | undefined,
	quiet: boolean
): CommandOutcome {
	const warnings = quiet ? '' : (outcome.warnings ?? []).map((w) => `WARNING: ${w}\n`).join('');
	const changes = {
		...(outcome.world ? { world: outcome.world } : {}),
		...(outcome.events ? { events: outcome.events } : {}),
		...(outcome.hops ? { hops: outcome.hops } : {})
	};
	if (!outcome.ok) {
		const hint = outcome.error.hint
			? `${outcome.error.hint
					.split('\n')
					.map((l) => `# ${l}`)
					.join('\n')}\n`
			: '';
		return {
			exitCode: outcome.error.exitCode,
			stderr: `${warnings}ERROR: ${line(outcome.error.message)}${hint}`,
			...changes
		};
	}
	let value = outcome.result === undefined ? undefined : sortKeys(outcome.result);
	if (query !== undefined && value !== undefined) {
		const queried = runQuery(value, query);
		if (!queried.ok)
			return {
				exitCode: 1,
				stderr: `${warnings}ERROR: ${queried.error}\n# The command itself ran: what it changed stays changed. Only the query failed on its result.\n`,
				...changes
			};
		value = queried.value;
	}
	let stdout: string;
	if (outcome.text !== undefined) {
		stdout = outcome.text;
	} else if (
		format === 'table' &&
		query === undefined &&
		command.table &&
		value !== undefined &&
		value !== null
	) {
		const rows = command.table(value);
		const list = Array.isArray(rows) ? rows : [rows];
		stdout = simpleTable(
			list.map(
				(r) =>
					new Map(
						Object.entries((r ?? {}) as Record<string, unknown>).filter(
							([, v]) => v !== null && v !== undefined
						)
					)
			)
		);
	} else {
		stdout = formatResult(value, format);
	}
	return {
		exitCode: 0,
		stdout,
		stderr: warnings,
		...changes,
		...(outcome.state ? { state: outcome.state } : {})
	};
}

function needsLogin(
	command: AzCommand,
	args: AzArgs,
	environment: Record<string, string>
): boolean {
	const rule = command.needsLogin;
	if (rule === undefined) return true;
	return typeof rule === 'function' ? rule(args, environment) : rule;
}

async function runAz(ctx: CommandContext): Promise<CommandOutcome> {
	const tokens = ctx.argv.slice(1);
	let node = TREE;
	let i = 0;
	for (; i < tokens.length; i++) {
		const word = tokens[i] ?? '';
		if (word.startsWith('-')) break;
		const child = node.children.get(word.toLowerCase());
		if (!child) return notRecognized(node, word);
		node = child;
		if (node.command) {
			i++;
			break;
		}
	}
	const command = node.command;
	if (!command) {
		const rest = tokens.slice(i);
		if (node === TREE && (rest.includes('--version') || rest.includes('-v'))) {
			return {
				exitCode: 0,
				stdout: 'azure-cli                         2.67.0 (Managed Identity Lab subset)\n'
			};
		}
		const unknown = rest.find((t) => t !== '--help' && t !== '-h');
		if (unknown !== undefined)
			return usageFailure(null, `unrecognized arguments: ${rest.join(' ')}`);
		return { exitCode: 0, stdout: groupHelp(node) };
	}
	const parsed = parseAzArgs(command.args, tokens.slice(i), { ids: command.ids ?? false });
	if (!parsed.ok) return usageFailure(command, parsed.error);
	const args = parsed.value;
	if (args.help === true) return { exitCode: 0, stdout: commandHelp(command) };
	const format = (str(args, 'output') ?? 'json') as OutputFormat;
	const query = str(args, 'query');
	const quiet = args.onlyShowErrors === true;
	if (query !== undefined) {
		const checked = checkQuery(query);
		if (!checked.ok) return { exitCode: 2, stderr: `ERROR: ${checked.error}\n` };
	}

	const subscription = str(args, 'subscription');
	if (subscription !== undefined) {
		const known = Object.values(ctx.world.subscriptions).some(
			(s) =>
				s.subscriptionId.toLowerCase() === subscription.toLowerCase() ||
				s.displayName.toLowerCase() === subscription.toLowerCase()
		);
		if (!known) {
			return {
				exitCode: 1,
				stderr: `ERROR: The subscription of '${subscription}' doesn't exist in cloud 'AzureCloud'.\n# This tenant has: ${Object.values(
					ctx.world.subscriptions
				)
					.map((s) => `${s.displayName} (${s.subscriptionId})`)
					.join(', ')}.\n`
			};
		}
	}
	const login = ctx.state.place.kind === 'cloudShell' ? undefined : ctx.state.azLogin;
	const mustSignIn = needsLogin(command, args, ctx.environment);
	if (mustSignIn && ctx.state.place.kind !== 'cloudShell' && !login) {
		return {
			exitCode: 1,
			stderr:
				"ERROR: Please run 'az login' to setup account.\n# On this machine az can sign in as its managed identity: az login --identity. Or type exit to go back to Cloud Shell, where az is signed in as you.\n"
		};
	}
	const caller = cloudShellUser(ctx.world)?.userPrincipalName ?? 'unknown';
	const invocation = {
		world: ctx.world,
		state: ctx.state,
		env: ctx.env,
		args,
		environment: ctx.environment,
		caller
	};
	const outcome =
		mustSignIn && login
			? await runAsIdentity(command, invocation, login)
			: await command.run(invocation);
	return printOutcome(outcome, command, format, query, quiet);
}

/** The `az` command of the terminal. */
export const az: ShellCommand = {
	name: 'az',
	summary:
		'The Azure CLI (a faithful subset): az identity, az vm identity, az role assignment, az keyvault secret…',
	usage: ['az --help', 'az <group> --help', 'az vm identity assign -g rg-stock -n vm-stock-app'],
	genericHelp: false,
	run: runAz
};

/** All az command names, for the terminal's help and tests. */
export function azCommandNames(): string[] {
	return AZ_COMMANDS.map((c) => c.name);
}
