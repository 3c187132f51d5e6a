import { describe, expect, it } from 'vitest';
import type { OperationErrorCode } from '../../../src/core/azure/errors.ts';
import { opError } from '../../../src/core/azure/errors.ts';
import type { World } from '../../../src/core/azure/model.ts';
import {
	NOBODY,
	RG,
	SARAH,
	SQL_DB,
	SQL_SERVER,
	STORAGE,
	SUB,
	VAULT,
	VM_APP,
	VM_WEB_1,
	defaultWorld,
	idOf,
	refuse,
	runAll,
	systemPrincipalId,
	withOtherGroup
} from './helpers.ts';

const SARAH_OWNER = '5a7a0de0-0000-4000-8000-000000000001';
const ARC = {
	type: 'connectArcMachine',
	machine: 'onprem-legacy-01',
	subscriptionId: 'a1b2c3d4-0000-4000-8000-00000005707c',
	resourceGroup: 'rg-stock',
	location: 'westeurope'
} as const;
const withIdentity = () =>
	runAll(defaultWorld(), [
		{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock' }
	]);
const KEY = { kid: 'k1', x5t: 'x5t', jwk: { kty: 'RSA' } };

interface Case {
	/** The world to refuse in (the default world when absent). */
	world?: () => World;
	op: unknown;
}

const withSqlAdmin = () =>
	runAll(defaultWorld(), [
		{ type: 'setSqlAdAdmin', serverId: SQL_SERVER, principalId: SARAH },
		{ type: 'enableSystemIdentity', resourceId: VM_APP }
	]);

/** One real input per code. A Record, so that a code added to the union without a case does not compile. */
const CASES: Record<OperationErrorCode, Case> = {
	FederatedCredentialNotFound: {
		world: withIdentity,
		op: {
			type: 'deleteFederatedCredential',
			identityId: idOf('userAssignedIdentity', 'id-stock'),
			name: 'nope'
		}
	},
	FederatedCredentialExists: {
		world: () =>
			runAll(withIdentity(), [
				{
					type: 'createFederatedCredential',
					identityId: idOf('userAssignedIdentity', 'id-stock'),
					name: 'one',
					issuer: 'https://i.example.com/',
					subject: 's'
				}
			]),
		op: {
			type: 'createFederatedCredential',
			identityId: idOf('userAssignedIdentity', 'id-stock'),
			name: 'two',
			issuer: 'https://i.example.com/',
			subject: 's'
		}
	},
	FederatedCredentialLimit: {
		world: () =>
			runAll(
				withIdentity(),
				Array.from({ length: 20 }, (_, n) => ({
					type: 'createFederatedCredential' as const,
					identityId: idOf('userAssignedIdentity', 'id-stock'),
					name: `fic-${n}`,
					issuer: 'https://i.example.com/',
					subject: `s${n}`
				}))
			),
		op: {
			type: 'createFederatedCredential',
			identityId: idOf('userAssignedIdentity', 'id-stock'),
			name: 'fic-20',
			issuer: 'https://i.example.com/',
			subject: 's20'
		}
	},
	MachineNotFound: { op: { type: 'disconnectArcMachine', machine: 'onprem-nope' } },
	ArcAlreadyConnected: {
		world: () => runAll(defaultWorld(), [ARC]),
		op: ARC
	},
	ClusterNotFound: {
		op: {
			type: 'annotateServiceAccount',
			cluster: 'aks-nope',
			namespace: 'default',
			name: 'x',
			key: 'k',
			value: 'v'
		}
	},
	ServiceAccountNotFound: {
		op: {
			type: 'annotateServiceAccount',
			cluster: 'aks-stock',
			namespace: 'default',
			name: 'nope',
			key: 'k',
			value: 'v'
		}
	},
	InvalidInput: { op: { type: 'createResourceGroup', name: 'rg-lab', location: 'West Europe' } },
	InvalidName: { op: { type: 'createVirtualMachine', resourceGroup: 'rg-stock', name: 'vm lab' } },
	UnknownOperation: { op: { type: 'rebootEverything' } },
	ResourceGroupNotFound: {
		op: { type: 'createKeyVault', resourceGroup: 'rg-nope', name: 'kv-lab' }
	},
	ResourceGroupExists: {
		op: { type: 'createResourceGroup', name: 'RG-STOCK', location: 'westeurope' }
	},
	ResourceNotFound: {
		op: { type: 'deleteResource', resourceId: idOf('virtualMachine', 'vm-gone') }
	},
	ResourceExists: {
		op: { type: 'createVirtualMachine', resourceGroup: 'rg-stock', name: 'vm-stock-app' }
	},
	NameNotAvailable: {
		world: withOtherGroup,
		op: { type: 'createStorageAccount', resourceGroup: 'rg-other', name: 'ststockdata' }
	},
	UnsupportedResourceType: { op: { type: 'enableSystemIdentity', resourceId: VAULT } },
	IdentityNotFound: {
		op: {
			type: 'assignUserIdentity',
			resourceId: VM_APP,
			identityId: idOf('userAssignedIdentity', 'id-gone')
		}
	},
	IdentityNotAssigned: {
		world: () =>
			runAll(defaultWorld(), [
				{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock' }
			]),
		op: {
			type: 'unassignUserIdentity',
			resourceId: VM_APP,
			identityId: idOf('userAssignedIdentity', 'id-stock')
		}
	},
	InvalidIdentityType: {
		op: { type: 'setResourceIdentity', resourceId: VM_APP, identity: { type: 'Garbage' } }
	},
	UserAssignedIdentitiesRequired: {
		op: { type: 'setResourceIdentity', resourceId: VM_APP, identity: { type: 'UserAssigned' } }
	},
	InvalidCapacity: {
		op: { type: 'createScaleSet', resourceGroup: 'rg-stock', name: 'vmss-web', capacity: -1 }
	},
	RoleNotFound: {
		op: { type: 'createRoleAssignment', role: 'Secret Reader', scope: VAULT, principalId: SARAH }
	},
	InvalidScope: {
		op: { type: 'createRoleAssignment', role: 'Reader', scope: 'rg-stock', principalId: SARAH }
	},
	ScopeNotFound: {
		op: {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: `${SUB}/resourceGroups/rg-gone`,
			principalId: SARAH
		}
	},
	PrincipalNotFound: {
		op: { type: 'createRoleAssignment', role: 'Reader', scope: RG, principalId: NOBODY }
	},
	UnmatchedPrincipalType: {
		op: {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: RG,
			principalId: SARAH,
			principalType: 'ServicePrincipal'
		}
	},
	RoleAssignmentExists: {
		op: { type: 'createRoleAssignment', role: 'Owner', scope: SUB, principalId: SARAH }
	},
	RoleAssignmentNotFound: { op: { type: 'deleteRoleAssignment', id: NOBODY } },
	RoleAssignmentUpdateNotPermitted: {
		op: {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: RG,
			principalId: SARAH,
			name: SARAH_OWNER
		}
	},
	LastOwner: {
		op: {
			type: 'deleteRoleAssignment',
			id: `${SUB}/providers/Microsoft.Authorization/roleAssignments/${SARAH_OWNER}`
		}
	},
	ContainerNotFound: {
		op: { type: 'putBlob', accountId: STORAGE, container: 'reports', name: 'a.csv', content: 'x' }
	},
	ContainerExists: { op: { type: 'createContainer', accountId: STORAGE, name: 'quotes' } },
	SqlAdminRequired: { op: { type: 'createSqlUser', databaseId: SQL_DB, userName: 'Sarah' } },
	SqlUserExists: {
		world: () =>
			runAll(withSqlAdmin(), [
				{ type: 'createSqlUser', databaseId: SQL_DB, userName: 'vm-stock-app' }
			]),
		op: { type: 'createSqlUser', databaseId: SQL_DB, userName: 'vm-stock-app' }
	},
	SqlUserNotFound: {
		op: {
			type: 'addSqlRoleMember',
			databaseId: SQL_DB,
			role: 'db_datareader',
			userName: 'vm-stock-app'
		}
	},
	SqlPrincipalNotFound: {
		world: withSqlAdmin,
		op: { type: 'createSqlUser', databaseId: SQL_DB, userName: 'vm-stock-web-1' }
	},
	SqlPrincipalAmbiguous: {
		world: () =>
			runAll(withSqlAdmin(), [
				{ type: 'enableSystemIdentity', resourceId: VM_WEB_1 },
				{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'vm-stock-web-1' }
			]),
		op: { type: 'createSqlUser', databaseId: SQL_DB, userName: 'vm-stock-web-1' }
	},
	SqlRoleNotFound: {
		op: { type: 'addSqlRoleMember', databaseId: SQL_DB, role: 'db_superuser', userName: 'x' }
	},
	InvalidClockAdvance: { op: { type: 'advanceClock', seconds: -60 } },
	SigningKeyNotFound: { op: { type: 'removeSigningKey', kid: 'k1' } },
	SigningKeyExists: {
		world: () => runAll(defaultWorld(), [{ type: 'addSigningKey', key: KEY }]),
		op: { type: 'addSigningKey', key: KEY }
	}
};

describe('OperationErrorCode', () => {
	it.each(Object.entries(CASES))(
		'%s is produced by a real input, leaving the world as it was',
		(code, { world, op }) => {
			const error = refuse((world ?? defaultWorld)(), op);
			expect(error.code).toBe(code);
			expect(error.message).toMatch(/^[A-Z'"]/);
			// Azure's own PrincipalNotFound text ends with its link (azure-docs rbac troubleshooting.md).
			expect(error.message).toMatch(/([.)]|aka\.ms\/docs-principaltype)$/);
			if (error.hint !== undefined) expect(error.hint).toMatch(/^[A-Z].*\.$/);
		}
	);

	it('the SqlPrincipalAmbiguous case really has two principals of that name', () => {
		const world = CASES.SqlPrincipalAmbiguous.world?.() ?? defaultWorld();
		const named = Object.values(world.directory.servicePrincipals).filter(
			(sp) => sp.displayName === 'vm-stock-web-1'
		);
		expect(named.map((sp) => sp.id)).toContain(systemPrincipalId(world, VM_WEB_1));
		expect(named).toHaveLength(2);
	});
});

describe('opError', () => {
	it('builds the error value', () => {
		expect(opError('LastOwner', 'Cannot delete the last RBAC admin assignment.')).toEqual({
			code: 'LastOwner',
			message: 'Cannot delete the last RBAC admin assignment.'
		});
	});
});
