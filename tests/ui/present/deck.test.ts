// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createDefaultWorld, createKeyRing, findResourcesByName } from '../../../src/core/index.ts';
import { buildStart } from '../../../src/curriculum/runner.ts';
import type { Lesson } from '../../../src/curriculum/schema.ts';
import { LabSession } from '../../../src/ui/lab/session.svelte.ts';
import { LabView } from '../../../src/ui/lab/view.svelte.ts';
import { PresentDeck, stepLabel } from '../../../src/ui/present/deck.svelte.ts';
import { lessons } from '../../curriculum/lesson-harness.ts';

const instantly = (): Promise<void> => Promise.resolve();

function lesson(id: string): Lesson {
	const found = lessons().find((l) => l.id === id);
	if (!found) throw new Error(`no lesson ${id}`);
	return found;
}

async function deckFor(id: string, keyRing = createKeyRing()) {
	const l = lesson(id);
	const start = await buildStart(l, { defaultWorld: createDefaultWorld(), env: { keyRing } });
	if (!start.ok) throw new Error(start.error);
	const session = new LabSession(start.value.world, { keyRing, wait: instantly });
	const view = new LabView();
	const deck = new PresentDeck(l, start.value, session, view, { delay: instantly });
	return { deck, session, view };
}

function identityOf(world: LabSession['world'], name: string) {
	const vm = findResourcesByName(world, name)[0];
	return vm && 'identity' in vm ? vm.identity.systemAssigned : undefined;
}

describe('presenter deck', () => {
	it('runs each step through the session and restores the step’s world on the way back', async () => {
		const { deck, session, view } = await deckFor('system-assigned');
		expect(deck.step).toBe(0);
		expect(identityOf(session.world, 'vm-stock-app')).toBeFalsy();

		await deck.next();
		expect(deck.step).toBe(1);
		expect(deck.status).toBe('ready');
		expect(identityOf(session.world, 'vm-stock-app')).toBeTruthy();
		expect(deck.focus).toBe('portal');
		expect(view.blade).toMatchObject({ kind: 'resource', section: 'identity' });
		const afterOne = session.world;

		await deck.next();
		expect(deck.focus).toBe('topology');
		expect(session.transcript.at(-1)?.line).toBe(
			'az vm show -g rg-stock -n vm-stock-app --query identity'
		);
		expect(session.transcript.at(-1)?.stdout).toContain('SystemAssigned');

		await deck.back();
		expect(deck.step).toBe(1);
		expect(session.world).toBe(afterOne);
		expect(session.transcript).toHaveLength(0);

		await deck.back();
		expect(identityOf(session.world, 'vm-stock-app')).toBeFalsy();
	});

	it('jumps straight to a later step, running the steps before it', async () => {
		const { deck, session } = await deckFor('system-assigned');
		await deck.go(3);
		expect(deck.status).toBe('ready');
		expect(findResourcesByName(session.world, 'vm-stock-web-3')).toHaveLength(0);
		expect(identityOf(session.world, 'vm-stock-app')).toBeTruthy();
		expect(session.transcript.at(-1)?.line).toBe(
			'az vm delete -g rg-stock -n vm-stock-web-3 --yes'
		);
	});

	it('forks when the presenter types in the past: later steps run on the changed world', async () => {
		const { deck, session } = await deckFor('system-assigned');
		await deck.go(3);
		await deck.go(1);
		expect(deck.forked).toBe(false);
		const hashBefore = deck.worldHash;
		await session.run('az vm delete -g rg-stock -n vm-stock-web-3 --yes');
		await Promise.resolve();
		expect(deck.forked).toBe(true);
		expect(deck.worldHash).not.toBe(hashBefore);
		expect(deck.timeline.forkedAt).toBe(1);
		expect(deck.timeline.cached(2)).toBeUndefined();
		expect(deck.timeline.cached(3)).toBeUndefined();

		// Step 3 deletes vm-stock-web-3, which the presenter already deleted: it says so.
		await deck.go(3, { live: true });
		expect(deck.status).toBe('failed');
		expect(deck.error).toMatch(/vm-stock-web-3/);

		// Back at the fork, the presenter's own world is shown.
		await deck.go(1);
		expect(findResourcesByName(session.world, 'vm-stock-web-3')).toHaveLength(0);

		await deck.reset();
		expect(deck.step).toBe(0);
		expect(deck.forked).toBe(false);
		expect(deck.timeline.forkedAt).toBeNull();
		expect(findResourcesByName(session.world, 'vm-stock-web-3')).toHaveLength(1);
	});

	it('brings the token flow to the front for a token request, and two windows agree on the world', async () => {
		const a = await deckFor('token-request');
		const b = await deckFor('token-request');
		await a.deck.go(2, { live: true });
		await b.deck.go(2);
		expect(a.deck.focus).toBe('flow');
		expect(b.deck.focus).toBe('flow');
		// Different signing keys, same world.
		expect(a.session.keyRing.kids()).not.toEqual(b.session.keyRing.kids());
		expect(a.deck.worldHash).toMatch(/^[0-9a-f]{8}$/);
		expect(a.deck.worldHash).toBe(b.deck.worldHash);
		await b.deck.go(1);
		expect(b.deck.worldHash).not.toBe(a.deck.worldHash);
	});

	it('describes portal steps in words', () => {
		expect(stepLabel({ portal: 'identity.enableSystemAssigned', resource: 'vm-stock-app' })).toBe(
			'Portal: identity — enable system assigned (vm-stock-app)'
		);
		expect(stepLabel({ run: 'az vm list' })).toBe('az vm list');
	});
});
