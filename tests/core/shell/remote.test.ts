import { describe, expect, it } from 'vitest';
import { terminal } from './terminal.ts';

describe('ssh', () => {
	it('opens a shell on a VM and exit comes back to Cloud Shell', async () => {
		const t = await terminal();
		const opened = await t.run('ssh azureuser@vm-stock-app');
		expect(opened.exitCode).toBe(0);
		expect(opened.stdout).toContain('Welcome to Ubuntu');
		expect(t.state.place.kind === 'resource' && t.state.place.resourceId).toMatch(
			/virtualMachines\/vm-stock-app$/
		);
		await t.run('X=on-the-vm');
		const back = await t.run('exit');
		expect(back.stdout).toBe('logout\nConnection to vm-stock-app closed.\n');
		expect(t.state.place).toEqual({ kind: 'cloudShell' });
		expect(t.state.vars.X).toBeUndefined();
	});

	it('reaches a scale-set instance by <vmss>_<n> and shows its computer name', async () => {
		const t = await terminal();
		await t.script([
			'az vmss create -g rg-stock -n vmss-stock --image Ubuntu2204 --instance-count 2 -o none',
			'ssh vmss-stock_1'
		]);
		expect(t.state.place).toMatchObject({ kind: 'resource', instanceId: '1' });
		expect((await t.run('hostname')).stdout).toBe('vmss-stock000001\n');
		await t.run('exit');
		const whole = await t.run('ssh vmss-stock');
		expect(whole.exitCode).toBe(255);
		expect(whole.stderr).toContain('ssh vmss-stock_0');
	});

	it('reaches the on-premises server, and from a VM another VM', async () => {
		const t = await terminal();
		await t.run('ssh onprem-legacy-01');
		expect(t.state.place).toEqual({ kind: 'outside', machine: 'onprem-legacy-01' });
		await t.run('exit');
		await t.script(['ssh vm-stock-app', 'ssh vm-stock-web-1']);
		expect(t.state.previous).toHaveLength(2);
		await t.run('exit');
		expect((await t.run('hostname')).stdout).toBe('vm-stock-app\n');
	});

	it('cannot resolve an unknown name', async () => {
		const result = await (await terminal()).run('ssh vm-nope');
		expect(result.exitCode).toBe(255);
		expect(result.stderr).toMatch(
			/^ssh: Could not resolve hostname vm-nope: Name or service not known\n/
		);
	});

	it('points a web app to its console, and a vault to nothing', async () => {
		const t = await terminal();
		const app = await t.run('ssh app-stock-web');
		expect(app.exitCode).toBe(255);
		expect(app.stderr).toContain('az webapp ssh -g rg-stock -n app-stock-web');
		expect(app.stderr).toContain('console app-stock-web');
		const vault = await t.run('ssh kv-stock');
		expect(vault.stderr).toContain('kv-stock is a key vault');
	});

	it('refuses a wrong user and a missing destination', async () => {
		const t = await terminal();
		expect((await t.run('ssh root@vm-stock-app')).stderr).toContain(
			'Permission denied (publickey)'
		);
		expect((await t.run('ssh')).stderr).toContain('usage: ssh');
	});

	it('runs one command remotely and stays here', async () => {
		const t = await terminal();
		const result = await t.run('ssh vm-stock-app hostname');
		expect(result.stdout).toBe('vm-stock-app\n');
		expect(t.state.place).toEqual({ kind: 'cloudShell' });
	});

	it('is not available in an App Service console', async () => {
		const t = await terminal();
		await t.run('console app-stock-web');
		const result = await t.run('ssh vm-stock-app');
		expect(result.exitCode).toBe(255);
		expect(result.stderr).toContain('cannot reach other machines');
	});
});

describe('the App Service console', () => {
	it('console <app> shows IDENTITY_ENDPOINT only when the site has an identity', async () => {
		const t = await terminal();
		await t.run('console app-stock-web');
		expect((await t.run('env | grep IDENTITY')).exitCode).toBe(1);
		await t.run('exit');
		await t.run('az webapp identity assign -g rg-stock -n app-stock-web -o none');
		await t.run('console app-stock-web');
		const env = (await t.run('env | grep IDENTITY_')).stdout;
		expect(env).toContain('IDENTITY_ENDPOINT=http://localhost:4141/MSI/token');
		expect(env).toMatch(/IDENTITY_HEADER=[0-9a-f-]{36}/);
	});

	it('az webapp ssh -n <app> opens it too, and only from Cloud Shell', async () => {
		const t = await terminal();
		const opened = await t.run('az webapp ssh -n app-stock-web');
		expect(opened.exitCode).toBe(0);
		expect(opened.stdout).toContain('A P P   S E R V I C E   O N   L I N U X');
		expect((await t.run('whoami; pwd')).stdout).toBe('kudu\n/home\n');
		expect((await t.run('console func-stock-import')).exitCode).toBe(1);
	});

	it('console without a known app says which apps exist', async () => {
		const t = await terminal();
		expect((await t.run('console')).exitCode).toBe(2);
		const unknown = await t.run('console app-nope');
		expect(unknown.stderr).toContain('app-stock-web, func-stock-import');
	});
});
