/**
 * The default world of the product: tenant Contoso, subscription Contoso Production, resource group rg-stock
 * with the stock-tracking app's resources, an on-premises server and the admin Sarah. Lessons start from
 * variations of it, and the sandbox and the emulator use it, so names and ids agree everywhere.
 */
import type { World } from './model.ts';
import { WORLD_VERSION } from './model.ts';
import { DEFAULT_START } from '../clock.ts';
import { applyOperations, type Operation } from './operations/index.ts';
import { resourceGroupId, resourceId, subscriptionScope } from './naming.ts';

/** Fixed ids of the default world (readable, and identical in every lesson, test and screenshot). */
export const DEFAULT_IDS = {
	tenantId: 'c0a7e5f0-1d2b-4c3a-9e8f-00000c0a7050',
	subscriptionId: 'a1b2c3d4-0000-4000-8000-00000005707c',
	sarahId: '5a7a0000-5a7a-4a7a-8a7a-00000005a7a1',
	msiFirstPartyId: '0f1e2d3c-4b5a-4697-8a9b-00000000b5a1',
	/** The Managed Service Identity first-party application (public; seen in directory audit entries). */
	msiFirstPartyAppId: 'ef5d5c69-a5df-46bb-acaf-426f161a21a2',
	legacyAppObjectId: '1e9ac700-0000-4000-8000-0000000a9901',
	legacyAppId: '1e9ac701-0000-4000-8000-0000000a9902',
	legacySpId: '1e9ac702-0000-4000-8000-0000000a9903'
} as const;

/** The tenant that owns Microsoft's first-party applications ("Microsoft Services"). */
export const MICROSOFT_SERVICES_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

/** The default resource group and region. */
export const DEFAULT_GROUP = 'rg-stock';
export const DEFAULT_LOCATION = 'westeurope';

const QUOTES_CSV = 'symbol,price,currency\nCTSO,182.40,EUR\nFABK,96.15,EUR\nNWND,41.08,EUR\n';

/** An empty world: tenant, subscription, management group, the admin and first-party principals, nothing else. */
export function createEmptyWorld(options: { seed?: string } = {}): World {
	const { tenantId, subscriptionId, sarahId } = DEFAULT_IDS;
	const rootGroupId = `/providers/Microsoft.Management/managementGroups/${tenantId}`;
	return {
		version: WORLD_VERSION,
		seed: options.seed ?? 'contoso',
		idCounter: 0,
		now: DEFAULT_START,
		settings: {
			propagationDelaySeconds: 300,
			tokenLifetimeSeconds: 86_700,
			principalReplicationDelaySeconds: 30
		},
		tenant: { tenantId, displayName: 'Contoso', defaultDomain: 'contoso.onmicrosoft.com' },
		managementGroups: {
			[rootGroupId.toLowerCase()]: {
				id: rootGroupId,
				name: tenantId,
				displayName: 'Tenant Root Group',
				parentId: null
			}
		},
		subscriptions: {
			[subscriptionId]: {
				id: subscriptionScope(subscriptionId),
				subscriptionId,
				displayName: 'Contoso Production',
				tenantId,
				managementGroupId: rootGroupId
			}
		},
		resourceGroups: {},
		resources: {},
		outsideMachines: {},
		directory: {
			users: {
				[sarahId]: {
					id: sarahId,
					userPrincipalName: 'sarah@contoso.onmicrosoft.com',
					displayName: 'Sarah'
				}
			},
			applications: {},
			servicePrincipals: {
				[DEFAULT_IDS.msiFirstPartyId]: {
					id: DEFAULT_IDS.msiFirstPartyId,
					appId: DEFAULT_IDS.msiFirstPartyAppId,
					displayName: 'Managed Service Identity',
					servicePrincipalType: 'Application',
					appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT,
					alternativeNames: [],
					// As directory audit entries list them: "ef5d5c69-…;https://serviceidentity.azure.net/".
					servicePrincipalNames: [
						DEFAULT_IDS.msiFirstPartyAppId,
						'https://serviceidentity.azure.net/'
					],
					accountEnabled: true,
					createdAt: DEFAULT_START,
					managedIdentityResourceId: null,
					certificate: null
				}
			}
		},
		roleAssignments: {},
		signingKeys: [],
		tokenCache: {},
		events: []
	};
}

/** The operations that build the default world on top of the empty one. */
function defaultWorldOperations(): Operation[] {
	const rg = DEFAULT_GROUP;
	const sub = DEFAULT_IDS.subscriptionId;
	return [
		{ type: 'createResourceGroup', name: rg, location: DEFAULT_LOCATION },
		{ type: 'createVirtualMachine', resourceGroup: rg, name: 'vm-stock-app' },
		{ type: 'createVirtualMachine', resourceGroup: rg, name: 'vm-stock-web-1' },
		{ type: 'createVirtualMachine', resourceGroup: rg, name: 'vm-stock-web-2' },
		{ type: 'createVirtualMachine', resourceGroup: rg, name: 'vm-stock-web-3' },
		{
			type: 'createKeyVault',
			resourceGroup: rg,
			name: 'kv-stock',
			secrets: { 'db-password': 'Stock-Db-Pa55!2026' }
		},
		{
			type: 'createStorageAccount',
			resourceGroup: rg,
			name: 'ststockdata',
			containers: { quotes: { 'today.csv': QUOTES_CSV } }
		},
		{ type: 'createSqlServer', resourceGroup: rg, name: 'sql-stock' },
		{
			type: 'createSqlDatabase',
			resourceGroup: rg,
			name: 'stockdb',
			serverName: 'sql-stock',
			tables: {
				Quotes: {
					columns: ['Symbol', 'Price'],
					rows: [
						['CTSO', '182.40'],
						['FABK', '96.15']
					]
				}
			}
		},
		{ type: 'createWebSite', kind: 'webApp', resourceGroup: rg, name: 'app-stock-web' },
		{ type: 'createWebSite', kind: 'functionApp', resourceGroup: rg, name: 'func-stock-import' },
		{
			type: 'createRoleAssignment',
			role: 'Owner',
			scope: subscriptionScope(sub),
			principalId: DEFAULT_IDS.sarahId,
			principalType: 'User',
			name: '5a7a0de0-0000-4000-8000-000000000001'
		}
	];
}

/** Builds the default world. Its history starts empty: building it is not something the learner did. */
export function createDefaultWorld(options: { seed?: string } = {}): World {
	const empty = createEmptyWorld(options);
	empty.directory.applications[DEFAULT_IDS.legacyAppObjectId] = {
		id: DEFAULT_IDS.legacyAppObjectId,
		appId: DEFAULT_IDS.legacyAppId,
		displayName: 'stock-app-legacy',
		signInAudience: 'AzureADMyOrg',
		publisherTenantId: DEFAULT_IDS.tenantId,
		credentials: [
			{
				kind: 'certificate',
				displayName: 'CN=stock-app-legacy',
				endDateTime: (DEFAULT_START + 20 * 86_400) as World['now']
			}
		]
	};
	empty.directory.servicePrincipals[DEFAULT_IDS.legacySpId] = {
		id: DEFAULT_IDS.legacySpId,
		appId: DEFAULT_IDS.legacyAppId,
		displayName: 'stock-app-legacy',
		servicePrincipalType: 'Application',
		appOwnerOrganizationId: DEFAULT_IDS.tenantId,
		alternativeNames: [],
		servicePrincipalNames: [DEFAULT_IDS.legacyAppId],
		accountEnabled: true,
		createdAt: DEFAULT_START,
		managedIdentityResourceId: null,
		certificate: null
	};
	const built = applyOperations(empty, defaultWorldOperations(), { caller: 'setup' });
	if (!built.ok) throw new Error(`The default world does not build: ${built.error.message}`);
	// A plain copy to finish by hand (JSON, not structuredClone: large records are proxies; see store/record.ts).
	const world = JSON.parse(JSON.stringify(built.value.world)) as World;
	const appVm =
		world.resources[
			resourceId(
				DEFAULT_IDS.subscriptionId,
				DEFAULT_GROUP,
				'virtualMachine',
				'vm-stock-app'
			).toLowerCase()
		];
	const storage =
		world.resources[
			resourceId(
				DEFAULT_IDS.subscriptionId,
				DEFAULT_GROUP,
				'storageAccount',
				'ststockdata'
			).toLowerCase()
		];
	if (appVm?.kind === 'virtualMachine' && storage?.kind === 'storageAccount') {
		appVm.files['/etc/stock-app/appsettings.json'] = appSettingsWithSecrets(storage.keys.key1);
	}
	world.outsideMachines['onprem-legacy-01'] = {
		name: 'onprem-legacy-01',
		hostname: 'onprem-legacy-01.contoso.local',
		description: 'An on-premises server in Contoso’s own data centre, outside Azure.',
		files: {}
	};
	addWorkloadCluster(world);
	// Setup happened before the learner arrived: its role assignments have long propagated.
	for (const assignment of Object.values(world.roleAssignments))
		assignment.effectiveAt = assignment.createdAt;
	world.events = [];
	return world;
}

/** The AKS cluster of lesson 15 (workload identity federation): its OIDC issuer and one pod, stock-worker. */
function addWorkloadCluster(world: World): void {
	const { subscriptionId, tenantId } = DEFAULT_IDS;
	const name = 'aks-stock';
	world.kubernetesClusters = {
		[name]: {
			name,
			id: `/subscriptions/${subscriptionId}/resourceGroups/${DEFAULT_GROUP}/providers/Microsoft.ContainerService/managedClusters/${name}`,
			subscriptionId,
			resourceGroup: DEFAULT_GROUP,
			location: DEFAULT_LOCATION,
			oidcIssuerUrl: `https://${DEFAULT_LOCATION}.oic.prod-aks.azure.com/${tenantId}/5e1f0c2a-7b3d-4e6f-9a8b-00000000a45c/`,
			issuerKeys: [],
			serviceAccounts: {
				'default/stock-worker': { namespace: 'default', name: 'stock-worker', annotations: {} }
			},
			createdAt: world.now
		}
	};
	world.outsideMachines['stock-worker'] = {
		name: 'stock-worker',
		hostname: 'stock-worker',
		description:
			'A pod of the AKS cluster aks-stock (namespace default, service account stock-worker).',
		files: {},
		pod: {
			cluster: name,
			namespace: 'default',
			serviceAccount: 'stock-worker',
			useWorkloadIdentity: true
		}
	};
}

function appSettingsWithSecrets(storageKey: string): string {
	return `${JSON.stringify(
		{
			ConnectionStrings: {
				QuotesStorage: `DefaultEndpointsProtocol=https;AccountName=ststockdata;AccountKey=${storageKey};EndpointSuffix=core.windows.net`,
				StockDb:
					'Server=tcp:sql-stock.database.windows.net,1433;Database=stockdb;User ID=stockapp;Password=Stock-Db-Pa55!2026;Encrypt=True;'
			},
			KeyVaultUri: 'https://kv-stock.vault.azure.net/'
		},
		null,
		2
	)}\n`;
}

/** The ARM id of a default-world resource group (convenience for lessons and tests). */
export function defaultGroupId(): string {
	return resourceGroupId(DEFAULT_IDS.subscriptionId, DEFAULT_GROUP);
}
