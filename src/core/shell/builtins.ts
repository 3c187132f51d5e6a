/** The shell's builtins and small file tools: echo, env, export, history, exit, cat, ls, cd, grep… */
import { RE2JS } from 're2js';
import type { CommandContext, CommandOutcome, ShellCommand, ShellState } from './types.ts';
import { describePlace, isDirectory, listDirectory, resolvePath } from './state.ts';
import { emptyHistory, historyEntries } from './history.ts';
import { own, setOwn } from '../own.ts';

function fail(stderr: string, exitCode = 1): CommandOutcome {
	return { exitCode, stderr };
}

const echo: ShellCommand = {
	name: 'echo',
	summary: 'Print its arguments (-n: no newline at the end, -e: understand \\n and \\t).',
	usage: ['echo [-n] [-e] [text…]'],
	genericHelp: false,
	run({ argv }) {
		let args = argv.slice(1);
		let newline = true;
		let escapes = false;
		while (args[0] !== undefined && /^-[neE]+$/.test(args[0])) {
			if (args[0].includes('n')) newline = false;
			if (args[0].includes('e')) escapes = true;
			if (args[0].includes('E')) escapes = false;
			args = args.slice(1);
		}
		let text = args.join(' ');
		if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\\\/g, '\\');
		return { exitCode: 0, stdout: newline ? `${text}\n` : text };
	}
};

const env: ShellCommand = {
	name: 'env',
	summary:
		'List the environment variables programs see here (e.g. IDENTITY_ENDPOINT in an App Service console).',
	usage: ['env', 'env | grep IDENTITY'],
	run({ argv, environment }) {
		if (argv.length > 1) {
			return fail(
				`env: '${argv[1] ?? ''}': running a command with env is not supported here. Type env alone to list the variables.\n`,
				125
			);
		}
		const lines = Object.keys(environment)
			.sort()
			.map((k) => `${k}=${environment[k] ?? ''}`);
		return { exitCode: 0, stdout: lines.length ? `${lines.join('\n')}\n` : '' };
	}
};

function setVariables(
	state: ShellState,
	pairs: [string, string | undefined][],
	exportThem: boolean
): ShellState {
	const vars = { ...state.vars };
	const exported = new Set(state.exported);
	for (const [name, value] of pairs) {
		if (value !== undefined) setOwn(vars, name, value);
		if (exportThem) exported.add(name);
	}
	return { ...state, vars, exported: [...exported] };
}

const exportCommand: ShellCommand = {
	name: 'export',
	summary: 'Set a variable and pass it to the programs started from this shell: export NAME=value.',
	usage: ['export NAME=value', 'export NAME', 'export'],
	run({ argv, state }) {
		const args = argv.slice(1).filter((a) => a !== '-n' && a !== '-p');
		if (args.length === 0) {
			const lines = [...state.exported]
				.sort()
				.map((n) => `declare -x ${n}="${own(state.vars, n) ?? ''}"`);
			return { exitCode: 0, stdout: lines.length ? `${lines.join('\n')}\n` : '' };
		}
		const pairs: [string, string | undefined][] = [];
		for (const arg of args) {
			const eq = arg.indexOf('=');
			const name = eq < 0 ? arg : arg.slice(0, eq);
			if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
				return fail(
					`bash: export: \`${arg}': not a valid identifier\n# A variable name has letters, digits and _, and does not start with a digit: export TOKEN=value\n`
				);
			}
			pairs.push([name, eq < 0 ? undefined : arg.slice(eq + 1)]);
		}
		return { exitCode: 0, state: setVariables(state, pairs, true) };
	}
};

const unset: ShellCommand = {
	name: 'unset',
	summary: 'Remove shell variables.',
	usage: ['unset NAME…'],
	run({ argv, state }) {
		const names = new Set(argv.slice(1));
		const vars = Object.fromEntries(Object.entries(state.vars).filter(([n]) => !names.has(n)));
		return {
			exitCode: 0,
			state: { ...state, vars, exported: state.exported.filter((n) => !names.has(n)) }
		};
	}
};

const history: ShellCommand = {
	name: 'history',
	summary: 'List the lines typed so far (history -c clears the list).',
	usage: ['history', 'history 10', 'history -c'],
	run({ argv, state }) {
		const arg = argv[1];
		if (arg === '-c') return { exitCode: 0, state: { ...state, history: emptyHistory() } };
		let entries = historyEntries(state.history);
		if (arg !== undefined) {
			if (!/^\d+$/.test(arg)) return fail(`bash: history: ${arg}: numeric argument required\n`);
			entries = entries.slice(-Number(arg));
		}
		return {
			exitCode: 0,
			stdout: entries.map((e) => `${String(e.n).padStart(5)}  ${e.line}\n`).join('')
		};
	}
};

const clear: ShellCommand = {
	name: 'clear',
	summary: 'Clear the screen.',
	usage: ['clear'],
	run() {
		return { exitCode: 0, clear: true };
	}
};

const exit: ShellCommand = {
	name: 'exit',
	summary: 'Leave the current machine and go back to where you came from (Cloud Shell after ssh).',
	usage: ['exit'],
	run({ world, state }) {
		const previous = state.previous[state.previous.length - 1];
		if (!previous) {
			return {
				exitCode: 0,
				stderr:
					'# This is Cloud Shell, where the terminal starts: there is nothing to exit to. Use ssh <vm> or console <app> to open a shell on a resource.\n'
			};
		}
		const info = describePlace(world, state.place, state);
		const host = info?.hostname ?? 'the machine';
		const kind =
			state.place.kind === 'resource' && /\/microsoft\.web\/sites\//i.test(state.place.resourceId)
				? 'console'
				: 'ssh';
		return {
			exitCode: 0,
			stdout: kind === 'ssh' ? `logout\nConnection to ${host} closed.\n` : `logout\n`,
			state: { ...state, ...previous, previous: state.previous.slice(0, -1), lastExitCode: 0 }
		};
	}
};

function placeFiles(ctx: CommandContext): {
	files: Record<string, string>;
	home: string;
	restricted: Record<string, string>;
} {
	const info = describePlace(ctx.world, ctx.state.place, ctx.state);
	const restricted = info?.restricted ?? {};
	// Root reads everything; others see root-only files exist but cannot open them.
	const files = ctx.state.asRoot ? { ...(info?.files ?? {}), ...restricted } : (info?.files ?? {});
	return { files, home: info?.home ?? '/', restricted: ctx.state.asRoot ? {} : restricted };
}

const cat: ShellCommand = {
	name: 'cat',
	summary:
		'Print files of the machine you are on (e.g. cat /etc/stock-app/appsettings.json on vm-stock-app).',
	usage: ['cat FILE…', 'command | cat'],
	run(ctx) {
		const paths = ctx.argv.slice(1).filter((a) => !/^-[A-Za-z]+$/.test(a));
		if (paths.length === 0) return { exitCode: 0, stdout: ctx.stdin };
		const { files, home, restricted } = placeFiles(ctx);
		let stdout = '';
		let stderr = '';
		for (const path of paths) {
			if (path === '-') {
				stdout += ctx.stdin;
				continue;
			}
			const full = resolvePath(path, ctx.state.cwd, home);
			const content = own(files, full);
			if (own(restricted, full) !== undefined)
				stderr += `cat: ${path}: Permission denied\n# Only root and the himds group can read the agent's secret files: sudo cat ${path}\n`;
			else if (content !== undefined) stdout += content;
			else if (isDirectory(files, full, home)) stderr += `cat: ${path}: Is a directory\n`;
			else stderr += `cat: ${path}: No such file or directory\n`;
		}
		return { exitCode: stderr ? 1 : 0, stdout, stderr };
	}
};

const ls: ShellCommand = {
	name: 'ls',
	summary: 'List the files in a directory of the machine you are on.',
	usage: ['ls [-l] [-a] [DIRECTORY…]'],
	run(ctx) {
		const paths = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
		const { files, home } = placeFiles(ctx);
		const targets = paths.length ? paths : ['.'];
		let stdout = '';
		let stderr = '';
		for (const path of targets) {
			const full = resolvePath(path, ctx.state.cwd, home);
			if (own(files, full) !== undefined) {
				stdout += `${path}\n`;
				continue;
			}
			if (!isDirectory(files, full, home)) {
				stderr += `ls: cannot access '${path}': No such file or directory\n`;
				continue;
			}
			const entries = listDirectory(files, full, home);
			if (targets.length > 1) stdout += `${path}:\n`;
			if (entries.length) stdout += `${entries.join('  ')}\n`;
		}
		return { exitCode: stderr ? 2 : 0, stdout, stderr };
	}
};

const cd: ShellCommand = {
	name: 'cd',
	summary: 'Change the working directory.',
	usage: ['cd [DIRECTORY]'],
	run(ctx) {
		const { files, home } = placeFiles(ctx);
		const target = ctx.argv[1] ?? '~';
		const full = resolvePath(target, ctx.state.cwd, home);
		if (own(files, full) !== undefined) return fail(`bash: cd: ${target}: Not a directory\n`);
		if (!isDirectory(files, full, home))
			return fail(`bash: cd: ${target}: No such file or directory\n`);
		return { exitCode: 0, state: { ...ctx.state, cwd: full } };
	}
};

const pwd: ShellCommand = {
	name: 'pwd',
	summary: 'Print the working directory.',
	usage: ['pwd'],
	run({ state }) {
		return { exitCode: 0, stdout: `${state.cwd}\n` };
	}
};

const hostname: ShellCommand = {
	name: 'hostname',
	summary: 'Print the name of the machine you are on.',
	usage: ['hostname'],
	run(ctx) {
		const info = describePlace(ctx.world, ctx.state.place, ctx.state);
		return { exitCode: 0, stdout: `${info?.hostname ?? 'localhost'}\n` };
	}
};

const whoami: ShellCommand = {
	name: 'whoami',
	summary: 'Print the user you are logged in as on this machine.',
	usage: ['whoami'],
	run(ctx) {
		const info = describePlace(ctx.world, ctx.state.place, ctx.state);
		return { exitCode: 0, stdout: `${ctx.state.asRoot ? 'root' : (info?.user ?? 'root')}\n` };
	}
};

const trueCommand: ShellCommand = {
	name: 'true',
	summary: 'Do nothing, successfully (exit code 0).',
	usage: ['true'],
	run: () => ({ exitCode: 0 })
};

const falseCommand: ShellCommand = {
	name: 'false',
	summary: 'Do nothing, unsuccessfully (exit code 1).',
	usage: ['false'],
	run: () => ({ exitCode: 1 })
};

/**
 * The learner's pattern on RE2 (re2js), whose matching time is linear in the line: a pattern such as
 * `(a+)+$` cannot block the terminal (or the emulator) the way a backtracking engine would. RE2 has no
 * back-references or look-around; grep says so instead of silently matching something else.
 */
function grepMatcher(
	pattern: string,
	ignoreCase: boolean
): { ok: true; matches: (line: string) => boolean } | { ok: false; message: string } {
	try {
		const re = RE2JS.compile(pattern, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
		return { ok: true, matches: (line) => re.test(line) };
	} catch (e) {
		const reason = e instanceof Error ? e.message : String(e);
		return {
			ok: false,
			message: `grep: ${reason}\nThe lab's grep reads extended regular expressions in RE2 syntax (like grep -E, without back-references or look-around). To match the text as it is, escape the special characters: grep 'a\\(b'.\n`
		};
	}
}

const grep: ShellCommand = {
	name: 'grep',
	summary:
		'Print the lines that match a pattern (-i: ignore case, -v: the lines that do not match, -c: count, -q: quiet).',
	usage: ['command | grep [-i] [-v] [-c] [-q] PATTERN', 'grep [-i] [-v] PATTERN FILE…'],
	run(ctx) {
		let ignoreCase = false;
		let invert = false;
		let count = false;
		let quiet = false;
		const rest: string[] = [];
		for (const arg of ctx.argv.slice(1)) {
			if (/^-[ivcq]+$/.test(arg) && rest.length === 0) {
				if (arg.includes('i')) ignoreCase = true;
				if (arg.includes('v')) invert = true;
				if (arg.includes('c')) count = true;
				if (arg.includes('q')) quiet = true;
			} else if (arg.startsWith('-') && rest.length === 0) {
				return fail(
					`grep: invalid option -- '${arg.slice(1)}'\nUsage: grep [-i] [-v] [-c] [-q] PATTERN [FILE]…\n`,
					2
				);
			} else rest.push(arg);
		}
		const [pattern, ...paths] = rest;
		if (pattern === undefined) return fail('Usage: grep [-i] [-v] PATTERN [FILE]…\n', 2);
		const matcher = grepMatcher(pattern, ignoreCase);
		if (!matcher.ok) return fail(matcher.message, 2);
		const { matches } = matcher;
		const { files, home } = placeFiles(ctx);
		const inputs: { name: string; text: string }[] = [];
		let stderr = '';
		if (paths.length === 0) inputs.push({ name: '', text: ctx.stdin });
		for (const path of paths) {
			const text = files[resolvePath(path, ctx.state.cwd, home)];
			if (text === undefined) stderr += `grep: ${path}: No such file or directory\n`;
			else inputs.push({ name: path, text });
		}
		let stdout = '';
		let found = 0;
		for (const input of inputs) {
			for (const line of input.text.split('\n')) {
				if (line === '' && input.text.endsWith('\n')) continue;
				if (matches(line) === invert) continue;
				found++;
				if (!count) stdout += `${paths.length > 1 ? `${input.name}:` : ''}${line}\n`;
			}
		}
		if (count) stdout = `${found}\n`;
		if (quiet) stdout = '';
		return { exitCode: stderr ? 2 : found > 0 ? 0 : 1, stdout, stderr };
	}
};

/** The builtins and file tools, by name. */
export const BUILTINS: readonly ShellCommand[] = [
	echo,
	env,
	exportCommand,
	unset,
	history,
	clear,
	exit,
	cat,
	ls,
	cd,
	pwd,
	hostname,
	whoami,
	grep,
	trueCommand,
	falseCommand
];
