/**
 * Benchmark of workload identity federation: Entra ID's token exchange for a federated assertion (decode,
 * match the federated credential, verify the assertion's RS256 signature against the cluster issuer's key,
 * mint and sign the access token) against the IMDS mint (claims and signature only), interleaved in one run.
 */
import { applyOperations, createDefaultWorld, type World } from '../src/core/index.ts';
import type { Operation } from '../src/core/azure/operations/index.ts';
import { handleFederatedToken } from '../src/core/token/federated-exchange.ts';
import { issueManagedIdentityToken } from '../src/core/token/entra.ts';
import { projectServiceAccountToken } from '../src/core/token/federation.ts';
import { createKeyRing, type KeyRing } from '../src/core/token/key-ring.ts';
import type { HttpRequest } from '../src/core/http/types.ts';
import type { Row } from './core.ts';
import { quantile, sampleMicrosAsync, us } from './stats.ts';

function apply(world: World, operations: readonly Operation[]): World {
	const applied = applyOperations(world, operations);
	if (!applied.ok) throw new Error(applied.error.message);
	return applied.value.world;
}

/** A world where id-worker trusts aks-stock's stock-worker, with the pod's token projected. */
async function readyWorld(): Promise<{
	world: World;
	ring: KeyRing;
	request: HttpRequest;
	principalId: string;
	identityId: string;
}> {
	let world = createDefaultWorld();
	const ring = createKeyRing();
	world = apply(world, [
		{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-worker' }
	]);
	const identity = Object.values(world.resources).find((r) => r.name === 'id-worker');
	if (identity?.kind !== 'userAssignedIdentity') throw new Error('id-worker is missing');
	const cluster = world.kubernetesClusters?.['aks-stock'];
	if (!cluster) throw new Error('aks-stock is missing');
	world = apply(world, [
		{
			type: 'createFederatedCredential',
			identityId: identity.id,
			name: 'aks-stock-worker',
			issuer: cluster.oidcIssuerUrl,
			subject: 'system:serviceaccount:default:stock-worker'
		}
	]);
	const projected = await projectServiceAccountToken(world, ring, 'stock-worker');
	if (!projected) throw new Error('stock-worker is not a pod');
	world = apply(world, projected.operations);
	// One token first, so that the tenant's signing key exists and is published.
	const first = await issueManagedIdentityToken(world, ring, {
		principalId: identity.principalId,
		resource: 'https://vault.azure.net',
		hostId: identity.id,
		endpoint: 'imds'
	});
	if (!first.ok) throw new Error(first.error.message);
	world = apply(world, first.value.operations);
	const body = new URLSearchParams({
		client_id: identity.clientId,
		scope: 'https://vault.azure.net/.default',
		grant_type: 'client_credentials',
		client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
		client_assertion: projected.token
	}).toString();
	const request: HttpRequest = {
		method: 'POST',
		url: `https://login.microsoftonline.com/${world.tenant.tenantId}/oauth2/v2.0/token`,
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body
	};
	return { world, ring, request, principalId: identity.principalId, identityId: identity.id };
}

/** Runs the federation benchmark. */
export async function run(): Promise<Row[]> {
	const { world, ring, request, principalId, identityId } = await readyWorld();
	const ctx = {
		world,
		source: { kind: 'outside' as const, machine: 'stock-worker' },
		env: { keyRing: ring }
	};
	const url = new URL(request.url);
	const check = await handleFederatedToken(ctx, request, url);
	if (check.response.status !== 200) throw new Error(`the exchange failed: ${check.response.body}`);
	const N = 200;
	const exchange: number[] = [];
	const mint: number[] = [];
	for (let round = 0; round < 4; round++) {
		exchange.push(
			...(await sampleMicrosAsync(N / 4, () => handleFederatedToken(ctx, request, url)))
		);
		mint.push(
			...(await sampleMicrosAsync(N / 4, () =>
				issueManagedIdentityToken(world, ring, {
					principalId,
					resource: 'https://vault.azure.net',
					hostId: identityId,
					endpoint: 'imds'
				})
			))
		);
	}
	const e = quantile(exchange, 0.5);
	const m = quantile(mint, 0.5);
	return [
		{
			what: 'federated token exchange (assertion decode + credential match + RS256 verify + mint), median / p99',
			figure: `${us(e)} / ${us(quantile(exchange, 0.99))}`
		},
		{ what: 'IMDS mint of the same identity’s token (claims + signature), median', figure: us(m) },
		{ what: 'exchange ÷ IMDS mint, same run', figure: `${(e / m).toFixed(2)}×` }
	];
}
