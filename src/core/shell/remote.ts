/**
 * Opening a shell elsewhere: `ssh <vm>` (or `ssh azureuser@<vm>`, `ssh <vmss>_<n>` for a scale-set instance,
 * `ssh onprem-legacy-01`), and the App Service console (`console <app>`, `az webapp ssh -n <app>`). `exit`
 * comes back. `ssh <host> <command>` runs one command there and stays here.
 */
import type { Resource, WebSite, World } from '../azure/model.ts';
import type { NetworkSource } from '../http/types.ts';
import { kindLabel } from '../azure/naming.ts';
import type { CommandContext, CommandOutcome, ShellCommand, ShellState } from './types.ts';
import { describePlace, newSession, scaleSetComputerName } from './state.ts';

/** The state after moving into a new session at `place`; the current session is kept for `exit`. */
export function enterPlace(world: World, state: ShellState, place: NetworkSource): ShellState {
	const { place: from, vars, exported, cwd } = state;
	return {
		...state,
		...newSession(world, place, state),
		previous: [...state.previous, { place: from, vars, exported, cwd }]
	};
}

/** The banner of the App Service console. */
export function consoleBanner(site: WebSite): string {
	return [
		'Connecting...',
		'A P P   S E R V I C E   O N   L I N U X',
		'',
		`Documentation: http://aka.ms/webapp-linux`,
		`# You are in the console of ${site.name}. env shows its variables${site.identity.systemAssigned || site.identity.userAssigned.length ? ' (IDENTITY_ENDPOINT, IDENTITY_HEADER)' : ''}; exit goes back.`,
		''
	].join('\n');
}

/** Opens the App Service console of a site from the current session. */
export function openConsole(world: World, state: ShellState, site: WebSite): CommandOutcome {
	const place: NetworkSource = { kind: 'resource', resourceId: site.id };
	return { exitCode: 0, stdout: consoleBanner(site), state: enterPlace(world, state, place) };
}

/** Finds a site by name for `console` (any resource group). */
function findSite(world: World, name: string): WebSite | undefined {
	return Object.values(world.resources).find(
		(r): r is WebSite =>
			(r.kind === 'webApp' || r.kind === 'functionApp') &&
			r.name.toLowerCase() === name.toLowerCase()
	);
}

interface SshTarget {
	place: NetworkSource;
	hostname: string;
	user: string;
}

/** What an ssh host name refers to, or the message ssh prints when it refers to nothing it can log in to. */
function resolveHost(world: World, host: string): SshTarget | { error: string; note?: string } {
	const lower = host.toLowerCase();
	for (const machine of Object.values(world.outsideMachines)) {
		if (machine.name.toLowerCase() === lower || machine.hostname.toLowerCase() === lower) {
			return {
				place: { kind: 'outside', machine: machine.name },
				hostname: machine.name,
				user: 'admin'
			};
		}
	}
	const resources = Object.values(world.resources);
	const vm = resources.find((r) => r.kind === 'virtualMachine' && r.name.toLowerCase() === lower);
	if (vm)
		return { place: { kind: 'resource', resourceId: vm.id }, hostname: vm.name, user: 'azureuser' };
	for (const r of resources) {
		if (r.kind !== 'virtualMachineScaleSet') continue;
		const instance = r.instances.find(
			(i) =>
				i.name.toLowerCase() === lower ||
				scaleSetComputerName(r, i.instanceId).toLowerCase() === lower
		);
		if (instance) {
			return {
				place: { kind: 'resource', resourceId: r.id, instanceId: instance.instanceId },
				hostname: scaleSetComputerName(r, instance.instanceId),
				user: 'azureuser'
			};
		}
		if (r.name.toLowerCase() === lower) {
			const names = r.instances.map((i) => i.name).join(', ') || '(none: scale it out first)';
			return {
				error: `ssh: Could not resolve hostname ${host}: Name or service not known`,
				note: `${r.name} is a scale set: log in to one of its instances, e.g. ssh ${r.instances[0]?.name ?? `${r.name}_0`}. Instances: ${names}.`
			};
		}
	}
	const site = resources.find(
		(r) => (r.kind === 'webApp' || r.kind === 'functionApp') && r.name.toLowerCase() === lower
	);
	if (site) {
		return {
			error: `ssh: connect to host ${host} port 22: Connection timed out`,
			note: `${site.name} is an App Service ${kindLabel(site.kind)}, not a VM: open its console with az webapp ssh -g ${site.resourceGroup} -n ${site.name}, or console ${site.name}.`
		};
	}
	const other: Resource | undefined = resources.find((r) => r.name.toLowerCase() === lower);
	return {
		error: `ssh: Could not resolve hostname ${host}: Name or service not known`,
		note: other
			? `${other.name} is a ${kindLabel(other.kind)}: there is no machine to log in to. ssh works with VMs (az vm list), scale-set instances and onprem-legacy-01.`
			: `No machine is called ${host}. VMs: ${
					resources
						.filter((r) => r.kind === 'virtualMachine')
						.map((r) => r.name)
						.join(', ') || '(none)'
				}.`
	};
}

/** Options of ssh that take a value (ignored by the lab). */
const VALUE_OPTIONS = new Set([
	'-i',
	'-p',
	'-o',
	'-l',
	'-F',
	'-J',
	'-L',
	'-R',
	'-D',
	'-E',
	'-b',
	'-c',
	'-m'
]);

/** `ssh`. */
export const ssh: ShellCommand = {
	name: 'ssh',
	summary:
		'Open a shell on a VM (ssh vm-stock-app), a scale-set instance (ssh vmss-stock_0) or onprem-legacy-01.',
	usage: [
		'ssh vm-stock-app',
		'ssh azureuser@vm-stock-app',
		'ssh vmss-stock_0',
		'ssh onprem-legacy-01',
		'ssh vm-stock-app curl -s … (run one command there)'
	],
	async run(ctx: CommandContext): Promise<CommandOutcome> {
		const args = ctx.argv.slice(1);
		let destination: string | undefined;
		let loginName: string | undefined;
		let i = 0;
		for (; i < args.length; i++) {
			const arg = args[i] ?? '';
			if (VALUE_OPTIONS.has(arg)) {
				if (arg === '-l') loginName = args[i + 1];
				i++;
				continue;
			}
			if (arg.startsWith('-')) continue;
			destination = arg;
			i++;
			break;
		}
		const remote = args.slice(i);
		if (destination === undefined) {
			return {
				exitCode: 255,
				stderr:
					'usage: ssh [-i identity_file] [-l login_name] [-p port] destination [command]\n# For example: ssh vm-stock-app\n'
			};
		}
		const at = destination.lastIndexOf('@');
		const user = at >= 0 ? destination.slice(0, at) : loginName;
		const host = at >= 0 ? destination.slice(at + 1) : destination;
		if (
			ctx.state.place.kind === 'resource' &&
			/\/microsoft\.web\/sites\//i.test(ctx.state.place.resourceId)
		) {
			return {
				exitCode: 255,
				stderr: `ssh: connect to host ${host} port 22: Network is unreachable\n# The App Service console cannot reach other machines. Type exit to go back to Cloud Shell, then ssh ${host}.\n`
			};
		}
		const target = resolveHost(ctx.world, host);
		if ('error' in target)
			return {
				exitCode: 255,
				stderr: `${target.error}\n${target.note ? `# ${target.note}\n` : ''}`
			};
		if (user !== undefined && user !== target.user) {
			return {
				exitCode: 255,
				stderr: `${user}@${host}: Permission denied (publickey).\n# The account on ${target.hostname} is ${target.user}: ssh ${target.user}@${host}.\n`
			};
		}
		const here = describePlace(ctx.world, ctx.state.place, ctx.state);
		if (
			here &&
			here.hostname.toLowerCase() === target.hostname.toLowerCase() &&
			ctx.state.place.kind !== 'cloudShell'
		) {
			return { exitCode: 0, stderr: `# You are already on ${target.hostname}.\n` };
		}
		const inside = enterPlace(ctx.world, ctx.state, target.place);
		if (remote.length > 0) {
			const inner = await ctx.exec(remote.join(' '), inside);
			return {
				exitCode: inner.exitCode,
				stdout: inner.stdout,
				stderr: inner.stderr,
				world: inner.world,
				events: inner.events,
				hops: inner.hops
			};
		}
		const banner =
			target.place.kind === 'outside'
				? `Welcome to Ubuntu 20.04.6 LTS (GNU/Linux 5.4.0-182-generic x86_64)\n# You are on ${target.hostname}, a server outside Azure. exit goes back.\n`
				: `Welcome to Ubuntu 22.04.5 LTS (GNU/Linux 6.8.0-1021-azure x86_64)\n# You are on ${target.hostname}. Its identity endpoint (IMDS) answers at http://169.254.169.254 from here. exit goes back.\n`;
		return { exitCode: 0, stdout: banner, state: inside };
	}
};

/** `console <app>`: the App Service console (Kudu SSH) of a web app or function app. */
export const consoleCommand: ShellCommand = {
	name: 'console',
	summary: 'Open the App Service console of a web app or function app (like az webapp ssh).',
	usage: ['console app-stock-web', 'console func-stock-import'],
	run(ctx) {
		const name = ctx.argv[1];
		if (name === undefined)
			return { exitCode: 2, stderr: 'console: name the app, e.g. console app-stock-web\n' };
		if (ctx.state.place.kind !== 'cloudShell') {
			return {
				exitCode: 1,
				stderr: `console: open an App Service console from Cloud Shell: type exit first.\n`
			};
		}
		const site = findSite(ctx.world, name);
		if (!site) {
			const sites = Object.values(ctx.world.resources)
				.filter((r) => r.kind === 'webApp' || r.kind === 'functionApp')
				.map((r) => r.name);
			return {
				exitCode: 1,
				stderr: `console: no web app or function app is called ${name}. Apps: ${sites.join(', ') || '(none)'}.\n`
			};
		}
		return openConsole(ctx.world, ctx.state, site);
	}
};
