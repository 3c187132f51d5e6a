import { describe, expect, it } from 'vitest';
import {
	DEFAULT_GROUP,
	DEFAULT_IDS,
	DEFAULT_LOCATION,
	MICROSOFT_SERVICES_TENANT,
	createDefaultWorld,
	createEmptyWorld,
	defaultGroupId
} from '../../../src/core/azure/default-world.ts';
import { WORLD_VERSION } from '../../../src/core/azure/model.ts';
import { findInconsistencies } from '../../../src/core/azure/invariants.ts';
import { snapshotWorld } from '../../../src/core/azure/snapshot.ts';
import { DEFAULT_START } from '../../../src/core/clock.ts';
import { isGuid } from '../../../src/core/ids.ts';
import { RG, SARAH_UPN, STORAGE, SUB, VAULT, VM_APP, defaultWorld, resource } from './helpers.ts';

describe('createDefaultWorld', () => {
	const world = createDefaultWorld();

	it('is the tenant Contoso with the subscription Contoso Production, both with fixed ids', () => {
		expect(world.version).toBe(WORLD_VERSION);
		expect(world.tenant).toEqual({
			tenantId: DEFAULT_IDS.tenantId,
			displayName: 'Contoso',
			defaultDomain: 'contoso.onmicrosoft.com'
		});
		expect(Object.values(world.subscriptions)).toEqual([
			{
				id: SUB,
				subscriptionId: DEFAULT_IDS.subscriptionId,
				displayName: 'Contoso Production',
				tenantId: DEFAULT_IDS.tenantId,
				managementGroupId: `/providers/Microsoft.Management/managementGroups/${DEFAULT_IDS.tenantId}`
			}
		]);
		expect(Object.values(world.managementGroups).map((m) => m.displayName)).toEqual([
			'Tenant Root Group'
		]);
		expect(Object.values(DEFAULT_IDS).every(isGuid)).toBe(true);
	});

	it('starts on Monday 2026-03-02 09:00 UTC with a 5-minute propagation delay', () => {
		expect(world.now).toBe(DEFAULT_START);
		expect(world.settings).toEqual({
			propagationDelaySeconds: 300,
			tokenLifetimeSeconds: 86_700,
			principalReplicationDelaySeconds: 30
		});
	});

	it('holds rg-stock in westeurope with the stock app resources, by name and type', () => {
		expect(Object.values(world.resourceGroups)).toEqual([
			{
				id: RG,
				name: DEFAULT_GROUP,
				subscriptionId: DEFAULT_IDS.subscriptionId,
				location: DEFAULT_LOCATION,
				tags: {}
			}
		]);
		expect(defaultGroupId()).toBe(RG);
		expect(
			Object.values(world.resources).map((r) => [r.name, r.kind, r.resourceGroup, r.location])
		).toEqual([
			['vm-stock-app', 'virtualMachine', 'rg-stock', 'westeurope'],
			['vm-stock-web-1', 'virtualMachine', 'rg-stock', 'westeurope'],
			['vm-stock-web-2', 'virtualMachine', 'rg-stock', 'westeurope'],
			['vm-stock-web-3', 'virtualMachine', 'rg-stock', 'westeurope'],
			['kv-stock', 'keyVault', 'rg-stock', 'westeurope'],
			['ststockdata', 'storageAccount', 'rg-stock', 'westeurope'],
			['sql-stock', 'sqlServer', 'rg-stock', 'westeurope'],
			['stockdb', 'sqlDatabase', 'rg-stock', 'westeurope'],
			['app-stock-web', 'webApp', 'rg-stock', 'westeurope'],
			['func-stock-import', 'functionApp', 'rg-stock', 'westeurope']
		]);
	});

	it('has no managed identity yet', () => {
		for (const r of Object.values(world.resources)) {
			if ('identity' in r) expect(r.identity).toEqual({ systemAssigned: null, userAssigned: [] });
		}
		expect(
			Object.values(world.directory.servicePrincipals).some(
				(sp) => sp.servicePrincipalType === 'ManagedIdentity'
			)
		).toBe(false);
	});

	it('has the secret db-password, the container quotes with today.csv, and the database stockdb', () => {
		const vault = resource(world, VAULT);
		const storage = resource(world, STORAGE);
		if (vault.kind !== 'keyVault' || storage.kind !== 'storageAccount')
			throw new Error('wrong kinds');
		expect(Object.keys(vault.secrets)).toEqual(['db-password']);
		expect(vault.enableRbacAuthorization).toBe(true);
		expect(Object.keys(storage.containers)).toEqual(['quotes']);
		expect(storage.containers['quotes']?.blobs['today.csv']?.content).toMatch(
			/^symbol,price,currency\nCTSO,/
		);
		const db = Object.values(world.resources).find((r) => r.kind === 'sqlDatabase');
		expect(db?.kind === 'sqlDatabase' && db.serverName).toBe('sql-stock');
	});

	it('puts the connection strings on vm-stock-app, with the real storage key', () => {
		const vm = resource(world, VM_APP);
		const storage = resource(world, STORAGE);
		if (vm.kind !== 'virtualMachine' || storage.kind !== 'storageAccount')
			throw new Error('wrong kinds');
		const config = vm.files['/etc/stock-app/appsettings.json'];
		if (config === undefined) throw new Error('no config file');
		const parsed = JSON.parse(config) as {
			ConnectionStrings: Record<string, string>;
			KeyVaultUri: string;
		};
		expect(parsed.ConnectionStrings['QuotesStorage']).toBe(
			`DefaultEndpointsProtocol=https;AccountName=ststockdata;AccountKey=${storage.keys.key1};EndpointSuffix=core.windows.net`
		);
		expect(parsed.ConnectionStrings['StockDb']).toContain('Password=Stock-Db-Pa55!2026');
		expect(parsed.KeyVaultUri).toBe('https://kv-stock.vault.azure.net/');
		for (const other of Object.values(world.resources)) {
			if (other.id !== vm.id && 'files' in other) expect(other.files).toEqual({});
		}
	});

	it('has the on-premises server outside Azure, and the pod of the AKS cluster (lesson 15)', () => {
		expect(Object.keys(world.outsideMachines)).toEqual(['onprem-legacy-01', 'stock-worker']);
		expect(world.outsideMachines['stock-worker']?.pod).toEqual({
			cluster: 'aks-stock',
			namespace: 'default',
			serviceAccount: 'stock-worker',
			useWorkloadIdentity: true
		});
		expect(world.kubernetesClusters?.['aks-stock']?.oidcIssuerUrl).toMatch(
			/^https:\/\/westeurope\.oic\.prod-aks\.azure\.com\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/$/
		);
		expect(world.outsideMachines['onprem-legacy-01']).toMatchObject({
			hostname: 'onprem-legacy-01.contoso.local',
			files: {}
		});
	});

	it('has Sarah, the first-party Managed Service Identity, and the legacy app with its certificate', () => {
		expect(world.directory.users).toEqual({
			[DEFAULT_IDS.sarahId]: {
				id: DEFAULT_IDS.sarahId,
				userPrincipalName: SARAH_UPN,
				displayName: 'Sarah'
			}
		});
		expect(world.directory.servicePrincipals[DEFAULT_IDS.msiFirstPartyId]).toMatchObject({
			displayName: 'Managed Service Identity',
			appId: DEFAULT_IDS.msiFirstPartyAppId,
			servicePrincipalType: 'Application',
			appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT
		});
		// The real first-party app: directory audit entries name the actor
		// "ef5d5c69-a5df-46bb-acaf-426f161a21a2;https://serviceidentity.azure.net/".
		expect(world.directory.servicePrincipals[DEFAULT_IDS.msiFirstPartyId]).toMatchObject({
			appId: 'ef5d5c69-a5df-46bb-acaf-426f161a21a2',
			servicePrincipalNames: [
				'ef5d5c69-a5df-46bb-acaf-426f161a21a2',
				'https://serviceidentity.azure.net/'
			]
		});
		expect(world.directory.applications[DEFAULT_IDS.legacyAppObjectId]).toMatchObject({
			appId: DEFAULT_IDS.legacyAppId,
			displayName: 'stock-app-legacy',
			credentials: [
				{
					kind: 'certificate',
					displayName: 'CN=stock-app-legacy',
					endDateTime: DEFAULT_START + 20 * 86_400
				}
			]
		});
		expect(world.directory.servicePrincipals[DEFAULT_IDS.legacySpId]).toMatchObject({
			appId: DEFAULT_IDS.legacyAppId,
			servicePrincipalType: 'Application'
		});
	});

	it('makes Sarah Owner of the subscription, effective from the start (setup has propagated)', () => {
		expect(Object.values(world.roleAssignments)).toEqual([
			expect.objectContaining({
				name: '5a7a0de0-0000-4000-8000-000000000001',
				scope: SUB,
				roleDefinitionId: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
				principalId: DEFAULT_IDS.sarahId,
				principalType: 'User',
				createdAt: DEFAULT_START,
				effectiveAt: DEFAULT_START,
				removedAt: null
			})
		]);
	});

	it('is consistent, with an empty history, no keys and no cached tokens', () => {
		expect(findInconsistencies(world)).toEqual([]);
		expect(world.events).toEqual([]);
		expect(world.signingKeys).toEqual([]);
		expect(world.tokenCache).toEqual({});
	});

	it('is the same every time, and differs (ids, keys) for another seed', () => {
		expect(snapshotWorld(createDefaultWorld())).toBe(snapshotWorld(world));
		const other = createDefaultWorld({ seed: 'fabrikam' });
		expect(other.seed).toBe('fabrikam');
		const key = (w: typeof world) => {
			const s = resource(w, STORAGE);
			return s.kind === 'storageAccount' ? s.keys.key1 : '';
		};
		expect(key(other)).not.toBe(key(world));
		expect(Object.keys(other.resources)).toEqual(Object.keys(world.resources));
	});

	it('is a fresh object each time (changing one does not change the next)', () => {
		const a = createDefaultWorld();
		a.tenant.displayName = 'Changed';
		expect(createDefaultWorld().tenant.displayName).toBe('Contoso');
		expect(defaultWorld().tenant.displayName).toBe('Contoso');
	});
});

describe('createEmptyWorld', () => {
	it('holds the tenant, subscription, Sarah and the first-party principal, and nothing else', () => {
		const world = createEmptyWorld({ seed: 'empty' });
		expect(world.seed).toBe('empty');
		expect(world.resourceGroups).toEqual({});
		expect(world.resources).toEqual({});
		expect(world.roleAssignments).toEqual({});
		expect(Object.keys(world.directory.servicePrincipals)).toEqual([DEFAULT_IDS.msiFirstPartyId]);
		expect(Object.keys(world.directory.users)).toEqual([DEFAULT_IDS.sarahId]);
		expect(findInconsistencies(world)).toEqual([]);
		expect(createEmptyWorld().seed).toBe('contoso');
	});
});
