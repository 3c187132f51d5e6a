import { beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../../../src/core/azure/model.ts';
import type { KeyRing } from '../../../src/core/token/key-ring.ts';
import { buildTokenRequest, requestToken } from '../../../src/core/token/token-request.ts';
import { VM, WEB, apply, assign, createUami, enableSystem, host, keyedWorld } from './scenario.ts';

let base: World;
let ring: KeyRing;

beforeAll(async () => {
	({ world: base, ring } = await keyedWorld());
});

describe('buildTokenRequest', () => {
	it('a VM asks IMDS with Metadata: true and the IMDS selector names', () => {
		const request = buildTokenRequest(
			base,
			{ kind: 'resource', resourceId: VM },
			{ resource: 'https://vault.azure.net', objectId: 'o1' }
		);
		expect(request).toEqual({
			method: 'GET',
			url: 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&object_id=o1',
			headers: { Metadata: 'true' }
		});
		const byResource = buildTokenRequest(
			base,
			{ kind: 'resource', resourceId: VM },
			{ resource: 'https://vault.azure.net', resourceId: '/x' }
		);
		expect(new URL(byResource.url).searchParams.get('msi_res_id')).toBe('/x');
	});

	it('a web app with an identity asks IDENTITY_ENDPOINT with X-IDENTITY-HEADER and the App Service selector names', () => {
		const world = enableSystem(base, WEB);
		const site = host(world, WEB);
		const request = buildTokenRequest(
			world,
			{ kind: 'resource', resourceId: WEB },
			{ resource: 'https://vault.azure.net', objectId: 'o1', resourceId: '/x' }
		);
		expect(request.url).toBe(
			'http://localhost:4141/MSI/token?api-version=2019-08-01&resource=https%3A%2F%2Fvault.azure.net&principal_id=o1&mi_res_id=%2Fx'
		);
		expect(request.headers).toEqual({
			'X-IDENTITY-HEADER': site.kind === 'webApp' ? site.identityHeader : ''
		});
	});

	it('without IDENTITY_ENDPOINT (a site with no identity, a machine outside Azure) the SDK falls back to IMDS', () => {
		for (const source of [
			{ kind: 'resource', resourceId: WEB } as const,
			{ kind: 'outside', machine: 'onprem-legacy-01' } as const,
			{ kind: 'cloudShell' } as const
		]) {
			expect(buildTokenRequest(base, source, { resource: 'https://vault.azure.net' }).url).toMatch(
				/^http:\/\/169\.254\.169\.254\//
			);
		}
	});
});

describe('requestToken', () => {
	it('gets a token on a VM, for the user-assigned identity named by client id', async () => {
		const { world: w, uami } = createUami(enableSystem(base, VM), 'id-stock');
		const world = assign(w, VM, uami.id);
		const result = await requestToken(
			world,
			ring,
			{ kind: 'resource', resourceId: VM },
			{ resource: 'https://storage.azure.com/', clientId: uami.clientId }
		);
		if (!result.ok) throw new Error(result.failure.message);
		expect(JSON.parse(result.response.body)).toMatchObject({
			client_id: uami.clientId,
			resource: 'https://storage.azure.com/'
		});
		const recorded = apply(world, result.operations);
		expect(recorded.events.at(-1)).toMatchObject({
			kind: 'token',
			principalId: uami.principalId,
			endpoint: 'imds'
		});
	});

	it('gets a token in a web app through the App Service endpoint', async () => {
		const world = enableSystem(base, WEB);
		const result = await requestToken(
			world,
			ring,
			{ kind: 'resource', resourceId: WEB },
			{ resource: 'https://vault.azure.net' }
		);
		if (!result.ok) throw new Error(result.failure.message);
		expect(result.response.status).toBe(200);
		expect(result.operations).toMatchObject([{ type: 'recordToken', endpoint: 'appService' }]);
	});

	it('times out on the on-premises server', async () => {
		const result = await requestToken(
			base,
			ring,
			{ kind: 'outside', machine: 'onprem-legacy-01' },
			{ resource: 'https://vault.azure.net' }
		);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.failure.kind).toBe('timeout');
	});
});
