/**
 * How lesson data names things in a world: resources by name, principals by the name of what they stand for,
 * scopes by the name of a resource or resource group. Lessons stay readable and never hard-code generated ids.
 */
import {
	defaultSubscriptionId,
	findResourcesByName,
	isIdentityHost,
	resourceGroupId,
	subscriptionScope,
	type Resource,
	type World
} from '../core/index.ts';

/** The resource with this name (case-insensitive); the first one when several resource groups have one. */
export function resourceNamed(world: World, name: string): Resource | undefined {
	return findResourcesByName(world, name)[0];
}

/** What a principal reference resolved to. */
export interface ResolvedPrincipal {
	principalId: string;
	/** How a learner would say it: "the system-assigned identity of vm-stock-app". */
	label: string;
}

/**
 * Resolves a principal reference: the name of a user-assigned identity (its principal), the name of a resource
 * with a system-assigned identity (that identity), a user principal name, or an object id. Undefined when the
 * reference names nothing that has a principal now; `why` then says what is missing.
 */
export function resolvePrincipal(
	world: World,
	ref: string
): { ok: true; value: ResolvedPrincipal } | { ok: false; why: string } {
	const r = resourceNamed(world, ref);
	if (r?.kind === 'userAssignedIdentity')
		return { ok: true, value: { principalId: r.principalId, label: `identity ${r.name}` } };
	if (r && isIdentityHost(r)) {
		const sa = r.identity.systemAssigned;
		return sa
			? {
					ok: true,
					value: { principalId: sa.principalId, label: `the identity of ${r.name}` }
				}
			: { ok: false, why: `${r.name} has no system-assigned identity` };
	}
	if (r) return { ok: false, why: `${r.name} cannot have an identity` };
	const lower = ref.toLowerCase();
	const user = Object.values(world.directory.users).find(
		(u) => u.userPrincipalName.toLowerCase() === lower || u.id === lower
	);
	if (user) return { ok: true, value: { principalId: user.id, label: user.displayName } };
	const sp = world.directory.servicePrincipals[lower];
	if (sp) return { ok: true, value: { principalId: sp.id, label: sp.displayName } };
	return { ok: false, why: `nothing named ${ref} exists` };
}

/**
 * Resolves a scope reference: an ARM id (starts with `/`), `subscription` (the world's subscription), the name
 * of a resource, or the name of a resource group. Undefined when nothing of that name exists.
 */
export function resolveScope(world: World, ref: string): string | undefined {
	if (ref.startsWith('/')) return ref;
	if (ref === 'subscription') return subscriptionScope(defaultSubscriptionId(world));
	const r = resourceNamed(world, ref);
	if (r) return r.id;
	const group = Object.values(world.resourceGroups).find(
		(g) => g.name.toLowerCase() === ref.toLowerCase()
	);
	return group ? resourceGroupId(group.subscriptionId, group.name) : undefined;
}

/** A short name for a scope id: the last name in it ("kv-stock", "rg-stock") or "the subscription". */
export function shortScope(scope: string): string {
	const parts = scope.split('/').filter(Boolean);
	if (parts.length <= 2 && parts[0]?.toLowerCase() === 'subscriptions') return 'the subscription';
	if (parts.length === 0) return 'the root scope';
	return parts[parts.length - 1] ?? scope;
}
