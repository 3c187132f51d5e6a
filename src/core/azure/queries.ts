/** Read-only questions about a world that operations, services, the terminal and the UI share. */
import type {
	IdentityCertificate,
	IdentityHost,
	Resource,
	ResourceKind,
	ServicePrincipal,
	UserAssignedIdentityResource,
	World
} from './model.ts';
import { IDENTITY_HOST_KINDS } from './model.ts';
import { idKey } from './naming.ts';
import { currentIdentityCertificate } from '../crypto/identity-certificate.ts';
import { indexOf, recordGet } from './store/record.ts';
import {
	hostsByUserIdentity,
	lookup,
	principalsByAppId,
	resourcesByName
} from './store/indexes.ts';

/**
 * The value filed under `key` in one of the world's records, if the record itself holds it. Keys come from
 * learners, so a plain index would answer `constructor` or `__proto__` with what every object inherits.
 */
export function ownEntry<T>(record: Record<string, T>, key: string): T | undefined {
	return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The resource with this ARM id (case-insensitive), if any. */
export function getResource(world: World, id: string): Resource | undefined {
	return ownEntry(world.resources, idKey(id));
}

/** Resources with this name (case-insensitive), optionally of one kind and in one resource group. */
export function findResourcesByName(
	world: World,
	name: string,
	kind?: ResourceKind | readonly ResourceKind[],
	resourceGroup?: string
): Resource[] {
	const kinds = kind === undefined ? null : Array.isArray(kind) ? kind : [kind];
	const lower = name.toLowerCase();
	const matches = (r: Resource): boolean =>
		r.name.toLowerCase() === lower &&
		(kinds === null || kinds.includes(r.kind)) &&
		(resourceGroup === undefined || r.resourceGroup.toLowerCase() === resourceGroup.toLowerCase());
	const found: Resource[] = [];
	for (const key of lookup(indexOf(world.resources, resourcesByName), lower)) {
		const r = recordGet(world.resources, key);
		if (r !== undefined && matches(r)) found.push(r);
	}
	// Several matches come in the record's order, as a scan gives them (the index keeps keys sorted).
	return found.length > 1 ? Object.values(world.resources).filter(matches) : found;
}

/** True for resources that carry an `identity` property. */
export function isIdentityHost(resource: Resource): resource is IdentityHost {
	return (IDENTITY_HOST_KINDS as readonly string[]).includes(resource.kind);
}

/** The user-assigned identity resource with this id, if any. */
export function getUserIdentity(
	world: World,
	id: string
): UserAssignedIdentityResource | undefined {
	const r = getResource(world, id);
	return r?.kind === 'userAssignedIdentity' ? r : undefined;
}

/** Identity hosts that have this user-assigned identity attached. */
export function resourcesUsingIdentity(world: World, identityId: string): IdentityHost[] {
	const key = idKey(identityId);
	const hosts = lookup(indexOf(world.resources, hostsByUserIdentity), key);
	if (hosts.length === 0) return [];
	if (hosts.length === 1) {
		const r = recordGet(world.resources, hosts[0] ?? '');
		return r !== undefined && isIdentityHost(r) ? [r] : [];
	}
	// Several hosts come in the record's order, as a scan gives them.
	return Object.values(world.resources).filter(
		(r): r is IdentityHost =>
			isIdentityHost(r) && r.identity.userAssigned.some((u) => idKey(u) === key)
	);
}

/** True when a user-assigned identity is attached to no resource. */
export function isOrphaned(world: World, identityId: string): boolean {
	return lookup(indexOf(world.resources, hostsByUserIdentity), idKey(identityId)).length === 0;
}

/** The service principal with this object id, if any. */
export function getServicePrincipal(world: World, id: string): ServicePrincipal | undefined {
	return ownEntry(world.directory.servicePrincipals, id.toLowerCase());
}

/**
 * The credential certificate a managed identity holds now: Azure rolls it every 45 days, so after 46 simulated
 * days it is the second one. Null for principals without one (users' apps, first-party principals).
 */
export function currentCertificate(world: World, sp: ServicePrincipal): IdentityCertificate | null {
	return sp.certificate
		? currentIdentityCertificate(sp.id, sp.certificate.notBefore, world.now)
		: null;
}

/** The service principal whose appId (client id) is this, if any. */
export function findServicePrincipalByAppId(
	world: World,
	appId: string
): ServicePrincipal | undefined {
	const lower = appId.toLowerCase();
	const principals = world.directory.servicePrincipals;
	const ids = lookup(indexOf(principals, principalsByAppId), lower);
	if (ids.length <= 1) return ids[0] === undefined ? undefined : recordGet(principals, ids[0]);
	return Object.values(principals).find((sp) => sp.appId === lower);
}

/** What kind of directory object an id is, or undefined when it is in no directory list. */
export function directoryObjectType(
	world: World,
	id: string
): 'User' | 'ServicePrincipal' | undefined {
	const lower = id.toLowerCase();
	if (ownEntry(world.directory.users, lower)) return 'User';
	if (ownEntry(world.directory.servicePrincipals, lower)) return 'ServicePrincipal';
	return undefined;
}

/** Display name of a principal for messages, or "Identity not found" as the portal shows a deleted one. */
export function principalDisplayName(world: World, id: string): string {
	const lower = id.toLowerCase();
	return (
		ownEntry(world.directory.users, lower)?.displayName ??
		ownEntry(world.directory.servicePrincipals, lower)?.displayName ??
		'Identity not found'
	);
}

/** The subscription id a world's resources live in when only one exists (the usual case). */
export function defaultSubscriptionId(world: World): string {
	const first = Object.values(world.subscriptions)[0];
	return first?.subscriptionId ?? '';
}
