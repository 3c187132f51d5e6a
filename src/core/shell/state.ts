/**
 * Where the terminal is: Cloud Shell (signed in as the tenant's admin), a shell on a VM or scale-set instance,
 * the App Service console of a site, or the on-premises server. Each place has its user, host name, home,
 * environment variables and files.
 */
import type { MachineFiles, VirtualMachineScaleSet, WebSite, World } from '../azure/model.ts';
import type { NetworkSource } from '../http/types.ts';
import { getResource } from '../azure/queries.ts';
import { appServiceEnvironment } from '../token/app-service.ts';
import { arcEnvironment } from '../token/himds.ts';
import { podEnvironment } from '../token/federation.ts';
import type { ShellSession, ShellState } from './types.ts';
import { emptyHistory } from './history.ts';
import { own } from '../own.ts';
import { cloudShellUser } from '../token/user-token.ts';

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export { cloudShellUser };

/** The Linux user name of the Cloud Shell user ("sarah" for sarah@contoso.onmicrosoft.com). */
function cloudShellLogin(world: World): string {
	const upn = cloudShellUser(world)?.userPrincipalName ?? 'user';
	return (upn.split('@')[0] ?? 'user').toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'user';
}

/**
 * The computer name Azure gives a scale-set instance: the scale set's name (as the computer name prefix) and
 * the instance id in base 36 on six digits, e.g. `vmss-stock000003`.
 */
export function scaleSetComputerName(vmss: VirtualMachineScaleSet, instanceId: string): string {
	return `${vmss.name}${Number.parseInt(instanceId, 10).toString(36).padStart(6, '0')}`;
}

/** What the shell needs to know about a place; null when the place no longer exists. */
export interface PlaceInfo {
	user: string;
	hostname: string;
	home: string;
	/** The text the prompt shows before `$`/`#` ("sarah@Azure"). */
	promptHost: string;
	/** The environment variables of a login shell there. */
	environment: Record<string, string>;
	/** Files of the machine (read-only in the lab), by absolute path. */
	files: MachineFiles;
	/** What the place is, in words. */
	description: string;
	/** Files only root can read (the Arc agent's challenge secrets), by absolute path. */
	restricted?: MachineFiles;
}

/** Facts about a place in a world, or null when it is gone (its resource was deleted). */
export function describePlace(
	world: World,
	place: NetworkSource,
	state?: Pick<ShellState, 'cloudFiles'>
): PlaceInfo | null {
	if (place.kind === 'cloudShell') {
		const user = cloudShellLogin(world);
		const home = `/home/${user}`;
		const upn = cloudShellUser(world)?.userPrincipalName ?? '';
		return {
			user,
			hostname: 'SandboxHost-cloudshell',
			home,
			promptHost: `${user}@Azure`,
			environment: {
				AZUREPS_HOST_ENVIRONMENT: 'cloud-shell/1.0',
				AZURE_HTTP_USER_AGENT: 'cloud-shell/1.0',
				ACC_TERM_ID: 'lab',
				ACC_USER_NAME: upn,
				HOME: home,
				LOGNAME: user,
				// Cloud Shell's token endpoint (reference 2.4): POST, Metadata: true, form body resource=….
				MSI_ENDPOINT: 'http://localhost:50342/oauth2/token',
				PATH: SYSTEM_PATH,
				SHELL: '/bin/bash',
				TERM: 'xterm-256color',
				USER: user
			},
			files: { ...(state?.cloudFiles ?? {}) },
			description: `Azure Cloud Shell, signed in as ${upn}`
		};
	}
	if (place.kind === 'outside') {
		const machine = own(world.outsideMachines, place.machine);
		if (!machine) return null;
		const info = linuxPlace(
			machine.pod ? 'root' : 'admin',
			machine.name,
			machine.files,
			`${machine.name}: ${machine.description}`
		);
		if (machine.pod) {
			info.home = '/root';
			info.environment = {
				...info.environment,
				HOME: '/root',
				LOGNAME: 'root',
				USER: 'root',
				...podEnvironment(world, machine)
			};
		}
		if (machine.arc) {
			info.environment = { ...info.environment, ...arcEnvironment(machine) };
			info.restricted = { ...machine.arc.secretFiles };
		}
		return info;
	}
	const resource = getResource(world, place.resourceId);
	if (!resource) return null;
	if (resource.kind === 'virtualMachine') {
		return linuxPlace(
			'azureuser',
			resource.name,
			resource.files,
			`the virtual machine ${resource.name}`
		);
	}
	if (resource.kind === 'virtualMachineScaleSet') {
		const instance = resource.instances.find((i) => i.instanceId === place.instanceId);
		if (!instance) return null;
		return linuxPlace(
			'azureuser',
			scaleSetComputerName(resource, instance.instanceId),
			resource.files,
			`instance ${instance.instanceId} of the scale set ${resource.name}`
		);
	}
	if (resource.kind === 'webApp' || resource.kind === 'functionApp') {
		return {
			user: 'kudu',
			hostname: resource.name,
			home: '/home',
			promptHost: `kudu@${resource.name}`,
			environment: siteEnvironment(resource),
			files: resource.files,
			description: `the App Service console of the ${resource.kind === 'functionApp' ? 'function app' : 'web app'} ${resource.name}`
		};
	}
	return null;
}

/** A Linux machine the learner is logged into as `user`, in the login shell's environment. */
function linuxPlace(
	user: string,
	hostname: string,
	files: MachineFiles,
	description: string
): PlaceInfo {
	const home = `/home/${user}`;
	return {
		user,
		hostname,
		home,
		promptHost: `${user}@${hostname}`,
		environment: {
			HOME: home,
			HOSTNAME: hostname,
			LOGNAME: user,
			PATH: SYSTEM_PATH,
			SHELL: '/bin/bash',
			TERM: 'xterm-256color',
			USER: user
		},
		files,
		description
	};
}

/** A site's console sees its app settings and the platform's variables (IDENTITY_ENDPOINT when it has an identity). */
function siteEnvironment(site: WebSite): Record<string, string> {
	return {
		HOME: '/home',
		PATH: SYSTEM_PATH,
		SHELL: '/bin/bash',
		TERM: 'xterm-256color',
		...site.appSettings,
		...appServiceEnvironment(site)
	};
}

/** A new session at a place, in its home directory. */
export function newSession(
	world: World,
	place: NetworkSource,
	state?: Pick<ShellState, 'cloudFiles'>
): ShellSession {
	const info = describePlace(world, place, state);
	return { place, vars: {}, exported: [], cwd: info?.home ?? '/' };
}

/** A fresh terminal: Cloud Shell unless another place is given. */
export function createShellState(
	world: World,
	place: NetworkSource = { kind: 'cloudShell' }
): ShellState {
	return {
		...newSession(world, place),
		previous: [],
		history: emptyHistory(),
		lastExitCode: 0,
		cloudFiles: {}
	};
}

/** The path shown in the prompt: `~` for the home directory and below it. */
function promptPath(cwd: string, home: string): string {
	if (cwd === home) return '~';
	if (home !== '/' && cwd.startsWith(`${home}/`)) return `~${cwd.slice(home.length)}`;
	return cwd;
}

/**
 * The prompt: `sarah@Azure:~$` in Cloud Shell, `azureuser@vm-stock-app:~$` on a VM, `kudu@app-stock-web:/home$`
 * on a site's console, `admin@onprem-legacy-01:~$` on the on-premises server.
 */
export function prompt(world: World, state: ShellState): string {
	const info = describePlace(world, state.place, state);
	if (!info) return 'bash-5.1$ ';
	// The App Service console shows the real path (/home), as Kudu's shell does.
	const path = info.user === 'kudu' ? state.cwd : promptPath(state.cwd, info.home);
	return `${info.promptHost}:${path}$ `;
}

/** Resolves a path typed at the shell (`~`, relative, `..`, `.`) against the working directory. */
export function resolvePath(path: string, cwd: string, home: string): string {
	let full = path;
	if (full === '~' || full.startsWith('~/')) full = home + full.slice(1);
	if (!full.startsWith('/')) full = `${cwd === '/' ? '' : cwd}/${full}`;
	const parts: string[] = [];
	for (const part of full.split('/')) {
		if (part === '' || part === '.') continue;
		if (part === '..') parts.pop();
		else parts.push(part);
	}
	return `/${parts.join('/')}`;
}

/** True when `dir` is a directory of the machine: its home, `/`, or a prefix of one of its files. */
export function isDirectory(files: MachineFiles, dir: string, home: string): boolean {
	if (dir === '/' || dir === home || home.startsWith(`${dir}/`)) return true;
	const prefix = `${dir}/`;
	return Object.keys(files).some((f) => f.startsWith(prefix));
}

/** The entries directly inside a directory: files by name, directories with a trailing `/`. */
export function listDirectory(files: MachineFiles, dir: string, home: string): string[] {
	const prefix = dir === '/' ? '/' : `${dir}/`;
	const entries = new Set<string>();
	for (const path of [...Object.keys(files), `${home}/`]) {
		if (!path.startsWith(prefix)) continue;
		const rest = path.slice(prefix.length);
		if (rest === '') continue;
		const slash = rest.indexOf('/');
		entries.add(slash < 0 ? rest : `${rest.slice(0, slash)}/`);
	}
	return [...entries].sort();
}
