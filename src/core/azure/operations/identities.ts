/** System- and user-assigned identities on resources, with ARM's semantics. */
import type { IdentityHost, Resource } from '../model.ts';
import { RESOURCE_TYPES } from '../model.ts';
import type { OperationError } from '../errors.ts';
import { opError } from '../errors.ts';
import type { OperationContext, WorldDraft } from './context.ts';
import { idKey, kindLabel } from '../naming.ts';
import { isIdentityHost, ownEntry } from '../queries.ts';
import { indexOf } from '../store/record.ts';
import { hostsByUserIdentity, lookup } from '../store/indexes.ts';
import { createIdentityPrincipal, deleteIdentityPrincipal } from './principals.ts';

function emitIdentityWrite(ctx: OperationContext, host: IdentityHost, summary: string): void {
	ctx.emit({
		kind: 'activity',
		operationName: `${RESOURCE_TYPES[host.kind]}/write`,
		resourceId: host.id,
		caller: ctx.caller,
		status: 'Succeeded',
		summary
	});
}

/** Finds an identity host by id or explains why there is none. */
export function requireHost(draft: WorldDraft, resourceId: unknown): IdentityHost | OperationError {
	const resource: Resource | undefined = ownEntry(
		draft.resources,
		idKey(typeof resourceId === 'string' ? resourceId : '')
	);
	if (!resource) {
		return opError(
			'ResourceNotFound',
			`No resource has the id '${String(resourceId)}'. Check its name and resource group.`
		);
	}
	if (!isIdentityHost(resource)) {
		return opError(
			'UnsupportedResourceType',
			`A ${kindLabel(resource.kind)} cannot have a managed identity in this lab. Identities go on virtual machines, scale sets, web apps and function apps.`
		);
	}
	return resource;
}

/** Turns on the system-assigned identity (no-op when it is on). */
export function enableSystem(draft: WorldDraft, ctx: OperationContext, host: IdentityHost): void {
	if (host.identity.systemAssigned) return;
	const sp = createIdentityPrincipal(draft, ctx, {
		displayName: host.name,
		resourceId: host.id,
		explicit: false
	});
	host.identity.systemAssigned = {
		principalId: sp.id,
		clientId: sp.appId,
		tenantId: draft.tenant.tenantId
	};
	emitIdentityWrite(
		ctx,
		host,
		`Enabled the system-assigned identity of '${host.name}' (principal id ${sp.id}). ARM asked Entra ID for its service principal and configured the identity endpoint.`
	);
}

/** Turns off the system-assigned identity; its service principal is deleted. */
export function disableSystem(draft: WorldDraft, ctx: OperationContext, host: IdentityHost): void {
	const system = host.identity.systemAssigned;
	if (!system) return;
	host.identity.systemAssigned = null;
	deleteIdentityPrincipal(
		draft,
		ctx,
		system.principalId,
		`because the system-assigned identity of '${host.name}' was turned off`
	);
	emitIdentityWrite(ctx, host, `Disabled the system-assigned identity of '${host.name}'.`);
}

/** Attaches a user-assigned identity (no-op when attached); refuses an id that is not a user-assigned identity. */
export function attachUserIdentity(
	draft: WorldDraft,
	ctx: OperationContext,
	host: IdentityHost,
	identityId: unknown
): OperationError | null {
	const identity = ownEntry(
		draft.resources,
		idKey(typeof identityId === 'string' ? identityId : '')
	);
	if (!identity || identity.kind !== 'userAssignedIdentity') {
		return opError(
			'IdentityNotFound',
			`The user-assigned identity '${String(identityId)}' was not found. Give the full resource id of an identity (az identity list shows them) or create it with az identity create.`
		);
	}
	if (host.identity.userAssigned.some((u) => idKey(u) === idKey(identity.id))) return null;
	host.identity.userAssigned.push(identity.id);
	emitIdentityWrite(
		ctx,
		host,
		`Assigned the user-assigned identity '${identity.name}' to '${host.name}'.`
	);
	return null;
}

/** Detaches a user-assigned identity; the identity itself lives on. */
export function detachUserIdentity(
	_draft: WorldDraft,
	ctx: OperationContext,
	host: IdentityHost,
	identityId: unknown
): OperationError | null {
	const key = idKey(typeof identityId === 'string' ? identityId : '');
	const index = host.identity.userAssigned.findIndex((u) => idKey(u) === key);
	if (index < 0) {
		return opError(
			'IdentityNotAssigned',
			`The identity '${String(identityId)}' is not assigned to '${host.name}'. Its user-assigned identities are: ${host.identity.userAssigned.join(', ') || '(none)'}.`
		);
	}
	const [removed] = host.identity.userAssigned.splice(index, 1);
	const name = removed?.split('/').pop() ?? String(identityId);
	const hostKey = idKey(host.id);
	const stillUsed = lookup(indexOf(ctx.base.resources, hostsByUserIdentity), key).some(
		(k) => k !== hostKey
	);
	emitIdentityWrite(
		ctx,
		host,
		`Removed the user-assigned identity '${name}' from '${host.name}'.${stillUsed ? '' : ' It is now attached to no resource (orphaned) but still exists.'}`
	);
	return null;
}

/** Operation: enable the system-assigned identity of a resource. */
export function enableSystemIdentity(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { resourceId: string }
): OperationError | void {
	const host = requireHost(draft, input?.resourceId);
	if ('code' in host) return host;
	enableSystem(draft, ctx, host);
}

/** Operation: disable the system-assigned identity of a resource. */
export function disableSystemIdentity(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { resourceId: string }
): OperationError | void {
	const host = requireHost(draft, input?.resourceId);
	if ('code' in host) return host;
	disableSystem(draft, ctx, host);
}

/** Operation: attach a user-assigned identity to a resource. */
export function assignUserIdentity(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { resourceId: string; identityId: string }
): OperationError | void {
	const host = requireHost(draft, input?.resourceId);
	if ('code' in host) return host;
	return attachUserIdentity(draft, ctx, host, input.identityId) ?? undefined;
}

/** Operation: detach a user-assigned identity from a resource. */
export function unassignUserIdentity(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { resourceId: string; identityId: string }
): OperationError | void {
	const host = requireHost(draft, input?.resourceId);
	if ('code' in host) return host;
	return detachUserIdentity(draft, ctx, host, input.identityId) ?? undefined;
}

/** The `identity.type` values ARM accepts; Compute writes the combined one with a space. */
const IDENTITY_TYPES: Record<string, { system: boolean; user: boolean }> = {
	none: { system: false, user: false },
	systemassigned: { system: true, user: false },
	userassigned: { system: false, user: true },
	'systemassigned,userassigned': { system: true, user: true }
};

/** The `identity` body of an ARM PUT/PATCH: `{ type, userAssignedIdentities: { id: {} | null } }`. */
export interface ArmIdentityBody {
	type: string;
	userAssignedIdentities?: Record<string, object | null>;
}

/**
 * Operation: set a resource's `identity` as an ARM PATCH does. Accepts both spellings of the combined type.
 * Keys with `{}` attach, keys with `null` detach, unnamed ones are kept; type None or SystemAssigned drops all
 * user-assigned identities, and a type without SystemAssigned deletes the system-assigned one.
 */
export function setResourceIdentity(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { resourceId: string; identity: ArmIdentityBody }
): OperationError | void {
	const host = requireHost(draft, input?.resourceId);
	if ('code' in host) return host;
	const typeText = typeof input.identity?.type === 'string' ? input.identity.type : '';
	const wanted = ownEntry(IDENTITY_TYPES, typeText.replace(/\s+/g, '').toLowerCase());
	if (!wanted) {
		return opError(
			'InvalidIdentityType',
			`'${typeText}' is not an identity type. Use None, SystemAssigned, UserAssigned or 'SystemAssigned, UserAssigned'.`
		);
	}
	const changes = input.identity.userAssignedIdentities ?? {};
	if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
		return opError(
			'InvalidInput',
			'userAssignedIdentities must be an object keyed by identity resource id.'
		);
	}
	if (wanted.user) {
		for (const [id, value] of Object.entries(changes)) {
			const problem =
				value === null
					? detachUserIdentity(draft, ctx, host, id)
					: attachUserIdentity(draft, ctx, host, id);
			if (problem) return problem;
		}
		if (host.identity.userAssigned.length === 0) {
			return opError(
				'UserAssignedIdentitiesRequired',
				`Type '${typeText}' needs at least one user-assigned identity in userAssignedIdentities.`
			);
		}
	} else {
		for (const id of [...host.identity.userAssigned]) detachUserIdentity(draft, ctx, host, id);
	}
	if (wanted.system) enableSystem(draft, ctx, host);
	else disableSystem(draft, ctx, host);
}
