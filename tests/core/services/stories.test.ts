/**
 * The troubleshooting stories end to end in the core: the app on vm-stock-app gets a token from IMDS (the token
 * service signs it), sends it through the simulated network, and the services answer as Azure does.
 */
import { describe, expect, it } from 'vitest';
import type { World } from '../../../src/core/azure/model.ts';
import { getResource } from '../../../src/core/azure/queries.ts';
import { send } from '../../../src/core/network/network.ts';
import type { HttpRequest, NetworkSource, SendResult } from '../../../src/core/http/types.ts';
import { httpDate } from '../../../src/core/services/exchange.ts';
import { signSharedKeyRequest } from '../../../src/core/services/shared-key.ts';
import { requestToken } from '../../../src/core/network/request-token.ts';
import { apply, lab, RG, STORAGE, VAULT, VM } from './service-fixture.ts';
import type { Lab } from './service-fixture.ts';
import { grantRole, propagate, roleAssignment } from '../../fixtures/worlds.ts';

const FROM_VM: NetworkSource = { kind: 'resource', resourceId: VM };
const SECRET = 'https://kv-stock.vault.azure.net/secrets/db-password?api-version=7.5';
const BLOB = 'https://ststockdata.blob.core.windows.net/quotes/today.csv';

/** Asks IMDS on the VM for a token; applies what the exchange recorded. */
async function imdsToken(
	l: Lab,
	world: World,
	resource: string
): Promise<{ world: World; token: string }> {
	const sent = await requestToken(world, l.ring, FROM_VM, { resource });
	if (!sent.ok) throw new Error(sent.failure.message);
	expect(sent.response.status).toBe(200);
	const token = (JSON.parse(sent.response.body) as { access_token: string }).access_token;
	return { world: apply(world, sent.operations), token };
}

async function sendFrom(
	world: World,
	l: Lab,
	request: HttpRequest,
	source = FROM_VM
): Promise<Extract<SendResult, { ok: true }> & { explanation?: string }> {
	const r = await send(world, source, request, { keyRing: l.ring });
	if (!r.ok) throw new Error(r.failure.message);
	return r;
}

function bearer(url: string, token: string, headers: Record<string, string> = {}): HttpRequest {
	return { method: 'GET', url, headers: { Authorization: `Bearer ${token}`, ...headers } };
}

describe('story: the new role that does not work yet', () => {
	it('403 without role, 403 right after the assignment (propagating), 200 once it has propagated', async () => {
		const l = await lab();
		const got = await imdsToken(l, l.world, 'https://vault.azure.net');
		const token = got.token;
		let world = got.world;

		const noRole = await sendFrom(world, l, bearer(SECRET, token));
		expect(noRole.response.status).toBe(403);
		expect(noRole.explanation).toContain('Key Vault Secrets User on key vault kv-stock');
		world = apply(world, noRole.operations);

		world = apply(world, [roleAssignment('Key Vault Secrets User', VAULT, l.principalId)]);
		const pending = await sendFrom(world, l, bearer(SECRET, token));
		expect(pending.response.status).toBe(403);
		expect(pending.explanation).toContain('still propagating');
		expect(pending.explanation).toContain('applies in 5 min');
		expect(pending.hops.find((h) => h.title === 'Authorize (Azure RBAC)')?.detail).toBe(
			pending.explanation
		);

		world = propagate(world);
		const granted = await sendFrom(world, l, bearer(SECRET, token));
		expect(granted.response.status).toBe(200);
		expect((JSON.parse(granted.response.body) as { value: string }).value).toBe(
			'Stock-Db-Pa55!2026'
		);
		world = apply(world, granted.operations);

		const calls = world.events.filter((e) => e.kind === 'serviceCall');
		expect(calls.map((e) => (e.kind === 'serviceCall' ? e.status : 0))).toEqual([403, 200]);
	});
});

describe('story: Reader is not enough for blob data', () => {
	it('Reader on the resource group → 403 with the suggestion; Storage Blob Data Reader on the account → 200', async () => {
		const l = await lab();
		let world = grantRole(l.world, 'Reader', RG, l.principalId);
		const got = await imdsToken(l, world, 'https://storage.azure.com/');
		world = got.world;
		const request = bearer(BLOB, got.token, { 'x-ms-version': '2021-12-02' });

		const reader = await sendFrom(world, l, request);
		expect(reader.response.status).toBe(403);
		expect(reader.response.headers['x-ms-error-code']).toBe('AuthorizationPermissionMismatch');
		expect(reader.explanation).toContain('Storage Blob Data Reader on storage account ststockdata');

		world = grantRole(world, 'Storage Blob Data Reader', STORAGE, l.principalId);
		const dataReader = await sendFrom(world, l, request);
		expect(dataReader.response.status).toBe(200);
		expect(dataReader.response.body).toContain('CTSO,182.40,EUR');
	});
});

describe('story: the secret in the config file', () => {
	it('the leaked account key works from outside Azure, where no managed identity token can be had', async () => {
		const l = await lab();
		const onPrem: NetworkSource = { kind: 'outside', machine: 'onprem-legacy-01' };
		const vm = getResource(l.world, VM);
		const config =
			vm?.kind === 'virtualMachine' ? (vm.files['/etc/stock-app/appsettings.json'] ?? '') : '';
		const key = /AccountKey=([^;]+);/.exec(config)?.[1] ?? '';
		expect(key).not.toBe('');

		const imds = await requestToken(l.world, l.ring, onPrem, {
			resource: 'https://storage.azure.com/'
		});
		expect(imds.ok).toBe(false);

		const signed = await signSharedKeyRequest(
			{ method: 'GET', url: BLOB, headers: { 'x-ms-version': '2021-12-02' } },
			'ststockdata',
			key,
			httpDate(l.world.now)
		);
		if (signed === null) throw new Error('the key in the config does not decode');
		const leaked = await sendFrom(l.world, l, signed, onPrem);
		expect(leaked.response.status).toBe(200);
		const world = apply(l.world, leaked.operations);
		const event = world.events.find((e) => e.kind === 'serviceCall');
		expect(event).toMatchObject({
			authMethod: 'sharedKey',
			principalId: null,
			source: 'onprem-legacy-01',
			status: 200
		});
	});
});
