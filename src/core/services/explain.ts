/**
 * Explanations of a service's refusals, for a learner: why the token was not accepted, why Azure RBAC said no,
 * and what to do. They go into the hops and the result's `explanation`, never onto the wire.
 */
import { describeDuration } from '../clock.ts';
import type { World } from '../azure/model.ts';
import type { AuthorizationDecision } from '../azure/rbac/authorize.ts';
import type { AcceptedToken, TokenFailure } from './bearer.ts';
import type { DataServiceName } from '../azure/events.ts';

/** Which simulated service answered. */
export type ServiceName = DataServiceName;

/** A service as a learner names it, and the `resource` a token for it is requested with. */
export const SERVICE_INFO: Record<ServiceName, { label: string; resource: string }> = {
	keyVault: { label: 'Key Vault', resource: 'https://vault.azure.net' },
	storage: { label: 'Azure Storage', resource: 'https://storage.azure.com/' },
	arm: { label: 'Azure Resource Manager', resource: 'https://management.azure.com/' },
	sql: { label: 'Azure SQL', resource: 'https://database.windows.net/' }
};

function howToGetToken(resource: string): string {
	return `On a VM: curl -s -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${resource}"; in App Service: curl -s -H "X-IDENTITY-HEADER: $IDENTITY_HEADER" "$IDENTITY_ENDPOINT?api-version=2019-08-01&resource=${resource}".`;
}

/** Why a service refused a token, and how to get one it accepts. */
export function explainTokenFailure(failure: TokenFailure, service: ServiceName): string {
	const { label, resource } = SERVICE_INFO[service];
	switch (failure.reason) {
		case 'missing':
			return `${label} refused the call: ${failure.message} Without a token the service cannot tell who is calling. Get an access token for resource=${resource} from the identity endpoint and send it as "Authorization: Bearer <access_token>". ${howToGetToken(resource)}`;
		case 'scheme':
			return `${label} refused the call: ${failure.message} Managed identities authenticate with an Entra ID access token sent as "Authorization: Bearer <access_token>".`;
		case 'audience':
			return `${label} refused the token because it was issued for another service. ${failure.message} ${howToGetToken(resource)}`;
		case 'expired':
			return `${label} refused the token because it has expired. ${failure.message} The identity endpoint hands out a new token once the cached one is near its end: ask it again.`;
		case 'noExpiry':
			return `${label} refused the token because it has no expiration time. ${failure.message} A token that never expires would work for anyone who copied it, for ever.`;
		case 'notYetValid':
			return `${label} refused the token because it is not valid yet. ${failure.message}`;
		case 'issuer':
			return `${label} refused the token because another tenant or token service issued it. ${failure.message} A managed identity only gets tokens from its own tenant, and cross-tenant access with a managed identity is not supported.`;
		case 'unknownKey':
			return `${label} could not check the token's signature: ${failure.message}`;
		case 'signature':
		case 'algorithm':
			return `${label} refused the token: its signature does not prove that Entra ID issued it. ${failure.message}`;
		case 'malformed':
			return `${label} could not read the token. ${failure.message}`;
	}
}

/** The token-validation hop's detail when the token was accepted (with the deleted-identity caveat). */
export function describeAcceptedToken(token: AcceptedToken, world: World): string {
	const left = describeDuration(token.expiresOn - world.now);
	const base = `The signature checks out against the tenant's published keys, the issuer is ${token.issuer}, the audience ${token.audience} is one this service accepts, and the token is valid for another ${left}. Caller: object id ${token.principalId}${token.appId ? `, client id ${token.appId}` : ''}.`;
	if (token.principalExists) return base;
	return `${base} The identity this token belongs to has been deleted, but a token stays valid until it expires: Azure RBAC keeps accepting it, and role assignments that still name object id ${token.principalId} (left behind as "Identity not found") keep matching it until they are removed.`;
}

/** Why Azure RBAC allowed or refused, with what would change the answer (pending assignment, suggestion). */
export function explainDecision(decision: AuthorizationDecision): string {
	if (decision.allowed) return decision.reason;
	return decision.suggestion === null
		? decision.reason
		: `${decision.reason} ${decision.suggestion}`;
}
