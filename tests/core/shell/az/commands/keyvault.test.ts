import { describe, expect, it } from 'vitest';
import { json, snapshot, terminal } from '../../terminal.ts';

const VAULT =
	'/subscriptions/a1b2c3d4-0000-4000-8000-00000005707c/resourceGroups/rg-stock/providers/Microsoft.KeyVault/vaults/kv-stock';
const SARAH = 'sarah@contoso.onmicrosoft.com';

describe('az keyvault secret (the data plane, as Sarah)', () => {
	it('an Owner without a Key Vault data role gets 403 ForbiddenByRbac, as in Azure', async () => {
		const t = await terminal();
		const result = await t.run('az keyvault secret show --vault-name kv-stock -n db-password');
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toMatch(
			/^ERROR: \(Forbidden\) Caller is not authorized to perform action on resource\.\n/
		);
		expect(result.stderr).toContain(
			'Caller: appid=04b07795-8ddb-461a-bbee-02f9e1bf7b46;oid=5a7a0000-5a7a-4a7a-8a7a-00000005a7a1'
		);
		expect(result.stderr).toContain('Inner error: {\n    "code": "ForbiddenByRbac"\n}');
		expect(result.stderr).toContain('# Denied:');
		expect(result.events).toEqual([
			expect.objectContaining({
				kind: 'serviceCall',
				service: 'keyVault',
				status: 403,
				source: 'cloudshell'
			})
		]);
		expect(result.hops.length).toBeGreaterThan(0);
	});

	it('with Key Vault Secrets Officer (after propagation) Sarah reads, writes and lists', async () => {
		const t = await terminal();
		await t.script([
			`az role assignment create --assignee ${SARAH} --role "Key Vault Secrets Officer" --scope ${VAULT} -o none`,
			'clock +5m'
		]);
		const shown = json(await t.run('az keyvault secret show --vault-name kv-stock -n db-password'));
		expect(Object.keys(shown)).toEqual([
			'attributes',
			'contentType',
			'id',
			'kid',
			'managed',
			'name',
			'tags',
			'value'
		]);
		expect(shown).toMatchObject({
			name: 'db-password',
			value: 'Stock-Db-Pa55!2026',
			attributes: {
				enabled: true,
				recoveryLevel: 'Recoverable+Purgeable',
				created: '2026-03-02T09:00:00+00:00'
			}
		});
		const set = await t.run(
			'az keyvault secret set --vault-name kv-stock -n db-password --value rotated'
		);
		expect(json(set)).toMatchObject({ value: 'rotated', name: 'db-password' });
		expect(
			set.events.some(
				(e) =>
					e.kind === 'activity' &&
					e.operationName === 'Microsoft.KeyVault/vaults/secrets/write' &&
					e.caller === SARAH
			)
		).toBe(true);
		expect(
			(
				await t.run(
					'az keyvault secret show --vault-name kv-stock -n db-password --query value -o tsv'
				)
			).stdout
		).toBe('rotated\n');
		expect(
			(await t.run('az keyvault secret list --vault-name kv-stock --query "[].name" -o tsv')).stdout
		).toBe('db-password\n');
	});

	it('a vault that does not exist cannot be resolved', async () => {
		const t = await terminal();
		const before = snapshot(t.world);
		const result = await t.run('az keyvault secret show --vault-name kv-nope -n x');
		expect(result.stderr).toContain("Failed to resolve 'kv-nope.vault.azure.net'");
		expect(snapshot(result.world)).toBe(before);
	});

	it('set needs exactly one of --value and --file', async () => {
		const result = await (
			await terminal()
		).run('az keyvault secret set --vault-name kv-stock -n x');
		expect([result.exitCode, result.stderr]).toEqual([
			2,
			'ERROR: usage error: --value VALUE | --file PATH\n'
		]);
	});
});

describe('az keyvault (control plane)', () => {
	it('show, list, create, delete', async () => {
		const t = await terminal();
		const shown = json(await t.run('az keyvault show -n kv-stock'));
		expect(shown).toMatchObject({
			id: VAULT,
			properties: { enableRbacAuthorization: true, vaultUri: 'https://kv-stock.vault.azure.net/' }
		});
		expect((await t.run('az keyvault show -n kv-nope')).stderr).toContain(
			"The Vault 'kv-nope' not found within subscription."
		);
		expect(
			(await t.run('az keyvault create -g rg-stock -n kv-stock-2 --query name -o tsv')).stdout
		).toBe('kv-stock-2\n');
		expect((await t.run('az keyvault list --query "[].name" -o tsv')).stdout).toBe(
			'kv-stock\nkv-stock-2\n'
		);
		const deleted = await t.run('az keyvault delete -n kv-stock-2');
		expect(deleted.stderr).toContain(
			'WARNING: Warning! If you have soft-delete protection enabled'
		);
		expect((await t.run('az keyvault create -g rg-stock -n kv-stock')).stderr).toContain(
			'(ResourceExists)'
		);
	});
});
