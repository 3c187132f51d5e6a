/** `sudo <command>`: runs one command as root on a VM, a scale-set instance or a server outside Azure. */
import type { ShellCommand } from './types.ts';
import { describePlace } from './state.ts';
import { findCommand } from './commands.ts';

/** `sudo`. */
export const sudo: ShellCommand = {
	name: 'sudo',
	summary:
		'Run one command as root on a machine you are logged in to (e.g. sudo cat <root-only file>).',
	usage: ['sudo cat /var/opt/azcmagent/tokens/<file>.key', 'sudo azcmagent connect …'],
	async run(ctx) {
		const rest = ctx.argv.slice(1).filter((a, i) => !(i === 0 && (a === '-E' || a === '-n')));
		if (rest.length === 0) {
			return { exitCode: 1, stderr: 'usage: sudo command\n' };
		}
		const info = describePlace(ctx.world, ctx.state.place, ctx.state);
		const user = info?.user ?? 'user';
		if (ctx.state.place.kind === 'cloudShell' || user === 'kudu') {
			return {
				exitCode: 1,
				stderr: `${user} is not in the sudoers file.  This incident will be reported.\n# ${ctx.state.place.kind === 'cloudShell' ? 'Cloud Shell' : 'The App Service console'} gives no root rights.\n`
			};
		}
		// The command runs with the arguments as given and sudo's own input (`echo … | sudo tee FILE`).
		const command = findCommand(rest[0] ?? '');
		if (!command) return { exitCode: 1, stderr: `sudo: ${rest[0] ?? ''}: command not found\n` };
		const outcome = await command.run({
			...ctx,
			argv: rest,
			state: { ...ctx.state, asRoot: true }
		});
		// Root lasts for this one command: the shell goes on as the logged-in user.
		return outcome.state
			? { ...outcome, state: { ...outcome.state, asRoot: ctx.state.asRoot } }
			: outcome;
	}
};
