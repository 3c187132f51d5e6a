import { describe, expect, it } from 'vitest';
import { createShellState, snapshotWorld } from '../../src/core/index.ts';
import { portalOperations } from '../../src/curriculum/portal.ts';
import { buildStart, linesToPlace, placeName, runStep } from '../../src/curriculum/runner.ts';
import type { Step } from '../../src/curriculum/schema.ts';
import { keyedWorld as fixtureWorld } from '../fixtures/worlds.ts';
import { keyedWorld } from '../core/shell/terminal.ts';
import { env } from './lesson-harness.ts';

describe('portalOperations', () => {
	it('maps named portal actions to operations, by names', async () => {
		const world = await keyedWorld();
		const enable = portalOperations(world, {
			portal: 'identity.enableSystemAssigned',
			resource: 'vm-stock-app'
		});
		expect(enable).toMatchObject({ ok: true, value: [{ type: 'enableSystemIdentity' }] });
		expect(portalOperations(world, { portal: 'clock.advance', seconds: 60 })).toEqual({
			ok: true,
			value: [{ type: 'advanceClock', seconds: 60 }]
		});
	});

	it('says why an action cannot be done', async () => {
		const world = await keyedWorld();
		expect(portalOperations(world, { portal: 'resource.delete', resource: 'vm-nope' })).toEqual({
			ok: false,
			error: 'No resource named vm-nope exists in this world.'
		});
		expect(
			portalOperations(world, {
				portal: 'roleAssignment.create',
				principal: 'vm-stock-app',
				role: 'Reader',
				scope: 'kv-stock'
			})
		).toMatchObject({
			ok: false,
			error: expect.stringMatching(/no system-assigned identity/) as unknown
		});
		expect(
			portalOperations(world, {
				portal: 'roleAssignment.delete',
				principal: 'sarah@contoso.onmicrosoft.com',
				role: 'Reader',
				scope: 'subscription'
			})
		).toMatchObject({
			ok: false,
			error: expect.stringMatching(/has no Reader assignment/) as unknown
		});
	});
});

describe('runStep', () => {
	it('refuses a line typed in the wrong place, and navigates there for show me', async () => {
		const world = await keyedWorld();
		const state = { world, shell: createShellState(world) };
		const step = { run: 'hostname', in: 'vm-stock-app' };
		const refused = await runStep(state, step, await env());
		expect(refused).toMatchObject({
			ok: false,
			error: 'This line is typed in vm-stock-app, but the terminal is in cloud-shell.'
		});
		const shown = await runStep(state, step, await env(), { navigate: true });
		expect(shown.ok).toBe(true);
		expect(shown.lines.map((l) => l.line)).toEqual(['ssh vm-stock-app', 'hostname']);
		expect(placeName(shown.state.world, shown.state.shell)).toBe('vm-stock-app');
		expect(linesToPlace(shown.state.world, shown.state.shell, 'app-stock-web')).toEqual([
			'exit',
			'az webapp ssh -g rg-stock -n app-stock-web'
		]);
	});

	it('applies portal steps through the core and reports a failing line with its error', async () => {
		const world = await keyedWorld();
		const state = { world, shell: createShellState(world) };
		const enabled = await runStep(
			state,
			{ portal: 'identity.enableSystemAssigned', resource: 'vm-stock-app' },
			await env()
		);
		expect(enabled.events.some((e) => e.kind === 'directoryAudit')).toBe(true);
		const failed = await runStep(
			enabled.state,
			{ run: 'az vm show -g rg-stock -n vm-nope' },
			await env()
		);
		expect(failed.ok).toBe(false);
		expect(failed.error).toMatch(/^'az vm show -g rg-stock -n vm-nope' exited with 3|exited with/);
	});
});

describe('buildStart', () => {
	it('starts from a recorded world, with the lab’s signing key, and says what is wrong with a broken one', async () => {
		const { world } = await fixtureWorld();
		const recorded = snapshotWorld({ ...world, events: [], signingKeys: [] });
		const fromFile = (text: string) => ({
			folder: '99-test',
			worlds: { 'start-world.json': text },
			scenario: {
				start: { from: 'start-world.json', steps: [] },
				tasks: [],
				solution: [],
				walkthrough: [],
				quiz: []
			}
		});
		const start = await buildStart(fromFile(recorded), { defaultWorld: world, env: await env() });
		if (!start.ok) throw new Error(start.error);
		expect(Object.keys(start.value.world.resources)).toEqual(Object.keys(world.resources));
		expect(start.value.world.signingKeys).toEqual(world.signingKeys);
		const broken = await buildStart(fromFile('{"version": 99}'), {
			defaultWorld: world,
			env: await env()
		});
		expect(broken.ok ? '' : broken.error).toMatch(/^lessons\/99-test\/start-world\.json: /);
	});

	const lesson = (steps: Step[]) => ({
		folder: '99-test',
		scenario: {
			start: { from: 'default' as const, steps },
			tasks: [],
			solution: [],
			walkthrough: [],
			quiz: []
		}
	});

	it('lets Entra ID replicate the principals setup created, so the first role assignment finds them', async () => {
		const { world } = await fixtureWorld();
		const defaultWorld = { ...world, events: [] };
		const plain = await buildStart(lesson([]), { defaultWorld, env: await env() });
		expect(plain.ok && plain.value.world.now).toBe(world.now);
		const start = await buildStart(
			lesson([{ run: 'az identity create -g rg-stock -n id-new -o none' }]),
			{ defaultWorld, env: await env() }
		);
		if (!start.ok) throw new Error(start.error);
		expect(start.value.world.now).toBe(
			world.now + (world.settings.principalReplicationDelaySeconds ?? 0)
		);
		const granted = await runStep(
			start.value,
			{
				run: 'az role assignment create --assignee $(az identity show -g rg-stock -n id-new --query principalId -o tsv) --role Reader --scope $(az keyvault show -n kv-stock --query id -o tsv) -o none'
			},
			await env()
		);
		expect(granted.error ?? null).toBeNull();
	});
});
