/** Renders the blade host around a fresh lab session, with the blade to open. */
import { render } from '@testing-library/svelte';
import axe from 'axe-core';
import { expect } from 'vitest';
import BladeHost from '../../../src/ui/blades/BladeHost.svelte';
import { labContextMap } from '../../../src/ui/lab/context.ts';
import { LabSession } from '../../../src/ui/lab/session.svelte.ts';
import { LabView, type BladeRef } from '../../../src/ui/lab/view.svelte.ts';
import { createDefaultWorld, type World } from '../../../src/core/index.ts';

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
