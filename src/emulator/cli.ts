/** `npm run emulator -- [--port 8080] [--as <resource name>] [--world <file.json>] [--clock real|simulated]` */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { restoreWorld, type World } from '../core/index.ts';
import { startEmulator, jwksUrl, EmulatorStartError } from './emulator.ts';

const USAGE =
	'Usage: npm run emulator -- [--port 8080] [--as <resource name>] [--world <file.json>] [--clock real|simulated]';

function fail(message: string): never {
	process.stderr.write(`${message}\n${USAGE}\n`);
	process.exit(2);
}

let args: { port?: string; as?: string; world?: string; clock?: string; help?: boolean };
try {
	args = parseArgs({
		options: {
			port: { type: 'string' },
			as: { type: 'string' },
			world: { type: 'string' },
			clock: { type: 'string' },
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
		`Clock: ${clock === 'real' ? 'simulated time follows the real clock; POST /lab/clock moves it further on' : 'simulated time moves only on POST /lab/clock'}`,
		`Lab control: POST ${emulator.url}/lab/commands {"command": "…"}, POST ${emulator.url}/lab/clock {"advanceSeconds": N}, GET /lab/world, GET /lab/events`
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
