import { describe, expect, it } from 'vitest';
import { DEFAULT_IDS } from '../../../src/core/azure/default-world.ts';
import { epochSeconds } from '../../../src/core/clock.ts';
import { armUtcTime, handleArm } from '../../../src/core/services/arm.ts';
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
	SUB,
	tamper,
	TENANT,
	VAULT,
	VM,
	withRole
} from './service-fixture.ts';
import type { Lab } from './service-fixture.ts';

const ARM = 'https://management.azure.com';
const AUD = 'https://management.azure.com/';
const Q = '?api-version=2022-09-01';

async function arm(l: Lab, path: string, token?: string, method = 'GET') {
	const headers: Record<string, string> =
		token === undefined ? {} : { Authorization: `Bearer ${token}` };
	return call(handleArm, l, l.world, { method, url: `${ARM}${path}`, headers });
}

function errorOf(result: { response: { body: string } }): { code: string; message: string } {
	return (JSON.parse(result.response.body) as { error: { code: string; message: string } }).error;
}

async function roleLab(
	role: string,
	scope: string,
	extra: Parameters<typeof apply>[1] = []
): Promise<Lab> {
	return withRole(await lab([...extra]), role, scope);
}

describe('armUtcTime', () => {
	it('prints times as ARM does in token messages', () => {
		expect(armUtcTime(epochSeconds(Date.UTC(2026, 2, 2, 9, 0, 0) / 1000))).toBe(
			'3/2/2026 9:00:00 AM'
		);
		expect(armUtcTime(epochSeconds(Date.UTC(2026, 11, 31, 0, 5, 7) / 1000))).toBe(
			'12/31/2026 12:05:07 AM'
		);
		expect(armUtcTime(epochSeconds(Date.UTC(2026, 0, 1, 13, 30, 0) / 1000))).toBe(
			'1/1/2026 1:30:00 PM'
		);
	});
});

describe('ARM: authentication (401)', () => {
	it('answers a call without token with AuthenticationFailed and the challenge', async () => {
		const l = await lab();
		const r = await arm(l, `${RG}${Q}`);
		expect(r.response.status).toBe(401);
		expect(errorOf(r)).toEqual({
			code: 'AuthenticationFailed',
			message: "Authentication failed. The 'Authorization' header is missing."
		});
		expect(r.response.headers['WWW-Authenticate']).toBe(
			'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."'
		);
		expect(hopTrail(r)).toEqual(['request:ok', 'check:fail', 'response:fail']);
		expect(recorded(r)).toMatchObject({
			service: 'arm',
			operation: 'readResourceGroup',
			target: RG,
			status: 401,
			principalId: null,
			errorCode: 'AuthenticationFailed'
		});
	});

	it('answers another scheme with AuthenticationFailed', async () => {
		const l = await lab();
		const r = await call(
			handleArm,
			l,
			l.world,
			get(`${ARM}${RG}${Q}`, { Authorization: 'Basic eDp5' })
		);
		expect(errorOf(r)).toEqual({
			code: 'AuthenticationFailed',
			message: "Authentication failed. The 'Authorization' header is provided in an invalid format."
		});
	});

	it('answers a token for Key Vault with InvalidAuthenticationTokenAudience', async () => {
		const l = await lab();
		const r = await arm(l, `${RG}${Q}`, await mint(l, 'https://vault.azure.net'));
		expect(r.response.status).toBe(401);
		expect(errorOf(r)).toEqual({
			code: 'InvalidAuthenticationTokenAudience',
			message:
				"The access token has been obtained for wrong audience or resource 'https://vault.azure.net'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'."
		});
		expect(r.response.headers['WWW-Authenticate']).toContain('error="invalid_token"');
		expect(r.explanation).toContain('resource=https://management.azure.com/');
	});

	it('answers an expired token with ExpiredAuthenticationToken and both times', async () => {
		const l = await lab();
		const r = await arm(
			l,
			`${RG}${Q}`,
			await mint(l, AUD, {
				iat: at(l.world, -90_000),
				nbf: at(l.world, -90_000),
				exp: at(l.world, -3600)
			})
		);
		expect(errorOf(r)).toEqual({
			code: 'ExpiredAuthenticationToken',
			message: `The access token expiry UTC time '${armUtcTime(at(l.world, -3600))}' is earlier than current UTC time '${armUtcTime(l.world.now)}'.`
		});
	});

	it('answers a tenant-signed token without exp with InvalidAuthenticationToken', async () => {
		const l = await lab();
		const r = await arm(l, `${RG}${Q}`, await mint(l, AUD, { exp: undefined }));
		expect(r.response.status).toBe(401);
		expect(errorOf(r)).toEqual({
			code: 'InvalidAuthenticationToken',
			message: 'The access token is invalid.'
		});
		expect(r.explanation).toContain('no expiration time');
	});

	it('answers a token of another tenant with InvalidAuthenticationTokenTenant', async () => {
		const l = await lab();
		const iss = 'https://sts.windows.net/11111111-2222-4333-8444-555555555555/';
		const r = await arm(l, `${RG}${Q}`, await mint(l, AUD, { iss }));
		expect(errorOf(r).code).toBe('InvalidAuthenticationTokenTenant');
		expect(errorOf(r).message).toContain(
			`The access token is from the wrong issuer '${iss}'. It must match the tenant 'https://sts.windows.net/${TENANT}/' associated with this subscription.`
		);
	});

	it('answers a tampered token or an unknown key with InvalidAuthenticationToken', async () => {
		const l = await lab();
		for (const token of [
			tamper(await mint(l, AUD), { oid: 'x' }),
			await mint(l, AUD, {}, await loadStrangerKey())
		]) {
			const r = await arm(l, `${RG}${Q}`, token);
			expect(r.response.status).toBe(401);
			expect(errorOf(r)).toEqual({
				code: 'InvalidAuthenticationToken',
				message: 'The access token is invalid.'
			});
		}
	});
});

describe('ARM: requests', () => {
	it('requires api-version', async () => {
		const l = await roleLab('Reader', RG);
		const r = await arm(l, RG, await mint(l, AUD));
		expect(r.response.status).toBe(400);
		expect(errorOf(r)).toEqual({
			code: 'MissingApiVersionParameter',
			message: 'The api-version query parameter (?api-version=) is required for all requests.'
		});
	});

	it('answers writes with 405 and unknown paths with 404', async () => {
		const l = await roleLab('Reader', RG);
		const token = await mint(l, AUD);
		expect((await arm(l, `${RG}${Q}`, token, 'PUT')).response.status).toBe(405);
		const unknown = await arm(l, `/tenants${Q}`, token);
		expect(unknown.response.status).toBe(404);
		expect(unknown.explanation).toContain('/subscriptions/{id}');
	});

	it('answers an unknown subscription with SubscriptionNotFound', async () => {
		const l = await roleLab('Reader', RG);
		const r = await arm(
			l,
			`/subscriptions/00000000-0000-4000-8000-000000000000${Q}`,
			await mint(l, AUD)
		);
		expect(r.response.status).toBe(404);
		expect(errorOf(r)).toEqual({
			code: 'SubscriptionNotFound',
			message: "The subscription '00000000-0000-4000-8000-000000000000' could not be found."
		});
	});
});

describe('ARM: authorization (403)', () => {
	it('refuses an identity without role with AuthorizationFailed in ARM’s exact words', async () => {
		const l = await lab();
		const r = await arm(l, `${RG}${Q}`, await mint(l, AUD));
		expect(r.response.status).toBe(403);
		expect(errorOf(r)).toEqual({
			code: 'AuthorizationFailed',
			message: `The client '${l.clientId}' with object id '${l.principalId}' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourceGroups/read' over scope '${RG}' or the scope is invalid. If access was recently granted, please refresh your credentials.`
		});
		expect(hopTrail(r)).toEqual(['request:ok', 'check:ok', 'check:fail', 'response:fail']);
		expect(r.explanation).toContain('Reader');
		expect(recorded(r)).toMatchObject({
			status: 403,
			principalId: l.principalId,
			errorCode: 'AuthorizationFailed'
		});
	});

	it('names a user by UPN in AuthorizationFailed', async () => {
		const l = await lab();
		const oid = '0b0b0000-0000-4000-8000-00000000b0b0';
		const r = await arm(
			l,
			`${RG}${Q}`,
			await mint(l, AUD, { oid, sub: oid, upn: 'bob@contoso.onmicrosoft.com' })
		);
		expect(errorOf(r).message).toContain(
			`The client 'bob@contoso.onmicrosoft.com' with object id '${oid}'`
		);
		expect(r.explanation).toContain('No user or service principal');
	});

	it('refuses reading a resource with the type’s read action', async () => {
		const l = await lab();
		const r = await arm(l, `${VAULT}${Q}`, await mint(l, AUD));
		expect(errorOf(r).message).toContain("action 'Microsoft.KeyVault/vaults/read'");
	});

	it('refuses Storage Blob Data Reader on the account for ARM reads of the resource group', async () => {
		const l = await roleLab(
			'Storage Blob Data Reader',
			`${RG}/providers/Microsoft.Storage/storageAccounts/ststockdata`
		);
		const r = await arm(l, `${RG}${Q}`, await mint(l, AUD));
		expect(r.response.status).toBe(403);
	});
});

describe('ARM: reads', () => {
	it('reads the resource group and its resources with Reader on it', async () => {
		const l = await roleLab('Reader', RG);
		const token = await mint(l, AUD);
		const group = await arm(l, `${RG}${Q}`, token);
		expect(group.response.status).toBe(200);
		expect(json(group)).toEqual({
			id: RG,
			name: 'rg-stock',
			type: 'Microsoft.Resources/resourceGroups',
			location: 'westeurope',
			properties: { provisioningState: 'Succeeded' }
		});
		expect(hopTrail(group)).toEqual(['request:ok', 'check:ok', 'check:ok', 'response:ok']);
		const resources = await arm(l, `${RG}/resources${Q}`, token);
		const list = (json(resources) as { value: { id: string; properties?: unknown }[] }).value;
		expect(list.map((v) => v.id)).toContain(VAULT);
		expect(list[0]).not.toHaveProperty('properties');
		const vault = await arm(l, `${VAULT}${Q}`, token);
		expect(json(vault)).toMatchObject({
			id: VAULT,
			type: 'Microsoft.KeyVault/vaults',
			properties: { enableRbacAuthorization: true }
		});
		const vm = await arm(l, `${VM.replace('resourceGroups', 'resourcegroups')}${Q}`, token);
		expect(vm.response.status).toBe(200);
		expect(json(vm)).toMatchObject({
			identity: { type: 'SystemAssigned', principalId: l.principalId }
		});
	});

	it('answers a missing resource with ResourceNotFound and a missing group with ResourceGroupNotFound', async () => {
		const l = await roleLab('Reader', SUB);
		const token = await mint(l, AUD);
		const resource = await arm(l, `${RG}/providers/Microsoft.KeyVault/vaults/kv-nope${Q}`, token);
		expect(resource.response.status).toBe(404);
		expect(errorOf(resource)).toEqual({
			code: 'ResourceNotFound',
			message:
				"The Resource 'Microsoft.KeyVault/vaults/kv-nope' under resource group 'rg-stock' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
		});
		const group = await arm(l, `${SUB}/resourceGroups/rg-nope${Q}`, token);
		expect(errorOf(group)).toEqual({
			code: 'ResourceGroupNotFound',
			message: "Resource group 'rg-nope' could not be found."
		});
	});

	it('lists only the resource groups the caller may read', async () => {
		const l = await roleLab('Reader', RG, [
			{ type: 'createResourceGroup', name: 'rg-other', location: 'westeurope' }
		]);
		const r = await arm(l, `${SUB}/resourceGroups${Q}`, await mint(l, AUD));
		expect(r.response.status).toBe(200);
		expect((json(r) as { value: { name: string }[] }).value.map((g) => g.name)).toEqual([
			'rg-stock'
		]);
		expect(r.hops[2]?.detail).toContain('1 of 2');
	});

	it('reads the subscription with Reader on it, and lists the caller’s subscriptions', async () => {
		const l = await roleLab('Reader', SUB);
		const token = await mint(l, AUD);
		const sub = await arm(l, `${SUB}${Q}`, token);
		expect(json(sub)).toMatchObject({
			subscriptionId: DEFAULT_IDS.subscriptionId,
			tenantId: TENANT,
			displayName: 'Contoso Production',
			state: 'Enabled'
		});
		const subs = await arm(l, `/subscriptions${Q}`, token);
		expect(json(subs)).toMatchObject({ count: { type: 'Total', value: 1 } });
		const none = await lab();
		const empty = await arm(none, `/subscriptions${Q}`, await mint(none, AUD));
		expect(json(empty)).toMatchObject({ value: [], count: { value: 0 } });
		expect(empty.hops[2]?.detail).toContain('no role assignment');
	});

	it('lists role assignments at, above and below a scope, filters by principal, reads one', async () => {
		const l = await roleLab('Reader', RG);
		const token = await mint(l, AUD);
		const path = `${RG}/providers/Microsoft.Authorization/roleAssignments`;
		const all = (
			json(await arm(l, `${path}${Q}`, token)) as {
				value: { properties: { principalId: string; scope: string; roleDefinitionName: string } }[];
			}
		).value;
		expect(all.map((a) => a.properties.roleDefinitionName).sort()).toEqual(['Owner', 'Reader']);
		const mine = (
			json(
				await arm(
					l,
					`${path}${Q}&$filter=${encodeURIComponent(`principalId eq '${l.principalId}'`)}`,
					token
				)
			) as { value: { name: string }[] }
		).value;
		expect(mine).toHaveLength(1);
		const one = await arm(l, `${path}/${mine[0]?.name ?? ''}${Q}`, token);
		expect(one.response.status).toBe(200);
		const missing = await arm(l, `${path}/00000000-0000-4000-8000-000000000000${Q}`, token);
		expect(errorOf(missing).code).toBe('RoleAssignmentNotFound');
	});
});
