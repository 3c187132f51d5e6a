/** Entra ID's side of a managed identity: the service principal ARM asks for, and its removal. */
import type { ServicePrincipal } from '../model.ts';
import type { OperationContext, WorldDraft } from './context.ts';
import { identityCertificateFor } from '../../crypto/identity-certificate.ts';
import { seededOpaque } from '../../ids.ts';
import { own } from '../../own.ts';
import { indexOf, recordGet } from '../store/record.ts';
import { lookup, principalsByDisplayName, tokensByPrincipal } from '../store/indexes.ts';

/** Object id of the first-party *Managed Service Identity* principal in every world. */
export const MSI_FIRST_PARTY_DISPLAY_NAME = 'Managed Service Identity';

/** The id of the first-party Managed Service Identity principal, the actor of identity audit entries. */
export function msiFirstPartyId(ctx: OperationContext): string {
	const principals = ctx.base.directory.servicePrincipals;
	const ids = lookup(indexOf(principals, principalsByDisplayName), MSI_FIRST_PARTY_DISPLAY_NAME);
	for (const id of ids) {
		if (recordGet(principals, id)?.servicePrincipalType === 'Application') return id;
	}
	return '';
}

/**
 * Creates the service principal of a managed identity, as Entra does when ARM asks: type ManagedIdentity,
 * appId = client id, no application object, `alternativeNames` with isExplicit and the resource id.
 */
export function createIdentityPrincipal(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { displayName: string; resourceId: string; explicit: boolean }
): ServicePrincipal {
	const id = ctx.guid();
	const appId = ctx.guid();
	const sp: ServicePrincipal = {
		id,
		appId,
		displayName: input.displayName,
		servicePrincipalType: 'ManagedIdentity',
		appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
		alternativeNames: [`isExplicit=${input.explicit ? 'True' : 'False'}`, input.resourceId],
		servicePrincipalNames: [
			appId,
			`https://identity.azure.net/${seededOpaque(draft.seed, id, 43)}=`
		],
		accountEnabled: true,
		createdAt: draft.now,
		managedIdentityResourceId: input.resourceId,
		certificate: identityCertificateFor(id, draft.now)
	};
	draft.directory.servicePrincipals[id] = sp;
	ctx.emit({
		kind: 'directoryAudit',
		activity: 'Add service principal',
		initiatedBy: MSI_FIRST_PARTY_DISPLAY_NAME,
		initiatedById: msiFirstPartyId(ctx),
		targetId: id,
		targetDisplayName: input.displayName,
		summary: `Entra ID created the service principal '${input.displayName}' (type ManagedIdentity, object id ${id}, client id ${appId}) at ARM's request.`
	});
	return sp;
}

/** Deletes a managed identity's service principal and the tokens its endpoints had cached. */
export function deleteIdentityPrincipal(
	draft: WorldDraft,
	ctx: OperationContext,
	principalId: string,
	why: string
): void {
	const sp = own(draft.directory.servicePrincipals, principalId);
	if (!sp) return;
	delete draft.directory.servicePrincipals[principalId];
	for (const key of lookup(indexOf(ctx.base.tokenCache, tokensByPrincipal), principalId)) {
		delete draft.tokenCache[key];
	}
	// Entra's audit names the Managed Service Identity's deletion of an MI principal "Hard delete service principal"
	// (operationType Delete; observed Graph directoryAudits entries).
	ctx.emit({
		kind: 'directoryAudit',
		activity: 'Hard delete service principal',
		initiatedBy: MSI_FIRST_PARTY_DISPLAY_NAME,
		initiatedById: msiFirstPartyId(ctx),
		targetId: principalId,
		targetDisplayName: sp.displayName,
		summary: `Entra ID deleted the service principal '${sp.displayName}' (${principalId}) ${why}. Role assignments that named it stay behind as "Identity not found".`
	});
}
