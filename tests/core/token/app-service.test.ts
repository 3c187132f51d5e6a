import { beforeAll, describe, expect, it } from 'vitest';
import type { WebSite, World } from '../../../src/core/azure/model.ts';
import { decodeForDisplay } from '../../../src/core/crypto/index.ts';
import type { HandlerResult, NetworkSource } from '../../../src/core/http/types.ts';
import {
	APP_SERVICE_IDENTITY_ENDPOINT,
	APP_SERVICE_IDENTITY_HOST,
	appServiceEnvironment,
	handleAppServiceIdentity,
	legacyExpiresOn
} from '../../../src/core/token/app-service.ts';
import type { KeyRing } from '../../../src/core/token/key-ring.ts';
import {
	START,
	WEB,
	advance,
	apply,
	assign,
	body,
	call,
	context,
	createUami,
	enableSystem,
	host,
	keyedWorld
} from './scenario.ts';

const VAULT = 'https://vault.azure.net';
const FROM_WEB: NetworkSource = { kind: 'resource', resourceId: WEB };

let base: World;
let ring: KeyRing;

beforeAll(async () => {
	({ world: base, ring } = await keyedWorld());
});

function site(world: World): WebSite {
	const h = host(world, WEB);
	if (h.kind !== 'webApp' && h.kind !== 'functionApp') throw new Error('not a site');
	return h;
}

function secret(world: World): Record<string, string> {
	return { 'X-IDENTITY-HEADER': site(world).identityHeader };
}

function msi(
	world: World,
	query: string,
	headers: Record<string, string> = secret(world),
	method = 'GET',
	path = '/MSI/token'
): Promise<HandlerResult> {
	return call(handleAppServiceIdentity, context(world, ring, FROM_WEB), {
		method,
		url: `http://${APP_SERVICE_IDENTITY_HOST}${path}?${query}`,
		headers
	});
}

function q(extra = ''): string {
	return `resource=${VAULT}&api-version=2019-08-01${extra}`;
}

function expectFailure(result: HandlerResult, status: number, message: string): void {
	expect(result.response.status).toBe(status);
	const b = body(result);
	expect(Object.keys(b)).toEqual(['statusCode', 'message', 'correlationId']);
	expect(b.statusCode).toBe(status);
	expect(b.message).toBe(message);
	expect(String(b.correlationId)).toMatch(
		/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
	);
	expect(result.operations).toEqual([]);
	expect(result.hops.at(-1)?.ok).toBe(false);
}

const UNABLE = 'Unable to load the proper Managed Identity.';

describe('App Service environment (reference 2.1, 2.2)', () => {
	it('sets IDENTITY_* and the legacy MSI_* only while the site has an identity', () => {
		const without = appServiceEnvironment(site(base));
		expect(without).not.toHaveProperty('IDENTITY_ENDPOINT');
		expect(without).not.toHaveProperty('IDENTITY_HEADER');
		expect(without).not.toHaveProperty('MSI_SECRET');
		expect(without).toMatchObject({
			WEBSITE_SITE_NAME: 'app-stock-web',
			WEBSITE_RESOURCE_GROUP: 'rg-stock',
			WEBSITE_HOSTNAME: 'app-stock-web.azurewebsites.net',
			WEBSITE_OWNER_NAME: 'a1b2c3d4-0000-4000-8000-00000005707c+rg-stock-WestEuropewebspace',
			REGION_NAME: 'West Europe'
		});
		const world = enableSystem(base, WEB);
		const env = appServiceEnvironment(site(world));
		expect(env).toMatchObject({
			IDENTITY_ENDPOINT: APP_SERVICE_IDENTITY_ENDPOINT,
			IDENTITY_HEADER: site(world).identityHeader,
			MSI_ENDPOINT: APP_SERVICE_IDENTITY_ENDPOINT,
			MSI_SECRET: site(world).identityHeader
		});
		expect(APP_SERVICE_IDENTITY_ENDPOINT).toBe('http://localhost:4141/MSI/token');
		expect(Object.keys(env)).toEqual([...Object.keys(env)].sort());
		expect(env.WEBSITE_INSTANCE_ID).toMatch(/^[0-9a-f]{64}$/);
		const { world: w2, uami } = createUami(base, 'id-web');
		expect(appServiceEnvironment(site(assign(w2, WEB, uami.id)))).toHaveProperty('IDENTITY_HEADER');
	});
});

describe('App Service identity endpoint: request checks', () => {
	it('wants GET on /MSI/token', async () => {
		const world = enableSystem(base, WEB);
		expectFailure(
			await msi(world, q(), secret(world), 'POST'),
			405,
			"The request method 'POST' is not allowed. Use GET."
		);
		expect(
			(await msi(world, q(), secret(world), 'GET', '/metadata/identity/oauth2/token')).response
				.status
		).toBe(404);
		expect((await msi(world, q(), secret(world), 'GET', '/msi/token/')).response.status).toBe(200);
	});

	it('wants api-version 2019-08-01 (or the legacy 2017-09-01)', async () => {
		const world = enableSystem(base, WEB);
		expectFailure(
			await msi(world, `resource=${VAULT}`),
			400,
			'The api-version query parameter is required. Use api-version=2019-08-01.'
		);
		const imdsVersion = await msi(world, `resource=${VAULT}&api-version=2018-02-01`);
		expectFailure(
			imdsVersion,
			400,
			"Unsupported api-version '2018-02-01'. Supported versions: 2017-09-01, 2019-08-01."
		);
		expect(imdsVersion.hops.at(-1)?.detail).toContain('IMDS version');
	});

	it('wants X-IDENTITY-HEADER equal to IDENTITY_HEADER (401, unconfirmed body)', async () => {
		const world = enableSystem(base, WEB);
		const message =
			'Unauthorized. The X-IDENTITY-HEADER request header is missing or does not match the IDENTITY_HEADER environment variable.';
		const missing = await msi(world, q(), {});
		expectFailure(missing, 401, message);
		expect(missing.hops.at(-1)?.detail).toContain('$IDENTITY_HEADER');
		const wrong = await msi(world, q(), {
			'X-IDENTITY-HEADER': '00000000-0000-4000-8000-000000000000'
		});
		expectFailure(wrong, 401, message);
		expect(wrong.hops.at(-1)?.detail).toContain('rotates');
		const noIdentity = await msi(base, q(), {});
		expect(noIdentity.hops.at(-1)?.detail).toContain(
			'az webapp identity assign -g rg-stock -n app-stock-web'
		);
		const lowerCase = await msi(world, q(), { 'x-identity-header': site(world).identityHeader });
		expect(lowerCase.response.status).toBe(200);
	});

	it('wants resource', async () => {
		const world = enableSystem(base, WEB);
		expectFailure(
			await msi(world, 'api-version=2019-08-01'),
			400,
			'The resource query parameter is required.'
		);
	});

	it("relays an unknown resource as 400 with Entra ID's description", async () => {
		const world = enableSystem(base, WEB);
		const result = await msi(world, `resource=https://example.com&api-version=2019-08-01`);
		expect(result.response.status).toBe(400);
		expect(String(body(result).message)).toMatch(
			/^AADSTS50001: The application named https:\/\/example\.com was not found/
		);
		expect(result.hops.map((h) => [h.id, h.ok])).toEqual([
			['appservice-request', true],
			['entra-request', true],
			['entra-response', false]
		]);
	});
});

describe('App Service identity endpoint: which identity', () => {
	it('no selector → the system-assigned identity, in the documented shape, all strings', async () => {
		const world = enableSystem(base, WEB);
		const system = site(world).identity.systemAssigned;
		const result = await msi(world, q());
		expect(result.response.status).toBe(200);
		const b = body(result);
		expect(Object.keys(b)).toEqual([
			'access_token',
			'expires_on',
			'resource',
			'token_type',
			'client_id',
			'not_before'
		]);
		expect(Object.values(b).every((v) => typeof v === 'string')).toBe(true);
		expect(b).toMatchObject({
			expires_on: String(START + 86_700),
			resource: VAULT,
			token_type: 'Bearer',
			client_id: system?.clientId,
			not_before: String(START)
		});
		const decoded = decodeForDisplay(String(b.access_token));
		if (!decoded.ok) throw new Error(decoded.error.message);
		expect(decoded.value.payload).toMatchObject({
			oid: system?.principalId,
			xms_mirid: WEB.replace('/resourceGroups/', '/resourcegroups/')
		});
		expect(result.operations).toMatchObject([
			{ type: 'recordToken', endpoint: 'appService', hostId: WEB, fromCache: false }
		]);
	});

	it('no identity → 400 Unable to load the proper Managed Identity.', async () => {
		const result = await msi(base, q(), secret(base));
		expectFailure(result, 400, UNABLE);
		expect(result.hops.at(-1)?.detail).toContain(
			'az webapp identity assign -g rg-stock -n app-stock-web'
		);
	});

	it('one user-assigned and no selector → 400: App Service never picks a user-assigned identity by itself', async () => {
		const { world: w, uami } = createUami(base, 'id-web');
		const world = assign(w, WEB, uami.id);
		const result = await msi(world, q());
		expectFailure(result, 400, UNABLE);
		expect(result.hops.at(-1)?.detail).toContain(`client_id=${uami.clientId}`);
	});

	it('selects by client_id, principal_id, object_id and mi_res_id', async () => {
		const { world: w, uami } = createUami(enableSystem(base, WEB), 'id-web');
		const world = assign(w, WEB, uami.id);
		for (const extra of [
			`&client_id=${uami.clientId}`,
			`&principal_id=${uami.principalId}`,
			`&object_id=${uami.principalId}`,
			`&mi_res_id=${encodeURIComponent(uami.id)}`
		]) {
			const result = await msi(world, q(extra));
			expect(body(result).client_id).toBe(uami.clientId);
		}
	});

	it('an unknown id → 400 Unable to load; two selectors → 400', async () => {
		const { world: w, uami } = createUami(enableSystem(base, WEB), 'id-web');
		const unknown = await msi(w, q(`&client_id=${uami.clientId}`));
		expectFailure(unknown, 400, UNABLE);
		expect(unknown.hops.at(-1)?.detail).toContain('system-assigned');
		const world = assign(w, WEB, uami.id);
		expectFailure(
			await msi(world, q(`&client_id=${uami.clientId}&principal_id=${uami.principalId}`)),
			400,
			'Only one of client_id, principal_id (object_id) and mi_res_id can be specified; the request specifies client_id, principal_id.'
		);
	});
});

describe('App Service identity endpoint: cache and legacy protocol', () => {
	it('shares the per-identity cache and records appService tokens', async () => {
		let world = enableSystem(base, WEB);
		const first = await msi(world, q());
		world = apply(world, first.operations);
		world = advance(world, 600);
		const second = await msi(world, q());
		expect(body(second).access_token).toBe(body(first).access_token);
		expect(second.hops.map((h) => h.id)).toEqual(['appservice-request', 'appservice-response']);
		expect(second.operations).toMatchObject([
			{ type: 'recordToken', fromCache: true, endpoint: 'appService' }
		]);
	});

	it('speaks 2017-09-01 with the secret header and clientid, expires_on as date-time text', async () => {
		const { world: w, uami } = createUami(enableSystem(base, WEB), 'id-web');
		const world = assign(w, WEB, uami.id);
		const legacy = await msi(
			world,
			`resource=${VAULT}&api-version=2017-09-01&clientid=${uami.clientId}`,
			{ secret: site(world).identityHeader }
		);
		expect(legacy.response.status).toBe(200);
		const b = body(legacy);
		expect(Object.keys(b)).toEqual(['access_token', 'expires_on', 'resource', 'token_type']);
		// A Linux site (the stock web app): zero-padded, 24-hour, no AM/PM (azure-identity's 2017 parser docstring).
		expect(b.expires_on).toBe('03/03/2026 09:05:00 +00:00');
		expect(Date.parse(String(b.expires_on))).toBe((START + 86_700) * 1000);
		const legacyToken = decodeForDisplay(String(b.access_token));
		expect(legacyToken.ok && legacyToken.value.payload.appid).toBe(uami.clientId);
		const wrongHeader = await msi(world, `resource=${VAULT}&api-version=2017-09-01`, secret(world));
		expectFailure(
			wrongHeader,
			401,
			'Unauthorized. The secret request header is missing or does not match the MSI_SECRET environment variable.'
		);
		const newSelector = await msi(
			world,
			`resource=${VAULT}&api-version=2017-09-01&client_id=${uami.clientId}`,
			{ secret: site(world).identityHeader }
		);
		const ignored = decodeForDisplay(String(body(newSelector).access_token));
		expect(ignored.ok && ignored.value.payload.appid).toBe(
			site(world).identity.systemAssigned?.clientId
		);
		expect(newSelector.hops.at(-1)?.detail).toContain('knows only clientid');
	});

	// Azure: "Responses on Windows include AM/PM, for example "1/16/2020 5:24:12 AM +00:00". Responses on Linux
	// do not, for example "06/20/2019 02:57:58 +00:00"" (azure-identity for Python, App Service 2017 source).
	it('formats legacy times as the site OS does: Linux 24-hour zero-padded, Windows M/D/YYYY h:mm:ss AM', () => {
		expect(legacyExpiresOn((START + 4 * 3600) as typeof START)).toBe('03/02/2026 13:00:00 +00:00');
		expect(legacyExpiresOn((START - 9 * 3600) as typeof START, 'Linux')).toBe(
			'03/02/2026 00:00:00 +00:00'
		);
		expect(legacyExpiresOn((START + 4 * 3600) as typeof START, 'Windows')).toBe(
			'3/2/2026 1:00:00 PM +00:00'
		);
		expect(legacyExpiresOn((START - 9 * 3600) as typeof START, 'Windows')).toBe(
			'3/2/2026 12:00:00 AM +00:00'
		);
	});
});
