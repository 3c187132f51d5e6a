/**
 * `azcmagent`, the Azure Connected Machine agent of an Arc-enabled server (learn.microsoft.com/azure/azure-arc/
 * servers/azcmagent-connect): `connect` makes the machine a Microsoft.HybridCompute/machines resource with a
 * system-assigned identity and starts HIMDS on localhost:40342; `show` and `disconnect`. The agent runs as
 * root: use sudo.
 */
import { applyOperations } from '../azure/operations/index.ts';
import { seededGuid } from '../ids.ts';
import type { CommandContext, CommandOutcome, ShellCommand } from './types.ts';
import { cloudShellUser } from './state.ts';

function option(args: string[], names: string[]): string | undefined {
	for (const [i, a] of args.entries()) {
		for (const n of names) {
			if (a === n) return args[i + 1];
			if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
		}
	}
	return undefined;
}

function connect(ctx: CommandContext, machineName: string, args: string[]): CommandOutcome {
	const world = ctx.world;
	const group = option(args, ['--resource-group', '-g']);
	const tenant = option(args, ['--tenant-id', '-t']);
	const location = option(args, ['--location', '-l']);
	const subscription =
		option(args, ['--subscription-id', '-s']) ??
		Object.values(world.subscriptions)[0]?.subscriptionId;
	const missing = [
		group === undefined ? '--resource-group' : null,
		tenant === undefined ? '--tenant-id' : null,
		location === undefined ? '--location' : null
	].filter((m): m is string => m !== null);
	if (missing.length > 0) {
		return {
			exitCode: 1,
			stderr: `Error: required flag(s) ${missing.map((m) => `"${m.slice(2)}"`).join(', ')} not set\n# e.g. sudo azcmagent connect --resource-group rg-stock --tenant-id ${world.tenant.tenantId} --location westeurope --subscription-id ${subscription ?? '<id>'}\n`
		};
	}
	if ((tenant ?? '').toLowerCase() !== world.tenant.tenantId.toLowerCase()) {
		return {
			exitCode: 1,
			stderr: `FATAL   AADSTS90002: Tenant '${tenant ?? ''}' not found.\n# This lab's tenant is ${world.tenant.tenantId}.\n`
		};
	}
	const applied = applyOperations(
		world,
		[
			{
				type: 'connectArcMachine',
				machine: machineName,
				subscriptionId: subscription ?? '',
				resourceGroup: group ?? '',
				location: location ?? '',
				...(option(args, ['--resource-name', '-n']) !== undefined
					? { resourceName: option(args, ['--resource-name', '-n']) }
					: {})
			}
		],
		{ caller: cloudShellUser(world)?.userPrincipalName ?? 'azcmagent' }
	);
	if (!applied.ok) return { exitCode: 1, stderr: `FATAL   ${applied.error.message}\n` };
	const arc = applied.value.world.outsideMachines[machineName]?.arc;
	const correlation = seededGuid(world.seed, `arc-connect|${machineName}|${world.now}`);
	return {
		exitCode: 0,
		stdout: [
			'INFO    Connecting machine to Azure... This might take a few minutes.',
			'INFO    Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes.',
			`INFO    Creating resource in Azure...                 Correlation ID=${correlation} Resource ID=${arc?.resourceId ?? ''}`,
			'INFO    Connected machine to Azure',
			`INFO    Machine overview page: https://portal.azure.com/#@${world.tenant.tenantId}/resource${arc?.resourceId ?? ''}/overview`,
			`# The machine now has a system-assigned identity (principal id ${arc?.identity.principalId ?? ''}). Its agent (HIMDS) answers at $IDENTITY_ENDPOINT; the first request gets a challenge.`,
			''
		].join('\n'),
		world: applied.value.world,
		events: applied.value.events
	};
}

/** `azcmagent`. */
export const azcmagent: ShellCommand = {
	name: 'azcmagent',
	summary:
		'The Azure Arc agent on onprem-legacy-01: sudo azcmagent connect …, azcmagent show, sudo azcmagent disconnect.',
	usage: [
		'sudo azcmagent connect --resource-group rg-stock --tenant-id <tenant> --location westeurope --subscription-id <subscription>',
		'azcmagent show',
		'sudo azcmagent disconnect'
	],
	run(ctx) {
		const place = ctx.state.place;
		const machine = place.kind === 'outside' ? ctx.world.outsideMachines[place.machine] : undefined;
		if (!machine || machine.pod) {
			return {
				exitCode: 127,
				stderr: `azcmagent: command not found\n# The Arc agent is installed on onprem-legacy-01 (ssh onprem-legacy-01). Azure VMs do not need it: they have IMDS.\n`
			};
		}
		const [verb, ...args] = ctx.argv.slice(1);
		if (verb === 'show') {
			const arc = machine.arc;
			const lines = arc
				? [
						`Resource Name                           : ${arc.resourceId.split('/').pop() ?? ''}`,
						`Resource Group Name                     : ${arc.resourceGroup}`,
						`Resource Namespace                      : Microsoft.HybridCompute`,
						`Resource Id                             : ${arc.resourceId}`,
						`Subscription ID                         : ${arc.subscriptionId}`,
						`Tenant ID                               : ${arc.identity.tenantId}`,
						`Location                                : ${arc.location}`,
						`Agent Status                            : Connected`,
						`Cloud                                   : AzureCloud`
					]
				: ['Agent Status                            : Disconnected'];
			return { exitCode: 0, stdout: `${lines.join('\n')}\n` };
		}
		if (verb !== 'connect' && verb !== 'disconnect') {
			return {
				exitCode: 1,
				stderr: `Error: unknown command "${verb ?? ''}" for "azcmagent"\n# The lab's agent knows connect, show and disconnect.\n`
			};
		}
		if (!ctx.state.asRoot) {
			return {
				exitCode: 1,
				stderr: `FATAL   azcmagent ${verb} must be run as root or with sudo.\n# sudo azcmagent ${verb} …\n`
			};
		}
		if (verb === 'connect') return connect(ctx, machine.name, args);
		const applied = applyOperations(
			ctx.world,
			[{ type: 'disconnectArcMachine', machine: machine.name }],
			{
				caller: cloudShellUser(ctx.world)?.userPrincipalName ?? 'azcmagent'
			}
		);
		if (!applied.ok) return { exitCode: 1, stderr: `FATAL   ${applied.error.message}\n` };
		return {
			exitCode: 0,
			stdout: 'INFO    Deleting resource from Azure...\nINFO    Disconnected machine from Azure\n',
			world: applied.value.world,
			events: applied.value.events
		};
	}
};
