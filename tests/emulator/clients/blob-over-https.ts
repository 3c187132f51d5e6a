/**
 * A client program as a developer would run it against `npm run emulator -- --https`: its environment holds
 * only the emulator's exports (NODE_EXTRA_CA_CERTS is read at process start, hence a process of its own).
 * It downloads quotes/today.csv with @azure/storage-blob and reads db-password with @azure/keyvault-secrets,
 * both with ManagedIdentityCredential, and prints what happened as one JSON line.
 *
 * Usage: node --import tsx tests/emulator/clients/blob-over-https.ts <emulator url>
 */
import { ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { BlobServiceClient } from '@azure/storage-blob';

const url = process.argv[2] ?? '';
const credential = new ManagedIdentityCredential({ retryOptions: { maxRetries: 0 } });

async function outcome(run: () => Promise<string | undefined>): Promise<Record<string, unknown>> {
	try {
		return { ok: true, value: await run() };
	} catch (cause) {
		const error = cause as { statusCode?: number; code?: string; message?: string };
		return { ok: false, statusCode: error.statusCode, code: error.code, message: error.message };
	}
}

const blob = await outcome(async () => {
	const service = new BlobServiceClient(`${url}/ststockdata.blob.core.windows.net`, credential, {
		retryOptions: { maxTries: 1 }
	});
	// download() is one GET; downloadToBuffer() asks for the properties first (HEAD), which the lab's Blob
	// service does not simulate (docs/fidelity.md).
	const download = await service.getContainerClient('quotes').getBlobClient('today.csv').download();
	const chunks: Buffer[] = [];
	for await (const chunk of download.readableStreamBody ?? []) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks).toString('utf8');
});
const secret = await outcome(async () => {
	const client = new SecretClient(`${url}/kv-stock.vault.azure.net`, credential, {
		disableChallengeResourceVerification: true,
		retryOptions: { maxRetries: 0 }
	});
	return (await client.getSecret('db-password')).value;
});
process.stdout.write(`${JSON.stringify({ blob, secret })}\n`);
