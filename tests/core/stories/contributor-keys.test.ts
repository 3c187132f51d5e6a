/**
 * Story: Contributor is a data-plane key. A VM's identity with Contributor on a storage account cannot read blobs
 * with its token (no data role), but `az login --identity` on the VM and `az storage account keys list` hand it
 * the account keys (Contributor holds Microsoft.Storage/storageAccounts/listKeys/action; Reader does not), and
 * Shared Key needs no data role. Rotating a key breaks everything signed with the old one.
 * Docs: learn.microsoft.com/cli/azure/authenticate-azure-cli-managed-identity,
 * learn.microsoft.com/azure/storage/common/storage-account-keys-manage (rotate keys),
 * learn.microsoft.com/rest/api/storagerp/storage-accounts/list-keys,
 * learn.microsoft.com/azure/role-based-access-control/built-in-roles (Contributor: "*"; Reader: "* /read").
 */
import { describe, expect, it } from 'vitest';
import { terminal, json } from '../shell/terminal.ts';

const STORAGE =
	'/subscriptions/a1b2c3d4-0000-4000-8000-00000005707c/resourceGroups/rg-stock/providers/Microsoft.Storage/storageAccounts/ststockdata';

async function vmWithRole(role: string | null) {
	const t = await terminal();
	await t.script([
		'az lab propagation set --seconds 0',
		'az vm identity assign -g rg-stock -n vm-stock-app'
	]);
	if (role) {
		await t.script([
			`az role assignment create --assignee-object-id $(az vm show -g rg-stock -n vm-stock-app --query identity.principalId -o tsv) --assignee-principal-type ServicePrincipal --role ${role} --scope ${STORAGE}`
		]);
	}
	await t.script(['ssh vm-stock-app']);
	return t;
}

describe('az login --identity (learn.microsoft.com/cli/azure/authenticate-azure-cli-managed-identity)', () => {
	it('signs az in as the VM identity, with az’s account shape for a system-assigned identity', async () => {
		const t = await vmWithRole('Contributor');
		const login = await t.run('az login --identity');
		expect(login.exitCode, login.stderr).toBe(0);
		const accounts = json<Record<string, unknown>[]>(login);
		expect(accounts[0]?.user).toEqual({
			assignedIdentityInfo: 'MSI',
			name: 'systemAssignedIdentity',
			type: 'servicePrincipal'
		});
		expect(
			login.hops.some((h) =>
				h.request?.url.startsWith('http://169.254.169.254/metadata/identity/oauth2/token')
			)
		).toBe(true);
		const show = json(await t.run('az account show'));
		expect(show.user).toEqual(accounts[0]?.user);
	});

	it('without any role assignment az login --identity finds no subscription (az’s message)', async () => {
		const t = await vmWithRole(null);
		const login = await t.run('az login --identity');
		expect(login.exitCode).toBe(1);
		expect(login.stderr).toContain(
			"No access was configured for the VM, hence no subscriptions were found. If this is expected, use '--allow-no-subscriptions' to have tenant level access."
		);
		expect((await t.run('az login --identity --allow-no-subscriptions')).exitCode).toBe(0);
	});

	it('in an App Service console and on a scale-set instance, az login --identity uses their endpoints', async () => {
		const t = await terminal();
		await t.script([
			'az lab propagation set --seconds 0',
			`az webapp identity assign -g rg-stock -n app-stock-web --role Reader --scope ${STORAGE}`,
			'console app-stock-web'
		]);
		const site = await t.run('az login --identity');
		expect(site.exitCode, site.stderr).toBe(0);
		expect(
			site.hops.some((h) => h.request?.url.startsWith('http://localhost:4141/MSI/token'))
		).toBe(true);
		expect((await t.run('az storage account keys list -n ststockdata')).stderr).toContain(
			'(AuthorizationFailed)'
		);
		await t.script([
			'exit',
			'az vmss create -g rg-stock -n vmss-stock --image Ubuntu2204 --instance-count 1',
			`az vmss identity assign -g rg-stock -n vmss-stock --role Contributor --scope ${STORAGE}`,
			'ssh vmss-stock_0'
		]);
		const instance = await t.run('az login --identity');
		expect(instance.exitCode, instance.stderr).toBe(0);
		expect((await t.run('az storage account keys list -n ststockdata')).exitCode).toBe(0);
	});

	it('on a VM without an identity az cannot reach MSI', async () => {
		const t = await terminal();
		await t.script(['ssh vm-stock-app']);
		const login = await t.run('az login --identity');
		expect(login.exitCode).toBe(1);
		expect(login.stderr).toContain('Failed to connect to MSI');
	});
});

describe('Contributor lists the keys; Reader gets AuthorizationFailed (ARM listKeys)', () => {
	it('Contributor: keys list, then Shared Key reads the blob with no data role', async () => {
		const t = await vmWithRole('Contributor');
		await t.script(['az login --identity']);
		const oauth = await t.run(
			'az storage blob download --account-name ststockdata -c quotes -n today.csv --auth-mode login --file /tmp/q.csv'
		);
		expect(oauth.exitCode).toBe(1);
		const keys = await t.run('az storage account keys list -g rg-stock -n ststockdata');
		expect(keys.exitCode, keys.stderr).toBe(0);
		const list = json<{ keyName: string; value: string; permissions: string }[]>(keys);
		expect(list.map((k) => k.keyName)).toEqual(['key1', 'key2']);
		const blob = await t.run(
			`az storage blob list --account-name ststockdata -c quotes --account-key ${list[0]?.value ?? ''} --query "[].name" -o tsv`
		);
		expect(blob.exitCode, blob.stderr).toBe(0);
		expect(blob.stdout).toContain('today.csv');
	});

	it('Reader: AuthorizationFailed naming listKeys/action, as az prints ARM errors', async () => {
		const t = await vmWithRole('Reader');
		await t.script(['az login --identity']);
		const keys = await t.run('az storage account keys list -g rg-stock -n ststockdata');
		expect(keys.exitCode).toBe(1);
		expect(keys.stderr).toMatch(
			/^ERROR: \(AuthorizationFailed\) The client '[0-9a-f-]{36}' with object id '[0-9a-f-]{36}' does not have authorization to perform action 'Microsoft\.Storage\/storageAccounts\/listKeys\/action' over scope '\/subscriptions\/.*\/storageAccounts\/ststockdata' or the scope is invalid\. If access was recently granted, please refresh your credentials\.\nCode: AuthorizationFailed\n/
		);
		expect((await t.run('az storage account show -g rg-stock -n ststockdata')).exitCode).toBe(0);
	});

	it('ARM POST …/listKeys answers with the keys for Contributor and 403 for Reader', async () => {
		for (const [role, status] of [
			['Contributor', 200],
			['Reader', 403]
		] as const) {
			const t = await vmWithRole(role);
			const token = await t.run(
				"curl -s -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/' | jq -r .access_token"
			);
			const call = await t.run(
				`curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer ${token.stdout.trim()}" '${`https://management.azure.com${STORAGE}/listKeys?api-version=2023-01-01`}'`
			);
			expect(call.stdout.trim()).toBe(String(status));
		}
	});
});

describe('key rotation breaks the old key (storage-account-keys-manage)', () => {
	it('az storage account keys renew: the old key and the connection string with it get 403 AuthenticationFailed', async () => {
		const t = await terminal();
		const before = json<{ value: string }[]>(
			await t.run('az storage account keys list -n ststockdata')
		);
		const oldKey = before[0]?.value ?? '';
		const renewed = await t.run(
			'az storage account keys renew -g rg-stock -n ststockdata --key primary'
		);
		expect(renewed.exitCode, renewed.stderr).toBe(0);
		const after = json<{ keyName: string; value: string }[]>(renewed);
		expect(after[0]?.value).not.toBe(oldKey);
		expect(after[1]?.value).toBe(before[1]?.value);
		const old = await t.run(
			`az storage blob list --account-name ststockdata -c quotes --account-key ${oldKey}`
		);
		expect(old.exitCode).toBe(1);
		expect(old.stderr).toContain('ErrorCode:AuthenticationFailed');
		const config = await t.run(
			`az storage blob list -c quotes --connection-string "DefaultEndpointsProtocol=https;AccountName=ststockdata;AccountKey=${oldKey};EndpointSuffix=core.windows.net"`
		);
		expect(config.exitCode).toBe(1);
		const fresh = await t.run(
			`az storage blob list --account-name ststockdata -c quotes --account-key ${after[0]?.value ?? ''}`
		);
		expect(fresh.exitCode, fresh.stderr).toBe(0);
	});
});
