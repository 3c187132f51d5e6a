/** tee, rm and sudo in the terminal, and az webapp config appsettings set/delete. */
import { describe, expect, it } from 'vitest';
import { json, terminal } from './terminal.ts';
import type { LineResult } from '../../../src/core/index.ts';

const CONFIG = '/etc/stock-app/appsettings.json';

describe('tee and rm', () => {
	it('rewrites the stock app config on the VM through the core', async () => {
		const t = await terminal();
		await t.script(['ssh vm-stock-app']);
		const written = await t.run(
			`echo '{"KeyVaultUri": "https://kv-stock.vault.azure.net/"}' | sudo tee ${CONFIG}`
		);
		expect(written.exitCode).toBe(0);
		expect(written.stdout).toContain('KeyVaultUri');
		expect(written.events[0]).toMatchObject({ kind: 'activity', operationName: 'Lab/files/write' });
		expect((await t.run(`cat ${CONFIG}`)).stdout).not.toContain('AccountKey');
		await t.script([`rm ${CONFIG}`]);
		expect((await t.run(`cat ${CONFIG}`)).exitCode).toBe(1);
	});

	it('writes to the Cloud Shell home without touching the world', async () => {
		const t = await terminal();
		const before = t.world;
		await t.script(['echo hello | tee notes.txt']);
		expect(t.world).toBe(before);
		expect((await t.run('cat notes.txt')).stdout).toBe('hello\n');
	});

	it('says what is wrong with bad usage', async () => {
		const t = await terminal();
		expect((await t.run('echo x | tee')).stderr).toMatch(/exactly one file/);
		expect((await t.run('echo x | tee -a f')).stderr).toMatch(/append/);
		expect((await t.run('rm nothing.txt')).stderr).toMatch(/No such file/);
		expect((await t.run('sudo')).exitCode).toBe(1);
		// Cloud Shell gives no root rights, as in Azure; on a VM sudo runs the command.
		expect((await t.run('sudo ls')).stderr).toMatch(/not in the sudoers file/);
		await t.script(['ssh vm-stock-app']);
		expect((await t.run('sudo nosuch')).stderr).toMatch(/command not found/);
	});
});

describe('az webapp config appsettings set / delete', () => {
	it('adds a setting and removes it again', async () => {
		const t = await terminal();
		const [set] = await t.script([
			'az webapp config appsettings set -g rg-stock -n app-stock-web --settings QuotesStorage=AccountKey=abc Mode=live'
		]);
		expect(json<{ name: string; value: string }[]>(set as LineResult)).toEqual(
			expect.arrayContaining([
				{ name: 'QuotesStorage', slotSetting: false, value: 'AccountKey=abc' }
			])
		);
		const [removed] = await t.script([
			'az webapp config appsettings delete -g rg-stock -n app-stock-web --setting-names QuotesStorage'
		]);
		expect(json<{ name: string }[]>(removed as LineResult).map((s) => s.name)).toEqual(['Mode']);
	});

	it('refuses a setting without = and an unknown name', async () => {
		const t = await terminal();
		const bad = await t.run(
			'az webapp config appsettings set -g rg-stock -n app-stock-web --settings Broken'
		);
		expect(bad.exitCode).toBe(2);
		const unknown = await t.run(
			'az webapp config appsettings delete -g rg-stock -n app-stock-web --setting-names Nope'
		);
		expect(unknown.exitCode).toBe(1);
		expect(unknown.stderr).toMatch(/no app setting named Nope/);
	});
});
