/**
 * The life of one Azure RBAC role assignment, identified by its name (a GUID). Creation and deletion take
 * the world's propagation delay to apply (reference 5.5); time is the `clock.advance` event, never a timer,
 * so the machine stays traversable by `@xstate/graph`.
 */
import { assign, setup } from 'xstate';

/**
 * What happens to a role assignment. `delaySeconds` is the propagation delay in force when it was created or
 * deleted (0: applies at once); `clock.advance` moves simulated time forward by `seconds`.
 * `principal.delete`: the service principal or user it names was deleted. `scope.delete`: the resource it is
 * scoped to was deleted, which deletes the assignment with it (an extension resource).
 */
export type RoleAssignmentMachineEvent =
	| { type: 'assignment.create'; delaySeconds: number }
	| { type: 'assignment.delete'; delaySeconds: number }
	| { type: 'clock.advance'; seconds: number }
	| { type: 'principal.delete' }
	| { type: 'scope.delete' };

/** Where a role assignment is in its life. */
export type RoleAssignmentLifecycleState =
	'absent' | 'pending' | 'effective' | 'stale' | 'removing' | 'removed';

/** What the machine remembers across states. */
export interface RoleAssignmentContext {
	/** Seconds until the current propagation ends (pending → effective, removing → removed); 0 otherwise. */
	secondsLeft: number;
}

function delayOf(event: RoleAssignmentMachineEvent): number {
	return 'delaySeconds' in event ? Math.max(0, event.delaySeconds) : 0;
}

function advanceOf(event: RoleAssignmentMachineEvent): number {
	return event.type === 'clock.advance' ? Math.max(0, event.seconds) : 0;
}

/**
 * absent → pending → effective → removing → removed (final); pending or effective → stale when the principal
 * is deleted ("Identity not found"); a stale assignment can still be deleted. Tags: `busy` while a change
 * propagates (pending, removing), `stale` while it names a principal that no longer exists.
 */
export const roleAssignmentMachine = setup({
	types: {
		context: {} as RoleAssignmentContext,
		events: {} as RoleAssignmentMachineEvent
	},
	guards: {
		isImmediate: ({ event }) => delayOf(event) === 0,
		isDue: ({ context, event }) =>
			event.type === 'clock.advance' && advanceOf(event) >= context.secondsLeft
	},
	actions: {
		startPropagation: assign({ secondsLeft: ({ event }) => delayOf(event) }),
		countDown: assign({
			secondsLeft: ({ context, event }) => Math.max(0, context.secondsLeft - advanceOf(event))
		}),
		endPropagation: assign({ secondsLeft: () => 0 })
	}
}).createMachine({
	id: 'roleAssignment',
	context: { secondsLeft: 0 },
	initial: 'absent',
	states: {
		absent: {
			description: 'No role assignment has this name yet.',
			on: {
				'assignment.create': [
					{ guard: 'isImmediate', target: 'effective' },
					{ target: 'pending', actions: 'startPropagation' }
				]
			}
		},
		pending: {
			description:
				'ARM stored the assignment, but authorization caches have not caught up: requests are still refused until it propagates.',
			tags: ['busy'],
			on: {
				'clock.advance': [
					{ guard: 'isDue', target: 'effective', actions: 'endPropagation' },
					{ actions: 'countDown' }
				],
				'assignment.delete': [
					{ guard: 'isImmediate', target: 'removed', actions: 'endPropagation' },
					{ target: 'removing', actions: 'startPropagation' }
				],
				'principal.delete': { target: 'stale', actions: 'endPropagation' },
				'scope.delete': { target: 'removed', actions: 'endPropagation' }
			}
		},
		effective: {
			description:
				'The assignment counts: its role grants its actions on its scope and every scope below.',
			on: {
				'assignment.delete': [
					{ guard: 'isImmediate', target: 'removed' },
					{ target: 'removing', actions: 'startPropagation' }
				],
				'principal.delete': 'stale',
				'scope.delete': 'removed'
			}
		},
		stale: {
			description:
				'Its principal was deleted: the portal shows "Identity not found" (type Unknown). No new token can be issued to a deleted principal, so it is harmless, but it counts against the limit until deleted.',
			tags: ['stale'],
			on: {
				'assignment.delete': [
					{ guard: 'isImmediate', target: 'removed' },
					{ target: 'removing', actions: 'startPropagation' }
				],
				'scope.delete': 'removed'
			}
		},
		removing: {
			description:
				'Deleted, but the removal is still propagating: access it gave lasts until then (sign in again or get a new token afterwards).',
			tags: ['busy'],
			on: {
				'clock.advance': [
					{ guard: 'isDue', target: 'removed', actions: 'endPropagation' },
					{ actions: 'countDown' }
				],
				'scope.delete': { target: 'removed', actions: 'endPropagation' }
			}
		},
		removed: {
			description: 'Gone: the removal has propagated, or its scope was deleted and took it along.',
			type: 'final'
		}
	}
});
