/**
 * The system-assigned identity of one resource (reference 4.4): its service principal is created when the
 * identity is enabled and deleted from Entra ID when it is disabled or when the resource is deleted.
 */
import { assign, setup } from 'xstate';

/** What happens to a resource's system-assigned identity. */
export type SystemIdentityMachineEvent =
	| { type: 'resource.create' }
	| { type: 'identity.enable' }
	| { type: 'identity.disable' }
	| { type: 'resource.delete' };

/** Where a system-assigned identity is in its life. */
export type SystemIdentityLifecycleState = 'absent' | 'disabled' | 'enabled' | 'deleted';

/** What the machine remembers across states. */
export interface SystemIdentityContext {
	/**
	 * How many service principals this identity has had. Re-enabling never brings a principal back: each
	 * enable creates a new one (new object id, new client id), so role assignments made for an earlier
	 * generation do not apply to the new one.
	 */
	generation: number;
}

/**
 * absent → disabled ⇄ enabled → deleted (final). Tag `principal`: a service principal exists for the identity,
 * so the resource's identity endpoint can get tokens for it.
 */
export const systemIdentityMachine = setup({
	types: {
		context: {} as SystemIdentityContext,
		events: {} as SystemIdentityMachineEvent
	},
	actions: {
		startGeneration: assign({ generation: ({ context }) => context.generation + 1 })
	}
}).createMachine({
	id: 'systemIdentity',
	context: { generation: 0 },
	initial: 'absent',
	states: {
		absent: {
			description: 'The resource does not exist yet.',
			on: { 'resource.create': 'disabled' }
		},
		disabled: {
			description:
				'Identity type None: no service principal, and the identity endpoint answers that no identity is assigned.',
			on: {
				'identity.enable': { target: 'enabled', actions: 'startGeneration' },
				'resource.delete': 'deleted'
			}
		},
		enabled: {
			description:
				'ARM asked Entra ID for a service principal named after the resource; its principal id is on the resource.',
			tags: ['principal'],
			on: {
				'identity.disable': 'disabled',
				'resource.delete': 'deleted'
			}
		},
		deleted: {
			description:
				'The resource is gone and Entra ID deleted its service principal; role assignments that named it stay behind as "Identity not found".',
			type: 'final'
		}
	}
});
