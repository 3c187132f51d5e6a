import './match-media.ts';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Lifecycle from '../../../src/ui/diagrams/Lifecycle.svelte';
import {
	chartOf,
	currentState,
	lifecycleSubjects
} from '../../../src/ui/diagrams/statechart-graph.ts';
import { labContextMap } from '../../../src/ui/lab/context.ts';
import { LabSession } from '../../../src/ui/lab/session.svelte.ts';
import { LabView } from '../../../src/ui/lab/view.svelte.ts';
import { createDefaultWorld } from '../../../src/core/index.ts';
import { roleAssignmentMachine } from '../../../src/machines/role-assignment.machine.ts';
import { systemIdentityMachine } from '../../../src/machines/system-identity.machine.ts';
import { VM_APP } from '../../fixtures/worlds.ts';

describe('chartOf', () => {
	it('reads states, initial, final and guarded transitions from the role-assignment machine', () => {
		const chart = chartOf(roleAssignmentMachine);
		expect(chart.states.map((s) => s.id)).toEqual(Object.keys(roleAssignmentMachine.root.states));
		expect(chart.states.find((s) => s.initial)?.id).toBe('absent');
		expect(chart.states.filter((s) => s.final).map((s) => s.id)).toEqual(['removed']);
		expect(chart.transitions).toContainEqual({
			from: 'absent',
			to: 'effective',
			event: 'assignment.create',
			guard: 'isImmediate'
		});
		expect(chart.transitions).toContainEqual({
			from: 'pending',
			to: 'effective',
			event: 'clock.advance',
			guard: 'isDue'
		});
		// Targetless transitions (the countdown) change no state and are not drawn.
		expect(chart.transitions.filter((t) => t.from === t.to)).toEqual([]);
	});
});

function show() {
	const session = new LabSession(createDefaultWorld(), { wait: () => Promise.resolve() });
	const view = new LabView();
	render(Lifecycle, { context: labContextMap({ session, view }) });
	return { session, view };
}

describe('Lifecycle', () => {
	it('lists every subject of the world with a lifecycle', () => {
		const subjects = lifecycleSubjects(createDefaultWorld());
		expect(subjects.some((s) => s.kind === 'resource')).toBe(true);
		expect(subjects.some((s) => s.key === `systemIdentity:${VM_APP}`)).toBe(true);
	});

	it('follows the open blade, lights the current state and says so in words', async () => {
		const { view } = show();
		view.open({ kind: 'resource', id: VM_APP, section: 'identity' });
		await Promise.resolve();
		const svg = await screen.findByRole('img', {
			name: /^Lifecycle of System-assigned identity of vm-stock-app: now disabled$/
		});
		expect(svg).toHaveAttribute('aria-describedby', 'lifecycle-desc lifecycle-twin');
		expect(svg.querySelector('[data-state="disabled"]')).toHaveClass('current');
		expect(svg.querySelectorAll('[data-state]')).toHaveLength(
			Object.keys(systemIdentityMachine.root.states).length
		);
		const states = screen.getByRole('list', { name: 'States' });
		expect(
			within(states)
				.getByText(/\(current state\)/)
				.closest('li')
		).toHaveTextContent(/^disabled \(current state\)/);
	});

	it('traces a transition taken while open: enabling the identity', async () => {
		const { session, view } = show();
		view.open({ kind: 'resource', id: VM_APP, section: 'identity' });
		await Promise.resolve();
		session.apply([{ type: 'enableSystemIdentity', resourceId: VM_APP }]);
		const svg = await screen.findByRole('img', { name: /now enabled$/ });
		expect(svg.querySelector('[data-state="enabled"]')).toHaveClass('current');
		expect(svg.querySelector('[data-transition="disabled->enabled"]')).toHaveClass('taken');
		expect(screen.getByRole('list', { name: 'Transitions taken' })).toHaveTextContent(
			'disabled → enabled'
		);
		expect(currentState(session.world, 'systemIdentity', VM_APP)).toBe('enabled');
	});

	it('lets the learner pick another subject', async () => {
		show();
		const picker = screen.getByRole('combobox', { name: 'Lifecycle of' });
		const assignment = [...(picker as HTMLSelectElement).options].find((o) =>
			o.value.startsWith('roleAssignment:')
		);
		expect(assignment).toBeDefined();
		await fireEvent.change(picker, { target: { value: assignment?.value } });
		expect(
			await screen.findByRole('img', { name: /^Lifecycle of Role assignment/ })
		).toBeInTheDocument();
	});
});
