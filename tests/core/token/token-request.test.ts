import { beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../../../src/core/azure/model.ts';
import { buildTokenRequest } from '../../../src/core/token/token-request.ts';
import { VM, WEB, enableSystem, host, keyedWorld } from './scenario.ts';

let base: World;

beforeAll(async () => {
	({ world: base } = await keyedWorld());
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
