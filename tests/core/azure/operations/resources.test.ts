import { describe, expect, it } from 'vitest';
import type { ActivityEvent, DirectoryAuditEvent } from '../../../../src/core/azure/events.ts';
import type { World } from '../../../../src/core/azure/model.ts';
import { armIdentity, armRoleAssignment } from '../../../../src/core/azure/arm-view.ts';
import {
	DEFAULT_IDS,
	MICROSOFT_SERVICES_TENANT
} from '../../../../src/core/azure/default-world.ts';
import { findInconsistencies } from '../../../../src/core/azure/invariants.ts';
import { getResource, isOrphaned } from '../../../../src/core/azure/queries.ts';
import { isGuid } from '../../../../src/core/ids.ts';
import { addSeconds } from '../../../../src/core/clock.ts';
import {
	CONTAINER,
	RG,
	ROLE,
	SQL_DB,
	SQL_SERVER,
	STORAGE,
	SUB_ID,
	VAULT,
	VMSS,
	VM_APP,
	VM_WEB_1,
	WEB_APP,
	defaultWorld,
	enableSystem,
	host,
	idOf,
	principal,
	refuse,
	resource,
	roleAssignment,
	run,
	runAll,
	systemPrincipalId,
	uami,
	withIdentity,
	withOtherGroup
} from '../helpers.ts';

/** The code of the error with which `world` (the default world unless given) refuses `operation`. */
const refusal = (operation: unknown, world: World = defaultWorld()): string =>
	refuse(world, operation).code;

const activity = (events: unknown[]) =>
	events.filter((e): e is ActivityEvent => (e as ActivityEvent).kind === 'activity');
const audits = (events: unknown[]) =>
	events.filter(
		(e): e is DirectoryAuditEvent => (e as DirectoryAuditEvent).kind === 'directoryAudit'
	);

describe('createResourceGroup', () => {
	it('creates a group in the subscription and logs the write', () => {
		const { world, events } = run(defaultWorld(), {
			type: 'createResourceGroup',
			name: 'rg-lab',
			location: 'northeurope'
		});
		const id = `/subscriptions/${SUB_ID}/resourceGroups/rg-lab`;
		expect(world.resourceGroups[id.toLowerCase()]).toEqual({
			id,
			name: 'rg-lab',
			subscriptionId: SUB_ID,
			location: 'northeurope',
			tags: {}
		});
		expect(events).toEqual([
			expect.objectContaining({
				kind: 'activity',
				operationName: 'Microsoft.Resources/subscriptions/resourceGroups/write',
				resourceId: id,
				caller: 'sarah@contoso.onmicrosoft.com',
				status: 'Succeeded'
			})
		]);
	});

	it('takes the subscription by id in any case', () => {
		const { world } = run(defaultWorld(), {
			type: 'createResourceGroup',
			name: 'rg-lab',
			location: 'westeurope',
			subscriptionId: SUB_ID.toUpperCase()
		});
		expect(Object.values(world.resourceGroups).map((g) => g.subscriptionId)).toEqual([
			SUB_ID,
			SUB_ID
		]);
	});

	it.each(['', 'rg lab', 'rg-lab.', 'x'.repeat(91), 'rg/lab'])(
		'refuses the name %j with InvalidName',
		(name) => {
			expect(refusal({ type: 'createResourceGroup', name, location: 'westeurope' })).toBe(
				'InvalidName'
			);
		}
	);

	it.each([undefined, 'West Europe', 42])('refuses the location %j', (location) => {
		expect(refusal({ type: 'createResourceGroup', name: 'rg-lab', location })).toBe('InvalidInput');
	});

	it('refuses a name that exists, in any case', () => {
		expect(
			refusal({
				type: 'createResourceGroup',
				name: 'RG-Stock',
				location: 'westeurope'
			})
		).toBe('ResourceGroupExists');
	});

	it.each(['00000000-0000-4000-8000-000000000000', 'constructor', '__proto__', ''])(
		'refuses the unknown subscription %j',
		(subscriptionId) => {
			const error = refuse(defaultWorld(), {
				type: 'createResourceGroup',
				name: 'rg-lab',
				location: 'westeurope',
				subscriptionId
			});
			expect(error.code).toBe('InvalidInput');
			expect(error.message).toContain('does not exist');
		}
	);
});

describe('createVirtualMachine', () => {
	it('creates a VM with ARM casing, defaults from the group, and no identity', () => {
		const { world, events } = run(
			defaultWorld(),
			{
				type: 'createVirtualMachine',
				resourceGroup: 'RG-STOCK',
				name: 'vm-lab',
				tags: { env: 'lab' }
			},
			{ caller: 'ops@contoso.onmicrosoft.com' }
		);
		const vm = resource(world, idOf('virtualMachine', 'vm-lab'));
		expect(vm).toMatchObject({
			id: `${RG}/providers/Microsoft.Compute/virtualMachines/vm-lab`,
			name: 'vm-lab',
			kind: 'virtualMachine',
			resourceGroup: 'rg-stock',
			location: 'westeurope',
			tags: { env: 'lab' },
			vmSize: 'Standard_B2s',
			osType: 'Linux',
			identity: { systemAssigned: null, userAssigned: [] },
			files: {},
			createdAt: world.now
		});
		if (vm.kind !== 'virtualMachine') throw new Error('not a VM');
		expect(isGuid(vm.vmId)).toBe(true);
		expect(vm.privateIp).toMatch(/^10\.0\.\d+\.\d+$/);
		expect(events).toEqual([
			expect.objectContaining({
				kind: 'activity',
				operationName: 'Microsoft.Compute/virtualMachines/write',
				resourceId: vm.id,
				caller: 'ops@contoso.onmicrosoft.com'
			})
		]);
	});

	it('honours size, OS, location and files', () => {
		const { world } = run(defaultWorld(), {
			type: 'createVirtualMachine',
			resourceGroup: 'rg-stock',
			name: 'vm-win',
			vmSize: 'Standard_D2s_v5',
			osType: 'Windows',
			location: 'northeurope',
			files: { 'C:\\app\\web.config': '<configuration/>' }
		});
		expect(resource(world, idOf('virtualMachine', 'vm-win'))).toMatchObject({
			vmSize: 'Standard_D2s_v5',
			osType: 'Windows',
			location: 'northeurope',
			files: { 'C:\\app\\web.config': '<configuration/>' }
		});
	});

	it('gives every VM its own private IP and vmId', () => {
		const world = defaultWorld();
		const vms = Object.values(world.resources).filter((r) => r.kind === 'virtualMachine');
		expect(new Set(vms.map((v) => (v.kind === 'virtualMachine' ? v.privateIp : ''))).size).toBe(
			vms.length
		);
		expect(new Set(vms.map((v) => (v.kind === 'virtualMachine' ? v.vmId : ''))).size).toBe(
			vms.length
		);
	});

	it('creates the identities asked for (az vm create --assign-identity)', () => {
		const { world: w1, id } = withIdentity(defaultWorld(), 'id-stock');
		const { world, events } = run(w1, {
			type: 'createVirtualMachine',
			resourceGroup: 'rg-stock',
			name: 'vm-lab',
			identity: { systemAssigned: true, userAssigned: [id.toUpperCase()] }
		});
		const vm = host(world, idOf('virtualMachine', 'vm-lab'));
		expect(vm.identity.userAssigned).toEqual([id]);
		expect(armIdentity(world, vm).type).toBe('SystemAssigned, UserAssigned');
		expect(principal(world, systemPrincipalId(world, vm.id)).displayName).toBe('vm-lab');
		expect(audits(events).map((e) => e.activity)).toEqual(['Add service principal']);
	});

	it('refuses an unknown user-assigned identity and creates nothing', () => {
		const error = refuse(defaultWorld(), {
			type: 'createVirtualMachine',
			resourceGroup: 'rg-stock',
			name: 'vm-lab',
			identity: { systemAssigned: true, userAssigned: [idOf('userAssignedIdentity', 'id-missing')] }
		});
		expect(error.code).toBe('IdentityNotFound');
	});

	it.each([
		['identity', 'yes', 'InvalidInput'],
		['identity', { userAssigned: 5 }, 'InvalidInput'],
		['identity', { systemAssigned: 'true' }, 'InvalidInput'],
		['vmSize', 42, 'InvalidInput'],
		['vmSize', '', 'InvalidInput'],
		['osType', 'BSD', 'InvalidInput'],
		['files', 'none', 'InvalidInput'],
		['files', { '/etc/x': 1 }, 'InvalidInput'],
		['tags', { env: 1 }, 'InvalidInput'],
		['tags', ['env'], 'InvalidInput'],
		['tags', JSON.parse('{"__proto__":"x"}') as unknown, 'InvalidName'],
		['location', 'West Europe', 'InvalidInput']
	])('refuses %s = %j without touching the world', (field, value, code) => {
		const error = refuse(defaultWorld(), {
			type: 'createVirtualMachine',
			resourceGroup: 'rg-stock',
			name: 'vm-lab',
			[field]: value
		});
		expect(error.code).toBe(code);
	});

	it.each(['', '-vm', 'vm_lab', 'vm lab', 'x'.repeat(65), 42, null])(
		'refuses the name %j with InvalidName',
		(name) => {
			expect(refusal({ type: 'createVirtualMachine', resourceGroup: 'rg-stock', name })).toBe(
				'InvalidName'
			);
		}
	);

	it('refuses an unknown resource group, naming the ones that exist', () => {
		const error = refuse(defaultWorld(), {
			type: 'createVirtualMachine',
			resourceGroup: 'rg-nope',
			name: 'vm-lab'
		});
		expect(error.code).toBe('ResourceGroupNotFound');
		expect(error.message).toContain('rg-stock');
	});

	it('refuses a missing resource group name', () => {
		expect(refusal({ type: 'createVirtualMachine', name: 'vm-lab' })).toBe('InvalidInput');
	});

	it('refuses a VM name that exists in the group, in any case', () => {
		expect(
			refusal({
				type: 'createVirtualMachine',
				resourceGroup: 'rg-stock',
				name: 'VM-STOCK-APP'
			})
		).toBe('ResourceExists');
	});
});

describe('createScaleSet and scaleScaleSet', () => {
	it('creates two instances by default, named as Azure names them', () => {
		const { world, events } = run(defaultWorld(), {
			type: 'createScaleSet',
			resourceGroup: 'rg-stock',
			name: 'vmss-web'
		});
		const vmss = resource(world, VMSS);
		if (vmss.kind !== 'virtualMachineScaleSet') throw new Error('not a scale set');
		expect(vmss.instances.map((i) => [i.instanceId, i.name])).toEqual([
			['0', 'vmss-web_0'],
			['1', 'vmss-web_1']
		]);
		expect(vmss.nextInstanceId).toBe(2);
		expect(activity(events)[0]?.operationName).toBe(
			'Microsoft.Compute/virtualMachineScaleSets/write'
		);
	});

	it('never reuses an instance id after a scale-in', () => {
		const world = runAll(defaultWorld(), [
			{ type: 'createScaleSet', resourceGroup: 'rg-stock', name: 'vmss-web', capacity: 3 },
			{ type: 'scaleScaleSet', resourceId: VMSS, capacity: 1 },
			{ type: 'scaleScaleSet', resourceId: VMSS.toUpperCase(), capacity: 2 }
		]);
		const vmss = resource(world, VMSS);
		if (vmss.kind !== 'virtualMachineScaleSet') throw new Error('not a scale set');
		expect(vmss.instances.map((i) => i.instanceId)).toEqual(['0', '3']);
	});

	it('shares the scale set identity with new instances (one principal for all)', () => {
		const world = runAll(defaultWorld(), [
			{
				type: 'createScaleSet',
				resourceGroup: 'rg-stock',
				name: 'vmss-web',
				identity: { systemAssigned: true }
			},
			{ type: 'scaleScaleSet', resourceId: VMSS, capacity: 5 }
		]);
		const managed = Object.values(world.directory.servicePrincipals).filter(
			(sp) => sp.servicePrincipalType === 'ManagedIdentity'
		);
		expect(managed.map((sp) => sp.displayName)).toEqual(['vmss-web']);
	});

	it.each([-1, 1.5, 1001, '2'])('refuses capacity %j at creation', (capacity) => {
		expect(
			refusal({
				type: 'createScaleSet',
				resourceGroup: 'rg-stock',
				name: 'vmss-web',
				capacity
			})
		).toBe('InvalidCapacity');
	});

	it.each([-1, 2.5, 1001, undefined])('refuses scaling to %j', (capacity) => {
		const world = run(defaultWorld(), {
			type: 'createScaleSet',
			resourceGroup: 'rg-stock',
			name: 'vmss-web'
		}).world;
		expect(refusal({ type: 'scaleScaleSet', resourceId: VMSS, capacity }, world)).toBe(
			'InvalidCapacity'
		);
	});

	it.each([VM_APP, 'constructor', '__proto__', ''])(
		'refuses to scale %j, which is no scale set',
		(resourceId) => {
			expect(refusal({ type: 'scaleScaleSet', resourceId, capacity: 3 })).toBe('ResourceNotFound');
		}
	);
});

describe('createWebSite', () => {
	it('creates a web app and a function app with their host names and identity header', () => {
		const world = runAll(defaultWorld(), [
			{
				type: 'createWebSite',
				kind: 'webApp',
				resourceGroup: 'rg-stock',
				name: 'App-Lab',
				appSettings: { MODE: 'lab' }
			},
			{ type: 'createWebSite', kind: 'functionApp', resourceGroup: 'rg-stock', name: 'func-lab' }
		]);
		const app = resource(world, idOf('webApp', 'App-Lab'));
		const func = resource(world, idOf('functionApp', 'func-lab'));
		expect(app).toMatchObject({
			kind: 'webApp',
			defaultHostName: 'app-lab.azurewebsites.net',
			appSettings: { MODE: 'lab' }
		});
		expect(func).toMatchObject({
			kind: 'functionApp',
			defaultHostName: 'func-lab.azurewebsites.net'
		});
		expect(app.id).toBe(`${RG}/providers/Microsoft.Web/sites/App-Lab`);
		if (app.kind !== 'webApp' || func.kind !== 'functionApp') throw new Error('not sites');
		expect(isGuid(app.identityHeader)).toBe(true);
		expect(app.identityHeader).not.toBe(func.identityHeader);
	});

	it.each([undefined, 'site', 'WebApp'])('refuses the kind %j', (kind) => {
		expect(
			refusal({
				type: 'createWebSite',
				kind,
				resourceGroup: 'rg-stock',
				name: 'app-lab'
			})
		).toBe('InvalidInput');
	});

	it('refuses a site name used anywhere (names are global in azurewebsites.net)', () => {
		expect(
			refusal(
				{
					type: 'createWebSite',
					kind: 'functionApp',
					resourceGroup: 'rg-other',
					name: 'APP-STOCK-WEB'
				},
				withOtherGroup()
			)
		).toBe('NameNotAvailable');
	});

	it('refuses a site that exists in the group', () => {
		expect(
			refusal({
				type: 'createWebSite',
				kind: 'functionApp',
				resourceGroup: 'rg-stock',
				name: 'app-stock-web'
			})
		).toBe('ResourceExists');
	});

	it.each([{ MODE: 1 }, 'MODE=lab'])('refuses appSettings %j', (appSettings) => {
		expect(
			refusal({
				type: 'createWebSite',
				kind: 'webApp',
				resourceGroup: 'rg-stock',
				name: 'app-lab',
				appSettings
			})
		).toBe('InvalidInput');
	});

	it.each(['-app', 'app-', 'a', 'app_lab'])('refuses the name %j', (name) => {
		expect(
			refusal({
				type: 'createWebSite',
				kind: 'webApp',
				resourceGroup: 'rg-stock',
				name
			})
		).toBe('InvalidName');
	});
});

describe('createStorageAccount', () => {
	it('creates an account with seeded keys, containers and blobs', () => {
		const { world } = run(defaultWorld(), {
			type: 'createStorageAccount',
			resourceGroup: 'rg-stock',
			name: 'stlab',
			containers: { reports: { 'q1.csv': 'a,b\n', 'raw.bin': 'xx' } }
		});
		const account = resource(world, idOf('storageAccount', 'stlab'));
		if (account.kind !== 'storageAccount') throw new Error('not storage');
		expect(account.keys.key1).toMatch(/^[A-Za-z0-9_-]{86}==$/);
		expect(account.keys.key1).not.toBe(account.keys.key2);
		expect(account.containers['reports']?.blobs['q1.csv']).toMatchObject({
			content: 'a,b\n',
			contentType: 'text/csv'
		});
		expect(account.containers['reports']?.blobs['raw.bin']?.contentType).toBe(
			'application/octet-stream'
		);
	});

	it.each(['StLab', 'st-lab', 'st', 'x'.repeat(25)])('refuses the name %j', (name) => {
		expect(refusal({ type: 'createStorageAccount', resourceGroup: 'rg-stock', name })).toBe(
			'InvalidName'
		);
	});

	it('refuses a name used in another group (unique across Azure)', () => {
		expect(
			refusal(
				{ type: 'createStorageAccount', resourceGroup: 'rg-other', name: 'ststockdata' },
				withOtherGroup()
			)
		).toBe('NameNotAvailable');
	});

	it.each([
		['Bad Container', 'InvalidName'],
		['__proto__', 'InvalidName']
	])('refuses the initial container %j', (container, code) => {
		const containers = JSON.parse(`{${JSON.stringify(container)}: {}}`) as unknown;
		expect(
			refusal({
				type: 'createStorageAccount',
				resourceGroup: 'rg-stock',
				name: 'stlab',
				containers
			})
		).toBe(code);
	});

	it.each([
		[{ c1x: { 'a.csv': 5 } }],
		[{ c1x: 'a.csv' }],
		['quotes'],
		[{ c1x: JSON.parse('{"__proto__":"x"}') as unknown }]
	])('refuses the initial containers %j', (containers) => {
		const code = refusal({
			type: 'createStorageAccount',
			resourceGroup: 'rg-stock',
			name: 'stlab',
			containers
		});
		expect(['InvalidInput', 'InvalidName']).toContain(code);
	});
});

describe('createKeyVault', () => {
	it('creates an RBAC vault with its secrets as first versions', () => {
		const { world } = run(defaultWorld(), {
			type: 'createKeyVault',
			resourceGroup: 'rg-stock',
			name: 'KV-Lab',
			secrets: { 'api-key': 'k' }
		});
		const vault = resource(world, idOf('keyVault', 'KV-Lab'));
		if (vault.kind !== 'keyVault') throw new Error('not a vault');
		expect(vault.vaultUri).toBe('https://kv-lab.vault.azure.net/');
		expect(vault.enableRbacAuthorization).toBe(true);
		expect(vault.secrets['api-key']?.versions).toEqual([
			{ version: expect.stringMatching(/^[0-9a-f]{32}$/) as string, value: 'k', created: world.now }
		]);
	});

	it('refuses a vault name used anywhere, in any case', () => {
		expect(
			refusal(
				{ type: 'createKeyVault', resourceGroup: 'rg-other', name: 'KV-STOCK' },
				withOtherGroup()
			)
		).toBe('NameNotAvailable');
	});

	it.each([
		[{ 'bad name': 'x' }, 'InvalidName'],
		[{ 'api-key': 5 }, 'InvalidInput'],
		['api-key', 'InvalidInput']
	])('refuses the secrets %j', (secrets, code) => {
		expect(
			refusal({
				type: 'createKeyVault',
				resourceGroup: 'rg-stock',
				name: 'kv-lab',
				secrets
			})
		).toBe(code);
	});

	it.each(['kv', '1kv-lab', 'kv-lab-', 'kv_lab'])('refuses the name %j', (name) => {
		expect(refusal({ type: 'createKeyVault', resourceGroup: 'rg-stock', name })).toBe(
			'InvalidName'
		);
	});
});

describe('createSqlServer and createSqlDatabase', () => {
	it('creates a server with its FQDN and a database as its child', () => {
		const world = runAll(defaultWorld(), [
			{ type: 'createSqlServer', resourceGroup: 'rg-stock', name: 'sql-lab' },
			{
				type: 'createSqlDatabase',
				resourceGroup: 'rg-stock',
				serverName: 'SQL-LAB',
				name: 'labdb',
				tables: { T: { columns: ['a'], rows: [['1']] } }
			}
		]);
		expect(resource(world, idOf('sqlServer', 'sql-lab'))).toMatchObject({
			fullyQualifiedDomainName: 'sql-lab.database.windows.net',
			adAdmin: null
		});
		const db = resource(world, idOf('sqlDatabase', 'labdb', 'sql-lab'));
		expect(db.id).toBe(`${RG}/providers/Microsoft.Sql/servers/sql-lab/databases/labdb`);
		expect(db).toMatchObject({
			serverName: 'sql-lab',
			users: {},
			tables: { T: { columns: ['a'], rows: [['1']] } }
		});
	});

	it('refuses a server name used anywhere (unique across Azure)', () => {
		expect(
			refusal(
				{ type: 'createSqlServer', resourceGroup: 'rg-other', name: 'sql-stock' },
				withOtherGroup()
			)
		).toBe('NameNotAvailable');
	});

	it.each(['SQL-Lab', '-sql', 'sql-'])('refuses the server name %j', (name) => {
		expect(refusal({ type: 'createSqlServer', resourceGroup: 'rg-stock', name })).toBe(
			'InvalidName'
		);
	});

	it('refuses a database on a server that does not exist', () => {
		expect(
			refusal({
				type: 'createSqlDatabase',
				resourceGroup: 'rg-stock',
				serverName: 'sql-nope',
				name: 'db'
			})
		).toBe('ResourceNotFound');
	});

	it('refuses a database that exists and a bad database name', () => {
		const createDb = (resourceGroup: string, name: string) =>
			refusal({ type: 'createSqlDatabase', resourceGroup, serverName: 'sql-stock', name });
		expect(createDb('rg-stock', 'StockDB')).toBe('ResourceExists');
		expect(createDb('rg-stock', 'a/b')).toBe('InvalidName');
		expect(createDb('rg-nope', 'db')).toBe('ResourceGroupNotFound');
	});

	it.each([
		['tables'],
		[{ T: { columns: 'a', rows: [] } }],
		[{ T: { columns: ['a'], rows: [[1]] } }],
		[JSON.parse('{"__proto__":{"columns":[],"rows":[]}}') as unknown]
	])('refuses the tables %j', (tables) => {
		const code = refusal({
			type: 'createSqlDatabase',
			resourceGroup: 'rg-stock',
			serverName: 'sql-stock',
			name: 'db2',
			tables
		});
		expect(['InvalidInput', 'InvalidName']).toContain(code);
	});
});

describe('createUserIdentity', () => {
	it('creates the ARM resource and its ManagedIdentity service principal, with no application object', () => {
		const before = defaultWorld();
		const { world, events } = run(before, {
			type: 'createUserIdentity',
			resourceGroup: 'rg-stock',
			name: 'id-stock',
			tags: { app: 'stock' }
		});
		const identity = uami(world, idOf('userAssignedIdentity', 'id-stock'));
		expect(identity.id).toBe(
			`${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-stock`
		);
		expect(identity.tenantId).toBe(DEFAULT_IDS.tenantId);
		expect(identity.tags).toEqual({ app: 'stock' });
		const sp = principal(world, identity.principalId);
		expect(sp).toMatchObject({
			id: identity.principalId,
			appId: identity.clientId,
			displayName: 'id-stock',
			servicePrincipalType: 'ManagedIdentity',
			appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT,
			alternativeNames: ['isExplicit=True', identity.id],
			accountEnabled: true,
			managedIdentityResourceId: identity.id
		});
		expect(sp.servicePrincipalNames[0]).toBe(identity.clientId);
		expect(sp.servicePrincipalNames[1]).toMatch(
			/^https:\/\/identity\.azure\.net\/[A-Za-z0-9_-]{43}=$/
		);
		expect(sp.certificate).toMatchObject({
			notBefore: world.now,
			notAfter: world.now + 90 * 86_400,
			renewAfter: world.now + 45 * 86_400
		});
		expect(world.directory.applications).toEqual(before.directory.applications);
		expect(
			Object.values(world.directory.applications).some((a) => a.appId === identity.clientId)
		).toBe(false);
		expect(events.map((e) => e.kind)).toEqual(['directoryAudit', 'activity']);
		expect(audits(events)[0]).toMatchObject({
			activity: 'Add service principal',
			initiatedBy: 'Managed Service Identity',
			initiatedById: DEFAULT_IDS.msiFirstPartyId,
			targetId: identity.principalId,
			targetDisplayName: 'id-stock'
		});
		expect(activity(events)[0]?.operationName).toBe(
			'Microsoft.ManagedIdentity/userAssignedIdentities/write'
		);
		expect(isOrphaned(world, identity.id)).toBe(true);
	});

	it.each(['id', '-id', 'id stock', 'x'.repeat(129)])('refuses the name %j', (name) => {
		expect(refusal({ type: 'createUserIdentity', resourceGroup: 'rg-stock', name })).toBe(
			'InvalidName'
		);
	});

	it('refuses a name that exists in the group', () => {
		const { world } = withIdentity(defaultWorld(), 'id-stock');
		expect(
			refusal({ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'ID-STOCK' }, world)
		).toBe('ResourceExists');
	});
});

describe('deleteResource', () => {
	it('deletes a VM and its system-assigned service principal, and keeps its user-assigned identities', () => {
		const { world: w1, id } = withIdentity(defaultWorld(), 'id-stock');
		const w2 = runAll(w1, [
			{ type: 'enableSystemIdentity', resourceId: VM_APP },
			{ type: 'assignUserIdentity', resourceId: VM_APP, identityId: id }
		]);
		const systemId = systemPrincipalId(w2, VM_APP);
		const { world, events } = run(
			w2,
			{ type: 'deleteResource', resourceId: VM_APP.toLowerCase() },
			{ caller: 'ops@contoso.onmicrosoft.com' }
		);
		expect(getResource(world, VM_APP)).toBeUndefined();
		expect(world.directory.servicePrincipals[systemId]).toBeUndefined();
		expect(audits(events)).toEqual([
			expect.objectContaining({
				activity: 'Hard delete service principal',
				initiatedBy: 'Managed Service Identity',
				initiatedById: DEFAULT_IDS.msiFirstPartyId,
				targetId: systemId,
				targetDisplayName: 'vm-stock-app'
			})
		]);
		expect(activity(events)).toEqual([
			expect.objectContaining({
				operationName: 'Microsoft.Compute/virtualMachines/delete',
				resourceId: VM_APP,
				caller: 'ops@contoso.onmicrosoft.com',
				status: 'Succeeded'
			})
		]);
		const survivor = uami(world, id);
		expect(principal(world, survivor.principalId).displayName).toBe('id-stock');
		expect(isOrphaned(world, id)).toBe(true);
		expect(findInconsistencies(world)).toEqual([]);
	});

	it('keeps role assignments that named the deleted identity; they keep their principalType and show no name (reference 4.4)', () => {
		const w1 = enableSystem(defaultWorld(), VM_APP);
		const principalId = systemPrincipalId(w1, VM_APP);
		const w2 = run(w1, {
			type: 'createRoleAssignment',
			role: 'Key Vault Secrets User',
			scope: VAULT,
			principalId
		}).world;
		const assignment = Object.values(w2.roleAssignments).find((a) => a.principalId === principalId);
		if (!assignment) throw new Error('no assignment');
		expect(armRoleAssignment(w2, assignment)).toMatchObject({
			properties: { principalType: 'ServicePrincipal', principalName: 'vm-stock-app' }
		});
		const { world } = run(w2, { type: 'deleteResource', resourceId: VM_APP });
		expect(world.roleAssignments[assignment.name]).toEqual(assignment);
		expect(armRoleAssignment(world, assignment)).toMatchObject({
			properties: {
				principalId,
				principalType: 'ServicePrincipal',
				principalName: '',
				roleDefinitionName: 'Key Vault Secrets User'
			}
		});
	});

	it('deletes role assignments scoped to the resource and to its children', () => {
		const world = runAll(defaultWorld(), [
			roleAssignment('Reader', STORAGE, DEFAULT_IDS.sarahId),
			roleAssignment('Storage Blob Data Reader', CONTAINER, DEFAULT_IDS.sarahId),
			roleAssignment('Reader', VAULT, DEFAULT_IDS.sarahId),
			roleAssignment('Reader', RG, DEFAULT_IDS.sarahId)
		]);
		const after = run(world, { type: 'deleteResource', resourceId: STORAGE }).world;
		expect(
			Object.values(after.roleAssignments)
				.map((a) => [a.scope, a.roleDefinitionId])
				.sort()
		).toEqual(
			[
				[`/subscriptions/${SUB_ID}`, ROLE.owner],
				[VAULT, ROLE.reader],
				[RG, ROLE.reader]
			].sort()
		);
	});

	it('deletes a SQL server with its databases and their scoped assignments', () => {
		const world = run(defaultWorld(), roleAssignment('Reader', SQL_DB, DEFAULT_IDS.sarahId)).world;
		const { world: after, events } = run(world, { type: 'deleteResource', resourceId: SQL_SERVER });
		expect(getResource(after, SQL_SERVER)).toBeUndefined();
		expect(getResource(after, SQL_DB)).toBeUndefined();
		expect(Object.values(after.roleAssignments).some((a) => a.scope === SQL_DB)).toBe(false);
		expect(activity(events).map((e) => e.operationName)).toEqual([
			'Microsoft.Sql/servers/delete',
			'Microsoft.Sql/servers/databases/delete'
		]);
		expect(findInconsistencies(after)).toEqual([]);
	});

	it('deletes a user-assigned identity: detaches it everywhere, removes its principal, keeps its role assignments', () => {
		const { world: w1, id } = withIdentity(defaultWorld(), 'id-stock');
		const identity = uami(w1, id);
		const w2 = runAll(w1, [
			{ type: 'assignUserIdentity', resourceId: VM_APP, identityId: id },
			{ type: 'assignUserIdentity', resourceId: WEB_APP, identityId: id },
			{ type: 'enableSystemIdentity', resourceId: WEB_APP },
			roleAssignment('Reader', RG, identity.principalId),
			roleAssignment('Managed Identity Operator', id, DEFAULT_IDS.sarahId)
		]);
		const { world, events } = run(w2, { type: 'deleteResource', resourceId: id });
		expect(host(world, VM_APP).identity.userAssigned).toEqual([]);
		expect(armIdentity(world, host(world, WEB_APP)).type).toBe('SystemAssigned');
		expect(world.directory.servicePrincipals[identity.principalId]).toBeUndefined();
		expect(audits(events).map((e) => [e.activity, e.targetDisplayName])).toEqual([
			['Hard delete service principal', 'id-stock']
		]);
		expect(activity(events).map((e) => e.operationName)).toEqual([
			'Microsoft.Compute/virtualMachines/write',
			'Microsoft.Web/sites/write',
			'Microsoft.ManagedIdentity/userAssignedIdentities/delete'
		]);
		expect(Object.values(world.roleAssignments).map((a) => a.scope)).toEqual([
			`/subscriptions/${SUB_ID}`,
			RG
		]);
		expect(findInconsistencies(world)).toEqual([]);
	});

	it('drops the tokens an endpoint had cached for the deleted identity', () => {
		const w1 = enableSystem(defaultWorld(), VM_WEB_1);
		const principalId = systemPrincipalId(w1, VM_WEB_1);
		const w2 = run(w1, {
			type: 'recordToken',
			token: {
				principalId,
				clientId: host(w1, VM_WEB_1).identity.systemAssigned?.clientId ?? '',
				resource: 'https://vault.azure.net',
				accessToken: 'eyJ.x.y',
				issuedAt: w1.now,
				expiresOn: addSeconds(w1.now, 86_700),
				kid: 'k1'
			},
			hostId: VM_WEB_1,
			endpoint: 'imds',
			fromCache: false
		}).world;
		expect(Object.keys(w2.tokenCache)).toHaveLength(1);
		expect(run(w2, { type: 'deleteResource', resourceId: VM_WEB_1 }).world.tokenCache).toEqual({});
	});

	it.each(['', 'constructor', '__proto__', RG, `${VM_APP}-gone`, 42])(
		'refuses to delete %j',
		(resourceId) => {
			expect(refusal({ type: 'deleteResource', resourceId })).toBe('ResourceNotFound');
		}
	);
});
