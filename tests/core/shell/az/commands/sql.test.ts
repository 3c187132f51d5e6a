import { describe, expect, it } from 'vitest';
import { json, terminal } from '../../terminal.ts';

describe('az sql', () => {
	it('ad-admin create makes a principal the Entra admin; list and server show report it', async () => {
		const t = await terminal();
		const created = await t.run(
			'az sql server ad-admin create -g rg-stock -s sql-stock -u Sarah -i $(az ad signed-in-user show --query id -o tsv)'
		);
		expect(json(created)).toMatchObject({
			administratorType: 'ActiveDirectory',
			login: 'sarah@contoso.onmicrosoft.com',
			sid: '5a7a0000-5a7a-4a7a-8a7a-00000005a7a1',
			type: 'Microsoft.Sql/servers/administrators',
			name: 'ActiveDirectory'
		});
		expect(created.events[0]).toMatchObject({
			operationName: 'Microsoft.Sql/servers/administrators/write'
		});
		expect(
			json<unknown[]>(await t.run('az sql server ad-admin list -g rg-stock -s sql-stock'))
		).toHaveLength(1);
		expect(json(await t.run('az sql server show -g rg-stock -n sql-stock'))).toMatchObject({
			administrators: { login: 'sarah@contoso.onmicrosoft.com' },
			fullyQualifiedDomainName: 'sql-stock.database.windows.net'
		});
	});

	it('ad-admin create refuses a bad object id or an unknown principal', async () => {
		const t = await terminal();
		expect(
			(await t.run('az sql server ad-admin create -g rg-stock -s sql-stock -u x -i nope')).stderr
		).toContain("invalid uuid value: 'nope'");
		const unknown = await t.run(
			'az sql server ad-admin create -g rg-stock -s sql-stock -u x -i 00000000-0000-4000-8000-000000000000'
		);
		expect(unknown.stderr).toContain('(PrincipalNotFound)');
		expect(
			(
				await t.run(
					'az sql server ad-admin create -g rg-stock -s sql-nope -u x -i 00000000-0000-4000-8000-000000000000'
				)
			).stderr
		).toContain('(ResourceNotFound)');
	});

	it('servers and databases: create, show, list, delete', async () => {
		const t = await terminal();
		expect(
			(
				await t.run(
					'az sql server create -g rg-stock -n sql-lab --query fullyQualifiedDomainName -o tsv'
				)
			).stdout
		).toBe('sql-lab.database.windows.net\n');
		expect(
			(await t.run('az sql db create -g rg-stock -s sql-lab -n labdb --query status -o tsv')).stdout
		).toBe('Online\n');
		expect(
			(await t.run('az sql db list -g rg-stock -s sql-lab --query "[].name" -o tsv')).stdout
		).toBe('labdb\n');
		expect(
			(await t.run('az sql db show -g rg-stock -s sql-stock -n stockdb --query name -o tsv')).stdout
		).toBe('stockdb\n');
		expect((await t.run('az sql db show -g rg-stock -s sql-stock -n nope')).stderr).toContain(
			'(ResourceNotFound)'
		);
		expect((await t.run('az sql db delete -g rg-stock -s sql-lab -n labdb --yes')).exitCode).toBe(
			0
		);
		expect((await t.run('az sql server delete -g rg-stock -n sql-lab --yes')).exitCode).toBe(0);
		expect((await t.run('az sql server list --query "[].name" -o tsv')).stdout).toBe('sql-stock\n');
	});
});
