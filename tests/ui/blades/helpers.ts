/** Renders the blade host around a fresh lab session, with the blade to open. */
import { render } from '@testing-library/svelte';
import axe from 'axe-core';
import { expect } from 'vitest';
import BladeHost from '../../../src/ui/blades/BladeHost.svelte';
import { labContextMap } from '../../../src/ui/lab/context.ts';
import { LabSession } from '../../../src/ui/lab/session.svelte.ts';
import { LabView, type BladeRef } from '../../../src/ui/lab/view.svelte.ts';
import { createDefaultWorld, type World, type WorldEvent } from '../../../src/core/index.ts';

export function renderBlade(blade: BladeRef, world: World = createDefaultWorld()) {
	const session = new LabSession(world, { wait: () => Promise.resolve() });
	const view = new LabView();
	view.open(blade);
	const result = render(BladeHost, { context: labContextMap({ session, view }) });
	return { session, view, ...result };
}

/** axe-core on the whole document (dialogs render in a portal); contrast is checked in Chromium. */
export async function expectNoAxeViolations(): Promise<void> {
	const results = await axe.run(document.body, {
		rules: { 'color-contrast': { enabled: false }, region: { enabled: false } }
	});
	expect(
		results.violations.map(
			(v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`
		)
	).toEqual([]);
}

/** What an event is, without its wording: kind plus the operation or activity it names. */
function eventKinds(events: readonly WorldEvent[]): string[] {
	return events.map((e) =>
		e.kind === 'activity'
			? `activity:${e.operationName}:${e.resourceId.toLowerCase()}`
			: e.kind === 'directoryAudit'
				? `directoryAudit:${e.activity}:${e.targetDisplayName}`
				: e.kind
	);
}

function withoutEvents(world: World): Record<string, unknown> {
	return Object.fromEntries(Object.entries(world).filter(([k]) => k !== 'events'));
}

/**
 * The blade action just made (the session's last action, from the world `before` it) and its `az` line run in
 * the terminal of a fresh session on the same world change the world alike, with the same events.
 */
export async function expectSameAsTerminal(session: LabSession, before: World): Promise<void> {
	const record = session.lastAction;
	expect(record?.ok, record?.error?.message).toBe(true);
	const line = record?.azCommand ?? '';
	expect(line).toMatch(/^az /);
	const terminal = new LabSession(before, { wait: () => Promise.resolve() });
	const entry = await terminal.run(line);
	expect(entry.exitCode, `${line}\n${entry.stderr}`).toBe(0);
	const fromTerminal = terminal.world.events.slice(before.events.length);
	expect(eventKinds(fromTerminal)).toEqual(eventKinds(record?.events ?? []));
	expect(withoutEvents(terminal.world)).toEqual(withoutEvents(session.world));
}
