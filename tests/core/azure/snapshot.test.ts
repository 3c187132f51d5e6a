import { describe, expect, it } from 'vitest';
import type { World } from '../../../src/core/azure/model.ts';
import { restoreWorld, snapshotWorld } from '../../../src/core/azure/snapshot.ts';
import {
	SARAH,
	STORAGE,
	UAMI,
	VAULT,
	VM_APP,
	WEB_APP,
	defaultWorld,
	enableSystem,
	run,
	runAll,
	systemPrincipalId
} from './helpers.ts';

const ASSIGNMENT = '77777777-7777-4777-8777-777777777777';

/** A world that has been through most kinds of change, with events of every kind. */
function busyWorld(): World {
	return runAll(defaultWorld(), [
		{ type: 'enableSystemIdentity', resourceId: VM_APP },
		{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock' },
		{ type: 'assignUserIdentity', resourceId: WEB_APP, identityId: UAMI },
		{
			type: 'createScaleSet',
			resourceGroup: 'rg-stock',
			name: 'vmss-web',
			identity: { systemAssigned: true }
		},
		{ type: 'setSecret', vaultId: VAULT, name: 'api-key', value: 'v', contentType: 'text/plain' },
		{ type: 'putBlob', accountId: STORAGE, container: 'quotes', name: 'q.csv', content: 'a' },
		{ type: 'addSigningKey', key: { kid: 'k1', x5t: 't', jwk: { kty: 'RSA', x5c: ['MIIB'] } } },
		{
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: VAULT,
			principalId: SARAH,
			name: ASSIGNMENT
		},
		{ type: 'deleteRoleAssignment', id: ASSIGNMENT },
		{ type: 'advanceClock', seconds: 60 }
	]);
}

function mutate(world: World, change: (w: World) => void): string {
	const copy = structuredClone(world);
	change(copy);
	return JSON.stringify(copy);
}

describe('snapshotWorld and restoreWorld', () => {
	it('round-trips the default world exactly', () => {
		const world = defaultWorld();
		const text = snapshotWorld(world);
		const restored = restoreWorld(text);
		if (!restored.ok) throw new Error(restored.error.message);
		expect(restored.value).toEqual(world);
		expect(snapshotWorld(restored.value)).toBe(text);
	});

	it('round-trips a busy world exactly, pretty or not', () => {
		const world = busyWorld();
		expect(new Set(world.events.map((e) => e.kind))).toEqual(
			new Set(['activity', 'directoryAudit', 'clock'])
		);
		expect(world.roleAssignments[ASSIGNMENT]?.removedAt).not.toBeNull();
		for (const pretty of [false, true]) {
			const text = snapshotWorld(world, { pretty });
			const restored = restoreWorld(text);
			if (!restored.ok) throw new Error(restored.error.message);
			expect(snapshotWorld(restored.value, { pretty })).toBe(text);
			expect(snapshotWorld(restored.value)).toBe(snapshotWorld(world));
		}
		expect(snapshotWorld(world, { pretty: true })).toContain('\n  "version": 1');
	});

	it('keeps working after a restore: operations on the restored world give the same result', () => {
		const world = busyWorld();
		const restored = restoreWorld(snapshotWorld(world));
		if (!restored.ok) throw new Error(restored.error.message);
		const op = { type: 'enableSystemIdentity', resourceId: WEB_APP } as const;
		expect(snapshotWorld(run(restored.value, op).world)).toBe(snapshotWorld(run(world, op).world));
	});

	it.each(['', '{', 'not json', '{"version":1,}', "{'version':1}"])(
		'refuses the text %j as SnapshotMalformed',
		(text) => {
			const result = restoreWorld(text);
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.error.code).toBe('SnapshotMalformed');
			expect(result.error.message).toContain('not valid JSON');
			expect(result.error.message).toContain('Nothing was changed');
		}
	);

	it.each(['null', '[]', '42', '"world"', 'true'])(
		'refuses %s, which is not an object, as SnapshotMalformed',
		(text) => {
			const result = restoreWorld(text);
			expect(!result.ok && result.error.code).toBe('SnapshotMalformed');
		}
	);

	it.each([
		['a newer version', 2, '2'],
		['a version in text', '1', '"1"'],
		['no version', undefined, 'null']
	])('refuses %s as SnapshotVersion', (_what, version, shown) => {
		const text = mutate(defaultWorld(), (w) => {
			(w as { version: unknown }).version = version;
		});
		const result = restoreWorld(text);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error.code).toBe('SnapshotVersion');
		expect(result.error.message).toContain(`format version ${shown}`);
		expect(result.error.message).toContain('reads version 1');
	});

	it.each([
		['the clock', (w: World) => ((w as { now: unknown }).now = 'soon'), 'now'],
		['a fractional clock', (w: World) => ((w as { now: unknown }).now = 1.5), 'now'],
		[
			'the token lifetime',
			(w: World) => (w.settings.tokenLifetimeSeconds = 5),
			'settings.tokenLifetimeSeconds'
		],
		[
			"a VM's user-assigned list",
			(w: World) =>
				((
					w.resources[VM_APP.toLowerCase()] as { identity: { userAssigned: unknown } }
				).identity.userAssigned = 'id'),
			`resources.${VM_APP.toLowerCase()}.identity.userAssigned`
		],
		[
			'an unknown resource kind',
			(w: World) => ((w.resources[VM_APP.toLowerCase()] as { kind: unknown }).kind = 'spaceship'),
			`resources.${VM_APP.toLowerCase()}.kind`
		],
		[
			"a role assignment's principal type",
			(w: World) => {
				const a = Object.values(w.roleAssignments)[0] as { principalType: unknown };
				a.principalType = 'Unknown';
			},
			'roleAssignments.5a7a0de0-0000-4000-8000-000000000001.principalType'
		],
		[
			'the directory',
			(w: World) => ((w as { directory: unknown }).directory = []),
			'directory.users'
		],
		[
			'an event kind',
			(w: World) => w.events.push({ kind: 'gossip', seq: 1, at: 0 } as never),
			'events.0.kind'
		]
	])('refuses a damaged %s as SnapshotInvalid, naming the path', (_what, change, path) => {
		const result = restoreWorld(mutate(defaultWorld(), change));
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error.code).toBe('SnapshotInvalid');
		expect(result.error.message).toContain(`damaged at ${path}:`);
	});

	it('refuses a world whose system identity lost its service principal as SnapshotInconsistent', () => {
		const world = enableSystem(defaultWorld(), VM_APP);
		const principalId = systemPrincipalId(world, VM_APP);
		const text = mutate(world, (w) => {
			delete w.directory.servicePrincipals[principalId];
		});
		const result = restoreWorld(text);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error.code).toBe('SnapshotInconsistent');
		expect(result.error.message).toContain(
			`The system-assigned identity of vm-stock-app has no service principal ${principalId}.`
		);
	});

	it('lists at most three problems and counts the rest', () => {
		const text = mutate(defaultWorld(), (w) => {
			for (const r of Object.values(w.resources)) r.resourceGroup = 'rg-gone';
		});
		const result = restoreWorld(text);
		expect(!result.ok && result.error.code).toBe('SnapshotInconsistent');
		expect(!result.ok && result.error.message).toContain('(and 7 more)');
	});

	it('never throws, whatever the text', () => {
		const hostile = [
			'\u0000',
			'{"version":1,"resources":null}',
			'{"version":1,"__proto__":{"x":1}}',
			'['.repeat(5000),
			`{"version":1,"seed":${'9'.repeat(400)}}`
		];
		for (const text of hostile) {
			expect(() => restoreWorld(text)).not.toThrow();
			expect(restoreWorld(text).ok).toBe(false);
		}
	});

	it.each<[string, (w: World) => void, string]>([
		['a field at the top', (w) => ((w as unknown as { note: string }).note = 'x'), 'note'],
		[
			'a field in a resource',
			(w) => ((w.resources[VM_APP.toLowerCase()] as unknown as { admin: boolean }).admin = true),
			`resources.${VM_APP.toLowerCase()}.admin`
		],
		[
			'a field in an event',
			(w) => {
				const e = w.events[0] as unknown as Record<string, unknown> | undefined;
				if (e) e.secret = 's';
			},
			'events.0.secret'
		]
	])('refuses %s it does not know, naming it', (_what, change, path) => {
		const world = busyWorld();
		const result = restoreWorld(mutate(world, change));
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error.code).toBe('SnapshotInvalid');
		expect(result.error.message).toContain(`damaged at ${path}:`);
	});

	it.each<[string, (text: string) => string, string]>([
		[
			'an infinite number (1e400 reads as Infinity)',
			(t) => t.replace(/"createdAt":\d+/, '"createdAt":1e400'),
			'createdAt'
		],
		['a clock of 1e300', (t) => t.replace(/"now":\d+/, '"now":1e300'), 'now'],
		['a clock before 1970', (t) => t.replace(/"now":\d+/, '"now":-1'), 'now'],
		[
			'an infinite token lifetime',
			(t) => t.replace(/"tokenLifetimeSeconds":\d+/, '"tokenLifetimeSeconds":1e999'),
			'settings.tokenLifetimeSeconds'
		]
	])('refuses %s as SnapshotInvalid, naming the field', (_what, change, field) => {
		const text = change(snapshotWorld(busyWorld()));
		const result = restoreWorld(text);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error.code).toBe('SnapshotInvalid');
		expect(result.error.message).toMatch(
			new RegExp(`damaged at [^ ]*${field.replace(/\./g, '\\.')}:`)
		);
	});

	it('refuses a service principal filed under another key as SnapshotInconsistent, naming the key', () => {
		const world = enableSystem(defaultWorld(), VM_APP);
		const text = mutate(world, (w) => {
			const id = systemPrincipalId(w, VM_APP);
			const sp = w.directory.servicePrincipals[id];
			if (!sp) throw new Error('no principal');
			delete w.directory.servicePrincipals[id];
			Object.assign(w.directory.servicePrincipals, { constructor: sp });
		});
		const result = restoreWorld(text);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error.code).toBe('SnapshotInconsistent');
		expect(result.error.message).toContain(
			'directory.servicePrincipals["constructor"] holds service principal'
		);
	});
});
