import { beforeAll, describe, expect, it } from 'vitest';
import { createEmptyWorld, DEFAULT_IDS } from '../../../src/core/azure/default-world.ts';
import type { World } from '../../../src/core/azure/model.ts';
import { verifyAccessToken } from '../../../src/core/crypto/index.ts';
import type { SigningKey } from '../../../src/core/crypto/index.ts';
import {
	KNOWN_AUDIENCES,
	audienceHint,
	managedIdentityClaims,
	managedIdentityResourceClaim,
	resolveAudience,
	tenantCreationTime,
	v1Issuer
} from '../../../src/core/token/claims.ts';
import { issueManagedIdentityToken, tenantJwks } from '../../../src/core/token/entra.ts';
import type { IssuedToken } from '../../../src/core/token/entra.ts';
import { createKeyRing, publishSigningKey } from '../../../src/core/token/key-ring.ts';
import {
	START,
	VM,
	apply,
	assign,
	createUami,
	enableSystem,
	host,
	keyedWorld,
	loadFixtureKey
} from './scenario.ts';

const ARM = 'https://management.azure.com/';
const FIXTURE_VM =
	'/subscriptions/a1b2c3d4-0000-4000-8000-00000005707c/resourceGroups/rg-fixture/providers/Microsoft.Compute/virtualMachines/vm-fixture';

/**
 * A token issued in the fixture world below with the committed test key. RS256 is deterministic, so any
 * change to the claims, their order, the seeded ids or the signing path changes these bytes.
 */
const FIXTURE_TOKEN =
	'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6Im1VSDhPOTgzMzAwbUxoYmhiTERUSGtvdjcyMCIsImtpZCI6Im1VSDhPOTgzMzAwbUxoYmhiTERUSGtvdjcyMCJ9.' +
	'eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tLyIsImlzcyI6Imh0dHBzOi8vc3RzLndpbmRvd3MubmV0L2MwYTdlNWYwLTFkMmItNGMzYS05ZThmLTAwMDAwYzBhNzA1MC8iLCJpYXQiOjE3NzI0NDIwMDAsIm5iZiI6MTc3MjQ0MjAwMCwiZXhwIjoxNzcyNTI4NzAwLCJhaW8iOiJrMnE1RVo4Smxla2VvRkpoR3laSHF0SV9NeFQtcW1yMFlYcThETW5TbFh1UW1ySGxSdGdWVDVzbyIsImFwcGlkIjoiMmVmNTYwNWQtOTE4Ni00NjM3LTkyY2MtMWNkYTAyZWY5MWYyIiwiYXBwaWRhY3IiOiIyIiwiaWRwIjoiaHR0cHM6Ly9zdHMud2luZG93cy5uZXQvYzBhN2U1ZjAtMWQyYi00YzNhLTllOGYtMDAwMDBjMGE3MDUwLyIsImlkdHlwIjoiYXBwIiwib2lkIjoiMjZkNjY5ZWEtOGExMi00MjgzLTgzNmUtZTQ0NDBjNGQ4ZDc5IiwicmgiOiIxLk5iN0pzWFl6NFZ1dm9zYWViY2F0ZkpwT3NuVXY2MWdyREZrbEwzQy1yU0U1RFY1ekw0TzJ0NU9hNEJ1N255S2J1NEFBLiIsInN1YiI6IjI2ZDY2OWVhLThhMTItNDI4My04MzZlLWU0NDQwYzRkOGQ3OSIsInRpZCI6ImMwYTdlNWYwLTFkMmItNGMzYS05ZThmLTAwMDAwYzBhNzA1MCIsInV0aSI6ImhYdmRBUi0zOEpmcVFQd2Vpd0VHSEciLCJ2ZXIiOiIxLjAiLCJ4bXNfbWlyaWQiOiIvc3Vic2NyaXB0aW9ucy9hMWIyYzNkNC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwNTcwN2MvcmVzb3VyY2Vncm91cHMvcmctZml4dHVyZS9wcm92aWRlcnMvTWljcm9zb2Z0LkNvbXB1dGUvdmlydHVhbE1hY2hpbmVzL3ZtLWZpeHR1cmUiLCJ4bXNfdGNkdCI6MTQ0Nzk4NTcxOX0.' +
	'dnWJIyVb4d2XWpcdIGqgWa7mdr2JrzrJ_j3YSDa5K0o4TzTUVR79sqcS2nm2fg4fw56y83wUGc9o6n4rhiEgiO0XZj6HJRdSHJIl-o3qfuvrEFx8ivz_EnNu6Qanf89-0W7nHczQtajqurok2XH791uZv86U4N1y877YF-cvxPrxNQDDCpUoym1dKLJO5wKWsbv_8OYZHM8S8Ac3xAg1m8ULZ8uFr4F_0pkfQnaJEtzjrhHSLiMu_Jxzk1CuFIcazQCi9FPFjEWAS3ilTOViJoTfW6USVZTAH1jCuOQMXtGiwnYp4zmuSUAtmXF95wQTtX56SqZeeHSThNlezuWbzQ';

let key: SigningKey;

beforeAll(async () => {
	key = await loadFixtureKey();
});

/** An empty world with one VM whose system-assigned identity is on, and the fixture key published. */
function fixtureWorld(): World {
	return apply(createEmptyWorld({ seed: 'token-fixture' }), [
		publishSigningKey(key),
		{ type: 'createResourceGroup', name: 'rg-fixture', location: 'westeurope' },
		{
			type: 'createVirtualMachine',
			resourceGroup: 'rg-fixture',
			name: 'vm-fixture',
			identity: { systemAssigned: true }
		}
	]);
}

async function issue(
	world: World,
	principalId: string,
	resource: string,
	hostId: string
): Promise<IssuedToken> {
	const result = await issueManagedIdentityToken(world, createKeyRing([key]), {
		principalId,
		resource,
		hostId,
		endpoint: 'imds'
	});
	if (!result.ok) throw new Error(result.error.message);
	return result.value;
}

describe('managed identity token claims (reference 3.2)', () => {
	it('has exactly the claims of reference 3.2, in order', async () => {
		const { world: w, ring } = await keyedWorld();
		const world = enableSystem(w, VM);
		const system = host(world, VM).identity.systemAssigned;
		const result = await issueManagedIdentityToken(world, ring, {
			principalId: system?.principalId ?? '',
			resource: ARM,
			hostId: VM,
			endpoint: 'imds'
		});
		if (!result.ok) throw new Error(result.error.message);
		const verified = await verifyAccessToken(
			result.value.token.accessToken,
			tenantJwks(world, 'v2'),
			{
				now: world.now,
				issuer: v1Issuer(DEFAULT_IDS.tenantId),
				audience: ARM
			}
		);
		if (!verified.ok) throw new Error(verified.error.message);
		expect(Object.keys(verified.value.payload)).toEqual([
			'aud',
			'iss',
			'iat',
			'nbf',
			'exp',
			'aio',
			'appid',
			'appidacr',
			'idp',
			'idtyp',
			'oid',
			'rh',
			'sub',
			'tid',
			'uti',
			'ver',
			'xms_mirid',
			'xms_tcdt'
		]);
		expect(verified.value.header).toEqual({ typ: 'JWT', alg: 'RS256', x5t: key.x5t, kid: key.kid });
		expect(verified.value.payload).toMatchObject({
			aud: ARM,
			iss: `https://sts.windows.net/${DEFAULT_IDS.tenantId}/`,
			idp: `https://sts.windows.net/${DEFAULT_IDS.tenantId}/`,
			iat: START,
			nbf: START,
			exp: START + 86_700,
			appid: system?.clientId,
			appidacr: '2',
			idtyp: 'app',
			oid: system?.principalId,
			sub: system?.principalId,
			tid: DEFAULT_IDS.tenantId,
			ver: '1.0',
			xms_mirid:
				'/subscriptions/a1b2c3d4-0000-4000-8000-00000005707c/resourcegroups/rg-stock/providers/Microsoft.Compute/virtualMachines/vm-stock-app',
			xms_tcdt: tenantCreationTime(DEFAULT_IDS.tenantId)
		});
		expect(result.value.token).toMatchObject({
			issuedAt: START,
			expiresOn: START + 86_700,
			kid: key.kid,
			resource: ARM
		});
	});

	it('a user-assigned token names the identity resource in xms_mirid and its ids in oid/sub/appid', async () => {
		const { world: w } = await keyedWorld();
		const { world: w2, uami } = createUami(w, 'id-Payments');
		const world = assign(w2, VM, uami.id);
		const { claims } = await issue(world, uami.principalId, 'https://vault.azure.net', VM);
		expect(claims.xms_mirid).toBe(
			'/subscriptions/a1b2c3d4-0000-4000-8000-00000005707c/resourcegroups/rg-stock/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-Payments'
		);
		expect(claims.oid).toBe(uami.principalId);
		expect(claims.sub).toBe(uami.principalId);
		expect(claims.appid).toBe(uami.clientId);
		expect(claims.aud).toBe('https://vault.azure.net');
		expect(claims.exp - claims.iat).toBe(86_700);
	});

	it("keeps aud verbatim and follows the world's token lifetime", async () => {
		const fixture = fixtureWorld();
		const world: World = {
			...fixture,
			settings: { ...fixture.settings, tokenLifetimeSeconds: 3600 }
		};
		const system = host(world, FIXTURE_VM).identity.systemAssigned;
		const { claims } = await issue(
			world,
			system?.principalId ?? '',
			'https://VAULT.azure.net/',
			FIXTURE_VM
		);
		expect(claims.aud).toBe('https://VAULT.azure.net/');
		expect(claims.exp - claims.iat).toBe(3600);
	});

	it('derives the opaque claims from the seed: per token for aio/uti, per identity and resource for rh', () => {
		const world = fixtureWorld();
		const input = {
			resource: ARM,
			principalId: 'p1',
			clientId: 'c1',
			identityResourceId: FIXTURE_VM,
			issuedAt: START
		};
		const a = managedIdentityClaims(world, input);
		expect(managedIdentityClaims(world, input)).toEqual(a);
		const later = managedIdentityClaims(world, {
			...input,
			issuedAt: (START + 60) as typeof START
		});
		expect(later.uti).not.toBe(a.uti);
		expect(later.aio).not.toBe(a.aio);
		expect(later.rh).toBe(a.rh);
		expect(a.uti).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(a.rh).toMatch(/^1\.[A-Za-z0-9_-]+AA\.$/);
		const otherSeed = managedIdentityClaims({ ...world, seed: 'other' }, input);
		expect(otherSeed.uti).not.toBe(a.uti);
	});

	it('xms_tcdt is fixed per tenant, an integer between 2015 and 2021', () => {
		const t = tenantCreationTime(DEFAULT_IDS.tenantId);
		expect(Number.isInteger(t)).toBe(true);
		expect(t).toBe(tenantCreationTime(DEFAULT_IDS.tenantId.toUpperCase()));
		expect(t).toBeGreaterThanOrEqual(Date.UTC(2015, 0, 1) / 1000);
		expect(t).toBeLessThan(Date.UTC(2021, 0, 1) / 1000);
		expect(tenantCreationTime('72f988bf-86f1-41af-91ab-2d7cd011db47')).not.toBe(t);
	});

	it('xms_mirid lower-cases only resourcegroups', () => {
		expect(
			managedIdentityResourceClaim(
				'/subscriptions/s/resourceGroups/Default-RG/providers/Microsoft.Compute/virtualMachines/It-VM'
			)
		).toBe(
			'/subscriptions/s/resourcegroups/Default-RG/providers/Microsoft.Compute/virtualMachines/It-VM'
		);
	});

	it('mints the fixture token byte for byte from the fixture world and the committed key', async () => {
		const world = fixtureWorld();
		const system = host(world, FIXTURE_VM).identity.systemAssigned;
		const issued = await issue(world, system?.principalId ?? '', ARM, FIXTURE_VM);
		expect(issued.token.accessToken).toBe(FIXTURE_TOKEN);
		const again = await issue(fixtureWorld(), system?.principalId ?? '', ARM, FIXTURE_VM);
		expect(again.token.accessToken).toBe(FIXTURE_TOKEN);
	});
});

describe('audiences (reference 3.4)', () => {
	it('knows the documented resources, with or without the trailing slash', () => {
		const world = createEmptyWorld();
		for (const { resource } of KNOWN_AUDIENCES) {
			expect(resolveAudience(world, resource)?.kind).toBe('microsoft');
			expect(
				resolveAudience(world, resource.endsWith('/') ? resource.slice(0, -1) : `${resource}/`)
					?.kind
			).toBe('microsoft');
		}
		expect(resolveAudience(world, 'https://management.azure.com')).toMatchObject({
			audience: { service: 'Azure Resource Manager' }
		});
		expect(resolveAudience(world, 'https://management.core.windows.net/')).toMatchObject({
			audience: { service: 'Azure Resource Manager' }
		});
	});

	// Entra ID accepts a resource's application id as `resource` (an observed v1 token for Key Vault carries
	// "aud": "cfa8b339-82a2-471a-a3c9-0fc0be7a4093"), the AKS AAD server by its app id, and Azure AI services.
	it('knows Microsoft resources by application id, Azure AI services and the AKS server app', async () => {
		const world = createEmptyWorld();
		expect(resolveAudience(world, 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093')).toMatchObject({
			audience: { service: 'Azure Key Vault' }
		});
		expect(resolveAudience(world, '6DAE42F8-4368-4678-94FF-3960E28E3630')).toMatchObject({
			audience: { service: 'Azure Kubernetes Service AAD Server' }
		});
		expect(resolveAudience(world, 'https://cognitiveservices.azure.com')).toMatchObject({
			audience: { service: 'Azure AI services' }
		});
		const fixture = fixtureWorld();
		const system = host(fixture, FIXTURE_VM).identity.systemAssigned;
		const issued = await issue(
			fixture,
			system?.principalId ?? '',
			'cfa8b339-82a2-471a-a3c9-0fc0be7a4093',
			FIXTURE_VM
		);
		expect(issued.claims.aud).toBe('cfa8b339-82a2-471a-a3c9-0fc0be7a4093');
	});

	it('knows api://{appId} of an app registration in the directory, and nothing else', async () => {
		const { world } = await keyedWorld();
		expect(resolveAudience(world, `api://${DEFAULT_IDS.legacyAppId}`)).toEqual({
			kind: 'application',
			appId: DEFAULT_IDS.legacyAppId,
			displayName: 'stock-app-legacy'
		});
		expect(resolveAudience(world, 'api://00000000-0000-4000-8000-000000000000')).toBeUndefined();
		expect(resolveAudience(world, 'https://kv-stock.vault.azure.net')).toBeUndefined();
		expect(resolveAudience(world, '')).toBeUndefined();
	});

	it('hints at what the learner probably meant', () => {
		expect(audienceHint('https://storage.azure.com/.default')).toContain(
			'resource=https://storage.azure.com'
		);
		expect(audienceHint('https://kv-stock.vault.azure.net/')).toContain(
			'resource=https://vault.azure.net'
		);
		expect(audienceHint('https://ststockdata.blob.core.windows.net/')).toContain(
			'resource=https://storage.azure.com/'
		);
		expect(audienceHint('https://sql-stock.database.windows.net/')).toContain(
			'resource=https://database.windows.net/'
		);
		expect(audienceHint('https://example.com')).toContain('https://management.azure.com/');
	});
});
