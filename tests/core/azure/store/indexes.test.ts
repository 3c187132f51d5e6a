import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Operation } from '../../../../src/core/azure/operations/index.ts';
import { applyOperation } from '../../../../src/core/azure/operations/index.ts';
import type { World } from '../../../../src/core/azure/model.ts';
import { createDefaultWorld } from '../../../../src/core/azure/default-world.ts';
import { snapshotWorld } from '../../../../src/core/azure/snapshot.ts';
import { findInconsistencies } from '../../../../src/core/azure/invariants.ts';
import { idKey } from '../../../../src/core/azure/naming.ts';
import { addSeconds } from '../../../../src/core/clock.ts';
import { authorize } from '../../../../src/core/azure/rbac/authorize.ts';
import {
	indexOf,
	isPersistentRecord,
	setPersistentThreshold,
	type IndexSpec
} from '../../../../src/core/azure/store/record.ts';
import {
	assignmentsByScope,
	assignmentsUnderResource,
	databasesByServer,
	expiryQueue,
	groupsByName,
	hostsByUserIdentity,
	nonAsciiEntries,
	principalsByAppId,
	principalsByDisplayName,
	removalQueue,
	resourcesByName,
	tokensByKid,
	tokensByPrincipal,
	type MultiIndex
} from '../../../../src/core/azure/store/indexes.ts';
import { dequeue, type TimeQueue } from '../../../../src/core/azure/store/queue.ts';
import { RG, SQL_SERVER, STORAGE, SUB, VAULT, idOf } from '../helpers.ts';

afterEach(() => {
	setPersistentThreshold(512);
});

const NAMES = ['a', 'b', 'c'];
const hostIds = [
	idOf('virtualMachine', 'vm-stock-app'),
	idOf('virtualMachine', 'vm-stock-web-1'),
	idOf('webApp', 'app-stock-web'),
	...NAMES.map((n) => idOf('virtualMachine', `vm-${n}`))
];
const identityIds = NAMES.map((n) => idOf('userAssignedIdentity', `id-${n}`));
const scopes = [SUB, RG, VAULT, STORAGE, SQL_SERVER, `${VAULT}/secrets/db-password`, ...hostIds];

/** An operation chosen by index from a fixed menu over the default world (some will be refused). */
type Maker = (world: World) => Operation;

/** The operation, typed by its context (keeps the literals below checked against Operation). */
const op = (operation: Operation): Operation => operation;

function operationArb(): fc.Arbitrary<Maker> {
	const pick = <T>(list: readonly T[]) => fc.nat().map((n) => list[n % list.length] as T);
	const makers: fc.Arbitrary<Maker>[] = [
		// Text outside ASCII comes and goes in an entry of the large resources record (nonAsciiEntries).
		fc.tuple(pick(['a.csv', 'b.csv', 'ç.csv']), pick(['plain', 'naïve', '日本 😀'])).map(
			([name, content]): Maker =>
				() =>
					op({ type: 'putBlob', accountId: STORAGE, container: 'quotes', name, content })
		),
		pick(NAMES).map(
			(n): Maker =>
				() =>
					op({
						type: 'createVirtualMachine',
						resourceGroup: 'rg-stock',
						name: `vm-${n}`,
						identity: { systemAssigned: true }
					})
		),
		pick(NAMES).map(
			(n): Maker =>
				() =>
					op({ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: `id-${n}` })
		),
		fc.tuple(pick(hostIds), pick(identityIds)).map(
			([resourceId, identityId]): Maker =>
				() =>
					op({ type: 'assignUserIdentity', resourceId, identityId })
		),
		fc.tuple(pick(hostIds), pick(identityIds)).map(
			([resourceId, identityId]): Maker =>
				() =>
					op({ type: 'unassignUserIdentity', resourceId, identityId })
		),
		pick(hostIds).map(
			(resourceId): Maker =>
				() =>
					op({ type: 'enableSystemIdentity', resourceId })
		),
		pick(hostIds).map(
			(resourceId): Maker =>
				() =>
					op({ type: 'disableSystemIdentity', resourceId })
		),
		pick([...hostIds, ...identityIds, SQL_SERVER, STORAGE]).map(
			(resourceId): Maker =>
				() =>
					op({ type: 'deleteResource', resourceId })
		),
		fc
			.tuple(pick(scopes), fc.nat(), pick(['Reader', 'Key Vault Secrets User', 'Owner']))
			.map(([scope, n, role]): Maker => (world) => {
				const principals = Object.keys(world.directory.servicePrincipals);
				return op({
					type: 'createRoleAssignment',
					role,
					scope,
					principalId: principals[n % principals.length] ?? ''
				});
			}),
		fc.nat().map((n): Maker => (world) => {
			const names = Object.keys(world.roleAssignments);
			return op({ type: 'deleteRoleAssignment', id: names[n % names.length] ?? 'none' });
		}),
		fc.constantFrom(60, 600, 3600).map(
			(seconds): Maker =>
				() =>
					op({ type: 'advanceClock', seconds })
		),
		fc.constantFrom(0, 300).map(
			(seconds): Maker =>
				() =>
					op({ type: 'setPropagationDelay', seconds })
		),
		fc
			.tuple(
				pick(hostIds),
				fc.constantFrom('https://vault.azure.net', 'https://storage.azure.com/'),
				fc.constantFrom(600, 7200)
			)
			.map(([hostId, resource, life]): Maker => (world) => {
				const sps = Object.values(world.directory.servicePrincipals);
				const sp = sps[hostId.length % sps.length];
				return op({
					type: 'recordToken',
					hostId,
					endpoint: 'imds',
					fromCache: false,
					token: {
						principalId: sp?.id ?? 'nobody',
						clientId: sp?.appId ?? 'nobody',
						resource,
						accessToken: 'x',
						issuedAt: world.now,
						expiresOn: addSeconds(world.now, life),
						kid: 'k1'
					}
				});
			})
	];
	return fc.oneof(...makers);
}

function multiEntries(index: MultiIndex): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	index.forEach((k, v) => {
		out[k] = [...v];
	});
	return out;
}

function queueEntries(queue: TimeQueue | null): string[] {
	const out: string[] = [];
	for (let q = queue; q !== null; q = dequeue(q)) out.push(`${q.at}|${q.key}`);
	return out.sort();
}

/** Every index the world carries equals the same index built by a plain scan of a JSON copy. */
function expectIndexesMatchScan(world: World): void {
	const plain = JSON.parse(JSON.stringify(world)) as World;
	const multi: [Record<string, unknown>, Record<string, unknown>, IndexSpec<never, MultiIndex>][] =
		[
			[world.resources, plain.resources, resourcesByName],
			[world.resources, plain.resources, hostsByUserIdentity],
			[world.resources, plain.resources, databasesByServer],
			[world.resourceGroups, plain.resourceGroups, groupsByName],
			[world.directory.servicePrincipals, plain.directory.servicePrincipals, principalsByAppId],
			[
				world.directory.servicePrincipals,
				plain.directory.servicePrincipals,
				principalsByDisplayName
			],
			[world.roleAssignments, plain.roleAssignments, assignmentsByScope],
			[world.roleAssignments, plain.roleAssignments, assignmentsUnderResource],
			[world.tokenCache, plain.tokenCache, tokensByPrincipal],
			[world.tokenCache, plain.tokenCache, tokensByKid]
		];
	for (const [record, copy, spec] of multi) {
		expect(multiEntries(indexOf(record, spec)), spec.name).toEqual(
			multiEntries(spec.build(copy as never))
		);
	}
	for (const [record, copy] of [
		[world.resources, plain.resources],
		[world.directory.servicePrincipals, plain.directory.servicePrincipals],
		[world.roleAssignments, plain.roleAssignments],
		[world.tokenCache, plain.tokenCache]
	] as const) {
		expect(indexOf(record, nonAsciiEntries), nonAsciiEntries.name).toEqual(
			nonAsciiEntries.build(copy)
		);
	}
	// The queues may hold entries that no longer apply (lazy deletion), but never miss one that does.
	const removals = queueEntries(indexOf(world.roleAssignments, removalQueue));
	for (const entry of queueEntries(removalQueue.build(plain.roleAssignments)))
		expect(removals).toContain(entry);
	const expiries = queueEntries(indexOf(world.tokenCache, expiryQueue));
	for (const entry of queueEntries(expiryQueue.build(plain.tokenCache)))
		expect(expiries).toContain(entry);
}

/** authorize on the world (carried index) decides and explains as on a JSON copy (index built afresh). */
function expectAuthorizeMatchesFreshIndex(world: World): void {
	const plain = JSON.parse(JSON.stringify(world)) as World;
	const principals = [...new Set(Object.values(world.roleAssignments).map((a) => a.principalId))];
	for (const principal of principals) {
		for (const scope of [
			RG,
			VAULT,
			`${VAULT}/secrets/db-password`,
			STORAGE,
			...hostIds.slice(0, 3)
		]) {
			for (const [action, plane] of [
				['Microsoft.KeyVault/vaults/secrets/getSecret/action', 'data'],
				['Microsoft.Compute/virtualMachines/read', 'control']
			] as const) {
				const a = authorize(world, principal, action, scope, plane);
				const b = authorize(plain, principal, action, scope, plane);
				expect({ ...a }).toEqual({ ...b });
			}
		}
	}
}

describe('indexes carried by the operations', () => {
	for (const [label, threshold] of [
		['plain records (small worlds)', 512],
		['persistent records', 0]
	] as const) {
		it(`equal a plain scan after random operation sequences: ${label}`, () => {
			fc.assert(
				fc.property(fc.array(operationArb(), { minLength: 1, maxLength: 25 }), (makers) => {
					setPersistentThreshold(threshold);
					let world = createDefaultWorld();
					// Indexes exist from the start, as in a session where the terminal and services have used them.
					expectIndexesMatchScan(world);
					authorize(world, 'x', 'Microsoft.Compute/virtualMachines/read', RG, 'control');
					for (const make of makers) {
						const result = applyOperation(world, make(world));
						if (result.ok) world = result.value.world;
					}
					expectIndexesMatchScan(world);
					expectAuthorizeMatchesFreshIndex(world);
					expect(findInconsistencies(world)).toEqual([]);
				}),
				{ numRuns: 60 }
			);
		});
	}

	it('gives the same worlds, byte for byte, with plain and with persistent records', () => {
		fc.assert(
			fc.property(fc.array(operationArb(), { minLength: 1, maxLength: 25 }), (makers) => {
				const run = (threshold: number): { snapshots: string[]; persistent: boolean } => {
					setPersistentThreshold(threshold);
					let world = createDefaultWorld();
					const snapshots: string[] = [];
					for (const make of makers) {
						const result = applyOperation(world, make(world));
						if (result.ok) world = result.value.world;
						snapshots.push(snapshotWorld(world));
					}
					return { snapshots, persistent: isPersistentRecord(world.resources) };
				};
				const plain = run(Number.POSITIVE_INFINITY);
				const persistent = run(0);
				expect(plain.persistent).toBe(false);
				expect(persistent.snapshots).toEqual(plain.snapshots);
			}),
			{ numRuns: 60 }
		);
	});

	it('settles due removals and expiries on advanceClock, and keeps the ones not yet due', () => {
		setPersistentThreshold(0);
		let world = createDefaultWorld();
		const principalId = Object.keys(world.directory.servicePrincipals)[0] ?? '';
		const step = (operation: Operation): void => {
			const result = applyOperation(world, operation);
			if (!result.ok) throw new Error(result.error.message);
			world = result.value.world;
		};
		step({ type: 'setPropagationDelay', seconds: 300 });
		step({ type: 'createRoleAssignment', role: 'Reader', scope: VAULT, principalId });
		step({ type: 'createRoleAssignment', role: 'Reader', scope: STORAGE, principalId });
		const [first, second] = Object.values(world.roleAssignments).filter(
			(a) => a.principalId === principalId
		);
		step({ type: 'deleteRoleAssignment', id: first?.id ?? '' });
		step({ type: 'advanceClock', seconds: 120 });
		step({ type: 'deleteRoleAssignment', id: second?.id ?? '' });
		step({ type: 'advanceClock', seconds: 200 });
		expect(world.roleAssignments[first?.name ?? '']).toBeUndefined();
		expect(world.roleAssignments[second?.name ?? '']?.removedAt).not.toBeNull();
		step({ type: 'advanceClock', seconds: 200 });
		expect(world.roleAssignments[second?.name ?? '']).toBeUndefined();
		expect(idKey(VAULT)).toBe(idKey(`${VAULT}/`));
	});
});
