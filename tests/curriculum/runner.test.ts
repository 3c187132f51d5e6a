import { describe, expect, it } from 'vitest';
import { createShellState } from '../../src/core/index.ts';
import { portalOperations } from '../../src/curriculum/portal.ts';
import { linesToPlace, placeName, runStep } from '../../src/curriculum/runner.ts';
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
