/** The terminal's commands by name, and `help`. */
import type { ShellCommand } from './types.ts';
import { BUILTINS } from './builtins.ts';
import { jq } from './jq.ts';
import { jwt } from './jwt.ts';
import { curl } from './curl.ts';
import { consoleCommand, ssh } from './remote.ts';
import { sqlcmd } from './sqlcmd.ts';
import { clock } from './lab.ts';
import { az } from './az/driver.ts';
import { sudo } from './sudo.ts';
import { kubectl } from './kubectl.ts';
import { azcmagent } from './azcmagent.ts';
import { closest } from './text.ts';
import { rm, tee } from './files.ts';

const help: ShellCommand = {
	name: 'help',
	summary: 'List the commands of this terminal (help <command> for one of them).',
	usage: ['help', 'help curl'],
	run({ argv }) {
		const name = argv[1];
		if (name !== undefined) {
			const command = findCommand(name);
			if (!command)
				return {
					exitCode: 1,
					stderr: `help: no command is called ${name}. Type help for the list.\n`
				};
			return {
				exitCode: 0,
				stdout: `${command.name}: ${command.summary}\n\nUsage:\n${command.usage.map((u) => `  ${u}`).join('\n')}\n`
			};
		}
		const width = Math.max(...COMMANDS.map((c) => c.name.length));
		const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
		return {
			exitCode: 0,
			stdout: `Commands of this terminal (each takes --help):\n${lines.join('\n')}\n\nShell: 'single' and "double" quotes, $VAR and \${VAR}, NAME=value, export, $(command), a | b, a && b, a || b, a; b, # comments.\n`
		};
	}
};

/** Every command, in the order help lists them. */
export const COMMANDS: readonly ShellCommand[] = [
	help,
	az,
	curl,
	jq,
	jwt,
	ssh,
	consoleCommand,
	sqlcmd,
	kubectl,
	azcmagent,
	sudo,
	clock,
	...BUILTINS,
	tee,
	rm
];

const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));

/** The command with this name, if the terminal has it. */
export function findCommand(name: string): ShellCommand | undefined {
	return BY_NAME.get(name);
}

/** The command a mistyped name probably meant. */
export function suggestCommand(name: string): string | undefined {
	return closest(name, [...BY_NAME.keys()]);
}
