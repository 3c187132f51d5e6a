import { describe, expect, it } from 'vitest';
import { json, snapshot, terminal } from '../../terminal.ts';

const ACCOUNT =
	'/subscriptions/a1b2c3d4-0000-4000-8000-00000005707c/resourceGroups/rg-stock/providers/Microsoft.Storage/storageAccounts/ststockdata';
const SARAH = 'sarah@contoso.onmicrosoft.com';
const CSV = 'symbol,price,currency\nCTSO,182.40,EUR\nFABK,96.15,EUR\nNWND,41.08,EUR\n';

describe('az storage blob with --auth-mode login (as Sarah)', () => {
	it('Owner alone gets az’s permission message', async () => {
		const t = await terminal();
		const result = await t.run(
			'az storage blob list --account-name ststockdata -c quotes --auth-mode login'
		);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain(
			'You do not have the required permissions needed to perform this operation.'
		);
		expect(result.stderr).toContain('"Storage Blob Data Reader"');
		expect(result.events).toEqual([
			expect.objectContaining({ kind: 'serviceCall', service: 'storage', status: 403 })
		]);
	});

	it('with Storage Blob Data Contributor she lists, downloads and uploads', async () => {
		const t = await terminal();
		await t.script([
			`az role assignment create --assignee ${SARAH} --role "Storage Blob Data Contributor" --scope ${ACCOUNT} -o none`,
			'clock +5m'
		]);
		const [blob] = json<Record<string, Record<string, unknown>>[]>(
			await t.run('az storage blob list --account-name ststockdata -c quotes --auth-mode login')
		);
		expect(blob).toMatchObject({
			name: 'today.csv',
			container: 'quotes',
			properties: {
				blobType: 'BlockBlob',
				contentLength: CSV.length,
				contentSettings: { contentType: 'text/csv' }
			}
		});
		const table = await t.run(
			'az storage blob list --account-name ststockdata -c quotes --auth-mode login -o table'
		);
		expect(table.stdout.split('\n')[0]).toMatch(
			/^Name +Blob Type +Blob Tier +Length +Content Type +Last Modified$/
		);
		expect(
			(
				await t.run(
					'az storage blob download --account-name ststockdata -c quotes -n today.csv --auth-mode login'
				)
			).stdout
		).toBe(CSV);
		const saved = await t.run(
			'az storage blob download --account-name ststockdata -c quotes -n today.csv -f today.csv --auth-mode login'
		);
		expect(json(saved)).toMatchObject({ name: 'today.csv' });
		expect((await t.run('cat today.csv')).stdout).toBe(CSV);
		const uploaded = await t.run(
			'az storage blob upload --account-name ststockdata -c quotes -n note.txt --data hello --auth-mode login'
		);
		expect(json(uploaded)).toMatchObject({ request_server_encrypted: true, version: '2022-11-02' });
		expect(
			uploaded.events.some((e) => e.kind === 'activity' && e.operationName.endsWith('/blobs/write'))
		).toBe(true);
		await t.run(
			'az storage blob upload --account-name ststockdata -c quotes -n copy.csv -f today.csv --auth-mode login -o none'
		);
		expect(
			(
				await t.run(
					'az storage blob list --account-name ststockdata -c quotes --auth-mode login --query "[].name" -o tsv'
				)
			).stdout
		).toBe('copy.csv\nnote.txt\ntoday.csv\n');
		expect(
			(
				await t.run(
					'az storage container list --account-name ststockdata --auth-mode login --query "[].name" -o tsv'
				)
			).stdout
		).toBe('quotes\n');
	});
});

describe('az storage blob with keys', () => {
	it('without credentials az queries the account key and warns', async () => {
		const result = await (
			await terminal()
		).run('az storage blob list --account-name ststockdata -c quotes --query "[].name" -o tsv');
		expect(result.stdout).toBe('today.csv\n');
		expect(result.stderr).toContain(
			'WARNING: There are no credentials provided in your command and environment'
		);
		expect(result.events).toEqual([
			expect.objectContaining({ authMethod: 'sharedKey', principalId: null })
		]);
	});

	it('a leaked connection string works from outside Azure, with no sign-in', async () => {
		const t = await terminal();
		await t.run('ssh vm-stock-app');
		const cs = (
			await t.run('cat /etc/stock-app/appsettings.json | jq -r .ConnectionStrings.QuotesStorage')
		).stdout.trim();
		await t.run('exit');
		await t.run('ssh onprem-legacy-01');
		const leaked = await t.run(
			`az storage blob download --connection-string '${cs}' -c quotes -n today.csv`
		);
		expect(leaked.stdout).toBe(CSV);
		expect(leaked.events).toEqual([
			expect.objectContaining({ authMethod: 'sharedKey', source: 'onprem-legacy-01', status: 200 })
		]);
		await t.run(`export AZURE_STORAGE_CONNECTION_STRING='${cs}'`);
		expect((await t.run('az storage blob list -c quotes --query "[].name" -o tsv')).stdout).toBe(
			'today.csv\n'
		);
		expect(
			(await t.run('az storage blob list --account-name ststockdata -c quotes --auth-mode login'))
				.stderr
		).toContain("Please run 'az login'");
	});

	it('a wrong key is refused by the service', async () => {
		const t = await terminal();
		const bad = await t.run(
			'az storage blob list --account-name ststockdata -c quotes --account-key bm90LXRoZS1rZXk='
		);
		expect(bad.exitCode).toBe(1);
		expect(bad.stderr).toContain('ErrorCode:AuthenticationFailed');
		expect(bad.events).toEqual([
			expect.objectContaining({ kind: 'serviceCall', status: 403, authMethod: 'sharedKey' })
		]);
		const before = snapshot(t.world);
		const malformed = await t.run(
			"az storage blob list -c quotes --connection-string 'AccountName=x'"
		);
		expect(malformed.stderr).toContain('Connection string is either blank or malformed.');
		expect(snapshot(malformed.world)).toBe(before);
	});
});

describe('az storage account and containers', () => {
	it('show, list, keys, connection string, create, delete', async () => {
		const t = await terminal();
		expect(json(await t.run('az storage account show -n ststockdata'))).toMatchObject({
			id: ACCOUNT,
			kind: 'StorageV2',
			primaryEndpoints: { blob: 'https://ststockdata.blob.core.windows.net/' }
		});
		expect(
			json<unknown[]>(await t.run('az storage account keys list -n ststockdata'))
		).toHaveLength(2);
		expect(
			(
				await t.run(
					'az storage account show-connection-string -n ststockdata --query connectionString -o tsv'
				)
			).stdout
		).toContain('AccountName=ststockdata;AccountKey=');
		expect(
			(await t.run('az storage account create -g rg-stock -n ststocklab01 --query name -o tsv'))
				.stdout
		).toBe('ststocklab01\n');
		expect(
			(
				await t.run(
					'az storage container-rm create --storage-account ststocklab01 -n reports --query name -o tsv'
				)
			).stdout
		).toBe('reports\n');
		expect((await t.run('az storage account list --query "[].name" -o tsv')).stdout).toBe(
			'ststockdata\nststocklab01\n'
		);
		expect((await t.run('az storage account delete -g rg-stock -n ststocklab01')).stderr).toContain(
			'Use --yes'
		);
		expect(
			(await t.run('az storage account delete -g rg-stock -n ststocklab01 --yes')).exitCode
		).toBe(0);
		expect((await t.run('az storage account show -n ststocklab01')).stderr).toContain(
			'(ResourceNotFound)'
		);
		expect((await t.run('az storage account create -g rg-stock -n Bad_Name')).stderr).toContain(
			'(InvalidName)'
		);
	});
});
