import { describe, expect, it } from 'vitest';
import { terminal } from '../shell/terminal.ts';

// Reference 2.4 (msal-node CloudShell source): Cloud Shell sets MSI_ENDPOINT only; clients POST to it with
// `Metadata: true` and a form body `resource=<uri>`, and get a token for the signed-in user.
describe('Cloud Shell MSI_ENDPOINT', () => {
	it('sets MSI_ENDPOINT and answers POST with Metadata: true and a form body with a user token', async () => {
		const t = await terminal();
		expect((await t.run('echo $MSI_ENDPOINT')).stdout).toBe(
			'http://localhost:50342/oauth2/token\n'
		);
		const result = await t.run(
			'curl -s -X POST -H "Metadata: true" -d "resource=https://management.azure.com/" $MSI_ENDPOINT'
		);
		const body = JSON.parse(result.stdout) as Record<string, string>;
		expect(Object.keys(body)).toEqual([
			'access_token',
			'refresh_token',
			'expires_in',
			'expires_on',
			'not_before',
			'resource',
			'token_type'
		]);
		expect(body.resource).toBe('https://management.azure.com/');
		const decoded = await t.run(`jwt decode ${body.access_token ?? ''}`);
		expect(decoded.stdout).toContain('"upn": "sarah@contoso.onmicrosoft.com"');
		expect(decoded.stdout).toContain('"aud": "https://management.azure.com/"');
	});

	it('refuses a request without Metadata: true, and a GET', async () => {
		const t = await terminal();
		const noHeader = await t.run(
			'curl -s -X POST -d "resource=https://vault.azure.net" $MSI_ENDPOINT'
		);
		expect(JSON.parse(noHeader.stdout)).toEqual({
			error: 'invalid_request',
			error_description: 'Required metadata header not specified'
		});
		const get = await t.run('curl -s -H "Metadata: true" $MSI_ENDPOINT');
		expect(JSON.parse(get.stdout)).toMatchObject({ error: 'method_not_allowed' });
	});
});
