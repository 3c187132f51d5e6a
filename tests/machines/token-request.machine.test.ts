import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createTestModel } from '@xstate/graph';
import {
	tokenRequestMachine,
	type TokenRequestEvent
} from '../../src/machines/token-request.machine.ts';
import { runTokenSequence, type TokenSequenceInput } from '../../src/machines/token-sequence.ts';
import { createDefaultWorld, type World } from '../../src/core/index.ts';
import { createKeyRing } from '../../src/core/token/key-ring.ts';
import {
	apply,
	enableSystem,
	idOf,
	propagate,
	roleAssignment,
	systemPrincipalId
} from '../fixtures/worlds.ts';

const VAULT_CALL = {
	method: 'GET',
	url: 'https://kv-stock.vault.azure.net/secrets/db-password?api-version=7.4'
};

const VM = idOf('virtualMachine', 'vm-stock-app');
const VAULT = idOf('keyVault', 'kv-stock');

function vmWorld(options: { identity: boolean; role: boolean; propagated: boolean }): {
	world: World;
	vmId: string;
} {
	let world = createDefaultWorld();
	if (options.identity) world = enableSystem(world, VM);
	if (options.role) {
		const principalId = systemPrincipalId(world, VM);
		world = apply(world, [roleAssignment('Key Vault Secrets User', VAULT, principalId)]);
		if (options.propagated) world = propagate(world);
	}
	return { world, vmId: VM };
}

interface Scenario {
	name: string;
	world: World;
	input: TokenSequenceInput;
	/** What the core must decide. */
	expectOk: boolean;
}

function scenarios(): Scenario[] {
	const full = vmWorld({ identity: true, role: true, propagated: true });
	const noIdentity = vmWorld({ identity: false, role: false, propagated: false });
	const noRole = vmWorld({ identity: true, role: false, propagated: false });
	const pending = vmWorld({ identity: true, role: true, propagated: false });
	const at = (vmId: string): TokenSequenceInput['source'] => ({
		kind: 'resource',
		resourceId: vmId
	});
	return [
		{
			name: 'secret read succeeds',
			world: full.world,
			input: {
				source: at(full.vmId),
				token: { resource: 'https://vault.azure.net' },
				call: VAULT_CALL
			},
			expectOk: true
		},
		{
			name: 'token only',
			world: full.world,
			input: { source: at(full.vmId), token: { resource: 'https://vault.azure.net' } },
			expectOk: true
		},
		{
			name: 'no identity: IMDS refuses',
			world: noIdentity.world,
			input: {
				source: at(noIdentity.vmId),
				token: { resource: 'https://vault.azure.net' },
				call: VAULT_CALL
			},
			expectOk: false
		},
		{
			name: 'no role: Key Vault answers 403',
			world: noRole.world,
			input: {
				source: at(noRole.vmId),
				token: { resource: 'https://vault.azure.net' },
				call: VAULT_CALL
			},
			expectOk: false
		},
		{
			name: 'role still propagating: 403',
			world: pending.world,
			input: {
				source: at(pending.vmId),
				token: { resource: 'https://vault.azure.net' },
				call: VAULT_CALL
			},
			expectOk: false
		},
		{
			name: 'wrong audience: Key Vault answers 401',
			world: full.world,
			input: {
				source: at(full.vmId),
				token: { resource: 'https://storage.azure.com/' },
				call: VAULT_CALL
			},
			expectOk: false
		},
		{
			name: 'outside Azure: IMDS unreachable',
			world: full.world,
			input: {
				source: { kind: 'outside', machine: 'onprem-legacy-01' },
				token: { resource: 'https://vault.azure.net' },
				call: VAULT_CALL
			},
			expectOk: false
		}
	];
}

describe('token-request sequence against the core', () => {
	it('reports success or the failing hop for each scenario', async () => {
		for (const s of scenarios()) {
			const result = await runTokenSequence(s.world, createKeyRing(), s.input);
			expect(result.ok, s.name).toBe(s.expectOk);
			expect(result.hops.length, s.name).toBeGreaterThan(0);
			const failedAt = result.hops.findIndex((h) => !h.ok);
			if (s.expectOk) expect(failedAt, s.name).toBe(-1);
			else {
				expect(failedAt, s.name).toBeGreaterThanOrEqual(0);
				expect(result.explanation, s.name).toBeTruthy();
			}
			for (const hop of result.hops) {
				if (hop.kind === 'request') expect(hop.request, `${s.name}: ${hop.id}`).toBeDefined();
				if (hop.kind === 'response') expect(hop.response, `${s.name}: ${hop.id}`).toBeDefined();
			}
			expect(new Set(result.hops.map((h) => h.id)).size, s.name).toBe(result.hops.length);
		}
	});

	it('walks every shortest path of the machine for every scenario, with the core as the oracle', async () => {
		const visited = new Set<string>();
		for (const s of scenarios()) {
			const result = await runTokenSequence(s.world, createKeyRing(), s.input);
			const events: TokenRequestEvent[] = [
				{ type: 'token.request', input: s.input },
				{ type: 'token.response', hops: result.hops },
				{ type: 'step.next' },
				{ type: 'step.back' },
				{ type: 'step.first' },
				{ type: 'step.last' },
				{ type: 'sequence.reset' }
			];
			const model = createTestModel(tokenRequestMachine, { events });
			const paths = model.getShortestPaths({
				serializeState: (snap) => `${JSON.stringify(snap.value)}:${snap.context.index}`
			});
			expect(paths.length).toBeGreaterThan(0);
			for (const path of paths) {
				const actor = createActor(tokenRequestMachine);
				const sent: unknown[] = [];
				actor.on('token.send', (e) => sent.push(e));
				actor.start();
				for (const step of path.steps) {
					if ((step.event.type as string) !== 'xstate.init') actor.send(step.event);
					const snap = actor.getSnapshot();
					const state = typeof snap.value === 'string' ? snap.value : JSON.stringify(snap.value);
					visited.add(state);
					const hop = snap.context.hops[snap.context.index];
					if (snap.matches('failed')) expect(hop?.ok).toBe(false);
					if (snap.matches('complete')) {
						expect(hop?.ok).toBe(true);
						expect(snap.context.index).toBe(result.hops.length - 1);
						expect(s.expectOk).toBe(true);
					}
					if (snap.matches('stepping')) expect(hop?.ok).toBe(true);
					if (snap.matches('sending')) expect(snap.hasTag('busy')).toBe(true);
				}
				if (path.steps.some((st) => st.event.type === 'token.request'))
					expect(sent.length).toBeGreaterThan(0);
				actor.stop();
			}
		}
		for (const state of ['idle', 'sending', 'stepping', 'failed', 'complete'])
			expect(visited).toContain(state);
	});

	it('steps forward to the failure, back, and resets', async () => {
		const s = scenarios().find((x) => x.name.startsWith('no role'))!;
		const result = await runTokenSequence(s.world, createKeyRing(), s.input);
		const actor = createActor(tokenRequestMachine).start();
		actor.send({ type: 'token.request', input: s.input });
		actor.send({ type: 'token.response', hops: result.hops });
		const failedAt = result.hops.findIndex((h) => !h.ok);
		for (let i = 0; i < failedAt; i++) actor.send({ type: 'step.next' });
		expect(actor.getSnapshot().matches('failed')).toBe(true);
		expect(actor.getSnapshot().context.hops[failedAt]?.detail).toMatch(/role|assign/i);
		actor.send({ type: 'step.back' });
		expect(actor.getSnapshot().matches('stepping')).toBe(true);
		actor.send({ type: 'sequence.reset' });
		expect(actor.getSnapshot().matches('idle')).toBe(true);
		expect(actor.getSnapshot().context.hops).toEqual([]);
	});
});
