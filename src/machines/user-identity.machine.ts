/**
 * The life of one user-assigned identity (reference 4.4): an ARM resource of its own with its own service
 * principal, attached to any number of resources, deleted only explicitly. Deleting a resource it is attached
 * to only detaches it.
 *
 * One state, `unattached`, covers both "never used" and "no longer used": the world keeps no record of past
 * attachments (ARM does not either), so the lifecycle derived from a world could not tell them apart. The
 * state carries the tag `orphaned`, matching the core's `isOrphaned`.
 */
import { assign, setup } from 'xstate';
import { idKey } from '../core/index.ts';

/** What happens to a user-assigned identity; `resourceId` names the resource it is attached to or taken from. */
export type UserIdentityMachineEvent =
	| { type: 'identity.create' }
	| { type: 'identity.assign'; resourceId: string }
	| { type: 'identity.unassign'; resourceId: string }
	| { type: 'resource.delete'; resourceId: string }
	| { type: 'identity.delete' };

/** Where a user-assigned identity is in its life. */
export type UserIdentityLifecycleState = 'absent' | 'unattached' | 'attached' | 'deleted';

/** What the machine remembers across states. */
export interface UserIdentityContext {
	/** Comparison keys (lower-cased ARM ids) of the resources the identity is attached to, in attach order. */
	attachedTo: string[];
}

function hostKey(event: UserIdentityMachineEvent): string | null {
	return 'resourceId' in event ? idKey(event.resourceId) : null;
}

/**
 * absent → unattached ⇄ attached → deleted (final). Tags: `principal` while the identity's service principal
 * exists; `orphaned` while it is attached to no resource.
 */
export const userIdentityMachine = setup({
	types: {
		context: {} as UserIdentityContext,
		events: {} as UserIdentityMachineEvent
	},
	guards: {
		isAttachedTo: ({ context, event }) => {
			const key = hostKey(event);
			return key !== null && context.attachedTo.includes(key);
		},
		isLastAttachment: ({ context, event }) => {
			const key = hostKey(event);
			return key !== null && context.attachedTo.length === 1 && context.attachedTo[0] === key;
		}
	},
	actions: {
		addAttachment: assign({
			attachedTo: ({ context, event }) => {
				const key = hostKey(event);
				return key === null || context.attachedTo.includes(key)
					? context.attachedTo
					: [...context.attachedTo, key];
			}
		}),
		removeAttachment: assign({
			attachedTo: ({ context, event }) => context.attachedTo.filter((k) => k !== hostKey(event))
		}),
		clearAttachments: assign({ attachedTo: () => [] })
	}
}).createMachine({
	id: 'userIdentity',
	context: { attachedTo: [] },
	initial: 'absent',
	states: {
		absent: {
			description: 'No identity has this id yet.',
			on: { 'identity.create': 'unattached' }
		},
		unattached: {
			description:
				'The identity and its service principal exist but no resource uses it. It keeps its role assignments and can be attached again.',
			tags: ['principal', 'orphaned'],
			on: {
				'identity.assign': { target: 'attached', actions: 'addAttachment' },
				'identity.delete': 'deleted'
			}
		},
		attached: {
			description:
				'One or more resources list the identity under userAssignedIdentities and can get tokens for it.',
			tags: ['principal'],
			on: {
				'identity.assign': { actions: 'addAttachment' },
				'identity.unassign': [
					{ guard: 'isLastAttachment', target: 'unattached', actions: 'removeAttachment' },
					{ guard: 'isAttachedTo', actions: 'removeAttachment' }
				],
				'resource.delete': [
					{ guard: 'isLastAttachment', target: 'unattached', actions: 'removeAttachment' },
					{ guard: 'isAttachedTo', actions: 'removeAttachment' }
				],
				'identity.delete': { target: 'deleted', actions: 'clearAttachments' }
			}
		},
		deleted: {
			description:
				'Deleted explicitly: ARM detached it from every resource and Entra ID deleted its service principal. Role assignments that named it stay behind as "Identity not found".',
			type: 'final'
		}
	}
});
