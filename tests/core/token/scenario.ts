/** Scenario helpers for the token tests: identity changes, the clock, and calling an identity endpoint. */
import { DEFAULT_START } from '../../../src/core/clock.ts';
import { DEFAULT_GROUP } from '../../../src/core/azure/default-world.ts';
import type { UserAssignedIdentityResource, World } from '../../../src/core/azure/model.ts';
import { getResource } from '../../../src/core/azure/queries.ts';
import type {
	HandlerContext,
	HandlerResult,
	HttpRequest,
	NetworkSource
} from '../../../src/core/http/types.ts';
import type { KeyRing } from '../../../src/core/token/key-ring.ts';
import { apply, idOf, VM_APP, WEB_APP } from '../../fixtures/worlds.ts';

export * from '../../fixtures/worlds.ts';

/** The VM vm-stock-app. */
export const VM = VM_APP;
/** The web app app-stock-web. */
export const WEB = WEB_APP;

/** Creates a user-assigned identity in rg-stock; returns the world and the identity. */
export function createUami(
	world: World,
	name: string
): { world: World; uami: UserAssignedIdentityResource } {
	const next = apply(world, [{ type: 'createUserIdentity', resourceGroup: DEFAULT_GROUP, name }]);
	const uami = getResource(next, idOf('userAssignedIdentity', name));
	if (uami?.kind !== 'userAssignedIdentity') throw new Error('no identity');
	return { world: next, uami };
}

/** Assigns a user-assigned identity to a host. */
export function assign(world: World, hostId: string, identityId: string): World {
	return apply(world, [{ type: 'assignUserIdentity', resourceId: hostId, identityId }]);
}

/** Moves the clock. */
export function advance(world: World, seconds: number): World {
	return apply(world, [{ type: 'advanceClock', seconds }]);
}

/** A handler context for a source. */
export function context(world: World, ring: KeyRing, source: NetworkSource): HandlerContext {
	return { world, source, env: { keyRing: ring } };
}

/** A GET with headers. */
export function get(url: string, headers: Record<string, string> = {}): HttpRequest {
	return { method: 'GET', url, headers };
}

/** Calls a handler with a request value. */
export function call(
	handler: (ctx: HandlerContext, request: HttpRequest, url: URL) => Promise<HandlerResult>,
	ctx: HandlerContext,
	request: HttpRequest
): Promise<HandlerResult> {
	return handler(ctx, request, new URL(request.url));
}

/** The JSON body of a result. */
export function body(result: HandlerResult): Record<string, unknown> {
	return JSON.parse(result.response.body) as Record<string, unknown>;
}

/** The fixed world time every default world starts at. */
export const START = DEFAULT_START;
