import { beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../../../src/core/azure/model.ts';
import { DEFAULT_GROUP } from '../../../src/core/azure/default-world.ts';
import { tokenCacheKey } from '../../../src/core/azure/operations/system.ts';
import { getResource } from '../../../src/core/azure/queries.ts';
import { decodeForDisplay } from '../../../src/core/crypto/index.ts';
import type { HandlerResult, NetworkSource } from '../../../src/core/http/types.ts';
import type { KeyRing } from '../../../src/core/token/key-ring.ts';
import {
	IMDS_API_VERSIONS,
	IMDS_NEWEST_VERSIONS,
	handleImds
} from '../../../src/core/token/imds.ts';
import { TOKEN_REFRESH_BEFORE_EXPIRY_SECONDS } from '../../../src/core/token/serve-token.ts';
import {
	START,
	VM,
	advance,
	apply,
	assign,
	body,
	call,
	context,
	createUami,
	enableSystem,
	get,
	host,
	idOf,
	keyedWorld
} from './scenario.ts';

const TOKEN = 'http://169.254.169.254/metadata/identity/oauth2/token';
const VAULT = 'https://vault.azure.net';
const META = { Metadata: 'true' };
const FROM_VM: NetworkSource = { kind: 'resource', resourceId: VM };

let base: World;
let ring: KeyRing;

beforeAll(async () => {
	({ world: base, ring } = await keyedWorld());
});

function imds(
	world: World,
	query: string,
	headers: Record<string, string> = META,
	source = FROM_VM,
	path = TOKEN
): Promise<HandlerResult> {
	return call(
		handleImds,
		context(world, ring, source),
		get(`${path}${query ? `?${query}` : ''}`, headers)
	);
}

function tokenQuery(extra = '', resource = VAULT): string {
	return `api-version=2018-02-01&resource=${encodeURIComponent(resource)}${extra}`;
}

/** Applies the operations a handler returned. */
function after(world: World, result: HandlerResult): World {
	return apply(world, result.operations);
}

function lastHop(result: HandlerResult) {
	const hop = result.hops[result.hops.length - 1];
	if (!hop) throw new Error('no hops');
	return hop;
}

function expectRefusal(
	result: HandlerResult,
	status: number,
	expected: Record<string, unknown>
): void {
	expect(result.response.status).toBe(status);
	expect(body(result)).toEqual(expected);
	expect(result.operations).toEqual([]);
	expect(lastHop(result).ok).toBe(false);
	expect(lastHop(result).detail.length).toBeGreaterThan(20);
}

function payloadOf(result: HandlerResult): Record<string, unknown> {
	const decoded = decodeForDisplay(String(body(result).access_token));
	if (!decoded.ok) throw new Error(decoded.error.message);
	return decoded.value.payload;
}

/** vm-stock-app with a system-assigned identity and two user-assigned ones. */
function withThree(world: World) {
	let w = enableSystem(world, VM);
	const a = createUami(w, 'id-stock-reader');
	const b = createUami(a.world, 'id-stock-writer');
	w = assign(assign(b.world, VM, a.uami.id), VM, b.uami.id);
	return { world: w, a: a.uami, b: b.uami, system: host(w, VM).identity.systemAssigned };
}

describe('IMDS token endpoint: request checks (reference 1.1, 1.4)', () => {
	it('answers only GET (405 otherwise)', async () => {
		const world = enableSystem(base, VM);
		const result = await call(handleImds, context(world, ring, FROM_VM), {
			method: 'POST',
			url: `${TOKEN}?${tokenQuery()}`,
			headers: META
		});
		expectRefusal(result, 405, {
			error: 'method_not_allowed',
			error_description: "The request method 'POST' is not allowed. Use GET."
		});
	});

	it('requires the Metadata: true header, missing or wrong', async () => {
		const world = enableSystem(base, VM);
		const expected = {
			error: 'invalid_request',
			error_description: 'Required metadata header not specified'
		};
		const missing = await imds(world, tokenQuery(), {});
		expectRefusal(missing, 400, expected);
		expect(lastHop(missing).detail).toContain("-H 'Metadata: true'");
		const wrong = await imds(world, tokenQuery(), { Metadata: 'True' });
		expectRefusal(wrong, 400, expected);
		expect(lastHop(wrong).detail).toContain("'True'");
		const lowerName = await imds(world, tokenQuery(), { metadata: 'true' });
		expect(lowerName.response.status).toBe(200);
	});

	it('answers the SDK probe (no query, no header) with 400, which tells the SDK IMDS is there', async () => {
		const probe = await imds(base, '', { Accept: 'application/json' });
		expect(probe.response.status).toBe(400);
	});

	it('rejects any request carrying X-Forwarded-For', async () => {
		const world = enableSystem(base, VM);
		const result = await imds(world, tokenQuery(), { ...META, 'X-Forwarded-For': '203.0.113.7' });
		expectRefusal(result, 400, {
			error: 'invalid_request',
			error_description:
				'Request contains X-Forwarded-For header. Requests through a proxy are not allowed.'
		});
	});

	it('requires api-version, 2018-02-01 or later, and a known one', async () => {
		const world = enableSystem(base, VM);
		const missing = await imds(world, `resource=${VAULT}`);
		expectRefusal(missing, 400, {
			error: 'invalid_request',
			error_description:
				'The api-version query parameter is required. Use api-version=2018-02-01 or later.'
		});
		const old = await imds(world, `api-version=2017-12-01&resource=${VAULT}`);
		expectRefusal(old, 400, {
			error: 'invalid_request',
			error_description:
				"Invalid api-version '2017-12-01'. The identity endpoint supports 2018-02-01 and later versions.",
			'newest-versions': ['2023-07-01', '2021-12-13', '2021-11-15']
		});
		const unknown = await imds(world, `api-version=2019-01-01&resource=${VAULT}`);
		expect(unknown.response.status).toBe(400);
		expect(body(unknown)['newest-versions']).toEqual(IMDS_NEWEST_VERSIONS);
		for (const version of ['2018-02-01', '2019-08-01', '2021-12-13', '2023-07-01']) {
			expect((await imds(world, `api-version=${version}&resource=${VAULT}`)).response.status).toBe(
				200
			);
		}
	});

	it('requires resource', async () => {
		const world = enableSystem(base, VM);
		const result = await imds(world, 'api-version=2018-02-01');
		expectRefusal(result, 400, {
			error: 'invalid_request',
			error_description: "Required query variable 'resource' is missing"
		});
		expect(lastHop(result).detail).toContain('resource=https://vault.azure.net');
	});

	it('rejects a parameter given twice', async () => {
		const world = enableSystem(base, VM);
		const result = await imds(world, `${tokenQuery()}&resource=https://storage.azure.com/`);
		expectRefusal(result, 400, {
			error: 'invalid_request',
			error_description: "Query parameter 'resource' is specified more than once."
		});
	});

	it("relays Entra ID's invalid_resource for an unknown resource, ending the sequence at Entra ID", async () => {
		const world = enableSystem(base, VM);
		const result = await imds(world, tokenQuery('', 'https://vault.azure.net/.default'));
		expect(result.response.status).toBe(400);
		const b = body(result);
		expect(b.error).toBe('invalid_resource');
		expect(String(b.error_description)).toMatch(
			/^AADSTS50001: The application named https:\/\/vault\.azure\.net\/\.default was not found in the tenant named c0a7e5f0-1d2b-4c3a-9e8f-00000c0a7050\./
		);
		expect(result.operations).toEqual([]);
		expect(result.hops.map((h) => [h.id, h.ok])).toEqual([
			['imds-request', true],
			['entra-request', true],
			['entra-response', false]
		]);
		expect(lastHop(result).detail).toContain('resource=https://vault.azure.net.');
	});
});

describe('IMDS token endpoint: which identity (reference 1.2)', () => {
	it('no identity at all → 400 Identity not found, with the command that fixes it', async () => {
		const result = await imds(base, tokenQuery());
		expectRefusal(result, 400, {
			error: 'invalid_request',
			error_description: 'Identity not found'
		});
		expect(lastHop(result).detail).toBe(
			'vm-stock-app has no managed identity: turn on its system-assigned identity (az vm identity assign -g rg-stock -n vm-stock-app) or assign a user-assigned one (az vm identity assign -g rg-stock -n vm-stock-app --identities <identity resource id>).'
		);
	});

	it('system-assigned only → the system-assigned identity', async () => {
		const world = enableSystem(base, VM);
		const system = host(world, VM).identity.systemAssigned;
		const result = await imds(world, tokenQuery());
		expect(result.response.status).toBe(200);
		expect(body(result).client_id).toBe(system?.clientId);
		expect(payloadOf(result).oid).toBe(system?.principalId);
	});

	it('exactly one user-assigned and no system-assigned → that one, without a selector', async () => {
		const { world: w, uami } = createUami(base, 'id-stock');
		const world = assign(w, VM, uami.id);
		const result = await imds(world, tokenQuery());
		expect(result.response.status).toBe(200);
		expect(body(result).client_id).toBe(uami.clientId);
		expect(lastHop(result).detail).toContain('exactly one user-assigned identity');
	});

	it('two user-assigned and no selector → 400 Multiple user assigned identities exist', async () => {
		const { world: three } = withThree(base);
		const world = apply(three, [{ type: 'disableSystemIdentity', resourceId: VM }]);
		const result = await imds(world, tokenQuery());
		expectRefusal(result, 400, {
			error: 'invalid_request',
			error_description:
				'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request'
		});
		expect(lastHop(result).detail).toContain('id-stock-reader, id-stock-writer');
	});

	it('system- and user-assigned without a selector → the system-assigned one, and the detail says so', async () => {
		const { world, system } = withThree(base);
		const result = await imds(world, tokenQuery());
		expect(body(result).client_id).toBe(system?.clientId);
		expect(lastHop(result).detail).toContain(
			'IMDS used the system-assigned identity, although vm-stock-app also has id-stock-reader, id-stock-writer'
		);
	});

	it('selects by client_id, object_id and msi_res_id (and echoes object_id / msi_res_id)', async () => {
		const { world, a, b } = withThree(base);
		const byClient = await imds(world, tokenQuery(`&client_id=${a.clientId.toUpperCase()}`));
		expect(body(byClient).client_id).toBe(a.clientId);
		expect(Object.keys(body(byClient))).toEqual([
			'access_token',
			'client_id',
			'expires_in',
			'expires_on',
			'ext_expires_in',
			'not_before',
			'resource',
			'token_type'
		]);
		const byObject = await imds(world, tokenQuery(`&object_id=${b.principalId}`));
		expect(body(byObject).client_id).toBe(b.clientId);
		expect(body(byObject).object_id).toBe(b.principalId);
		expect(Object.keys(body(byObject))).toContain('object_id');
		const byResource = await imds(
			world,
			tokenQuery(`&msi_res_id=${encodeURIComponent(a.id.toLowerCase())}`)
		);
		expect(body(byResource).client_id).toBe(a.clientId);
		expect(body(byResource).msi_res_id).toBe(a.id.toLowerCase());
		expect(Object.keys(body(byResource)).indexOf('msi_res_id')).toBe(
			Object.keys(body(byResource)).indexOf('ext_expires_in') + 1
		);
		expect(payloadOf(byResource).xms_mirid).toBe(
			a.id.replace('/resourceGroups/', '/resourcegroups/')
		);
	});

	it('an id no assigned identity has → 400 Identity not found, listing the identities', async () => {
		const { world, a } = withThree(base);
		const { world: w2, uami: other } = createUami(world, 'id-unassigned');
		for (const extra of [
			`&client_id=${other.clientId}`,
			`&object_id=${other.principalId}`,
			`&msi_res_id=${encodeURIComponent(other.id)}`
		]) {
			const result = await imds(w2, tokenQuery(extra));
			expectRefusal(result, 400, {
				error: 'invalid_request',
				error_description: 'Identity not found'
			});
			expect(lastHop(result).detail).toContain(a.clientId);
		}
	});

	it('two selectors → 400 explaining they are mutually exclusive', async () => {
		const { world, a } = withThree(base);
		const result = await imds(
			world,
			tokenQuery(`&client_id=${a.clientId}&object_id=${a.principalId}`)
		);
		expectRefusal(result, 400, {
			error: 'invalid_request',
			error_description:
				'Only one of client_id, object_id and msi_res_id can be specified; the request specifies client_id, object_id.'
		});
	});

	it('ignores principal_id (an App Service parameter) and says so', async () => {
		const { world, a, system } = withThree(base);
		const result = await imds(world, tokenQuery(`&principal_id=${a.principalId}`));
		expect(body(result).client_id).toBe(system?.clientId);
		expect(lastHop(result).detail).toContain('IMDS does not know principal_id');
	});

	it("a scale-set instance gets the scale set's identities", async () => {
		const world = apply(base, [
			{
				type: 'createScaleSet',
				resourceGroup: DEFAULT_GROUP,
				name: 'vmss-stock',
				capacity: 2,
				identity: { systemAssigned: true }
			}
		]);
		const vmssId = idOf('virtualMachineScaleSet', 'vmss-stock');
		const system = host(world, vmssId).identity.systemAssigned;
		const source: NetworkSource = { kind: 'resource', resourceId: vmssId, instanceId: '1' };
		const result = await imds(world, tokenQuery(), META, source);
		expect(body(result).client_id).toBe(system?.clientId);
		expect(payloadOf(result).xms_mirid).toBe(
			vmssId.replace('/resourceGroups/', '/resourcegroups/')
		);
		const recorded = after(world, result).events.at(-1);
		expect(recorded).toMatchObject({
			kind: 'token',
			hostId: vmssId,
			endpoint: 'imds',
			fromCache: false
		});
	});
});

describe('IMDS token cache over simulated time (reference 1.6, 3.3)', () => {
	it('serves the same token while cached, with expires_in counting down, then a new token', async () => {
		let world = enableSystem(base, VM);
		const first = await imds(world, tokenQuery());
		expect(first.hops.map((h) => h.id)).toEqual([
			'imds-request',
			'entra-request',
			'entra-response',
			'imds-response'
		]);
		expect(first.operations).toMatchObject([
			{ type: 'recordToken', fromCache: false, endpoint: 'imds', hostId: VM }
		]);
		expect(body(first).expires_in).toBe('86700');
		world = after(world, first);
		const principal = host(world, VM).identity.systemAssigned?.principalId ?? '';
		expect(world.tokenCache[tokenCacheKey(principal, VAULT)]?.accessToken).toBe(
			body(first).access_token
		);

		world = advance(world, 3600);
		const second = await imds(world, tokenQuery());
		expect(second.hops.map((h) => h.id)).toEqual(['imds-request', 'imds-response']);
		expect(second.operations).toMatchObject([{ type: 'recordToken', fromCache: true }]);
		expect(body(second).access_token).toBe(body(first).access_token);
		expect(body(second).expires_in).toBe(String(86700 - 3600));
		expect(body(second).expires_on).toBe(body(first).expires_on);
		expect(body(second).ext_expires_in).toBe('86700');
		world = after(world, second);
		expect(world.events.at(-1)).toMatchObject({ kind: 'token', fromCache: true });

		world = advance(world, 86700 - 3600 - TOKEN_REFRESH_BEFORE_EXPIRY_SECONDS - 1);
		const stillCached = await imds(world, tokenQuery());
		expect(body(stillCached).access_token).toBe(body(first).access_token);
		expect(body(stillCached).expires_in).toBe(String(TOKEN_REFRESH_BEFORE_EXPIRY_SECONDS + 1));

		world = advance(world, 1);
		const refreshed = await imds(world, tokenQuery());
		expect(body(refreshed).access_token).not.toBe(body(first).access_token);
		expect(body(refreshed).expires_in).toBe('86700');
		expect(refreshed.operations).toMatchObject([{ type: 'recordToken', fromCache: false }]);
	});

	it('after expiry the entry is gone and a new token is issued', async () => {
		let world = enableSystem(base, VM);
		world = after(world, await imds(world, tokenQuery()));
		world = advance(world, 86_700);
		expect(Object.keys(world.tokenCache)).toEqual([]);
		const next = await imds(world, tokenQuery());
		expect(next.operations).toMatchObject([{ type: 'recordToken', fromCache: false }]);
		expect(body(next).not_before).toBe(String(START + 86_700));
	});

	it('caches per resource: another resource is another token', async () => {
		let world = enableSystem(base, VM);
		const vault = await imds(world, tokenQuery());
		world = after(world, vault);
		const arm = await imds(world, tokenQuery('', 'https://management.azure.com/'));
		expect(arm.operations).toMatchObject([{ type: 'recordToken', fromCache: false }]);
		expect(payloadOf(arm).aud).toBe('https://management.azure.com/');
		world = after(world, arm);
		expect(Object.keys(world.tokenCache)).toHaveLength(2);
	});

	it('bypass_cache=true fetches a fresh token', async () => {
		let world = enableSystem(base, VM);
		world = after(world, await imds(world, tokenQuery()));
		world = advance(world, 60);
		const fresh = await imds(world, tokenQuery('&bypass_cache=true'));
		expect(fresh.operations).toMatchObject([{ type: 'recordToken', fromCache: false }]);
		expect(body(fresh).expires_in).toBe('86700');
	});

	it('drops the cached token when the identity is disabled; a new identity gets a new token', async () => {
		let world = enableSystem(base, VM);
		const first = await imds(world, tokenQuery());
		world = after(world, first);
		expect(Object.keys(world.tokenCache)).toHaveLength(1);
		world = apply(world, [{ type: 'disableSystemIdentity', resourceId: VM }]);
		expect(Object.keys(world.tokenCache)).toEqual([]);
		const none = await imds(world, tokenQuery());
		expectRefusal(none, 400, { error: 'invalid_request', error_description: 'Identity not found' });
		world = enableSystem(world, VM);
		const again = await imds(world, tokenQuery());
		expect(body(again).client_id).not.toBe(body(first).client_id);
		expect(again.operations).toMatchObject([{ type: 'recordToken', fromCache: false }]);
	});
});

describe('IMDS other endpoints (reference 1.5)', () => {
	const INSTANCE = 'http://169.254.169.254/metadata/instance';

	it('/metadata/identity/info returns the tenant, or Identity not found without an identity', async () => {
		const info = 'http://169.254.169.254/metadata/identity/info';
		const none = await imds(base, 'api-version=2018-02-01', META, FROM_VM, info);
		expectRefusal(none, 400, { error: 'invalid_request', error_description: 'Identity not found' });
		const world = enableSystem(base, VM);
		const result = await imds(world, 'api-version=2018-02-01', META, FROM_VM, info);
		expect(body(result)).toEqual({ tenantId: 'c0a7e5f0-1d2b-4c3a-9e8f-00000c0a7050' });
		expect((await imds(world, 'api-version=2018-02-01', {}, FROM_VM, info)).response.status).toBe(
			400
		);
	});

	it('/metadata/instance returns the compute subset, every value a string', async () => {
		const world = apply(base, [
			{
				type: 'createVirtualMachine',
				resourceGroup: DEFAULT_GROUP,
				name: 'vm-tagged',
				tags: { env: 'prod', team: 'stock' }
			}
		]);
		const tagged = idOf('virtualMachine', 'vm-tagged');
		const result = await imds(
			world,
			'api-version=2021-02-01',
			META,
			{ kind: 'resource', resourceId: tagged },
			INSTANCE
		);
		expect(result.response.status).toBe(200);
		const vm = getResource(world, tagged);
		if (vm?.kind !== 'virtualMachine') throw new Error('no vm');
		expect(body(result).compute).toEqual({
			location: 'westeurope',
			name: 'vm-tagged',
			osType: 'Linux',
			resourceGroupName: 'rg-stock',
			resourceId: tagged,
			subscriptionId: 'a1b2c3d4-0000-4000-8000-00000005707c',
			tagsList: [
				{ name: 'env', value: 'prod' },
				{ name: 'team', value: 'stock' }
			],
			vmId: vm.vmId,
			vmScaleSetName: '',
			vmSize: 'Standard_B2s'
		});
		const compute = await imds(
			world,
			'api-version=2021-02-01',
			META,
			{ kind: 'resource', resourceId: tagged },
			`${INSTANCE}/compute`
		);
		expect(body(compute)).toEqual(body(result).compute);
	});

	it('leaves need format=text; format=text on a node lists its children', async () => {
		const leaf = `${INSTANCE}/compute/name`;
		const asJson = await imds(base, 'api-version=2021-02-01', META, FROM_VM, leaf);
		expect(asJson.response.status).toBe(400);
		expect(lastHop(asJson).detail).toContain('format=text');
		const asText = await imds(base, 'api-version=2021-02-01&format=text', META, FROM_VM, leaf);
		expect(asText.response).toMatchObject({
			status: 200,
			body: 'vm-stock-app',
			headers: { 'Content-Type': 'text/plain; charset=utf-8' }
		});
		const listing = await imds(base, 'api-version=2021-02-01&format=text', META, FROM_VM, INSTANCE);
		expect(listing.response.body).toBe('compute/\nnetwork/');
		const missing = await imds(
			base,
			'api-version=2021-02-01&format=text',
			META,
			FROM_VM,
			`${INSTANCE}/compute/zone`
		);
		expect(missing.response.status).toBe(404);
	});

	it('a scale-set instance sees its own name, vmId and vmScaleSetName', async () => {
		const world = apply(base, [
			{ type: 'createScaleSet', resourceGroup: DEFAULT_GROUP, name: 'vmss-web', capacity: 2 }
		]);
		const vmssId = idOf('virtualMachineScaleSet', 'vmss-web');
		const vmss = getResource(world, vmssId);
		if (vmss?.kind !== 'virtualMachineScaleSet') throw new Error('no vmss');
		const result = await imds(
			world,
			'api-version=2021-02-01',
			META,
			{ kind: 'resource', resourceId: vmssId, instanceId: '1' },
			`${INSTANCE}/compute`
		);
		expect(body(result)).toMatchObject({
			name: 'vmss-web_1',
			resourceId: `${vmssId}/virtualMachines/1`,
			vmId: vmss.instances[1]?.vmId,
			vmScaleSetName: 'vmss-web'
		});
	});

	it('instance without api-version → the documented "Bad request" body with newest-versions', async () => {
		const result = await imds(base, '', META, FROM_VM, INSTANCE);
		expectRefusal(result, 400, {
			error:
				'Bad request. api-version was not specified in the request. For more information refer to aka.ms/azureimds',
			'newest-versions': ['2023-07-01', '2021-12-13', '2021-11-15']
		});
		expectRefusal(await imds(base, 'api-version=2021-02-01', {}, FROM_VM, INSTANCE), 400, {
			error: 'Required metadata header not specified'
		});
		const xff = await imds(
			base,
			'api-version=2021-02-01',
			{ ...META, 'X-Forwarded-For': '10.0.0.9' },
			FROM_VM,
			INSTANCE
		);
		expect(xff.response.status).toBe(400);
	});

	it('/metadata/versions lists every api-version; an unknown path is 404', async () => {
		const versions = await imds(
			base,
			'',
			META,
			FROM_VM,
			'http://169.254.169.254/metadata/versions'
		);
		expect(body(versions)).toEqual({ apiVersions: [...IMDS_API_VERSIONS] });
		const unknown = await imds(
			base,
			'api-version=2021-02-01',
			META,
			FROM_VM,
			'http://169.254.169.254/metadata/attested/document'
		);
		expect(unknown.response.status).toBe(404);
	});

	it('accepts the token path with a trailing slash', async () => {
		const world = enableSystem(base, VM);
		const result = await imds(world, tokenQuery(), META, FROM_VM, `${TOKEN}/`);
		expect(result.response.status).toBe(200);
	});
});

// IMDS doc and managed identity FAQ (reference 1.4): the managed-identity category allows 20 requests per second
// and 5 concurrent requests per VM; beyond that IMDS answers 429. The lab counts on the simulated clock.
describe('IMDS throttling (20 per second, 5 at once, per VM)', () => {
	it('answers 429 to the 21st token request in one simulated second, and serves again the next second', async () => {
		let world = enableSystem(base, VM);
		for (let i = 0; i < 20; i++) {
			const ok = await imds(world, tokenQuery());
			expect(ok.response.status).toBe(200);
			world = after(world, ok);
		}
		const refused = await imds(world, tokenQuery());
		expectRefusal(refused, 429, {
			error: 'too_many_requests',
			error_description: 'Too many requests'
		});
		expect(lastHop(refused).detail).toContain('20 managed-identity requests per second');
		const later = await imds(advance(world, 1), tokenQuery());
		expect(later.response.status).toBe(200);
	});

	it('can be turned off per world (setImdsThrottle), as the emulator’s load test does', async () => {
		let world = apply(enableSystem(base, VM), [{ type: 'setImdsThrottle', enabled: false }]);
		expect(world.settings.imdsThrottle).toBe(false);
		for (let i = 0; i < 25; i++) {
			const ok = await imds(world, tokenQuery());
			expect(ok.response.status).toBe(200);
			world = after(world, ok);
		}
	});

	it('refuses a sixth overlapping request where the network env shares requests under way', async () => {
		const world = enableSystem(base, VM);
		const imdsInFlight = new Map<string, number>([[VM.toLowerCase(), 0]]);
		const vmId = getResource(world, VM)?.id ?? VM;
		imdsInFlight.set(vmId, 5);
		const ctx = { ...context(world, ring, FROM_VM), env: { keyRing: ring, imdsInFlight } };
		const refused = await call(handleImds, ctx, get(`${TOKEN}?${tokenQuery()}`, META));
		expect(refused.response.status).toBe(429);
		expect(lastHop(refused).detail).toContain('5 at once');
		imdsInFlight.set(vmId, 4);
		const ok = await call(handleImds, ctx, get(`${TOKEN}?${tokenQuery()}`, META));
		expect(ok.response.status).toBe(200);
		// The request released its place when it was answered.
		expect(imdsInFlight.get(vmId)).toBe(4);
	});
});
