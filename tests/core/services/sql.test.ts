import { describe, expect, it } from 'vitest';
import { DEFAULT_IDS } from '../../../src/core/azure/default-world.ts';
import { getResource } from '../../../src/core/azure/queries.ts';
import type { World } from '../../../src/core/azure/model.ts';
import { runSqlStatement, sqlLogin } from '../../../src/core/services/sql.ts';
import type { SqlFailure, SqlStatementResult } from '../../../src/core/services/sql.ts';
import { apply, at, lab, mint, SQL_DB, SQL_SERVER, VM, withRole } from './service-fixture.ts';
import type { Lab } from './service-fixture.ts';

const AUD = 'https://database.windows.net/';
const SERVER = 'sql-stock.database.windows.net';
const SARAH = DEFAULT_IDS.sarahId;

/** The lab with Sarah as the server's Entra admin. */
async function adminLab(): Promise<Lab> {
	return lab([{ type: 'setSqlAdAdmin', serverId: SQL_SERVER, principalId: SARAH }]);
}

function sarahToken(l: Lab): Promise<string> {
	return mint(l, AUD, {
		oid: SARAH,
		sub: SARAH,
		appid: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
		idtyp: 'user',
		xms_mirid: undefined
	});
}

async function run(
	l: Lab,
	token: string,
	statement: string,
	world = l.world
): Promise<SqlStatementResult> {
	return runSqlStatement(world, {
		server: SERVER,
		database: 'stockdb',
		accessToken: token,
		statement,
		source: { kind: 'resource', resourceId: VM }
	});
}

function failure(r: SqlStatementResult | Awaited<ReturnType<typeof sqlLogin>>): SqlFailure {
	if (r.ok) throw new Error('expected a failure');
	return r;
}

/** Signs in to `database` on sql-stock with `accessToken`; the login must fail. */
async function loginFailure(
	world: World,
	accessToken: string,
	database = 'stockdb'
): Promise<SqlFailure> {
	return failure(await sqlLogin(world, { server: SERVER, database, accessToken }));
}

/** Sarah (admin) creates the VM's user and, optionally, gives it a role. */
async function withVmUser(l: Lab, role?: string): Promise<Lab> {
	const admin = await sarahToken(l);
	let world = l.world;
	const created = await run(l, admin, 'CREATE USER [vm-stock-app] FROM EXTERNAL PROVIDER;', world);
	if (!created.ok) throw new Error(created.message);
	world = apply(world, created.operations);
	if (role !== undefined) {
		const altered = await run(l, admin, `ALTER ROLE ${role} ADD MEMBER [vm-stock-app]`, world);
		if (!altered.ok) throw new Error(altered.message);
		world = apply(world, altered.operations);
	}
	return { ...l, world };
}

describe('sqlLogin', () => {
	it('answers an unknown server as the TCP provider does, without recording a call', async () => {
		const l = await lab();
		const r = failure(
			await sqlLogin(l.world, {
				server: 'sql-nope.database.windows.net',
				database: 'stockdb',
				accessToken: await mint(l, AUD)
			})
		);
		expect(r).toMatchObject({
			errorNumber: 11001,
			message: 'TCP Provider: No such host is known.',
			operations: []
		});
		expect(r.explanation).toContain('sql-stock.database.windows.net');
	});

	it('reports a refused token as 18456 and explains the real reason', async () => {
		const l = await lab();
		const r = await loginFailure(l.world, await mint(l, 'https://management.azure.com/'));
		expect(r).toMatchObject({
			errorNumber: 18456,
			level: 14,
			message: "Login failed for user '<token-identified principal>'."
		});
		expect(r.explanation).toContain('https://database.windows.net/');
		expect(r.operations).toEqual([
			{
				type: 'recordServiceCall',
				service: 'sql',
				operation: 'login',
				target: SQL_SERVER,
				status: 401,
				principalId: null,
				authMethod: 'bearer',
				source: 'unknown',
				errorCode: '18456'
			}
		]);
		const expired = await loginFailure(
			l.world,
			await mint(l, AUD, {
				iat: at(l.world, -90_000),
				nbf: at(l.world, -90_000),
				exp: at(l.world, -5)
			})
		);
		expect(expired.errorNumber).toBe(18456);
		expect(expired.explanation).toContain('expired');
		const endless = await loginFailure(l.world, await mint(l, AUD, { exp: undefined }));
		expect(endless.errorNumber).toBe(18456);
		expect(endless.explanation).toContain('no expiration time');
	});

	it('refuses a valid token without a database user: 18456, and Azure RBAC does not help', async () => {
		const l = await adminLab();
		const { world } = withRole(l, 'Contributor', SQL_SERVER);
		const r = await loginFailure(world, await mint(l, AUD, {}, undefined, world));
		expect(r.errorNumber).toBe(18456);
		expect(r.explanation).toContain("database 'stockdb' has no user mapped to it");
		expect(r.explanation).toContain('Contributor on SQL server sql-stock');
		expect(r.explanation).toContain('Azure RBAC roles govern managing the server');
		expect(r.explanation).toContain('CREATE USER [vm-stock-app] FROM EXTERNAL PROVIDER;');
		expect(r.explanation).toContain('ALTER ROLE db_datareader ADD MEMBER [vm-stock-app];');
		expect(r.operations[0]).toMatchObject({
			target: SQL_DB,
			status: 401,
			principalId: l.principalId
		});
	});

	it('says to set an Entra admin first when the server has none', async () => {
		const l = await lab();
		const r = await loginFailure(l.world, await mint(l, AUD));
		expect(r.explanation).toContain('az sql server ad-admin create');
	});

	it('answers an unknown database with 4060', async () => {
		const l = await adminLab();
		const r = await loginFailure(l.world, await sarahToken(l), 'salesdb');
		expect(r).toMatchObject({
			errorNumber: 4060,
			message: 'Cannot open database "salesdb" requested by the login. The login failed.'
		});
	});

	it('signs in the server’s Entra admin as dbo, and a contained user as itself', async () => {
		const l = await adminLab();
		const admin = await sqlLogin(l.world, {
			server: 'tcp:sql-stock.database.windows.net,1433',
			database: 'stockdb',
			accessToken: await sarahToken(l)
		});
		expect(admin).toMatchObject({
			ok: true,
			isAdmin: true,
			user: { name: 'dbo', roles: ['db_owner'] },
			databaseId: SQL_DB
		});
		const withUser = await withVmUser(l);
		const vm = await sqlLogin(withUser.world, {
			server: 'sql-stock',
			database: 'StockDb',
			accessToken: await mint(l, AUD, {}, undefined, withUser.world)
		});
		expect(vm).toMatchObject({
			ok: true,
			isAdmin: false,
			user: { name: 'vm-stock-app', principalId: l.principalId, roles: [] }
		});
		if (vm.ok)
			expect(vm.operations[0]).toMatchObject({ operation: 'login', status: 200, errorCode: null });
	});
});

describe('runSqlStatement', () => {
	it('lets the admin create a user and add it to a role, as operations', async () => {
		const l = await adminLab();
		const admin = await sarahToken(l);
		const created = await run(l, admin, 'create user [vm-stock-app] from external provider');
		expect(created).toMatchObject({ ok: true, message: 'Commands completed successfully.' });
		expect(created.operations.map((o) => o.type)).toEqual(['createSqlUser', 'recordServiceCall']);
		const world = apply(l.world, created.operations);
		const altered = await run(
			l,
			admin,
			'ALTER ROLE db_datareader ADD MEMBER [vm-stock-app];',
			world
		);
		expect(altered.operations[0]).toEqual({
			type: 'addSqlRoleMember',
			databaseId: SQL_DB,
			role: 'db_datareader',
			userName: 'vm-stock-app'
		});
		const after = apply(world, altered.operations);
		const db = getResource(after, SQL_DB);
		expect(db?.kind === 'sqlDatabase' ? db.users['vm-stock-app'] : undefined).toEqual({
			name: 'vm-stock-app',
			principalId: l.principalId,
			roles: ['db_datareader']
		});
	});

	it('refuses SELECT to a user without a reading role (Msg 229), then serves it with db_datareader', async () => {
		const l = await adminLab();
		const noRole = await withVmUser(l);
		const denied = failure(
			await run(
				noRole,
				await mint(l, AUD, {}, undefined, noRole.world),
				'SELECT * FROM Quotes',
				noRole.world
			)
		);
		expect(denied).toMatchObject({
			errorNumber: 229,
			level: 14,
			state: 5,
			message:
				"The SELECT permission was denied on the object 'Quotes', database 'stockdb', schema 'dbo'."
		});
		expect(denied.explanation).toContain('ALTER ROLE db_datareader ADD MEMBER [vm-stock-app];');
		expect(denied.operations[0]).toMatchObject({
			operation: 'select',
			status: 403,
			errorCode: '229'
		});
		const reader = await withVmUser(l, 'db_datareader');
		const rows = await run(
			reader,
			await mint(l, AUD, {}, undefined, reader.world),
			'SELECT * FROM dbo.Quotes;',
			reader.world
		);
		expect(rows).toMatchObject({
			ok: true,
			columns: ['Symbol', 'Price'],
			rows: [
				['CTSO', '182.40'],
				['FABK', '96.15']
			],
			message: '(2 rows affected)'
		});
	});

	it('selects named columns and TOP n, and names unknown tables and columns', async () => {
		const l = await adminLab();
		const admin = await sarahToken(l);
		expect(await run(l, admin, 'SELECT TOP 1 [Price] FROM [dbo].[Quotes]')).toMatchObject({
			ok: true,
			columns: ['Price'],
			rows: [['182.40']],
			message: '(1 row affected)'
		});
		expect(failure(await run(l, admin, 'SELECT * FROM Orders'))).toMatchObject({
			errorNumber: 208,
			message: "Invalid object name 'Orders'."
		});
		expect(failure(await run(l, admin, 'SELECT Volume FROM Quotes'))).toMatchObject({
			errorNumber: 207,
			message: "Invalid column name 'Volume'."
		});
	});

	it('refuses CREATE USER and ALTER ROLE to a user who is neither admin nor db_owner', async () => {
		const l = await adminLab();
		const reader = await withVmUser(l, 'db_datareader');
		const token = await mint(l, AUD, {}, undefined, reader.world);
		expect(
			failure(
				await run(reader, token, 'CREATE USER [app-stock-web] FROM EXTERNAL PROVIDER', reader.world)
			)
		).toMatchObject({
			errorNumber: 15247,
			message: 'User does not have permission to perform this action.'
		});
		expect(
			failure(
				await run(reader, token, 'ALTER ROLE db_owner ADD MEMBER [vm-stock-app]', reader.world)
			)
		).toMatchObject({
			errorNumber: 15151,
			message:
				"Cannot alter the role 'db_owner', because it does not exist or you do not have permission."
		});
	});

	it('answers SQL Server’s errors for unknown principals, duplicates, roles and members', async () => {
		const l = await adminLab();
		const admin = await sarahToken(l);
		expect(
			failure(await run(l, admin, 'CREATE USER [nobody] FROM EXTERNAL PROVIDER'))
		).toMatchObject({
			errorNumber: 33130,
			message: "Principal 'nobody' could not be found or this principal type is not supported."
		});
		const withUser = await withVmUser(l);
		expect(
			failure(
				await run(
					withUser,
					admin,
					'CREATE USER [vm-stock-app] FROM EXTERNAL PROVIDER',
					withUser.world
				)
			)
		).toMatchObject({
			errorNumber: 15023,
			message: "User, group, or role 'vm-stock-app' already exists in the current database."
		});
		expect(
			failure(await run(l, admin, 'ALTER ROLE db_superuser ADD MEMBER [vm-stock-app]'))
		).toMatchObject({ errorNumber: 15151 });
		expect(
			failure(await run(l, admin, 'ALTER ROLE db_datareader ADD MEMBER [ghost]'))
		).toMatchObject({
			errorNumber: 15151,
			message:
				"Cannot add the principal 'ghost', because it does not exist or you do not have permission."
		});
	});

	it('answers other statements with a syntax error that lists what the lab understands', async () => {
		const l = await adminLab();
		const r = failure(await run(l, await sarahToken(l), 'DROP TABLE Quotes'));
		expect(r).toMatchObject({ errorNumber: 102, message: "Incorrect syntax near 'DROP'." });
		expect(r.explanation).toContain('CREATE USER');
		expect(r.operations[0]).toMatchObject({ operation: 'statement', status: 400, source: VM });
	});

	it('checks the login before reading the statement, and fails it when the login fails', async () => {
		const l = await adminLab();
		const r = failure(await run(l, await mint(l, AUD), 'SELECT * FROM Quotes'));
		expect(r.errorNumber).toBe(18456);
		expect(r.operations[0]).toMatchObject({ operation: 'login', status: 401 });
		// The login comes first: a statement the lab cannot read is never looked at.
		const garbled = failure(await run(l, await mint(l, AUD), `DROP ${'x '.repeat(3000)}`));
		expect(garbled.errorNumber).toBe(18456);
		expect(garbled.operations[0]).toMatchObject({ operation: 'login', status: 401 });
	});
});
