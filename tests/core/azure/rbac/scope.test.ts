import { describe, it, expect } from 'vitest';
import {
	ancestorScopeKeys,
	ancestorScopes,
	describeScope,
	describeScopeLevel,
	isWithinScope,
	normalizeScope,
	parentScope,
	parseResourceId,
	scopeCoverage,
	topLevelResourceId
} from '../../../../src/core/azure/rbac/scope.ts';
import type { World } from '../../../../src/core/azure/model.ts';
import {
	BLOB,
	CONTAINER,
	CONTOSO_MG,
	OTHER_SUB,
	OTHER_SUBSCRIPTION_ID,
	RG,
	ROOT_MG,
	SECRET,
	STORAGE,
	SUB,
	SUBSCRIPTION_ID,
	TENANT_ID,
	VAULT,
	baseWorld
} from './world-fixture.ts';

const world = baseWorld();

describe('normalizeScope', () => {
	it.each([
		['/', '/'],
		['///', '/'],
		[' /Subscriptions/ABC/ ', '/subscriptions/abc'],
		['/subscriptions/abc/resourceGroups/RG-Stock//', '/subscriptions/abc/resourcegroups/rg-stock'],
		['', '']
	])('%j → %j', (input, expected) => {
		expect(normalizeScope(input)).toBe(expected);
	});
});

describe('describeScopeLevel', () => {
	it.each([
		['/', 'root'],
		[ROOT_MG, 'managementGroup'],
		[SUB, 'subscription'],
		[RG, 'resourceGroup'],
		[VAULT, 'resource'],
		[STORAGE.toUpperCase(), 'resource'],
		[SECRET, 'child'],
		[CONTAINER, 'child'],
		[BLOB, 'child'],
		[`${RG}/providers/Microsoft.Sql/servers/sql-stock/databases/db`, 'child']
	])('%s is a %s scope', (scope, level) => {
		expect(describeScopeLevel(scope)).toBe(level);
	});

	it.each([
		[''],
		['subscriptions/abc'],
		['/subscriptions'],
		['/subscriptions/abc/resourceGroups'],
		['/subscriptions/abc/resourceGroups/rg/providers/Microsoft.KeyVault'],
		['/subscriptions/abc/resourceGroups/rg/providers/Microsoft.KeyVault/vaults'],
		['/subscriptions//resourceGroups/rg'],
		['/providers/Microsoft.Management/managementGroups'],
		['/tenants/abc']
	])('%j is not a scope', (scope) => {
		expect(describeScopeLevel(scope)).toBeUndefined();
		expect(ancestorScopes(scope)).toEqual([]);
		expect(parentScope(scope)).toBeNull();
	});
});

describe('ancestorScopes', () => {
	const above = [SUB, CONTOSO_MG, ROOT_MG, '/'];

	it('climbs from a blob through container, account, group, subscription and management groups', () => {
		expect(ancestorScopes(BLOB, world)).toEqual([
			BLOB,
			CONTAINER,
			`${STORAGE}/blobServices/default`,
			STORAGE,
			RG,
			...above
		]);
	});

	it('climbs from a secret to its vault', () => {
		expect(ancestorScopes(SECRET, world)).toEqual([SECRET, VAULT, RG, ...above]);
	});

	it.each([
		['resource', VAULT, [VAULT, RG, ...above]],
		['resource group', RG, [RG, ...above]],
		['subscription', SUB, above],
		['management group', CONTOSO_MG, [CONTOSO_MG, ROOT_MG, '/']],
		['root management group', ROOT_MG, [ROOT_MG, '/']],
		['root', '/', ['/']]
	])('climbs from a %s', (_level, scope, expected) => {
		expect(ancestorScopes(scope, world)).toEqual(expected);
	});

	it('finds a management group given by name rather than by id', () => {
		// The second subscription names its management group by the tenant id (the root group's name).
		expect(ancestorScopes(OTHER_SUB, world)).toEqual([OTHER_SUB, ROOT_MG, '/']);
	});

	it('finds the subscription whatever the casing of the scope', () => {
		expect(ancestorScopeKeys(SUB.toUpperCase(), world)).toEqual(above.map((s) => s.toLowerCase()));
	});

	it('goes from a subscription straight to the root without a hierarchy, or when the subscription is unknown', () => {
		expect(ancestorScopes(RG)).toEqual([RG, SUB, '/']);
		expect(ancestorScopes('/subscriptions/unknown', world)).toEqual([
			'/subscriptions/unknown',
			'/'
		]);
	});

	it('keeps a management group it cannot find, then stops at the root', () => {
		const lonely = '/providers/Microsoft.Management/managementGroups/mg-missing';
		expect(ancestorScopes(lonely, world)).toEqual([lonely, '/']);
	});

	it('stops on a management-group cycle instead of looping', () => {
		const a = '/providers/Microsoft.Management/managementGroups/a';
		const b = '/providers/Microsoft.Management/managementGroups/b';
		const cyclic: World = {
			...world,
			managementGroups: {
				[a]: { id: a, name: 'a', displayName: 'A', parentId: b },
				[b]: { id: b, name: 'b', displayName: 'B', parentId: a }
			}
		};
		expect(ancestorScopes(a, cyclic)).toEqual([a, b, '/']);
	});

	it('sees a changed hierarchy (a new world object), not a stale memo', () => {
		const moved: World = {
			...world,
			subscriptions: {
				...world.subscriptions,
				[SUB.toLowerCase()]: {
					id: SUB,
					subscriptionId: SUBSCRIPTION_ID,
					displayName: 'Contoso Dev',
					tenantId: TENANT_ID,
					managementGroupId: ROOT_MG
				}
			}
		};
		expect(ancestorScopes(SUB, world)).toEqual(above);
		expect(ancestorScopes(SUB, moved)).toEqual([SUB, ROOT_MG, '/']);
	});
});

describe('parentScope and isWithinScope', () => {
	it.each([
		[BLOB, CONTAINER],
		[VAULT, RG],
		[RG, SUB],
		[SUB, CONTOSO_MG],
		[CONTOSO_MG, ROOT_MG],
		[ROOT_MG, '/']
	])('the parent of %s is %s', (scope, parent) => {
		expect(parentScope(scope, world)).toBe(parent);
	});

	it('gives the root no parent', () => {
		expect(parentScope('/', world)).toBeNull();
	});

	it.each([
		[SECRET, VAULT, true],
		[SECRET.toUpperCase(), `${VAULT.toLowerCase()}/`, true],
		[VAULT, VAULT, true],
		[VAULT, SECRET, false],
		[`${RG}/providers/Microsoft.KeyVault/vaults/kv-stock2`, VAULT, false],
		[`${SUB}/resourceGroups/rg-stock2`, RG, false],
		[BLOB, CONTOSO_MG, true],
		[BLOB, '/', true],
		[`/subscriptions/${OTHER_SUBSCRIPTION_ID}/resourceGroups/rg`, CONTOSO_MG, false],
		[`/subscriptions/${OTHER_SUBSCRIPTION_ID}/resourceGroups/rg`, ROOT_MG, true],
		['not a scope', '/', false]
	])('%s within %s → %s', (scope, ancestor, expected) => {
		expect(isWithinScope(scope, ancestor, world)).toBe(expected);
	});

	it('cannot place a subscription under a management group without the hierarchy', () => {
		expect(isWithinScope(RG, CONTOSO_MG)).toBe(false);
	});
});

describe('parseResourceId and topLevelResourceId', () => {
	it('splits a container id into provider, types and names', () => {
		expect(parseResourceId(CONTAINER)).toEqual({
			subscriptionId: SUBSCRIPTION_ID,
			resourceGroup: 'rg-stock',
			provider: 'Microsoft.Storage',
			types: ['storageAccounts', 'blobServices', 'containers'],
			names: ['ststockdata', 'default', 'reports']
		});
	});

	it('keeps the slashes of a blob name', () => {
		expect(parseResourceId(BLOB)?.names).toEqual([
			'ststockdata',
			'default',
			'reports',
			'2026/q1.csv'
		]);
		expect(parseResourceId(BLOB)?.types.at(-1)).toBe('blobs');
	});

	it('returns undefined for scopes that are not resources', () => {
		expect(parseResourceId(RG)).toBeUndefined();
		expect(parseResourceId(SUB)).toBeUndefined();
		expect(parseResourceId('/')).toBeUndefined();
		expect(parseResourceId('nonsense')).toBeUndefined();
	});

	it.each([
		[BLOB, STORAGE],
		[SECRET, VAULT],
		[VAULT, VAULT],
		[RG, undefined]
	])('the top-level resource of %s is %s', (scope, expected) => {
		expect(topLevelResourceId(scope)).toBe(expected);
	});
});

describe('describeScope', () => {
	it.each([
		['/', 'the root scope (/)'],
		[CONTOSO_MG, 'management group Contoso'],
		[SUB, 'subscription Contoso Dev'],
		[RG, 'resource group rg-stock'],
		[VAULT, 'key vault kv-stock'],
		[SECRET, 'secret db-password in key vault kv-stock'],
		[STORAGE, 'storage account ststockdata'],
		[BLOB, 'blob 2026/q1.csv in container reports in storage account ststockdata'],
		[
			`${RG}/providers/Microsoft.Sql/servers/sql-stock/databases/db`,
			'SQL database db in SQL server sql-stock'
		],
		[`${RG}/providers/Microsoft.Fabrikam/widgets/w1`, 'widgets w1'],
		['nonsense', "'nonsense'"]
	])('%s reads as %j', (scope, expected) => {
		expect(describeScope(scope, world)).toBe(expected);
	});

	it('falls back to the subscription id without a world', () => {
		expect(describeScope(SUB)).toBe(`subscription ${SUBSCRIPTION_ID}`);
	});
});

describe('scopeCoverage', () => {
	const targets = [
		'/',
		ROOT_MG,
		CONTOSO_MG,
		SUB,
		OTHER_SUB,
		RG,
		VAULT,
		SECRET,
		STORAGE,
		CONTAINER,
		BLOB
	];
	const candidates = [
		...targets,
		`${RG}/providers/Microsoft.KeyVault/vaults/kv-stock2`,
		`${SUB}/resourceGroups/rg-stock2`,
		`/subscriptions/${OTHER_SUBSCRIPTION_ID}/resourceGroups/rg-stock`
	];

	it.each(targets)('agrees with ancestorScopeKeys and isWithinScope for %s', (target) => {
		const coverage = scopeCoverage(target.toUpperCase(), world);
		expect(coverage?.key).toBe(normalizeScope(target));
		expect(coverage?.ancestorKeys()).toEqual(ancestorScopeKeys(target, world));
		for (const candidate of candidates) {
			expect(coverage?.covers(normalizeScope(candidate))).toBe(
				isWithinScope(target, candidate, world)
			);
		}
	});

	it('ranks nearer ancestors higher, the root lowest', () => {
		const coverage = scopeCoverage(SECRET, world);
		const ranks = ancestorScopeKeys(SECRET, world).map((k) => coverage?.nearness(k) ?? NaN);
		expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
		expect(new Set(ranks).size).toBe(ranks.length);
	});

	it('gives the length of the top-level resource key, or of the whole key outside resources', () => {
		expect(scopeCoverage(BLOB, world)?.ownerLength).toBe(STORAGE.length);
		expect(scopeCoverage(`${RG}/`, world)?.ownerLength).toBe(RG.length);
	});

	it('returns null for text that is not a scope', () => {
		expect(scopeCoverage('kv-stock', world)).toBeNull();
		expect(scopeCoverage(`${RG}/providers/Microsoft.KeyVault`, world)).toBeNull();
	});
});
