/**
 * Events: what an operation or an HTTP exchange caused. They are the tenant's audit trail (activity log for
 * ARM, directory audit for Entra ID), the input of the lesson checks and the text twin of every diagram.
 */
import type { EpochSeconds } from '../clock.ts';

interface EventBase {
	/** Position in the world's history, from 1. */
	seq: number;
	at: EpochSeconds;
}

/** An Azure activity-log entry (control plane). */
export interface ActivityEvent extends EventBase {
	kind: 'activity';
	/** e.g. `Microsoft.Compute/virtualMachines/write`. */
	operationName: string;
	resourceId: string;
	/** Who did it: a user principal name or a principal id. */
	caller: string;
	status: 'Succeeded' | 'Failed';
	summary: string;
}

/** An Entra ID audit-log entry (directory). */
export interface DirectoryAuditEvent extends EventBase {
	kind: 'directoryAudit';
	/** e.g. `Add service principal`, `Hard delete service principal`. */
	activity: string;
	/** Display name of the actor, e.g. `Managed Service Identity`. */
	initiatedBy: string;
	initiatedById: string;
	targetId: string;
	targetDisplayName: string;
	summary: string;
}

/** A token issued by Entra ID to a managed identity (through an identity endpoint) or served from its cache. */
export interface TokenEvent extends EventBase {
	kind: 'token';
	principalId: string;
	clientId: string;
	resource: string;
	/** ARM id of the resource whose endpoint asked, or the outside machine's name. */
	hostId: string;
	/** `arc`: an Arc agent's HIMDS; `federation`: Entra ID's token endpoint exchanging a federated assertion. */
	endpoint: 'imds' | 'appService' | 'arc' | 'federation';
	fromCache: boolean;
	expiresOn: EpochSeconds;
}

/** The data planes and ARM, whose every call is recorded. */
export type DataServiceName = 'keyVault' | 'storage' | 'sql' | 'arm';

/**
 * The token endpoints — IMDS, the App Service identity endpoint, an Arc agent's HIMDS, Entra ID's token endpoint —
 * whose refusals and unanswered requests are recorded as calls (the tokens they issue are {@link TokenEvent}s).
 */
export type TokenEndpointName = 'imds' | 'appService' | 'arc' | 'entra';

/**
 * A data-plane or ARM call answered by a simulated service, or a token request that got no token (status 0 when
 * nothing answered, e.g. 169.254.169.254 from outside Azure).
 */
export interface ServiceCallEvent extends EventBase {
	kind: 'serviceCall';
	service: DataServiceName | TokenEndpointName;
	/** What was asked, e.g. `getSecret`, `getBlob`, `login`. */
	operation: string;
	/** ARM-style id of the target (vault, secret, container, blob, database…). */
	target: string;
	status: number;
	/**
	 * Principal id from a valid token, or null when the caller could not be authenticated. For a token request:
	 * the identity it asked for, when the request names one of the host's identities (or its client_id does).
	 */
	principalId: string | null;
	/** Shared-key callers (a leaked connection string) have no principal. */
	authMethod: 'bearer' | 'sharedKey' | 'none';
	/** Where the call came from: a resource id, an outside machine's name, or `cloudshell`. */
	source: string;
	/** The service's error code (`ForbiddenByRbac`, `invalid_request`, `AADSTS70021`), `timeout` or `refused`. */
	errorCode: string | null;
}

/** Simulated time moved. */
export interface ClockEvent extends EventBase {
	kind: 'clock';
	from: EpochSeconds;
	to: EpochSeconds;
}

export type WorldEvent =
	ActivityEvent | DirectoryAuditEvent | TokenEvent | ServiceCallEvent | ClockEvent;

/** An event before the world numbers and stamps it. */
export type NewEvent = WorldEvent extends infer E
	? E extends WorldEvent
		? Omit<E, 'seq' | 'at'>
		: never
	: never;
