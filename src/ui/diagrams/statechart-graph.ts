/**
 * Reads a lifecycle chart from an XState machine's own definition (its root's states, their transitions and
 * guards), so the drawing can never drift from the machine, and names the lifecycles the lab can show.
 */
import type { AnyStateMachine } from 'xstate';
import type { Chart, ChartState, ChartTransition } from '../../layout/statechart.ts';
import type { World } from '../../core/index.ts';
import { findRole, isIdentityHost } from '../../core/index.ts';
import { resourceMachine } from '../../machines/resource.machine.ts';
import { systemIdentityMachine } from '../../machines/system-identity.machine.ts';
import { userIdentityMachine } from '../../machines/user-identity.machine.ts';
import { roleAssignmentMachine } from '../../machines/role-assignment.machine.ts';
import {
	resourceState,
	roleAssignmentState,
	systemIdentityState,
	userIdentityState
} from '../../machines/lifecycle.ts';

interface StateNodeLike {
	key: string;
	type: string;
	description?: string;
	transitions: Map<string, readonly TransitionLike[]>;
	always?: readonly TransitionLike[];
}
interface TransitionLike {
	target?: readonly { key: string }[] | undefined;
	guard?: unknown;
}

function guardName(guard: unknown): string | null {
	if (guard === undefined || guard === null) return null;
	if (typeof guard === 'string') return guard;
	if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string')
		return guard.type;
	return 'guard';
}

/** The chart of a flat machine: its top-level states and every targeted transition between them. */
export function chartOf(machine: AnyStateMachine): Chart {
	const root = machine.root as unknown as {
		states: Record<string, StateNodeLike>;
		initial?: { target?: readonly { key: string }[] };
	};
	const initial = root.initial?.target?.[0]?.key;
	const states: ChartState[] = Object.values(root.states).map((s) => ({
		id: s.key,
		label: s.key,
		initial: s.key === initial,
		final: s.type === 'final',
		description: s.description ?? ''
	}));
	const transitions: ChartTransition[] = [];
	for (const s of Object.values(root.states)) {
		const all: [string, readonly TransitionLike[]][] = [...s.transitions.entries()];
		if (s.always && s.always.length > 0) all.push(['(always)', s.always]);
		for (const [event, list] of all) {
			for (const t of list) {
				for (const target of t.target ?? []) {
					transitions.push({ from: s.key, to: target.key, event, guard: guardName(t.guard) });
				}
			}
		}
	}
	return { states, transitions };
}

/** The lifecycles the lab draws. */
export type LifecycleKind = 'resource' | 'systemIdentity' | 'userIdentity' | 'roleAssignment';

/** The machine of each lifecycle. */
export const LIFECYCLE_MACHINES: Record<LifecycleKind, AnyStateMachine> = {
	resource: resourceMachine,
	systemIdentity: systemIdentityMachine,
	userIdentity: userIdentityMachine,
	roleAssignment: roleAssignmentMachine
};

/** What a lifecycle is about, as the picker lists it. */
export interface LifecycleSubject {
	/** `kind:id`, unique. */
	key: string;
	kind: LifecycleKind;
	/** Resource id, identity id or role assignment name. */
	id: string;
	label: string;
}

const KIND_WORDS: Record<LifecycleKind, string> = {
	resource: 'Resource',
	systemIdentity: 'System-assigned identity of',
	userIdentity: 'User-assigned identity',
	roleAssignment: 'Role assignment'
};

/** Every subject of the world that has a lifecycle: resources, their system identities, identities, assignments. */
export function lifecycleSubjects(world: World): LifecycleSubject[] {
	const out: LifecycleSubject[] = [];
	const resources = Object.values(world.resources).sort((a, b) => a.name.localeCompare(b.name));
	for (const r of resources) {
		if (r.kind === 'userAssignedIdentity') {
			out.push({
				key: `userIdentity:${r.id}`,
				kind: 'userIdentity',
				id: r.id,
				label: `${KIND_WORDS.userIdentity} ${r.name}`
			});
			continue;
		}
		out.push({
			key: `resource:${r.id}`,
			kind: 'resource',
			id: r.id,
			label: `${KIND_WORDS.resource} ${r.name}`
		});
		if (isIdentityHost(r)) {
			out.push({
				key: `systemIdentity:${r.id}`,
				kind: 'systemIdentity',
				id: r.id,
				label: `${KIND_WORDS.systemIdentity} ${r.name}`
			});
		}
	}
	const assignments = Object.values(world.roleAssignments).sort((a, b) =>
		a.name.localeCompare(b.name)
	);
	for (const a of assignments) {
		out.push({
			key: `roleAssignment:${a.name}`,
			kind: 'roleAssignment',
			id: a.name,
			label: `${KIND_WORDS.roleAssignment}: ${findRole(a.roleDefinitionId)?.roleName ?? 'unknown role'} on ${a.scope.split('/').at(-1) ?? a.scope} (${a.name.slice(0, 8)})`
		});
	}
	return out;
}

/** The state the world puts a subject in, as the machine names it; undefined when it has no such lifecycle. */
export function currentState(world: World, kind: LifecycleKind, id: string): string | undefined {
	switch (kind) {
		case 'resource':
			return resourceState(world, id);
		case 'systemIdentity':
			return systemIdentityState(world, id);
		case 'userIdentity':
			return userIdentityState(world, id);
		case 'roleAssignment':
			return roleAssignmentState(world, id);
	}
}
