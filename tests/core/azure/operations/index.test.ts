import { describe, expect, it } from 'vitest';
import type { World } from '../../../../src/core/azure/model.ts';
import type { Operation, OperationType } from '../../../../src/core/azure/operations/index.ts';
import {
	OPERATION_TYPES,
	applyOperation,
	applyOperations
} from '../../../../src/core/azure/operations/index.ts';
import { createDefaultWorld } from '../../../../src/core/azure/default-world.ts';
import { findInconsistencies } from '../../../../src/core/azure/invariants.ts';
import { snapshotWorld } from '../../../../src/core/azure/snapshot.ts';
import { addSeconds, epochSeconds } from '../../../../src/core/clock.ts';
import {
	SARAH,
	SARAH_UPN,
	SQL_DB,
	SQL_SERVER,
	STORAGE,
	UAMI,
	VAULT,
	VMSS,
	VM_APP,
	VM_WEB_1,
	WEB_APP,
	defaultWorld,
	refuse,
	run,
	runAll,
	systemPrincipalId
} from '../helpers.ts';

const ARC_CONNECT: Operation = {
	type: 'connectArcMachine',
	machine: 'onprem-legacy-01',
	subscriptionId: 'a1b2c3d4-0000-4000-8000-00000005707c',
	resourceGroup: 'rg-stock',
	location: 'westeurope'
};

interface HappyCase {
	/** Operations that prepare the world (applied to the default world). */
	setup?: Operation[];
	op: (world: World) => Operation;
}

const token = (world: World) => ({
	principalId: systemPrincipalId(world, VM_APP),
	clientId: '7e57e57e-0000-4000-8000-000000000002',
	resource: 'https://vault.azure.net',
	accessToken: 'eyJ.e30.sig',
	issuedAt: world.now,
	expiresOn: addSeconds(world.now, 86_700),
	kid: 'k1'
});

/** A successful use of every operation. A Record, so that a new operation without a case does not compile. */
const HAPPY: Record<OperationType, HappyCase> = {
	createResourceGroup: {
		op: () => ({ type: 'createResourceGroup', name: 'rg-lab', location: 'westeurope' })
	},
	createVirtualMachine: {
		op: () => ({ type: 'createVirtualMachine', resourceGroup: 'rg-stock', name: 'vm-lab' })
	},
	createScaleSet: {
		op: () => ({ type: 'createScaleSet', resourceGroup: 'rg-stock', name: 'vmss-web', capacity: 3 })
	},
	scaleScaleSet: {
		setup: [{ type: 'createScaleSet', resourceGroup: 'rg-stock', name: 'vmss-web' }],
		op: () => ({ type: 'scaleScaleSet', resourceId: VMSS, capacity: 4 })
	},
	createWebSite: {
		op: () => ({
			type: 'createWebSite',
			kind: 'webApp',
			resourceGroup: 'rg-stock',
			name: 'app-lab'
		})
	},
	createStorageAccount: {
		op: () => ({ type: 'createStorageAccount', resourceGroup: 'rg-stock', name: 'stlab' })
	},
	createKeyVault: {
		op: () => ({ type: 'createKeyVault', resourceGroup: 'rg-stock', name: 'kv-lab' })
	},
	createSqlServer: {
		op: () => ({ type: 'createSqlServer', resourceGroup: 'rg-stock', name: 'sql-lab' })
	},
	createSqlDatabase: {
		op: () => ({
			type: 'createSqlDatabase',
			resourceGroup: 'rg-stock',
			serverName: 'sql-stock',
			name: 'labdb'
		})
	},
	createUserIdentity: {
		op: () => ({ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock' })
	},
	deleteResource: { op: () => ({ type: 'deleteResource', resourceId: VM_WEB_1 }) },
	enableSystemIdentity: { op: () => ({ type: 'enableSystemIdentity', resourceId: VM_APP }) },
	disableSystemIdentity: {
		setup: [{ type: 'enableSystemIdentity', resourceId: VM_APP }],
		op: () => ({ type: 'disableSystemIdentity', resourceId: VM_APP })
	},
	assignUserIdentity: {
		setup: [{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock' }],
		op: () => ({ type: 'assignUserIdentity', resourceId: WEB_APP, identityId: UAMI })
	},
	unassignUserIdentity: {
		setup: [
			{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock' },
			{ type: 'assignUserIdentity', resourceId: WEB_APP, identityId: UAMI }
		],
		op: () => ({ type: 'unassignUserIdentity', resourceId: WEB_APP, identityId: UAMI })
	},
	setResourceIdentity: {
		op: () => ({
			type: 'setResourceIdentity',
			resourceId: VM_APP,
			identity: { type: 'SystemAssigned' }
		})
	},
	createRoleAssignment: {
		setup: [{ type: 'enableSystemIdentity', resourceId: VM_APP }],
		op: (w) => ({
			type: 'createRoleAssignment',
			role: 'Key Vault Secrets User',
			scope: VAULT,
			principalId: systemPrincipalId(w, VM_APP)
		})
	},
	deleteRoleAssignment: {
		setup: [
			{
				type: 'createRoleAssignment',
				role: 'Reader',
				scope: VAULT,
				principalId: SARAH,
				name: '66666666-6666-4666-8666-666666666666'
			}
		],
		op: () => ({ type: 'deleteRoleAssignment', id: '66666666-6666-4666-8666-666666666666' })
	},
	setSecret: { op: () => ({ type: 'setSecret', vaultId: VAULT, name: 'api-key', value: 'v' }) },
	createContainer: { op: () => ({ type: 'createContainer', accountId: STORAGE, name: 'reports' }) },
	putBlob: {
		op: () => ({
			type: 'putBlob',
			accountId: STORAGE,
			container: 'quotes',
			name: 'x.csv',
			content: 'a'
		})
	},
	setSqlAdAdmin: {
		op: () => ({ type: 'setSqlAdAdmin', serverId: SQL_SERVER, principalId: SARAH })
	},
	createSqlUser: {
		setup: [
			{ type: 'setSqlAdAdmin', serverId: SQL_SERVER, principalId: SARAH },
			{ type: 'enableSystemIdentity', resourceId: VM_APP }
		],
		op: () => ({ type: 'createSqlUser', databaseId: SQL_DB, userName: 'vm-stock-app' })
	},
	addSqlRoleMember: {
		setup: [
			{ type: 'setSqlAdAdmin', serverId: SQL_SERVER, principalId: SARAH },
			{ type: 'enableSystemIdentity', resourceId: VM_APP },
			{ type: 'createSqlUser', databaseId: SQL_DB, userName: 'vm-stock-app' }
		],
		op: () => ({
			type: 'addSqlRoleMember',
			databaseId: SQL_DB,
			role: 'db_datareader',
			userName: 'vm-stock-app'
		})
	},
	advanceClock: { op: () => ({ type: 'advanceClock', seconds: 60 }) },
	setPropagationDelay: { op: () => ({ type: 'setPropagationDelay', seconds: 10 }) },
	setImdsThrottle: { op: () => ({ type: 'setImdsThrottle', enabled: false }) },
	recordToken: {
		setup: [{ type: 'enableSystemIdentity', resourceId: VM_APP }],
		op: (w) => ({
			type: 'recordToken',
			token: token(w),
			hostId: VM_APP,
			endpoint: 'imds',
			fromCache: false
		})
	},
	recordServiceCall: {
		op: () => ({
			type: 'recordServiceCall',
			service: 'storage',
			operation: 'getBlob',
			target: 'https://ststockdata.blob.core.windows.net/quotes/today.csv',
			status: 200,
			principalId: null,
			authMethod: 'sharedKey',
			source: 'onprem-legacy-01',
			errorCode: null
		})
	},
	addSigningKey: {
		op: () => ({ type: 'addSigningKey', key: { kid: 'k1', x5t: 't', jwk: { kty: 'RSA' } } })
	},
	removeSigningKey: {
		setup: [{ type: 'addSigningKey', key: { kid: 'k1', x5t: 't', jwk: { kty: 'RSA' } } }],
		op: () => ({ type: 'removeSigningKey', kid: 'k1' })
	},
	regenerateStorageKey: {
		op: () => ({ type: 'regenerateStorageKey', accountId: STORAGE, keyName: 'key2' })
	},
	setReplicationDelay: { op: () => ({ type: 'setReplicationDelay', seconds: 0 }) },
	createFederatedCredential: {
		setup: [{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock' }],
		op: () => ({
			type: 'createFederatedCredential',
			identityId: UAMI,
			name: 'aks-stock-worker',
			issuer: 'https://westeurope.oic.prod-aks.azure.com/t/c/',
			subject: 'system:serviceaccount:default:stock-worker'
		})
	},
	deleteFederatedCredential: {
		setup: [
			{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock' },
			{
				type: 'createFederatedCredential',
				identityId: UAMI,
				name: 'fic',
				issuer: 'https://issuer.example.com/',
				subject: 's'
			}
		],
		op: () => ({ type: 'deleteFederatedCredential', identityId: UAMI, name: 'fic' })
	},
	addClusterIssuerKey: {
		op: () => ({
			type: 'addClusterIssuerKey',
			cluster: 'aks-stock',
			key: { kid: 'k1', x5t: 't', jwk: { kty: 'RSA' } }
		})
	},
	annotateServiceAccount: {
		op: () => ({
			type: 'annotateServiceAccount',
			cluster: 'aks-stock',
			namespace: 'default',
			name: 'stock-worker',
			key: 'azure.workload.identity/client-id',
			value: '7e57e57e-0000-4000-8000-000000000009'
		})
	},
	projectServiceAccountToken: {
		op: () => ({
			type: 'projectServiceAccountToken',
			machine: 'stock-worker',
			token: 'eyJ.e30.sig'
		})
	},
	connectArcMachine: {
		op: (w) => ({
			type: 'connectArcMachine',
			machine: 'onprem-legacy-01',
			subscriptionId: Object.values(w.subscriptions)[0]?.subscriptionId ?? '',
			resourceGroup: 'rg-stock',
			location: 'westeurope'
		})
	},
	disconnectArcMachine: {
		setup: [ARC_CONNECT],
		op: () => ({ type: 'disconnectArcMachine', machine: 'onprem-legacy-01' })
	},
	writeArcSecret: {
		setup: [ARC_CONNECT],
		op: () => ({
			type: 'writeArcSecret',
			machine: 'onprem-legacy-01',
			path: '/var/opt/azcmagent/tokens/0a.key',
			secret: 's3cret'
		})
	},
	writeFile: {
		op: () => ({
			type: 'writeFile',
			resourceId: VM_APP,
			path: '/etc/stock-app/appsettings.json',
			content: '{}'
		})
	},
	setAppSettings: {
		op: () => ({ type: 'setAppSettings', resourceId: WEB_APP, set: { Mode: 'live' } })
	}
};

describe('applyOperation', () => {
	it('knows exactly the operations that have a happy-path case here', () => {
		expect([...OPERATION_TYPES].sort()).toEqual(Object.keys(HAPPY).sort());
	});

	it.each(OPERATION_TYPES)(
		'%s succeeds, stamps its events, and keeps the world consistent',
		(type) => {
			const { setup = [], op } = HAPPY[type];
			const before = runAll(defaultWorld(), setup);
			const frozen = structuredClone(before);
			const operation = op(before);
			const { world, events } = run(before, operation);
			expect(before).toEqual(frozen);
			expect(world).not.toBe(before);
			expect(events.length).toBeGreaterThan(0);
			expect(world.events.slice(-events.length)).toEqual(events);
			expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => before.events.length + i + 1));
			expect(events.every((e) => e.at === world.now)).toBe(true);
			expect(findInconsistencies(world)).toEqual([]);
		}
	);

	it.each([
		null,
		undefined,
		42,
		'advanceClock',
		{},
		{ type: 7 },
		{ type: 'hack' },
		{ type: 'toString' },
		{ type: 'constructor' },
		{ type: '__proto__' },
		{ type: 'hasOwnProperty' }
	])('refuses %j with UnknownOperation', (op) => {
		const error = refuse(defaultWorld(), op);
		expect(error.code).toBe('UnknownOperation');
	});

	it('lists the known operations when the type is unknown', () => {
		expect(refuse(defaultWorld(), { type: 'enableIdentity' }).message).toContain(
			'enableSystemIdentity'
		);
	});

	it('logs the first user as the caller unless told otherwise', () => {
		expect(
			run(defaultWorld(), { type: 'createContainer', accountId: STORAGE, name: 'a1b' }).events[0]
		).toMatchObject({ caller: SARAH_UPN });
		expect(
			run(
				defaultWorld(),
				{ type: 'createContainer', accountId: STORAGE, name: 'a1b' },
				{ caller: 'lesson-07' }
			).events[0]
		).toMatchObject({
			caller: 'lesson-07'
		});
	});

	it('a refused operation leaves the very same world object untouched, even after a partial change inside', () => {
		const world = runAll(defaultWorld(), [
			{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock' },
			{ type: 'assignUserIdentity', resourceId: VM_APP, identityId: UAMI },
			{ type: 'enableSystemIdentity', resourceId: VM_APP }
		]);
		const reference = world;
		const clone = structuredClone(world);
		// The handler detaches the identity and turns nothing off before it finds that no identity is left.
		const result = applyOperation(world, {
			type: 'setResourceIdentity',
			resourceId: VM_APP,
			identity: { type: 'UserAssigned', userAssignedIdentities: { [UAMI]: null } }
		});
		expect(result.ok).toBe(false);
		expect(world).toBe(reference);
		expect(world).toStrictEqual(clone);
		expect(snapshotWorld(world)).toBe(snapshotWorld(clone));
	});

	it('turns a handler that throws into a readable InvalidInput and changes nothing', () => {
		const world = defaultWorld();
		const clone = structuredClone(world);
		const hostile = {
			type: 'createVirtualMachine',
			resourceGroup: 'rg-stock',
			get name(): string {
				throw new Error('boom');
			}
		} as unknown as Operation;
		const result = applyOperation(world, hostile);
		expect(result).toEqual({
			ok: false,
			error: {
				code: 'InvalidInput',
				message: "The operation 'createVirtualMachine' could not be applied: boom."
			}
		});
		expect(world).toStrictEqual(clone);
	});
});

describe('applyOperations', () => {
	it('applies in order and returns every event', () => {
		const result = applyOperations(defaultWorld(), [
			{ type: 'enableSystemIdentity', resourceId: VM_APP },
			{ type: 'advanceClock', seconds: 5 }
		]);
		if (!result.ok) throw new Error(result.error.message);
		expect(result.value.events.map((e) => e.kind)).toEqual(['directoryAudit', 'activity', 'clock']);
	});

	it('stops at the first refusal, says which, and changes nothing', () => {
		const world = defaultWorld();
		const clone = structuredClone(world);
		const result = applyOperations(world, [
			{ type: 'enableSystemIdentity', resourceId: VM_APP },
			{ type: 'enableSystemIdentity', resourceId: VAULT },
			{ type: 'advanceClock', seconds: 5 }
		]);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error).toMatchObject({ code: 'UnsupportedResourceType', index: 1 });
		expect(world).toStrictEqual(clone);
	});

	describe('a run of operations that only record events', () => {
		const call = (status: number): Operation => ({
			type: 'recordServiceCall',
			service: 'keyVault',
			operation: 'GET secret',
			target: VAULT,
			status,
			principalId: null,
			authMethod: 'bearer',
			source: 'vm-stock-app',
			errorCode: status === 200 ? null : 'Forbidden'
		});
		const hit: Extract<Operation, { type: 'recordToken' }> = {
			type: 'recordToken',
			token: {
				principalId: 'p',
				clientId: 'c',
				resource: 'https://vault.azure.net',
				accessToken: 'a.b.c',
				issuedAt: epochSeconds(1),
				expiresOn: epochSeconds(2),
				kid: 'k'
			},
			hostId: VM_APP,
			endpoint: 'imds',
			fromCache: true
		};
		const records = [call(200), hit, call(403), hit];

		it('gives the world that applying them one by one gives, changing only the history', () => {
			const world = defaultWorld();
			const together = applyOperations(world, records);
			if (!together.ok) throw new Error(together.error.message);
			let oneByOne = world;
			for (const operation of records) {
				const applied = applyOperation(oneByOne, operation);
				if (!applied.ok) throw new Error(applied.error.message);
				oneByOne = applied.value.world;
			}
			expect(together.value.world).toStrictEqual(oneByOne);
			expect(together.value.events.map((e) => [e.kind, e.seq])).toEqual(
				records.map((_, i) => [
					i % 2 === 0 ? 'serviceCall' : 'token',
					(world.events[world.events.length - 1]?.seq ?? 0) + i + 1
				])
			);
			for (const key of Object.keys(world) as (keyof World)[]) {
				if (key !== 'events') expect(together.value.world[key], key).toBe(world[key]);
			}
		});

		it('refuses a bad record in the run by its index and changes nothing', () => {
			const world = defaultWorld();
			const clone = structuredClone(world);
			const bad = { type: 'recordServiceCall', service: 'keyVault' } as unknown as Operation;
			const result = applyOperations(world, [
				{ type: 'advanceClock', seconds: 5 },
				call(200),
				bad,
				hit
			]);
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.error).toMatchObject({ code: 'InvalidInput', index: 2 });
			expect(world).toStrictEqual(clone);
		});

		it('still fills the token cache for a token that was not served from it', () => {
			const world = defaultWorld();
			const result = applyOperations(world, [hit, { ...hit, fromCache: false }]);
			if (!result.ok) throw new Error(result.error.message);
			expect(Object.keys(result.value.world.tokenCache)).toHaveLength(
				Object.keys(world.tokenCache).length + 1
			);
		});
	});

	it('returns the same world for no operations', () => {
		const world = defaultWorld();
		const result = applyOperations(world, []);
		expect(result.ok && result.value.world).toBe(world);
		expect(result.ok && result.value.events).toEqual([]);
	});
});

describe('determinism', () => {
	const SCRIPT: Operation[] = [
		{ type: 'enableSystemIdentity', resourceId: VM_APP },
		{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock' },
		{ type: 'assignUserIdentity', resourceId: WEB_APP, identityId: UAMI },
		{
			type: 'createVirtualMachine',
			resourceGroup: 'rg-stock',
			name: 'vm-lab',
			identity: { systemAssigned: true }
		},
		{ type: 'createRoleAssignment', role: 'Reader', scope: VAULT, principalId: SARAH },
		{ type: 'setSecret', vaultId: VAULT, name: 'db-password', value: 'rotated' }
	];

	it('gives the same ids for the same operations on the same world', () => {
		const a = runAll(createDefaultWorld(), SCRIPT);
		const b = runAll(createDefaultWorld(), SCRIPT);
		expect(snapshotWorld(a)).toBe(snapshotWorld(b));
		expect(systemPrincipalId(a, VM_APP)).toBe(systemPrincipalId(b, VM_APP));
	});

	it('gives different ids in a world with another seed', () => {
		const a = runAll(createDefaultWorld(), SCRIPT);
		const b = runAll(createDefaultWorld({ seed: 'fabrikam' }), SCRIPT);
		expect(systemPrincipalId(a, VM_APP)).not.toBe(systemPrincipalId(b, VM_APP));
		const uamiOf = (w: World) => w.resources[UAMI.toLowerCase()];
		expect(uamiOf(a)).toBeDefined();
		expect(uamiOf(a)).not.toEqual(uamiOf(b));
		const assignmentNames = (w: World) => Object.keys(w.roleAssignments).sort();
		expect(assignmentNames(a)).not.toEqual(assignmentNames(b));
	});

	it('never hands out the same id twice in one world', () => {
		const world = runAll(createDefaultWorld(), SCRIPT);
		const ids = [
			...Object.keys(world.directory.servicePrincipals),
			...Object.values(world.directory.servicePrincipals).map((sp) => sp.appId),
			...Object.keys(world.roleAssignments)
		];
		expect(new Set(ids).size).toBe(ids.length);
	});
});
