/**
 * HTTPS mode with real data-plane SDKs: @azure/storage-blob sends bearer tokens over https only, so it can use
 * the emulator only in this mode. The client runs as a process of its own with the emulator's exports as its
 * environment, the way a developer runs theirs (Node reads NODE_EXTRA_CA_CERTS at start).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/emulator.ts';
import type { Emulator } from '../../src/emulator/emulator.ts';
import { advanceClock, exportedVariables, labCommand, labValue } from './lab.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** quotes/today.csv of the default world. */
const QUOTES_CSV = 'symbol,price,currency\nCTSO,182.40,EUR\nFABK,96.15,EUR\nNWND,41.08,EUR\n';

let emulator: Emulator;
let principal: string;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, https: true });
	await labCommand(emulator, 'az vm identity assign -g rg-stock -n vm-stock-app');
	principal = await labValue(
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

interface ClientOutcome {
	ok: boolean;
	value?: string;
	statusCode?: number;
	code?: string;
	message?: string;
}

/** Runs the client program with only the emulator's exports (and PATH) as its environment. */
function runClient(): Promise<{ blob: ClientOutcome; secret: ClientOutcome }> {
	const child = spawn(
		process.execPath,
		['--import', 'tsx', 'tests/emulator/clients/blob-over-https.ts', emulator.url],
		{ cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...exportedVariables(emulator) } }
	);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
	return new Promise((resolve, reject) => {
		child.on('close', (code) => {
			if (code !== 0) reject(new Error(`the client exited ${code}: ${stderr}`));
			else resolve(JSON.parse(stdout) as { blob: ClientOutcome; secret: ClientOutcome });
		});
	});
}

describe('npm run emulator -- --https', () => {
	it('serves https with a certificate for its hosts, signed by the authority it exports', () => {
		expect(emulator.url).toBe(`https://127.0.0.1:${emulator.port}`);
		const variables = exportedVariables(emulator);
		const file = emulator.ca?.file ?? '';
		expect(variables.NODE_EXTRA_CA_CERTS).toBe(file);
		expect(variables.SSL_CERT_FILE).toBe(file);
		expect(variables.REQUESTS_CA_BUNDLE).toBe(file);
		const ca = new X509Certificate(readFileSync(file));
		expect(ca.ca).toBe(true);
		expect(variables.AZURE_POD_IDENTITY_AUTHORITY_HOST).toBe(emulator.url);
	});

	it('serves @azure/storage-blob: a 403 AuthorizationPermissionMismatch without a data role, then the blob with one', async () => {
		const before = await runClient();
		expect(before.blob).toMatchObject({
			ok: false,
			statusCode: 403,
			code: 'AuthorizationPermissionMismatch'
		});
		// Key Vault over https in the same program (the role was granted in beforeAll).
		expect(before.secret).toEqual({ ok: true, value: 'Stock-Db-Pa55!2026' });

		const account = await labValue(
			emulator,
			'az storage account show -n ststockdata --query id -o tsv'
		);
		await labCommand(
			emulator,
			`az role assignment create --assignee-object-id ${principal} --assignee-principal-type ServicePrincipal --role "Storage Blob Data Reader" --scope ${account}`
		);
		await advanceClock(emulator, 600);
		const after = await runClient();
		expect(after.blob).toEqual({ ok: true, value: QUOTES_CSV });
	});
});
