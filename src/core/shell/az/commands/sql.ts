/** az sql server / db / ad-admin: the control plane of Azure SQL (data access is sqlcmd's). */
import type { SqlDatabase, SqlServer } from '../../../azure/model.ts';
import { idKey, resourceId } from '../../../azure/naming.ts';
import type { AzArg, AzCommand, AzInvocation, AzOutcome } from '../types.ts';
import { str } from '../args.ts';
import {
	CREATE_GROUP_ARG,
	GROUP_ARG,
	LOCATION_ARG,
	YES_ARG,
	commit,
	confirmation,
	failure,
	findGroup,
	findInGroup,
	groupNotFound,
	locationOption,
	nameArg,
	newNameArg,
	serviceFailure,
	success
} from '../common.ts';
import { createInGroup, deleteCommand, listCommand, showCommand } from '../resource-commands.ts';
import { sqlAdminView, sqlDatabaseView, sqlServerView } from '../views.ts';
import { isGuid } from '../../../ids.ts';
import { own } from '../../../own.ts';

const SERVER_ARG = {
	dest: 'server',
	options: ['--server', '-s'],
	required: true,
	help: 'Name of the Azure SQL Server.'
} as const;

/** The arguments that name a server in the ad-admin commands. */
const AD_ADMIN_SERVER_ARGS: readonly AzArg[] = [
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
];

/** The server named by `--resource-group` and `--server`, or az's error. */
function findServer(
	inv: AzInvocation
): { ok: true; resource: SqlServer } | { ok: false; outcome: AzOutcome } {
	const found = findInGroup(
		inv.world,
		['sqlServer'],
		str(inv.args, 'resourceGroup') ?? '',
		str(inv.args, 'server') ?? ''
	);
	// findInGroup() returns only resources of the kinds asked for.
	return found.ok ? { ok: true, resource: found.resource as SqlServer } : found;
}

const serverCreate: AzCommand = {
	name: 'sql server create',
	summary: 'Create a server.',
	args: [
		newNameArg('Name of the Azure SQL Server (lower case, unique across Azure).'),
		CREATE_GROUP_ARG,
		LOCATION_ARG,
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
	run: (inv) =>
		createInGroup(
			inv,
			'sqlServer',
			(group, name) => ({
				type: 'createSqlServer',
				resourceGroup: group.name,
				name,
				...locationOption(inv.args)
			}),
			sqlServerView
		)
};

const serverDelete = deleteCommand({
	name: 'sql server delete',
	summary: 'Delete a server and its databases.',
	kinds: ['sqlServer'],
	nameHelp: 'Name of the Azure SQL Server.',
	confirm: true,
	examples: [
		{
			command: 'az sql server delete -g rg-stock -n sql-stock-2 --yes',
			description: 'Delete a server.'
		}
	]
});

const serverShow = showCommand({
	name: 'sql server show',
	summary: 'Gets a server.',
	kinds: ['sqlServer'],
	nameHelp: 'Name of the Azure SQL Server.',
	examples: [
		{
			command: 'az sql server show -g rg-stock -n sql-stock',
			description: 'Show the server (administrators shows its Entra admin).'
		}
	],
	view: sqlServerView
});

const serverList = listCommand({
	name: 'sql server list',
	summary: 'List available servers.',
	kinds: ['sqlServer'],
	examples: [{ command: 'az sql server list -o table', description: 'List the servers.' }],
	view: sqlServerView
});

const adminCreate: AzCommand = {
	name: 'sql server ad-admin create',
	summary:
		'Create an Active Directory Administrator for the SQL server (who may then CREATE USER … FROM EXTERNAL PROVIDER).',
	args: [
		...AD_ADMIN_SERVER_ARGS,
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
		const found = findServer(inv);
		if (!found.ok) return found.outcome;
		const objectId = str(inv.args, 'objectId') ?? '';
		if (!isGuid(objectId))
			return failure(`argument --object-id/-i: invalid uuid value: '${objectId}'`, 2);
		const applied = commit(inv, [
			{ type: 'setSqlAdAdmin', serverId: found.resource.id, principalId: objectId }
		]);
		if (!applied.ok) return applied.outcome;
		return success(
			sqlAdminView(
				applied.world,
				own(applied.world.resources, idKey(found.resource.id)) as SqlServer
			),
			applied
		);
	}
};

const adminList: AzCommand = {
	name: 'sql server ad-admin list',
	summary: 'Get the Active Directory Administrator of a SQL server.',
	args: AD_ADMIN_SERVER_ARGS,
	examples: [
		{
			command: 'az sql server ad-admin list -g rg-stock -s sql-stock',
			description: 'Who administers sql-stock.'
		}
	],
	run(inv) {
		const found = findServer(inv);
		if (!found.ok) return found.outcome;
		const view = sqlAdminView(inv.world, found.resource);
		return success(view ? [view] : []);
	}
};

const dbCreate: AzCommand = {
	name: 'sql db create',
	summary: 'Create a database.',
	args: [CREATE_GROUP_ARG, SERVER_ARG, newNameArg('Name of the Azure SQL Database.')],
	examples: [
		{
			command: 'az sql db create -g rg-stock -s sql-stock -n reportsdb',
			description: 'Create a database.'
		}
	],
	run(inv) {
		const server = str(inv.args, 'server') ?? '';
		return createInGroup(
			inv,
			'sqlDatabase',
			(group, name) => ({
				type: 'createSqlDatabase',
				resourceGroup: group.name,
				serverName: server,
				name
			}),
			(_world, db) => sqlDatabaseView(db),
			server
		);
	}
};

/** ARM's answer for a database that does not exist. */
function databaseNotFound(inv: AzInvocation): string {
	return `The requested resource of type 'Microsoft.Sql/servers/databases' with name '${str(inv.args, 'name') ?? ''}' was not found.`;
}

function findDatabase(inv: AzInvocation): SqlDatabase | undefined {
	const group = findGroup(inv.world, str(inv.args, 'resourceGroup') ?? '');
	if (!group) return undefined;
	const id = resourceId(
		group.subscriptionId,
		group.name,
		'sqlDatabase',
		str(inv.args, 'name') ?? '',
		str(inv.args, 'server') ?? ''
	);
	const db = own(inv.world.resources, idKey(id));
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
		if (!db) return serviceFailure('ResourceNotFound', databaseNotFound(inv));
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
		const found = findServer(inv);
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
	args: [GROUP_ARG, SERVER_ARG, nameArg('Name of the Azure SQL Database.'), YES_ARG],
	examples: [
		{
			command: 'az sql db delete -g rg-stock -s sql-stock -n reportsdb --yes',
			description: 'Delete a database.'
		}
	],
	run(inv) {
		const db = findDatabase(inv);
		if (!db) return failure(`(ResourceNotFound) ${databaseNotFound(inv)}`);
		const refused = confirmation(inv.args);
		if (refused) return refused;
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
