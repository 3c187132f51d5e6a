/**
 * Azure Resource Manager (`https://management.azure.com`), read side: subscriptions, resource groups, resources
 * and role assignments, authorized by Azure RBAC control-plane actions, with ARM's error codes and messages;
 * and the storage account key actions `POST …/listKeys` and `…/regenerateKey` (storage-keys.ts).
 */
import type { EpochSeconds } from '../clock.ts';
import type {
	Resource,
	ResourceGroup,
	RoleAssignment,
	Subscription,
	World
} from '../azure/model.ts';
import { RESOURCE_TYPES } from '../azure/model.ts';
import { armResource, armRoleAssignment } from '../azure/arm-view.ts';
import { idKey } from '../azure/naming.ts';
import { authorize } from '../azure/rbac/authorize.ts';
import type { AuthorizationDecision } from '../azure/rbac/authorize.ts';
import { ancestorScopeKeys, normalizeScope } from '../azure/rbac/scope.ts';
import type { HandlerContext, HttpRequest, HttpResponse } from '../http/types.ts';
import { header } from '../http/types.ts';
import type { AcceptedToken, TokenFailure } from './bearer.ts';
import { ARM_AUDIENCES, validateBearer } from './bearer.ts';
import { v1Issuer } from '../token/claims.ts';
import {
	ServiceCall,
	decodeSegment,
	httpDate,
	noCacheJsonResponse,
	requestId
} from './exchange.ts';
import type { ServiceResult } from './exchange.ts';
import { explainDecision } from './explain.ts';
import { own } from '../own.ts';
import {
	STORAGE_KEY_ACTIONS,
	regenerateKeyName,
	regenerateOperation,
	storageAccountOf,
	storageKeyRoute,
	storageKeysBody
} from './storage-keys.ts';

/** Control-plane actions of the ARM reads the lab serves. */
export const ARM_ACTIONS = {
	readSubscription: 'Microsoft.Resources/subscriptions/read',
	readResourceGroup: 'Microsoft.Resources/subscriptions/resourceGroups/read',
	listResourcesInGroup: 'Microsoft.Resources/subscriptions/resourceGroups/resources/read',
	listResourcesInSubscription: 'Microsoft.Resources/subscriptions/resources/read',
	readRoleAssignments: 'Microsoft.Authorization/roleAssignments/read'
} as const;

type Route =
	| { op: 'listSubscriptions' }
	| { op: 'readSubscription'; sub: string }
	| { op: 'listResourceGroups'; sub: string }
	| { op: 'readResourceGroup'; sub: string; rg: string }
	| { op: 'listResources'; sub: string; rg: string | null }
	| { op: 'listRoleAssignments'; scope: string }
	| { op: 'readRoleAssignment'; scope: string; name: string }
	| { op: 'readResource'; sub: string; rg: string; id: string; type: string; name: string }
	| { op: 'unknownPath' };

const eq = (a: string | undefined, b: string) =>
	a !== undefined && a.toLowerCase() === b.toLowerCase();

function route(url: URL): Route {
	const seg = url.pathname
		.split('/')
		.filter((s) => s !== '')
		.map(decodeSegment);
	const ra = seg.findIndex(
		(s, i) =>
			eq(s, 'providers') &&
			eq(seg[i + 1], 'Microsoft.Authorization') &&
			eq(seg[i + 2], 'roleAssignments')
	);
	if (ra >= 0) {
		const scope = `/${seg.slice(0, ra).join('/')}`;
		const rest = seg.slice(ra + 3);
		if (rest.length === 0) return { op: 'listRoleAssignments', scope };
		if (rest.length === 1 && rest[0] !== undefined)
			return { op: 'readRoleAssignment', scope, name: rest[0] };
		return { op: 'unknownPath' };
	}
	const [s0, sub, s2, rg, s4] = seg;
	if (!eq(s0, 'subscriptions')) return { op: 'unknownPath' };
	if (sub === undefined) return { op: 'listSubscriptions' };
	if (seg.length === 2) return { op: 'readSubscription', sub };
	if (seg.length === 3 && eq(s2, 'resources')) return { op: 'listResources', sub, rg: null };
	if (!eq(s2, 'resourceGroups')) return { op: 'unknownPath' };
	if (rg === undefined) return { op: 'listResourceGroups', sub };
	if (seg.length === 4) return { op: 'readResourceGroup', sub, rg };
	if (seg.length === 5 && eq(s4, 'resources')) return { op: 'listResources', sub, rg };
	if (!eq(s4, 'providers') || seg.length < 8 || seg.length % 2 !== 0) return { op: 'unknownPath' };
	const provider = seg[5] ?? '';
	const types: string[] = [];
	const names: string[] = [];
	for (let i = 6; i + 1 < seg.length; i += 2) {
		types.push(seg[i] ?? '');
		names.push(seg[i + 1] ?? '');
	}
	return {
		op: 'readResource',
		sub,
		rg,
		id: `/${seg.join('/')}`,
		type: [provider, ...types].join('/'),
		name: names.join('/')
	};
}

function findSubscription(world: World, id: string): Subscription | undefined {
	return Object.values(world.subscriptions).find(
		(s) => s.subscriptionId.toLowerCase() === id.toLowerCase()
	);
}

function findGroup(world: World, sub: string, rg: string): ResourceGroup | undefined {
	return own(world.resourceGroups, idKey(`/subscriptions/${sub}/resourceGroups/${rg}`));
}

function armResponse(
	world: World,
	request: HttpRequest,
	status: number,
	body: unknown,
	extra: Record<string, string> = {}
): HttpResponse {
	const id = requestId(world, 'arm', request);
	return noCacheJsonResponse(status, body, extra, {
		'x-ms-request-id': id,
		'x-ms-correlation-request-id': id,
		'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
		'X-Content-Type-Options': 'nosniff',
		Date: httpDate(world.now)
	});
}

function armError(code: string, message: string): unknown {
	return { error: { code, message } };
}

/** ARM's UTC time text in token messages: `3/2/2026 9:00:00 AM` (en-US, no leading zeros on month, day, hour). */
export function armUtcTime(at: EpochSeconds): string {
	const d = new Date(at * 1000);
	const h = d.getUTCHours();
	const two = (n: number) => String(n).padStart(2, '0');
	return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** ARM's 401 error code and message for each reason a token was refused (reference 6.3). */
export function armUnauthorized(
	failure: TokenFailure,
	world: World
): { code: string; message: string } {
	switch (failure.reason) {
		case 'missing':
			return {
				code: 'AuthenticationFailed',
				message: "Authentication failed. The 'Authorization' header is missing."
			};
		case 'scheme':
			return {
				code: 'AuthenticationFailed',
				message:
					"Authentication failed. The 'Authorization' header is provided in an invalid format."
			};
		case 'audience':
			return {
				code: 'InvalidAuthenticationTokenAudience',
				message: `The access token has been obtained for wrong audience or resource '${failure.audience ?? ''}'. It should exactly match with one of the allowed audiences ${ARM_AUDIENCES.map((a) => `'${a}'`).join(',')}.`
			};
		case 'expired':
			return {
				code: 'ExpiredAuthenticationToken',
				message: `The access token expiry UTC time '${armUtcTime(failure.expiresAt ?? world.now)}' is earlier than current UTC time '${armUtcTime(world.now)}'.`
			};
		case 'issuer': {
			const tenant = world.tenant.tenantId;
			return {
				code: 'InvalidAuthenticationTokenTenant',
				message: `The access token is from the wrong issuer '${failure.issuer ?? ''}'. It must match the tenant '${v1Issuer(tenant)}' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${tenant}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`
			};
		}
		case 'malformed':
		case 'algorithm':
		case 'signature':
		case 'unknownKey':
		case 'notYetValid':
		case 'noExpiry':
			return { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' };
	}
}

/**
 * ARM's AuthorizationFailed message: the client (a user's UPN, otherwise the app id: a managed identity's client
 * id) and object id, the action and the scope.
 */
export function authorizationFailedMessage(
	token: AcceptedToken,
	action: string,
	scope: string
): string {
	const upn = token.payload.upn ?? token.payload.unique_name;
	const client = typeof upn === 'string' && upn !== '' ? upn : token.appId;
	return `The client '${client}' with object id '${token.principalId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`;
}

function subscriptionBody(world: World, s: Subscription): Record<string, unknown> {
	return {
		id: s.id,
		authorizationSource: 'RoleBased',
		managedByTenants: [],
		subscriptionId: s.subscriptionId,
		tenantId: s.tenantId || world.tenant.tenantId,
		displayName: s.displayName,
		state: 'Enabled',
		subscriptionPolicies: {
			locationPlacementId: 'Public_2014-09-01',
			quotaId: 'PayAsYouGo_2014-09-01',
			spendingLimit: 'Off'
		}
	};
}

function groupBody(g: ResourceGroup): Record<string, unknown> {
	return {
		id: g.id,
		name: g.name,
		type: 'Microsoft.Resources/resourceGroups',
		location: g.location,
		...(Object.keys(g.tags).length > 0 ? { tags: { ...g.tags } } : {}),
		properties: { provisioningState: 'Succeeded' }
	};
}

/** A resource as ARM's generic resource list shows it: the envelope without `properties`. */
function listedResource(world: World, resource: Resource): Record<string, unknown> {
	const full = armResource(world, resource);
	const keep = ['id', 'name', 'type', 'sku', 'kind', 'location', 'identity', 'tags'];
	return Object.fromEntries(keep.filter((k) => full[k] !== undefined).map((k) => [k, full[k]]));
}

function readAction(resource: Resource): string {
	return `${RESOURCE_TYPES[resource.kind]}/read`;
}

/**
 * The lab's ARM endpoint: GET requests for subscriptions, resource groups, resources and role assignments, and
 * POST listKeys / regenerateKey on storage accounts.
 */
export async function handleArm(
	ctx: HandlerContext,
	request: HttpRequest,
	url: URL
): Promise<ServiceResult> {
	const { world } = ctx;
	const r = route(url);
	const target = 'id' in r ? r.id : 'scope' in r ? r.scope : url.pathname;
	const call = new ServiceCall(
		ctx,
		request,
		url,
		{
			service: 'arm',
			operation: r.op === 'unknownPath' ? request.method.toLowerCase() : r.op,
			target,
			principalId: null,
			authMethod: 'none'
		},
		'Azure Resource Manager'
	);
	const respond = (
		status: number,
		body: unknown,
		options: Parameters<ServiceCall['finish']>[1] = {},
		extra: Record<string, string> = {}
	) => call.finish(armResponse(world, request, status, body, extra), options);
	const fail = (status: number, code: string, message: string, explanation: string) =>
		respond(status, armError(code, message), { errorCode: code, explanation });

	const authorization = header(request, 'Authorization');
	const token = await validateBearer(world, authorization, ARM_AUDIENCES);
	if (!token.ok) {
		const explanation = call.tokenRefused(token.error);
		const { code, message } = armUnauthorized(token.error, world);
		const description =
			token.error.reason === 'missing'
				? "The authentication failed because of missing 'Authorization' header."
				: message;
		const challenge = `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="${description.replace(/"/g, "'")}"`;
		return respond(
			401,
			armError(code, message),
			{ errorCode: code, explanation },
			{ 'WWW-Authenticate': challenge }
		);
	}
	const caller = token.value;
	call.tokenAccepted(caller);

	if (!url.searchParams.get('api-version')) {
		return fail(
			400,
			'MissingApiVersionParameter',
			'The api-version query parameter (?api-version=) is required for all requests.',
			'Every ARM request names the API version of the resource provider it talks to: add ?api-version=2022-09-01 (resource groups and resources), 2022-12-01 (subscriptions) or 2022-04-01 (role assignments).'
		);
	}
	const keyRoute = request.method.toUpperCase() === 'POST' ? storageKeyRoute(url) : null;
	if (keyRoute) {
		const action = STORAGE_KEY_ACTIONS[keyRoute.action];
		const decision = authorize(world, caller.principalId, action, keyRoute.accountId, 'control');
		if (!decision.allowed) {
			const text = explainDecision(decision);
			call.rbacCheck(
				{ principalId: caller.principalId, action, scope: keyRoute.accountId, plane: 'control' },
				decision,
				text
			);
			return fail(
				403,
				'AuthorizationFailed',
				authorizationFailedMessage(caller, action, keyRoute.accountId),
				text
			);
		}
		call.rbacCheck(
			{ principalId: caller.principalId, action, scope: keyRoute.accountId, plane: 'control' },
			decision,
			`${explainDecision(decision)} ${action} hands out the account keys: with them the caller can read and write every blob through Shared Key, whatever its data roles.`
		);
		if (findGroup(world, keyRoute.subscriptionId, keyRoute.resourceGroup) === undefined)
			return groupNotFound(fail, keyRoute.resourceGroup);
		const account = storageAccountOf(world, keyRoute);
		if (account === undefined) {
			return fail(
				404,
				'ResourceNotFound',
				`The Resource 'Microsoft.Storage/storageAccounts/${keyRoute.name}' under resource group '${keyRoute.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
				`No storage account ${keyRoute.name} exists in ${keyRoute.resourceGroup}.`
			);
		}
		if (keyRoute.action === 'listKeys') return respond(200, storageKeysBody(account));
		const keyName = regenerateKeyName(request.body);
		if (keyName === null) {
			return fail(
				400,
				'InvalidValuesForRequestParameters',
				'Values for request parameters are invalid: keyName.',
				'The body names the key to regenerate: {"keyName": "key1"} or {"keyName": "key2"}.'
			);
		}
		const { operation, after } = regenerateOperation(world, account, keyName);
		return call.finish(armResponse(world, request, 200, storageKeysBody(after)), {
			operations: [operation],
			detail: `ARM regenerated ${keyName} of ${account.name}: requests signed with the old ${keyName}, and connection strings that carry it, now fail with 403 AuthenticationFailed.`
		});
	}
	if (request.method.toUpperCase() !== 'GET') {
		return fail(
			405,
			'MethodNotAllowed',
			`The requested resource does not support http method '${request.method.toUpperCase()}'.`,
			"This lab's ARM endpoint answers reads (GET) and a storage account's listKeys and regenerateKey (POST). Make other changes with az commands or the portal, which apply the same operations."
		);
	}
	if (r.op === 'unknownPath') {
		return fail(
			404,
			'NotFound',
			`The requested path '${url.pathname}' was not found.`,
			'ARM paths start with /subscriptions/{id}: /resourceGroups, /resourceGroups/{name}, /resourceGroups/{name}/resources, a full resource id, or {scope}/providers/Microsoft.Authorization/roleAssignments.'
		);
	}
	if (r.op === 'listSubscriptions') return listSubscriptions(call, world, request, caller);

	const subId = 'sub' in r ? r.sub : (/^\/subscriptions\/([^/]+)/i.exec(r.scope)?.[1] ?? null);
	if (subId !== null && findSubscription(world, subId) === undefined) {
		return fail(
			404,
			'SubscriptionNotFound',
			`The subscription '${subId}' could not be found.`,
			`No subscription with id ${subId} exists in this tenant. az account show prints the id of the current subscription.`
		);
	}
	const denied = (action: string, scope: string, decision: AuthorizationDecision) => {
		const text = explainDecision(decision);
		call.rbacCheck(
			{ principalId: caller.principalId, action, scope, plane: 'control' },
			decision,
			text
		);
		return fail(
			403,
			'AuthorizationFailed',
			authorizationFailedMessage(caller, action, scope),
			text
		);
	};
	const check = (action: string, scope: string): AuthorizationDecision =>
		authorize(world, caller.principalId, action, scope, 'control');

	switch (r.op) {
		case 'readSubscription': {
			const sub = findSubscription(world, r.sub) as Subscription;
			const decision = check(ARM_ACTIONS.readSubscription, sub.id);
			if (!decision.allowed) return denied(ARM_ACTIONS.readSubscription, sub.id, decision);
			call.rbacCheck(
				{
					principalId: caller.principalId,
					action: ARM_ACTIONS.readSubscription,
					scope: sub.id,
					plane: 'control'
				},
				decision,
				explainDecision(decision)
			);
			return respond(200, subscriptionBody(world, sub));
		}
		case 'listResourceGroups': {
			const sub = findSubscription(world, r.sub) as Subscription;
			const groups = Object.values(world.resourceGroups)
				.filter((g) => g.subscriptionId.toLowerCase() === sub.subscriptionId.toLowerCase())
				.sort((a, b) => a.name.localeCompare(b.name));
			const readable = groups.filter((g) => check(ARM_ACTIONS.readResourceGroup, g.id).allowed);
			const atSubscription = check(ARM_ACTIONS.readResourceGroup, sub.id);
			if (!atSubscription.allowed && readable.length === 0)
				return denied(ARM_ACTIONS.readResourceGroup, sub.id, atSubscription);
			call.check(
				'authorize',
				'Authorize (Azure RBAC)',
				true,
				listDetail(readable.length, groups.length, 'resource group', atSubscription)
			);
			return respond(200, { value: readable.map(groupBody) });
		}
		case 'readResourceGroup': {
			const scope = `/subscriptions/${r.sub}/resourceGroups/${r.rg}`;
			const decision = check(ARM_ACTIONS.readResourceGroup, scope);
			if (!decision.allowed) return denied(ARM_ACTIONS.readResourceGroup, scope, decision);
			call.rbacCheck(
				{
					principalId: caller.principalId,
					action: ARM_ACTIONS.readResourceGroup,
					scope: scope,
					plane: 'control'
				},
				decision,
				explainDecision(decision)
			);
			const group = findGroup(world, r.sub, r.rg);
			if (group === undefined) return groupNotFound(fail, r.rg);
			return respond(200, groupBody(group));
		}
		case 'listResources': {
			const scope =
				r.rg === null
					? `/subscriptions/${r.sub}`
					: `/subscriptions/${r.sub}/resourceGroups/${r.rg}`;
			const action =
				r.rg === null ? ARM_ACTIONS.listResourcesInSubscription : ARM_ACTIONS.listResourcesInGroup;
			const group = r.rg === null ? null : findGroup(world, r.sub, r.rg);
			const inScope = Object.values(world.resources)
				.filter((res) => res.subscriptionId.toLowerCase() === r.sub.toLowerCase())
				.filter((res) => r.rg === null || res.resourceGroup.toLowerCase() === r.rg.toLowerCase())
				.sort((a, b) => a.id.localeCompare(b.id));
			const readable = inScope.filter((res) => check(readAction(res), res.id).allowed);
			const atScope = check(action, scope);
			if (!atScope.allowed && readable.length === 0) return denied(action, scope, atScope);
			call.check(
				'authorize',
				'Authorize (Azure RBAC)',
				true,
				listDetail(readable.length, inScope.length, 'resource', atScope)
			);
			if (r.rg !== null && group === undefined) return groupNotFound(fail, r.rg);
			return respond(200, { value: readable.map((res) => listedResource(world, res)) });
		}
		case 'listRoleAssignments':
		case 'readRoleAssignment': {
			const decision = check(ARM_ACTIONS.readRoleAssignments, r.scope);
			if (!decision.allowed) return denied(ARM_ACTIONS.readRoleAssignments, r.scope, decision);
			call.rbacCheck(
				{
					principalId: caller.principalId,
					action: ARM_ACTIONS.readRoleAssignments,
					scope: r.scope,
					plane: 'control'
				},
				decision,
				explainDecision(decision)
			);
			if (r.op === 'readRoleAssignment') {
				const found = liveAssignments(world).find(
					(a) =>
						a.name.toLowerCase() === r.name.toLowerCase() &&
						normalizeScope(a.scope) === normalizeScope(r.scope)
				);
				if (found === undefined) {
					return fail(
						404,
						'RoleAssignmentNotFound',
						`The role assignment '${r.name}' is not found.`,
						`No role assignment named ${r.name} exists at ${r.scope} (deleted assignments disappear from ARM at once). List them with az role assignment list --scope ${r.scope}.`
					);
				}
				return respond(200, armRoleAssignment(world, found));
			}
			const list = roleAssignmentsFor(world, r.scope, url.searchParams.get('$filter'));
			return respond(200, { value: list.map((a) => armRoleAssignment(world, a)) });
		}
		case 'readResource': {
			const action = `${r.type}/read`;
			const decision = check(action, r.id);
			if (!decision.allowed) return denied(action, r.id, decision);
			call.rbacCheck(
				{ principalId: caller.principalId, action: action, scope: r.id, plane: 'control' },
				decision,
				explainDecision(decision)
			);
			if (findGroup(world, r.sub, r.rg) === undefined) return groupNotFound(fail, r.rg);
			const resource = own(world.resources, idKey(r.id));
			if (resource === undefined) {
				return fail(
					404,
					'ResourceNotFound',
					`The Resource '${r.type}/${r.name}' under resource group '${r.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
					`Resource group ${r.rg} has no ${r.type} named ${r.name}. Check the name with az resource list --resource-group ${r.rg}.`
				);
			}
			return respond(200, armResource(world, resource));
		}
	}
}

function groupNotFound(
	fail: (status: number, code: string, message: string, explanation: string) => ServiceResult,
	rg: string
): ServiceResult {
	return fail(
		404,
		'ResourceGroupNotFound',
		`Resource group '${rg}' could not be found.`,
		`No resource group named ${rg} exists in this subscription. List them with az group list.`
	);
}

function listDetail(
	shown: number,
	total: number,
	noun: string,
	atScope: AuthorizationDecision
): string {
	const base = `ARM lists only what the caller may read: ${shown} of ${total} ${noun}(s).`;
	return atScope.allowed
		? `${atScope.reason} ${base}`
		: `${base} The caller has no read access on the whole scope, only on some ${noun}s below it.`;
}

/** Assignments ARM still lists: a deleted one disappears from ARM at once, even while its removal propagates. */
function liveAssignments(world: World): RoleAssignment[] {
	return Object.values(world.roleAssignments).filter((a) => a.removedAt === null);
}

/**
 * Role assignments for a scope as ARM lists them: at the scope, above it and below it; `$filter=atScope()` keeps
 * the scope and above, `$filter=principalId eq '{id}'` one principal (both may be combined with `and`).
 */
function roleAssignmentsFor(world: World, scope: string, filter: string | null): RoleAssignment[] {
	const key = normalizeScope(scope);
	const above = new Set(ancestorScopeKeys(scope, world));
	const atScopeOnly = filter !== null && /atScope\(\)/i.test(filter);
	const principal =
		filter === null
			? null
			: (/principalId\s+eq\s+'([^']+)'/i.exec(filter)?.[1]?.toLowerCase() ?? null);
	return liveAssignments(world)
		.filter((a) => {
			const s = normalizeScope(a.scope);
			const related = above.has(s) || (!atScopeOnly && (key === '/' || s.startsWith(`${key}/`)));
			return related && (principal === null || a.principalId.toLowerCase() === principal);
		})
		.sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
}

/** `GET /subscriptions`: the subscriptions where the caller holds a role assignment (at, above or below them). */
function listSubscriptions(
	call: ServiceCall,
	world: World,
	request: HttpRequest,
	caller: AcceptedToken
): ServiceResult {
	const mine = liveAssignments(world).filter(
		(a) => a.principalId.toLowerCase() === caller.principalId
	);
	const subs = Object.values(world.subscriptions).filter((s) => {
		const key = normalizeScope(s.id);
		const above = new Set(ancestorScopeKeys(s.id, world));
		return mine.some((a) => {
			const scope = normalizeScope(a.scope);
			return above.has(scope) || scope.startsWith(`${key}/`);
		});
	});
	call.check(
		'authorize',
		'Authorize (Azure RBAC)',
		true,
		subs.length === 0
			? 'This identity holds no role assignment in any subscription, so the list is empty: a managed identity sees only subscriptions where it has been given a role.'
			: `ARM lists the subscriptions where this identity holds a role assignment: ${subs.map((s) => s.displayName).join(', ')}.`
	);
	const body = {
		value: subs.map((s) => subscriptionBody(world, s)),
		count: { type: 'Total', value: subs.length }
	};
	return call.finish(armResponse(world, request, 200, body));
}
