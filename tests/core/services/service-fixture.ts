/** Helpers for the service tests: the default world with the fixture key, tokens, and calling a handler. */
import { expect } from 'vitest';
import type { EpochSeconds } from '../../../src/core/clock.ts';
import { createSigningKey, signAccessToken } from '../../../src/core/crypto/index.ts';
import type { SigningKey } from '../../../src/core/crypto/index.ts';
import { createDefaultWorld } from '../../../src/core/azure/default-world.ts';
import type { World } from '../../../src/core/azure/model.ts';
import type { Operation } from '../../../src/core/azure/operations/index.ts';
import type { HttpRequest, NetworkSource } from '../../../src/core/http/types.ts';
import type { KeyRing } from '../../../src/core/token/key-ring.ts';
import { managedIdentityClaims } from '../../../src/core/token/claims.ts';
import type { HandlerContext } from '../../../src/core/http/types.ts';
import type { ServiceResult } from '../../../src/core/services/exchange.ts';
import { grantRole, keyedWorld, systemIdentityOf, TENANT, VM_APP } from '../../fixtures/worlds.ts';

export * from '../../fixtures/worlds.ts';

let strangerKey: Promise<SigningKey> | undefined;

/** A key the tenant never published. */
export function loadStrangerKey(): Promise<SigningKey> {
	strangerKey ??= createSigningKey({
		now: createDefaultWorld().now,
		tenantId: TENANT
	});
	return strangerKey;
}

/** vm-stock-app, whose system-assigned identity the lab turns on. */
export const VM = VM_APP;
/** The tenant's v1 token issuer. */
export const V1_ISSUER = `https://sts.windows.net/${TENANT}/`;

/** The default world with the fixture key published and vm-stock-app's system-assigned identity on. */
export interface Lab {
	world: World;
	ring: KeyRing;
	key: SigningKey;
	principalId: string;
	clientId: string;
}

/** Builds the lab world, then applies `operations`. */
export async function lab(operations: readonly Operation[] = []): Promise<Lab> {
	const { world, ring, key } = await keyedWorld([
		{ type: 'enableSystemIdentity', resourceId: VM },
		...operations
	]);
	const system = systemIdentityOf(world, VM);
	if (!system) throw new Error('vm-stock-app has no identity');
	return { world, ring, key, principalId: system.principalId, clientId: system.clientId };
}

/** The lab with `role` on `scope` granted to the VM identity and propagated. */
export function withRole(l: Lab, role: string, scope: string): Lab {
	return { ...l, world: grantRole(l.world, role, scope, l.principalId) };
}

/** Claims of a token for the VM identity, as Entra ID issues them, with overrides. */
export function claimsFor(
	l: Lab,
	resource: string,
	overrides: Record<string, unknown> = {},
	world = l.world
): Record<string, unknown> {
	return {
		...managedIdentityClaims(world, {
			resource,
			principalId: l.principalId,
			clientId: l.clientId,
			identityResourceId: VM,
			issuedAt: world.now
		}),
		...overrides
	};
}

/** A signed token for the VM identity (fixture key unless another is given). */
export async function mint(
	l: Lab,
	resource: string,
	overrides: Record<string, unknown> = {},
	key?: SigningKey,
	world = l.world
): Promise<string> {
	return signAccessToken(key ?? l.key, claimsFor(l, resource, overrides, world));
}

/** The token with one payload claim changed after signing (the signature no longer matches). */
export function tamper(token: string, claims: Record<string, unknown>): string {
	const [h, p, s] = token.split('.');
	const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as Record<
		string,
		unknown
	>;
	const changed = Buffer.from(JSON.stringify({ ...payload, ...claims }), 'utf8').toString(
		'base64url'
	);
	return `${h ?? ''}.${changed}.${s ?? ''}`;
}

/** Epoch seconds (for claims). */
export function at(world: World, offset: number): EpochSeconds {
	return (world.now + offset) as EpochSeconds;
}

/** Calls a handler from a source (the VM by default). */
export async function call(
	handler: (ctx: HandlerContext, request: HttpRequest, url: URL) => Promise<ServiceResult>,
	l: Pick<Lab, 'ring'>,
	world: World,
	request: HttpRequest,
	source: NetworkSource = { kind: 'resource', resourceId: VM }
): Promise<ServiceResult> {
	return handler({ world, source, env: { keyRing: l.ring } }, request, new URL(request.url));
}

/** A GET with optional headers. */
export function get(url: string, headers: Record<string, string> = {}): HttpRequest {
	return { method: 'GET', url, headers };
}

/** The result's recordServiceCall operation (exactly one, last). */
export function recorded(result: ServiceResult): Extract<Operation, { type: 'recordServiceCall' }> {
	const last = result.operations[result.operations.length - 1];
	expect(last?.type).toBe('recordServiceCall');
	return last as Extract<Operation, { type: 'recordServiceCall' }>;
}

/** The hops' kinds, titles and outcomes, compactly. */
export function hopTrail(result: ServiceResult): string[] {
	return result.hops.map((h) => `${h.kind}:${h.ok ? 'ok' : 'fail'}`);
}

/** The JSON body of a response. */
export function json(result: ServiceResult): Record<string, unknown> {
	return JSON.parse(result.response.body) as Record<string, unknown>;
}
