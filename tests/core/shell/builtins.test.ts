import { describe, expect, it } from 'vitest';
import { historyLines } from '../../../src/core/shell/index.ts';
import { terminal } from './terminal.ts';

describe('builtins', () => {
	it('echo prints its arguments; -n drops the newline, -e reads escapes', async () => {
		const t = await terminal();
		expect((await t.run('echo a  b')).stdout).toBe('a b\n');
		expect((await t.run('echo -n a')).stdout).toBe('a');
		expect((await t.run('echo -e "a\\tb"')).stdout).toBe('a\tb\n');
		expect((await t.run('echo --help')).stdout).toBe('--help\n');
	});

	it('env lists the place’s variables, sorted', async () => {
		const t = await terminal();
		const lines = (await t.run('env')).stdout.trim().split('\n');
		expect(lines).toContain('HOME=/home/sarah');
		expect(lines).toContain('USER=sarah');
		expect([...lines].sort()).toEqual(lines);
		const refused = await t.run('env ls');
		expect(refused.exitCode).toBe(125);
	});

	it('export lists, sets and refuses bad names', async () => {
		const t = await terminal();
		await t.run('export TOKEN=abc');
		expect((await t.run('export')).stdout).toBe('declare -x TOKEN="abc"\n');
		const bad = await t.run('export 9x=1');
		expect(bad.exitCode).toBe(1);
		expect(bad.stderr).toContain("bash: export: `9x=1': not a valid identifier");
		await t.run('unset TOKEN');
		expect((await t.run('echo "[$TOKEN]"')).stdout).toBe('[]\n');
	});

	it('history -c clears it and history N shows the last N', async () => {
		const t = await terminal();
		await t.script(['echo 1', 'echo 2']);
		expect((await t.run('history 1')).stdout).toBe('    3  history 1\n');
		await t.run('history -c');
		expect(historyLines(t.state.history)).toEqual([]);
		expect((await t.run('history x')).exitCode).toBe(1);
	});

	it('clear asks the screen to clear', async () => {
		expect((await (await terminal()).run('clear')).clear).toBe(true);
	});

	it('exit from Cloud Shell explains there is nowhere to go', async () => {
		const result = await (await terminal()).run('exit');
		expect(result.exitCode).toBe(0);
		expect(result.stderr).toContain('nothing to exit to');
	});

	it('cat reads the machine’s files; ls and cd walk its directories', async () => {
		const t = await terminal();
		await t.run('ssh vm-stock-app');
		const settings = await t.run('cat /etc/stock-app/appsettings.json');
		expect(settings.stdout).toContain('AccountKey=');
		expect((await t.run('ls /etc')).stdout).toBe('stock-app/\n');
		expect((await t.run('cd /etc/stock-app && pwd && ls')).stdout).toBe(
			'/etc/stock-app\nappsettings.json\n'
		);
		expect((await t.run('cat appsettings.json | jq -r .KeyVaultUri')).stdout).toBe(
			'https://kv-stock.vault.azure.net/\n'
		);
		const missing = await t.run('cat /etc/passwd-nope');
		expect(missing.exitCode).toBe(1);
		expect(missing.stderr).toBe('cat: /etc/passwd-nope: No such file or directory\n');
		expect((await t.run('cat /etc')).stderr).toBe('cat: /etc: Is a directory\n');
		expect((await t.run('cd /nowhere')).stderr).toBe(
			'bash: cd: /nowhere: No such file or directory\n'
		);
		expect((await t.run('ls /nowhere')).exitCode).toBe(2);
		await t.run('cd');
		expect((await t.run('pwd')).stdout).toBe('/home/azureuser\n');
	});

	it('hostname and whoami name the place', async () => {
		const t = await terminal();
		expect((await t.run('whoami; hostname')).stdout).toBe('sarah\nSandboxHost-cloudshell\n');
		await t.run('ssh onprem-legacy-01');
		expect((await t.run('whoami; hostname')).stdout).toBe('admin\nonprem-legacy-01\n');
	});

	it('grep filters lines: -i, -v, -c, -q and files', async () => {
		const t = await terminal();
		expect((await t.run('echo -e "Alpha\\nbeta\\ngamma" | grep -i a')).stdout).toBe(
			'Alpha\nbeta\ngamma\n'
		);
		expect((await t.run('echo -e "Alpha\\nbeta" | grep -v beta')).stdout).toBe('Alpha\n');
		expect((await t.run('echo -e "a\\nb\\na" | grep -c a')).stdout).toBe('2\n');
		const quiet = await t.run('echo x | grep -q y');
		expect([quiet.stdout, quiet.exitCode]).toEqual(['', 1]);
		expect((await t.run('grep')).exitCode).toBe(2);
		expect((await t.run('grep a /no/file')).stderr).toBe(
			'grep: /no/file: No such file or directory\n'
		);
	});

	it('grep matches on a linear-time engine: a catastrophic pattern answers at once', async () => {
		const t = await terminal();
		// Under a backtracking engine this 45-character line takes 2^44 steps.
		const line = `${'a'.repeat(44)}!`;
		const result = await t.run(`echo ${line} | grep -c '(a+)+$'`);
		expect([result.stdout, result.exitCode]).toEqual(['0\n', 1]);
		expect((await t.run(`echo ${line} | grep '(a|aa)*!$'`)).stdout).toBe(`${line}\n`);
	});

	it('grep refuses what RE2 does not read (back-references, look-around) and says why', async () => {
		const t = await terminal();
		for (const pattern of ["'(a)\\1'", "'a(?=b)'", "'('"]) {
			const result = await t.run(`echo aa | grep ${pattern}`);
			expect(result.exitCode).toBe(2);
			expect(result.stdout).toBe('');
			expect(result.stderr).toMatch(/^grep: error parsing regexp: .*\n.*RE2 syntax/);
		}
		expect((await t.run("echo 'a(b' | grep 'a\\(b'")).stdout).toBe('a(b\n');
	});

	it('help lists every command; <command> --help shows its usage', async () => {
		const t = await terminal();
		const help = await t.run('help');
		for (const name of [
			'az',
			'curl',
			'jq',
			'jwt',
			'ssh',
			'console',
			'sqlcmd',
			'clock',
			'echo',
			'env',
			'cat',
			'grep'
		]) {
			expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
		}
		expect((await t.run('help jq')).stdout).toContain('jq -r .access_token');
		expect((await t.run('cat --help')).stdout).toContain('Usage:\n  cat FILE');
		expect((await t.run('help nope')).exitCode).toBe(1);
	});
});
