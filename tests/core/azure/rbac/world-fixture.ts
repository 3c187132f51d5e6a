/** A small, plain-data world for the RBAC tests: one tenant, two management groups, one subscription. */
import type { EpochSeconds } from '../../../../src/core/clock.ts';
import { DEFAULT_START, addSeconds } from '../../../../src/core/clock.ts';
import { seededGuid } from '../../../../src/core/ids.ts';
import type {
	KeyVault,
	PrincipalType,
	RoleAssignment,
	ServicePrincipal,
	StorageAccount,
	UserAssignedIdentityResource,
	VirtualMachine,
	World
} from '../../../../src/core/azure/model.ts';
import { WORLD_VERSION } from '../../../../src/core/azure/model.ts';
import { findRole } from '../../../../src/core/azure/rbac/roles.ts';

export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const SUBSCRIPTION_ID = 'a925b8a2-3c1f-4f2e-9d7b-1e2f3a4b5c6d';
export const OTHER_SUBSCRIPTION_ID = 'c0ffee00-1111-4222-8333-444455556666';
export const ROOT_MG = `/providers/Microsoft.Management/managementGroups/${TENANT_ID}`;
export const CONTOSO_MG = '/providers/Microsoft.Management/managementGroups/mg-contoso';
export const SUB = `/subscriptions/${SUBSCRIPTION_ID}`;
export const OTHER_SUB = `/subscriptions/${OTHER_SUBSCRIPTION_ID}`;
export const RG = `${SUB}/resourceGroups/rg-stock`;
export const RG_OTHER = `${SUB}/resourceGroups/rg-other`;
export const VAULT = `${RG}/providers/Microsoft.KeyVault/vaults/kv-stock`;
export const OTHER_VAULT = `${RG_OTHER}/providers/Microsoft.KeyVault/vaults/kv-other`;
export const SECRET = `${VAULT}/secrets/db-password`;
export const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/ststockdata`;
export const CONTAINER = `${STORAGE}/blobServices/default/containers/reports`;
export const BLOB = `${CONTAINER}/blobs/2026/q1.csv`;
export const VM = `${RG}/providers/Microsoft.Compute/virtualMachines/vm-stock`;
export const UAMI = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-stock`;

/** Principal (object) ids. */
export const VM_PRINCIPAL = '0f5e3c2a-7b1d-4e8f-9a6c-5d4b3a291807';
export const UAMI_PRINCIPAL = '5b2c9d1e-3f4a-4b6c-8d7e-9f0a1b2c3d4e';
export const ALICE = '9e1d2c3b-4a5f-4687-9a8b-7c6d5e4f3a2b';
export const DELETED_PRINCIPAL = 'dead0000-0000-4000-8000-00000000beef';

export const T0: EpochSeconds = DEFAULT_START;
export const DELAY = 600;

function base<K extends string>(id: string, name: string, kind: K) {
	return {
		id,
		name,
		kind,
		subscriptionId: SUBSCRIPTION_ID,
		resourceGroup: id.split('/')[4] ?? '',
		location: 'westeurope',
		tags: {},
		createdAt: T0
	};
}

function managedIdentitySp(
	principalId: string,
	name: string,
	resourceId: string
): ServicePrincipal {
	return {
		id: principalId,
		appId: seededGuid('fixture', `app-${name}`),
		displayName: name,
		servicePrincipalType: 'ManagedIdentity',
		appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
		alternativeNames: ['isExplicit=False', resourceId],
		servicePrincipalNames: [
			seededGuid('fixture', `app-${name}`),
			`https://identity.azure.net/${name}`
		],
		accountEnabled: true,
		createdAt: T0,
		managedIdentityResourceId: resourceId,
		certificate: null
	};
}

/** The starting world: no role assignments, `now` = T0, a 10-minute propagation delay. */
export function baseWorld(): World {
	const vault: KeyVault = {
		...base(VAULT, 'kv-stock', 'keyVault'),
		vaultUri: 'https://kv-stock.vault.azure.net/',
		enableRbacAuthorization: true,
		secrets: { 'db-password': { versions: [{ version: 'v1', value: 'hunter2', created: T0 }] } }
	};
	const otherVault: KeyVault = {
		...base(OTHER_VAULT, 'kv-other', 'keyVault'),
		vaultUri: 'https://kv-other.vault.azure.net/',
		enableRbacAuthorization: true,
		secrets: {}
	};
	const storage: StorageAccount = {
		...base(STORAGE, 'ststockdata', 'storageAccount'),
		keys: { key1: 'a2V5MQ==', key2: 'a2V5Mg==' },
		containers: {
			reports: {
				createdAt: T0,
				blobs: {
					'2026/q1.csv': {
						content: 'ticker,close\n',
						contentType: 'text/csv',
						lastModified: T0,
						etag: '"0x1"'
					}
				}
			}
		}
	};
	const vm: VirtualMachine = {
		...base(VM, 'vm-stock', 'virtualMachine'),
		vmId: seededGuid('fixture', 'vmid'),
		vmSize: 'Standard_B2s',
		osType: 'Linux',
		privateIp: '10.0.0.4',
		identity: {
			systemAssigned: {
				principalId: VM_PRINCIPAL,
				clientId: seededGuid('fixture', 'app-vm-stock'),
				tenantId: TENANT_ID
			},
			userAssigned: [UAMI]
		},
		files: {}
	};
	const uami: UserAssignedIdentityResource = {
		...base(UAMI, 'id-stock', 'userAssignedIdentity'),
		clientId: seededGuid('fixture', 'app-id-stock'),
		principalId: UAMI_PRINCIPAL,
		tenantId: TENANT_ID
	};
	return {
		version: WORLD_VERSION,
		seed: 'rbac-fixture',
		idCounter: 0,
		now: T0,
		settings: { propagationDelaySeconds: DELAY, tokenLifetimeSeconds: 86_399 },
		tenant: {
			tenantId: TENANT_ID,
			displayName: 'Contoso',
			defaultDomain: 'contoso.onmicrosoft.com'
		},
		managementGroups: {
			[ROOT_MG.toLowerCase()]: {
				id: ROOT_MG,
				name: TENANT_ID,
				displayName: 'Tenant Root Group',
				parentId: null
			},
			[CONTOSO_MG.toLowerCase()]: {
				id: CONTOSO_MG,
				name: 'mg-contoso',
				displayName: 'Contoso',
				parentId: ROOT_MG
			}
		},
		subscriptions: {
			[SUB.toLowerCase()]: {
				id: SUB,
				subscriptionId: SUBSCRIPTION_ID,
				displayName: 'Contoso Dev',
				tenantId: TENANT_ID,
				managementGroupId: CONTOSO_MG
			},
			[OTHER_SUB.toLowerCase()]: {
				id: OTHER_SUB,
				subscriptionId: OTHER_SUBSCRIPTION_ID,
				displayName: 'Contoso Prod',
				tenantId: TENANT_ID,
				managementGroupId: TENANT_ID
			}
		},
		resourceGroups: {
			[RG.toLowerCase()]: {
				id: RG,
				name: 'rg-stock',
				subscriptionId: SUBSCRIPTION_ID,
				location: 'westeurope',
				tags: {}
			},
			[RG_OTHER.toLowerCase()]: {
				id: RG_OTHER,
				name: 'rg-other',
				subscriptionId: SUBSCRIPTION_ID,
				location: 'westeurope',
				tags: {}
			}
		},
		resources: {
			[VAULT.toLowerCase()]: vault,
			[OTHER_VAULT.toLowerCase()]: otherVault,
			[STORAGE.toLowerCase()]: storage,
			[VM.toLowerCase()]: vm,
			[UAMI.toLowerCase()]: uami
		},
		outsideMachines: {},
		directory: {
			users: {
				[ALICE]: {
					id: ALICE,
					userPrincipalName: 'alice@contoso.onmicrosoft.com',
					displayName: 'Alice'
				}
			},
			applications: {},
			servicePrincipals: {
				[VM_PRINCIPAL]: managedIdentitySp(VM_PRINCIPAL, 'vm-stock', VM),
				[UAMI_PRINCIPAL]: managedIdentitySp(UAMI_PRINCIPAL, 'id-stock', UAMI)
			}
		},
		roleAssignments: {},
		signingKeys: [],
		tokenCache: {},
		events: []
	};
}

/** What {@link withAssignment} needs; times default to "created at T0, effective after the delay". */
export interface AssignmentSpec {
	principalId: string;
	/** A role name or GUID from the catalogue. */
	role: string;
	scope: string;
	principalType?: PrincipalType;
	createdAt?: EpochSeconds;
	effectiveAt?: EpochSeconds;
	removedAt?: EpochSeconds | null;
}

/** A role assignment record as the operations would store it. */
export function makeAssignment(spec: AssignmentSpec, key: string | number): RoleAssignment {
	const roleId = findRole(spec.role)?.id ?? spec.role;
	const name = seededGuid('rbac-fixture', `${spec.scope}|${spec.principalId}|${roleId}|${key}`);
	const createdAt = spec.createdAt ?? T0;
	return {
		id: `${spec.scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
		name,
		scope: spec.scope,
		roleDefinitionId: roleId,
		principalId: spec.principalId,
		principalType: spec.principalType ?? 'ServicePrincipal',
		description: '',
		createdAt,
		createdBy: ALICE,
		effectiveAt: spec.effectiveAt ?? addSeconds(createdAt, DELAY),
		removedAt: spec.removedAt ?? null
	};
}

/** A new world with the assignments added (a new `roleAssignments` object, as an operation would make). */
export function withAssignments(world: World, ...specs: AssignmentSpec[]): World {
	const roleAssignments = { ...world.roleAssignments };
	specs.forEach((spec, i) => {
		const a = makeAssignment(spec, `${Object.keys(roleAssignments).length}-${i}`);
		roleAssignments[a.name] = a;
	});
	return { ...world, roleAssignments };
}

/** The same world at another instant. */
export function at(world: World, now: EpochSeconds): World {
	return { ...world, now };
}

/** The world after the default propagation delay has passed since T0. */
export function settled(world: World): World {
	return at(world, addSeconds(T0, DELAY));
}
