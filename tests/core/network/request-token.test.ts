import { beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../../../src/core/azure/model.ts';
import type { KeyRing } from '../../../src/core/token/key-ring.ts';
import { requestToken } from '../../../src/core/network/request-token.ts';
import { VM, WEB, apply, assign, createUami, enableSystem, keyedWorld } from '../token/scenario.ts';

let base: World;
let ring: KeyRing;

beforeAll(async () => {
	({ world: base, ring } = await keyedWorld());
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
