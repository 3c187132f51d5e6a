/**
 * What every simulated service returns besides its answer: the hops of the exchange for the sequence diagram
 * (request → validate token → authorize → response) and the `recordServiceCall` operation for the event log.
 */
import type { EpochSeconds } from '../clock.ts';
import type { ServiceCallEvent } from '../azure/events.ts';
import type { World } from '../azure/model.ts';
import type { Operation } from '../azure/operations/index.ts';
import type {
	HandlerContext,
	HandlerResult,
	Hop,
	HttpRequest,
	HttpResponse,
	NetworkSource
} from '../http/types.ts';
import { seededGuid } from '../ids.ts';
import type { AcceptedToken, TokenFailure } from './bearer.ts';
import { describeAcceptedToken, explainTokenFailure, type ServiceName } from './explain.ts';
import { reasonPhrase, requestHop, responseHop } from '../http/parts.ts';
import type { CheckTrace } from '../http/types.ts';
import type { AuthorizationDecision } from '../azure/rbac/authorize.ts';
import type { Plane } from '../azure/rbac/match.ts';
import { acceptedTokenTrace, rbacTrace, refusedTokenTrace } from './trace.ts';

/**
 * A handler's result, plus the learner-facing explanation of a refusal. The explanation never goes on the wire
 * (a header would make the lab differ from Azure); the UI and the terminal show it next to the response.
 */
export interface ServiceResult extends HandlerResult {
	/** Why the call was refused and what to do, for a learner; absent when the call succeeded. */
	explanation?: string;
}

export type { ServiceName };

/** How the caller authenticated. */
export type AuthMethod = ServiceCallEvent['authMethod'];

/** The `source` recorded for a call: a resource id, an outside machine's name, or `cloudshell`. */
export function sourceLabel(source: NetworkSource | undefined): string {
	if (source === undefined) return 'unknown';
	if (source.kind === 'cloudShell') return 'cloudshell';
	if (source.kind === 'outside') return source.machine;
	return source.resourceId;
}

/** A request id derived from the world's seed and history, so replays give the same ids. */
export function requestId(
	world: World,
	service: ServiceName,
	request: Pick<HttpRequest, 'method' | 'url'>
): string {
	return seededGuid(
		world.seed,
		`${service}-request:${world.events.length}:${request.method}:${request.url}`
	);
}

/** RFC 1123 text of a simulated instant (`Mon, 02 Mar 2026 09:00:00 GMT`), as HTTP `Date` headers carry it. */
export function httpDate(at: EpochSeconds): string {
	return new Date(at * 1000).toUTCString();
}

/** A decoded path segment; a segment that is not valid percent-encoding stays as it was sent. */
export function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/**
 * A JSON response of a service that forbids caching (ARM, Key Vault): the no-cache headers, then `extra`, then
 * the service's own `headers`.
 */
export function noCacheJsonResponse(
	status: number,
	body: unknown,
	extra: Record<string, string>,
	headers: Record<string, string>
): HttpResponse {
	return {
		status,
		statusText: reasonPhrase(status),
		headers: {
			'Cache-Control': 'no-cache',
			Pragma: 'no-cache',
			'Content-Type': 'application/json; charset=utf-8',
			Expires: '-1',
			...extra,
			...headers
		},
		body: JSON.stringify(body)
	};
}

/** What is recorded about a call (the rest comes from the response and the context). */
export interface CallRecord {
	service: ServiceName;
	/** e.g. getSecret, putBlob, readResource. */
	operation: string;
	/** ARM-style id of what was asked for. */
	target: string;
	principalId: string | null;
	authMethod: AuthMethod;
}

/** Hop ids read `key-vault-request`, `storage-token`, `arm-authorize`, `sql-response`. */
const HOP_PREFIX: Record<ServiceName, string> = {
	keyVault: 'key-vault',
	storage: 'storage',
	arm: 'arm',
	sql: 'sql'
};

/** Accumulates the hops of one service call and turns them into a {@link ServiceResult}. */
export class ServiceCall {
	readonly hops: Hop[] = [];
	readonly record: CallRecord;
	private readonly prefix: string;

	constructor(
		private readonly ctx: HandlerContext,
		request: HttpRequest,
		url: URL,
		record: CallRecord,
		serviceLabel: string
	) {
		this.record = record;
		this.prefix = HOP_PREFIX[record.service];
		this.hops.push(
			requestHop(
				{ id: `${this.prefix}-request`, from: 'app', to: 'service' },
				request,
				url,
				`The app calls ${serviceLabel} at ${url.host}.`
			)
		);
	}

	/** Adds a check the service made (token validation, authorization). */
	check(
		step: 'token' | 'authorize',
		title: string,
		passed: boolean,
		detail: string,
		trace?: CheckTrace
	): void {
		this.hops.push({
			id: `${this.prefix}-${step}`,
			from: 'service',
			to: 'service',
			kind: 'check',
			title,
			ok: passed,
			detail,
			...(trace !== undefined ? { trace } : {})
		});
	}

	/** Adds Azure RBAC's check: the decision's explanation, and its trace for the sequence diagram. */
	rbacCheck(
		ask: { principalId: string; action: string; scope: string; plane: Plane },
		decision: AuthorizationDecision,
		detail: string
	): void {
		this.check(
			'authorize',
			'Authorize (Azure RBAC)',
			decision.allowed,
			detail,
			rbacTrace(this.ctx.world, ask, decision)
		);
	}

	/**
	 * Records a refused bearer token: the failed token check with its explanation (returned), and the auth
	 * method (none when the request presented no bearer token at all).
	 */
	tokenRefused(failure: TokenFailure): string {
		const explanation = explainTokenFailure(failure, this.record.service);
		this.check('token', 'Validate token', false, explanation, refusedTokenTrace(failure));
		this.record.authMethod =
			failure.reason === 'missing' || failure.reason === 'scheme' ? 'none' : 'bearer';
		return explanation;
	}

	/** Records an accepted bearer token: the caller's principal and the passed token check. */
	tokenAccepted(token: AcceptedToken): void {
		this.record.principalId = token.principalId;
		this.record.authMethod = 'bearer';
		this.check(
			'token',
			'Validate token',
			true,
			describeAcceptedToken(token, this.ctx.world),
			acceptedTokenTrace(token)
		);
	}

	/**
	 * Ends the call: appends the response hop and returns the result with `extra` operations (the data change,
	 * applied first) and the `recordServiceCall` operation. `explanation` is set for refusals.
	 */
	finish(
		response: HttpResponse,
		options: {
			errorCode?: string | null;
			explanation?: string;
			detail?: string;
			operations?: Operation[];
		} = {}
	): ServiceResult {
		const failed = response.status >= 400;
		this.hops.push(
			responseHop(
				{ id: `${this.prefix}-response`, from: 'service', to: 'app' },
				response,
				!failed,
				options.detail ?? options.explanation ?? `${response.status} ${response.statusText}.`
			)
		);
		const recorded: Operation = {
			type: 'recordServiceCall',
			service: this.record.service,
			operation: this.record.operation,
			target: this.record.target,
			status: response.status,
			principalId: this.record.principalId,
			authMethod: this.record.authMethod,
			source: sourceLabel(this.ctx.source),
			errorCode: failed ? (options.errorCode ?? String(response.status)) : null
		};
		const result: ServiceResult = {
			response,
			operations: [...(options.operations ?? []), recorded],
			hops: this.hops
		};
		if (options.explanation !== undefined) result.explanation = options.explanation;
		return result;
	}
}
