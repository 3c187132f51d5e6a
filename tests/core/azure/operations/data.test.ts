import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../../src/core/azure/operations/index.ts';
import type {
	KeyVault,
	SqlDatabase,
	SqlServer,
	StorageAccount,
	World
} from '../../../../src/core/azure/model.ts';
import {
	BLOB,
	SARAH,
	SARAH_UPN,
	SQL_DB,
	SQL_SERVER,
	STORAGE,
	VAULT,
	VM_APP,
	VM_WEB_1,
	defaultWorld,
	enableSystem,
	refuse,
	resource,
	run,
	runAll,
	systemPrincipalId,
	uami,
	withIdentity
} from '../helpers.ts';

const vault = (world: World) => resource(world, VAULT) as KeyVault;
const storage = (world: World) => resource(world, STORAGE) as StorageAccount;
const server = (world: World) => resource(world, SQL_SERVER) as SqlServer;
const database = (world: World) => resource(world, SQL_DB) as SqlDatabase;

describe('setSecret', () => {
	it('adds a secret with a 32-hex version and logs the write', () => {
		const { world, events } = run(defaultWorld(), {
			type: 'setSecret',
			vaultId: VAULT,
			name: 'api-key',
			value: 's3cret',
			contentType: 'text/plain'
		});
		const versions = vault(world).secrets['api-key']?.versions;
		expect(versions).toEqual([
			{
				version: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
				value: 's3cret',
				created: world.now,
				contentType: 'text/plain'
			}
		]);
		expect(events).toEqual([
			expect.objectContaining({
				operationName: 'Microsoft.KeyVault/vaults/secrets/write',
				resourceId: `${VAULT}/secrets/api-key`,
				caller: SARAH_UPN,
				summary: expect.stringMatching(/^Added secret 'api-key'/) as string
			})
		]);
	});

	it('rotates an existing secret (any case) by adding a newest version', () => {
		const { world, events } = run(defaultWorld(), {
			type: 'setSecret',
			vaultId: VAULT,
			name: 'DB-PASSWORD',
			value: 'n3w'
		});
		const versions = vault(world).secrets['db-password']?.versions ?? [];
		expect(versions.map((v) => v.value)).toEqual(['Stock-Db-Pa55!2026', 'n3w']);
		expect(versions[0]?.version).not.toBe(versions[1]?.version);
		expect(Object.keys(vault(world).secrets)).toEqual(['db-password']);
		expect(events[0]).toMatchObject({
			summary: expect.stringMatching(/^Rotated secret 'db-password'/) as string
		});
	});

	it('stores a secret named like an object property (regression: constructor)', () => {
		const { world } = run(defaultWorld(), {
			type: 'setSecret',
			vaultId: VAULT,
			name: 'constructor',
			value: 'v'
		});
		expect(vault(world).secrets['constructor']?.versions.map((v) => v.value)).toEqual(['v']);
	});

	it('refuses what is not a vault, a bad name, a value or content type that is not text', () => {
		expect(
			refuse(defaultWorld(), { type: 'setSecret', vaultId: STORAGE, name: 'a', value: 'v' }).code
		).toBe('ResourceNotFound');
		expect(
			refuse(defaultWorld(), { type: 'setSecret', vaultId: 'constructor', name: 'a', value: 'v' })
				.code
		).toBe('ResourceNotFound');
		for (const name of ['', 'db_password', 'a b', 'x'.repeat(128), '__proto__', 7]) {
			expect(
				refuse(defaultWorld(), { type: 'setSecret', vaultId: VAULT, name, value: 'v' }).code
			).toBe('InvalidName');
		}
		expect(
			refuse(defaultWorld(), { type: 'setSecret', vaultId: VAULT, name: 'a', value: 7 }).code
		).toBe('InvalidInput');
		expect(
			refuse(defaultWorld(), {
				type: 'setSecret',
				vaultId: VAULT,
				name: 'a',
				value: 'v',
				contentType: 7
			}).code
		).toBe('InvalidInput');
	});
});

describe('createContainer', () => {
	it('creates an empty container and logs the write', () => {
		const { world, events } = run(defaultWorld(), {
			type: 'createContainer',
			accountId: STORAGE,
			name: 'reports'
		});
		expect(storage(world).containers['reports']).toEqual({ createdAt: world.now, blobs: {} });
		expect(events[0]).toMatchObject({
			operationName: 'Microsoft.Storage/storageAccounts/blobServices/containers/write',
			resourceId: `${STORAGE}/blobServices/default/containers/reports`
		});
	});

	it('creates a container named like an object property (regression: constructor)', () => {
		const { world } = run(defaultWorld(), {
			type: 'createContainer',
			accountId: STORAGE,
			name: 'constructor'
		});
		expect(Object.keys(storage(world).containers)).toEqual(['quotes', 'constructor']);
	});

	it('refuses a container that exists, a bad name, and what is not a storage account', () => {
		expect(
			refuse(defaultWorld(), { type: 'createContainer', accountId: STORAGE, name: 'quotes' }).code
		).toBe('ContainerExists');
		for (const name of ['Quotes', 'ab', 'a--b', '-ab', 'ab-', 'x'.repeat(64), 3]) {
			expect(
				refuse(defaultWorld(), { type: 'createContainer', accountId: STORAGE, name }).code
			).toBe('InvalidName');
		}
		expect(
			refuse(defaultWorld(), { type: 'createContainer', accountId: VAULT, name: 'reports' }).code
		).toBe('ResourceNotFound');
	});
});

describe('putBlob', () => {
	it('writes and overwrites a blob with a new etag', () => {
		const w0 = defaultWorld();
		const oldEtag = storage(w0).containers['quotes']?.blobs['today.csv']?.etag;
		const { world, events } = run(w0, {
			type: 'putBlob',
			accountId: STORAGE,
			container: 'quotes',
			name: 'today.csv',
			content: 'symbol\n'
		});
		const blob = storage(world).containers['quotes']?.blobs['today.csv'];
		expect(blob).toMatchObject({
			content: 'symbol\n',
			contentType: 'text/csv',
			lastModified: world.now
		});
		// Blob ETags are `0x` and hex digits (Azure Storage, e.g. "0x8D9F3E5B2F7A1C4").
		expect(blob?.etag).toMatch(/^"0x8D[0-9A-F]{13}"$/);
		expect(blob?.etag).not.toBe(oldEtag);
		expect(events[0]).toMatchObject({
			operationName: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
			resourceId: BLOB
		});
	});

	it('keeps a content type that is given, and guesses one otherwise', () => {
		const world = runAll(defaultWorld(), [
			{
				type: 'putBlob',
				accountId: STORAGE,
				container: 'quotes',
				name: 'a.json',
				content: '{}',
				contentType: 'application/json'
			},
			{ type: 'putBlob', accountId: STORAGE, container: 'quotes', name: 'b.bin', content: 'xx' },
			{
				type: 'putBlob',
				accountId: STORAGE,
				container: 'quotes',
				name: 'constructor',
				content: 'c'
			}
		]);
		const blobs = storage(world).containers['quotes']?.blobs ?? {};
		expect(blobs['a.json']?.contentType).toBe('application/json');
		expect(blobs['b.bin']?.contentType).toBe('application/octet-stream');
		expect(blobs['constructor']?.content).toBe('c');
	});

	it('refuses a missing container, a bad name, content that is not text', () => {
		const base = {
			type: 'putBlob',
			accountId: STORAGE,
			container: 'quotes',
			name: 'a.csv',
			content: 'x'
		};
		expect(refuse(defaultWorld(), { ...base, container: 'nope' }).code).toBe('ContainerNotFound');
		expect(refuse(defaultWorld(), { ...base, container: 'constructor' }).code).toBe(
			'ContainerNotFound'
		);
		expect(refuse(defaultWorld(), { ...base, container: '__proto__' }).code).toBe(
			'ContainerNotFound'
		);
		for (const name of ['', 'x'.repeat(1025), '__proto__', 5]) {
			expect(refuse(defaultWorld(), { ...base, name }).code).toBe('InvalidName');
		}
		expect(refuse(defaultWorld(), { ...base, content: 5 }).code).toBe('InvalidInput');
		expect(refuse(defaultWorld(), { ...base, contentType: ['text/csv'] }).code).toBe(
			'InvalidInput'
		);
		expect(refuse(defaultWorld(), { ...base, accountId: SQL_SERVER }).code).toBe(
			'ResourceNotFound'
		);
	});
});

describe('setSqlAdAdmin', () => {
	it('makes a user the Entra admin by user principal name', () => {
		const { world, events } = run(defaultWorld(), {
			type: 'setSqlAdAdmin',
			serverId: SQL_SERVER,
			principalId: SARAH.toUpperCase()
		});
		expect(server(world).adAdmin).toEqual({ login: SARAH_UPN, sid: SARAH });
		expect(events[0]).toMatchObject({
			operationName: 'Microsoft.Sql/servers/administrators/write',
			resourceId: `${SQL_SERVER}/administrators/ActiveDirectory`
		});
	});

	it('makes a managed identity the admin by its display name', () => {
		const w1 = enableSystem(defaultWorld(), VM_APP);
		const principalId = systemPrincipalId(w1, VM_APP);
		const { world } = run(w1, { type: 'setSqlAdAdmin', serverId: SQL_SERVER, principalId });
		expect(server(world).adAdmin).toEqual({ login: 'vm-stock-app', sid: principalId });
	});

	it.each(['0badc0de-0000-4000-8000-000000000000', 'constructor', '__proto__', 'toString', ''])(
		'refuses the principal %j',
		(principalId) => {
			expect(
				refuse(defaultWorld(), { type: 'setSqlAdAdmin', serverId: SQL_SERVER, principalId }).code
			).toBe('PrincipalNotFound');
		}
	);

	it('refuses what is not a SQL server', () => {
		expect(
			refuse(defaultWorld(), { type: 'setSqlAdAdmin', serverId: SQL_DB, principalId: SARAH }).code
		).toBe('ResourceNotFound');
	});
});

describe('createSqlUser and addSqlRoleMember', () => {
	function withAdmin(): World {
		return runAll(defaultWorld(), [
			{ type: 'setSqlAdAdmin', serverId: SQL_SERVER, principalId: SARAH },
			{ type: 'enableSystemIdentity', resourceId: VM_APP }
		]);
	}

	/** The operation that maps `userName` to a contained user of `databaseId` (stockdb). */
	function createUser(userName: string, databaseId = SQL_DB): Operation {
		return { type: 'createSqlUser', databaseId, userName };
	}

	/** The operation that adds the contained user `userName` to a database role of `databaseId` (stockdb). */
	function addMember(role: string, userName: string, databaseId = SQL_DB): Operation {
		return { type: 'addSqlRoleMember', databaseId, role, userName };
	}

	it('creates a contained user mapped to the identity whose display name it gives', () => {
		const w1 = withAdmin();
		const { world, events } = run(w1, {
			type: 'createSqlUser',
			databaseId: SQL_DB,
			userName: 'VM-Stock-App'
		});
		expect(database(world).users['VM-Stock-App']).toEqual({
			name: 'VM-Stock-App',
			principalId: systemPrincipalId(w1, VM_APP),
			roles: []
		});
		expect(events[0]).toMatchObject({
			operationName: 'Microsoft.Sql/servers/databases/users/write',
			summary: expect.stringContaining('FROM EXTERNAL PROVIDER') as string
		});
	});

	it('maps a user by user principal name and by display name', () => {
		const world = run(withAdmin(), createUser(SARAH_UPN)).world;
		expect(database(world).users[SARAH_UPN]?.principalId).toBe(SARAH);
	});

	it('needs an Entra admin on the server (SqlAdminRequired)', () => {
		const world = enableSystem(defaultWorld(), VM_APP);
		const error = refuse(world, createUser('vm-stock-app'));
		expect(error.code).toBe('SqlAdminRequired');
		expect(error.message).toContain('az sql server ad-admin create');
	});

	it('refuses a user that exists (any case), a name no principal has, and a name two principals share', () => {
		const w1 = run(withAdmin(), createUser('vm-stock-app')).world;
		expect(refuse(w1, createUser('VM-STOCK-APP')).code).toBe('SqlUserExists');
		expect(refuse(w1, createUser('vm-stock-web-1')).code).toBe('SqlPrincipalNotFound');
		expect(refuse(w1, createUser('__proto__')).code).toBe('SqlPrincipalNotFound');
		const twins = runAll(withAdmin(), [
			{ type: 'enableSystemIdentity', resourceId: VM_WEB_1 },
			{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'vm-stock-web-1' }
		]);
		const error = refuse(twins, createUser('vm-stock-web-1'));
		expect(error.code).toBe('SqlPrincipalAmbiguous');
		expect(error.message).toContain('2 matches');
	});

	it('refuses what is not a database', () => {
		expect(refuse(withAdmin(), createUser('vm-stock-app', SQL_SERVER)).code).toBe(
			'ResourceNotFound'
		);
	});

	it('adds a member to a database role once', () => {
		const { world: w0, id } = withIdentity(withAdmin(), 'id-stock');
		const w1 = run(w0, createUser('id-stock')).world;
		expect(database(w1).users['id-stock']?.principalId).toBe(uami(w1, id).principalId);
		const world = runAll(w1, [
			addMember('DB_DATAREADER', 'ID-STOCK'),
			addMember('db_datareader', 'id-stock'),
			addMember('db_datawriter', 'id-stock')
		]);
		expect(database(world).users['id-stock']?.roles).toEqual(['db_datareader', 'db_datawriter']);
		expect(world.events.at(-1)).toMatchObject({
			operationName: 'Microsoft.Sql/servers/databases/roles/write'
		});
	});

	it('refuses an unknown role, an unknown user, and what is not a database', () => {
		const world = run(withAdmin(), createUser('vm-stock-app')).world;
		const role = refuse(world, addMember('db_admin', 'vm-stock-app'));
		expect(role.code).toBe('SqlRoleNotFound');
		expect(role.message).toContain('db_datareader');
		const user = refuse(world, addMember('db_owner', 'nobody'));
		expect(user.code).toBe('SqlUserNotFound');
		expect(user.message).toContain('CREATE USER [nobody] FROM EXTERNAL PROVIDER');
		expect(refuse(world, addMember('db_owner', 'vm-stock-app', VAULT)).code).toBe(
			'ResourceNotFound'
		);
	});
});
