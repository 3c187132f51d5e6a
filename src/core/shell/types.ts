/** The terminal's values: where the shell is, what it remembers, and what a command gives back. */
import type { World } from '../azure/model.ts';
import type { WorldEvent } from '../azure/events.ts';
import type { Hop, NetworkEnv, NetworkSource } from '../http/types.ts';
import type { ShellHistory } from './history.ts';

/** A shell session on one machine: its variables, exported names and working directory. */
export interface ShellSession {
	/** Where this session runs: Cloud Shell, a resource (VM, scale-set instance, site) or a machine outside Azure. */
	place: NetworkSource;
	/** Shell variables set in this session (`NAME=value`, `export NAME=value`). */
	vars: Record<string, string>;
	/** Names of variables that are exported to commands (`export`). */
	exported: string[];
	/** Working directory. */
	cwd: string;
	/** Set by `az login --identity` on this machine: az acts as that managed identity (absent: not signed in). */
	azLogin?: AzIdentityLogin;
	/** True while `sudo` runs a command: the command runs as root. */
	asRoot?: boolean;
}

/** A managed identity az is signed in as on a machine (`az login --identity`). */
export interface AzIdentityLogin {
	/** How the identity was named: none (the only one / system-assigned), or by client, object or resource id. */
	selector: { by: 'clientId' | 'principalId' | 'resourceId'; value: string } | null;
	principalId: string;
	clientId: string;
	/** Subscriptions ARM listed for the identity at sign-in (az's account list). */
	subscriptionIds: string[];
}

/** The terminal's state: the current session, the sessions `exit` returns to, history and files. */
export interface ShellState extends ShellSession {
	/** Sessions left by `ssh` / `console`, innermost last; `exit` pops one. */
	previous: ShellSession[];
	/** The lines run, oldest first, the last HISTSIZE of them (one terminal, one history); see history.ts. */
	history: ShellHistory;
	/** Exit code of the last command (`$?`). */
	lastExitCode: number;
	/** Files in Cloud Shell's home directory (written by `az storage blob download`), by absolute path. */
	cloudFiles: Record<string, string>;
}

/** What running one line gives back. */
export interface LineResult {
	world: World;
	state: ShellState;
	stdout: string;
	stderr: string;
	exitCode: number;
	/** Events the line caused, oldest first. */
	events: WorldEvent[];
	/** Hops of every HTTP exchange the line made (token requests, service calls), in order. */
	hops: Hop[];
	/** True when the line asked to clear the screen. */
	clear: boolean;
}

/** What a command gets: the world, the shell, its arguments, its input and the environment it sees. */
export interface CommandContext {
	world: World;
	state: ShellState;
	/** argv[0] is the command name, as typed. */
	argv: string[];
	stdin: string;
	/** The variables a program sees: the place's environment plus exported shell variables. */
	environment: Record<string, string>;
	env: NetworkEnv;
	/**
	 * Runs another line in the current world from the given shell state (e.g. `ssh vm-stock-app curl …` runs
	 * `curl …` on the VM). Its world changes, events and hops belong to the calling command's outcome.
	 */
	exec(line: string, state: ShellState): Promise<LineResult>;
}

/** What a command gives back. Fields left out mean "unchanged" or "nothing". */
export interface CommandOutcome {
	stdout?: string;
	stderr?: string;
	exitCode: number;
	/** The world after the command, when it changed it (always through applyOperation). */
	world?: World;
	/** The shell state after the command, when it changed it (ssh, exit, export, cd). */
	state?: ShellState;
	events?: WorldEvent[];
	hops?: Hop[];
	clear?: boolean;
}

/** A command of the terminal (a builtin or a program). */
export interface ShellCommand {
	name: string;
	/** One line for `help`. */
	summary: string;
	/** Usage lines for `<command> --help`. */
	usage: string[];
	/** False for commands that handle `--help` / `-h` themselves (az, curl). */
	genericHelp?: boolean;
	run(ctx: CommandContext): Promise<CommandOutcome> | CommandOutcome;
}
