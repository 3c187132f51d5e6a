/**
 * The simulated network: routes a request value to the handler that owns its host, from a given source.
 * Link-local endpoints exist only inside their resource; everything else is a public Azure endpoint.
 */
import type {
	HandlerContext,
	HandlerResult,
	HttpRequest,
	NetworkEnv,
	NetworkSource,
	SendResult,
	TransportFailure
} from '../http/types.ts';
import type { World } from '../azure/model.ts';
import type { Operation } from '../azure/operations/index.ts';
import { getResource } from '../azure/queries.ts';
import { handleImds } from '../token/imds.ts';
import { handleAppServiceIdentity, APP_SERVICE_IDENTITY_HOST } from '../token/app-service.ts';
import { handleEntra } from '../token/entra.ts';
import { CLOUD_SHELL_MSI_HOST, handleCloudShellIdentity } from '../token/cloud-shell.ts';
import { handleKeyVault } from '../services/key-vault.ts';
import { handleBlobStorage } from '../services/blob-storage.ts';
import { handleArm } from '../services/arm.ts';
import { handleGraph } from '../services/graph.ts';
import { handleHimds, HIMDS_HOST } from '../token/himds.ts';
import { handleOidcIssuer } from '../token/federation.ts';
import { handleFederatedToken, isFederatedTokenRequest } from '../token/federated-exchange.ts';
import { handleStockApp, stockAppHost } from '../services/stock-app.ts';
import { transportFailureRecord, withRefusalRecorded } from './refusals.ts';

/** The IMDS address. */
export const IMDS_HOST = '169.254.169.254';

/** A readable name for a source ("vm-stock-app", "Cloud Shell", "onprem-legacy-01"). */
export function describeSource(world: World, source: NetworkSource): string {
	if (source.kind === 'cloudShell') return 'Cloud Shell';
	if (source.kind === 'outside') return source.machine;
	const r = getResource(world, source.resourceId);
	const name = r?.name ?? source.resourceId;
	return source.instanceId !== undefined ? `${name} (instance ${source.instanceId})` : name;
}

/**
 * A handler's answer as a SendResult. A refusal that carries no explanation of its own is explained by the
 * detail of the hop that failed, so that every refusal says why.
 */
function answered(result: HandlerResult): SendResult {
	// Object.assign, not `{ ok: true, ...result }`: a spread after a literal key costs many times more in V8.
	const sent: SendResult = Object.assign({ ok: true as const }, result);
	if (result.explanation !== undefined || result.response.status < 400) return sent;
	const failed = result.hops.find((h) => !h.ok);
	if (failed) sent.explanation = failed.detail;
	return sent;
}

function failure(
	kind: TransportFailure['kind'],
	message: string,
	explanation: string,
	operations: Operation[] = []
): SendResult {
	return { ok: false, failure: { kind, message, explanation }, hops: [], operations };
}

function parseUrl(text: string): URL | null {
	try {
		return new URL(text);
	} catch {
		return null;
	}
}

/** Sends a request from a source and resolves with the answer, or with the transport failure curl would see. */
export async function send(
	world: World,
	source: NetworkSource,
	request: HttpRequest,
	env: NetworkEnv
): Promise<SendResult> {
	const url = parseUrl(request.url);
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		return failure(
			'unresolved',
			`curl: (3) URL rejected: Malformed input to a URL function`,
			`'${request.url}' is not an http(s) URL.`
		);
	}
	// Named only in the texts of failures: not worked out for every request.
	const from = (): string => describeSource(world, source);
	const origin = source.kind === 'resource' ? getResource(world, source.resourceId) : undefined;
	if (source.kind === 'resource' && !origin) {
		return failure(
			'unresolved',
			'curl: (6) Could not resolve host',
			`The machine this shell ran on (${source.resourceId}) no longer exists.`
		);
	}
	const ctx: HandlerContext = { world, source, env };
	const host = url.hostname.toLowerCase();
	const port = url.port || (url.protocol === 'https:' ? '443' : '80');

	if (host === IMDS_HOST) {
		const unanswered = (kind: TransportFailure['kind']) =>
			transportFailureRecord(world, 'imds', source, request, url, kind);
		if (origin?.kind === 'virtualMachine' || origin?.kind === 'virtualMachineScaleSet') {
			if (url.protocol !== 'http:') {
				return failure(
					'refused',
					`curl: (7) Failed to connect to ${IMDS_HOST} port 443 after 0 ms: Couldn't connect to server`,
					'IMDS speaks plain HTTP only: use http://169.254.169.254.',
					[unanswered('refused')]
				);
			}
			return answered(
				withRefusalRecorded(
					world,
					'imds',
					source,
					request,
					url,
					await handleImds(ctx, request, url)
				)
			);
		}
		const why =
			source.kind === 'outside'
				? `${from()} is outside Azure: 169.254.169.254 is a link-local address that only the Azure host of a VM answers, so nothing here ever replies. A machine outside Azure cannot use a managed identity (Azure Arc is the exception).`
				: origin
					? `${from()} is not a virtual machine: the Instance Metadata Service answers only inside a VM or scale-set instance. App Service and Functions have their own endpoint in IDENTITY_ENDPOINT.`
					: `${from()} is not an Azure VM: 169.254.169.254 answers only inside a VM. Open a shell on the VM first (ssh vm-stock-app).`;
		return failure(
			'timeout',
			`curl: (28) Failed to connect to ${IMDS_HOST} port ${port} after 21003 ms: Timeout was reached`,
			why,
			[unanswered('timeout')]
		);
	}

	if (host === 'localhost' || host === '127.0.0.1') {
		const arcMachine =
			source.kind === 'outside' ? world.outsideMachines[source.machine] : undefined;
		if (arcMachine?.arc && `localhost:${port}` === HIMDS_HOST)
			return answered(
				withRefusalRecorded(
					world,
					'arc',
					source,
					request,
					url,
					await handleHimds(ctx, request, url)
				)
			);
		if (source.kind === 'cloudShell' && `localhost:${port}` === CLOUD_SHELL_MSI_HOST) {
			return answered(await handleCloudShellIdentity(ctx, request, url));
		}
		if (
			(origin?.kind === 'webApp' || origin?.kind === 'functionApp') &&
			`${host}:${port}` === APP_SERVICE_IDENTITY_HOST.replace('localhost', host)
		) {
			return answered(
				withRefusalRecorded(
					world,
					'appService',
					source,
					request,
					url,
					await handleAppServiceIdentity(ctx, request, url)
				)
			);
		}
		return failure(
			'refused',
			`curl: (7) Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`,
			origin?.kind === 'webApp' || origin?.kind === 'functionApp'
				? `Nothing listens on ${host}:${port} in ${from()}. The identity endpoint is in $IDENTITY_ENDPOINT.`
				: `Nothing listens on ${host}:${port} in ${from()}. Only App Service and Functions run a local identity endpoint.`
		);
	}

	if (host === 'login.microsoftonline.com') {
		const result = isFederatedTokenRequest(world, request, url)
			? await handleFederatedToken(ctx, request, url)
			: await handleEntra(ctx, request, url);
		// Only the token endpoint's refusals: a discovery document that is not there is no token request.
		return answered(
			/\/oauth2(\/v2\.0)?\/token\/?$/i.test(url.pathname)
				? withRefusalRecorded(world, 'entra', source, request, url, result)
				: result
		);
	}
	if (host === 'graph.microsoft.com') return answered(await handleGraph(ctx, request, url));
	if (host.endsWith('.oic.prod-aks.azure.com'))
		return answered(await handleOidcIssuer(ctx, request, url));
	const unknownHost = failure(
		'unresolved',
		`curl: (6) Could not resolve host: ${url.hostname}`,
		`No resource in this world answers at ${url.hostname}: check the name (az keyvault list, az storage account list).`
	);
	const named = (kind: 'keyVault' | 'storageAccount', suffix: string) =>
		Object.values(world.resources).some(
			(r) => r.kind === kind && `${r.name.toLowerCase()}${suffix}` === host
		);
	if (host.endsWith('.vault.azure.net') && !named('keyVault', '.vault.azure.net'))
		return unknownHost;
	if (host.endsWith('.blob.core.windows.net') && !named('storageAccount', '.blob.core.windows.net'))
		return unknownHost;
	if (host.endsWith('.vault.azure.net')) return answered(await handleKeyVault(ctx, request, url));
	if (host.endsWith('.blob.core.windows.net'))
		return answered(await handleBlobStorage(ctx, request, url));
	if (host === 'management.azure.com') return answered(await handleArm(ctx, request, url));
	const stockApp = stockAppHost(world, host);
	if (stockApp)
		return answered(
			await handleStockApp(world, request, url, stockApp, (from, req, w) => send(w, from, req, env))
		);
	return failure(
		'unresolved',
		`curl: (6) Could not resolve host: ${url.hostname}`,
		`The lab's network has no host named ${url.hostname}. It knows IMDS, login.microsoftonline.com, management.azure.com, graph.microsoft.com, *.vault.azure.net, *.blob.core.windows.net and AKS OIDC issuers (*.oic.prod-aks.azure.com).`
	);
}
