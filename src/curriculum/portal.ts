/**
 * Named portal actions → core operations, in one pure function. *Show me*, lesson replays and the blades use
 * the same names, so a portal step in a lesson is exactly what the learner would do in the Identity blade or
 * the Access control (IAM) blade.
 */
import { effectiveAssignmentsFor, findRole, type Operation, type World } from '../core/index.ts';
import { isWithinScope, normalizeScope } from '../core/azure/rbac/scope.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { PortalStep } from './schema.ts';
import { resolvePrincipal, resolveScope, resourceNamed } from './references.ts';

function need<T>(value: T | undefined, what: string): Result<T, string> {
	return value === undefined ? err(`The step needs ${what}.`) : ok(value);
}

function resourceId(
	world: World,
	name: string | undefined,
	what = 'a resource'
): Result<string, string> {
	const n = need(name, what);
	if (!n.ok) return n;
	const r = resourceNamed(world, n.value);
	return r ? ok(r.id) : err(`No resource named ${n.value} exists in this world.`);
}

/**
 * The operations a portal action performs on this world (usually one), or why it cannot be done. Never throws.
 */
export function portalOperations(world: World, step: PortalStep): Result<Operation[], string> {
	switch (step.portal) {
		case 'identity.enableSystemAssigned':
		case 'identity.disableSystemAssigned': {
			const id = resourceId(world, step.resource);
			if (!id.ok) return id;
			return ok([
				{
					type:
						step.portal === 'identity.enableSystemAssigned'
							? 'enableSystemIdentity'
							: 'disableSystemIdentity',
					resourceId: id.value
				}
			]);
		}
		case 'identity.createUserAssigned': {
			const name = need(step.identity, 'identity (the new identity’s name)');
			if (!name.ok) return name;
			const host = step.resource ? resourceNamed(world, step.resource) : undefined;
			return ok([
				{
					type: 'createUserIdentity',
					name: name.value,
					resourceGroup: step.resourceGroup ?? host?.resourceGroup ?? 'rg-stock'
				}
			]);
		}
		case 'identity.assignUserAssigned':
		case 'identity.removeUserAssigned': {
			const host = resourceId(world, step.resource);
			if (!host.ok) return host;
			const identity = resourceId(world, step.identity, 'identity');
			if (!identity.ok) return identity;
			return ok([
				{
					type:
						step.portal === 'identity.assignUserAssigned'
							? 'assignUserIdentity'
							: 'unassignUserIdentity',
					resourceId: host.value,
					identityId: identity.value
				}
			]);
		}
		case 'roleAssignment.create':
		case 'roleAssignment.delete': {
			const principalRef = need(step.principal, 'principal');
			if (!principalRef.ok) return principalRef;
			const principal = resolvePrincipal(world, principalRef.value);
			if (!principal.ok) return err(`No principal for ${principalRef.value}: ${principal.why}.`);
			const role = findRole(step.role ?? '');
			if (!role) return err(`No role named ${step.role ?? '(none)'} exists.`);
			const scope = resolveScope(world, step.scope ?? '');
			if (!scope) return err(`No scope named ${step.scope ?? '(none)'} exists.`);
			if (step.portal === 'roleAssignment.create') {
				return ok([
					{
						type: 'createRoleAssignment',
						role: role.roleName,
						scope,
						principalId: principal.value.principalId
					}
				]);
			}
			const target = normalizeScope(scope);
			const found = effectiveAssignmentsFor(world, principal.value.principalId).filter(
				(a) =>
					a.state !== 'removing' &&
					a.role?.id === role.id &&
					normalizeScope(a.assignment.scope) === target
			);
			if (found.length === 0)
				return err(
					`${principal.value.label} has no ${role.roleName} assignment at ${step.scope ?? scope}.`
				);
			return ok(found.map((a) => ({ type: 'deleteRoleAssignment', id: a.assignment.id })));
		}
		case 'resource.delete': {
			const id = resourceId(world, step.resource);
			return id.ok ? ok([{ type: 'deleteResource', resourceId: id.value }]) : id;
		}
		case 'appSettings.delete': {
			const id = resourceId(world, step.resource);
			if (!id.ok) return id;
			const names = need(step.settings, 'settings (the names to delete)');
			if (!names.ok) return names;
			return ok([{ type: 'setAppSettings', resourceId: id.value, set: {}, remove: names.value }]);
		}
		case 'clock.advance': {
			const seconds = need(step.seconds, 'seconds');
			return seconds.ok ? ok([{ type: 'advanceClock', seconds: seconds.value }]) : seconds;
		}
	}
}

/** True when `scope` lies at or below `ancestor` in this world (for checks and blades). */
export function scopeWithin(world: World, scope: string, ancestor: string): boolean {
	return isWithinScope(scope, ancestor, world);
}
