import { describe, expect, it } from 'vitest';
import type { ResourceKind } from '../../../src/core/azure/model.ts';
import {
	checkName,
	idKey,
	kindLabel,
	resourceGroupId,
	resourceId,
	subscriptionScope
} from '../../../src/core/azure/naming.ts';

const SUB = 'a1b2c3d4-0000-4000-8000-00000005707c';

describe('ARM ids', () => {
	it('forms subscription, group and resource ids with ARM casing', () => {
		expect(subscriptionScope(SUB)).toBe(`/subscriptions/${SUB}`);
		expect(resourceGroupId(SUB, 'rg-stock')).toBe(`/subscriptions/${SUB}/resourceGroups/rg-stock`);
		expect(resourceId(SUB, 'rg-stock', 'virtualMachine', 'vm-1')).toBe(
			`/subscriptions/${SUB}/resourceGroups/rg-stock/providers/Microsoft.Compute/virtualMachines/vm-1`
		);
		expect(resourceId(SUB, 'rg-stock', 'functionApp', 'func-1')).toBe(
			`/subscriptions/${SUB}/resourceGroups/rg-stock/providers/Microsoft.Web/sites/func-1`
		);
		expect(resourceId(SUB, 'rg-stock', 'userAssignedIdentity', 'id-1')).toBe(
			`/subscriptions/${SUB}/resourceGroups/rg-stock/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-1`
		);
	});

	it('forms a database id under its server', () => {
		expect(resourceId(SUB, 'rg', 'sqlDatabase', 'db', 'sql-1')).toBe(
			`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-1/databases/db`
		);
	});

	it.each([
		['/Subscriptions/ABC/ResourceGroups/RG', '/subscriptions/abc/resourcegroups/rg'],
		['  /subscriptions/abc/  ', '/subscriptions/abc'],
		['/subscriptions/abc///', '/subscriptions/abc'],
		['/', '/'],
		['', '']
	])('keys %j as %j', (id, key) => {
		expect(idKey(id)).toBe(key);
	});
});

describe('checkName', () => {
	const valid: [ResourceKind | 'resourceGroup', string][] = [
		['resourceGroup', 'rg-stock_(prod).1'],
		['virtualMachine', 'vm-stock-app'],
		['virtualMachineScaleSet', 'VMSS1'],
		['webApp', 'app-stock-web'],
		['functionApp', 'f1'],
		['storageAccount', 'ststockdata'],
		['keyVault', 'kv-stock'],
		['sqlServer', 'sql-stock'],
		['sqlDatabase', 'Stock DB (2026)'],
		['userAssignedIdentity', 'id_stock-1']
	];
	it.each(valid)('accepts a valid %s name %j', (kind, name) => {
		expect(checkName(kind, name)).toBeNull();
	});

	const invalid: [ResourceKind | 'resourceGroup', unknown, RegExp][] = [
		['resourceGroup', '', /needs a name/],
		['resourceGroup', 'rg.', /not valid/],
		['resourceGroup', 'rg stock', /not valid/],
		['resourceGroup', 'x'.repeat(91), /91 characters; it must have 1 to 90/],
		['virtualMachine', '-vm', /starting with a letter or digit/],
		['virtualMachine', 42, /needs a name/],
		['webApp', 'a', /1 characters; it must have 2 to 60/],
		['webApp', 'app-', /not starting or ending with a hyphen/],
		['storageAccount', 'StStock', /lower-case letters and digits only/],
		['storageAccount', 'st', /must have 3 to 24/],
		['keyVault', '1kv', /starting with a letter/],
		['sqlServer', 'Sql', /lower-case/],
		['sqlDatabase', 'a/b', /no <>\*%&:\\\/\? characters/],
		['userAssignedIdentity', 'id', /must have 3 to 128/],
		['userAssignedIdentity', null, /needs a name/]
	];
	it.each(invalid)('refuses a %s name %j, saying why', (kind, name, why) => {
		const problem = checkName(kind, name);
		expect(problem).toMatch(why);
		expect(problem).toContain(kindLabel(kind));
	});

	it('labels kinds for learners', () => {
		expect(kindLabel('keyVault')).toBe('key vault');
		expect(kindLabel('userAssignedIdentity')).toBe('user-assigned identity');
		expect(kindLabel('resourceGroup')).toBe('resource group');
	});
});
