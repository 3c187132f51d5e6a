/** Benchmarks of the token path: minting against a raw RS256 signature, cache hits, the first token. */
import {
	applyOperations,
	createDefaultWorld,
	findResourcesByName,
	type World
} from '../src/core/index.ts';
import { send } from '../src/core/network/network.ts';
import { createKeyRing, type KeyRing } from '../src/core/token/key-ring.ts';
import { issueManagedIdentityToken } from '../src/core/token/entra.ts';
import { buildTokenRequest } from '../src/core/token/token-request.ts';
import type { Row } from './core.ts';
import { quantile, sampleMicrosAsync, us } from './stats.ts';

/** The default world with vm-stock-app's system-assigned identity on, and its principal id. */
async function readyWorld(): Promise<{
	world: World;
	ring: KeyRing;
	principalId: string;
	vmId: string;
}> {
	const base = createDefaultWorld();
	const vm = findResourcesByName(base, 'vm-stock-app')[0];
	if (!vm) throw new Error('vm-stock-app is missing');
	const applied = applyOperations(base, [{ type: 'enableSystemIdentity', resourceId: vm.id }]);
	if (!applied.ok) throw new Error(applied.error.message);
	let world = applied.value.world;
	const ring = createKeyRing();
	const host = findResourcesByName(world, 'vm-stock-app')[0];
	const principalId =
		host?.kind === 'virtualMachine' ? (host.identity.systemAssigned?.principalId ?? '') : '';
	// One token first, so that the signing key exists and is published.
	const first = await issueManagedIdentityToken(world, ring, {
		principalId,
		resource: 'https://vault.azure.net',
		hostId: vm.id,
		endpoint: 'imds'
	});
	if (!first.ok) throw new Error(first.error.message);
	const published = applyOperations(world, first.value.operations);
	if (published.ok) world = published.value.world;
	return { world, ring, principalId, vmId: vm.id };
}

/** Runs the token-path benchmarks. */
export async function run(): Promise<Row[]> {
	const { world, ring, principalId, vmId } = await readyWorld();
	const rows: Row[] = [];

	// The raw signature: the same RS256 over a JWT-sized input, with a Web Crypto key.
	const keys = await crypto.subtle.generateKey(
		{
			name: 'RSASSA-PKCS1-v1_5',
			modulusLength: 2048,
			publicExponent: new Uint8Array([1, 0, 1]),
			hash: 'SHA-256'
		},
		false,
		['sign', 'verify']
	);
	const input = new TextEncoder().encode('x'.repeat(900));
	const N = 400;
	const interleavedRaw: number[] = [];
	const interleavedMint: number[] = [];
	// Interleave the two so that a noisy neighbour hurts both alike.
	for (let round = 0; round < 4; round++) {
		interleavedRaw.push(
			...(await sampleMicrosAsync(N / 4, () =>
				crypto.subtle.sign('RSASSA-PKCS1-v1_5', keys.privateKey, input)
			))
		);
		interleavedMint.push(
			...(await sampleMicrosAsync(N / 4, (i) =>
				issueManagedIdentityToken(world, ring, {
					principalId,
					resource: i % 2 ? 'https://vault.azure.net' : 'https://storage.azure.com/',
					hostId: vmId,
					endpoint: 'imds'
				})
			))
		);
	}
	const raw = quantile(interleavedRaw, 0.5);
	const mint = quantile(interleavedMint, 0.5);
	rows.push({ what: 'raw Web Crypto RS256 signature (2048-bit), median', figure: us(raw) });
	rows.push({
		what: 'minting one managed identity token (claims + JWT + signature), median',
		figure: us(mint)
	});
	rows.push({
		what: 'minting cost ÷ raw signature, same run',
		figure: `${(mint / raw).toFixed(2)}×`,
		target: '≤ 1.5×',
		met: mint / raw <= 1.5
	});

	// A cache hit: IMDS serves the cached token (after one miss fills the cache).
	const source = { kind: 'resource' as const, resourceId: vmId };
	const request = buildTokenRequest(world, source, { resource: 'https://vault.azure.net' });
	const miss = await send(world, source, request, { keyRing: ring });
	const filled = applyOperations(world, miss.operations);
	const cached = filled.ok ? filled.value.world : world;
	const hits = await sampleMicrosAsync(2_000, () =>
		send(cached, source, request, { keyRing: ring })
	);
	rows.push({
		what: 'IMDS token request served from the cache (through the simulated network), median / p99',
		figure: `${us(quantile(hits, 0.5))} / ${us(quantile(hits, 0.99))}`
	});

	// The first token of a fresh world: key generation, self-signed certificate, signing.
	const firsts = await sampleMicrosAsync(8, async () => {
		const fresh = createDefaultWorld();
		const vm = findResourcesByName(fresh, 'vm-stock-app')[0]!;
		const on = applyOperations(fresh, [{ type: 'enableSystemIdentity', resourceId: vm.id }]);
		if (!on.ok) throw new Error(on.error.message);
		await send(on.value.world, { kind: 'resource', resourceId: vm.id }, request, {
			keyRing: createKeyRing()
		});
	});
	rows.push({
		what: 'first token of a fresh world, including RSA key generation and certificate, median of 8',
		figure: us(quantile(firsts, 0.5))
	});
	return rows;
}
