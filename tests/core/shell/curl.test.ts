import { describe, expect, it } from 'vitest';
import { buildRequest, parseCurlArgs } from '../../../src/core/shell/curl.ts';
import { snapshot, terminal } from './terminal.ts';

const IMDS =
	"'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net'";

async function onVm(identity = true) {
	const t = await terminal();
	if (identity) await t.run('az vm identity assign -g rg-stock -n vm-stock-app -o none');
	await t.run('ssh vm-stock-app');
	return t;
}

describe('curl options', () => {
	it('reads grouped short options, repeated headers, data and the URL', () => {
		const parsed = parseCurlArgs([
			'-sSi',
			'-H',
			'Metadata:true',
			'-HX-A: b',
			'-X',
			'POST',
			'-d',
			'a=1',
			'--data-urlencode',
			'r=https://x y',
			'host/path'
		]);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.options).toMatchObject({
			silent: true,
			showError: true,
			include: true,
			method: 'POST',
			url: 'host/path'
		});
		expect(parsed.options.headers).toEqual([
			['Metadata', 'true'],
			['X-A', 'b']
		]);
		const built = buildRequest(parsed.options);
		expect(built.ok && built.request).toEqual({
			method: 'POST',
			url: 'http://host/path',
			headers: {
				'User-Agent': 'curl/7.81.0',
				Accept: '*/*',
				'Content-Type': 'application/x-www-form-urlencoded',
				Metadata: 'true',
				'X-A': 'b'
			},
			body: 'a=1&r=https%3A%2F%2Fx%20y'
		});
	});

	it('puts -d data in the query with -G', () => {
		const parsed = parseCurlArgs([
			'-G',
			'--data-urlencode',
			'resource=https://vault.azure.net',
			'http://h/p?x=1'
		]);
		const built = parsed.ok ? buildRequest(parsed.options) : null;
		expect(built?.ok && built.request.url).toBe(
			'http://h/p?x=1&resource=https%3A%2F%2Fvault.azure.net'
		);
		expect(built?.ok && built.request.method).toBe('GET');
	});

	it('refuses unknown options, a missing parameter and a second URL', async () => {
		const t = await terminal();
		const unknown = await t.run('curl --frobnicate http://x');
		expect(unknown.exitCode).toBe(2);
		expect(unknown.stderr).toBe(
			"curl: option --frobnicate: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"
		);
		expect((await t.run('curl -H')).stderr).toContain('option -H: requires parameter');
		expect((await t.run('curl')).stderr).toContain('curl: no URL specified!');
		expect((await t.run('curl a b')).exitCode).toBe(2);
		expect((await t.run('curl --help')).stdout).toContain('Usage: curl');
	});
});

describe('curl against IMDS', () => {
	it('is refused without the Metadata header', async () => {
		const t = await onVm();
		const result = await t.run(`curl -s ${IMDS}`);
		expect(result.exitCode).toBe(0);
		expect(JSON.parse(result.stdout)).toEqual({
			error: 'invalid_request',
			error_description: 'Required metadata header not specified'
		});
	});

	it('returns a token response with the header, recorded as a token event and hops', async () => {
		const t = await onVm();
		const result = await t.run(`curl -s -H Metadata:true ${IMDS}`);
		const body = JSON.parse(result.stdout) as Record<string, string>;
		expect(body).toMatchObject({ resource: 'https://vault.azure.net', token_type: 'Bearer' });
		expect(body.access_token).toMatch(/^eyJ/);
		expect(result.events.some((e) => e.kind === 'token')).toBe(true);
		expect(result.hops.length).toBeGreaterThan(0);
	});

	it('prints the status line and headers with -i, the exchange with -v', async () => {
		const t = await onVm();
		const included = await t.run(`curl -si -H Metadata:true ${IMDS}`);
		expect(included.stdout).toMatch(/^HTTP\/1\.1 200 OK\n[\s\S]*\n\n\{"access_token"/);
		const verbose = await t.run(`curl -sv ${IMDS}`);
		expect(verbose.stderr).toContain(
			'> GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net HTTP/1.1'
		);
		expect(verbose.stderr).toContain('> Host: 169.254.169.254');
		expect(verbose.stderr).toMatch(/< HTTP\/1\.1 400 /);
		expect(verbose.stdout).toContain('Required metadata header not specified');
	});

	it('fails with -f and reports the code with -w', async () => {
		const t = await onVm();
		const failed = await t.run(`curl -sSf ${IMDS}`);
		expect(failed.exitCode).toBe(22);
		expect(failed.stdout).toBe('');
		expect(failed.stderr).toContain('curl: (22) The requested URL returned error: 400');
		const code = await t.run(`curl -s -o /dev/null -w '%{http_code}\\n' ${IMDS}`);
		expect(code.stdout).toBe('400\n');
	});

	it('times out from Cloud Shell and from the on-premises server (exit 28), saying why', async () => {
		const t = await terminal();
		const fromShell = await t.run(`curl -H Metadata:true ${IMDS}`);
		expect(fromShell.exitCode).toBe(28);
		expect(fromShell.stderr).toMatch(
			/^curl: \(28\) Failed to connect to 169\.254\.169\.254 port 80/
		);
		await t.run('ssh onprem-legacy-01');
		const before = snapshot(t.world);
		const outside = await t.run(`curl -s -H Metadata:true ${IMDS}`);
		expect(outside.exitCode).toBe(28);
		expect(outside.stderr).not.toContain('curl: (28)');
		expect(outside.stderr).toContain('# onprem-legacy-01 is outside Azure');
		// Only the record of the unanswered request changes: no token, no cache entry.
		expect(snapshot({ ...outside.world, events: t.world.events.slice(0, -1) })).toBe(before);
		expect(outside.world.events.at(-1)).toMatchObject({
			kind: 'serviceCall',
			service: 'imds',
			status: 0,
			errorCode: 'timeout',
			source: 'onprem-legacy-01'
		});
	});

	it('cannot resolve unknown hosts (exit 6) and rejects bad URLs (exit 3)', async () => {
		const t = await terminal();
		const unknown = await t.run('curl https://nope.example.org/');
		expect(unknown.exitCode).toBe(6);
		expect(unknown.stderr).toContain('curl: (6) Could not resolve host: nope.example.org');
		expect((await t.run("curl 'http://[bad'")).exitCode).toBe(3);
	});
});

describe('curl against the App Service identity endpoint', () => {
	it('gets a token with X-IDENTITY-HEADER from the console', async () => {
		const t = await terminal();
		await t.script([
			'az webapp identity assign -g rg-stock -n app-stock-web -o none',
			'console app-stock-web'
		]);
		const result = await t.run(
			'curl -s -H "X-IDENTITY-HEADER: $IDENTITY_HEADER" "$IDENTITY_ENDPOINT?resource=https://vault.azure.net&api-version=2019-08-01" | jq -r .token_type'
		);
		expect(result.stdout).toBe('Bearer\n');
		expect(result.events.some((e) => e.kind === 'token' && e.endpoint === 'appService')).toBe(true);
	});
});
