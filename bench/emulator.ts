/** Benchmarks of the terminal and the emulator: load on cache-hit token requests, a lesson replay. */
import autocannon from 'autocannon';
import { createDefaultWorld } from '../src/core/index.ts';
import { createShellState, runLine } from '../src/core/shell/index.ts';
import { createKeyRing } from '../src/core/token/key-ring.ts';
import { startEmulator } from '../src/emulator/emulator.ts';
import type { Row } from './core.ts';
import { us } from './stats.ts';

/**
 * A lesson-like replay of 100 lines: each round gives a new VM an identity, grants it a Key Vault role, lets
 * the assignment propagate, gets a token on the VM and reads the secret — the commands of lessons 3 to 7.
 */
function lessonLine(i: number): string {
	const round = Math.floor(i / 10);
	const vm = `vm-replay-${round}`;
	const lines = [
		`az vm create -g rg-stock -n ${vm} --image Ubuntu2204 --assign-identity [system] -o none`,
		`PRINCIPAL=$(az vm identity show -g rg-stock -n ${vm} --query principalId -o tsv)`,
		`az role assignment create --assignee-object-id $PRINCIPAL --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope $(az keyvault show -n kv-stock --query id -o tsv) -o none`,
		'az lab clock advance --minutes 6',
		`az ad sp list --filter "servicePrincipalType eq 'ManagedIdentity'" --query "[].displayName" -o tsv`,
		`ssh ${vm}`,
		"TOKEN=$(curl -s -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net' | jq -r .access_token)",
		'jwt decode $TOKEN',
		'curl -s -H "Authorization: Bearer $TOKEN" "https://kv-stock.vault.azure.net/secrets/db-password?api-version=7.4"',
		'exit'
	];
	return lines[i % lines.length] ?? 'help';
}

async function benchReplay(): Promise<Row> {
	let world = createDefaultWorld();
	let state = createShellState(world);
	const env = { keyRing: createKeyRing() };
	const started = process.hrtime.bigint();
	let failures = 0;
	for (let i = 0; i < 100; i++) {
		const line = lessonLine(i);
		const ran = await runLine(world, state, line, env);
		world = ran.world;
		state = ran.state;
		if (ran.exitCode !== 0) failures++;
	}
	const per = Number(process.hrtime.bigint() - started) / 1000 / 100;
	return {
		what: `terminal: 100-command lesson replay (az, ssh, curl, jq, jwt; ${failures} commands exited non-zero), mean per command`,
		figure: us(per)
	};
}

async function benchEmulator(): Promise<Row[]> {
	const emulator = await startEmulator({ port: 0 });
	try {
		await fetch(`${emulator.url}/lab/commands`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ command: 'az vm identity assign -g rg-stock -n vm-stock-app' })
		});
		const path =
			'/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net';
		const warm = await fetch(`${emulator.url}${path}`, { headers: { Metadata: 'true' } });
		if (warm.status !== 200) throw new Error(`the warm-up token request answered ${warm.status}`);
		const load = (extra: Partial<autocannon.Options>) =>
			autocannon({
				url: `${emulator.url}${path}`,
				headers: { Metadata: 'true' },
				connections: 10,
				duration: 10,
				pipelining: 1,
				...extra
			});
		// Flat out: how many requests a second the emulator serves at all.
		const saturated = await load({});
		// At the target rate: the latency a client sees when the emulator serves 5,000 requests a second.
		const paced = await load({ overallRate: 5000 });
		const rps = saturated.requests.average;
		return [
			{
				what: `emulator: cache-hit IMDS token requests, autocannon on loopback flat out (10 connections, 10 s, ${saturated.non2xx} non-2xx; latency p50 ${saturated.latency.p50} ms, p99 ${saturated.latency.p99} ms while saturated)`,
				figure: `${Math.round(rps)} requests/s`,
				target: '≥ 5,000 requests/s',
				met: rps >= 5000
			},
			{
				what: `emulator: latency at 5,000 requests/s (10 connections, 10 s, ${Math.round(paced.requests.average)} requests/s served, ${paced.non2xx} non-2xx), p50 / p99`,
				figure: `${paced.latency.p50} ms / ${paced.latency.p99} ms`,
				target: 'p99 ≤ 5 ms',
				met: paced.latency.p99 <= 5
			}
		];
	} finally {
		await emulator.close();
	}
}

/** Runs the terminal and emulator benchmarks. */
export async function run(): Promise<Row[]> {
	return [await benchReplay(), ...(await benchEmulator())];
}
