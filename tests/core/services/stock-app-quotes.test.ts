/**
 * The stock app's /api/quotes route reads quotes/today.csv the way its configuration says: with the account key
 * of its connection string (until the key is rotated: 403 AuthenticationFailed, reference 6.1) or with a token
 * from its managed identity's endpoint.
 */
import { describe, expect, it } from 'vitest';
import { terminal } from '../shell/terminal.ts';
import {
	parseConnectionString,
	quotesConfig
} from '../../../src/core/services/stock-app-quotes.ts';
import type { ServiceCallEvent } from '../../../src/core/azure/events.ts';
import type { IdentityHost } from '../../../src/core/azure/model.ts';

const APP = 'http://vm-stock-app.westeurope.cloudapp.azure.com';
const WEB = 'https://app-stock-web.azurewebsites.net';
const MI_CONFIG =
	'echo \'{"KeyVaultUri": "https://kv-stock.vault.azure.net/", "QuotesBlobUri": "https://ststockdata.blob.core.windows.net/quotes"}\' | sudo tee /etc/stock-app/appsettings.json';

function lastCall(events: readonly { kind: string }[]): ServiceCallEvent | undefined {
	return events.filter((e): e is ServiceCallEvent => e.kind === 'serviceCall').at(-1);
}

describe('connection strings', () => {
	it('keep base64 padding in values and ignore empty parts', () => {
		expect(
			parseConnectionString('DefaultEndpointsProtocol=https;AccountName=st;AccountKey=abc==;')
		).toEqual({ defaultendpointsprotocol: 'https', accountname: 'st', accountkey: 'abc==' });
	});
});

describe('/api/quotes with the connection string of the default world', () => {
	it('reads the blob with Shared Key from the VM, until the key is rotated', async () => {
		const t = await terminal();
		const ok = await t.run(`curl -s ${APP}/api/quotes`);
		expect(ok.stdout).toContain('CTSO,182.40,EUR');
		const vm = Object.values(t.world.resources).find((r) => r.name === 'vm-stock-app');
		expect(lastCall(t.world.events)).toMatchObject({
			service: 'storage',
			operation: 'getBlob',
			status: 200,
			authMethod: 'sharedKey',
			source: vm?.id
		});
		await t.run('az storage account keys renew -g rg-stock -n ststockdata --key primary -o none');
		const broken = await t.run(`curl -s -i ${APP}/api/quotes`);
		expect(broken.stdout).toMatch(/^HTTP\/1\.1 500/);
		expect(broken.stdout).toContain('Storage answered 403 AuthenticationFailed');
		expect(broken.stderr).toContain('the key was rotated');
		expect(lastCall(t.world.events)).toMatchObject({
			status: 403,
			errorCode: 'AuthenticationFailed',
			authMethod: 'sharedKey'
		});
	});

	it('rotating the secondary key does not break it', async () => {
		const t = await terminal();
		await t.run('az storage account keys renew -n ststockdata --key secondary -o none');
		expect((await t.run(`curl -s ${APP}/api/quotes`)).stdout).toContain('CTSO');
	});
});

describe('/api/quotes with a managed identity', () => {
	it('gets a token from IMDS and reads with it once the identity has Storage Blob Data Reader', async () => {
		const t = await terminal();
		await t.script([
			'az vm identity assign -g rg-stock -n vm-stock-app -o none',
			'ssh vm-stock-app',
			MI_CONFIG,
			'exit'
		]);
		const denied = await t.run(`curl -s -i ${APP}/api/quotes`);
		expect(denied.stdout).toMatch(/^HTTP\/1\.1 500/);
		expect(denied.stdout).toContain('403 AuthorizationPermissionMismatch');
		await t.script([
			'az role assignment create --assignee $(az vm identity show -g rg-stock -n vm-stock-app --query principalId -o tsv) --role "Storage Blob Data Reader" --scope $(az storage account show -n ststockdata --query id -o tsv) -o none',
			'clock +5m'
		]);
		const read = await t.run(`curl -s ${APP}/api/quotes`);
		expect(read.stdout).toContain('CTSO,182.40,EUR');
		const vm = Object.values(t.world.resources).find((r) => r.name === 'vm-stock-app');
		expect(lastCall(t.world.events)).toMatchObject({
			service: 'storage',
			status: 200,
			authMethod: 'bearer',
			principalId: vm?.kind === 'virtualMachine' ? vm.identity.systemAssigned?.principalId : '?'
		});
		expect(
			t.world.events.some((e) => e.kind === 'token' && e.resource === 'https://storage.azure.com/')
		).toBe(true);
		// Key rotation no longer matters.
		await t.run('az storage account keys renew -n ststockdata --key primary -o none');
		expect((await t.run(`curl -s ${APP}/api/quotes`)).stdout).toContain('CTSO');
	});

	it('says why without an identity, and when nothing is configured', async () => {
		const t = await terminal();
		await t.script(['ssh vm-stock-app', MI_CONFIG, 'exit']);
		const none = await t.run(`curl -s ${APP}/api/quotes`);
		expect(none.stdout).toContain('Could not get a token for Storage: 400 invalid_request');
		expect(none.stderr).toContain('the identity endpoint gave no token');
		await t.script([
			'ssh vm-stock-app',
			"echo '{}' | sudo tee /etc/stock-app/appsettings.json",
			'exit'
		]);
		const empty = await t.run(`curl -s ${APP}/api/quotes`);
		expect(empty.stdout).toContain('not configured');
		expect(empty.stderr).toContain('Neither ConnectionStrings:QuotesStorage nor QuotesBlobUri');
	});

	it('on a web app, reads its app settings and uses the App Service identity endpoint', async () => {
		const t = await terminal();
		await t.script([
			'az webapp identity assign -g rg-stock -n app-stock-web -o none',
			'az webapp config appsettings set -g rg-stock -n app-stock-web --settings QuotesBlobUri=https://ststockdata.blob.core.windows.net/quotes -o none',
			'az role assignment create --assignee $(az webapp identity show -g rg-stock -n app-stock-web --query principalId -o tsv) --role "Storage Blob Data Reader" --scope $(az storage account show -n ststockdata --query id -o tsv) -o none',
			'clock +5m'
		]);
		const site = Object.values(t.world.resources).find((r) => r.name === 'app-stock-web');
		expect(quotesConfig(site as IdentityHost)).toMatchObject({ kind: 'identity', clientId: null });
		expect((await t.run(`curl -s ${WEB}/api/quotes`)).stdout).toContain('CTSO');
		expect(t.world.events.some((e) => e.kind === 'token' && e.endpoint === 'appService')).toBe(
			true
		);
	});
});
