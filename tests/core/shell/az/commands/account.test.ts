import { describe, expect, it } from 'vitest';
import { json, terminal } from '../../terminal.ts';

describe('az account, login, group, resource', () => {
	it('account show and list describe the subscription and the signed-in user', async () => {
		const t = await terminal();
		expect(json(await t.run('az account show'))).toMatchObject({
			id: 'a1b2c3d4-0000-4000-8000-00000005707c',
			name: 'Contoso Production',
			tenantId: 'c0a7e5f0-1d2b-4c3a-9e8f-00000c0a7050',
			user: { name: 'sarah@contoso.onmicrosoft.com', type: 'user', cloudShellID: true }
		});
		expect(json<unknown[]>(await t.run('az account list'))).toHaveLength(1);
	});

	// Real az: `az account show` carries `environmentName` and no `cloudName`; `az account list` the reverse
	// (issue 11, compared with az 2.x output).
	it('names the cloud environmentName in account show and cloudName in account list', async () => {
		const t = await terminal();
		const shown = json(await t.run('az account show'));
		expect(shown.environmentName).toBe('AzureCloud');
		expect(shown).not.toHaveProperty('cloudName');
		const [listed] = json<Record<string, unknown>[]>(await t.run('az account list'));
		expect(listed?.cloudName).toBe('AzureCloud');
		expect(listed).not.toHaveProperty('environmentName');
	});

	it('get-access-token returns a user token for the resource asked for', async () => {
		const t = await terminal();
		const token = json(
			await t.run('az account get-access-token --resource https://vault.azure.net')
		);
		expect(Object.keys(token)).toEqual([
			'accessToken',
			'expiresOn',
			'expires_on',
			'subscription',
			'tenant',
			'tokenType'
		]);
		const decoded = await t.run(`jwt decode ${token.accessToken as string}`);
		expect(decoded.stdout).toContain('"aud": "https://vault.azure.net"');
		expect(decoded.stdout).toContain('"idtyp": "user"');
		expect(decoded.stdout).toContain('"appid": "04b07795-8ddb-461a-bbee-02f9e1bf7b46"');
		expect(
			json(await t.run('az account get-access-token --scope https://storage.azure.com/.default'))
				.tokenType
		).toBe('Bearer');
		expect((await t.run('az account get-access-token --resource a --scope b')).exitCode).toBe(2);
	});

	it('login in Cloud Shell warns; on a VM without an identity az login --identity cannot reach MSI', async () => {
		const t = await terminal();
		expect((await t.run('az login -o none')).stderr).toContain(
			'Cloud Shell is automatically authenticated'
		);
		await t.run('ssh vm-stock-app');
		const onVm = await t.run('az login --identity');
		expect(onVm.exitCode).toBe(1);
		expect(onVm.stderr).toContain('Failed to connect to MSI');
		expect((await t.run('az login')).stderr).toContain('az login --identity');
	});

	it('group create, show, list; create is idempotent and keeps its location', async () => {
		const t = await terminal();
		const created = json(await t.run('az group create -n rg-lab -l westeurope'));
		expect(created).toEqual({
			id: '/subscriptions/a1b2c3d4-0000-4000-8000-00000005707c/resourceGroups/rg-lab',
			location: 'westeurope',
			managedBy: null,
			name: 'rg-lab',
			properties: { provisioningState: 'Succeeded' },
			tags: null,
			type: 'Microsoft.Resources/resourceGroups'
		});
		expect((await t.run('az group create -n rg-lab -l westeurope')).events).toEqual([]);
		expect((await t.run('az group create -n rg-lab -l northeurope')).stderr).toContain(
			'(InvalidResourceGroupLocation)'
		);
		expect((await t.run('az group show -g rg-nope')).stderr).toContain(
			"(ResourceGroupNotFound) Resource group 'rg-nope' could not be found."
		);
	});

	it('resource list/show/delete', async () => {
		const t = await terminal();
		const names = (
			await t.run(
				'az resource list -g rg-stock --resource-type Microsoft.Compute/virtualMachines --query "[].name" -o tsv'
			)
		).stdout;
		expect(names).toBe('vm-stock-app\nvm-stock-web-1\nvm-stock-web-2\nvm-stock-web-3\n');
		const id = (
			await t.run('az vm show -g rg-stock -n vm-stock-web-3 --query id -o tsv')
		).stdout.trim();
		expect(json(await t.run(`az resource show --ids ${id}`)).name).toBe('vm-stock-web-3');
		expect((await t.run(`az resource delete --ids ${id}`)).exitCode).toBe(0);
		expect((await t.run(`az resource show --ids ${id}`)).stderr).toContain('(ResourceNotFound)');
		expect((await t.run('az resource show')).exitCode).toBe(2);
	});
});
