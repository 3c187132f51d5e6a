/**
 * Microsoft Graph (`https://graph.microsoft.com`), as far as the audit trail needs it: `GET
 * /v1.0/auditLogs/directoryAudits` lists the tenant's directory audit entries (the *Managed Service Identity*
 * actor adding and deleting service principals), newest first, with `$top` and a `$filter` on
 * `activityDisplayName`. Reading needs AuditLog.Read.All with a directory role: the lab's admin has it, a
 * managed identity (no Graph permissions) gets 403 Authorization_RequestDenied
 * (learn.microsoft.com/graph/api/directoryaudit-list).
 */
import type { DirectoryAuditEvent } from '../azure/events.ts';
import type { World } from '../azure/model.ts';
import { isoTime } from '../clock.ts';
import type { HandlerContext, HandlerResult, HttpRequest, HttpResponse } from '../http/types.ts';
import { header, jsonResponse } from '../http/types.ts';
import { reasonPhrase, requestHop, responseHop } from '../http/parts.ts';
import { seededGuid } from '../ids.ts';
import { validateBearer } from './bearer.ts';
import { httpDate } from './exchange.ts';

/** Audiences Microsoft Graph accepts. */
export const GRAPH_AUDIENCES: readonly string[] = [
	'https://graph.microsoft.com',
	'https://graph.microsoft.com/',
	'00000003-0000-0000-c000-000000000000'
];

/** Graph's time text: `2026-03-02T09:00:00.0000000Z`. */
function graphTime(at: number): string {
	return isoTime(at as never).replace(/\.\d{3}Z$/, '.0000000Z');
}

function operationType(activity: string): string {
	const first = activity.split(' ')[0]?.toLowerCase() ?? '';
	if (first === 'add') return 'Add';
	if (first === 'remove' || first === 'delete' || first === 'hard') return 'Delete';
	return 'Update';
}

/** A directory audit event as Graph's `directoryAudit` resource. */
export function directoryAuditView(world: World, e: DirectoryAuditEvent): Record<string, unknown> {
	return {
		id: `Directory_${seededGuid(world.seed, `audit|${e.seq}`).toUpperCase().replace(/-/g, '')}_${e.seq}`,
		category: 'ApplicationManagement',
		correlationId: seededGuid(world.seed, `audit-correlation|${e.seq}`),
		result: 'success',
		resultReason: '',
		activityDisplayName: e.activity,
		activityDateTime: graphTime(e.at),
		loggedByService: 'Core Directory',
		operationType: operationType(e.activity),
		initiatedBy: {
			user: null,
			app: {
				appId: null,
				displayName: e.initiatedBy,
				servicePrincipalId: e.initiatedById,
				servicePrincipalName: null
			}
		},
		targetResources: [
			{
				id: e.targetId,
				displayName: e.targetDisplayName,
				type: 'ServicePrincipal',
				userPrincipalName: null,
				groupId: null,
				modifiedProperties: []
			}
		],
		additionalDetails: []
	};
}

function graphError(
	world: World,
	status: number,
	code: string,
	message: string,
	key: string
): HttpResponse {
	const requestId = seededGuid(world.seed, `graph|${world.now}|${key}`);
	return jsonResponse(
		status,
		reasonPhrase(status),
		{
			error: {
				code,
				message,
				innerError: {
					date: isoTime(world.now).replace(/\.\d{3}Z$/, ''),
					'request-id': requestId,
					'client-request-id': requestId
				}
			}
		},
		{ 'request-id': requestId, Date: httpDate(world.now) }
	);
}

/** Serves the Graph requests above. */
export async function handleGraph(
	ctx: HandlerContext,
	request: HttpRequest,
	url: URL
): Promise<HandlerResult> {
	const { world } = ctx;
	const key = `${request.method}|${url.pathname}${url.search}`;
	const asked = `The caller asks Microsoft Graph for ${url.pathname}.`;
	const result = (response: HttpResponse, ok: boolean, detail: string): HandlerResult => ({
		response,
		operations: [],
		hops: [
			requestHop({ id: 'graph-request', from: 'app', to: 'service' }, request, url, asked),
			responseHop({ id: 'graph-response', from: 'service', to: 'app' }, response, ok, detail)
		],
		...(ok ? {} : { explanation: detail })
	});
	const token = await validateBearer(world, header(request, 'Authorization'), GRAPH_AUDIENCES);
	if (!token.ok) {
		return result(
			graphError(
				world,
				401,
				'InvalidAuthenticationToken',
				token.error.reason === 'missing'
					? 'Access token is empty.'
					: 'Access token validation failure. Invalid audience.',
				key
			),
			false,
			`Graph accepts only a valid token for https://graph.microsoft.com: ${token.error.message}`
		);
	}
	const path = url.pathname.replace(/\/+$/, '').toLowerCase();
	if (path !== '/v1.0/auditlogs/directoryaudits' && path !== '/beta/auditlogs/directoryaudits') {
		return result(
			graphError(
				world,
				400,
				'BadRequest',
				`Resource not found for the segment '${url.pathname.split('/').pop() ?? ''}'.`,
				key
			),
			false,
			"The lab's Graph serves /v1.0/auditLogs/directoryAudits only."
		);
	}
	if (request.method.toUpperCase() !== 'GET') {
		return result(
			graphError(
				world,
				405,
				'Request_BadRequest',
				'Specified HTTP method is not allowed for the request target.',
				key
			),
			false,
			'The directory audit log is read with GET.'
		);
	}
	if (!world.directory.users[token.value.principalId]) {
		return result(
			graphError(
				world,
				403,
				'Authorization_RequestDenied',
				'Insufficient privileges to complete the operation.',
				key
			),
			false,
			`Reading the directory audit log takes the Graph permission AuditLog.Read.All (and a directory role such as Reports Reader). The caller ${token.value.principalId} has neither: Azure RBAC roles do not reach Microsoft Graph.`
		);
	}
	let entries = world.events.filter((e): e is DirectoryAuditEvent => e.kind === 'directoryAudit');
	const filter = url.searchParams.get('$filter');
	if (filter !== null) {
		const match = /^\s*activityDisplayName\s+eq\s+'([^']*)'\s*$/i.exec(filter);
		if (!match) {
			return result(
				graphError(world, 400, 'BadRequest', `Invalid filter clause: ${filter}`, key),
				false,
				"The lab's Graph filters on activityDisplayName only, e.g. $filter=activityDisplayName eq 'Add service principal'."
			);
		}
		entries = entries.filter((e) => e.activity === match[1]);
	}
	const top = Number(url.searchParams.get('$top') ?? '1000');
	const views = [...entries]
		.reverse()
		.slice(0, Number.isInteger(top) && top > 0 ? top : 1000)
		.map((e) => directoryAuditView(world, e));
	const response = jsonResponse(
		200,
		'OK',
		{
			'@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits',
			value: views
		},
		{ 'request-id': seededGuid(world.seed, `graph|${world.now}|${key}`), Date: httpDate(world.now) }
	);
	return result(
		response,
		true,
		`Graph returns ${views.length} directory audit entr${views.length === 1 ? 'y' : 'ies'}, newest first: who (often the Managed Service Identity first-party app, acting for ARM) added or removed which service principal.`
	);
}
