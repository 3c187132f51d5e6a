/**
 * Azure SQL with Microsoft Entra tokens (TDS, not HTTP; what the terminal's sqlcmd calls). A valid token is not
 * enough: the database must contain a user mapped to the token's object id (or the caller is the server's Entra
 * admin), and what the user may do comes from database roles. Azure RBAC does not grant data access here.
 */
import type { SqlDatabase, SqlDatabaseUser, SqlServer, World } from '../azure/model.ts';
import type { Operation } from '../azure/operations/index.ts';
import { principalDisplayName } from '../azure/queries.ts';
import { effectiveAssignmentsFor } from '../azure/rbac/authorize.ts';
import { describeScope, isWithinScope } from '../azure/rbac/scope.ts';
import type { NetworkSource } from '../http/types.ts';
import type { AcceptedToken } from './bearer.ts';
import { SQL_AUDIENCES, validateAccessToken } from './bearer.ts';
import { sourceLabel } from './exchange.ts';
import { explainTokenFailure } from './explain.ts';
import { parseSqlStatement, type SqlStatement } from './sql-statement.ts';

/** What sqlcmd passes: server (`sql-stock.database.windows.net`, `tcp:…,1433` or the short name), database, token. */
export interface SqlConnectionInput {
	server: string;
	database: string;
	accessToken: string;
	/** Where the connection comes from, for the event log. */
	source?: NetworkSource;
}

/** A SQL Server error as sqlcmd prints it (`Msg {errorNumber}, Level {level}, State {state}`), plus why. */
export interface SqlFailure {
	ok: false;
	errorNumber: number;
	level: number;
	state: number;
	/** SQL Server's message text. */
	message: string;
	/** For a learner: what is wrong and what would fix it. */
	explanation: string;
	/** `recordServiceCall` (absent when no server answered). */
	operations: Operation[];
}

/** A successful login: the database user the token maps to. */
export interface SqlLoginSuccess {
	ok: true;
	user: SqlDatabaseUser;
	/** True when the caller is the server's Microsoft Entra admin (mapped to dbo). */
	isAdmin: boolean;
	databaseId: string;
	operations: Operation[];
}

/** The outcome of {@link sqlLogin}. */
export type SqlLoginResult = SqlLoginSuccess | SqlFailure;

/** A statement's outcome: a result set (possibly empty), and the operations that apply its change. */
export interface SqlStatementSuccess {
	ok: true;
	columns: string[];
	rows: string[][];
	/** sqlcmd's closing line, e.g. `(2 rows affected)` or `Commands completed successfully.` */
	message: string;
	/** The data change to apply (createSqlUser, addSqlRoleMember), then `recordServiceCall`. */
	operations: Operation[];
}

/** The outcome of {@link runSqlStatement}. */
export type SqlStatementResult = SqlStatementSuccess | SqlFailure;

/** The fixed database roles the lab models. */
export const SQL_DATABASE_ROLES: readonly string[] = [
	'db_owner',
	'db_datareader',
	'db_datawriter',
	'db_ddladmin',
	'db_securityadmin'
];

const LOGIN_FAILED = "Login failed for user '<token-identified principal>'.";

interface Session {
	server: SqlServer;
	database: SqlDatabase;
	user: SqlDatabaseUser;
	isAdmin: boolean;
	token: AcceptedToken;
}

interface Failure {
	errorNumber: number;
	level: number;
	state: number;
	message: string;
	explanation: string;
	status: number;
}

function findServer(world: World, text: string): SqlServer | undefined {
	const name = text.trim().toLowerCase().replace(/^tcp:/, '').replace(/,\d+$/, '');
	return Object.values(world.resources).find(
		(r): r is SqlServer =>
			r.kind === 'sqlServer' &&
			(r.fullyQualifiedDomainName.toLowerCase() === name || r.name.toLowerCase() === name)
	);
}

function findDatabase(world: World, server: SqlServer, name: string): SqlDatabase | undefined {
	const lower = name.trim().toLowerCase();
	return Object.values(world.resources).find(
		(r): r is SqlDatabase =>
			r.kind === 'sqlDatabase' &&
			r.serverName.toLowerCase() === server.name.toLowerCase() &&
			r.resourceGroup.toLowerCase() === server.resourceGroup.toLowerCase() &&
			r.name.toLowerCase() === lower
	);
}

function unbracket(name: string): string {
	const t = name.trim();
	return t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1) : t;
}

/** The statements that give an identity access, for explanations. */
function grantStatements(userName: string, role = 'db_datareader'): string {
	return `CREATE USER [${userName}] FROM EXTERNAL PROVIDER;\n  ALTER ROLE ${role} ADD MEMBER [${userName}];`;
}

/** Azure RBAC roles the principal holds on the database or above, named to show they do not count here. */
function rbacNote(world: World, principalId: string, database: SqlDatabase): string {
	const held = effectiveAssignmentsFor(world, principalId).filter((p) =>
		isWithinScope(database.id, p.assignment.scope, world)
	);
	if (held.length === 0)
		return 'Azure RBAC roles would not help either: they govern managing the server through ARM, not signing in to a database.';
	const list = held
		.map((p) => `${p.role?.roleName ?? 'a role'} on ${describeScope(p.assignment.scope, world)}`)
		.join(', ');
	return `This identity holds ${list} in Azure RBAC, but Azure RBAC roles govern managing the server through ARM, not signing in to a database or reading its data.`;
}

async function connect(
	world: World,
	input: SqlConnectionInput
): Promise<
	| { ok: true; session: Session }
	| { ok: false; failure: Failure; answered: boolean; principalId: string | null; target: string }
> {
	const server = findServer(world, input.server);
	if (server === undefined) {
		return {
			ok: false,
			answered: false,
			principalId: null,
			target: input.server,
			failure: {
				errorNumber: 11001,
				level: 16,
				state: 1,
				message: 'TCP Provider: No such host is known.',
				explanation: `No SQL server named '${input.server}' exists in this world. Use the server's full name, e.g. sql-stock.database.windows.net (az sql server list shows them).`,
				status: 0
			}
		};
	}
	const token = await validateAccessToken(world, input.accessToken.trim(), SQL_AUDIENCES);
	if (!token.ok) {
		return {
			ok: false,
			answered: true,
			principalId: null,
			target: server.id,
			failure: {
				errorNumber: 18456,
				level: 14,
				state: 1,
				message: LOGIN_FAILED,
				explanation: `Azure SQL reports every refused token as error 18456 without saying why. ${explainTokenFailure(token.error, 'sql')}`,
				status: 401
			}
		};
	}
	const caller = token.value;
	const database = findDatabase(world, server, input.database || 'master');
	if (database === undefined) {
		return {
			ok: false,
			answered: true,
			principalId: caller.principalId,
			target: server.id,
			failure: {
				errorNumber: 4060,
				level: 11,
				state: 1,
				message: `Cannot open database "${input.database || 'master'}" requested by the login. The login failed.`,
				explanation: `Server '${server.name}' has no database named '${input.database || 'master'}'. Pass the database with -d (e.g. -d stockdb); az sql db list --server ${server.name} --resource-group ${server.resourceGroup} lists them.`,
				status: 404
			}
		};
	}
	if (server.adAdmin !== null && server.adAdmin.sid.toLowerCase() === caller.principalId) {
		const user: SqlDatabaseUser = {
			name: 'dbo',
			principalId: caller.principalId,
			roles: ['db_owner']
		};
		return { ok: true, session: { server, database, user, isAdmin: true, token: caller } };
	}
	const user = Object.values(database.users).find(
		(u) => u.principalId.toLowerCase() === caller.principalId
	);
	if (user === undefined) {
		const name = principalDisplayName(world, caller.principalId);
		const shown = name === 'Identity not found' ? '<identity name>' : name;
		const admin =
			server.adAdmin === null
				? `Server '${server.name}' has no Microsoft Entra admin yet, so nobody can create such users: first run az sql server ad-admin create --server ${server.name} --resource-group ${server.resourceGroup} --display-name <admin> --object-id <object id>.`
				: `Connect as the server's Microsoft Entra admin (${server.adAdmin.login}) and run:\n  ${grantStatements(shown)}`;
		return {
			ok: false,
			answered: true,
			principalId: caller.principalId,
			target: database.id,
			failure: {
				errorNumber: 18456,
				level: 14,
				state: 1,
				message: LOGIN_FAILED,
				explanation: `The token is valid (object id ${caller.principalId}${name === 'Identity not found' ? ', an identity that has since been deleted' : `, '${name}'`}), but database '${database.name}' has no user mapped to it, so the login fails. Azure SQL authorizes with its own database users and roles. ${rbacNote(world, caller.principalId, database)} ${admin}`,
				status: 401
			}
		};
	}
	return { ok: true, session: { server, database, user, isAdmin: false, token: caller } };
}

function record(
	input: SqlConnectionInput,
	operation: string,
	target: string,
	status: number,
	principalId: string | null,
	errorCode: string | null
): Operation {
	return {
		type: 'recordServiceCall',
		service: 'sql',
		operation,
		target,
		status,
		principalId,
		authMethod: 'bearer',
		source: sourceLabel(input.source),
		errorCode
	};
}

function failed(
	input: SqlConnectionInput,
	operation: string,
	target: string,
	principalId: string | null,
	f: Failure,
	answered = true
): SqlFailure {
	return {
		ok: false,
		errorNumber: f.errorNumber,
		level: f.level,
		state: f.state,
		message: f.message,
		explanation: f.explanation,
		operations: answered
			? [record(input, operation, target, f.status, principalId, String(f.errorNumber))]
			: []
	};
}

/**
 * Signs in to a database with an Entra access token, as `sqlcmd -G` or a driver with an access token does: the
 * token must be for `https://database.windows.net/`, and the database must contain a user mapped to its `oid`
 * (created with `CREATE USER … FROM EXTERNAL PROVIDER`), unless the caller is the server's Entra admin.
 */
export async function sqlLogin(world: World, input: SqlConnectionInput): Promise<SqlLoginResult> {
	const connected = await connect(world, input);
	if (!connected.ok)
		return failed(
			input,
			'login',
			connected.target,
			connected.principalId,
			connected.failure,
			connected.answered
		);
	const { session } = connected;
	return {
		ok: true,
		user: session.user,
		isAdmin: session.isAdmin,
		databaseId: session.database.id,
		operations: [record(input, 'login', session.database.id, 200, session.token.principalId, null)]
	};
}

function syntaxError(near: string): Failure {
	return {
		errorNumber: 102,
		level: 15,
		state: 1,
		message: `Incorrect syntax near '${near}'.`,
		explanation:
			"This lab's database understands SELECT <columns|*> FROM <table>, CREATE USER [name] FROM EXTERNAL PROVIDER and ALTER ROLE <role> ADD MEMBER [name].",
		status: 400
	};
}

/**
 * Runs one statement in a session opened with the token: `SELECT … FROM table` (needs db_datareader or
 * db_owner), `CREATE USER [name] FROM EXTERNAL PROVIDER` and `ALTER ROLE role ADD MEMBER [name]` (need the
 * server's Entra admin or db_owner). Changes come back as operations for the caller to apply.
 */
export async function runSqlStatement(
	world: World,
	input: SqlConnectionInput & { statement: string }
): Promise<SqlStatementResult> {
	// The login comes first, as on a real connection: a caller who cannot sign in never has a statement read.
	const connected = await connect(world, input);
	if (!connected.ok)
		return failed(
			input,
			'login',
			connected.target,
			connected.principalId,
			connected.failure,
			connected.answered
		);
	const statement = parseSqlStatement(input.statement);
	const operation = statement.kind === 'unknown' ? 'statement' : statement.kind;
	const { session } = connected;
	const target = session.database.id;
	const principalId = session.token.principalId;
	const fail = (f: Failure) => failed(input, operation, target, principalId, f);
	const done = (
		result: Omit<SqlStatementSuccess, 'ok' | 'operations'>,
		change: Operation[] = []
	): SqlStatementSuccess => ({
		ok: true,
		...result,
		operations: [...change, record(input, operation, target, 200, principalId, null)]
	});

	switch (statement.kind) {
		case 'select':
			return runSelect(session, statement, fail, done);
		case 'createUser':
			return runCreateUser(world, session, unbracket(statement.name), fail, done);
		case 'alterRole':
			return runAlterRole(
				session,
				unbracket(statement.role),
				unbracket(statement.member),
				fail,
				done
			);
		case 'unknown':
			return fail(syntaxError(statement.near));
	}
}

type Fail = (f: Failure) => SqlFailure;
type Done = (
	result: Omit<SqlStatementSuccess, 'ok' | 'operations'>,
	change?: Operation[]
) => SqlStatementSuccess;

function runSelect(
	session: Session,
	select: Extract<SqlStatement, { kind: 'select' }>,
	fail: Fail,
	done: Done
): SqlStatementResult {
	const { database, user, isAdmin } = session;
	const { top } = select;
	const parts = select.table.split('.').map(unbracket);
	const tableName = parts[parts.length - 1] ?? '';
	const schema = parts.length > 1 ? (parts[0] ?? '') : 'dbo';
	const entry = Object.entries(database.tables).find(
		([n]) => n.toLowerCase() === tableName.toLowerCase()
	);
	if (entry === undefined || schema.toLowerCase() !== 'dbo') {
		return fail({
			errorNumber: 208,
			level: 16,
			state: 1,
			message: `Invalid object name '${select.table}'.`,
			explanation: `Database '${database.name}' has no table '${select.table}'. Its tables: ${Object.keys(database.tables).join(', ') || '(none)'}.`,
			status: 404
		});
	}
	const [name, table] = entry;
	if (!isAdmin && !user.roles.some((r) => r === 'db_datareader' || r === 'db_owner')) {
		return fail({
			errorNumber: 229,
			level: 14,
			state: 5,
			message: `The SELECT permission was denied on the object '${name}', database '${database.name}', schema 'dbo'.`,
			explanation: `User '${user.name}' can sign in to '${database.name}' but has no role that allows reading (${user.roles.length === 0 ? 'no roles at all' : `roles: ${user.roles.join(', ')}`}). The server's Entra admin or a db_owner can run: ALTER ROLE db_datareader ADD MEMBER [${user.name}];`,
			status: 403
		});
	}
	const wanted =
		select.columns.trim() === '*' ? table.columns : select.columns.split(',').map(unbracket);
	const indexes: number[] = [];
	for (const column of wanted) {
		const index = table.columns.findIndex((c) => c.toLowerCase() === column.toLowerCase());
		if (index < 0) {
			return fail({
				errorNumber: 207,
				level: 16,
				state: 1,
				message: `Invalid column name '${column}'.`,
				explanation: `Table '${name}' has the columns ${table.columns.join(', ')}.`,
				status: 400
			});
		}
		indexes.push(index);
	}
	const rows = (top === null ? table.rows : table.rows.slice(0, top)).map((row) =>
		indexes.map((i) => row[i] ?? 'NULL')
	);
	return done({
		columns: indexes.map((i) => table.columns[i] ?? ''),
		rows,
		message: `(${rows.length} row${rows.length === 1 ? '' : 's'} affected)`
	});
}

function runCreateUser(
	world: World,
	session: Session,
	userName: string,
	fail: Fail,
	done: Done
): SqlStatementResult {
	const { database, user, isAdmin } = session;
	if (!isAdmin && !user.roles.includes('db_owner')) {
		return fail({
			errorNumber: 15247,
			level: 16,
			state: 1,
			message: 'User does not have permission to perform this action.',
			explanation: `Only the server's Microsoft Entra admin or a db_owner can create users; '${user.name}' is neither.`,
			status: 403
		});
	}
	if (Object.keys(database.users).some((u) => u.toLowerCase() === userName.toLowerCase())) {
		return fail({
			errorNumber: 15023,
			level: 16,
			state: 1,
			message: `User, group, or role '${userName}' already exists in the current database.`,
			explanation: `Database '${database.name}' already has a user named '${userName}'. Give it a role with ALTER ROLE db_datareader ADD MEMBER [${userName}];`,
			status: 409
		});
	}
	const lower = userName.toLowerCase();
	const matches = [
		...Object.values(world.directory.servicePrincipals).filter(
			(sp) => sp.displayName.toLowerCase() === lower
		),
		...Object.values(world.directory.users).filter(
			(u) => u.userPrincipalName.toLowerCase() === lower || u.displayName.toLowerCase() === lower
		)
	];
	if (matches.length === 0) {
		return fail({
			errorNumber: 33130,
			level: 16,
			state: 1,
			message: `Principal '${userName}' could not be found or this principal type is not supported.`,
			explanation: `Microsoft Entra ID has no principal named '${userName}'. For a system-assigned identity use the name of its resource (e.g. vm-stock-app); for a user-assigned one, the identity's name.`,
			status: 404
		});
	}
	if (matches.length > 1) {
		return fail({
			errorNumber: 33131,
			level: 16,
			state: 1,
			message: `Principal '${userName}' has a duplicate display name. Make the display name unique in Azure Active Directory and execute the statement again.`,
			explanation: `${matches.length} principals in the directory are named '${userName}', so SQL cannot tell which one you mean.`,
			status: 409
		});
	}
	return done({ columns: [], rows: [], message: 'Commands completed successfully.' }, [
		{ type: 'createSqlUser', databaseId: database.id, userName }
	]);
}

function runAlterRole(
	session: Session,
	role: string,
	member: string,
	fail: Fail,
	done: Done
): SqlStatementResult {
	const { database, user, isAdmin } = session;
	const roleName = role.toLowerCase();
	const mayAlter =
		isAdmin ||
		user.roles.includes('db_owner') ||
		(user.roles.includes('db_securityadmin') && roleName !== 'db_owner');
	if (!SQL_DATABASE_ROLES.includes(roleName) || !mayAlter) {
		return fail({
			errorNumber: 15151,
			level: 16,
			state: 1,
			message: `Cannot alter the role '${role}', because it does not exist or you do not have permission.`,
			explanation: !SQL_DATABASE_ROLES.includes(roleName)
				? `'${role}' is not a database role here. Use one of ${SQL_DATABASE_ROLES.join(', ')}.`
				: `Only the server's Microsoft Entra admin or a db_owner can add role members; '${user.name}' is neither.`,
			status: 403
		});
	}
	const existing = Object.values(database.users).find(
		(u) => u.name.toLowerCase() === member.toLowerCase()
	);
	if (existing === undefined) {
		return fail({
			errorNumber: 15151,
			level: 16,
			state: 1,
			message: `Cannot add the principal '${member}', because it does not exist or you do not have permission.`,
			explanation: `Database '${database.name}' has no user '${member}'. Create it first: CREATE USER [${member}] FROM EXTERNAL PROVIDER;`,
			status: 404
		});
	}
	return done({ columns: [], rows: [], message: 'Commands completed successfully.' }, [
		{ type: 'addSqlRoleMember', databaseId: database.id, role: roleName, userName: existing.name }
	]);
}
