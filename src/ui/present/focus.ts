/**
 * What the stage puts in front for a step: the blade a portal action happens in, the token flow when a line
 * asked for a token, the topology otherwise.
 */
import * as v from 'valibot';
import type { Hop, World } from '../../core/index.ts';
import type { Step } from '../../curriculum/schema.ts';
import { resolveScope, resourceNamed } from '../../curriculum/references.ts';
import type { BladeRef } from '../lab/view.svelte.ts';
import type { PresentView } from './protocol.ts';

/** The blade a portal step is done in, read from the world before the step; null when none fits. */
export function bladeForStep(world: World, step: Step): BladeRef | null {
	if (!('portal' in step)) return null;
	const resource = step.resource ? resourceNamed(world, step.resource) : undefined;
	switch (step.portal) {
		case 'identity.enableSystemAssigned':
		case 'identity.disableSystemAssigned':
		case 'identity.assignUserAssigned':
		case 'identity.removeUserAssigned':
			return resource ? { kind: 'resource', id: resource.id, section: 'identity' } : null;
		case 'identity.createUserAssigned':
			return { kind: 'managedIdentities' };
		case 'roleAssignment.create':
		case 'roleAssignment.delete': {
			const scope = step.scope ? resolveScope(world, step.scope) : undefined;
			if (!scope) return null;
			if (world.resources[scope]) return { kind: 'resource', id: scope, section: 'iam' };
			const group = Object.values(world.resourceGroups).find(
				(g) => g.id.toLowerCase() === scope.toLowerCase()
			);
			if (group) return { kind: 'resourceGroup', id: group.id, section: 'iam' };
			return { kind: 'subscription', section: 'iam' };
		}
		case 'resource.delete': {
			const group = resource
				? Object.values(world.resourceGroups).find(
						(g) => g.name.toLowerCase() === resource.resourceGroup.toLowerCase()
					)
				: undefined;
			return group ? { kind: 'resourceGroup', id: group.id, section: 'overview' } : null;
		}
		case 'appSettings.delete':
			return resource ? { kind: 'resource', id: resource.id, section: 'overview' } : null;
		case 'clock.advance':
			return null;
	}
}

/** True when the hops include a token request (to the identity endpoint or to Entra ID). */
export function asksForToken(hops: readonly Hop[]): boolean {
	return hops.some(
		(h) => h.kind === 'request' && (h.to === 'identityEndpoint' || h.to === 'entra')
	);
}

/** The view a step brings to the front once it has run. */
export function viewForStep(step: Step, hops: readonly Hop[]): PresentView {
	if ('portal' in step) return step.portal === 'clock.advance' ? 'topology' : 'portal';
	return asksForToken(hops) ? 'flow' : 'topology';
}

const Id = v.pipe(v.string(), v.maxLength(1000));
const BladeSchema = v.variant('kind', [
	v.strictObject({
		kind: v.literal('subscription'),
		section: v.picklist(['overview', 'iam', 'activityLog'])
	}),
	v.strictObject({
		kind: v.literal('resourceGroup'),
		id: Id,
		section: v.picklist(['overview', 'iam'])
	}),
	v.strictObject({
		kind: v.literal('resource'),
		id: Id,
		section: v.picklist([
			'overview',
			'iam',
			'identity',
			'json',
			'associatedResources',
			'roleAssignments'
		])
	}),
	v.strictObject({ kind: v.literal('managedIdentities') }),
	v.strictObject({ kind: v.literal('createIdentity') }),
	v.strictObject({ kind: v.literal('enterpriseApps') }),
	v.strictObject({ kind: v.literal('servicePrincipal'), id: Id }),
	v.strictObject({ kind: v.literal('auditLogs') })
]);

/** The blade a published selection names, or null when it is not a valid blade. */
export function parseBlade(selection: string | null): BladeRef | null {
	if (selection === null) return null;
	let data: unknown;
	try {
		data = JSON.parse(selection);
	} catch {
		return null;
	}
	const parsed = v.safeParse(BladeSchema, data);
	return parsed.success ? parsed.output : null;
}
