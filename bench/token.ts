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
import { median, quantile, sampleMicrosAsync, spread, us } from './stats.ts';

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
	// Thousands of requests in one simulated second: IMDS's 20-per-second limit is off for the measurement.
	const applied = applyOperations(base, [
		{ type: 'setImdsThrottle', enabled: false },
		{ type: 'enableSystemIdentity', resourceId: vm.id }
	]);
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
	// Publish the key, but leave the token out of the cache: the benchmark's misses must be misses.
	const published = applyOperations(
		world,
		first.value.operations.filter((op) => op.type !== 'recordToken')
	);
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
	const source = { kind: 'resource' as const, resourceId: vmId };
	const requests = ['https://vault.azure.net', 'https://storage.azure.com/'].map((resource) =>
		buildTokenRequest(world, source, { resource })
	);
	const N = 400;
	const raw: number[] = [];
	const mint: number[] = [];
	const imdsMiss: number[] = [];
	// Interleave the three so that a noisy neighbour hurts all alike. `world` never records the tokens, so every
	// IMDS request below is a cache miss: route, IMDS checks, Entra's claims and signature, hops, operations.
	for (let round = 0; round < 8; round++) {
		raw.push(
			...(await sampleMicrosAsync(N / 8, () =>
				crypto.subtle.sign('RSASSA-PKCS1-v1_5', keys.privateKey, input)
			))
		);
		mint.push(
			...(await sampleMicrosAsync(N / 8, (i) =>
				issueManagedIdentityToken(world, ring, {
					principalId,
					resource: i % 2 ? 'https://vault.azure.net' : 'https://storage.azure.com/',
					hostId: vmId,
					endpoint: 'imds'
				})
			))
		);
		imdsMiss.push(
			...(await sampleMicrosAsync(N / 8, async (i) => {
				const result = await send(world, source, requests[i % 2]!, { keyRing: ring });
				if (!result.ok || result.response.status !== 200) throw new Error('IMDS refused');
			}))
		);
	}
	const rawMedian = median(raw);
	rows.push({
		what: `raw Web Crypto RS256 signature (2048-bit): min / median / max of ${raw.length}`,
		figure: spread(raw)
	});
	rows.push({
		what: `minting one managed identity token (claims + JWT + signature): min / median / max of ${mint.length}`,
		figure: spread(mint)
	});
	rows.push({
		what: 'minting cost ÷ raw signature, same run (medians)',
		figure: `${(median(mint) / rawMedian).toFixed(2)}×`,
		target: '≤ 1.5×',
		met: median(mint) / rawMedian <= 1.5
	});
	rows.push({
		what: `IMDS token request, cache miss, the whole path through the simulated network: min / median / max of ${imdsMiss.length}`,
		figure: spread(imdsMiss)
	});
	rows.push({
		what: 'IMDS cache-miss path ÷ raw signature, same run (medians)',
		figure: `${(median(imdsMiss) / rawMedian).toFixed(2)}×`,
		target: '≤ 1.5×',
		met: median(imdsMiss) / rawMedian <= 1.5
	});

	// A cache hit: IMDS serves the cached token (after one miss fills the cache), and the result is applied to the
	// world (recordToken, fromCache: true), as the emulator does with every answer.
	const request = requests[0]!;
	const miss = await send(world, source, request, { keyRing: ring });
	const filled = applyOperations(world, miss.operations);
	if (!filled.ok) throw new Error(filled.error.message);
	let cached = filled.value.world;
	const hits = await sampleMicrosAsync(2_000, async () => {
		const result = await send(cached, source, request, { keyRing: ring });
		if (!result.ok || result.response.status !== 200) throw new Error('IMDS refused');
		const applied = applyOperations(cached, result.operations);
		if (!applied.ok) throw new Error(applied.error.message);
		cached = applied.value.world;
	});
	rows.push({
		what: 'IMDS token request served from the cache, result applied to the world: min / median / max of 2,000; p99',
		figure: `${spread(hits)}; p99 ${us(quantile(hits, 0.99))}`
	});

	// The first token of a fresh world: key generation, self-signed certificate, signing.
	const firsts = await sampleMicrosAsync(30, async () => {
		const fresh = createDefaultWorld();
		const vm = findResourcesByName(fresh, 'vm-stock-app')[0]!;
		const on = applyOperations(fresh, [{ type: 'enableSystemIdentity', resourceId: vm.id }]);
		if (!on.ok) throw new Error(on.error.message);
		await send(on.value.world, { kind: 'resource', resourceId: vm.id }, request, {
			keyRing: createKeyRing()
		});
	});
	rows.push({
		what: 'first token of a fresh world, including RSA key generation and certificate: min / median / max of 30',
		figure: spread(firsts)
	});
	return rows;
}
