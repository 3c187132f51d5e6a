/** Small scenario helpers for the token tests: the default world, the fixture key, and identity changes. */
import { readFileSync } from 'node:fs';
import { DEFAULT_START } from '../../../src/core/clock.ts';
import { importSigningKey } from '../../../src/core/crypto/index.ts';
import type { SigningKey } from '../../../src/core/crypto/index.ts';
import {
	createDefaultWorld,
	DEFAULT_GROUP,
	DEFAULT_IDS
} from '../../../src/core/azure/default-world.ts';
import type {
	IdentityHost,
	ResourceKind,
	UserAssignedIdentityResource,
	World
} from '../../../src/core/azure/model.ts';
import { applyOperations } from '../../../src/core/azure/operations/index.ts';
import type { Operation } from '../../../src/core/azure/operations/index.ts';
import { resourceId } from '../../../src/core/azure/naming.ts';
import { getResource } from '../../../src/core/azure/queries.ts';
import type {
	HandlerContext,
	HandlerResult,
	HttpRequest,
	NetworkSource
} from '../../../src/core/http/types.ts';
import { createKeyRing, publishSigningKey } from '../../../src/core/token/key-ring.ts';
import type { KeyRing } from '../../../src/core/token/key-ring.ts';

const fixture = (path: string): string =>
	readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');

let fixtureKey: Promise<SigningKey> | undefined;

/** The committed test signing key with its committed certificate (kid mUH8O983300mLhbhbLDTHkov720). */
export function loadFixtureKey(): Promise<SigningKey> {
	fixtureKey ??= importSigningKey(
		fixture('keys/test-signing-key.pem'),
		fixture('keys/test-signing-certificate.pem'),
		{
			tenantId: DEFAULT_IDS.tenantId
		}
	).then((r) => {
		if (!r.ok) throw new Error(r.error.message);
		return r.value;
	});
	return fixtureKey;
}

/** Applies operations, failing the test with the operation's message when one refuses. */
export function apply(world: World, operations: readonly Operation[]): World {
	const applied = applyOperations(world, operations);
	if (!applied.ok)
		throw new Error(`operation ${applied.error.index} refused: ${applied.error.message}`);
	return applied.value.world;
}

/** The default world with the fixture key published, and a ring holding its private half. */
export async function labWorld(): Promise<{ world: World; ring: KeyRing }> {
	const key = await loadFixtureKey();
	return {
		world: apply(createDefaultWorld(), [publishSigningKey(key)]),
		ring: createKeyRing([key])
	};
}

/** ARM id of a default-world resource. */
export function idOf(kind: ResourceKind, name: string): string {
	return resourceId(DEFAULT_IDS.subscriptionId, DEFAULT_GROUP, kind, name);
}

/** The VM vm-stock-app. */
export const VM = idOf('virtualMachine', 'vm-stock-app');
/** The web app app-stock-web. */
export const WEB = idOf('webApp', 'app-stock-web');

/** The identity host with this id (fails the test when absent). */
export function host(world: World, id: string): IdentityHost {
	const r = getResource(world, id);
	if (
		!r ||
		(r.kind !== 'virtualMachine' &&
			r.kind !== 'virtualMachineScaleSet' &&
			r.kind !== 'webApp' &&
			r.kind !== 'functionApp')
	) {
		throw new Error(`${id} is not an identity host`);
	}
	return r;
}

/** Turns on a host's system-assigned identity. */
export function enableSystem(world: World, id: string): World {
	return apply(world, [{ type: 'enableSystemIdentity', resourceId: id }]);
}

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
