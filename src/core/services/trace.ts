/**
 * The decision trace of a service's checks, as data the token-flow diagram draws inside the service's lifeline:
 * token validation step by step (bearer, signature, issuer, audience, lifetime) and Azure RBAC's decision (the
 * assignments found at each scope, the action needed, which assignment granted it or that none did). Built from
 * the validation result and the {@link AuthorizationDecision}; the decision itself is never re-made here.
 */
import type { World } from '../azure/model.ts';
import type { AuthorizationDecision } from '../azure/rbac/authorize.ts';
import { effectiveAssignmentsFor } from '../azure/rbac/authorize.ts';
import type { Plane } from '../azure/rbac/match.ts';
import { permissionGrants } from '../azure/rbac/match.ts';
import { describeScope, normalizeScope, scopeCoverage } from '../azure/rbac/scope.ts';
import type { CheckTrace, RbacTraceAssignment, TokenTraceStep } from '../http/types.ts';
import type { AcceptedToken, TokenFailure, TokenFailureReason } from './bearer.ts';

const STEPS: readonly { check: TokenTraceStep['check']; label: string }[] = [
	{ check: 'bearer', label: 'Bearer token present' },
	{ check: 'signature', label: "Signature by one of the tenant's keys" },
	{ check: 'issuer', label: 'Issuer is the tenant' },
	{ check: 'audience', label: 'Audience is this service' },
	{ check: 'lifetime', label: 'Not expired (and already valid)' }
];

/** Which step a refusal stopped at: the steps before it passed, the ones after were not reached. */
const FAILED_AT: Record<TokenFailureReason, TokenTraceStep['check']> = {
	missing: 'bearer',
	scheme: 'bearer',
	malformed: 'signature',
	algorithm: 'signature',
	signature: 'signature',
	unknownKey: 'signature',
	issuer: 'issuer',
	audience: 'audience',
	expired: 'lifetime',
	noExpiry: 'lifetime',
	notYetValid: 'lifetime'
};

function seenOf(
	check: TokenTraceStep['check'],
	found: {
		scheme?: string | undefined;
		issuer?: string | undefined;
		audience?: string | undefined;
		exp?: number | undefined;
	}
): string {
	switch (check) {
		case 'bearer':
			return found.scheme ?? '';
		case 'signature':
			return '';
		case 'issuer':
			return found.issuer ?? '';
		case 'audience':
			return found.audience ?? '';
		case 'lifetime':
			return found.exp === undefined ? '' : `exp ${new Date(found.exp * 1000).toISOString()}`;
	}
}

/** The token-validation trace of an accepted token: every step passed. */
export function acceptedTokenTrace(token: AcceptedToken): CheckTrace {
	const found = {
		scheme: 'Bearer',
		issuer: token.issuer,
		audience: token.audience,
		exp: token.expiresOn
	};
	return {
		kind: 'token',
		steps: STEPS.map((s) => ({ ...s, outcome: 'passed', seen: seenOf(s.check, found) }))
	};
}

/** The token-validation trace of a refused token: passed up to the failing step, which failed. */
export function refusedTokenTrace(failure: TokenFailure): CheckTrace {
	const stop = STEPS.findIndex((s) => s.check === FAILED_AT[failure.reason]);
	const found = {
		scheme: failure.scheme,
		issuer: failure.issuer,
		audience: failure.audience,
		exp: failure.expiresAt
	};
	return {
		kind: 'token',
		steps: STEPS.map((s, i) => ({
			...s,
			outcome: i < stop ? 'passed' : i === stop ? 'failed' : 'skipped',
			seen: i <= stop ? seenOf(s.check, found) : ''
		}))
	};
}

/**
 * The Azure RBAC trace of a decision: the principal's assignments at the target scope or above it (nearest
 * first), whether each role includes the action, and which one the decision names as granting.
 */
export function rbacTrace(
	world: World,
	ask: { principalId: string; action: string; scope: string; plane: Plane },
	decision: AuthorizationDecision
): CheckTrace {
	const coverage = scopeCoverage(ask.scope, world);
	const found: (RbacTraceAssignment & { nearness: number })[] = [];
	if (coverage !== null) {
		for (const held of effectiveAssignmentsFor(world, ask.principalId)) {
			const key = normalizeScope(held.assignment.scope);
			if (!coverage.covers(key)) continue;
			found.push({
				roleName: held.role?.roleName ?? held.assignment.roleDefinitionId,
				scope: held.assignment.scope,
				scopeLabel: describeScope(held.assignment.scope, world),
				state: held.state,
				secondsLeft: held.secondsLeft,
				includesAction:
					held.role !== undefined && permissionGrants(held.role, ask.action, ask.plane),
				granted: decision.grantedBy?.id === held.assignment.id,
				nearness: coverage.nearness(key)
			});
		}
	}
	found.sort((a, b) => b.nearness - a.nearness);
	return {
		kind: 'rbac',
		rbac: {
			principalId: ask.principalId,
			action: ask.action,
			plane: ask.plane,
			scope: ask.scope,
			scopeLabel: describeScope(ask.scope, world),
			assignments: found.map(({ nearness: _n, ...a }) => a),
			allowed: decision.allowed,
			reason: decision.reason,
			suggestion: decision.allowed ? null : decision.suggestion
		}
	};
}
