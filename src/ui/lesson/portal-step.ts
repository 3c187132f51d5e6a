/**
 * A lesson's portal step as the blades would do it: the blade to open (so *show me* moves the portal where a
 * learner would click) and the `PortalAction` the session applies. The operations always come from
 * `portalOperations`, the same function CI replays lessons with; the blades' own action builders add the
 * label, the equivalent az line and the ARM exchange for the "What happened" strip.
 */
import { portalOperations } from '../../curriculum/portal.ts';
import { resolvePrincipal, resolveScope, resourceNamed } from '../../curriculum/references.ts';
import type { PortalStep } from '../../curriculum/schema.ts';
import { getResource, isIdentityHost, type World } from '../../core/index.ts';
import { err, ok, type Result } from '../../core/result.ts';
import {
	addRoleAssignmentAction,
	addUserIdentitiesAction,
	createUserIdentityAction,
	deleteResourceAction,
	disableSystemIdentityAction,
	enableSystemIdentityAction,
	removeUserIdentitiesAction
} from '../blades/actions.ts';
import type { PortalAction } from '../lab/session.svelte.ts';
import type { BladeRef } from '../lab/view.svelte.ts';

/** What a portal step does in the lab: a blade to show, then an action (or a clock move). */
export type PortalPlan =
	| { kind: 'action'; blade: BladeRef | null; action: PortalAction }
	| { kind: 'clock'; seconds: number };

/** The blade a scope's Access control (IAM) lives on. */
function iamBlade(world: World, scope: string): BladeRef {
	const parts = scope.split('/').filter(Boolean);
	if (parts.length <= 2) return { kind: 'subscription', section: 'iam' };
	if (parts.length <= 4) return { kind: 'resourceGroup', id: scope, section: 'iam' };
	const resource = getResource(world, scope);
	return resource
		? { kind: 'resource', id: resource.id, section: 'iam' }
		: { kind: 'subscription', section: 'iam' };
}

/** Plans a portal step on this world, or says why it cannot be done. Never throws. */
export function planPortalStep(world: World, step: PortalStep): Result<PortalPlan, string> {
	const operations = portalOperations(world, step);
	if (!operations.ok) return operations;
	if (step.portal === 'clock.advance') return ok({ kind: 'clock', seconds: step.seconds ?? 0 });
	const host = step.resource ? resourceNamed(world, step.resource) : undefined;
	const identityHost = host && isIdentityHost(host) ? host : undefined;
	const plan = (blade: BladeRef | null, action: Omit<PortalAction, 'operations'>) =>
		ok<PortalPlan>({
			kind: 'action',
			blade,
			action: { ...action, operations: operations.value }
		});
	switch (step.portal) {
		case 'identity.enableSystemAssigned':
		case 'identity.disableSystemAssigned': {
			if (!identityHost) return err(`${step.resource ?? 'The resource'} cannot have an identity.`);
			const built =
				step.portal === 'identity.enableSystemAssigned'
					? enableSystemIdentityAction(identityHost)
					: disableSystemIdentityAction(identityHost);
			return plan({ kind: 'resource', id: identityHost.id, section: 'identity' }, built);
		}
		case 'identity.assignUserAssigned':
		case 'identity.removeUserAssigned': {
			const identity = step.identity ? resourceNamed(world, step.identity) : undefined;
			if (!identityHost || !identity) return err('The step names no identity host or identity.');
			const built =
				step.portal === 'identity.assignUserAssigned'
					? addUserIdentitiesAction(identityHost, [identity.id])
					: removeUserIdentitiesAction(identityHost, [identity.id]);
			return plan({ kind: 'resource', id: identityHost.id, section: 'identity' }, built);
		}
		case 'identity.createUserAssigned': {
			const op = operations.value[0];
			if (op?.type !== 'createUserIdentity') return err('The step creates no identity.');
			const group = Object.values(world.resourceGroups).find(
				(g) => g.name.toLowerCase() === op.resourceGroup.toLowerCase()
			);
			const built = createUserIdentityAction(world, {
				resourceGroup: op.resourceGroup,
				name: op.name,
				location: op.location ?? host?.location ?? group?.location ?? 'westeurope'
			});
			return plan({ kind: 'managedIdentities' }, built);
		}
		case 'roleAssignment.create': {
			const principal = resolvePrincipal(world, step.principal ?? '');
			const scope = resolveScope(world, step.scope ?? '');
			if (!principal.ok || !scope) return err('The step names no principal or scope.');
			const built = addRoleAssignmentAction({
				scope,
				role: step.role ?? '',
				principalId: principal.value.principalId,
				principalType: Object.hasOwn(world.directory.users, principal.value.principalId)
					? 'User'
					: 'ServicePrincipal'
			});
			return plan(iamBlade(world, scope), built);
		}
		case 'roleAssignment.delete': {
			const scope = resolveScope(world, step.scope ?? '');
			return plan(scope ? iamBlade(world, scope) : null, {
				label: `Remove the role assignment ${step.role ?? ''} of ${step.principal ?? ''}`.trim()
			});
		}
		case 'resource.delete': {
			if (!host) return err(`No resource named ${step.resource ?? '(none)'} exists in this world.`);
			return plan(
				{ kind: 'resource', id: host.id, section: 'overview' },
				deleteResourceAction(host)
			);
		}
		case 'appSettings.delete':
			return plan(host ? { kind: 'resource', id: host.id, section: 'overview' } : null, {
				label: `Delete the app settings ${(step.settings ?? []).join(', ')} of ${step.resource ?? ''}`
			});
	}
}
