/**
 * The real @azure/identity WorkloadIdentityCredential against the emulator standing in for the AKS pod
 * stock-worker (`--as stock-worker`): it reads the projected service-account token from the file the emulator
 * keeps fresh (AZURE_FEDERATED_TOKEN_FILE) and exchanges it at the emulator's Entra v2.0 token endpoint, which
 * checks it against the identity's federated credential (reference 2.5;
 * learn.microsoft.com/azure/aks/workload-identity-overview).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkloadIdentityCredential } from '@azure/identity';
import { createHttpHeaders } from '@azure/core-rest-pipeline';
import type { HttpClient, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { startEmulator } from '../../src/emulator/emulator.ts';
import type { Emulator } from '../../src/emulator/emulator.ts';
import { jwtPayload, labCommand, labValue } from './lab.ts';

let emulator: Emulator;
let dir: string;
let tokenFile: string;
let clientId: string;
let tenantId: string;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'mi-lab-wi-'));
	tokenFile = join(dir, 'azure-identity-token');
	emulator = await startEmulator({ port: 0, as: 'stock-worker', tokenFile });
	tenantId = emulator.world().tenant.tenantId;
	await labCommand(emulator, 'az identity create -g rg-stock -n id-worker');
	clientId = await labValue(
		emulator,
		'az identity show -g rg-stock -n id-worker --query clientId -o tsv'
	);
	const issuer = await labValue(
		emulator,
		'az aks show -g rg-stock -n aks-stock --query oidcIssuerProfile.issuerUrl -o tsv'
	);
	await labCommand(
		emulator,
		`az identity federated-credential create -g rg-stock --identity-name id-worker -n aks-stock-worker --issuer ${issuer} --subject system:serviceaccount:default:stock-worker`
	);
	await labCommand(
		emulator,
		`kubectl annotate serviceaccount stock-worker azure.workload.identity/client-id=${clientId}`
	);
});

afterAll(async () => {
	await emulator.close();
	rmSync(dir, { recursive: true, force: true });
});

/**
 * @azure/identity insists on an https authority host. Until the emulator serves HTTPS (its own work item), the
 * SDK is given the https URL and this client carries the requests over plain HTTP to the same port.
 */
const plainHttp: HttpClient = {
	async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
		const response = await fetch(request.url.replace(/^https:/, 'http:'), {
			method: request.method,
			headers: request.headers.toJSON(),
			...(typeof request.body === 'string' ? { body: request.body } : {})
		});
		const headers = createHttpHeaders();
		response.headers.forEach((value, name) => headers.set(name, value));
		return { request, status: response.status, headers, bodyAsText: await response.text() };
	}
};

function credential(id = clientId): WorkloadIdentityCredential {
	return new WorkloadIdentityCredential({
		tenantId,
		clientId: id,
		tokenFilePath: tokenFile,
		authorityHost: emulator.url.replace(/^http:/, 'https:'),
		// A local authority: MSAL would otherwise ask login.microsoftonline.com to validate it.
		disableInstanceDiscovery: true,
		httpClient: plainHttp
	});
}

describe('WorkloadIdentityCredential against the emulator (--as stock-worker)', () => {
	it('prints the webhook’s variables as exports', () => {
		expect(emulator.exports()).toEqual([
			`export AZURE_AUTHORITY_HOST=${emulator.url}/`,
			`export AZURE_TENANT_ID=${tenantId}`,
			`export AZURE_CLIENT_ID=${clientId}`,
			`export AZURE_FEDERATED_TOKEN_FILE=${tokenFile}`,
			`export LAB_TOKEN=${emulator.labToken}`
		]);
		expect(jwtPayload(readFileSync(tokenFile, 'utf8'))).toMatchObject({
			aud: ['api://AzureADTokenExchange'],
			sub: 'system:serviceaccount:default:stock-worker'
		});
	});

	it('gets the user-assigned identity’s token for Key Vault by exchanging the service-account token', async () => {
		const token = await credential().getToken('https://vault.azure.net/.default');
		expect(jwtPayload(token.token)).toMatchObject({
			aud: 'https://vault.azure.net',
			appid: clientId,
			iss: `https://sts.windows.net/${tenantId}/`
		});
		expect(
			emulator
				.world()
				.events.some(
					(e) => e.kind === 'token' && e.endpoint === 'federation' && e.clientId === clientId
				)
		).toBe(true);
	});

	it('is refused with AADSTS70021 when no federated credential matches the subject', async () => {
		await labCommand(emulator, 'az identity create -g rg-stock -n id-other');
		const other = await labValue(
			emulator,
			'az identity show -g rg-stock -n id-other --query clientId -o tsv'
		);
		const issuer = await labValue(
			emulator,
			'az aks show -g rg-stock -n aks-stock --query oidcIssuerProfile.issuerUrl -o tsv'
		);
		await labCommand(
			emulator,
			`az identity federated-credential create -g rg-stock --identity-name id-other -n other --issuer ${issuer} --subject system:serviceaccount:prod:other`
		);
		await expect(credential(other).getToken('https://vault.azure.net/.default')).rejects.toThrow(
			/AADSTS70021/
		);
	});
});
