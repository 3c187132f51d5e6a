/** Helpers for the service tests: the default world with the fixture key, tokens, and calling a handler. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { EpochSeconds } from '../../../src/core/clock.ts';
import {
	createSigningKey,
	importSigningKey,
	signAccessToken
} from '../../../src/core/crypto/index.ts';
import type { SigningKey } from '../../../src/core/crypto/index.ts';
import {
	createDefaultWorld,
	DEFAULT_GROUP,
	DEFAULT_IDS
} from '../../../src/core/azure/default-world.ts';
import type { ResourceKind, World } from '../../../src/core/azure/model.ts';
import { applyOperations } from '../../../src/core/azure/operations/index.ts';
import type { Operation } from '../../../src/core/azure/operations/index.ts';
import { resourceGroupId, resourceId } from '../../../src/core/azure/naming.ts';
import { getResource } from '../../../src/core/azure/queries.ts';
import type { HttpRequest, NetworkSource } from '../../../src/core/http/types.ts';
import { createKeyRing, publishSigningKey } from '../../../src/core/token/key-ring.ts';
import type { KeyRing } from '../../../src/core/token/key-ring.ts';
import { managedIdentityClaims } from '../../../src/core/token/claims.ts';
import type { HandlerContext } from '../../../src/core/http/types.ts';
import type { ServiceResult } from '../../../src/core/services/exchange.ts';

const fixture = (path: string): string =>
	readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');

let fixtureKey: Promise<SigningKey> | undefined;
let strangerKey: Promise<SigningKey> | undefined;

/** The committed test signing key. */
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

/** A key the tenant never published. */
export function loadStrangerKey(): Promise<SigningKey> {
	strangerKey ??= createSigningKey({
		now: createDefaultWorld().now,
		tenantId: DEFAULT_IDS.tenantId
	});
	return strangerKey;
}

/** Applies operations, failing the test with the operation's message when one refuses. */
export function apply(world: World, operations: readonly Operation[]): World {
	const applied = applyOperations(world, operations);
	if (!applied.ok)
		throw new Error(`operation ${applied.error.index} refused: ${applied.error.message}`);
	return applied.value.world;
}

/** ARM id of a default-world resource. */
export function idOf(kind: ResourceKind, name: string, parent?: string): string {
	return resourceId(DEFAULT_IDS.subscriptionId, DEFAULT_GROUP, kind, name, parent);
}

export const SUB = `/subscriptions/${DEFAULT_IDS.subscriptionId}`;
export const RG = resourceGroupId(DEFAULT_IDS.subscriptionId, DEFAULT_GROUP);
export const VM = idOf('virtualMachine', 'vm-stock-app');
export const VAULT = idOf('keyVault', 'kv-stock');
export const STORAGE = idOf('storageAccount', 'ststockdata');
export const SQL_SERVER = idOf('sqlServer', 'sql-stock');
export const SQL_DB = idOf('sqlDatabase', 'stockdb', 'sql-stock');
export const TENANT = DEFAULT_IDS.tenantId;
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
	const key = await loadFixtureKey();
	const world = apply(createDefaultWorld(), [
		publishSigningKey(key),
		{ type: 'enableSystemIdentity', resourceId: VM },
		...operations
	]);
	const vm = getResource(world, VM);
	if (vm?.kind !== 'virtualMachine' || vm.identity.systemAssigned === null)
		throw new Error('vm-stock-app has no identity');
	return {
		world,
		ring: createKeyRing([key]),
		key,
		principalId: vm.identity.systemAssigned.principalId,
		clientId: vm.identity.systemAssigned.clientId
	};
}

/** A role assignment of `role` on `scope` to the lab's VM identity. */
export function grant(l: Lab, role: string, scope: string, principalId = l.principalId): Operation {
	return { type: 'createRoleAssignment', role, scope, principalId };
}

/** Moves time past the propagation delay. */
export function propagate(world: World): World {
	return apply(world, [{ type: 'advanceClock', seconds: world.settings.propagationDelaySeconds }]);
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
