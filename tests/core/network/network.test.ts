import { beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../../../src/core/azure/model.ts';
import { send } from '../../../src/core/network/network.ts';
import type {
	HttpRequest,
	NetworkEnv,
	NetworkSource,
	SendResult
} from '../../../src/core/http/types.ts';
import { APP_SERVICE_IDENTITY_ENDPOINT } from '../../../src/core/token/app-service.ts';
import { VM, WEB, enableSystem, host, idOf, keyedWorld } from '../token/scenario.ts';

const IMDS_TOKEN =
	'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net';
const FROM_VM: NetworkSource = { kind: 'resource', resourceId: VM };
const FROM_WEB: NetworkSource = { kind: 'resource', resourceId: WEB };
const ONPREM: NetworkSource = { kind: 'outside', machine: 'onprem-legacy-01' };
const CLOUD_SHELL: NetworkSource = { kind: 'cloudShell' };

let world: World;
let env: NetworkEnv;

beforeAll(async () => {
	const lab = await keyedWorld();
	world = enableSystem(enableSystem(lab.world, VM), WEB);
	env = { keyRing: lab.ring };
});

function imds(headers: Record<string, string> = { Metadata: 'true' }): HttpRequest {
	return { method: 'GET', url: IMDS_TOKEN, headers };
}

function appService(): HttpRequest {
	const site = host(world, WEB);
	return {
		method: 'GET',
		url: `${APP_SERVICE_IDENTITY_ENDPOINT}?resource=https://vault.azure.net&api-version=2019-08-01`,
		headers: { 'X-IDENTITY-HEADER': site.kind === 'webApp' ? site.identityHeader : '' }
	};
}

function failureOf(result: SendResult) {
	if (result.ok)
		throw new Error(`expected a transport failure, got HTTP ${result.response.status}`);
	return result.failure;
}

describe('reachability of the identity endpoints', () => {
	it('a VM reaches its own IMDS and gets a token for its own identity', async () => {
		const result = await send(world, FROM_VM, imds(), env);
		if (!result.ok) throw new Error(result.failure.message);
		expect(result.response.status).toBe(200);
		const answer = JSON.parse(result.response.body) as Record<string, string>;
		expect(answer.client_id).toBe(host(world, VM).identity.systemAssigned?.clientId);
		expect(result.hops[0]).toMatchObject({ from: 'app', to: 'identityEndpoint' });
	});

	it("another VM reaches its own IMDS, not vm-stock-app's", async () => {
		const other = idOf('virtualMachine', 'vm-stock-web-1');
		const result = await send(world, { kind: 'resource', resourceId: other }, imds(), env);
		if (!result.ok) throw new Error(result.failure.message);
		expect(result.response.status).toBe(400);
		expect(JSON.parse(result.response.body)).toEqual({
			error: 'invalid_request',
			error_description: 'Identity not found'
		});
		expect(result.hops.at(-1)?.detail).toContain('vm-stock-web-1 has no managed identity');
	});

	it("the on-premises server and Cloud Shell get curl's time-out for 169.254.169.254", async () => {
		for (const source of [ONPREM, CLOUD_SHELL]) {
			const failure = failureOf(await send(world, source, imds(), env));
			expect(failure.kind).toBe('timeout');
			expect(failure.message).toMatch(/^curl: \(28\)/);
			expect(failure.explanation.length).toBeGreaterThan(20);
		}
		expect(failureOf(await send(world, ONPREM, imds(), env)).explanation).toContain(
			'outside Azure'
		);
	});

	it('a web app reaches localhost:4141; a VM gets connection refused there', async () => {
		const fromWeb = await send(world, FROM_WEB, appService(), env);
		if (!fromWeb.ok) throw new Error(fromWeb.failure.message);
		expect(fromWeb.response.status).toBe(200);
		expect(fromWeb.operations).toMatchObject([
			{ type: 'recordToken', endpoint: 'appService', hostId: WEB }
		]);
		const fromVm = failureOf(await send(world, FROM_VM, appService(), env));
		expect(fromVm.kind).toBe('refused');
		expect(fromVm.message).toMatch(/^curl: \(7\)/);
	});

	it('a web app has no IMDS: the request times out', async () => {
		const failure = failureOf(await send(world, FROM_WEB, imds(), env));
		expect(failure.kind).toBe('timeout');
		expect(failure.explanation).toContain('IDENTITY_ENDPOINT');
	});

	it("anyone reaches Entra ID's public documents, but no one mints a managed identity token there", async () => {
		const config = await send(
			world,
			ONPREM,
			{
				method: 'GET',
				url: `https://login.microsoftonline.com/${world.tenant.tenantId}/v2.0/.well-known/openid-configuration`,
				headers: {}
			},
			env
		);
		expect(config.ok && config.response.status).toBe(200);
		const clientId = host(world, VM).identity.systemAssigned?.clientId ?? '';
		const mint = await send(
			world,
			ONPREM,
			{
				method: 'POST',
				url: `https://login.microsoftonline.com/${world.tenant.tenantId}/oauth2/v2.0/token`,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: `grant_type=client_credentials&client_id=${clientId}&scope=https%3A%2F%2Fvault.azure.net%2F.default`
			},
			env
		);
		if (!mint.ok) throw new Error(mint.failure.message);
		expect(mint.response.status).toBe(401);
		expect(JSON.parse(mint.response.body)).toMatchObject({
			error: 'invalid_client',
			error_codes: [7000216]
		});
	});
});

describe('explanations of refusals', () => {
	it('explains a refusal with the detail of the hop that failed when the handler gave none', async () => {
		const result = await send(world, FROM_VM, imds({}), env);
		if (!result.ok) throw new Error('expected an HTTP answer');
		expect(result.response.status).toBe(400);
		const failed = result.hops.find((h) => !h.ok);
		expect(failed).toBeDefined();
		expect(result.explanation).toBe(failed?.detail);
		expect(result.explanation).toMatch(/Metadata/);
	});

	it('gives no explanation to a success', async () => {
		const result = await send(world, FROM_VM, imds(), env);
		if (!result.ok) throw new Error('expected an HTTP answer');
		expect(result.response.status).toBe(200);
		expect(result.explanation).toBeUndefined();
	});
});
