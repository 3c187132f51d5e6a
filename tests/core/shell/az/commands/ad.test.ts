import { describe, expect, it } from 'vitest';
import { odataFilter } from '../../../../../src/core/shell/az/commands/ad.ts';
import { json, terminal } from '../../terminal.ts';

describe('az ad sp', () => {
	it('show finds a managed identity’s service principal by object id or client id', async () => {
		const t = await terminal();
		const principal = (
			await t.run(
				'az vm identity assign -g rg-stock -n vm-stock-app --query systemAssignedIdentity -o tsv'
			)
		).stdout.trim();
		const sp = json(await t.run(`az ad sp show --id ${principal}`));
		expect(sp).toMatchObject({
			id: principal,
			displayName: 'vm-stock-app',
			servicePrincipalType: 'ManagedIdentity',
			appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
			alternativeNames: [
				'isExplicit=False',
				expect.stringMatching(/virtualMachines\/vm-stock-app$/)
			],
			keyCredentials: [expect.objectContaining({ type: 'AsymmetricX509Cert', usage: 'Verify' })]
		});
		expect(json(await t.run(`az ad sp show --id ${sp.appId as string}`)).id).toBe(principal);
	});

	it('show says when nothing matches', async () => {
		const t = await terminal();
		expect((await t.run('az ad sp show --id vm-stock-app')).stderr).toBe(
			"ERROR: Service principal 'vm-stock-app' doesn't exist\n"
		);
		expect(
			(await t.run('az ad sp show --id 00000000-0000-4000-8000-000000000000')).stderr
		).toContain(
			"Resource '00000000-0000-4000-8000-000000000000' does not exist or one of its queried reference-property objects are not present."
		);
	});

	it('list filters by display name prefix, OData filter or --all', async () => {
		const t = await terminal();
		await t.run('az vm identity assign -g rg-stock -n vm-stock-app -o none');
		await t.run('az identity create -g rg-stock -n id-stock-web -o none');
		const managed = await t.run(
			`az ad sp list --filter "servicePrincipalType eq 'ManagedIdentity'" --query "[].displayName" -o tsv`
		);
		expect(managed.stdout).toBe('id-stock-web\nvm-stock-app\n');
		expect(
			(await t.run('az ad sp list --display-name vm- --query "[].displayName" -o tsv')).stdout
		).toBe('vm-stock-app\n');
		expect(json<unknown[]>(await t.run('az ad sp list --all'))).toHaveLength(4);
		const table = await t.run('az ad sp list --all -o table');
		expect(table.stdout.split('\n')[0]).toMatch(/^DisplayName +Id +AppId +CreatedDateTime$/);
		const bad = await t.run('az ad sp list --filter "displayName gt 1"');
		expect(bad.stderr).toContain("ERROR: Invalid filter clause: 'displayName gt 1'");
	});
});

describe('az ad: users and apps', () => {
	it('signed-in-user show, user show/list', async () => {
		const t = await terminal();
		expect(json(await t.run('az ad signed-in-user show'))).toMatchObject({
			userPrincipalName: 'sarah@contoso.onmicrosoft.com',
			displayName: 'Sarah'
		});
		expect(
			(await t.run('az ad user show --id sarah@contoso.onmicrosoft.com --query id -o tsv')).stdout
		).toBe('5a7a0000-5a7a-4a7a-8a7a-00000005a7a1\n');
		expect(json<unknown[]>(await t.run('az ad user list --display-name Sar'))).toHaveLength(1);
		expect((await t.run('az ad user show --id bob@contoso.onmicrosoft.com')).exitCode).toBe(1);
	});

	it('app list shows registrations; a managed identity has none', async () => {
		const t = await terminal();
		expect(json<Record<string, unknown>[]>(await t.run('az ad app list --all'))).toEqual([
			expect.objectContaining({ displayName: 'stock-app-legacy', signInAudience: 'AzureADMyOrg' })
		]);
		const principal = (
			await t.run(
				'az vm identity assign -g rg-stock -n vm-stock-app --query systemAssignedIdentity -o tsv'
			)
		).stdout.trim();
		const missing = await t.run(`az ad app show --id ${principal}`);
		expect(missing.stderr).toContain('is a managed identity: it has a service principal');
	});
});

describe('odataFilter', () => {
	it('evaluates eq, ne, startswith, and, or', () => {
		const compiled = odataFilter(
			"servicePrincipalType eq 'ManagedIdentity' and startswith(displayName,'vm') or displayName eq 'x'"
		);
		expect(compiled.ok).toBe(true);
		if (!compiled.ok) return;
		expect(compiled.test({ servicePrincipalType: 'ManagedIdentity', displayName: 'vm-a' })).toBe(
			true
		);
		expect(compiled.test({ servicePrincipalType: 'Application', displayName: 'vm-a' })).toBe(false);
		expect(compiled.test({ servicePrincipalType: 'Application', displayName: 'x' })).toBe(true);
		const negated = odataFilter('accountEnabled ne true');
		expect(negated.ok && negated.test({ accountEnabled: false })).toBe(true);
	});
});
