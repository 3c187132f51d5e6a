/** az sql server / db / ad-admin: the control plane of Azure SQL (data access is sqlcmd's). */
import type { SqlDatabase, SqlServer } from '../../../azure/model.ts';
import { idKey, resourceId } from '../../../azure/naming.ts';
import type { AzCommand } from '../types.ts';
import { str } from '../args.ts';
import {
	GROUP_ARG,
	GROUP_FILTER_ARG,
	commit,
	failure,
	findGroup,
	findInGroup,
	groupNotFound,
	listResources,
	nameArg,
	success,
	targets
} from '../common.ts';
import { sqlAdminView, sqlDatabaseView, sqlServerView } from '../views.ts';
import { isGuid } from '../../../ids.ts';

const SERVER_ARG = {
	dest: 'server',
	options: ['--server', '-s'],
	required: true,
	help: 'Name of the Azure SQL Server.'
} as const;

const serverCreate: AzCommand = {
	name: 'sql server create',
	summary: 'Create a server.',
	args: [
		{
			dest: 'name',
			options: ['--name', '-n'],
			required: true,
			help: 'Name of the Azure SQL Server (lower case, unique across Azure).'
		},
		{ ...GROUP_ARG, idPart: false },
		{
			dest: 'location',
			options: ['--location', '-l'],
			help: 'Location. Default: the resource group’s location.'
		},
		{
			dest: 'adminUser',
			options: ['--admin-user', '-u'],
			help: 'Administrator username for the server (SQL authentication).'
		},
		{
			dest: 'adminPassword',
			options: ['--admin-password', '-p'],
			help: 'The administrator login password.'
		},
		{
			dest: 'enableAdOnlyAuth',
			options: ['--enable-ad-only-auth'],
			kind: 'flag',
			help: 'Enable Azure Active Directory Only Authentication for this server.'
		}
	],
	examples: [
		{
			command: 'az sql server create -g rg-stock -n sql-stock-2 --enable-ad-only-auth',
			description: 'Create a server that accepts Entra ID sign-ins only.'
		}
	],
	run(inv) {
		const groupName = str(inv.args, 'resourceGroup') ?? '';
		const group = findGroup(inv.world, groupName);
		if (!group) return groupNotFound(inv.world, groupName);
		const name = str(inv.args, 'name') ?? '';
		const location = str(inv.args, 'location')?.toLowerCase();
		const applied = commit(inv, [
			{
				type: 'createSqlServer',
				resourceGroup: group.name,
				name,
				...(location !== undefined ? { location } : {})
			}
		]);
		if (!applied.ok) return applied.outcome;
		return success(
			sqlServerView(
				applied.world,
				applied.world.resources[
					idKey(resourceId(group.subscriptionId, group.name, 'sqlServer', name))
				] as SqlServer
			),
			applied
		);
	}
};

const serverDelete: AzCommand = {
	name: 'sql server delete',
	summary: 'Delete a server and its databases.',
	args: [
		nameArg('Name of the Azure SQL Server.'),
		GROUP_ARG,
		{ dest: 'yes', options: ['--yes', '-y'], kind: 'flag', help: 'Do not prompt for confirmation.' }
	],
	ids: true,
	examples: [
		{
			command: 'az sql server delete -g rg-stock -n sql-stock-2 --yes',
			description: 'Delete a server.'
		}
	],
	run(inv) {
		const found = targets(inv, ['sqlServer']);
		if (!found.ok) return found.outcome;
		if (inv.args.yes !== true)
			return failure('Unable to prompt for confirmation as no tty available. Use --yes.');
		const applied = commit(
			inv,
			found.resources.map((r) => ({ type: 'deleteResource' as const, resourceId: r.id }))
		);
		return applied.ok ? success(undefined, applied) : applied.outcome;
	}
};

const serverShow: AzCommand = {
	name: 'sql server show',
	summary: 'Gets a server.',
	args: [nameArg('Name of the Azure SQL Server.'), GROUP_ARG],
	ids: true,
	examples: [
		{
			command: 'az sql server show -g rg-stock -n sql-stock',
			description: 'Show the server (administrators shows its Entra admin).'
		}
	],
	run(inv) {
		const found = targets(inv, ['sqlServer']);
		if (!found.ok) return found.outcome;
		const views = found.resources.map((r) => sqlServerView(inv.world, r as SqlServer));
		return success(views.length === 1 ? views[0] : views);
	}
};

const serverList: AzCommand = {
	name: 'sql server list',
	summary: 'List available servers.',
	args: [GROUP_FILTER_ARG],
	examples: [{ command: 'az sql server list -o table', description: 'List the servers.' }],
	run({ world, args }) {
		const found = listResources(world, ['sqlServer'], args);
		if (!found.ok) return found.outcome;
		return success(found.resources.map((r) => sqlServerView(world, r as SqlServer)));
	}
};

const adminCreate: AzCommand = {
	name: 'sql server ad-admin create',
	summary:
		'Create an Active Directory Administrator for the SQL server (who may then CREATE USER … FROM EXTERNAL PROVIDER).',
	args: [
		{
			dest: 'resourceGroup',
			options: ['--resource-group', '-g'],
			required: true,
			help: 'Name of resource group.'
		},
		{
			dest: 'server',
			options: ['--server-name', '--server', '-s'],
			required: true,
			help: 'Name of the Azure SQL Server.'
		},
		{
			dest: 'displayName',
			options: ['--display-name', '-u'],
			required: true,
			help: 'Display name of the Azure AD administrator user or group.'
		},
		{
			dest: 'objectId',
			options: ['--object-id', '-i'],
			required: true,
			help: 'The unique ID of the Azure AD administrator.'
		}
	],
	examples: [
		{
			command:
				'az sql server ad-admin create -g rg-stock -s sql-stock -u Sarah -i $(az ad signed-in-user show --query id -o tsv)',
			description: 'Make yourself the server’s Entra admin.'
		}
	],
	run(inv) {
		const found = findInGroup(
			inv.world,
			['sqlServer'],
			str(inv.args, 'resourceGroup') ?? '',
			str(inv.args, 'server') ?? ''
		);
		if (!found.ok) return found.outcome;
		const objectId = str(inv.args, 'objectId') ?? '';
		if (!isGuid(objectId))
			return failure(`argument --object-id/-i: invalid uuid value: '${objectId}'`, 2);
		const applied = commit(inv, [
			{ type: 'setSqlAdAdmin', serverId: found.resource.id, principalId: objectId }
		]);
		if (!applied.ok) return applied.outcome;
		return success(
			sqlAdminView(applied.world, applied.world.resources[idKey(found.resource.id)] as SqlServer),
			applied
		);
	}
};

const adminList: AzCommand = {
	name: 'sql server ad-admin list',
	summary: 'Get the Active Directory Administrator of a SQL server.',
	args: [
		{
			dest: 'resourceGroup',
			options: ['--resource-group', '-g'],
			required: true,
			help: 'Name of resource group.'
		},
		{
			dest: 'server',
			options: ['--server-name', '--server', '-s'],
			required: true,
			help: 'Name of the Azure SQL Server.'
		}
	],
	examples: [
		{
			command: 'az sql server ad-admin list -g rg-stock -s sql-stock',
			description: 'Who administers sql-stock.'
		}
	],
	run(inv) {
		const found = findInGroup(
			inv.world,
			['sqlServer'],
			str(inv.args, 'resourceGroup') ?? '',
			str(inv.args, 'server') ?? ''
		);
		if (!found.ok) return found.outcome;
		const view = sqlAdminView(inv.world, found.resource as SqlServer);
		return success(view ? [view] : []);
	}
};

const dbCreate: AzCommand = {
	name: 'sql db create',
	summary: 'Create a database.',
	args: [
		{ ...GROUP_ARG, idPart: false },
		SERVER_ARG,
		{
			dest: 'name',
			options: ['--name', '-n'],
			required: true,
			help: 'Name of the Azure SQL Database.'
		}
	],
	examples: [
		{
			command: 'az sql db create -g rg-stock -s sql-stock -n reportsdb',
			description: 'Create a database.'
		}
	],
	run(inv) {
		const groupName = str(inv.args, 'resourceGroup') ?? '';
		const group = findGroup(inv.world, groupName);
		if (!group) return groupNotFound(inv.world, groupName);
		const server = str(inv.args, 'server') ?? '';
		const name = str(inv.args, 'name') ?? '';
		const applied = commit(inv, [
			{ type: 'createSqlDatabase', resourceGroup: group.name, serverName: server, name }
		]);
		if (!applied.ok) return applied.outcome;
		const db = applied.world.resources[
			idKey(resourceId(group.subscriptionId, group.name, 'sqlDatabase', name, server))
		] as SqlDatabase;
		return success(sqlDatabaseView(db), applied);
	}
};

function findDatabase(inv: Parameters<AzCommand['run']>[0]): SqlDatabase | undefined {
	const group = findGroup(inv.world, str(inv.args, 'resourceGroup') ?? '');
	if (!group) return undefined;
	const id = resourceId(
		group.subscriptionId,
		group.name,
		'sqlDatabase',
		str(inv.args, 'name') ?? '',
		str(inv.args, 'server') ?? ''
	);
	const db = inv.world.resources[idKey(id)];
	return db?.kind === 'sqlDatabase' ? db : undefined;
}

const dbShow: AzCommand = {
	name: 'sql db show',
	summary: 'Get the details for a database.',
	args: [GROUP_ARG, SERVER_ARG, nameArg('Name of the Azure SQL Database.')],
	examples: [
		{
			command: 'az sql db show -g rg-stock -s sql-stock -n stockdb',
			description: 'Show the database stockdb.'
		}
	],
	run(inv) {
		const group = str(inv.args, 'resourceGroup') ?? '';
		if (!findGroup(inv.world, group)) return groupNotFound(inv.world, group);
		const db = findDatabase(inv);
		if (!db) {
			return failure(
				`(ResourceNotFound) The requested resource of type 'Microsoft.Sql/servers/databases' with name '${str(inv.args, 'name') ?? ''}' was not found.\nCode: ResourceNotFound\nMessage: The requested resource of type 'Microsoft.Sql/servers/databases' with name '${str(inv.args, 'name') ?? ''}' was not found.`
			);
		}
		return success(sqlDatabaseView(db));
	}
};

const dbList: AzCommand = {
	name: 'sql db list',
	summary: 'List databases of a server.',
	args: [GROUP_ARG, SERVER_ARG],
	examples: [
		{
			command: 'az sql db list -g rg-stock -s sql-stock -o table',
			description: 'List the databases.'
		}
	],
	run(inv) {
		const found = findInGroup(
			inv.world,
			['sqlServer'],
			str(inv.args, 'resourceGroup') ?? '',
			str(inv.args, 'server') ?? ''
		);
		if (!found.ok) return found.outcome;
		const prefix = `${idKey(found.resource.id)}/databases/`;
		const dbs = Object.values(inv.world.resources).filter(
			(r): r is SqlDatabase => r.kind === 'sqlDatabase' && idKey(r.id).startsWith(prefix)
		);
		return success(dbs.map(sqlDatabaseView));
	}
};

const dbDelete: AzCommand = {
	name: 'sql db delete',
	summary: 'Delete a database.',
	args: [
		GROUP_ARG,
		SERVER_ARG,
		nameArg('Name of the Azure SQL Database.'),
		{ dest: 'yes', options: ['--yes', '-y'], kind: 'flag', help: 'Do not prompt for confirmation.' }
	],
	examples: [
		{
			command: 'az sql db delete -g rg-stock -s sql-stock -n reportsdb --yes',
			description: 'Delete a database.'
		}
	],
	run(inv) {
		const db = findDatabase(inv);
		if (!db)
			return failure(
				`(ResourceNotFound) The requested resource of type 'Microsoft.Sql/servers/databases' with name '${str(inv.args, 'name') ?? ''}' was not found.`
			);
		if (inv.args.yes !== true)
			return failure('Unable to prompt for confirmation as no tty available. Use --yes.');
		const applied = commit(inv, [{ type: 'deleteResource', resourceId: db.id }]);
		return applied.ok ? success(undefined, applied) : applied.outcome;
	}
};

/** The az sql commands. */
export const SQL_COMMANDS: readonly AzCommand[] = [
	serverCreate,
	serverDelete,
	serverShow,
	serverList,
	adminCreate,
	adminList,
	dbCreate,
	dbShow,
	dbList,
	dbDelete
];
