import { describe, expect, it } from 'vitest';
import { seededGuid } from '../../../src/core/ids.ts';
import { getResource } from '../../../src/core/azure/queries.ts';
import { handleKeyVault } from '../../../src/core/services/key-vault.ts';
import {
	apply,
	at,
	call,
	get,
	hopTrail,
	json,
	lab,
	loadStrangerKey,
	mint,
	recorded,
	RG,
	tamper,
	TENANT,
	V1_ISSUER,
	VAULT,
	VM,
	withRole
} from './service-fixture.ts';
import type { Lab } from './service-fixture.ts';
import type { World } from '../../../src/core/azure/model.ts';

const KV = 'https://kv-stock.vault.azure.net';
const SECRET_URL = `${KV}/secrets/db-password?api-version=7.5`;
const AUD = 'https://vault.azure.net';

async function kv(
	l: Lab,
	world: World,
	url: string,
	token?: string,
	method = 'GET',
	body?: string
) {
	const headers: Record<string, string> =
		token === undefined ? {} : { Authorization: `Bearer ${token}` };
	return call(handleKeyVault, l, world, {
		method,
		url,
		headers,
		...(body !== undefined ? { body } : {})
	});
}

function errorOf(result: { response: { body: string } }): {
	code: string;
	message: string;
	innererror?: { code: string };
} {
	return (
		JSON.parse(result.response.body) as {
			error: { code: string; message: string; innererror?: { code: string } };
		}
	).error;
}

/** The lab with Key Vault Secrets User on the vault, propagated. */
async function readerLab(role = 'Key Vault Secrets User'): Promise<Lab> {
	return withRole(await lab(), role, VAULT);
}

describe('Key Vault: authentication (401)', () => {
	it('answers a call without token with AKV10000 and the challenge', async () => {
		const l = await lab();
		const r = await kv(l, l.world, SECRET_URL);
		expect(r.response.status).toBe(401);
		expect(r.response.statusText).toBe('Unauthorized');
		expect(r.response.headers['WWW-Authenticate']).toBe(
			`Bearer authorization="https://login.microsoftonline.com/${TENANT}", resource="https://vault.azure.net"`
		);
		expect(errorOf(r)).toEqual({
			code: 'Unauthorized',
			message: 'AKV10000: Request is missing a Bearer or PoP token.'
		});
		expect(hopTrail(r)).toEqual(['request:ok', 'check:fail', 'response:fail']);
		expect(r.hops[1]?.title).toBe('Validate token');
		expect(r.explanation).toContain('resource=https://vault.azure.net');
		expect(r.hops[1]?.detail).toBe(r.explanation);
		expect(recorded(r)).toMatchObject({
			service: 'keyVault',
			operation: 'getSecret',
			target: `${VAULT}/secrets/db-password`,
			status: 401,
			principalId: null,
			authMethod: 'none',
			source: VM,
			errorCode: 'Unauthorized'
		});
	});

	it('answers another scheme with AKV10000 too', async () => {
		const l = await lab();
		const r = await call(
			handleKeyVault,
			l,
			l.world,
			get(SECRET_URL, { Authorization: 'Basic dXNlcjpwYXNz' })
		);
		expect(r.response.status).toBe(401);
		expect(errorOf(r).message).toBe('AKV10000: Request is missing a Bearer or PoP token.');
		expect(r.explanation).toContain("'Basic'");
	});

	it('answers a token for ARM with AKV10022 naming the audience found', async () => {
		const l = await lab();
		const r = await kv(l, l.world, SECRET_URL, await mint(l, 'https://management.azure.com/'));
		expect(r.response.status).toBe(401);
		expect(errorOf(r).message).toBe(
			'AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com/.'
		);
		expect(r.explanation).toContain('resource=https://vault.azure.net');
		expect(recorded(r)).toMatchObject({ principalId: null, authMethod: 'bearer' });
	});

	it('answers a token of another tenant with AKV10032', async () => {
		const l = await lab();
		const iss = 'https://sts.windows.net/11111111-2222-4333-8444-555555555555/';
		const r = await kv(l, l.world, SECRET_URL, await mint(l, AUD, { iss }));
		expect(errorOf(r).message).toBe(
			`AKV10032: Invalid issuer. Expected one of ${V1_ISSUER}, https://login.microsoftonline.com/${TENANT}/v2.0, found ${iss}.`
		);
	});

	it('answers an expired token with TokenExpired S2S12086', async () => {
		const l = await lab();
		const r = await kv(
			l,
			l.world,
			SECRET_URL,
			await mint(l, AUD, {
				iat: at(l.world, -90_000),
				nbf: at(l.world, -90_000),
				exp: at(l.world, -10)
			})
		);
		expect(r.response.status).toBe(401);
		expect(errorOf(r).message).toBe("[TokenExpired] Error validating token: 'S2S12086'.");
		expect(r.explanation).toContain('expired');
	});

	it('answers a tenant-signed token without exp with an authentication failure', async () => {
		const l = await lab();
		const r = await kv(l, l.world, SECRET_URL, await mint(l, AUD, { exp: undefined }));
		expect(r.response.status).toBe(401);
		expect(errorOf(r).message).toBe(
			"[AggregatedAuthenticationFailure] Error validating token: 'S2S17001'."
		);
		expect(r.explanation).toContain('no expiration time');
	});

	it('answers a token signed by an unknown key with AKV10046 quoting its header', async () => {
		const l = await lab();
		const token = await mint(l, AUD, {}, await loadStrangerKey());
		const r = await kv(l, l.world, SECRET_URL, token);
		expect(errorOf(r).message).toBe(
			`AKV10046: Unable to resolve the key used for signature validation. EncodedJwtHeader: '${token.split('.')[0] ?? ''}'.`
		);
	});

	it('answers a tampered or not-yet-valid token with an authentication failure', async () => {
		const l = await lab();
		const tampered = await kv(l, l.world, SECRET_URL, tamper(await mint(l, AUD), { appid: 'x' }));
		expect(tampered.response.status).toBe(401);
		expect(errorOf(tampered).message).toBe(
			"[AggregatedAuthenticationFailure] Error validating token: 'S2S17001'."
		);
		expect(tampered.explanation).toContain('signature');
		const early = await kv(l, l.world, SECRET_URL, await mint(l, AUD, { nbf: at(l.world, 3600) }));
		expect(early.response.status).toBe(401);
		expect(early.explanation).toContain('not valid yet');
	});
});

describe('Key Vault: request checks (400, 404, 405)', () => {
	it('requires api-version', async () => {
		const l = await readerLab();
		const r = await kv(l, l.world, `${KV}/secrets/db-password`, await mint(l, AUD));
		expect(r.response.status).toBe(400);
		expect(errorOf(r)).toEqual({
			code: 'BadParameter',
			message: "The 'api-version' query parameter is missing."
		});
		expect(r.explanation).toContain('api-version=7.5');
		expect(hopTrail(r)).toEqual(['request:ok', 'check:ok', 'response:fail']);
	});

	it('refuses an unknown api-version', async () => {
		const l = await readerLab();
		const r = await kv(
			l,
			l.world,
			`${KV}/secrets/db-password?api-version=2099-01-01`,
			await mint(l, AUD)
		);
		expect(r.response.status).toBe(400);
		// Key Vault's answer as reported from the service (Azure/azure-sdk-for-net#14789,
		// Azure/azure-sdk-for-python#28595): BadParameter, naming the latest version it supports.
		expect(errorOf(r)).toEqual({
			code: 'BadParameter',
			message:
				'The specified version (2099-01-01) is not recognized. Consider using the latest supported version (2026-04-01).'
		});
	});

	it('accepts the versions current SDKs send: 7.x, 2025-07-01 and 2026-04-01', async () => {
		const l = await readerLab();
		const token = await mint(l, AUD);
		for (const version of ['7.0', '7.4', '7.6', '2025-07-01', '2026-04-01']) {
			const r = await kv(l, l.world, `${KV}/secrets/db-password?api-version=${version}`, token);
			expect(r.response.status, version).toBe(200);
		}
	});

	it('answers an unknown path with 404 and an unsupported method with 405', async () => {
		const l = await readerLab();
		const token = await mint(l, AUD);
		const keys = await kv(l, l.world, `${KV}/keys/k1?api-version=7.5`, token);
		expect(keys.response.status).toBe(404);
		expect(keys.explanation).toContain('secrets only');
		const del = await kv(l, l.world, SECRET_URL, token, 'DELETE');
		expect(del.response.status).toBe(405);
		expect(del.explanation).toContain('DELETE');
	});
});

describe('Key Vault: authorization (403)', () => {
	it('refuses an identity without role with ForbiddenByRbac in Key Vault’s exact shape', async () => {
		const l = await lab();
		const vault = getResource(l.world, VAULT);
		const r = await kv(l, l.world, SECRET_URL, await mint(l, AUD));
		expect(r.response.status).toBe(403);
		const error = errorOf(r);
		expect(error.code).toBe('Forbidden');
		expect(error.innererror).toEqual({ code: 'ForbiddenByRbac' });
		expect(error.message).toBe(
			'Caller is not authorized to perform action on resource.\r\n' +
				'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n' +
				`Caller: appid=${l.clientId};oid=${l.principalId};iss=${V1_ISSUER}\r\n` +
				"Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\n" +
				`Resource: '${`${VAULT}/secrets/db-password`.toLowerCase()}'\r\n` +
				'Assignment: (not found)\r\n' +
				'DenyAssignmentId: null\r\n' +
				"DecisionReason: 'DeniedWithNoValidRBAC' \r\n" +
				`Vault: kv-stock;location=${vault?.location ?? ''}\r\n`
		);
		expect(hopTrail(r)).toEqual(['request:ok', 'check:ok', 'check:fail', 'response:fail']);
		expect(r.hops[2]?.title).toBe('Authorize (Azure RBAC)');
		expect(r.hops[2]?.detail).toContain('Key Vault Secrets User');
		expect(r.explanation).toBe(r.hops[2]?.detail);
		expect(recorded(r)).toMatchObject({
			status: 403,
			principalId: l.principalId,
			authMethod: 'bearer',
			errorCode: 'ForbiddenByRbac'
		});
	});

	it('refuses Reader on the resource group: it has no data actions', async () => {
		const l = await lab();
		const { world } = withRole(l, 'Reader', RG);
		const r = await kv(l, world, SECRET_URL, await mint(l, AUD, {}, undefined, world));
		expect(r.response.status).toBe(403);
		expect(r.explanation).toContain('no data actions');
		expect(r.explanation).toContain('Key Vault Secrets User');
	});

	it('refuses setSecret to a Secrets User', async () => {
		const l = await readerLab();
		const r = await kv(l, l.world, SECRET_URL, await mint(l, AUD), 'PUT', '{"value":"x"}');
		expect(r.response.status).toBe(403);
		expect(errorOf(r).message).toContain(
			"Action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'"
		);
		expect(r.operations.map((o) => o.type)).toEqual(['recordServiceCall']);
	});

	it('answers an access-policy vault with AccessDenied', async () => {
		const l = await readerLab();
		const world = structuredClone(l.world);
		const vault = getResource(world, VAULT);
		if (vault?.kind === 'keyVault') vault.enableRbacAuthorization = false;
		const r = await kv(l, world, SECRET_URL, await mint(l, AUD));
		expect(r.response.status).toBe(403);
		expect(errorOf(r)).toMatchObject({ code: 'Forbidden', innererror: { code: 'AccessDenied' } });
		expect(errorOf(r).message).toContain(
			`'appid=${l.clientId};oid=${l.principalId};iss=${V1_ISSUER}' does not have secrets get permission on key vault 'kv-stock;location=`
		);
	});
});

describe('Key Vault: secrets', () => {
	it('returns the current version with Key Vault’s body', async () => {
		const l = await readerLab();
		const vault = getResource(l.world, VAULT);
		const version =
			vault?.kind === 'keyVault' ? vault.secrets['db-password']?.versions[0] : undefined;
		const r = await kv(l, l.world, SECRET_URL, await mint(l, AUD));
		expect(r.response.status).toBe(200);
		expect(json(r)).toEqual({
			value: 'Stock-Db-Pa55!2026',
			id: `${KV}/secrets/db-password/${version?.version ?? ''}`,
			attributes: {
				enabled: true,
				created: version?.created,
				updated: version?.created,
				recoveryLevel: 'Recoverable+Purgeable',
				recoverableDays: 90
			},
			tags: {}
		});
		expect(hopTrail(r)).toEqual(['request:ok', 'check:ok', 'check:ok', 'response:ok']);
		expect(r.explanation).toBeUndefined();
		expect(recorded(r)).toMatchObject({ status: 200, errorCode: null, principalId: l.principalId });
	});

	it('reads a secret name in any case, a given version, and refuses unknown ones with SecretNotFound', async () => {
		const l = await readerLab();
		const token = await mint(l, AUD);
		const vault = getResource(l.world, VAULT);
		const version =
			vault?.kind === 'keyVault' ? (vault.secrets['db-password']?.versions[0]?.version ?? '') : '';
		expect(
			(await kv(l, l.world, `${KV}/secrets/DB-Password?api-version=7.5`, token)).response.status
		).toBe(200);
		expect(
			(await kv(l, l.world, `${KV}/secrets/db-password/${version}?api-version=7.5`, token)).response
				.status
		).toBe(200);
		const missing = await kv(l, l.world, `${KV}/secrets/api-key?api-version=7.5`, token);
		expect(missing.response.status).toBe(404);
		expect(errorOf(missing)).toEqual({
			code: 'SecretNotFound',
			message:
				'A secret with (name/id) api-key was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182'
		});
		expect(missing.explanation).toContain('az keyvault secret list');
		const badVersion = await kv(
			l,
			l.world,
			`${KV}/secrets/db-password/0000?api-version=7.5`,
			token
		);
		expect(badVersion.response.status).toBe(404);
		expect(errorOf(badVersion).message).toContain('db-password/0000');
	});

	it('lists secrets without values (readMetadata)', async () => {
		const l = await readerLab();
		const r = await kv(l, l.world, `${KV}/secrets?api-version=7.5`, await mint(l, AUD));
		expect(r.response.status).toBe(200);
		const body = json(r) as { value: Record<string, unknown>[]; nextLink: unknown };
		expect(body.nextLink).toBeNull();
		expect(body.value).toHaveLength(1);
		expect(body.value[0]).toMatchObject({ id: `${KV}/secrets/db-password` });
		expect(body.value[0]).not.toHaveProperty('value');
		expect(recorded(r)).toMatchObject({ operation: 'listSecrets', target: VAULT });
	});

	it('sets a secret as a Secrets Officer: the operation applies the version the response announced', async () => {
		const l = await readerLab('Key Vault Secrets Officer');
		const r = await kv(
			l,
			l.world,
			SECRET_URL,
			await mint(l, AUD),
			'PUT',
			'{"value":"Rotated-2026!","contentType":"text/plain"}'
		);
		expect(r.response.status).toBe(200);
		const body = json(r) as { id: string; value: string; contentType: string };
		expect(body.value).toBe('Rotated-2026!');
		expect(body.contentType).toBe('text/plain');
		expect(body.id).toBe(
			`${KV}/secrets/db-password/${seededGuid(l.world.seed, l.world.idCounter).replace(/-/g, '')}`
		);
		expect(r.operations.map((o) => o.type)).toEqual(['setSecret', 'recordServiceCall']);
		const world = apply(l.world, r.operations);
		const vault = getResource(world, VAULT);
		const versions =
			vault?.kind === 'keyVault' ? (vault.secrets['db-password']?.versions ?? []) : [];
		expect(versions).toHaveLength(2);
		expect(body.id.endsWith(`/${versions[1]?.version ?? '?'}`)).toBe(true);
		expect(
			world.events.some(
				(e) => e.kind === 'serviceCall' && e.operation === 'setSecret' && e.status === 200
			)
		).toBe(true);
	});

	it('refuses a set without JSON value, and an invalid name', async () => {
		const l = await readerLab('Key Vault Secrets Officer');
		const token = await mint(l, AUD);
		const noJson = await kv(l, l.world, SECRET_URL, token, 'PUT', 'value=x');
		expect(noJson.response.status).toBe(400);
		expect(noJson.explanation).toContain('{"value":"s3cret"}');
		const noValue = await kv(l, l.world, SECRET_URL, token, 'PUT', '{"v":1}');
		expect(noValue.response.status).toBe(400);
		const badName = await kv(
			l,
			l.world,
			`${KV}/secrets/bad_name?api-version=7.5`,
			token,
			'PUT',
			'{"value":"x"}'
		);
		expect(badName.response.status).toBe(400);
		expect(badName.explanation).toContain('letters, digits and hyphens');
	});

	it('keeps answering the token of a deleted identity while a stale assignment names its object id', async () => {
		const l = await readerLab();
		const token = await mint(l, AUD);
		const world = apply(l.world, [{ type: 'disableSystemIdentity', resourceId: VM }]);
		const r = await kv(l, world, SECRET_URL, token);
		expect(r.response.status).toBe(200);
		expect(r.hops[1]?.detail).toContain('has been deleted');
	});
});
