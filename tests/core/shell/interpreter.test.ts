import { describe, expect, it } from 'vitest';
import { createDefaultWorld } from '../../../src/core/index.ts';
import {
	HISTSIZE,
	MAX_LINE_LENGTH,
	createShellState,
	historyLines,
	prompt,
	runLine
} from '../../../src/core/shell/index.ts';
import { createKeyRing } from '../../../src/core/token/key-ring.ts';
import { keyedWorld, snapshot, terminal } from './terminal.ts';

const IMDS_VAULT =
	"'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net'";
const SECRET_URL = "'https://kv-stock.vault.azure.net/secrets/db-password?api-version=7.4'";

describe('runLine: the shell language', () => {
	it('sets and expands variables, with export for programs', async () => {
		const t = await terminal();
		expect((await t.run('A=1; echo "a=$A ${A}b"')).stdout).toBe('a=1 1b\n');
		expect((await t.run('env | grep -c ^A=1 || echo none')).stdout).toBe('0\nnone\n');
		await t.run('export A');
		expect((await t.run('env | grep ^A=')).stdout).toBe('A=1\n');
		expect((await t.run('export B=two; echo $B')).stdout).toBe('two\n');
	});

	it('gives an assignment before a command to that command only', async () => {
		const t = await terminal();
		expect((await t.run('X=42 env | grep ^X=')).stdout).toBe('X=42\n');
		expect((await t.run('echo "[$X]"')).stdout).toBe('[]\n');
	});

	it('runs && only after success and || only after failure; ; always', async () => {
		const t = await terminal();
		expect((await t.run('false && echo no; echo yes')).stdout).toBe('yes\n');
		expect((await t.run('false || echo rescued')).stdout).toBe('rescued\n');
		expect((await t.run('true && echo ran')).stdout).toBe('ran\n');
		const last = await t.run('echo a; false');
		expect(last.exitCode).toBe(1);
		expect((await t.run('echo $?')).stdout).toBe('1\n');
	});

	it('pipes stdout to the next command and keeps only the last stdout', async () => {
		const t = await terminal();
		expect((await t.run(`echo '{"a":{"b":[7]}}' | jq .a.b[0]`)).stdout).toBe('7\n');
		expect((await t.run('echo hello | cat | grep ell')).stdout).toBe('hello\n');
	});

	it('substitutes command output, without the trailing newline', async () => {
		const t = await terminal();
		expect((await t.run('X=$(echo hi); echo "[$X]"')).stdout).toBe('[hi]\n');
		expect((await t.run('echo "id: $(az account show --query id -o tsv)"')).stdout).toBe(
			'id: a1b2c3d4-0000-4000-8000-00000005707c\n'
		);
		expect((await t.run('echo `echo back`')).stdout).toBe('back\n');
	});

	it('prints syntax errors as bash does, exit code 2, world unchanged', async () => {
		const t = await terminal();
		const before = snapshot(t.world);
		const result = await t.run('az group list |');
		expect(result.exitCode).toBe(2);
		expect(result.stderr).toMatch(/^bash: unexpected end of line after `\|'/);
		expect(snapshot(result.world)).toBe(before);
	});

	it('says command not found, with a suggestion', async () => {
		const result = await (await terminal()).run('crul http://x');
		expect(result.exitCode).toBe(127);
		expect(result.stderr).toContain('bash: crul: command not found');
		expect(result.stderr).toContain('Did you mean curl?');
	});

	it('records history and lists it', async () => {
		const t = await terminal();
		await t.run('echo one');
		await t.run('  ');
		const result = await t.run('history');
		expect(result.stdout).toBe('    1  echo one\n    2  history\n');
	});

	it('keeps the last HISTSIZE lines, numbered on as bash numbers them', async () => {
		const world = await keyedWorld();
		let state = createShellState(world);
		const env = { keyRing: createKeyRing() };
		for (let i = 1; i <= HISTSIZE + 5; i++)
			({ state } = await runLine(world, state, `true ${i}`, env));
		expect(historyLines(state.history)).toHaveLength(HISTSIZE);
		const listed = await runLine(world, state, 'history 2', env);
		expect(listed.stdout).toBe(' 1005  true 1005\n 1006  history 2\n');
	});

	it('refuses a line longer than 64 KiB with a message that names the limit, and runs nothing', async () => {
		const t = await terminal();
		const before = t.world;
		const long = `az group delete -n rg-stock --yes # ${'x'.repeat(MAX_LINE_LENGTH)}`;
		const result = await t.run(long);
		expect(result.exitCode).toBe(2);
		expect(result.stderr).toContain('at most 65,536 characters (64 KiB)');
		expect(t.world).toBe(before);
		expect(historyLines(t.state.history)).toEqual([]);
		// A pasted word up to the limit is read and answered.
		const word = 'a'.repeat(MAX_LINE_LENGTH - 5);
		expect((await t.run(`echo ${word}`)).stdout).toBe(`${word}\n`);
		const unknown = await t.run(word);
		expect(unknown.exitCode).toBe(127);
		expect(unknown.stderr).not.toContain('Did you mean');
		// Blank runs in an OData filter once cost quadratic time (17 s for this line).
		const filter = await t.run(
			`az ad sp list --filter "displayName eq 'nobody'${' '.repeat(60_000)}or displayName eq 'stock-app-legacy'" --query "[].displayName" -o tsv`
		);
		expect([filter.stdout, filter.exitCode]).toEqual(['stock-app-legacy\n', 0]);
	});

	it('never throws on strange input', async () => {
		const world = createDefaultWorld();
		const state = createShellState(world);
		const env = { keyRing: createKeyRing() };
		// A value that is not a string reads as an empty line: nothing runs, nothing is printed or kept.
		for (const strange of [undefined, null, 42, { toString: () => 'az group delete' }]) {
			const result = await runLine(world, state, strange as unknown as string, env);
			expect(result).toMatchObject({ exitCode: 0, stdout: '', stderr: '', events: [], hops: [] });
			expect(result.world).toBe(world);
			expect(historyLines(result.state.history)).toEqual([]);
		}
		// A line the interpreter cannot even parse exits 2 with bash's message, and changes nothing.
		const unparsable = await runLine(world, state, 'echo "$(', env);
		expect(unparsable).toMatchObject({ exitCode: 2, stdout: '' });
		expect(unparsable.stderr).toMatch(/^bash: unexpected EOF while looking for matching/);
		expect(unparsable.world).toBe(world);
	});

	it('shows the prompt of each place', async () => {
		const t = await terminal();
		expect(prompt(t.world, t.state)).toBe('sarah@Azure:~$ ');
		await t.run('ssh vm-stock-app');
		expect(prompt(t.world, t.state)).toBe('azureuser@vm-stock-app:~$ ');
		await t.run('exit');
		await t.run('console app-stock-web');
		expect(prompt(t.world, t.state)).toBe('kudu@app-stock-web:/home$ ');
		await t.run('exit');
		await t.run('ssh onprem-legacy-01');
		expect(prompt(t.world, t.state)).toBe('admin@onprem-legacy-01:~$ ');
	});

	it('ends the session on a machine that was deleted meanwhile', async () => {
		const t = await terminal();
		await t.run('ssh vm-stock-web-3');
		const vmId = t.state.place.kind === 'resource' ? t.state.place.resourceId : '';
		const deleted = await (await terminal(t.world)).run(`az resource delete --ids ${vmId}`);
		expect(deleted.exitCode).toBe(0);
		t.world = deleted.world;
		const result = await t.run('hostname');
		expect(result.exitCode).toBe(255);
		expect(result.stderr).toContain('Connection to vm-stock-web-3 closed by remote host.');
		expect(t.state.place.kind).toBe('cloudShell');
	});

	it('runs the token request and the Key Vault call of the brief', async () => {
		const t = await terminal();
		await t.script([
			'az vm identity assign -g rg-stock -n vm-stock-app -o none',
			'ssh vm-stock-app'
		]);
		const token = await t.run(
			`TOKEN=$(curl -s -H Metadata:true ${IMDS_VAULT} | jq -r .access_token)`
		);
		expect(token.exitCode).toBe(0);
		expect(token.events.map((e) => e.kind)).toContain('token');
		expect(t.state.vars.TOKEN).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
		const call = await t.run(`curl -s -H "Authorization: Bearer $TOKEN" ${SECRET_URL}`);
		expect(call.exitCode).toBe(0);
		expect(JSON.parse(call.stdout)).toMatchObject({
			error: { code: 'Forbidden', innererror: { code: 'ForbiddenByRbac' } }
		});
		expect(call.events).toEqual([
			expect.objectContaining({ kind: 'serviceCall', service: 'keyVault', status: 403 })
		]);
		expect(call.hops.length).toBeGreaterThan(0);
	});
});
