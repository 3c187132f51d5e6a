/** az webapp and az functionapp: create, delete, show, list, identity, config appsettings list/set/delete, ssh. */
import type { WebSite } from '../../../azure/model.ts';
import { idKey, resourceId } from '../../../azure/naming.ts';
import type { AzCommand } from '../types.ts';
import { list as listArg, str } from '../args.ts';
import {
	CREATE_GROUP_ARG,
	GROUP_ARG,
	commit,
	failure,
	findGroup,
	groupNotFound,
	nameArg,
	newNameArg,
	success,
	targets
} from '../common.ts';
import { deleteCommand, listCommand, showCommand } from '../resource-commands.ts';
import { siteView } from '../views.ts';
import { identityCommands } from './identity-host.ts';
import { openConsole } from '../../remote.ts';

type SiteKind = 'webApp' | 'functionApp';

function siteCommands(kind: SiteKind): AzCommand[] {
	const group = kind === 'webApp' ? 'webapp' : 'functionapp';
	const noun = kind === 'webApp' ? 'web app' : 'function app';
	const sample = kind === 'webApp' ? 'app-stock-web' : 'func-stock-import';
	const create: AzCommand = {
		name: `${group} create`,
		summary: `Create a ${noun}.`,
		args: [
			newNameArg(`Name of the new ${noun} (unique across azurewebsites.net).`),
			CREATE_GROUP_ARG,
			...(kind === 'webApp'
				? [
						{
							dest: 'plan',
							options: ['--plan', '-p'],
							required: true,
							help: 'Name or resource id of the app service plan (the lab does not model plans).'
						}
					]
				: [
						{
							dest: 'storageAccount',
							options: ['--storage-account', '-s'],
							required: true,
							help: 'Provide a string value of a Storage Account in the provided Resource Group.'
						},
						{
							dest: 'consumptionPlanLocation',
							options: ['--consumption-plan-location', '-c'],
							help: 'Geographic location where function app will be hosted.'
						},
						{
							dest: 'plan',
							options: ['--plan', '-p'],
							help: 'Name or resource id of the function app service plan.'
						},
						{
							dest: 'functionsVersion',
							options: ['--functions-version'],
							help: 'The functions app version.'
						}
					]),
			{
				dest: 'runtime',
				options: ['--runtime', '-r'],
				help: 'The runtime stack, e.g. "NODE:20-lts", "python".'
			},
			{
				dest: 'assignIdentity',
				options: ['--assign-identity'],
				kind: 'optionalList',
				help: "Identities to assign. Use '[system]' for the system assigned identity."
			}
		],
		examples: [
			{
				command: `az ${group} create -g rg-stock -n ${sample}-2 ${kind === 'webApp' ? '-p plan-stock' : '-s ststockdata -c westeurope'}`,
				description: `Create a ${noun}.`
			}
		],
		run(inv) {
			const groupName = str(inv.args, 'resourceGroup') ?? '';
			const groupRecord = findGroup(inv.world, groupName);
			if (!groupRecord) return groupNotFound(inv.world, groupName);
			const storage = str(inv.args, 'storageAccount');
			if (
				storage !== undefined &&
				!Object.values(inv.world.resources).some(
					(r) => r.kind === 'storageAccount' && r.name === storage
				)
			) {
				return failure(
					`Storage account '${storage}' not found.`,
					1,
					'A function app needs an existing storage account: az storage account list.'
				);
			}
			const identity = inv.args.assignIdentity;
			const values = Array.isArray(identity) ? (identity.length ? identity : ['[system]']) : [];
			if (values.some((v) => v.toLowerCase() !== '[system]')) {
				return failure(
					'The lab supports --assign-identity [system] here; attach user-assigned identities afterwards with az ' +
						group +
						' identity assign --identities <id>.',
					2
				);
			}
			const name = str(inv.args, 'name') ?? '';
			const applied = commit(inv, [
				{
					type: 'createWebSite',
					kind,
					resourceGroup: groupRecord.name,
					name,
					...(values.length ? { identity: { systemAssigned: true } } : {})
				}
			]);
			if (!applied.ok) return applied.outcome;
			const site = applied.world.resources[
				idKey(resourceId(groupRecord.subscriptionId, groupRecord.name, kind, name))
			] as WebSite;
			return success(siteView(applied.world, site), applied);
		}
	};
	const remove = deleteCommand({
		name: `${group} delete`,
		summary: `Delete a ${noun}.`,
		kinds: [kind],
		nameHelp: `Name of the ${noun}.`,
		examples: [
			{ command: `az ${group} delete -g rg-stock -n ${sample}`, description: `Delete a ${noun}.` }
		]
	});
	const show = showCommand({
		name: `${group} show`,
		summary: `Get the details of a ${noun}.`,
		kinds: [kind],
		nameHelp: `Name of the ${noun}.`,
		examples: [
			{
				command: `az ${group} show -g rg-stock -n ${sample} --query identity`,
				description: 'Show the identity of the app.'
			}
		],
		view: siteView
	});
	const list = listCommand({
		name: `${group} list`,
		summary: `List ${noun}s.`,
		kinds: [kind],
		examples: [{ command: `az ${group} list -o table`, description: `List the ${noun}s.` }],
		table: (result) =>
			(result as Record<string, unknown>[]).map((s) => ({
				Name: s.name,
				Location: s.location,
				State: s.state,
				ResourceGroup: s.resourceGroup,
				DefaultHostName: s.defaultHostName
			})),
		view: siteView
	});
	const settings: AzCommand = {
		name: `${group} config appsettings list`,
		summary: `Get the details of a ${noun}'s settings (what its code sees as environment variables).`,
		args: [nameArg(`Name of the ${noun}.`), GROUP_ARG],
		ids: true,
		examples: [
			{
				command: `az ${group} config appsettings list -g rg-stock -n ${sample} -o table`,
				description: 'List the app settings.'
			}
		],
		run(inv) {
			const found = targets(inv, [kind]);
			if (!found.ok) return found.outcome;
			const site = found.resources[0] as WebSite;
			return success(
				Object.entries(site.appSettings).map(([name, value]) => ({
					name,
					slotSetting: false,
					value
				}))
			);
		}
	};
	const settingsList = (site: WebSite) =>
		Object.entries(site.appSettings).map(([name, value]) => ({ name, slotSetting: false, value }));
	const settingsSet: AzCommand = {
		name: `${group} config appsettings set`,
		summary: `Set a ${noun}'s settings (its code sees them as environment variables).`,
		args: [
			nameArg(`Name of the ${noun}.`),
			GROUP_ARG,
			{
				dest: 'settings',
				options: ['--settings'],
				kind: 'list',
				required: true,
				help: 'Space-separated app settings in a format of `<name>=<value>`.'
			}
		],
		ids: true,
		examples: [
			{
				command: `az ${group} config appsettings set -g rg-stock -n ${sample} --settings KeyVaultUri=https://kv-stock.vault.azure.net/`,
				description: 'Add or change a setting.'
			}
		],
		run(inv) {
			const found = targets(inv, [kind]);
			if (!found.ok) return found.outcome;
			const site = found.resources[0] as WebSite;
			const set: Record<string, string> = {};
			for (const pair of listArg(inv.args, 'settings')) {
				const at = pair.indexOf('=');
				if (at <= 0)
					return failure(
						`Usage error: '${pair}' is not NAME=VALUE. Example: --settings KeyVaultUri=https://kv-stock.vault.azure.net/`,
						2
					);
				set[pair.slice(0, at)] = pair.slice(at + 1);
			}
			const done = commit(inv, [{ type: 'setAppSettings', resourceId: site.id, set }]);
			if (!done.ok) return done.outcome;
			const after = done.world.resources[idKey(site.id)] as WebSite;
			return success(settingsList(after), done);
		}
	};
	const settingsDelete: AzCommand = {
		name: `${group} config appsettings delete`,
		summary: `Delete ${noun} settings.`,
		args: [
			nameArg(`Name of the ${noun}.`),
			GROUP_ARG,
			{
				dest: 'settingNames',
				options: ['--setting-names'],
				kind: 'list',
				required: true,
				help: 'Space-separated app setting names.'
			}
		],
		ids: true,
		examples: [
			{
				command: `az ${group} config appsettings delete -g rg-stock -n ${sample} --setting-names QuotesStorage`,
				description: 'Remove a setting (e.g. a connection string with a key).'
			}
		],
		run(inv) {
			const found = targets(inv, [kind]);
			if (!found.ok) return found.outcome;
			const site = found.resources[0] as WebSite;
			const done = commit(inv, [
				{ type: 'setAppSettings', resourceId: site.id, remove: listArg(inv.args, 'settingNames') }
			]);
			if (!done.ok) return done.outcome;
			const after = done.world.resources[idKey(site.id)] as WebSite;
			return success(settingsList(after), done);
		}
	};
	return [
		create,
		remove,
		show,
		list,
		settings,
		settingsSet,
		settingsDelete,
		...identityCommands(kind)
	];
}

const webappSsh: AzCommand = {
	name: 'webapp ssh',
	summary: 'SSH command establishes a ssh session to the web container (the App Service console).',
	args: [
		nameArg('Name of the web app.'),
		{ ...GROUP_ARG, required: false },
		{ dest: 'timeout', options: ['--timeout', '-t'], help: 'Timeout in seconds.' }
	],
	ids: true,
	examples: [
		{
			command: 'az webapp ssh -g rg-stock -n app-stock-web',
			description: 'Open the console of app-stock-web; env shows IDENTITY_ENDPOINT.'
		}
	],
	run(inv) {
		if (str(inv.args, 'resourceGroup') === undefined && !Array.isArray(inv.args.ids)) {
			const name = str(inv.args, 'name') ?? '';
			const site = Object.values(inv.world.resources).find(
				(r) =>
					(r.kind === 'webApp' || r.kind === 'functionApp') &&
					r.name.toLowerCase() === name.toLowerCase()
			);
			if (site) inv = { ...inv, args: { ...inv.args, resourceGroup: site.resourceGroup } };
		}
		const found = targets(inv, ['webApp', 'functionApp']);
		if (!found.ok) return found.outcome;
		const opened = openConsole(inv.world, inv.state, found.resources[0] as WebSite);
		return {
			ok: true,
			...(opened.state ? { state: opened.state } : {}),
			text: opened.stdout ?? ''
		};
	}
};

/** The App Service commands. */
export const WEB_COMMANDS: readonly AzCommand[] = [
	...siteCommands('webApp'),
	...siteCommands('functionApp'),
	webappSsh
];
