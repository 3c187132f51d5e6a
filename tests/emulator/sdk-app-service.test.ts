/**
 * The real @azure/identity SDK against the emulator standing in for a web app (the App Service identity
 * endpoint). A file of its own: msal-node keeps the managed identity source it picked first (IMDS in the
 * VM tests) for the life of the process.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManagedIdentityCredential } from '@azure/identity';
import { verifyAccessToken } from '../../src/core/crypto/index.ts';
import type { KeySet } from '../../src/core/crypto/index.ts';
import { startEmulator } from '../../src/emulator/emulator.ts';
import type { Emulator } from '../../src/emulator/emulator.ts';
import { exportedVariables, identityEnvironment, labValue } from './lab.ts';

let emulator: Emulator;
let principalId: string;
let restoreEnv: () => void;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, as: 'app-stock-web' });
	await labValue(emulator, 'az webapp identity assign -g rg-stock -n app-stock-web');
	principalId = await labValue(
		emulator,
		'az webapp identity show -g rg-stock -n app-stock-web --query principalId -o tsv'
	);
});

afterAll(async () => {
	await emulator.close();
});

beforeEach(() => {
	restoreEnv = identityEnvironment(exportedVariables(emulator));
});

afterEach(() => {
	restoreEnv();
});

describe('ManagedIdentityCredential against the emulator as app-stock-web', () => {
	it('exports IDENTITY_ENDPOINT and IDENTITY_HEADER, and no IMDS address', () => {
		const variables = exportedVariables(emulator);
		expect(Object.keys(variables).sort()).toEqual([
			'IDENTITY_ENDPOINT',
			'IDENTITY_HEADER',
			'LAB_TOKEN'
		]);
		expect(variables.LAB_TOKEN).toBe(emulator.labToken);
		expect(variables.IDENTITY_ENDPOINT).toBe(`${emulator.url}/MSI/token`);
		expect(variables.IDENTITY_HEADER).toMatch(/^[0-9a-f-]{36}$/);
		expect(process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST).toBeUndefined();
	});

	it("gets the web app's system-assigned token through the App Service endpoint", async () => {
		const credential = new ManagedIdentityCredential({ retryOptions: { maxRetries: 0 } });
		const token = await credential.getToken('https://vault.azure.net/.default');
		const tenantId = emulator.world().tenant.tenantId;
		const keysResponse = await fetch(`${emulator.url}/${tenantId}/discovery/v2.0/keys`);
		const verified = await verifyAccessToken(token.token, (await keysResponse.json()) as KeySet, {
			now: emulator.world().now,
			issuer: `https://sts.windows.net/${tenantId}/`,
			audience: 'https://vault.azure.net'
		});
		if (!verified.ok) throw new Error(verified.error.message);
		expect(verified.value.payload).toMatchObject({
			oid: principalId,
			xms_mirid: emulator.host.id.replace('/resourceGroups/', '/resourcegroups/')
		});
		const served = emulator
			.world()
			.events.filter((e) => e.kind === 'token' && e.endpoint === 'appService');
		expect(served.length).toBeGreaterThan(0);
	});

	it('refuses the App Service endpoint without the identity header, and has no IMDS', async () => {
		const resource = 'https://vault.azure.net';
		const bare = await fetch(
			`${emulator.url}/MSI/token?api-version=2019-08-01&resource=${encodeURIComponent(resource)}`
		);
		// The App Service token service's own 401 (the lab's choice of body: reference open point 3).
		expect(bare.status).toBe(401);
		const refusal = (await bare.json()) as Record<string, unknown>;
		expect(Object.keys(refusal)).toEqual(['statusCode', 'message', 'correlationId']);
		expect(refusal.statusCode).toBe(401);
		expect(refusal.message).toBe(
			'Unauthorized. The X-IDENTITY-HEADER request header is missing or does not match the IDENTITY_HEADER environment variable.'
		);
		expect(refusal.correlationId).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
		);
		const imds = await fetch(
			`${emulator.url}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${resource}`,
			{ headers: { Metadata: 'true' } }
		);
		expect(imds.status).toBe(404);
		expect(((await imds.json()) as { message: string }).message).toContain('IDENTITY_ENDPOINT');
	});
});
