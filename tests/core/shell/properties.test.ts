/**
 * Property tests: whatever a learner types, runLine resolves (never throws), never mutates the world it was
 * given, changes the world only together with events, and a failing az control-plane command leaves the world
 * exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { World } from '../../../src/core/index.ts';
import { createShellState, runLine } from '../../../src/core/shell/index.ts';
import type { ShellState } from '../../../src/core/shell/index.ts';
import { keyedWorld, snapshot, terminal } from './terminal.ts';

const VOCABULARY = [
	'az',
	'vm',
	'vmss',
	'identity',
	'assign',
	'remove',
	'show',
	'list',
	'create',
	'delete',
	'role',
	'assignment',
	'definition',
	'ad',
	'sp',
	'webapp',
	'functionapp',
	'keyvault',
	'secret',
	'storage',
	'blob',
	'account',
	'group',
	'sql',
	'server',
	'ad-admin',
	'lab',
	'clock',
	'advance',
	'scale',
	'config',
	'appsettings',
	'resource',
	'-g',
	'-n',
	'--name',
	'--resource-group',
	'--identities',
	'--assign-identity',
	'--role',
	'--scope',
	'--assignee',
	'--ids',
	'--query',
	'-o',
	'json',
	'tsv',
	'table',
	'none',
	'--yes',
	'--image',
	'--all',
	'--vault-name',
	'--minutes',
	'--auth-mode',
	'login',
	'--account-name',
	'-c',
	'--help',
	'-h',
	'--foo',
	'[system]',
	'Reader',
	'"Key Vault Secrets User"',
	'rg-stock',
	'rg-nope',
	'vm-stock-app',
	'vm-stock-web-1',
	'kv-stock',
	'ststockdata',
	'quotes',
	'today.csv',
	'db-password',
	'id-stock-web',
	'app-stock-web',
	'sql-stock',
	'5',
	'-1',
	'/subscriptions',
	'curl',
	'-s',
	'-H',
	'Metadata:true',
	"'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net'",
	'https://kv-stock.vault.azure.net/secrets/db-password',
	'jq',
	'-r',
	'.access_token',
	'.',
	'jwt',
	'decode',
	'ssh',
	'exit',
	'console',
	'sqlcmd',
	'-S',
	'-Q',
	'echo',
	'export',
	'X=1',
	'$X',
	'${X}',
	'$(',
	')',
	'`',
	'|',
	'&&',
	'||',
	';',
	'#',
	"'",
	'"',
	'\\',
	'>',
	'<',
	'&',
	'(',
	'env',
	'cat',
	'ls',
	'cd',
	'grep',
	'history',
	'clear',
	'help',
	'~',
	'*',
	'-l',
	'westeurope',
	'rg-prop',
	'id-prop',
	'name',
	'name==',
	'[?',
	'[0].',
	'length(@)'
];

/** Commands that change the world when they succeed (each does, from the keyed default world). */
const CHANGING = [
	'az group create -n rg-prop -l westeurope',
	'az identity create -g rg-stock -n id-prop',
	'az vm identity assign -g rg-stock -n vm-stock-app',
	'az webapp identity assign -g rg-stock -n app-stock-web',
	'az lab clock advance --minutes 5'
];

/** Queries: some parse, some do not (az refuses those while parsing its arguments, before running anything). */
const QUERIES = ['name', 'id', 'length(@)', 'name==', '[?', '[0].', "'[?name=='", '"{a:}"', '"`x"'];

/** A failing az query on the command's result (after it ran, as in az): the one failure that keeps changes. */
function queryFailedOnResult(stderr: string): boolean {
	return stderr.startsWith('ERROR: Invalid jmespath query supplied for `--query`');
}

const tokens = fc
	.array(fc.tuple(fc.constantFrom(...VOCABULARY), fc.constantFrom(' ', ' ', '', '  ')), {
		maxLength: 14
	})
	.map((parts) => parts.map(([word, gap]) => word + gap).join(''));
const asciiGarbage = fc.string({ maxLength: 80 });
const unicodeGarbage = fc.string({ unit: 'binary', maxLength: 40 });
const anyLine = fc.oneof(tokens, tokens, asciiGarbage, unicodeGarbage);

/** A failing az command that only talks to the control plane must not touch the world. */
function isControlPlaneAz(line: string): boolean {
	const words = line.trim().split(/\s+/);
	if (words[0] !== 'az') return false;
	if (/[;|&`$()<>#\\'"]/.test(line)) return false;
	return !['keyvault', 'storage', 'rest', 'account'].includes(words[1] ?? '');
}

async function check(world: World, state: ShellState, line: string): Promise<void> {
	const before = snapshot(world);
	const env = (await terminal(world)).env;
	const result = await runLine(world, state, line, env);
	expect(typeof result.stdout).toBe('string');
	expect(typeof result.stderr).toBe('string');
	expect(Number.isInteger(result.exitCode) && result.exitCode >= 0 && result.exitCode <= 255).toBe(
		true
	);
	expect(result.stderr).not.toContain('failed inside the simulator');
	expect(snapshot(world)).toBe(before);
	if (result.events.length === 0) expect(snapshot(result.world)).toBe(before);
	if (result.exitCode !== 0 && isControlPlaneAz(line) && !queryFailedOnResult(result.stderr))
		expect(snapshot(result.world)).toBe(before);
	expect(result.world.events.slice(world.events.length)).toEqual(result.events);
}

describe('runLine on anything', () => {
	it('never throws, never mutates its input, changes the world only with events', async () => {
		const world = await keyedWorld();
		const state = createShellState(world);
		await fc.assert(
			fc.asyncProperty(anyLine, (line) => check(world, state, line)),
			{ numRuns: Number(process.env.SHELL_PROPERTY_RUNS ?? 250) }
		);
	});

	it('holds on a VM and in an App Service console too', async () => {
		const t = await terminal();
		await t.script(['az vm identity assign -g rg-stock -n vm-stock-app -o none']);
		const world = t.world;
		const vm = Object.values(world.resources).find((r) => r.name === 'vm-stock-app');
		const site = Object.values(world.resources).find((r) => r.name === 'app-stock-web');
		const places = [
			createShellState(world, { kind: 'resource', resourceId: vm?.id ?? '' }),
			createShellState(world, { kind: 'resource', resourceId: site?.id ?? '' })
		];
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...places), tokens, (state, line) =>
				check(world, state, line)
			),
			{ numRuns: Number(process.env.SHELL_PROPERTY_RUNS ?? 120) }
		);
	});

	it('a failing az control-plane command (a --query that does not parse too) leaves the world exactly as it was', async () => {
		const world = await keyedWorld();
		const state = createShellState(world);
		const azLine = fc
			.array(fc.constantFrom(...VOCABULARY.filter((w) => /^[\w[\]./:=-]+$/.test(w))), {
				minLength: 1,
				maxLength: 10
			})
			.map((words) => `az ${words.join(' ')}`);
		// Commands that would change the world, with a --query that may not parse: the query is checked first.
		const changingLine = fc
			.tuple(
				fc.constantFrom(...CHANGING),
				fc.constantFrom(...QUERIES),
				fc.constantFrom('', ' -o tsv', ' -o none')
			)
			.map(([command, query, output]) => `${command} --query ${query}${output}`);
		await fc.assert(
			fc.asyncProperty(fc.oneof(azLine, changingLine), async (line) => {
				const result = await runLine(world, state, line, (await terminal(world)).env);
				const controlPlane = isControlPlaneAz(line) || CHANGING.some((c) => line.startsWith(c));
				if (result.exitCode !== 0 && controlPlane && !queryFailedOnResult(result.stderr)) {
					expect(result.events).toEqual([]);
					expect(snapshot(result.world)).toBe(snapshot(world));
				}
			}),
			{ numRuns: Number(process.env.SHELL_PROPERTY_RUNS ?? 250) }
		);
	});
});
