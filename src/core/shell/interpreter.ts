/**
 * The terminal's interpreter: runs one typed line against the world from a shell state. Lines are lists of
 * pipelines (`;`, `&&`, `||`, `|`); words are expanded when their command runs. Commands change the world only
 * through applyOperation; this module threads the world, the events and the hops from one command to the next.
 */
import type { World } from '../azure/model.ts';
import type { WorldEvent } from '../azure/events.ts';
import type { Hop, NetworkEnv } from '../http/types.ts';
import type { CommandOutcome, LineResult, ShellCommand, ShellState } from './types.ts';
import type { ParsedLine, SimpleCommand } from './parse.ts';
import { isAssignment, parseLine } from './parse.ts';
import { expandJoined, expandWord } from './expand.ts';
import { describePlace } from './state.ts';
import { addToHistory } from './history.ts';
import { findCommand, suggestCommand } from './commands.ts';
import { own, setOwn } from '../own.ts';

/**
 * The longest line the terminal reads: 64 KiB (65,536 characters), far more than a command, a token or a JSON
 * body a person pastes, and small enough that every line answers well within a second.
 */
export const MAX_LINE_LENGTH = 65_536;

/** How deep command substitutions and remote commands may nest. */
const MAX_DEPTH = 4;

/** A pseudo process id for `$$` (deterministic: the core never draws random numbers). */
const SHELL_PID = '4242';

interface Run {
	world: World;
	state: ShellState;
	stdout: string;
	stderr: string;
	events: WorldEvent[];
	hops: Hop[];
	clear: boolean;
	exitCode: number;
}

function describeCause(cause: unknown): string {
	return cause instanceof Error ? cause.message : String(cause);
}

function internalError(what: string, cause: unknown): string {
	return `lab: ${what} failed inside the simulator (${describeCause(cause)}). Nothing was changed. Try the command again, or type help.\n`;
}

/**
 * Runs a line. Never throws: an internal error prints a readable message, exits 1 and leaves the world as it
 * was. The line goes into the history (when it is not blank) whatever happens.
 */
export async function runLine(
	world: World,
	state: ShellState,
	line: string,
	env: NetworkEnv
): Promise<LineResult> {
	const text = typeof line === 'string' ? line : '';
	if (text.length > MAX_LINE_LENGTH) {
		return {
			world,
			state: { ...state, lastExitCode: 2 },
			stdout: '',
			stderr: `bash: this line is ${text.length.toLocaleString('en-US')} characters long; the lab's terminal reads lines of at most ${MAX_LINE_LENGTH.toLocaleString('en-US')} characters (64 KiB). Nothing was run and the line was not kept in the history. Shorten it: a command, a token or a JSON body fits easily.\n`,
			exitCode: 2,
			events: [],
			hops: [],
			clear: false
		};
	}
	let recorded: ShellState = state;
	try {
		if (text.trim()) recorded = { ...state, history: addToHistory(state.history, text) };
		const gone = leaveDeletedPlace(world, recorded);
		if (gone) return gone;
		return await execute(world, recorded, text, env, 0);
	} catch (cause) {
		return {
			world,
			state: recorded,
			stdout: '',
			stderr: internalError('this line', cause),
			exitCode: 1,
			events: [],
			hops: [],
			clear: false
		};
	}
}

/** When the machine of the current session was deleted, the session ends as ssh would report it. */
function leaveDeletedPlace(world: World, state: ShellState): LineResult | null {
	if (state.place.kind === 'cloudShell' || describePlace(world, state.place, state)) return null;
	const previous = state.previous[state.previous.length - 1];
	const name =
		state.place.kind === 'resource'
			? (state.place.resourceId.split('/').pop() ?? 'the machine')
			: state.place.machine;
	const back: ShellState = previous
		? { ...state, ...previous, previous: state.previous.slice(0, -1), lastExitCode: 255 }
		: {
				...state,
				place: { kind: 'cloudShell' },
				vars: {},
				exported: [],
				cwd: describePlace(world, { kind: 'cloudShell' })?.home ?? '/',
				previous: [],
				lastExitCode: 255
			};
	return {
		world,
		state: back,
		stdout: '',
		stderr: `Connection to ${name} closed by remote host.\n# ${name} no longer exists (it was deleted), so its shell ended. You are back where you were before; run the command again there.\n`,
		exitCode: 255,
		events: [],
		hops: [],
		clear: false
	};
}

async function execute(
	world: World,
	state: ShellState,
	line: string,
	env: NetworkEnv,
	depth: number
): Promise<LineResult> {
	const run: Run = {
		world,
		state,
		stdout: '',
		stderr: '',
		events: [],
		hops: [],
		clear: false,
		exitCode: state.lastExitCode
	};
	const parsed = parseLine(line);
	if (!parsed.ok) {
		return {
			...run,
			stderr: `bash: ${parsed.error.message}\n`,
			exitCode: 2,
			state: { ...state, lastExitCode: 2 }
		};
	}
	if (parsed.value.items.length === 0) return { ...run, exitCode: state.lastExitCode };
	for (const item of parsed.value.items) {
		if (item.connector === '&&' && run.exitCode !== 0) continue;
		if (item.connector === '||' && run.exitCode === 0) continue;
		let stdin = '';
		const commands = item.pipeline.commands;
		for (const [index, command] of commands.entries()) {
			const outcome = await runSimple(run, command, stdin, parsed.value, env, depth);
			if (index < commands.length - 1) stdin = outcome.stdout;
			else run.stdout += outcome.stdout;
			run.exitCode = outcome.exitCode;
		}
		run.state = { ...run.state, lastExitCode: run.exitCode };
	}
	return { ...run };
}

/** Merges what a command did into the run; returns its stdout and exit code. */
function absorb(run: Run, outcome: CommandOutcome): { stdout: string; exitCode: number } {
	if (outcome.world) run.world = outcome.world;
	if (outcome.state) run.state = outcome.state;
	if (outcome.events) run.events.push(...outcome.events);
	if (outcome.hops) run.hops.push(...outcome.hops);
	if (outcome.clear) run.clear = true;
	if (outcome.stderr) run.stderr += outcome.stderr;
	return { stdout: outcome.stdout ?? '', exitCode: outcome.exitCode };
}

/** The variables a program sees: the place's environment, PWD, and the exported shell variables. */
function programEnvironment(run: Run, extra: Record<string, string>): Record<string, string> {
	const info = describePlace(run.world, run.state.place, run.state);
	const environment: Record<string, string> = { ...(info?.environment ?? {}), PWD: run.state.cwd };
	for (const name of run.state.exported) {
		const value = own(run.state.vars, name);
		if (value !== undefined) setOwn(environment, name, value);
	}
	return { ...environment, ...extra };
}

async function runSimple(
	run: Run,
	command: SimpleCommand,
	stdin: string,
	parsed: ParsedLine,
	env: NetworkEnv,
	depth: number
): Promise<{ stdout: string; exitCode: number }> {
	let substitutionExit: number | null = null;
	const lookup = (name: string): string | undefined => {
		if (name === '?') return String(run.state.lastExitCode);
		if (name === '$') return SHELL_PID;
		if (/^\d+$/.test(name)) return name === '0' ? 'bash' : '';
		if (name === 'PWD') return run.state.cwd;
		return own(run.state.vars, name) ?? own(programEnvironment(run, {}), name);
	};
	const substitute = async (index: number): Promise<string> => {
		const body = parsed.substitutions[index] ?? '';
		if (depth + 1 > MAX_DEPTH) {
			run.stderr += 'bash: command substitution nested too deeply\n';
			substitutionExit = 1;
			return '';
		}
		const inner = await execute(run.world, run.state, body, env, depth + 1);
		run.world = inner.world;
		run.events.push(...inner.events);
		run.hops.push(...inner.hops);
		run.stderr += inner.stderr;
		substitutionExit = inner.exitCode;
		return inner.stdout;
	};

	const assignments: [string, string][] = [];
	let i = 0;
	for (; i < command.words.length; i++) {
		const word = command.words[i] ?? '';
		if (!isAssignment(word)) break;
		const eq = word.indexOf('=');
		assignments.push([
			word.slice(0, eq),
			await expandJoined(word.slice(eq + 1), lookup, substitute)
		]);
	}
	const argv: string[] = [];
	for (const word of command.words.slice(i))
		argv.push(...(await expandWord(word, lookup, substitute)));

	if (argv.length === 0) {
		const vars = { ...run.state.vars };
		for (const [name, value] of assignments) setOwn(vars, name, value);
		run.state = { ...run.state, vars };
		return { stdout: '', exitCode: substitutionExit ?? 0 };
	}

	const name = argv[0] ?? '';
	const found: ShellCommand | undefined = findCommand(name);
	if (!found) {
		const suggestion = suggestCommand(name);
		return absorb(run, {
			exitCode: 127,
			stderr: `bash: ${name}: command not found\n# ${suggestion ? `Did you mean ${suggestion}? ` : ''}Type help to list the commands of this terminal.\n`
		});
	}
	const args = argv.slice(1);
	if (found.genericHelp !== false && args.some((a) => a === '--help' || a === '-h')) {
		return absorb(run, {
			exitCode: 0,
			stdout: `${found.summary}\n\nUsage:\n${found.usage.map((u) => `  ${u}`).join('\n')}\n`
		});
	}
	const environment = programEnvironment(run, Object.fromEntries(assignments));
	let outcome: CommandOutcome;
	try {
		outcome = await found.run({
			world: run.world,
			state: run.state,
			argv,
			stdin,
			environment,
			env,
			exec: (line, state) => {
				if (depth + 1 > MAX_DEPTH) {
					return Promise.resolve({
						world: run.world,
						state,
						stdout: '',
						stderr: 'bash: commands nested too deeply\n',
						exitCode: 1,
						events: [],
						hops: [],
						clear: false
					});
				}
				return execute(run.world, state, line, env, depth + 1);
			}
		});
	} catch (cause) {
		outcome = { exitCode: 1, stderr: internalError(name, cause) };
	}
	return absorb(run, outcome);
}
