import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IDS } from '../../../src/core/azure/default-world.ts';
import type { World } from '../../../src/core/azure/model.ts';
import type { HandlerResult, HttpRequest, NetworkSource } from '../../../src/core/http/types.ts';
import { handleEntra, issueManagedIdentityToken } from '../../../src/core/token/entra.ts';
import type { KeyRing } from '../../../src/core/token/key-ring.ts';
import {
	VM,
	body,
	call,
	context,
	enableSystem,
	get,
	host,
	keyedWorld,
	loadFixtureKey
} from './scenario.ts';

const TENANT = DEFAULT_IDS.tenantId;
const LOGIN = 'https://login.microsoftonline.com';
const LAPTOP: NetworkSource = { kind: 'outside', machine: 'onprem-legacy-01' };

let world: World;
let ring: KeyRing;

beforeAll(async () => {
	({ world, ring } = await keyedWorld());
	world = enableSystem(world, VM);
});

function entra(request: HttpRequest, source: NetworkSource = LAPTOP): Promise<HandlerResult> {
	return call(handleEntra, context(world, ring, source), request);
}

function post(
	path: string,
	form: Record<string, string>,
	contentType = 'application/x-www-form-urlencoded'
): HttpRequest {
	return {
		method: 'POST',
		url: `${LOGIN}${path}`,
		headers: { 'Content-Type': contentType },
		body: new URLSearchParams(form).toString()
	};
}

function expectEntraError(
	result: HandlerResult,
	status: number,
	error: string,
	code: number,
	text: string
): void {
	expect(result.response.status).toBe(status);
	const b = body(result);
	expect(Object.keys(b)).toEqual([
		'error',
		'error_description',
		'error_codes',
		'timestamp',
		'trace_id',
		'correlation_id',
		'error_uri'
	]);
	expect(b.error).toBe(error);
	expect(b.error_codes).toEqual([code]);
	expect(String(b.error_description)).toBe(
		`AADSTS${code}: ${text}\r\nTrace ID: ${String(b.trace_id)}\r\nCorrelation ID: ${String(b.correlation_id)}\r\nTimestamp: 2026-03-02 09:00:00Z`
	);
	expect(b.timestamp).toBe('2026-03-02 09:00:00Z');
	expect(b.error_uri).toBe(`${LOGIN}/error?code=${code}`);
	expect(result.response.headers['x-ms-request-id']).toBe(b.trace_id);
	const last = result.hops.at(-1);
	expect(last).toMatchObject({ from: 'entra', to: 'app', ok: false });
	expect(last?.detail.length).toBeGreaterThan(20);
}

describe('OpenID configuration and JWKS (reference 3.5)', () => {
	it('serves the v1 configuration by tenant id and by default domain', async () => {
		for (const tenant of [TENANT, 'contoso.onmicrosoft.com', 'CONTOSO.onmicrosoft.com']) {
			const result = await entra(get(`${LOGIN}/${tenant}/.well-known/openid-configuration`));
			expect(result.response.status).toBe(200);
			expect(body(result)).toMatchObject({
				issuer: `https://sts.windows.net/${TENANT}/`,
				// Entra's v1 document names the common keys for every tenant, and lists claims_supported
				// (reference 3.5; login.microsoftonline.com/{tenant}/.well-known/openid-configuration).
				jwks_uri: `${LOGIN}/common/discovery/keys`,
				token_endpoint: `${LOGIN}/${TENANT}/oauth2/token`,
				id_token_signing_alg_values_supported: ['RS256'],
				claims_supported: expect.arrayContaining([
					'sub',
					'iss',
					'aud',
					'amr',
					'nickname'
				]) as unknown
			});
		}
		const keys = await entra(get(`${LOGIN}/common/discovery/keys`));
		expect(keys.response.status).toBe(200);
		expect(body(keys)).toHaveProperty('keys');
	});

	it('serves the v2 configuration', async () => {
		const result = await entra(get(`${LOGIN}/${TENANT}/v2.0/.well-known/openid-configuration`));
		expect(body(result)).toMatchObject({
			issuer: `${LOGIN}/${TENANT}/v2.0`,
			jwks_uri: `${LOGIN}/${TENANT}/discovery/v2.0/keys`,
			token_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/token`,
			id_token_signing_alg_values_supported: ['RS256'],
			claims_supported: expect.arrayContaining(['tid', 'ver', 'preferred_username']) as unknown
		});
		const common = await entra(get(`${LOGIN}/common/v2.0/.well-known/openid-configuration`));
		expect(body(common)).toMatchObject({
			issuer: `${LOGIN}/{tenantid}/v2.0`,
			jwks_uri: `${LOGIN}/common/discovery/v2.0/keys`
		});
	});

	it("publishes the world's keys: v1 without issuer, v2 with the tenant's v2 issuer, public members only", async () => {
		const key = await loadFixtureKey();
		const v1 = body(await entra(get(`${LOGIN}/${TENANT}/discovery/keys`)));
		expect(v1).toEqual({
			keys: [
				{
					kty: 'RSA',
					use: 'sig',
					kid: key.kid,
					x5t: key.x5t,
					n: key.publicJwk.n,
					e: 'AQAB',
					x5c: key.publicJwk.x5c
				}
			]
		});
		const v2 = body(await entra(get(`${LOGIN}/${TENANT}/discovery/v2.0/keys`)));
		expect(v2).toEqual({ keys: [{ ...key.publicJwk, issuer: `${LOGIN}/${TENANT}/v2.0` }] });
		const common = body(await entra(get(`${LOGIN}/common/discovery/keys`)));
		expect(common).toEqual(v1);
		expect(JSON.stringify(v2)).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
	});

	it('unknown tenant → AADSTS90002; unknown path → 404 JSON; POST to discovery → 405', async () => {
		expectEntraError(
			await entra(get(`${LOGIN}/fabrikam.onmicrosoft.com/v2.0/.well-known/openid-configuration`)),
			400,
			'invalid_tenant',
			90002,
			"Tenant 'fabrikam.onmicrosoft.com' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."
		);
		const missing = await entra(get(`${LOGIN}/${TENANT}/oauth2/v2.0/authorize`));
		expect(missing.response.status).toBe(404);
		expect(body(missing).error).toBe('not_found');
		const posted = await entra({
			method: 'POST',
			url: `${LOGIN}/${TENANT}/discovery/v2.0/keys`,
			headers: {}
		});
		expect(posted.response.status).toBe(405);
	});
});

describe('the token endpoint refuses a client that proves nothing', () => {
	const V2 = `/${TENANT}/oauth2/v2.0/token`;

	it("client credentials with a managed identity's client id and no credential → AADSTS7000216 invalid_client", async () => {
		const clientId = host(world, VM).identity.systemAssigned?.clientId ?? '';
		const result = await entra(
			post(V2, {
				grant_type: 'client_credentials',
				client_id: clientId,
				scope: 'https://vault.azure.net/.default'
			})
		);
		expectEntraError(
			result,
			401,
			'invalid_client',
			7000216,
			"'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type."
		);
		expect(result.hops.at(-1)?.detail).toContain('only Azure holds');
		expect(result.hops.at(-1)?.detail).toContain('onprem-legacy-01 is asking Entra ID directly.');
		expect(result.operations).toEqual([]);
	});

	it('a secret → AADSTS7000215; an assertion → AADSTS700027; a malformed assertion → AADSTS50027', async () => {
		const clientId = host(world, VM).identity.systemAssigned?.clientId ?? '';
		const base = {
			grant_type: 'client_credentials',
			client_id: clientId,
			scope: 'https://vault.azure.net/.default'
		};
		const secret = await entra(post(V2, { ...base, client_secret: 'hunter2' }));
		expect(body(secret).error_codes).toEqual([7000215]);
		expect(secret.response.status).toBe(401);
		const forged = 'eyJhbGciOiJSUzI1NiIsIng1dCI6ImFiYyJ9.eyJzdWIiOiJ4In0.c2ln';
		const assertion = await entra(
			post(V2, {
				...base,
				client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
				client_assertion: forged
			})
		);
		expect(body(assertion).error_codes).toEqual([700027]);
		expect(String(body(assertion).error_description)).toContain(
			"Thumbprint of key used by client: 'abc'"
		);
		const malformed = await entra(post(V2, { ...base, client_assertion: 'not-a-jwt' }));
		expect(body(malformed)).toMatchObject({ error: 'invalid_request', error_codes: [50027] });
	});

	it('an unknown client id → AADSTS700016; missing parameters → AADSTS900144; GET → AADSTS900561', async () => {
		const unknown = await entra(
			post(V2, {
				grant_type: 'client_credentials',
				client_id: '11111111-2222-4333-8444-555555555555',
				scope: 'https://vault.azure.net/.default'
			})
		);
		expectEntraError(
			unknown,
			400,
			'unauthorized_client',
			700016,
			"Application with identifier '11111111-2222-4333-8444-555555555555' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."
		);
		const noClient = await entra(post(V2, { grant_type: 'client_credentials' }));
		expectEntraError(
			noClient,
			400,
			'invalid_request',
			900144,
			"The request body must contain the following parameter: 'client_id'."
		);
		const noGrant = await entra(post(`/${TENANT}/oauth2/token`, { client_id: 'x' }));
		expect(body(noGrant).error_codes).toEqual([900144]);
		const noScope = await entra(post(V2, { grant_type: 'client_credentials', client_id: 'x' }));
		expect(String(body(noScope).error_description)).toContain("'scope'");
		const got = await entra(get(`${LOGIN}${V2}`));
		expectEntraError(
			got,
			400,
			'invalid_request',
			900561,
			'The endpoint only accepts POST, OPTIONS requests. Received a GET request.'
		);
		const password = await entra(post(V2, { grant_type: 'password', client_id: 'x' }));
		expect(body(password)).toMatchObject({ error: 'unsupported_grant_type', error_codes: [70003] });
	});

	it('the v1 endpoint refuses the same way; an unknown tenant gives AADSTS90002', async () => {
		const clientId = host(world, VM).identity.systemAssigned?.clientId ?? '';
		const v1Known = await entra(
			post('/contoso.onmicrosoft.com/oauth2/token', {
				grant_type: 'client_credentials',
				client_id: clientId,
				resource: 'https://vault.azure.net'
			})
		);
		expect(body(v1Known).error_codes).toEqual([7000216]);
		const wrongTenant = await entra(
			post('/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token', {
				grant_type: 'client_credentials',
				client_id: clientId
			})
		);
		expect(body(wrongTenant)).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
	});
});

describe('issueManagedIdentityToken refusals', () => {
	it('a principal that no longer exists → AADSTS700016 unauthorized_client, sequence ending at Entra ID', async () => {
		const result = await issueManagedIdentityToken(world, ring, {
			principalId: 'dead0000-0000-4000-8000-00000000beef',
			resource: 'https://vault.azure.net',
			hostId: VM,
			endpoint: 'imds'
		});
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error).toMatchObject({ error: 'unauthorized_client', aadsts: 700016 });
		expect(result.error.hops.map((h) => [h.id, h.ok])).toEqual([
			['entra-request', true],
			['entra-response', false]
		]);
	});

	it('shows the endpoint → Entra ID request with the client id, scope and a placeholder assertion, never key material', async () => {
		const system = host(world, VM).identity.systemAssigned;
		const result = await issueManagedIdentityToken(world, ring, {
			principalId: system?.principalId ?? '',
			resource: 'https://management.azure.com/',
			hostId: VM,
			endpoint: 'imds'
		});
		if (!result.ok) throw new Error(result.error.message);
		const [request, response] = result.value.hops;
		expect(request?.request).toMatchObject({
			method: 'POST',
			url: `${LOGIN}/${TENANT}/oauth2/v2.0/token`
		});
		const form = new URLSearchParams(request?.request?.body ?? '');
		const thumbprint =
			world.directory.servicePrincipals[system?.principalId ?? '']?.certificate?.thumbprint ??
			'none';
		expect(Object.fromEntries(form)).toEqual({
			client_id: system?.clientId,
			scope: 'https://management.azure.com//.default',
			grant_type: 'client_credentials',
			client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
			client_assertion: `<JWT signed with the identity's certificate, thumbprint ${thumbprint}>`
		});
		expect(request?.detail).toContain('Azure does not document this internal call');
		const answer = JSON.parse(response?.response?.body ?? '{}') as Record<string, unknown>;
		expect(Object.keys(answer)).toEqual([
			'token_type',
			'expires_in',
			'ext_expires_in',
			'access_token'
		]);
		expect(answer).toMatchObject({
			token_type: 'Bearer',
			expires_in: 86_700,
			access_token: result.value.token.accessToken
		});
		expect(response).toMatchObject({ from: 'entra', to: 'identityEndpoint', ok: true });
		expect(JSON.stringify(result.value.hops)).not.toContain('PRIVATE KEY');
	});
});
