/**
 * The life of one ARM resource, identified by its id. ARM creates and deletes synchronously in the simulator
 * (an operation either applies whole or not at all), so there is no `creating` state: the portal's
 * "Deployment in progress" has nothing to wait for here.
 */
import { setup } from 'xstate';

/** What happens to a resource: it is created, then deleted. */
export type ResourceMachineEvent = { type: 'resource.create' } | { type: 'resource.delete' };

/** Where a resource is in its life. */
export type ResourceLifecycleState = 'absent' | 'exists' | 'deleted';

/**
 * absent → exists → deleted (final). A resource created again under the same id after deletion is a new
 * life (new vmId, new keys, no identity): a runtime starts a new snapshot for it.
 */
export const resourceMachine = setup({
	types: {
		events: {} as ResourceMachineEvent
	}
}).createMachine({
	id: 'resource',
	initial: 'absent',
	states: {
		absent: {
			description: 'No resource has this id yet.',
			on: { 'resource.create': 'exists' }
		},
		exists: {
			description: 'ARM lists the resource; its properties can be read and changed.',
			tags: ['exists'],
			on: { 'resource.delete': 'deleted' }
		},
		deleted: {
			description:
				'ARM deleted the resource: its system-assigned identity went with it, user-assigned identities it used live on.',
			type: 'final'
		}
	}
});
