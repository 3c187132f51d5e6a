/** Data held by resources: Key Vault secrets, blobs, SQL contained users. */
import type { KeyVault, SqlDatabase, SqlServer, StorageAccount } from '../model.ts';
import type { OperationError } from '../errors.ts';
import { opError } from '../errors.ts';
import type { OperationContext, WorldDraft } from './context.ts';
import { idKey } from '../naming.ts';
import { ownEntry } from '../queries.ts';
import { seededEtag } from '../../ids.ts';
import { reservedKeyProblem } from './validate.ts';
import { own } from '../../own.ts';

/** Null when `name` is a valid Key Vault secret name, else the error a learner sees. */
export function secretNameProblem(name: unknown): OperationError | null {
	return typeof name === 'string' && /^[0-9a-zA-Z-]{1,127}$/.test(name)
		? null
		: opError(
				'InvalidName',
				`'${String(name)}' is not a valid secret name: use 1 to 127 letters, digits and hyphens.`
			);
}

/** Null when `name` is a valid blob container name, else the error a learner sees. */
export function containerNameProblem(name: unknown): OperationError | null {
	return typeof name === 'string' && /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(name)
		? null
		: opError(
				'InvalidName',
				`'${String(name)}' is not a valid container name: 3 to 63 lower-case letters, digits and single hyphens.`
			);
}

/** Null when `name` is a valid blob name, else the error a learner sees. */
export function blobNameProblem(name: unknown): OperationError | null {
	if (typeof name !== 'string' || name.length === 0 || name.length > 1024) {
		return opError('InvalidName', 'A blob needs a name of 1 to 1024 characters.');
	}
	return reservedKeyProblem(name, 'a blob name');
}

function requireKind<K extends 'keyVault' | 'storageAccount' | 'sqlServer' | 'sqlDatabase'>(
	draft: WorldDraft,
	id: unknown,
	kind: K,
	label: string
): Extract<KeyVault | StorageAccount | SqlServer | SqlDatabase, { kind: K }> | OperationError {
	const r = ownEntry(draft.resources, idKey(typeof id === 'string' ? id : ''));
	if (!r || r.kind !== kind) {
		return opError(
			'ResourceNotFound',
			`No ${label} has the id '${String(id)}'. Check its name and resource group.`
		);
	}
	return r as Extract<KeyVault | StorageAccount | SqlServer | SqlDatabase, { kind: K }>;
}

/** Operation: add a secret or a new version of it (rotation). */
export function setSecret(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { vaultId: string; name: string; value: string; contentType?: string }
): OperationError | void {
	const vault = requireKind(draft, input?.vaultId, 'keyVault', 'key vault');
	if ('code' in vault) return vault;
	const nameProblem = secretNameProblem(input.name);
	if (nameProblem) return nameProblem;
	if (typeof input.value !== 'string')
		return opError('InvalidInput', 'A secret needs a value (text).');
	if (input.contentType !== undefined && typeof input.contentType !== 'string') {
		return opError('InvalidInput', "contentType must be text such as 'text/plain'.");
	}
	const existingName = Object.keys(vault.secrets).find(
		(n) => n.toLowerCase() === input.name.toLowerCase()
	);
	const secret =
		(existingName !== undefined ? vault.secrets[existingName] : undefined) ??
		(vault.secrets[input.name] = { versions: [] });
	const version = ctx.guid().replace(/-/g, '');
	secret.versions.push({
		version,
		value: input.value,
		created: draft.now,
		...(input.contentType ? { contentType: input.contentType } : {})
	});
	ctx.emit({
		kind: 'activity',
		operationName: 'Microsoft.KeyVault/vaults/secrets/write',
		resourceId: `${vault.id}/secrets/${existingName ?? input.name}`,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `${secret.versions.length > 1 ? 'Rotated' : 'Added'} secret '${existingName ?? input.name}' in '${vault.name}' (version ${version}).`
	});
}

/** Operation: create a blob container. */
export function createContainer(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { accountId: string; name: string }
): OperationError | void {
	const account = requireKind(draft, input?.accountId, 'storageAccount', 'storage account');
	if ('code' in account) return account;
	const nameProblem = containerNameProblem(input.name);
	if (nameProblem) return nameProblem;
	if (ownEntry(account.containers, input.name))
		return opError(
			'ContainerExists',
			`Container '${input.name}' already exists in '${account.name}'.`
		);
	account.containers[input.name] = { createdAt: draft.now, blobs: {} };
	ctx.emit({
		kind: 'activity',
		operationName: 'Microsoft.Storage/storageAccounts/blobServices/containers/write',
		resourceId: `${account.id}/blobServices/default/containers/${input.name}`,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `Created container '${input.name}' in '${account.name}'.`
	});
}

/** Operation: write a blob (create or overwrite). */
export function putBlob(
	draft: WorldDraft,
	ctx: OperationContext,
	input: {
		accountId: string;
		container: string;
		name: string;
		content: string;
		contentType?: string;
	}
): OperationError | void {
	const account = requireKind(draft, input?.accountId, 'storageAccount', 'storage account');
	if ('code' in account) return account;
	const container = ownEntry(account.containers, String(input.container));
	if (!container) {
		return opError(
			'ContainerNotFound',
			`Container '${String(input.container)}' does not exist in '${account.name}'. Create it first.`
		);
	}
	const nameProblem = blobNameProblem(input.name);
	if (nameProblem) return nameProblem;
	if (typeof input.content !== 'string')
		return opError('InvalidInput', 'A blob needs content (text).');
	if (input.contentType !== undefined && typeof input.contentType !== 'string') {
		return opError('InvalidInput', "contentType must be text such as 'text/csv'.");
	}
	container.blobs[input.name] = {
		content: input.content,
		contentType:
			input.contentType ?? (input.name.endsWith('.csv') ? 'text/csv' : 'application/octet-stream'),
		lastModified: draft.now,
		etag: seededEtag(draft.seed, draft.idCounter++)
	};
	ctx.emit({
		kind: 'activity',
		operationName: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
		resourceId: `${account.id}/blobServices/default/containers/${input.container}/blobs/${input.name}`,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `Wrote blob '${input.name}' (${input.content.length} bytes) to '${account.name}/${input.container}'.`
	});
}

/** Operation: make an Entra principal the SQL server's administrator (`az sql server ad-admin create`). */
export function setSqlAdAdmin(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { serverId: string; principalId: string }
): OperationError | void {
	const server = requireKind(draft, input?.serverId, 'sqlServer', 'SQL server');
	if ('code' in server) return server;
	const id = String(input.principalId ?? '').toLowerCase();
	const principal =
		ownEntry(draft.directory.users, id) ?? ownEntry(draft.directory.servicePrincipals, id);
	if (!principal)
		return opError('PrincipalNotFound', `Principal '${id}' does not exist in the directory.`);
	const login =
		'userPrincipalName' in principal ? principal.userPrincipalName : principal.displayName;
	server.adAdmin = { login, sid: id };
	ctx.emit({
		kind: 'activity',
		operationName: 'Microsoft.Sql/servers/administrators/write',
		resourceId: `${server.id}/administrators/ActiveDirectory`,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `Made '${login}' the Microsoft Entra admin of SQL server '${server.name}'.`
	});
}

const SQL_ROLES = ['db_owner', 'db_datareader', 'db_datawriter', 'db_ddladmin', 'db_securityadmin'];

/**
 * Operation: `CREATE USER [name] FROM EXTERNAL PROVIDER` — a contained user mapped to the Entra principal whose
 * display name is `name`. Needs an Entra admin on the server, as Azure SQL does.
 */
export function createSqlUser(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { databaseId: string; userName: string }
): OperationError | void {
	const db = requireKind(draft, input?.databaseId, 'sqlDatabase', 'SQL database');
	if ('code' in db) return db;
	const serverKey = idKey(db.id).replace(/\/databases\/[^/]+$/, '');
	const server = own(draft.resources, serverKey);
	if (!server || server.kind !== 'sqlServer' || !server.adAdmin) {
		return opError(
			'SqlAdminRequired',
			`Only a Microsoft Entra admin can create users from the external provider. Set one with az sql server ad-admin create on server '${db.serverName}'.`
		);
	}
	const userName = String(input.userName ?? '');
	if (Object.keys(db.users).some((u) => u.toLowerCase() === userName.toLowerCase())) {
		return opError(
			'SqlUserExists',
			`User, group, or role '${userName}' already exists in the current database.`
		);
	}
	const matches = [
		...Object.values(draft.directory.servicePrincipals).filter(
			(sp) => sp.displayName.toLowerCase() === userName.toLowerCase()
		),
		...Object.values(draft.directory.users).filter(
			(u) =>
				u.userPrincipalName.toLowerCase() === userName.toLowerCase() ||
				u.displayName.toLowerCase() === userName.toLowerCase()
		)
	];
	if (matches.length === 0) {
		return opError(
			'SqlPrincipalNotFound',
			`Principal '${userName}' could not be found or this principal type is not supported. For a managed identity use its name (the resource name for system-assigned).`
		);
	}
	if (matches.length > 1) {
		return opError(
			'SqlPrincipalAmbiguous',
			`Principal '${userName}' is not unique in the directory (${matches.length} matches). Rename one or use WITH OBJECT_ID.`
		);
	}
	db.users[userName] = { name: userName, principalId: matches[0]?.id ?? '', roles: [] };
	ctx.emit({
		kind: 'activity',
		operationName: 'Microsoft.Sql/servers/databases/users/write',
		resourceId: `${db.id}/users/${userName}`,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `CREATE USER [${userName}] FROM EXTERNAL PROVIDER in '${db.name}'.`
	});
}

/** Operation: `ALTER ROLE role ADD MEMBER [user]`. */
export function addSqlRoleMember(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { databaseId: string; role: string; userName: string }
): OperationError | void {
	const db = requireKind(draft, input?.databaseId, 'sqlDatabase', 'SQL database');
	if ('code' in db) return db;
	const role = String(input.role ?? '').toLowerCase();
	if (!SQL_ROLES.includes(role)) {
		return opError(
			'SqlRoleNotFound',
			`Cannot alter the role '${String(input.role)}': it does not exist. Use one of ${SQL_ROLES.join(', ')}.`
		);
	}
	const key = Object.keys(db.users).find(
		(u) => u.toLowerCase() === String(input.userName ?? '').toLowerCase()
	);
	const user = key ? db.users[key] : undefined;
	if (!user) {
		return opError(
			'SqlUserNotFound',
			`User '${String(input.userName)}' does not exist in '${db.name}'. Run CREATE USER [${String(input.userName)}] FROM EXTERNAL PROVIDER first.`
		);
	}
	if (!user.roles.includes(role)) user.roles.push(role);
	ctx.emit({
		kind: 'activity',
		operationName: 'Microsoft.Sql/servers/databases/roles/write',
		resourceId: `${db.id}/users/${user.name}`,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `ALTER ROLE ${role} ADD MEMBER [${user.name}] in '${db.name}'.`
	});
}
