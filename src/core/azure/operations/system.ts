/** Time, settings, signing keys, and the records that the token path and the services leave. */
import type { CachedToken, SigningKeyInfo } from '../model.ts';
import type { ServiceCallEvent, TokenEvent } from '../events.ts';
import type { OperationError } from '../errors.ts';
import { opError } from '../errors.ts';
import type { OperationContext, WorldDraft } from './context.ts';
import { LATEST_TIME, addSeconds, describeDuration, isoTime } from '../../clock.ts';
import { indexOf, overrideIndex, recordGet } from '../store/record.ts';
import { expiryQueue, lookup, removalQueue, tokensByKid } from '../store/indexes.ts';
import { dequeue } from '../store/queue.ts';

const TEN_YEARS = 10 * 365 * 86_400;

/** Operation: move simulated time forward. Removals that have propagated and expired cached tokens go. */
export function advanceClock(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { seconds: number }
): OperationError | void {
	const seconds = input?.seconds;
	if (
		typeof seconds !== 'number' ||
		!Number.isInteger(seconds) ||
		seconds <= 0 ||
		seconds > TEN_YEARS
	) {
		return opError(
			'InvalidClockAdvance',
			`Time moves forward by a whole number of seconds from 1 to ${TEN_YEARS}; '${String(seconds)}' is not one.`
		);
	}
	if (draft.now + seconds > LATEST_TIME) {
		return opError(
			'InvalidClockAdvance',
			`The lab's clock ends at ${isoTime(LATEST_TIME)}; it is ${isoTime(draft.now)} now, so it can move forward by at most ${LATEST_TIME - draft.now} seconds.`
		);
	}
	const from = draft.now;
	draft.now = addSeconds(draft.now, seconds);
	const now = draft.now;
	// Only what falls due: the queues hold removals and expiries soonest first.
	let removals = indexOf(ctx.base.roleAssignments, removalQueue);
	while (removals !== null && removals.at <= now) {
		const a = recordGet(ctx.base.roleAssignments, removals.key);
		if (a !== undefined && a.removedAt !== null && now >= a.removedAt)
			delete draft.roleAssignments[removals.key];
		removals = dequeue(removals);
	}
	overrideIndex(draft.roleAssignments, removalQueue, removals);
	let expiries = indexOf(ctx.base.tokenCache, expiryQueue);
	while (expiries !== null && expiries.at <= now) {
		const token = recordGet(ctx.base.tokenCache, expiries.key);
		if (token !== undefined && token.expiresOn <= now) delete draft.tokenCache[expiries.key];
		expiries = dequeue(expiries);
	}
	overrideIndex(draft.tokenCache, expiryQueue, expiries);
	ctx.emit({ kind: 'clock', from, to: draft.now });
}

/** Operation: set how long role assignment changes take to apply (0 to 24 h). */
export function setPropagationDelay(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { seconds: number }
): OperationError | void {
	const seconds = input?.seconds;
	if (
		typeof seconds !== 'number' ||
		!Number.isInteger(seconds) ||
		seconds < 0 ||
		seconds > 86_400
	) {
		return opError(
			'InvalidInput',
			`The propagation delay is a whole number of seconds from 0 to 86400; '${String(seconds)}' is not one.`
		);
	}
	draft.settings.propagationDelaySeconds = seconds;
	ctx.emit({
		kind: 'activity',
		operationName: 'Lab/settings/write',
		resourceId: '/',
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `Role assignment changes now take ${describeDuration(seconds)} to apply.`
	});
}

/**
 * Operation: turn IMDS's managed-identity rate limits (20 requests per second and 5 at once per VM, then 429) on
 * or off for this world. Azure always enforces them; a load test against the emulator turns them off.
 */
export function setImdsThrottle(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { enabled: boolean }
): OperationError | void {
	if (typeof input?.enabled !== 'boolean') {
		return opError('InvalidInput', 'setImdsThrottle needs enabled: true or false.');
	}
	draft.settings.imdsThrottle = input.enabled;
	ctx.emit({
		kind: 'activity',
		operationName: 'Lab/settings/write',
		resourceId: '/',
		caller: ctx.caller,
		status: 'Succeeded',
		summary: input.enabled
			? 'IMDS enforces its managed-identity limits again: 20 requests per second and 5 at once per VM.'
			: 'IMDS no longer throttles managed-identity requests in this world (Azure always does).'
	});
}

/** The cache key of a token inside an identity endpoint: one per identity and resource. */
export function tokenCacheKey(principalId: string, resource: string): string {
	return `${principalId.toLowerCase()}|${resource}`;
}

/** Operation: an identity endpoint served a token (fresh from Entra ID and cached, or from its cache). */
export function recordToken(
	draft: WorldDraft,
	ctx: OperationContext,
	input: {
		token: CachedToken;
		hostId: string;
		endpoint: TokenEvent['endpoint'];
		fromCache: boolean;
	}
): OperationError | void {
	const t = input?.token;
	if (
		!t ||
		typeof t !== 'object' ||
		(['principalId', 'clientId', 'resource', 'accessToken', 'kid'] as const).some(
			(f) => typeof t[f] !== 'string'
		) ||
		!Number.isInteger(t.issuedAt) ||
		!Number.isInteger(t.expiresOn)
	) {
		return opError(
			'InvalidInput',
			'recordToken needs the token that was served (principalId, clientId, resource, accessToken, issuedAt, expiresOn, kid).'
		);
	}
	if (
		typeof input.hostId !== 'string' ||
		!['imds', 'appService', 'arc', 'federation'].includes(input.endpoint) ||
		typeof input.fromCache !== 'boolean'
	) {
		return opError(
			'InvalidInput',
			"recordToken needs the host that asked, its endpoint ('imds', 'appService', 'arc' or 'federation') and whether the cache answered."
		);
	}
	// A federated exchange is answered by Entra ID directly: no identity endpoint caches its token.
	if (!input.fromCache && input.endpoint !== 'federation') {
		draft.tokenCache[tokenCacheKey(t.principalId, t.resource)] = {
			principalId: t.principalId,
			clientId: t.clientId,
			resource: t.resource,
			accessToken: t.accessToken,
			issuedAt: t.issuedAt,
			expiresOn: t.expiresOn,
			kid: t.kid
		};
	}
	ctx.emit({
		kind: 'token',
		principalId: t.principalId,
		clientId: t.clientId,
		resource: t.resource,
		hostId: input.hostId,
		endpoint: input.endpoint,
		fromCache: input.fromCache,
		expiresOn: t.expiresOn
	});
}

/** Operation: a service answered a call (kept for the event log and the lesson checks). */
export function recordServiceCall(
	_draft: WorldDraft,
	ctx: OperationContext,
	input: Omit<ServiceCallEvent, 'seq' | 'at' | 'kind'>
): OperationError | void {
	if (!input || typeof input.service !== 'string' || typeof input.status !== 'number') {
		return opError(
			'InvalidInput',
			'recordServiceCall needs the service and the status it answered.'
		);
	}
	// Only the event's own fields: the operation also carries its `type`, and `kind` must stay serviceCall.
	ctx.emit({
		kind: 'serviceCall',
		service: input.service,
		operation: input.operation,
		target: input.target,
		status: input.status,
		principalId: input.principalId,
		authMethod: input.authMethod,
		source: input.source,
		errorCode: input.errorCode
	});
}

/** Operation: publish a new tenant signing key and sign new tokens with it (key rollover). */
export function addSigningKey(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { key: Omit<SigningKeyInfo, 'active' | 'createdAt'> }
): OperationError | void {
	const key = input?.key;
	if (
		!key ||
		typeof key.kid !== 'string' ||
		typeof key.x5t !== 'string' ||
		typeof key.jwk !== 'object' ||
		key.jwk === null
	) {
		return opError('InvalidInput', 'addSigningKey needs the public key (kid, x5t, jwk).');
	}
	if (draft.signingKeys.some((k) => k.kid === key.kid))
		return opError('SigningKeyExists', `A key with kid '${key.kid}' is already published.`);
	for (const k of draft.signingKeys) k.active = false;
	draft.signingKeys.push({
		kid: key.kid,
		x5t: key.x5t,
		jwk: { ...key.jwk },
		createdAt: draft.now,
		active: true
	});
	ctx.emit({
		kind: 'activity',
		operationName: 'Entra/signingKeys/write',
		resourceId: `/${draft.tenant.tenantId}/discovery/keys/${key.kid}`,
		caller: 'Microsoft Entra ID',
		status: 'Succeeded',
		summary: `Published signing key ${key.kid}; new tokens are signed with it.`
	});
}

/** Operation: withdraw a signing key from the JWKS; tokens it signed stop verifying. */
export function removeSigningKey(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { kid: string }
): OperationError | void {
	const index = draft.signingKeys.findIndex((k) => k.kid === input?.kid);
	if (index < 0)
		return opError('SigningKeyNotFound', `No published key has kid '${String(input?.kid)}'.`);
	const [removed] = draft.signingKeys.splice(index, 1);
	if (removed?.active && draft.signingKeys.length > 0) {
		const newest = draft.signingKeys[draft.signingKeys.length - 1];
		if (newest) newest.active = true;
	}
	if (removed !== undefined) {
		for (const k of lookup(indexOf(ctx.base.tokenCache, tokensByKid), removed.kid)) {
			delete draft.tokenCache[k];
		}
	}
	ctx.emit({
		kind: 'activity',
		operationName: 'Entra/signingKeys/delete',
		resourceId: `/${draft.tenant.tenantId}/discovery/keys/${String(input.kid)}`,
		caller: 'Microsoft Entra ID',
		status: 'Succeeded',
		summary: `Withdrew signing key ${String(input.kid)}; tokens it signed no longer verify.`
	});
}
