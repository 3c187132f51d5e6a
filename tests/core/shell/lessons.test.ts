/**
 * Curriculum lessons 3, 5, 6 and 7 done entirely in the terminal, as a learner would type them, with the goal
 * of each lesson checked on the world and its events.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceCallEvent, TokenEvent } from '../../../src/core/index.ts';
import { json, terminal } from './terminal.ts';

const IMDS = 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01';

/** The line that asks IMDS for a token for `resource` and keeps the access token in `$name`. */
const fetchToken = (name: string, resource: string): string =>
	`${name}=$(curl -s -H Metadata:true '${IMDS}&resource=${resource}' | jq -r .access_token)`;

describe('lesson 3: a system-assigned identity', () => {
	it('enables it on vm-stock-app, then deletes a second VM and its identity goes with it', async () => {
		const t = await terminal();
		const [assign] = await t.script(['az vm identity assign -g rg-stock -n vm-stock-app']);
		const principalId = json(assign ?? ({ stdout: '{}' } as never))
			.systemAssignedIdentity as string;
		const audit = assign?.events.find((e) => e.kind === 'directoryAudit');
		expect(audit).toMatchObject({
			activity: 'Add service principal',
			initiatedBy: 'Managed Service Identity',
			targetId: principalId
		});

		const identity = json(
			(await t.script(['az vm show -g rg-stock -n vm-stock-app --query identity']))[0] as never
		);
		expect(identity).toEqual({
			principalId,
			tenantId: t.world.tenant.tenantId,
			type: 'SystemAssigned',
			userAssignedIdentities: null
		});
		expect(json((await t.script([`az ad sp show --id ${principalId}`]))[0] as never)).toMatchObject(
			{ servicePrincipalType: 'ManagedIdentity' }
		);

		const second =
			(
				await t.script([
					'az vm identity assign -g rg-stock -n vm-stock-web-3 --query systemAssignedIdentity -o tsv'
				])
			)[0]?.stdout.trim() ?? '';
		const deleted = (await t.script(['az vm delete -g rg-stock -n vm-stock-web-3 --yes']))[0];
		expect(deleted?.events.find((e) => e.kind === 'directoryAudit')).toMatchObject({
			activity: 'Hard delete service principal',
			targetId: second
		});
		expect((await t.run(`az ad sp show --id ${second}`)).exitCode).toBe(1);

		// Goal: identity on the first VM; the second VM and its principal gone; no orphaned user-assigned identity.
		const managed = Object.values(t.world.directory.servicePrincipals).filter(
			(sp) => sp.servicePrincipalType === 'ManagedIdentity'
		);
		expect(managed.map((sp) => sp.id)).toEqual([principalId]);
		expect(Object.values(t.world.resources).some((r) => r.name === 'vm-stock-web-3')).toBe(false);
		expect(Object.values(t.world.resources).some((r) => r.kind === 'userAssignedIdentity')).toBe(
			false
		);
	});
});

describe('lesson 5: asking IMDS for a token', () => {
	it('is refused without Metadata: true, then gets a Key Vault token and decodes it', async () => {
		const t = await terminal();
		await t.script([
			'az vm identity assign -g rg-stock -n vm-stock-app -o none',
			'ssh vm-stock-app'
		]);
		const refused = await t.run(`curl -s '${IMDS}&resource=https://vault.azure.net'`);
		expect(JSON.parse(refused.stdout)).toMatchObject({ error: 'invalid_request' });
		const [response] = await t.script([
			`curl -s -H Metadata:true '${IMDS}&resource=https://vault.azure.net'`
		]);
		const body = JSON.parse(response?.stdout ?? '{}') as Record<string, string>;
		expect(Object.keys(body)).toEqual(
			expect.arrayContaining([
				'access_token',
				'client_id',
				'expires_in',
				'expires_on',
				'not_before',
				'resource',
				'token_type'
			])
		);
		await t.script([fetchToken('TOKEN', 'https://vault.azure.net')]);
		const [decoded] = await t.script(['jwt decode "$TOKEN"']);
		for (const claim of ['aud', 'iss', 'oid', 'appid', 'xms_mirid', 'exp'])
			expect(decoded?.stdout).toMatch(new RegExp(`^  ${claim} `, 'm'));
		expect(decoded?.stdout).toContain('"aud": "https://vault.azure.net"');

		// Goal: a token for https://vault.azure.net was issued to the VM's identity.
		const vm = Object.values(t.world.resources).find((r) => r.name === 'vm-stock-app');
		const principal =
			vm?.kind === 'virtualMachine' ? vm.identity.systemAssigned?.principalId : undefined;
		const tokens = t.world.events.filter((e): e is TokenEvent => e.kind === 'token');
		expect(
			tokens.some(
				(e) =>
					e.resource === 'https://vault.azure.net' &&
					e.principalId === principal &&
					e.endpoint === 'imds'
			)
		).toBe(true);
	});
});

describe('lesson 6: using the token', () => {
	it('gets 403 from Key Vault, assigns Key Vault Secrets User on the vault, and reads the secret', async () => {
		const t = await terminal();
		await t.script([
			'az vm identity assign -g rg-stock -n vm-stock-app -o none',
			'ssh vm-stock-app',
			fetchToken('TOKEN', 'https://vault.azure.net')
		]);
		const secretUrl = "'https://kv-stock.vault.azure.net/secrets/db-password?api-version=7.4'";
		const denied = await t.run(
			`curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" ${secretUrl}`
		);
		expect(denied.stdout).toBe('403');
		await t.script([
			'exit',
			'PRINCIPAL=$(az vm identity show -g rg-stock -n vm-stock-app --query principalId -o tsv)',
			'VAULT=$(az keyvault show -n kv-stock --query id -o tsv)',
			'az role assignment create --assignee "$PRINCIPAL" --role "Key Vault Secrets User" --scope "$VAULT" -o none',
			'clock +5m',
			'ssh vm-stock-app',
			fetchToken('TOKEN', 'https://vault.azure.net')
		]);
		const [read] = await t.script([
			`curl -s -H "Authorization: Bearer $TOKEN" ${secretUrl} | jq -r .value`
		]);
		expect(read?.stdout).toBe('Stock-Db-Pa55!2026\n');

		// Goal: a secret read by the VM's identity succeeded.
		const calls = t.world.events.filter(
			(e): e is ServiceCallEvent => e.kind === 'serviceCall' && e.service === 'keyVault'
		);
		expect(calls.map((c) => c.status)).toEqual([403, 200]);
	});
});

describe('lesson 7: the wrong scope', () => {
	it('Reader on the group gives 403 from Storage; Storage Blob Data Reader on the account works', async () => {
		const t = await terminal();
		await t.script([
			'az vm identity assign -g rg-stock -n vm-stock-app -o none',
			'PRINCIPAL=$(az vm identity show -g rg-stock -n vm-stock-app --query principalId -o tsv)',
			'az role assignment create --assignee "$PRINCIPAL" --role Reader -g rg-stock -o none',
			'clock +10m',
			'ssh vm-stock-app',
			fetchToken('T', 'https://storage.azure.com/')
		]);
		const blob = 'https://ststockdata.blob.core.windows.net/quotes/today.csv';
		const denied = await t.run(
			`curl -s -i -H "Authorization: Bearer $T" -H "x-ms-version: 2022-11-02" ${blob}`
		);
		expect(denied.stdout).toMatch(
			/^HTTP\/1\.1 403 This request is not authorized to perform this operation using this permission\./
		);
		expect(denied.stdout).toContain('<Code>AuthorizationPermissionMismatch</Code>');
		await t.script([
			'exit',
			'READER=$(az role assignment list --assignee "$PRINCIPAL" -g rg-stock --query "[0].id" -o tsv)',
			'az role assignment delete --ids "$READER"',
			'ACCOUNT=$(az storage account show -n ststockdata --query id -o tsv)',
			'az role assignment create --assignee "$PRINCIPAL" --role "Storage Blob Data Reader" --scope "$ACCOUNT" -o none',
			'clock +10m',
			'ssh vm-stock-app',
			fetchToken('T', 'https://storage.azure.com/')
		]);
		const [read] = await t.script([
			`curl -s -H "Authorization: Bearer $T" -H "x-ms-version: 2022-11-02" ${blob}`
		]);
		expect(read?.stdout).toContain('CTSO,182.40,EUR');

		// Goal: the blob read succeeded; no assignment broader than needed.
		const calls = t.world.events.filter(
			(e): e is ServiceCallEvent => e.kind === 'serviceCall' && e.service === 'storage'
		);
		expect(calls.at(-1)?.status).toBe(200);
		const principal = t.state.previous[0]?.vars.PRINCIPAL ?? '';
		const mine = Object.values(t.world.roleAssignments).filter(
			(a) => a.principalId === principal && a.removedAt === null
		);
		expect(mine).toHaveLength(1);
		expect(mine[0]?.scope).toMatch(/storageAccounts\/ststockdata$/);
	});
});
