/** The stock app's link-preview route: a server-side request forgery that reaches IMDS but lacks its header. */
import { describe, expect, it } from 'vitest';
import { terminal } from '../shell/terminal.ts';

const APP = 'http://vm-stock-app.westeurope.cloudapp.azure.com';
const IMDS =
	'http%3A%2F%2F169.254.169.254%2Fmetadata%2Fidentity%2Foauth2%2Ftoken%3Fapi-version%3D2018-02-01%26resource%3Dhttps%3A%2F%2Fvault.azure.net';

describe('the stock app on vm-stock-app', () => {
	it('serves its home page from Cloud Shell and the on-premises server', async () => {
		const t = await terminal();
		const home = await t.run(`curl -s ${APP}/`);
		expect(home.stdout).toContain('Contoso stock tracker');
	});

	it('fetches a URL server-side: IMDS answers, and refuses for want of the Metadata header', async () => {
		const t = await terminal();
		await t.script(['az vm identity assign -g rg-stock -n vm-stock-app -o none']);
		const forged = await t.run(`curl -s -i "${APP}/api/preview?url=${IMDS}"`);
		expect(forged.stdout).toMatch(/^HTTP\/1\.1 400/);
		expect(forged.stdout).toContain('Required metadata header not specified');
		expect(forged.stderr).toContain('Server-side request forgery');
		expect(t.world.events.some((e) => e.kind === 'token')).toBe(false);
	});

	it('previews an ordinary link through the same route (the blob the app reads)', async () => {
		const t = await terminal();
		const blob = encodeURIComponent('https://ststockdata.blob.core.windows.net/quotes/today.csv');
		const r = await t.run(`curl -s -i "${APP}/api/preview?url=${blob}"`);
		expect(r.stdout).toMatch(/^HTTP\/1\.1 40[19]/);
	});

	it('on a web app, IMDS is not reachable at all: the preview times out (502)', async () => {
		const t = await terminal();
		const r = await t.run(
			`curl -s -i "https://app-stock-web.azurewebsites.net/api/preview?url=${IMDS}"`
		);
		expect(r.stdout).toMatch(/^HTTP\/1\.1 502/);
		expect(r.stdout).toContain('Could not fetch');
	});

	it('says what is wrong with a request that has no url, and has no other routes', async () => {
		const t = await terminal();
		expect((await t.run(`curl -s -i ${APP}/api/preview`)).stdout).toMatch(/^HTTP\/1\.1 400/);
		expect((await t.run(`curl -s -i ${APP}/admin`)).stdout).toMatch(/^HTTP\/1\.1 404/);
		const other = await t.run('curl -s http://vm-stock-web-1.westeurope.cloudapp.azure.com/');
		expect(other.exitCode).not.toBe(0);
	});
});
