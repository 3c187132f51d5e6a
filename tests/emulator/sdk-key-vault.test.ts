/**
 * The current @azure/keyvault-secrets (4.12, which sends api-version=2026-04-01) reading a secret from the
 * emulator's Key Vault with a token @azure/identity's ManagedIdentityCredential got from the emulator's IMDS.
 * A file of its own: msal-node keeps the managed identity source it picked first for the life of the process.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator } from '../../src/emulator/emulator.ts';
import type { Emulator } from '../../src/emulator/emulator.ts';
import { advanceClock, identityEnvironment, labCommand, labValue } from './lab.ts';

const FAST = { retryOptions: { maxRetries: 0 } };

let emulator: Emulator;
let restoreEnv: () => void;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0 });
	await labCommand(emulator, 'az vm identity assign -g rg-stock -n vm-stock-app');
	const principal = await labValue(
		emulator,
		'az vm identity show -g rg-stock -n vm-stock-app --query principalId -o tsv'
	);
	const vault = await labValue(emulator, 'az keyvault show -n kv-stock --query id -o tsv');
	await labCommand(
		emulator,
		`az role assignment create --assignee-object-id ${principal} --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope ${vault}`
	);
	await advanceClock(emulator, 600);
});

afterAll(async () => {
	await emulator.close();
});

beforeEach(() => {
	restoreEnv = identityEnvironment({ AZURE_POD_IDENTITY_AUTHORITY_HOST: emulator.url });
});

afterEach(() => {
	restoreEnv();
});

/**
 * A client of the vault as the emulator serves it, under a path named after its host. The vault's challenge
 * names https://vault.azure.net, which is not 127.0.0.1: the SDK's documented switch for a vault behind
 * another name turns that comparison off.
 */
function vaultClient(serviceVersion?: '7.5'): SecretClient {
	return new SecretClient(
		`${emulator.url}/kv-stock.vault.azure.net`,
		new ManagedIdentityCredential(FAST),
		{
			disableChallengeResourceVerification: true,
			...FAST,
			...(serviceVersion ? { serviceVersion } : {})
		}
	);
}

describe('@azure/keyvault-secrets against the emulator', () => {
	it('reads db-password with its default api-version (2026-04-01)', async () => {
		const secret = await vaultClient().getSecret('db-password');
		expect(secret.value).toBe('Stock-Db-Pa55!2026');
		expect(secret.name).toBe('db-password');
		// The SDK's challenge round first (401, no token), then the read with the managed identity's token.
		const calls = emulator
			.world()
			.events.filter((e) => e.kind === 'serviceCall' && e.service === 'keyVault')
			.map((e) => (e.kind === 'serviceCall' ? [e.status, e.authMethod, e.principalId] : []));
		const principal = await labValue(
			emulator,
			'az vm identity show -g rg-stock -n vm-stock-app --query principalId -o tsv'
		);
		expect(calls.slice(-2)).toEqual([
			[401, 'none', null],
			[200, 'bearer', principal]
		]);
	});

	it('reads it with a 7.x api-version too', async () => {
		const secret = await vaultClient('7.5').getSecret('db-password');
		expect(secret.value).toBe('Stock-Db-Pa55!2026');
	});
});
