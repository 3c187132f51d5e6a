import { describe, expect, it } from 'vitest';
import {
	defaultSubscriptionId,
	directoryObjectType,
	findResourcesByName,
	findServicePrincipalByAppId,
	getResource,
	getServicePrincipal,
	getUserIdentity,
	isIdentityHost,
	isOrphaned,
	ownEntry,
	principalDisplayName,
	resourcesUsingIdentity
} from '../../../src/core/azure/queries.ts';
import { DEFAULT_IDS } from '../../../src/core/azure/default-world.ts';
import {
	SARAH,
	STORAGE,
	SUB_ID,
	UAMI,
	VAULT,
	VM_APP,
	WEB_APP,
	defaultWorld,
	runAll,
	uami
} from './helpers.ts';

const world = runAll(defaultWorld(), [
	{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock' },
	{ type: 'assignUserIdentity', resourceId: VM_APP, identityId: UAMI },
	{ type: 'assignUserIdentity', resourceId: WEB_APP, identityId: UAMI }
]);

describe('queries', () => {
	it('finds resources by id in any case, and nothing for inherited property names', () => {
		expect(getResource(world, VM_APP.toUpperCase())?.name).toBe('vm-stock-app');
		expect(getResource(world, `${VM_APP}/`)?.name).toBe('vm-stock-app');
		for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty', ''])
			expect(getResource(world, id)).toBeUndefined();
	});

	it('finds resources by name, kind and group', () => {
		expect(findResourcesByName(world, 'KV-STOCK').map((r) => r.id)).toEqual([VAULT]);
		expect(findResourcesByName(world, 'kv-stock', 'storageAccount')).toEqual([]);
		expect(
			findResourcesByName(world, 'ststockdata', ['keyVault', 'storageAccount'], 'RG-Stock').map(
				(r) => r.id
			)
		).toEqual([STORAGE]);
		expect(findResourcesByName(world, 'ststockdata', undefined, 'rg-other')).toEqual([]);
	});

	it('tells identity hosts and user-assigned identities apart', () => {
		expect(isIdentityHost(world.resources[VM_APP.toLowerCase()] ?? uami(world, UAMI))).toBe(true);
		expect(isIdentityHost(uami(world, UAMI))).toBe(false);
		expect(getUserIdentity(world, UAMI)?.name).toBe('id-stock');
		expect(getUserIdentity(world, VM_APP)).toBeUndefined();
	});

	it('lists the resources that use an identity; orphaned means none', () => {
		expect(resourcesUsingIdentity(world, UAMI.toLowerCase()).map((r) => r.name)).toEqual([
			'vm-stock-app',
			'app-stock-web'
		]);
		expect(isOrphaned(world, UAMI)).toBe(false);
		const detached = runAll(world, [
			{ type: 'unassignUserIdentity', resourceId: VM_APP, identityId: UAMI },
			{ type: 'unassignUserIdentity', resourceId: WEB_APP, identityId: UAMI }
		]);
		expect(isOrphaned(detached, UAMI)).toBe(true);
	});

	it('finds principals by object id and app id, and names them', () => {
		const identity = uami(world, UAMI);
		expect(getServicePrincipal(world, identity.principalId.toUpperCase())?.displayName).toBe(
			'id-stock'
		);
		expect(findServicePrincipalByAppId(world, identity.clientId.toUpperCase())?.id).toBe(
			identity.principalId
		);
		expect(directoryObjectType(world, SARAH)).toBe('User');
		expect(directoryObjectType(world, identity.principalId)).toBe('ServicePrincipal');
		expect(principalDisplayName(world, SARAH.toUpperCase())).toBe('Sarah');
		expect(principalDisplayName(world, DEFAULT_IDS.msiFirstPartyId)).toBe(
			'Managed Service Identity'
		);
		for (const id of [
			'0badc0de-0000-4000-8000-000000000000',
			'constructor',
			'__proto__',
			'valueOf'
		]) {
			expect(directoryObjectType(world, id)).toBeUndefined();
			expect(getServicePrincipal(world, id)).toBeUndefined();
			expect(principalDisplayName(world, id)).toBe('Identity not found');
		}
	});

	it('reads only entries a record holds itself', () => {
		const record: Record<string, number> = { a: 1, constructor: 2 };
		expect(ownEntry(record, 'a')).toBe(1);
		expect(ownEntry(record, 'constructor')).toBe(2);
		expect(ownEntry(record, 'toString')).toBeUndefined();
		expect(ownEntry(record, '__proto__')).toBeUndefined();
	});

	it('knows the default subscription', () => {
		expect(defaultSubscriptionId(world)).toBe(SUB_ID);
		expect(defaultSubscriptionId({ ...world, subscriptions: {} })).toBe('');
	});
});
