/** The values of the terminal's az: command specs, parsed arguments, results and errors. */
import type { World } from '../../azure/model.ts';
import type { WorldEvent } from '../../azure/events.ts';
import type { Hop, NetworkEnv } from '../../http/types.ts';
import type { ShellState } from '../types.ts';

/** How an argument takes values: one value, none (a switch), one or more, or zero or more. */
export type ArgKind = 'value' | 'flag' | 'list' | 'optionalList';

/** One argument of an az command, as az declares it. */
export interface AzArg {
	/** Key in the parsed arguments. */
	dest: string;
	/** Option strings, long first: `['--name', '-n']`. */
	options: readonly string[];
	/** Default `value`. */
	kind?: ArgKind;
	required?: boolean;
	/** Not required when `--ids` is given (the resource is named by its id). */
	idPart?: boolean;
	help: string;
	/** Allowed values (compared case-insensitively, as az does). */
	choices?: readonly string[];
}

/** Parsed argument values by `dest`. */
export type AzArgs = Record<string, string | boolean | string[] | undefined>;

/** An az failure: what az prints after `ERROR: ` and the exit code (2 for usage errors). */
export interface AzError {
	message: string;
	exitCode: 1 | 2;
	/** Printed after the error (examples, or what to type instead). */
	hint?: string;
}

/** What an az command gets. */
export interface AzInvocation {
	world: World;
	state: ShellState;
	env: NetworkEnv;
	args: AzArgs;
	/** The environment variables az sees (e.g. AZURE_STORAGE_CONNECTION_STRING). */
	environment: Record<string, string>;
	/** Who runs the command, for the activity log (the Cloud Shell user's UPN). */
	caller: string;
}

/** What an az command gives back: a result to print (undefined: nothing), or an error. */
export type AzOutcome =
	| {
			ok: true;
			result?: unknown;
			/** Printed as is instead of a formatted result (e.g. the console banner of az webapp ssh). */
			text?: string;
			world?: World;
			events?: WorldEvent[];
			hops?: Hop[];
			/** Printed on stderr as `WARNING: …` unless --only-show-errors. */
			warnings?: string[];
			state?: ShellState;
	  }
	| {
			ok: false;
			error: AzError;
			/** A failed data-plane call can still leave a record (the service logged the refused call). */
			world?: World;
			events?: WorldEvent[];
			hops?: Hop[];
			warnings?: string[];
	  };

/** An az command: its words, its arguments, its help and what it does. */
export interface AzCommand {
	/** Words after `az`, e.g. `vm identity assign`. */
	name: string;
	summary: string;
	args: readonly AzArg[];
	/** Accepts `--ids` instead of `--resource-group` and `--name`. */
	ids?: boolean;
	/** Example command lines with what they do. */
	examples: readonly { command: string; description: string }[];
	/** False for commands that work without signing in (storage with a key or connection string). */
	needsLogin?: boolean | ((args: AzArgs, environment: Record<string, string>) => boolean);
	/** az's table transformer for `-o table` (applied only without --query). */
	table?: (result: unknown) => unknown;
	/** Marks lab-only commands in help. */
	lab?: boolean;
	run(invocation: AzInvocation): Promise<AzOutcome> | AzOutcome;
}
