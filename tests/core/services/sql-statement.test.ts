import { describe, expect, it } from 'vitest';
import { parseSqlStatement } from '../../../src/core/services/sql-statement.ts';

describe('parseSqlStatement', () => {
	it('reads SELECT with TOP, columns and a schema, dropping a trailing ; and GO', () => {
		expect(parseSqlStatement('SELECT * FROM Quotes')).toEqual({
			kind: 'select',
			top: null,
			columns: '*',
			table: 'Quotes'
		});
		expect(
			parseSqlStatement('select top (5) Symbol, [Last  Price]\nfrom dbo.[Quotes];\nGO')
		).toEqual({
			kind: 'select',
			top: 5,
			columns: 'Symbol, [Last  Price]',
			table: 'dbo.[Quotes]'
		});
		expect(parseSqlStatement('SELECT TOP 2 Symbol FROM Quotes')).toMatchObject({ top: 2 });
		expect(parseSqlStatement('SELECT * FROM a.b.c')).toEqual({ kind: 'unknown', near: 'SELECT' });
		expect(parseSqlStatement('SELECT FROM Quotes')).toEqual({ kind: 'unknown', near: 'SELECT' });
	});

	it('reads CREATE USER and ALTER ROLE with bare or bracketed names', () => {
		expect(parseSqlStatement('CREATE USER [vm stock app] FROM EXTERNAL PROVIDER;')).toEqual({
			kind: 'createUser',
			name: '[vm stock app]'
		});
		expect(parseSqlStatement('create user id-stock@x FROM external provider')).toEqual({
			kind: 'createUser',
			name: 'id-stock@x'
		});
		expect(parseSqlStatement('ALTER ROLE [db owner] ADD MEMBER [vm-stock-app]')).toEqual({
			kind: 'alterRole',
			role: '[db owner]',
			member: '[vm-stock-app]'
		});
		expect(parseSqlStatement('ALTER ROLE db_datareader ADD MEMBER a b')).toEqual({
			kind: 'unknown',
			near: 'ALTER'
		});
		expect(parseSqlStatement('DROP TABLE Quotes')).toEqual({ kind: 'unknown', near: 'DROP' });
		expect(parseSqlStatement('   ')).toEqual({ kind: 'unknown', near: '' });
	});

	it('reads the long lines that made the regular-expression parser take cubic time', () => {
		// Each of these took seconds to minutes with the former regular expressions (6 KB: 22.8 s).
		const words = 'from x '.repeat(900);
		expect(parseSqlStatement(`SELECT ${words}!`)).toEqual({ kind: 'unknown', near: 'SELECT' });
		expect(parseSqlStatement(`SELECT ${words}FROM t`)).toMatchObject({
			kind: 'select',
			table: 't'
		});
		expect(parseSqlStatement(`SELECT top${' '.repeat(6000)}x FROM t`)).toMatchObject({
			kind: 'select',
			top: null
		});
		expect(
			parseSqlStatement(`CREATE USER [${'a] ['.repeat(2000)}] FROM EXTERNAL PROVIDER`)
		).toEqual({ kind: 'unknown', near: 'CREATE' });
		expect(parseSqlStatement(`SELECT * FROM ${'a'.repeat(6000)}.`)).toEqual({
			kind: 'unknown',
			near: 'SELECT'
		});
	});
});
