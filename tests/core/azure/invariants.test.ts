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
			`Resource ${VM_APP} is filed under the wrong key.`
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
			'is filed under the wrong key.'
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
