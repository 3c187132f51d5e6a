/**
 * Names and ids a learner types are looked up as the world's own entries only: `constructor`, `__proto__`,
 * `toString` and the like are names like any other, never something every JavaScript object inherits.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createShellState, runLine } from '../../../src/core/shell/index.ts';
import { keyedWorld, snapshot, terminal } from './terminal.ts';

const KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

/** Lookups that must fail (nothing in the world has these names), with `{k}` for the key. */
const LOOKUPS = [
	'az ad sp show --id {k}',
	'az ad app show --id {k}',
	'az ad user show --id {k}',
	'az vm show -g rg-stock -n {k}',
	'az vm show -g {k} -n vm-stock-app',
	'az group show -n {k}',
	'az identity show -g rg-stock -n {k}',
	'az vm identity assign -g rg-stock -n {k}',
	'az vm identity assign -g rg-stock -n vm-stock-app --identities {k}',
	'az role assignment create --assignee {k} --role Reader --scope /subscriptions/a1b2c3d4-0000-4000-8000-00000005707c',
	'az role assignment list --assignee {k}',
	'az keyvault show -n {k}',
	'az storage account show -n {k}',
	'az sql db show -g rg-stock -s sql-stock -n {k}',
	'az webapp show -g rg-stock -n {k}',
	'az account set -s {k}',
	'ssh {k}',
	'console {k}',
	'cat {k}',
	'cd {k}',
	'help {k}',
	'{k}',
	'curl -s -f https://kv-stock.vault.azure.net/secrets/{k}?api-version=7.4',
	'curl -s -f "https://management.azure.com/subscriptions/{k}?api-version=2022-12-01"',
	'sqlcmd -S sql-stock.database.windows.net -d {k} -G -Q "SELECT * FROM Quotes"'
];

describe('lookups by a name the learner typed', () => {
	it('never reach Object.prototype: each says "not found" and changes nothing', async () => {
		const world = await keyedWorld();
		const state = createShellState(world);
		const { env } = await terminal(world);
		const before = snapshot(world);
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(...LOOKUPS),
				fc.constantFrom(...KEYS),
				async (template, key) => {
					const line = template.replaceAll('{k}', key);
					const result = await runLine(world, state, line, env);
					expect(result.stderr).not.toContain('failed inside the simulator');
					expect(result.exitCode).not.toBe(0);
					expect(`${result.stdout}${result.stderr}`).not.toMatch(
						/\[native code\]|\[object Object\]|undefined/
					);
					if (line.startsWith('az ')) expect(snapshot(result.world)).toBe(before);
				}
			),
			{ numRuns: Number(process.env.SHELL_PROPERTY_RUNS ?? 150) }
		);
	});

	it('reads shell variables and JSON keys with these names as their own entries', async () => {
		const t = await terminal();
		expect((await t.run('echo "[$constructor][$toString][${__proto__}]"')).stdout).toBe('[][][]\n');
		expect((await t.run('__proto__=5; echo $__proto__')).stdout).toBe('5\n');
		expect((await t.run('export constructor=x; env | grep -c ^constructor=x')).stdout).toBe('1\n');
		expect((await t.run("echo '{}' | jq .constructor")).stdout).toBe('null\n');
		expect((await t.run('echo \'{"__proto__": 1}\' | jq .__proto__')).stdout).toBe('1\n');
	});

	it('az ad sp show --id constructor says the principal does not exist', async () => {
		const result = await (await terminal()).run('az ad sp show --id constructor');
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain("Service principal 'constructor' doesn't exist");
	});
});
