/** Which blade a diagram node opens. */
import type { TopologyNode } from '../../layout/topology.ts';
import type { BladeRef } from '../lab/view.svelte.ts';

/** The blade for a node, or null when nothing in the portal shows it (a ghost, a management group, a user). */
export function bladeFor(node: TopologyNode): BladeRef | null {
	switch (node.kind) {
		case 'subscription':
			return { kind: 'subscription', section: 'overview' };
		case 'resourceGroup':
			return { kind: 'resourceGroup', id: node.entityId, section: 'overview' };
		case 'resource':
			return { kind: 'resource', id: node.entityId, section: 'overview' };
		case 'servicePrincipal':
			return { kind: 'servicePrincipal', id: node.entityId };
		default:
			return null;
	}
}
