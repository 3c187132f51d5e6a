/**
 * The real @azure/identity ManagedIdentityCredential through its Azure Arc path against the emulator standing in
 * for onprem-legacy-01 after `azcmagent connect` (`--as onprem-legacy-01`): IDENTITY_ENDPOINT and IMDS_ENDPOINT
 * point at the emulator; the first request gets 401 `WWW-Authenticate: Basic realm=<file>`, msal-node reads the
 * file (it accepts only /var/opt/azcmagent/tokens/*.key, so the emulator writes there, as the agent does) and
 * retries with `Authorization: Basic <secret>` (reference 2.3;
 * learn.microsoft.com/azure/azure-arc/servers/managed-identity-authentication).
 * Needs write access to /var/opt/azcmagent/tokens (root, like the agent); skipped otherwise.
 */
import { accessSync, constants, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedIdentityCredential } from '@azure/identity';
import { startEmulator } from '../../src/emulator/emulator.ts';
import type { Emulator } from '../../src/emulator/emulator.ts';
import { exportedVariables, identityEnvironment, jwtPayload, labCommand } from './lab.ts';

const TOKENS = '/var/opt/azcmagent/tokens';

function writable(): boolean {
	try {
		mkdirSync(TOKENS, { recursive: true });
		accessSync(TOKENS, constants.W_OK);
		return true;
	} catch {
		return false;
	}
}

const canWrite = writable();
let emulator: Emulator;
let restoreEnv: () => void = () => {};
let before: Set<string>;

describe.skipIf(!canWrite)(
	'ManagedIdentityCredential on an Arc-enabled server (--as onprem-legacy-01)',
	() => {
		beforeAll(async () => {
			before = new Set(readdirSync(TOKENS));
			emulator = await startEmulator({ port: 0, as: 'onprem-legacy-01' });
			const world = emulator.world();
			await labCommand(
				emulator,
				`ssh onprem-legacy-01 sudo azcmagent connect --resource-group rg-stock --tenant-id ${world.tenant.tenantId} --location westeurope --subscription-id ${Object.values(world.subscriptions)[0]?.subscriptionId ?? ''}`
			);
			restoreEnv = identityEnvironment(exportedVariables(emulator));
		});

		afterAll(async () => {
			restoreEnv();
			await emulator.close();
			for (const file of readdirSync(TOKENS)) if (!before.has(file)) rmSync(`${TOKENS}/${file}`);
		});

		it('exports the agent’s two variables', () => {
			expect(emulator.exports()).toEqual([
				`export IDENTITY_ENDPOINT=${emulator.url}/metadata/identity/oauth2/token`,
				`export IMDS_ENDPOINT=${emulator.url}`,
				`export LAB_TOKEN=${emulator.labToken}`
			]);
		});

		it('answers the challenge and gets the machine’s token', async () => {
			const token = await new ManagedIdentityCredential().getToken(
				'https://management.azure.com/.default'
			);
			const arc = emulator.world().outsideMachines['onprem-legacy-01']?.arc;
			expect(jwtPayload(token.token)).toMatchObject({
				aud: 'https://management.azure.com',
				oid: arc?.identity.principalId,
				xms_mirid: arc?.resourceId.replace('/resourceGroups/', '/resourcegroups/')
			});
			expect(emulator.world().events.some((e) => e.kind === 'token' && e.endpoint === 'arc')).toBe(
				true
			);
		});
	}
);
