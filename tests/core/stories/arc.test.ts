/**
 * Story: Azure Arc gives an on-premises server a managed identity. `azcmagent connect` (as root) makes
 * onprem-legacy-01 a Microsoft.HybridCompute/machines resource with a system-assigned identity; its agent
 * (HIMDS) on localhost:40342 answers the first token request with 401 and `WWW-Authenticate: Basic
 * realm=<secret file>`, the file is root-only, and the retry with `Authorization: Basic <secret>` gets the token.
 * Docs: learn.microsoft.com/azure/azure-arc/servers/managed-identity-authentication (reference 2.3),
 * learn.microsoft.com/azure/azure-arc/servers/azcmagent-connect.
 */
import { describe, expect, it } from 'vitest';
import { terminal } from '../shell/terminal.ts';
import { decodeForDisplay } from '../../../src/core/crypto/index.ts';
import { DEFAULT_IDS } from '../../../src/core/azure/default-world.ts';

const CONNECT = `sudo azcmagent connect --resource-group rg-stock --tenant-id ${DEFAULT_IDS.tenantId} --location westeurope --subscription-id ${DEFAULT_IDS.subscriptionId}`;

async function connected() {
	const t = await terminal();
	await t.script(['ssh onprem-legacy-01', CONNECT]);
	return t;
}

describe('azcmagent connect (azcmagent-connect)', () => {
	it('needs root, then gives the machine a system-assigned identity of type Microsoft.HybridCompute/machines', async () => {
		const t = await terminal();
		await t.script(['ssh onprem-legacy-01']);
		const plain = await t.run(CONNECT.replace('sudo ', ''));
		expect(plain.exitCode).toBe(1);
		expect(plain.stderr).toContain('root');
		const ok = await t.run(CONNECT);
		expect(ok.exitCode, ok.stderr).toBe(0);
		const arc = t.world.outsideMachines['onprem-legacy-01']?.arc;
		expect(arc?.resourceId).toBe(
			`/subscriptions/${DEFAULT_IDS.subscriptionId}/resourceGroups/rg-stock/providers/Microsoft.HybridCompute/machines/onprem-legacy-01`
		);
		const sp = t.world.directory.servicePrincipals[arc?.identity.principalId ?? ''];
		expect(sp?.servicePrincipalType).toBe('ManagedIdentity');
		expect(sp?.managedIdentityResourceId).toBe(arc?.resourceId);
		expect(
			ok.events.some((e) => e.kind === 'directoryAudit' && e.activity === 'Add service principal')
		).toBe(true);
	});

	it('the agent sets IDENTITY_ENDPOINT and IMDS_ENDPOINT as documented', async () => {
		const t = await connected();
		const env = await t.run('env');
		expect(env.stdout).toContain(
			'IDENTITY_ENDPOINT=http://localhost:40342/metadata/identity/oauth2/token\n'
		);
		expect(env.stdout).toContain('IMDS_ENDPOINT=http://localhost:40342\n');
	});
});

describe('HIMDS challenge (managed-identity-authentication)', () => {
	it('401 with Basic realm=<file>; the file is root-only; the retry with the secret gets a token', async () => {
		const t = await connected();
		const first = await t.run(
			'curl -s -i -H Metadata:true "$IDENTITY_ENDPOINT?api-version=2019-11-01&resource=https://management.azure.com/"'
		);
		expect(first.stdout).toMatch(/^HTTP\/1\.1 401 Unauthorized/);
		const realm =
			/WWW-Authenticate: Basic realm=(\/var\/opt\/azcmagent\/tokens\/[0-9a-f-]+\.key)/.exec(
				first.stdout
			)?.[1];
		expect(realm).toBeDefined();
		const denied = await t.run(`cat ${realm ?? ''}`);
		expect(denied.exitCode).toBe(1);
		expect(denied.stderr).toContain('Permission denied');
		const secret = await t.run(`sudo cat ${realm ?? ''}`);
		expect(secret.exitCode).toBe(0);
		const token = await t.run(
			`curl -s -H Metadata:true -H "Authorization: Basic ${secret.stdout.trim()}" "$IDENTITY_ENDPOINT?api-version=2019-11-01&resource=https://management.azure.com/"`
		);
		const body = JSON.parse(token.stdout) as Record<string, string>;
		expect(body.token_type).toBe('Bearer');
		expect(body.resource).toBe('https://management.azure.com/');
		const decoded = decodeForDisplay(body.access_token ?? '');
		expect(decoded.ok && decoded.value.payload.xms_mirid).toBe(
			`/subscriptions/${DEFAULT_IDS.subscriptionId}/resourcegroups/rg-stock/providers/Microsoft.HybridCompute/machines/onprem-legacy-01`
		);
	});

	it('without Metadata: true the agent refuses, and before connect nothing listens on 40342', async () => {
		const t = await terminal();
		await t.script(['ssh onprem-legacy-01']);
		const before = await t.run('curl -s http://localhost:40342/metadata/identity/oauth2/token');
		expect(before.exitCode).toBe(7);
		await t.script([CONNECT]);
		const noHeader = await t.run(
			'curl -s "http://localhost:40342/metadata/identity/oauth2/token?api-version=2019-11-01&resource=https://vault.azure.net"'
		);
		expect(noHeader.stdout).toContain('Required metadata header not specified');
	});

	it('az login --identity on the Arc server answers the challenge only as root', async () => {
		const t = await connected();
		await t.script([
			'exit',
			`az role assignment create --assignee-object-id ${t.world.outsideMachines['onprem-legacy-01']?.arc?.identity.principalId ?? ''} --assignee-principal-type ServicePrincipal --role Reader --scope /subscriptions/${DEFAULT_IDS.subscriptionId}/resourceGroups/rg-stock`,
			'az lab clock advance --seconds 600',
			'ssh onprem-legacy-01'
		]);
		const plain = await t.run('az login --identity');
		expect(plain.exitCode).toBe(1);
		expect(plain.stderr).toContain('Permission denied');
		const root = await t.run('sudo az login --identity');
		expect(root.exitCode, root.stderr).toBe(0);
	});
});
