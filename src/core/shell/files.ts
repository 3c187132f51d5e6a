/**
 * Commands that change files on the machine the shell is on: `tee FILE` (the usual way to write a root-owned
 * file without redirection, `… | sudo tee FILE`) and `rm FILE`. The change goes through the core's writeFile
 * operation, so the activity trail and the lesson checks see it.
 */
import type { CommandContext, CommandOutcome, ShellCommand } from './types.ts';
import { applyOperation } from '../azure/operations/index.ts';
import { describePlace, resolvePath } from './state.ts';

function writeHere(ctx: CommandContext, path: string, content: string | null): CommandOutcome {
	const place = ctx.state.place;
	if (place.kind === 'cloudShell') {
		const cloudFiles = { ...ctx.state.cloudFiles };
		if (content === null) delete cloudFiles[path];
		else cloudFiles[path] = content;
		return { exitCode: 0, state: { ...ctx.state, cloudFiles } };
	}
	const target =
		place.kind === 'outside' ? { machine: place.machine } : { resourceId: place.resourceId };
	const result = applyOperation(ctx.world, { type: 'writeFile', ...target, path, content });
	if (!result.ok) return { exitCode: 1, stderr: `${result.error.message}\n` };
	return { exitCode: 0, world: result.value.world, events: result.value.events };
}

function home(ctx: CommandContext): string {
	return describePlace(ctx.world, ctx.state.place, ctx.state)?.home ?? '/';
}

/** `tee FILE`: copies its input to the file (replacing it) and to the screen. */
export const tee: ShellCommand = {
	name: 'tee',
	summary:
		'Write its input to a file and to the screen (echo "$CONFIG" | sudo tee /etc/stock-app/appsettings.json).',
	usage: ['command | tee FILE', 'command | sudo tee FILE'],
	run(ctx) {
		const paths = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
		if (ctx.argv.slice(1).some((a) => a === '-a' || a === '--append'))
			return {
				exitCode: 2,
				stderr: 'tee: -a (append) is not supported in this terminal; write the whole file.\n'
			};
		if (paths.length !== 1)
			return {
				exitCode: 2,
				stderr: 'tee: give exactly one file, e.g. echo "$X" | tee ~/notes.txt\n'
			};
		const path = resolvePath(paths[0] ?? '', ctx.state.cwd, home(ctx));
		const written = writeHere(ctx, path, ctx.stdin);
		return written.exitCode === 0 ? { ...written, stdout: ctx.stdin } : written;
	}
};

/** `rm FILE`: deletes a file on this machine. */
export const rm: ShellCommand = {
	name: 'rm',
	summary: 'Delete a file on the machine you are on.',
	usage: ['rm FILE'],
	run(ctx) {
		const paths = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
		if (paths.length !== 1) return { exitCode: 2, stderr: 'rm: give exactly one file.\n' };
		const path = resolvePath(paths[0] ?? '', ctx.state.cwd, home(ctx));
		const files = describePlace(ctx.world, ctx.state.place, ctx.state)?.files ?? {};
		if (!Object.hasOwn(files, path))
			return {
				exitCode: 1,
				stderr: `rm: cannot remove '${paths[0]}': No such file or directory\n`
			};
		return writeHere(ctx, path, null);
	}
};
