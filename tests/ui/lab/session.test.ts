// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createDefaultWorld, findResourcesByName, historyLines } from '../../../src/core/index.ts';
import { LabSession, UNDO_LIMIT } from '../../../src/ui/lab/session.svelte.ts';
import { keyedWorld, systemIdentityOf, VAULT, VM_APP } from '../../fixtures/worlds.ts';

/** A wait that lasts until Ctrl+C, so that a test decides when a pending command ends. */
function waitUntilAborted(_ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => signal.addEventListener('abort', () => resolve()));
}

const instantly = (): Promise<void> => Promise.resolve();

describe('LabSession', () => {
	it('applies a terminal line to the world it owns, and the change is there for every reader', async () => {
		const session = new LabSession(createDefaultWorld(), { wait: instantly });
		expect(systemIdentityOf(session.world, VM_APP)).toBeUndefined();
		const entry = await session.run('az vm identity assign -g rg-stock -n vm-stock-app');
		expect(entry.exitCode).toBe(0);
		const identity = systemIdentityOf(session.world, VM_APP);
		expect(identity?.principalId).toMatch(/^[0-9a-f-]{36}$/);
		expect(entry.stdout).toContain(identity?.principalId);
		expect(session.transcript.map((e) => e.line)).toEqual([
			'az vm identity assign -g rg-stock -n vm-stock-app'
		]);
		expect(entry.prompt).toBe('sarah@Azure:~$ ');
	});

	it('applies a portal action entirely and records what happened, or records the refusal and changes nothing', () => {
		const session = new LabSession(createDefaultWorld());
		const before = session.world;
		const refused = session.act({
			label: 'Enable on a VM that does not exist',
			operations: [{ type: 'enableSystemIdentity', resourceId: `${VM_APP}-nope` }],
			azCommand: 'az vm identity assign -g rg-stock -n vm-stock-app-nope'
		});
		expect(refused.ok).toBe(false);
		expect(refused.error?.code).toBeTruthy();
		expect(session.world).toBe(before);
		expect(session.undoDepth).toBe(0);

		const done = session.act({
			label: 'Enable system assigned managed identity',
			operations: [{ type: 'enableSystemIdentity', resourceId: VM_APP }],
			azCommand: 'az vm identity assign -g rg-stock -n vm-stock-app',
			arm: (_b, after) => ({
				method: 'PATCH',
				url: `https://management.azure.com${VM_APP}?api-version=2024-07-01`,
				requestBody: { identity: { type: 'SystemAssigned' } },
				status: 200,
				responseBody: { principalId: systemIdentityOf(after, VM_APP)?.principalId }
			})
		});
		expect(done.ok).toBe(true);
		expect(done.events.map((e) => e.kind)).toContain('directoryAudit');
		expect(done.arm?.responseBody).toEqual({
			principalId: systemIdentityOf(session.world, VM_APP)?.principalId
		});
		expect(session.lastAction).toBe(done);
		expect(session.undoDepth).toBe(1);
	});

	it('undo restores the previous world, and the shell where it was', async () => {
		const session = new LabSession(createDefaultWorld(), { wait: instantly });
		const start = session.world;
		await session.run('az vm identity assign -g rg-stock -n vm-stock-app');
		const enabled = session.world;
		await session.run('ssh vm-stock-app');
		expect(session.prompt).toBe('azureuser@vm-stock-app:~$ ');
		// ssh changes the shell, not the world: nothing to undo for it.
		expect(session.undoDepth).toBe(1);
		expect(session.undo()).toBe(true);
		expect(session.world).toBe(start);
		expect(session.world).not.toBe(enabled);
		expect(session.prompt).toBe('sarah@Azure:~$ ');
		// History survives undo, as a terminal's does.
		expect(historyLines(session.shell.history)).toEqual([
			'az vm identity assign -g rg-stock -n vm-stock-app',
			'ssh vm-stock-app'
		]);
		expect(session.undo()).toBe(false);
	});

	it('keeps at most UNDO_LIMIT steps', () => {
		const session = new LabSession(createDefaultWorld());
		for (let i = 0; i < UNDO_LIMIT + 5; i++) session.advanceClock(1);
		expect(session.undoDepth).toBe(UNDO_LIMIT);
	});

	it('clock ticks move time without filling the undo stack', () => {
		const session = new LabSession(createDefaultWorld());
		const t0 = session.world.now;
		session.advanceClock(1, true);
		session.advanceClock(1, true);
		expect(session.world.now).toBe(t0 + 2);
		expect(session.undoDepth).toBe(0);
		expect(session.advanceClock(0).ok).toBe(false);
	});

	it('runs lines one after another, in the order they were sent', async () => {
		const session = new LabSession(createDefaultWorld(), { wait: instantly });
		const first = session.run('az identity create -g rg-stock -n id-one');
		const second = session.run('az identity show -g rg-stock -n id-one --query name -o tsv');
		const [a, b] = await Promise.all([first, second]);
		expect(a.exitCode).toBe(0);
		expect(b.stdout.trim()).toBe('id-one');
	});

	it('a curl to an unreachable IMDS waits until Ctrl+C, then ends with 130 and changes nothing', async () => {
		const session = new LabSession(createDefaultWorld(), { wait: waitUntilAborted });
		const before = session.world;
		const running = session.run(
			"curl -s -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net'"
		);
		await new Promise((r) => setTimeout(r, 20));
		expect(session.pending?.waitingFor).toBe('169.254.169.254');
		expect(session.busy).toBe(true);
		session.interrupt();
		const entry = await running;
		expect(entry.interrupted).toBe(true);
		expect(entry.exitCode).toBe(130);
		expect(entry.stderr).toContain('^C');
		expect(session.pending).toBeNull();
		expect(session.world).toBe(before);
		expect(session.shell.lastExitCode).toBe(130);
	});

	it('splits the core’s “why it failed” lines from what the tool printed, and finds tokens to inspect', async () => {
		const { world, ring: keyRing } = await keyedWorld([
			{ type: 'enableSystemIdentity', resourceId: VM_APP }
		]);
		const session = new LabSession(world, { keyRing, wait: instantly });
		await session.run('ssh vm-stock-app');
		const tokenLine = await session.run(
			"curl -s -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net'"
		);
		expect(tokenLine.exitCode).toBe(0);
		expect(tokenLine.tokens).toHaveLength(1);
		expect(tokenLine.tokens[0]?.split('.')).toHaveLength(3);
		expect(session.exchanges.at(-1)?.hops.length).toBeGreaterThan(0);
		const denied = await session.run(
			`curl -s -H "Authorization: Bearer ${tokenLine.tokens[0] ?? ''}" 'https://kv-stock.vault.azure.net/secrets/db-password?api-version=7.4'`
		);
		expect(denied.stdout).toContain('Forbidden');
		expect(denied.why.join(' ')).toMatch(/Key Vault Secrets User|role/);
		expect(denied.stderr).not.toMatch(/^# /m);
		expect(findResourcesByName(session.world, 'kv-stock')[0]?.id).toBe(VAULT);
	});

	it('tells listeners about every change with its events and origin', async () => {
		const session = new LabSession(createDefaultWorld(), { wait: instantly });
		const seen: string[] = [];
		const stop = session.onChange((events, origin) =>
			seen.push(`${origin}:${events.map((e) => e.kind).join(',')}`)
		);
		await session.run('az vm identity assign -g rg-stock -n vm-stock-app');
		session.advanceClock(60);
		stop();
		session.advanceClock(60);
		expect(seen).toHaveLength(2);
		expect(seen[0]).toMatch(/^terminal:.*directoryAudit/);
		expect(seen[1]).toBe('clock:clock');
	});

	it('reset starts again from another world with an empty terminal and no undo', async () => {
		const session = new LabSession(createDefaultWorld(), { wait: instantly });
		await session.run('az vm identity assign -g rg-stock -n vm-stock-app');
		const fresh = createDefaultWorld();
		session.reset(fresh);
		expect(session.world).toBe(fresh);
		expect(session.transcript).toEqual([]);
		expect(session.undoDepth).toBe(0);
	});
});
