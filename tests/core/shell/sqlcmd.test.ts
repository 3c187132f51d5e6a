import { describe, expect, it } from 'vitest';
import { snapshot, terminal } from './terminal.ts';

const SQL =
	'sqlcmd -S sql-stock.database.windows.net -d stockdb --authentication-method ActiveDirectoryDefault';

describe('sqlcmd', () => {
	it('in Cloud Shell acts as Sarah: refused until she is the Entra admin, then reads', async () => {
		const t = await terminal();
		const refused = await t.run(`${SQL} -Q "SELECT * FROM Quotes"`);
		expect(refused.exitCode).toBe(1);
		expect(refused.stderr).toMatch(
			/^Msg 18456, Level 14, State \d+, Server sql-stock, Line 1\nLogin failed for user '<token-identified principal>'\.\n# /
		);
		expect(refused.events.some((e) => e.kind === 'serviceCall' && e.service === 'sql')).toBe(true);
		await t.run(
			'az sql server ad-admin create -g rg-stock -s sql-stock -u Sarah -i $(az ad signed-in-user show --query id -o tsv) -o none'
		);
		const read = await t.run(`${SQL} -Q "SELECT * FROM Quotes"`);
		expect(read.exitCode).toBe(0);
		expect(read.stdout).toBe(
			'Symbol Price \n------ ------\nCTSO   182.40\nFABK   96.15 \n\n(2 rows affected)\n'
		);
	});

	it('on a VM uses its managed identity through IMDS; the admin creates its user and role', async () => {
		const t = await terminal();
		await t.script([
			'az vm identity assign -g rg-stock -n vm-stock-app -o none',
			'az sql server ad-admin create -g rg-stock -s sql-stock -u Sarah -i $(az ad signed-in-user show --query id -o tsv) -o none'
		]);
		await t.run('ssh vm-stock-app');
		const noUser = await t.run(`${SQL} -Q "SELECT Symbol FROM Quotes"`);
		expect(noUser.exitCode).toBe(1);
		expect(noUser.events.some((e) => e.kind === 'token')).toBe(true);
		expect(noUser.hops.length).toBeGreaterThan(0);
		await t.run('exit');
		await t.script([
			`${SQL} -Q "CREATE USER [vm-stock-app] FROM EXTERNAL PROVIDER"`,
			`${SQL} -Q "ALTER ROLE db_datareader ADD MEMBER [vm-stock-app]"`
		]);
		await t.run('ssh vm-stock-app');
		const read = await t.run(`${SQL} -Q "SELECT Symbol FROM Quotes"`);
		expect(read.stdout).toBe('Symbol\n------\nCTSO  \nFABK  \n\n(2 rows affected)\n');
	});

	it('fails to get a token where no identity endpoint answers, and says why', async () => {
		const t = await terminal();
		await t.run('ssh onprem-legacy-01');
		const before = snapshot(t.world);
		const result = await t.run(`${SQL} -Q "SELECT * FROM Quotes"`);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain(
			"Failed to authenticate the user in Active Directory (Authentication option is 'ActiveDirectoryDefault')"
		);
		expect(result.stderr).toContain(
			'# DefaultAzureCredential: no managed identity endpoint is reachable'
		);
		// Only the record of the unanswered IMDS probe changes: no token, no login.
		expect(
			snapshot({
				...result.world,
				events: result.world.events.filter((e) => e.kind !== 'serviceCall')
			})
		).toBe(before);
		expect(result.world.events.at(-1)).toMatchObject({ service: 'imds', errorCode: 'timeout' });
	});

	it('explains usage mistakes and refuses passwords', async () => {
		const t = await terminal();
		expect(
			(await t.run('sqlcmd -S sql-stock.database.windows.net -Q "SELECT 1"')).stderr
		).toContain('choose how to sign in');
		expect((await t.run('sqlcmd -d stockdb -G -Q x')).stderr).toContain('no server given');
		expect((await t.run('sqlcmd -S s -G')).stderr).toContain('no statement given');
		expect((await t.run('sqlcmd -S s -G -Q x --frob')).stderr).toContain(
			"'--frob': Unknown Option."
		);
		expect((await t.run('sqlcmd -S s --authentication-method Magic -Q x')).stderr).toContain(
			"'Magic' is not an authentication method"
		);
		const password = await t.run(
			"sqlcmd -S sql-stock.database.windows.net -U stockapp -P 'Stock-Db-Pa55!2026' -Q x"
		);
		expect(password.stderr).toContain("Login failed for user 'stockapp'.");
		expect((await t.run('sqlcmd')).stdout).toContain('Usage: sqlcmd');
	});
});

describe('sqlcmd in an App Service console', () => {
	it('gets the token from IDENTITY_ENDPOINT', async () => {
		const t = await terminal();
		await t.script([
			'az webapp identity assign -g rg-stock -n app-stock-web -o none',
			'az sql server ad-admin create -g rg-stock -s sql-stock -u Sarah -i $(az ad signed-in-user show --query id -o tsv) -o none',
			`${SQL} -Q "CREATE USER [app-stock-web] FROM EXTERNAL PROVIDER"`,
			`${SQL} -Q "ALTER ROLE db_datareader ADD MEMBER [app-stock-web]"`,
			'console app-stock-web'
		]);
		const read = await t.run(`${SQL} -Q "SELECT TOP 1 Symbol FROM Quotes"`);
		expect(read.stdout).toBe('Symbol\n------\nCTSO  \n\n(1 row affected)\n');
		expect(read.events.some((e) => e.kind === 'token' && e.endpoint === 'appService')).toBe(true);
	});
});
