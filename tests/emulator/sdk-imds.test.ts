/**
 * The real @azure/identity SDK against the emulator standing in for a VM (IMDS). msal-node picks its
 * managed identity source, and reads AZURE_POD_IDENTITY_AUTHORITY_HOST, once per process on the first
 * token request, so every test of this file talks to the one emulator started in beforeAll.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManagedIdentityCredential } from '@azure/identity';
import { verifyAccessToken } from '../../src/core/crypto/index.ts';
import type { KeySet } from '../../src/core/crypto/index.ts';
import { startEmulator } from '../../src/emulator/emulator.ts';
import type { Emulator } from '../../src/emulator/emulator.ts';
import { advanceClock, identityEnvironment, jwtPayload, labCommand, labValue } from './lab.ts';

const VAULT_SCOPE = 'https://vault.azure.net/.default';
const STORAGE_SCOPE = 'https://storage.azure.com/.default';
/** No retries: the SDK would otherwise wait seconds between attempts on 404 and 410. */
const FAST = { retryOptions: { maxRetries: 0 } };

interface UserIdentity {
	id: string;
	clientId: string;
	principalId: string;
}

let emulator: Emulator;
let tenantId: string;
let vmId: string;
let systemPrincipalId: string;
let user: UserIdentity;
let restoreEnv: () => void;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0 });
	tenantId = emulator.world().tenant.tenantId;
	vmId = emulator.host.id;
	await labCommand(emulator, 'az vm identity assign -g rg-stock -n vm-stock-app');
	systemPrincipalId = await labValue(
		emulator,
		'az vm identity show -g rg-stock -n vm-stock-app --query principalId -o tsv'
	);
	user = JSON.parse(
		(await labCommand(emulator, 'az identity create -g rg-stock -n id-stock-app')).stdout
	) as UserIdentity;
	await labCommand(
		emulator,
		'az vm identity assign -g rg-stock -n vm-stock-app --identities id-stock-app'
	);
});

afterAll(async () => {
	await emulator.close();
});

beforeEach(() => {
	// Set before the credential is created: the credential reads the environment to choose its source.
	restoreEnv = identityEnvironment({ AZURE_POD_IDENTITY_AUTHORITY_HOST: emulator.url });
});

afterEach(() => {
	restoreEnv();
});

async function getJson(path: string): Promise<Record<string, unknown>> {
	const response = await fetch(`${emulator.url}${path}`);
	expect(response.status, path).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	return (await response.json()) as Record<string, unknown>;
}

describe('ManagedIdentityCredential against the emulator as vm-stock-app', () => {
	it('gets a system-assigned token that verifies against the JWKS the emulator publishes', async () => {
		const token = await new ManagedIdentityCredential(FAST).getToken(VAULT_SCOPE);
		expect(token.tokenType).toBe('Bearer');
		expect(token.token.split('.')).toHaveLength(3);

		const v2Keys = (await getJson(`/${tenantId}/discovery/v2.0/keys`)) as unknown as KeySet;
		const v1Keys = (await getJson(`/${tenantId}/discovery/keys`)) as unknown as KeySet;
		expect(v2Keys.keys.length).toBeGreaterThan(0);
		expect(
			v2Keys.keys.every((k) => k.issuer === `https://login.microsoftonline.com/${tenantId}/v2.0`)
		).toBe(true);
		expect(v1Keys.keys.every((k) => !('issuer' in k))).toBe(true);
		expect(v1Keys.keys.map((k) => k.kid)).toEqual(v2Keys.keys.map((k) => k.kid));

		const checks = {
			now: emulator.world().now,
			issuer: `https://sts.windows.net/${tenantId}/`,
			audience: 'https://vault.azure.net'
		};
		for (const keys of [v2Keys, v1Keys]) {
			const verified = await verifyAccessToken(token.token, keys, checks);
			if (!verified.ok) throw new Error(verified.error.message);
			expect(verified.value.payload).toMatchObject({
				oid: systemPrincipalId,
				sub: systemPrincipalId,
				tid: tenantId,
				idtyp: 'app',
				ver: '1.0',
				xms_mirid: vmId.replace('/resourceGroups/', '/resourcegroups/')
			});
			expect(v2Keys.keys.map((k) => k.kid)).toContain(verified.value.header.kid);
		}
		// The SDK derives the expiry from IMDS's expires_on (simulated time), to within its rounding.
		const exp = (jwtPayload(token.token).exp as number) * 1000;
		expect(Math.abs(token.expiresOnTimestamp - exp)).toBeLessThanOrEqual(2000);
	});

	it('publishes OpenID configurations whose issuer matches the tokens and whose jwks_uri is served here', async () => {
		const v1 = await getJson(`/${tenantId}/.well-known/openid-configuration`);
		const v2 = await getJson(`/${tenantId}/v2.0/.well-known/openid-configuration`);
		expect(v1.issuer).toBe(`https://sts.windows.net/${tenantId}/`);
		expect(v2.issuer).toBe(`https://login.microsoftonline.com/${tenantId}/v2.0`);
		// Entra's v1 document points every tenant at the common keys (reference 3.5).
		expect(v1.jwks_uri).toBe(`${emulator.url}/common/discovery/keys`);
		expect(v2.jwks_uri).toBe(`${emulator.url}/${tenantId}/discovery/v2.0/keys`);
		expect(v2.token_endpoint).toBe(`${emulator.url}/${tenantId}/oauth2/v2.0/token`);
		for (const doc of [v1, v2]) {
			expect(doc.id_token_signing_alg_values_supported).toEqual(['RS256']);
			const fromUri = await fetch(String(doc.jwks_uri));
			expect(fromUri.status).toBe(200);
			const keys = (await fromUri.json()) as KeySet;
			expect(keys.keys.length).toBe(emulator.world().signingKeys.length);
		}
		const token = await new ManagedIdentityCredential(FAST).getToken(STORAGE_SCOPE);
		expect(jwtPayload(token.token).iss).toBe(v1.issuer);
	});

	it('gets the user-assigned identity by client id, by resource id and by object id', async () => {
		const selectors = [
			{ clientId: user.clientId },
			{ resourceId: user.id },
			{ objectId: user.principalId }
		];
		for (const selector of selectors) {
			const token = await new ManagedIdentityCredential({ ...selector, ...FAST }).getToken(
				STORAGE_SCOPE
			);
			expect(jwtPayload(token.token), JSON.stringify(selector)).toMatchObject({
				aud: 'https://storage.azure.com',
				oid: user.principalId,
				appid: user.clientId,
				xms_mirid: user.id.replace('/resourceGroups/', '/resourcegroups/')
			});
		}
		const system = await new ManagedIdentityCredential(FAST).getToken(STORAGE_SCOPE);
		expect(jwtPayload(system.token).oid).toBe(systemPrincipalId);
	});

	it('fails as on Azure for a client id that no identity of the VM has: IMDS 400 "Identity not found"', async () => {
		const unassigned = new ManagedIdentityCredential({
			clientId: '0b5f2a8e-6d1c-4e7a-9b3f-5c2d8e1a7f40',
			...FAST
		});
		const failure: unknown = await unassigned.getToken(VAULT_SCOPE).then(
			() => undefined,
			(cause: unknown) => cause
		);
		expect(failure).toBeInstanceOf(Error);
		const error = failure as Error;
		expect(['CredentialUnavailableError', 'AuthenticationError']).toContain(error.name);
		expect(error.message).toContain('Identity not found');
		expect(error.message).toContain('invalid_request');
	});

	it('reads a Key Vault secret with the SDK token: 403 ForbiddenByRbac until the role assignment propagates, then 200', async () => {
		const vaultId = await labValue(emulator, 'az keyvault show -n kv-stock --query id -o tsv');
		await labCommand(
			emulator,
			`az role assignment create --assignee-object-id ${systemPrincipalId} --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope ${vaultId}`
		);
		const token = await new ManagedIdentityCredential(FAST).getToken(VAULT_SCOPE);
		const read = () =>
			fetch(`${emulator.url}/kv-stock.vault.azure.net/secrets/db-password?api-version=7.4`, {
				headers: { Authorization: `Bearer ${token.token}` }
			});

		const early = await read();
		expect(early.status).toBe(403);
		const refusal = (await early.json()) as {
			error: { code: string; innererror?: { code: string } };
		};
		expect(refusal.error.code).toBe('Forbidden');
		expect(refusal.error.innererror?.code).toBe('ForbiddenByRbac');

		await advanceClock(emulator, 300);
		const later = await read();
		expect(later.status).toBe(200);
		const secret = (await later.json()) as { value: unknown; id: unknown };
		expect(typeof secret.value).toBe('string');
		expect(secret.value).not.toBe('');
		expect(String(secret.id)).toMatch(
			/^https:\/\/kv-stock\.vault\.azure\.net\/secrets\/db-password\//
		);

		const events = emulator.world().events;
		expect(
			events.some((e) => e.kind === 'serviceCall' && e.service === 'keyVault' && e.status === 200)
		).toBe(true);
	});
});
