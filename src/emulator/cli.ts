/**
 * `npm run emulator -- [--port 8080] [--as <resource name>] [--world <file.json>] [--clock real|simulated]
 * [--https [--cert <file.pem> --key <file.pem>]] [--throttle]`
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { restoreWorld, type World } from '../core/index.ts';
import { startEmulator, jwksUrl, EmulatorStartError } from './emulator.ts';

const USAGE =
	'Usage: npm run emulator -- [--port 8080] [--as <resource name>] [--world <file.json>] [--clock real|simulated] [--https [--cert <cert.pem> --key <key.pem>]] [--throttle]';

function fail(message: string): never {
	process.stderr.write(`${message}\n${USAGE}\n`);
	process.exit(2);
}

let args: {
	port?: string;
	as?: string;
	world?: string;
	clock?: string;
	https?: boolean;
	cert?: string;
	key?: string;
	throttle?: boolean;
	help?: boolean;
};
try {
	args = parseArgs({
		options: {
			port: { type: 'string' },
			as: { type: 'string' },
			world: { type: 'string' },
			clock: { type: 'string' },
			https: { type: 'boolean' },
			cert: { type: 'string' },
			key: { type: 'string' },
			throttle: { type: 'boolean' },
			help: { type: 'boolean', short: 'h' }
		}
	}).values;
} catch (cause) {
	fail(cause instanceof Error ? cause.message : String(cause));
}
if (args.help) {
	process.stdout.write(`${USAGE}\n`);
	process.exit(0);
}
const port = args.port === undefined ? 8080 : Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
	fail(`--port must be a number from 0 to 65535, not '${args.port}'.`);
if (args.clock !== undefined && args.clock !== 'real' && args.clock !== 'simulated')
	fail(
		`--clock is 'real' (simulated time follows the real clock) or 'simulated' (it moves only on /lab/clock), not '${args.clock}'.`
	);
const clock = args.clock === 'simulated' ? 'simulated' : 'real';
if ((args.cert === undefined) !== (args.key === undefined))
	fail(
		'--cert and --key go together: give the PEM certificate with --cert and its PEM private key with --key.'
	);
if (args.cert !== undefined && !args.https) fail('--cert and --key are for HTTPS: add --https.');
let given: { cert: string; key: string } | undefined;
if (args.cert !== undefined && args.key !== undefined) {
	const read = (flag: string, file: string): string => {
		try {
			return readFileSync(file, 'utf8');
		} catch (cause) {
			fail(
				`Cannot read the ${flag} file '${file}': ${cause instanceof Error ? cause.message : String(cause)}`
			);
		}
	};
	given = { cert: read('--cert', args.cert), key: read('--key', args.key) };
}
let world: World | undefined;
if (args.world) {
	let text: string;
	try {
		text = readFileSync(args.world, 'utf8');
	} catch (cause) {
		fail(
			`Cannot read the world file '${args.world}': ${cause instanceof Error ? cause.message : String(cause)}`
		);
	}
	const restored = restoreWorld(text);
	if (!restored.ok)
		fail(`The world file '${args.world}' cannot be used: ${restored.error.message}`);
	world = restored.value;
}

try {
	const emulator = await startEmulator({
		port,
		clock,
		...(args.https ? { https: given ?? true } : {}),
		...(args.throttle ? { throttle: true } : {}),
		...(args.as ? { as: args.as } : {}),
		...(world ? { world } : {}),
		log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`)
	});
	const lines = [
		`Managed Identity Lab emulator listening on ${emulator.url}, standing in for ${emulator.host.name}.`,
		'Point your code at it:',
		...emulator.exports().map((l) => `  ${l}`),
		`Tenant JWKS: ${jwksUrl(emulator)}`,
		`Services: ${emulator.url}/kv-stock.vault.azure.net/secrets/db-password?api-version=7.4 (and /<storage>.blob.core.windows.net/…, /management.azure.com/…)`,
		...(emulator.ca
			? [
					`HTTPS: the certificate clients must trust is in ${emulator.ca.file} (the exports above point Node, OpenSSL and Python's requests at it).`
				]
			: []),
		`Clock: ${clock === 'real' ? 'simulated time follows the real clock; POST /lab/clock moves it further on' : 'simulated time moves only on POST /lab/clock'}`,
		`IMDS throttling: ${emulator.throttle ? 'on (--throttle)' : 'off (--throttle turns it on)'}`,
		`Lab control (send Authorization: Bearer $LAB_TOKEN and Content-Type: application/json): POST ${emulator.url}/lab/commands {"command": "…"}, POST ${emulator.url}/lab/clock {"advanceSeconds": N}, GET /lab/world, GET /lab/events`
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	const stop = (signal: string) => {
		process.stdout.write(`\n${signal}: stopping the emulator.\n`);
		void emulator.close().then(() => process.exit(0));
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
} catch (cause) {
	if (cause instanceof EmulatorStartError) fail(cause.message);
	throw cause;
}
