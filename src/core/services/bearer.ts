/**
 * Bearer-token validation shared by the resource servers: read the Authorization header, verify the JWT against
 * the tenant's published keys at simulated time, and check issuer and audience. What each service then answers on
 * the wire differs (Key Vault JSON, Storage XML, ARM JSON, SQL error 18456); the reasons are the same.
 */
import type { EpochSeconds } from '../clock.ts';
import type { World } from '../azure/model.ts';
import { principalExists } from '../azure/rbac/authorize.ts';
import { decodeForDisplay, verifyAccessToken } from '../crypto/index.ts';
import type { VerifyErrorCode } from '../crypto/index.ts';
import type { Result } from '../result.ts';
import { err, ok } from '../result.ts';
import { v1Issuer, v2Issuer } from '../token/claims.ts';
import { tenantJwks } from '../token/entra.ts';

/** Why a service did not accept the caller's token. */
export type TokenFailureReason =
	| 'missing'
	| 'scheme'
	| 'malformed'
	| 'algorithm'
	| 'signature'
	| 'unknownKey'
	| 'expired'
	| 'noExpiry'
	| 'notYetValid'
	| 'audience'
	| 'issuer';

/** A refused token, with what the service saw (claims are read without trusting them, for the messages). */
export interface TokenFailure {
	reason: TokenFailureReason;
	/** Learner-facing description of what is wrong (from the crypto module where it checked the token). */
	message: string;
	/** The Authorization scheme that was sent, for `scheme`. */
	scheme?: string;
	/** `aud` as found in the token (arrays joined with a comma). */
	audience?: string;
	/** `iss` as found in the token. */
	issuer?: string;
	/** `exp` as found in the token. */
	expiresAt?: EpochSeconds;
	/** The token's first part, as Key Vault quotes it for an unknown key. */
	encodedHeader?: string;
}

/** A token that verified: signature, issuer, audience and lifetime checked out. */
export interface AcceptedToken {
	/** The JWT as sent. */
	raw: string;
	header: Record<string, unknown>;
	payload: Record<string, unknown>;
	/** `oid`, lower case: the principal Azure RBAC evaluates. */
	principalId: string;
	/** `appid` (v1) or `azp` (v2): the client id. */
	appId: string;
	issuer: string;
	audience: string;
	expiresOn: EpochSeconds;
	/**
	 * False when no user or service principal with this object id exists any more (the identity was deleted
	 * after the token was issued). The token stays valid until it expires; role assignments that still name the
	 * object id keep matching it.
	 */
	principalExists: boolean;
}

/** Audiences Key Vault accepts (reference 3.4; the challenge names the first). */
export const KEY_VAULT_AUDIENCES: readonly string[] = [
	'https://vault.azure.net',
	'https://vault.azure.net/'
];

/** Audiences ARM accepts, in the order its InvalidAuthenticationTokenAudience message lists them (reference 6.3). */
export const ARM_AUDIENCES: readonly string[] = [
	'https://management.core.windows.net/',
	'https://management.core.windows.net',
	'https://management.azure.com/',
	'https://management.azure.com'
];

/** Audiences Azure SQL accepts. */
export const SQL_AUDIENCES: readonly string[] = [
	'https://database.windows.net/',
	'https://database.windows.net'
];

/** Audiences a storage account's blob endpoint accepts: the service-wide one or the account's own URL. */
export function storageAudiences(accountName: string): string[] {
	const account = `https://${accountName.toLowerCase()}.blob.core.windows.net`;
	return ['https://storage.azure.com/', 'https://storage.azure.com', account, `${account}/`];
}

/** The issuers a tenant's resources trust: v1 (`sts.windows.net`) and v2 (`login.microsoftonline.com/…/v2.0`). */
export function tenantIssuers(tenantId: string): string[] {
	return [v1Issuer(tenantId), v2Issuer(tenantId)];
}

/**
 * The token in an Authorization header value, or why there is none usable: no header (`missing`), another
 * scheme than Bearer (`scheme`), or nothing after the scheme (`missing`).
 */
export function readBearer(authorization: string | undefined): Result<string, TokenFailure> {
	const value = authorization?.trim() ?? '';
	if (value === '') {
		return err({ reason: 'missing', message: 'The request has no Authorization header.' });
	}
	const space = value.search(/\s/);
	const scheme = space < 0 ? value : value.slice(0, space);
	const rest = space < 0 ? '' : value.slice(space).trim();
	if (scheme.toLowerCase() !== 'bearer') {
		return err({
			reason: 'scheme',
			scheme,
			message: `The Authorization header uses the '${scheme}' scheme, not 'Bearer'.`
		});
	}
	if (rest === '') {
		return err({
			reason: 'missing',
			message: 'The Authorization header says "Bearer" but carries no token after it.'
		});
	}
	return ok(rest);
}

const REASON_OF: Record<VerifyErrorCode, TokenFailureReason> = {
	ERR_JWS_INVALID: 'malformed',
	ERR_JWT_CLAIM_INVALID: 'malformed',
	ERR_JOSE_ALG_NOT_ALLOWED: 'algorithm',
	ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'signature',
	ERR_JWKS_NO_MATCHING_KEY: 'unknownKey',
	ERR_JWKS_INVALID: 'unknownKey',
	ERR_JWT_EXPIRED: 'expired',
	ERR_JWT_NOT_YET_VALID: 'notYetValid',
	ERR_JWT_AUDIENCE_INVALID: 'audience',
	ERR_JWT_ISSUER_INVALID: 'issuer'
};

function claimText(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) return value.map(String).join(',');
	return undefined;
}

/**
 * Verifies a JWT as a resource server of the world's tenant does: RS256 signature by a key in the tenant's JWKS,
 * issuer v1 or v2 of the tenant, `aud` one of `audiences`, `nbf`/`exp` at `world.now` (`exp` required), and an
 * `oid` claim.
 */
export async function validateAccessToken(
	world: World,
	token: string,
	audiences: readonly string[]
): Promise<Result<AcceptedToken, TokenFailure>> {
	const decoded = decodeForDisplay(token);
	const seen = decoded.ok ? decoded.value.payload : {};
	const found = {
		audience: claimText(seen.aud),
		issuer: claimText(seen.iss),
		expiresAt: typeof seen.exp === 'number' ? (seen.exp as EpochSeconds) : undefined,
		encodedHeader: decoded.ok ? decoded.value.parts[0] : undefined
	};
	const verified = await verifyAccessToken(token, tenantJwks(world, 'v1'), {
		now: world.now,
		issuer: tenantIssuers(world.tenant.tenantId),
		audience: [...audiences]
	});
	if (!verified.ok) {
		return err({
			reason: REASON_OF[verified.error.code],
			message: verified.error.message,
			...defined(found)
		});
	}
	const { header, payload } = verified.value;
	// A JWT library accepts a token without `exp` (the claim is optional in RFC 7519); Azure's token validation
	// requires it (IDX10225): a token that never expires would be a credential for ever.
	if (typeof payload.exp !== 'number') {
		return err({
			reason: 'noExpiry',
			message:
				'The token has no "exp" (expiration time) claim, so it would never expire: Azure refuses it. Entra ID always sets "exp" on the access tokens it issues.',
			...defined(found)
		});
	}
	const oid = payload.oid;
	if (typeof oid !== 'string' || oid.trim() === '') {
		return err({
			reason: 'malformed',
			message:
				'The token verified, but it has no "oid" claim: nothing names the principal, so there is nobody to authorize. Entra ID puts the object id of the identity in "oid".',
			...defined(found)
		});
	}
	const principalId = oid.trim().toLowerCase();
	const appId = claimText(payload.appid) ?? claimText(payload.azp) ?? '';
	return ok({
		raw: token,
		header,
		payload,
		principalId,
		appId,
		issuer: claimText(payload.iss) ?? '',
		audience: claimText(payload.aud) ?? '',
		expiresOn: payload.exp as EpochSeconds,
		principalExists: principalExists(world, principalId)
	});
}

/** {@link readBearer} then {@link validateAccessToken}. */
export async function validateBearer(
	world: World,
	authorization: string | undefined,
	audiences: readonly string[]
): Promise<Result<AcceptedToken, TokenFailure>> {
	const bearer = readBearer(authorization);
	if (!bearer.ok) return bearer;
	return validateAccessToken(world, bearer.value, audiences);
}

/** Key Vault's caller text: `appid=<appid>;oid=<oid>;iss=<iss>` (reference 6.2). */
export function keyVaultCaller(token: AcceptedToken): string {
	return `appid=${token.appId};oid=${token.principalId};iss=${token.issuer}`;
}

function defined<T extends Record<string, unknown>>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
