import { describe, expect, it } from 'vitest';
import type { World } from '../../../src/core/azure/model.ts';
import { findInconsistencies } from '../../../src/core/azure/invariants.ts';
import {
	UAMI,
	VM_APP,
	WEB_APP,
	defaultWorld,
	idOf,
	runAll,
	systemPrincipalId,
	uami
} from './helpers.ts';

/** A consistent world with a system-assigned identity, a user-assigned one attached, and a signing key. */
function world(): World {
	return runAll(defaultWorld(), [
		{ type: 'enableSystemIdentity', resourceId: VM_APP },
		{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock' },
		{ type: 'assignUserIdentity', resourceId: WEB_APP, identityId: UAMI },
		{ type: 'addSigningKey', key: { kid: 'k1', x5t: 't', jwk: {} } }
	]);
}

function broken(change: (w: World) => void): string[] {
	const w = structuredClone(world());
	change(w);
	return findInconsistencies(w);
}

describe('findInconsistencies', () => {
	it('finds nothing wrong in a consistent world', () => {
		expect(findInconsistencies(world())).toEqual([]);
	});

	it.each<[string, (w: World) => void, string]>([
		[
			'a resource filed under the wrong key',
			(w) => {
				const vm = w.resources[VM_APP.toLowerCase()];
				if (vm) w.resources['/elsewhere'] = vm;
				delete w.resources[VM_APP.toLowerCase()];
			},
			`resources["/elsewhere"] holds resource ${VM_APP}, which must be filed under "${VM_APP.toLowerCase()}".`
		],
		[
			'a resource in a group that does not exist',
			(w) => {
				const vm = w.resources[VM_APP.toLowerCase()];
				if (vm) vm.resourceGroup = 'rg-gone';
			},
			'Resource vm-stock-app is in resource group rg-gone, which does not exist.'
		],
		[
			'a user-assigned identity without its principal',
			(w) => {
				delete w.directory.servicePrincipals[uami(w, UAMI).principalId];
			},
			'User-assigned identity id-stock has no service principal'
		],
		[
			'a system-assigned identity without its principal',
			(w) => {
				delete w.directory.servicePrincipals[systemPrincipalId(w, VM_APP)];
			},
			'The system-assigned identity of vm-stock-app has no service principal'
		],
		[
			'two identities sharing a principal',
			(w) => {
				const web = w.resources[WEB_APP.toLowerCase()];
				const vm = w.resources[VM_APP.toLowerCase()];
				if (web?.kind === 'webApp' && vm?.kind === 'virtualMachine')
					web.identity.systemAssigned = structuredClone(vm.identity.systemAssigned);
			},
			'belongs to two identities.'
		],
		[
			'a managed identity principal that names no resource',
			(w) => {
				const sp = w.directory.servicePrincipals[systemPrincipalId(w, VM_APP)];
				if (sp) sp.managedIdentityResourceId = null;
			},
			'names no resource.'
		],
		[
			'a managed identity principal that no resource owns',
			(w) => {
				const vm = w.resources[VM_APP.toLowerCase()];
				if (vm?.kind === 'virtualMachine') vm.identity.systemAssigned = null;
			},
			'belongs to no resource.'
		],
		[
			'a host using an identity that does not exist',
			(w) => {
				const vm = w.resources[VM_APP.toLowerCase()];
				if (vm?.kind === 'virtualMachine')
					vm.identity.userAssigned.push(idOf('userAssignedIdentity', 'id-gone'));
			},
			'vm-stock-app uses user-assigned identity'
		],
		[
			'a role assignment filed under the wrong key',
			(w) => {
				const a = w.roleAssignments['5a7a0de0-0000-4000-8000-000000000001'];
				if (a) a.name = '5a7a0de0-0000-4000-8000-000000000002';
			},
			'roleAssignments["5a7a0de0-0000-4000-8000-000000000001"] holds role assignment 5a7a0de0-0000-4000-8000-000000000002'
		],
		[
			'a service principal filed under another key than its id',
			(w) => {
				const [id, sp] = Object.entries(w.directory.servicePrincipals)[0] ?? [];
				if (id && sp) {
					delete w.directory.servicePrincipals[id];
					Object.assign(w.directory.servicePrincipals, { constructor: sp });
				}
			},
			'directory.servicePrincipals["constructor"] holds service principal'
		],
		[
			'a user filed under another key',
			(w) => {
				const [id, u] = Object.entries(w.directory.users)[0] ?? [];
				if (id && u) w.directory.users[`${id}-x`] = u;
			},
			'directory.users['
		],
		[
			'an application filed under another key',
			(w) => {
				const a = Object.values(w.directory.applications)[0];
				if (a) a.id = 'other';
			},
			'directory.applications['
		],
		[
			'a resource group filed under another key',
			(w) => {
				const g = Object.values(w.resourceGroups)[0];
				if (g) g.id = `${g.id}-moved`;
			},
			'resourceGroups['
		],
		[
			'a subscription filed under another key',
			(w) => {
				const sub = Object.values(w.subscriptions)[0];
				if (sub) sub.subscriptionId = '00000000-0000-4000-8000-000000000000';
			},
			'subscriptions['
		],
		[
			'a management group filed under another key',
			(w) => {
				const g = Object.values(w.managementGroups)[0];
				if (g) g.id = '/providers/Microsoft.Management/managementGroups/other';
			},
			'managementGroups['
		],
		[
			'an outside machine filed under another name',
			(w) => {
				const m = Object.values(w.outsideMachines)[0];
				if (m) m.name = 'other';
			},
			'outsideMachines['
		],
		[
			'a database user filed under another name',
			(w) => {
				const db = Object.values(w.resources).find((r) => r.kind === 'sqlDatabase');
				if (db?.kind === 'sqlDatabase')
					db.users['toString'] = { name: 'someone', principalId: 'p', roles: [] };
			},
			'.users["toString"] holds database user someone'
		],
		[
			'a cached token filed under another key',
			(w) => {
				// As JSON.parse makes it: an own property named __proto__ (an assignment would set the prototype).
				Object.defineProperty(w.tokenCache, '__proto__', {
					enumerable: true,
					value: {
						principalId: 'p',
						clientId: 'c',
						resource: 'https://vault.azure.net',
						accessToken: 't',
						issuedAt: w.now,
						expiresOn: w.now + 60,
						kid: 'k1'
					}
				});
			},
			'tokenCache["__proto__"] holds the token of p'
		],
		[
			'events out of order',
			(w) => {
				const first = w.events[0];
				if (first) w.events.push({ ...first });
			},
			'The event history is out of order'
		],
		[
			'no active signing key',
			(w) => {
				for (const k of w.signingKeys) k.active = false;
			},
			'Exactly one signing key must be active.'
		],
		[
			'two active signing keys',
			(w) => {
				w.signingKeys.push({ kid: 'k2', x5t: 'u', jwk: {}, createdAt: w.now, active: true });
			},
			'Exactly one signing key must be active.'
		]
	])('reports %s', (_what, change, text) => {
		const problems = broken(change);
		expect(problems.length).toBeGreaterThan(0);
		expect(problems.some((p) => p.includes(text))).toBe(true);
	});

	it('accepts a history whose oldest events were trimmed, if the rest is in order', () => {
		const w = structuredClone(world());
		w.events = w.events.slice(2);
		expect(findInconsistencies(w)).toEqual([]);
	});
});
