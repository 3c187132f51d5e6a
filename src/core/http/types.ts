/**
 * HTTP as values. The identity endpoints and the services are pure handlers over these, so the terminal's
 * curl, the token-flow diagram and the Node emulator share exactly the same exchanges.
 */
import type { Operation } from '../azure/operations/index.ts';
import type { World } from '../azure/model.ts';
import type { KeyRing } from '../crypto/index.ts';

/** A request: header names are kept as sent; look them up with `header()`. */
export interface HttpRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: string;
}

/** A response. `statusText` is what the real service puts on its status line. */
export interface HttpResponse {
	status: number;
	statusText: string;
	headers: Record<string, string>;
	body: string;
}

/** Where a request comes from: that decides which link-local endpoints it can reach. */
export type NetworkSource =
	| { kind: 'cloudShell' }
	| { kind: 'resource'; resourceId: string; instanceId?: string }
	| { kind: 'outside'; machine: string };

/** Who takes part in an exchange, for the sequence diagram. */
export type Participant = 'app' | 'identityEndpoint' | 'entra' | 'service';

/**
 * One step of an exchange, in order: a message between participants (with its HTTP request or response), or
 * a check a participant makes (token validation, authorization). A failed step ends the sequence.
 */
export interface Hop {
	id: string;
	from: Participant;
	to: Participant;
	kind: 'request' | 'response' | 'check';
	/** Short label on the arrow, e.g. `GET /metadata/identity/oauth2/token`. */
	title: string;
	request?: HttpRequest;
	response?: HttpResponse;
	ok: boolean;
	/** One or two sentences on what happened at this step, for a learner. */
	detail: string;
	/** A check's steps as the service made them (token validation, Azure RBAC), for the decision trace. */
	trace?: CheckTrace;
}

/** How one step of a check went; `skipped` when an earlier step already failed. */
export type TraceOutcome = 'passed' | 'failed' | 'skipped';

/** One step of token validation, e.g. the audience check. */
export interface TokenTraceStep {
	check: 'bearer' | 'signature' | 'issuer' | 'audience' | 'lifetime';
	/** e.g. `Audience is one this service accepts`. */
	label: string;
	outcome: TraceOutcome;
	/** What the service saw, e.g. the `aud` value; empty when there is nothing to show. */
	seen: string;
}

/** A role assignment Azure RBAC looked at: at the target scope or above it. */
export interface RbacTraceAssignment {
	roleName: string;
	scope: string;
	/** e.g. `resource group rg-stock`. */
	scopeLabel: string;
	state: 'pending' | 'effective' | 'removing';
	/** Seconds until a pending assignment applies or a removal takes effect; null when effective. */
	secondsLeft: number | null;
	/** The role includes the action on the plane asked for. */
	includesAction: boolean;
	/** This is the assignment the decision names as granting. */
	granted: boolean;
}

/** Azure RBAC's decision as steps: who asked, for what, the assignments found at each scope, and the answer. */
export interface RbacTrace {
	principalId: string;
	action: string;
	plane: 'control' | 'data';
	scope: string;
	scopeLabel: string;
	/** Nearest the target first (the order the portal's "Check access" lists them). */
	assignments: RbacTraceAssignment[];
	allowed: boolean;
	/** The decision's own words. */
	reason: string;
	suggestion: string | null;
}

/** The structured trace of a check hop. */
export type CheckTrace =
	{ kind: 'token'; steps: TokenTraceStep[] } | { kind: 'rbac'; rbac: RbacTrace };

/** What the network needs besides the world: the tenant's private signing keys (never in the world). */
export interface NetworkEnv {
	keyRing: KeyRing;
	/**
	 * IMDS identity requests under way, per VM id (shared by overlapping requests, e.g. the emulator's): what lets
	 * IMDS enforce "5 concurrent requests". Absent where requests never overlap (the browser terminal).
	 */
	imdsInFlight?: Map<string, number>;
}

/** A handler's context. */
export interface HandlerContext {
	world: World;
	source: NetworkSource;
	env: NetworkEnv;
}

/** What a handler returns: the answer, the operations that record what happened, and the hops. */
export interface HandlerResult {
	response: HttpResponse;
	/** Applied by the caller with applyOperations (token cache, event records, key rollover). */
	operations: Operation[];
	hops: Hop[];
	/**
	 * Why a request was refused and what to change, for a learner. Never on the wire (a header would make the
	 * lab differ from Azure): the terminal and the UI show it next to the response. Absent on success.
	 */
	explanation?: string;
}

/** A failure below HTTP: nothing answered. */
export interface TransportFailure {
	kind: 'timeout' | 'unresolved' | 'refused';
	/** As curl reports it, e.g. `curl: (28) Connection timed out after 5001 milliseconds`. */
	message: string;
	/** Why, in the world, for a learner. */
	explanation: string;
}

/** The outcome of sending a request. */
export type SendResult =
	| ({ ok: true } & HandlerResult)
	| { ok: false; failure: TransportFailure; hops: Hop[]; operations: Operation[] };

/** Case-insensitive header lookup. */
export function header(
	request: { headers: Record<string, string> },
	name: string
): string | undefined {
	const lower = name.toLowerCase();
	const headers = request.headers;
	for (const key of Object.keys(headers)) {
		if (key.toLowerCase() === lower) return headers[key];
	}
	return undefined;
}

/** A JSON response with the given status line. */
export function jsonResponse(
	status: number,
	statusText: string,
	body: unknown,
	headers: Record<string, string> = {}
): HttpResponse {
	const all: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
	// Object.assign rather than a spread after a literal key, which costs many times more in V8 (every answer).
	return { status, statusText, headers: Object.assign(all, headers), body: JSON.stringify(body) };
}
