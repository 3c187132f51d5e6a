import { describe, expect, it } from 'vitest';
import { json, terminal } from '../../terminal.ts';

describe('az webapp / functionapp', () => {
	it('identity assign prints the site’s identity object; show and remove', async () => {
		const t = await terminal();
		const assigned = json(await t.run('az webapp identity assign -g rg-stock -n app-stock-web'));
		expect(Object.keys(assigned)).toEqual([
			'principalId',
			'tenantId',
			'type',
			'userAssignedIdentities'
		]);
		expect(assigned).toMatchObject({ type: 'SystemAssigned', userAssignedIdentities: null });
		await t.run('az identity create -g rg-stock -n id-func -o none');
		expect(
			json(
				await t.run(
					'az functionapp identity assign -g rg-stock -n func-stock-import --identities [system] id-func'
				)
			)
		).toMatchObject({
			type: 'SystemAssigned,UserAssigned'
		});
		expect(
			json(await t.run('az webapp identity show -g rg-stock -n app-stock-web')).principalId
		).toBe(assigned.principalId);
		const removed = await t.run('az webapp identity remove -g rg-stock -n app-stock-web');
		expect([removed.exitCode, removed.stdout]).toEqual([0, '']);
	});

	it('config appsettings list, show, list, create, delete', async () => {
		const t = await terminal();
		expect(
			(await t.run('az webapp config appsettings list -g rg-stock -n app-stock-web')).stdout
		).toBe('[]\n');
		expect(json(await t.run('az webapp show -g rg-stock -n app-stock-web'))).toMatchObject({
			defaultHostName: 'app-stock-web.azurewebsites.net',
			kind: 'app,linux',
			identity: null
		});
		expect((await t.run('az functionapp list --query "[].name" -o tsv')).stdout).toBe(
			'func-stock-import\n'
		);
		expect((await t.run('az webapp create -g rg-stock -n app-new')).stderr).toContain(
			'the following arguments are required: --plan/-p'
		);
		expect(
			(
				await t.run(
					'az webapp create -g rg-stock -n app-new -p plan-stock --assign-identity --query identity.type -o tsv'
				)
			).stdout
		).toBe('SystemAssigned\n');
		expect(
			(await t.run('az functionapp create -g rg-stock -n func-new -s stnope -c westeurope')).stderr
		).toContain("Storage account 'stnope' not found.");
		expect(
			(
				await t.run(
					'az functionapp create -g rg-stock -n func-new -s ststockdata -c westeurope --query kind -o tsv'
				)
			).stdout
		).toBe('functionapp,linux\n');
		expect(
			(await t.run('az webapp create -g rg-stock -n app-stock-web -p plan-stock')).exitCode
		).toBe(1);
		expect((await t.run('az webapp delete -g rg-stock -n app-new')).exitCode).toBe(0);
	});

	it('webapp ssh needs an existing app', async () => {
		const result = await (await terminal()).run('az webapp ssh -g rg-stock -n app-nope');
		expect(result.stderr).toContain(
			"(ResourceNotFound) The Resource 'Microsoft.Web/sites/app-nope'"
		);
	});
});
