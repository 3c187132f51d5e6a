/**
 * Property tests: random sequences of operations on the default world, mixing valid commands (chosen from what
 * the world holds at that moment) with deliberately wrong ones, keep every rule of the world.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ServicePrincipal, World } from '../../../src/core/azure/model.ts';
import type { WorldEvent } from '../../../src/core/azure/events.ts';
import type { OperationErrorCode } from '../../../src/core/azure/errors.ts';
import type { Operation } from '../../../src/core/azure/operations/index.ts';
import { OPERATION_TYPES, applyOperation } from '../../../src/core/azure/operations/index.ts';
import { findInconsistencies } from '../../../src/core/azure/invariants.ts';
import { idKey } from '../../../src/core/azure/naming.ts';
import { getResource, isIdentityHost } from '../../../src/core/azure/queries.ts';
import { restoreWorld, snapshotWorld } from '../../../src/core/azure/snapshot.ts';
import { createDefaultWorld } from '../../../src/core/azure/default-world.ts';
import { NOBODY, RG, ROLE, ROOT_MG, SUB, SUB_ID } from './helpers.ts';

// ---------------------------------------------------------------------------------------------------------
// What the generator draws: plain data that names things by position, resolved against the world when the
// operation runs, so that a command can only pick what exists at that moment (or deliberately miss).

type Source = 'host' | 'uami' | 'resource' | 'vault' | 'storage' | 'server' | 'database' | 'vmss';
type Spelling = 'exact' | 'upper' | 'lower' | 'slash';
type Ref = { from: Source; n: number; spell: Spelling } | { garbage: unknown };
type PrincipalRef = { p: 'user' | 'sp' | 'managed' | 'clientId'; n: number } | { garbage: unknown };
type ScopeRef =
	| {
			s: 'root' | 'mg' | 'sub' | 'rg' | 'resource' | 'container' | 'blob' | 'secret' | 'missing';
			n: number;
			spell: Spelling;
	  }
	| { garbage: unknown };
type Spec = { op: string; [field: string]: unknown };

const GARBAGE: unknown[] = [
	'',
	'constructor',
	'__proto__',
	'toString',
	'vm-stock-app',
	'/subscriptions/nope',
	`${RG}/`,
	NOBODY,
	42,
	null,
	undefined,
	{},
	[]
];
const garbage = fc.constantFrom(...GARBAGE);
const nat = fc.nat({ max: 999 });
const spelling = fc.constantFrom<Spelling>('exact', 'exact', 'exact', 'upper', 'lower', 'slash');

const ref = (from: Source): fc.Arbitrary<Ref> =>
	fc.oneof(
		{ weight: 12, arbitrary: fc.record({ from: fc.constant(from), n: nat, spell: spelling }) },
		{
			weight: 2,
			arbitrary: fc.record({
				from: fc.constant<Source>('resource'),
				n: nat,
				spell: fc.constant<Spelling>('exact')
			})
		},
		{ weight: 1, arbitrary: fc.record({ garbage }) }
	);
const principalRef: fc.Arbitrary<PrincipalRef> = fc.oneof(
	{
		weight: 10,
		arbitrary: fc.record({
			p: fc.constantFrom<'user' | 'sp' | 'managed' | 'clientId'>(
				'user',
				'sp',
				'managed',
				'managed',
				'clientId'
			),
			n: nat
		})
	},
	{ weight: 1, arbitrary: fc.record({ garbage }) }
);
const scopeRef: fc.Arbitrary<ScopeRef> = fc.oneof(
	{
		weight: 10,
		arbitrary: fc.record({
			s: fc.constantFrom<
				'root' | 'mg' | 'sub' | 'rg' | 'resource' | 'container' | 'blob' | 'secret' | 'missing'
			>(
				'root',
				'mg',
				'sub',
				'rg',
				'resource',
				'resource',
				'container',
				'blob',
				'secret',
				'missing'
			),
			n: nat,
			spell: spelling
		})
	},
	{ weight: 1, arbitrary: fc.record({ garbage }) }
);

/** Mostly one of the valid values, sometimes one of the wrong ones. */
const mostly = (valid: unknown[], invalid: unknown[]): fc.Arbitrary<unknown> =>
	fc.oneof(
		{ weight: 6, arbitrary: fc.constantFrom(...valid) },
		{ weight: 1, arbitrary: fc.constantFrom(...invalid) }
	);

const NAMES = mostly(
	[
		'vm-a',
		'vm-b',
		'lab1',
		'stlab1',
		'kv-lab',
		'sql-lab',
		'id-a',
		'id-b',
		'id-c',
		'app-lab',
		'func-lab',
		'constructor',
		'vm-stock-app',
		'ststockdata',
		'kv-stock',
		'sql-stock',
		'app-stock-web'
	],
	['', 'Bad Name', '-x', 'x'.repeat(130), '__proto__', 42, undefined]
);
const GROUPS = mostly(
	['rg-stock', 'rg-stock', 'RG-STOCK', 'rg-lab'],
	['rg-nope', '', undefined, 'constructor']
);
const TAGS = mostly(
	[undefined, undefined, { env: 'lab' }],
	[{ env: 1 }, 'env=lab', JSON.parse('{"__proto__":"x"}')]
);
const IDENTITY_AT_CREATE = fc.oneof(
	{ weight: 4, arbitrary: fc.constant(undefined) },
	{
		weight: 4,
		arbitrary: fc.record({
			systemAssigned: fc.boolean(),
			userAssigned: fc.array(ref('uami'), { maxLength: 2 })
		})
	},
	{ weight: 1, arbitrary: garbage }
);
const SECRET_NAMES = mostly(
	['db-password', 'DB-PASSWORD', 'api-key', 'constructor'],
	['__proto__', 'bad name', '', 7]
);
const CONTAINER_NAMES = mostly(
	['quotes', 'reports', 'constructor'],
	['__proto__', 'Bad', 'ab', '']
);
const BLOB_NAMES = mostly(['today.csv', 'q1.csv', 'constructor'], ['__proto__', '', 5]);
const ROLES = mostly(
	[
		'Reader',
		'reader',
		'Owner',
		'Key Vault Secrets User',
		'Storage Blob Data Reader',
		ROLE.blobReader,
		`/providers/Microsoft.Authorization/roleDefinitions/${ROLE.secretsUser}`,
		`${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.reader}`
	],
	['Secret Reader', '', 7, undefined]
);
const ASSIGNMENT_NAMES = mostly(
	[undefined],
	['11111111-1111-4111-8111-111111111111', '5a7a0de0-0000-4000-8000-000000000001', 'my-assignment']
);
const SECONDS = mostly([1, 59, 60, 299, 300, 301, 3600, 86_700], [0, -1, 1.5, '60', undefined]);
const KIDS = mostly(['k1', 'k2', 'k3'], ['', undefined]);

const spec = (op: string, fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Spec> =>
	fc.record(fields).map((f) => ({ op, ...f }));

/** One arbitrary per operation (plus unknown ones), weighted towards the identity operations. */
const SPECS: [number, fc.Arbitrary<Spec>][] = [
	[
		1,
		spec('createResourceGroup', {
			name: mostly(['rg-lab', 'rg-other', 'constructor'], ['RG-Stock', 'rg.', '', '__proto__']),
			location: mostly(['westeurope', 'northeurope'], ['West Europe', undefined]),
			subscriptionId: mostly([undefined, SUB_ID, SUB_ID.toUpperCase()], ['constructor', NOBODY])
		})
	],
	[
		4,
		spec('createVirtualMachine', {
			resourceGroup: GROUPS,
			name: NAMES,
			identity: IDENTITY_AT_CREATE,
			tags: TAGS,
			vmSize: mostly([undefined, 'Standard_D2s_v5'], [7, '']),
			osType: mostly([undefined, 'Windows'], ['BSD']),
			files: mostly([undefined, { '/etc/app.conf': 'x' }], [{ '/etc/x': 1 }])
		})
	],
	[
		2,
		spec('createScaleSet', {
			resourceGroup: GROUPS,
			name: NAMES,
			capacity: mostly([0, 1, 2, 3, undefined], [-1, 1.5, '2']),
			identity: IDENTITY_AT_CREATE
		})
	],
	[
		2,
		spec('scaleScaleSet', {
			resourceId: ref('vmss'),
			capacity: mostly([0, 1, 4], [-1, 2.5, undefined])
		})
	],
	[
		2,
		spec('createWebSite', {
			kind: mostly(['webApp', 'functionApp'], ['site']),
			resourceGroup: GROUPS,
			name: NAMES,
			identity: IDENTITY_AT_CREATE,
			appSettings: mostly([undefined, { MODE: 'lab' }], [{ MODE: 1 }])
		})
	],
	[
		1,
		spec('createStorageAccount', {
			resourceGroup: GROUPS,
			name: NAMES,
			containers: mostly(
				[undefined, { reports: { 'a.csv': 'x' } }],
				[{ reports: { 'a.csv': 5 } }, { 'Bad Name': {} }, 'quotes']
			)
		})
	],
	[
		1,
		spec('createKeyVault', {
			resourceGroup: GROUPS,
			name: NAMES,
			secrets: mostly([undefined, { 'api-key': 'v' }], [{ 'bad name': 'v' }, { k: 5 }])
		})
	],
	[1, spec('createSqlServer', { resourceGroup: GROUPS, name: NAMES })],
	[
		1,
		spec('createSqlDatabase', {
			resourceGroup: GROUPS,
			serverName: ref('server'),
			name: mostly(['db1', 'stockdb'], ['a/b', '']),
			tables: mostly(
				[undefined, { T: { columns: ['a'], rows: [['1']] } }],
				[{ T: { columns: 'a', rows: [] } }]
			)
		})
	],
	[5, spec('createUserIdentity', { resourceGroup: GROUPS, name: NAMES, tags: TAGS })],
	[4, spec('deleteResource', { resourceId: fc.oneof(ref('resource'), ref('host'), ref('uami')) })],
	[5, spec('enableSystemIdentity', { resourceId: ref('host') })],
	[3, spec('disableSystemIdentity', { resourceId: ref('host') })],
	[6, spec('assignUserIdentity', { resourceId: ref('host'), identityId: ref('uami') })],
	[
		3,
		spec('unassignUserIdentity', {
			resourceId: ref('host'),
			identityId: fc.oneof(
				{ weight: 3, arbitrary: fc.record({ attached: nat }) },
				{ weight: 1, arbitrary: ref('uami') }
			),
			pair: fc.option(nat)
		})
	],
	[
		4,
		spec('setResourceIdentity', {
			resourceId: ref('host'),
			type: mostly(
				[
					'None',
					'SystemAssigned',
					'UserAssigned',
					'SystemAssigned, UserAssigned',
					'SystemAssigned,UserAssigned',
					'systemassigned,userassigned'
				],
				['Garbage', '', 'constructor', '__proto__', 3, null]
			),
			entries: fc.oneof(
				{
					weight: 8,
					arbitrary: fc.array(
						fc.tuple(
							fc.oneof(ref('uami'), fc.record({ attached: nat })),
							mostly([{}, {}, null], ['x'])
						),
						{ maxLength: 3 }
					)
				},
				{ weight: 1, arbitrary: fc.constantFrom<unknown>('none', 5) }
			)
		})
	],
	[
		6,
		spec('createRoleAssignment', {
			role: ROLES,
			scope: scopeRef,
			principalId: principalRef,
			principalType: mostly([undefined, undefined, 'ServicePrincipal'], ['User', 'Group', 'MSI']),
			name: ASSIGNMENT_NAMES,
			description: mostly([undefined, 'why'], [5])
		})
	],
	[
		4,
		spec('deleteRoleAssignment', {
			id: fc.oneof(
				{ weight: 6, arbitrary: fc.record({ assignment: nat, asId: fc.boolean() }) },
				{ weight: 1, arbitrary: garbage }
			)
		})
	],
	[
		1,
		spec('setSecret', {
			vaultId: ref('vault'),
			name: SECRET_NAMES,
			value: mostly(['v1', 'v2'], [7]),
			contentType: mostly([undefined, 'text/plain'], [5])
		})
	],
	[1, spec('createContainer', { accountId: ref('storage'), name: CONTAINER_NAMES })],
	[
		1,
		spec('putBlob', {
			accountId: ref('storage'),
			container: CONTAINER_NAMES,
			name: BLOB_NAMES,
			content: mostly(['a,b\n', ''], [5]),
			contentType: mostly([undefined, 'text/csv'], [[1]])
		})
	],
	[2, spec('setSqlAdAdmin', { serverId: ref('server'), principalId: principalRef })],
	[
		4,
		spec('createSqlUser', {
			databaseId: ref('database'),
			userName: fc.oneof(
				{ weight: 5, arbitrary: fc.record({ displayName: nat }) },
				{ weight: 1, arbitrary: garbage },
				{ weight: 1, arbitrary: fc.constantFrom<unknown>('Sarah', 'sarah@contoso.onmicrosoft.com') }
			)
		})
	],
	[
		4,
		spec('addSqlRoleMember', {
			databaseId: ref('database'),
			role: mostly(['db_datareader', 'DB_OWNER'], ['db_admin', undefined]),
			userName: fc.oneof(
				{ weight: 5, arbitrary: fc.record({ dbUser: nat }) },
				{ weight: 1, arbitrary: garbage }
			)
		})
	],
	[3, spec('advanceClock', { seconds: SECONDS })],
	[1, spec('setPropagationDelay', { seconds: mostly([0, 5, 300], [-1, 86_401, 1.5]) })],
	[1, spec('setImdsThrottle', { enabled: mostly([true, false], [1, 'no']) })],
	[
		2,
		spec('recordToken', {
			principal: principalRef,
			resource: mostly(['https://vault.azure.net', 'https://storage.azure.com/'], [5]),
			lifetime: mostly([60, 3600, 86_700], ['long']),
			kid: KIDS,
			endpoint: mostly(['imds', 'appService', 'arc', 'federation'], ['cloudShell']),
			fromCache: mostly([false, false, true], ['no']),
			hostId: ref('host')
		})
	],
	[
		1,
		spec('recordServiceCall', {
			service: mostly(['keyVault', 'storage'], [5, undefined]),
			status: mostly([200, 403], ['403']),
			kind: mostly([undefined], ['activity'])
		})
	],
	[
		2,
		spec('addSigningKey', {
			kid: KIDS,
			x5t: mostly(['t'], [undefined]),
			jwk: mostly([{ kty: 'RSA' }], [null])
		})
	],
	[2, spec('removeSigningKey', { kid: KIDS })],
	[
		1,
		spec('regenerateStorageKey', {
			accountId: ref('storage'),
			keyName: mostly(['key1', 'key2', 'KEY2'], ['key3', undefined])
		})
	],
	[1, spec('setReplicationDelay', { seconds: mostly([0, 30, 3600], [-1, 3601, 1.5]) })],
	[
		4,
		spec('createFederatedCredential', {
			identityId: ref('uami'),
			name: mostly(['fic-a', 'fic-b', 'FIC-A'], ['x', '-bad', 5]),
			issuer: mostly(['https://i.example.com/', 'https://j.example.com/a'], ['http://x', '']),
			subject: mostly(['s1', 's2'], ['', undefined]),
			audiences: mostly([undefined, ['api://AzureADTokenExchange']], [['a', 'b'], ['']])
		})
	],
	[
		2,
		spec('writeFile', {
			resourceId: ref('host'),
			path: mostly(['/etc/stock-app/appsettings.json', '/tmp/notes.txt'], ['x', '', '__proto__']),
			content: mostly(['{}', null], [5])
		})
	],
	[
		4,
		spec('deleteFederatedCredential', {
			identityId: ref('uami'),
			name: mostly(['fic-a', 'fic-b'], ['nope'])
		})
	],
	[
		1,
		spec('addClusterIssuerKey', {
			cluster: mostly(['aks-stock'], ['aks-nope']),
			key: mostly([{ kid: 'c1', x5t: 't', jwk: { kty: 'RSA' } }], [null, { kid: 5 }])
		})
	],
	[
		1,
		spec('annotateServiceAccount', {
			cluster: mostly(['aks-stock'], ['aks-nope']),
			namespace: mostly(['default'], ['kube-system']),
			name: mostly(['stock-worker'], ['nope']),
			key: mostly(['azure.workload.identity/client-id'], ['']),
			value: mostly(['7e57e57e-0000-4000-8000-000000000009', null], [5])
		})
	],
	[
		1,
		spec('projectServiceAccountToken', {
			machine: mostly(['stock-worker'], ['onprem-legacy-01', 'nope']),
			token: mostly(['eyJ.e30.sig'], ['x', 5])
		})
	],
	[
		2,
		spec('connectArcMachine', {
			machine: mostly(['onprem-legacy-01'], ['nope', 'stock-worker']),
			subscriptionId: mostly(['a1b2c3d4-0000-4000-8000-00000005707c'], ['x']),
			resourceGroup: mostly(['rg-stock'], ['rg-nope']),
			location: mostly(['westeurope', ''], [5])
		})
	],
	[1, spec('disconnectArcMachine', { machine: mostly(['onprem-legacy-01'], ['nope']) })],
	[
		2,
		spec('writeArcSecret', {
			machine: mostly(['onprem-legacy-01'], ['nope']),
			path: mostly(['/var/opt/azcmagent/tokens/a.key'], ['/tmp/a.key']),
			secret: mostly(['s3cret'], [5])
		})
	],
	[
		2,
		spec('setAppSettings', {
			resourceId: ref('host'),
			set: mostly([{ Mode: 'live' }, {}], [{ 'a b': 'x' }, 5]),
			remove: mostly([[], ['Mode']], [['Nope'], 'Mode'])
		})
	],
	[
		1,
		spec('unknown', {
			type: fc.constantFrom<unknown>('hack', 'toString', 'constructor', '__proto__', '', 5, null)
		})
	]
];

const operationsArb = fc.array(
	fc.oneof(...SPECS.map(([weight, arbitrary]) => ({ weight, arbitrary }))),
	{ minLength: 1, maxLength: 25, size: 'max' }
);

// ---------------------------------------------------------------------------------------------------------
// Resolving a spec against the world it runs on.

const sorted = <T extends { id: string }>(items: T[]) =>
	items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const at = <T>(items: readonly T[], n: number): T | undefined =>
	items.length ? items[n % items.length] : undefined;

function listOf(world: World, from: Source) {
	const all = sorted(Object.values(world.resources));
	switch (from) {
		case 'host':
			return all.filter(isIdentityHost);
		case 'uami':
			return all.filter((r) => r.kind === 'userAssignedIdentity');
		case 'vault':
			return all.filter((r) => r.kind === 'keyVault');
		case 'storage':
			return all.filter((r) => r.kind === 'storageAccount');
		case 'server':
			return all.filter((r) => r.kind === 'sqlServer');
		case 'database':
			return all.filter((r) => r.kind === 'sqlDatabase');
		case 'vmss':
			return all.filter((r) => r.kind === 'virtualMachineScaleSet');
		case 'resource':
			return all;
	}
}

function spell(id: string, how: Spelling): string {
	return how === 'upper'
		? id.toUpperCase()
		: how === 'lower'
			? id.toLowerCase()
			: how === 'slash'
				? `${id}/`
				: id;
}

function resolveRef(world: World, r: unknown): unknown {
	if (typeof r !== 'object' || r === null || 'garbage' in r)
		return (r as { garbage?: unknown } | null)?.garbage;
	const { from, n, spell: how } = r as { from: Source; n: number; spell: Spelling };
	const target = at(listOf(world, from), n);
	// Nothing of that kind exists: a well-formed id that names nothing.
	return target
		? spell(target.id, how)
		: `${RG}/providers/Microsoft.Compute/virtualMachines/vm-gone-${from}`;
}

function managedPrincipals(world: World): ServicePrincipal[] {
	return sorted(
		Object.values(world.directory.servicePrincipals).filter(
			(sp) => sp.servicePrincipalType === 'ManagedIdentity'
		)
	);
}

function resolvePrincipal(world: World, r: PrincipalRef): unknown {
	if ('garbage' in r) return r.garbage;
	const users = sorted(Object.values(world.directory.users));
	const sps = sorted(Object.values(world.directory.servicePrincipals));
	const managed = managedPrincipals(world);
	switch (r.p) {
		case 'user':
			return at(users, r.n)?.id ?? NOBODY;
		case 'sp':
			return at(sps, r.n)?.id ?? NOBODY;
		case 'managed':
			return at(managed, r.n)?.id ?? NOBODY;
		case 'clientId':
			return at(managed, r.n)?.appId ?? NOBODY;
	}
}

function resolveScope(world: World, r: ScopeRef): unknown {
	if ('garbage' in r) return r.garbage;
	const resources = listOf(world, 'resource');
	const storage = listOf(world, 'storage').flatMap((s) => (s.kind === 'storageAccount' ? [s] : []));
	const vaults = listOf(world, 'vault').flatMap((v) => (v.kind === 'keyVault' ? [v] : []));
	const containers = storage.flatMap((s) =>
		Object.keys(s.containers).map((c) => ({
			id: `${s.id}/blobServices/default/containers/${c}`,
			blobs: Object.keys(s.containers[c]?.blobs ?? {})
		}))
	);
	let scope: string;
	switch (r.s) {
		case 'root':
			return '/';
		case 'mg':
			scope = ROOT_MG;
			break;
		case 'sub':
			scope = SUB;
			break;
		case 'rg':
			scope = at(sorted(Object.values(world.resourceGroups)), r.n)?.id ?? RG;
			break;
		case 'resource':
			scope = at(resources, r.n)?.id ?? `${RG}/providers/Microsoft.KeyVault/vaults/kv-gone`;
			break;
		case 'container':
			scope = at(containers, r.n)?.id ?? `${RG}/providers/Microsoft.Storage/storageAccounts/stgone`;
			break;
		case 'blob': {
			const c = at(containers, r.n);
			scope = c ? `${c.id}/blobs/${at(c.blobs, r.n) ?? 'gone.csv'}` : `${RG}/nope`;
			break;
		}
		case 'secret': {
			const v = at(vaults, r.n);
			scope = v
				? `${v.id}/secrets/${at(Object.keys(v.secrets), r.n) ?? 'gone'}`
				: `${SUB}/resourceGroups/rg-gone`;
			break;
		}
		case 'missing':
			scope = `${SUB}/resourceGroups/rg-gone/providers/Microsoft.Compute/virtualMachines/vm-${r.n}`;
			break;
	}
	return spell(scope, r.spell);
}

/** A user-assigned identity of the host the operation targets (`{ attached: n }`), or any other reference. */
function resolveAttached(world: World, hostId: unknown, r: unknown): unknown {
	if (typeof r !== 'object' || r === null || !('attached' in r)) return resolveRef(world, r);
	const host = typeof hostId === 'string' ? world.resources[idKey(hostId)] : undefined;
	const attached = host && isIdentityHost(host) ? host.identity.userAssigned : [];
	return (
		at(attached, (r as { attached: number }).attached) ??
		`${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-none`
	);
}

function resolveIdentityAtCreate(world: World, value: unknown): unknown {
	if (typeof value !== 'object' || value === null || !('userAssigned' in value)) return value;
	const v = value as { systemAssigned: boolean; userAssigned: Ref[] };
	return {
		systemAssigned: v.systemAssigned,
		userAssigned: v.userAssigned.map((u) => resolveRef(world, u))
	};
}

/** The operation a spec stands for in this world. */
function resolve(world: World, s: Spec): unknown {
	const { op, ...f } = s;
	switch (op) {
		case 'unknown':
			return { type: f['type'] };
		case 'createVirtualMachine':
		case 'createScaleSet':
		case 'createWebSite':
			return { type: op, ...f, identity: resolveIdentityAtCreate(world, f['identity']) };
		case 'scaleScaleSet':
		case 'deleteResource':
		case 'enableSystemIdentity':
		case 'disableSystemIdentity':
		case 'writeFile':
		case 'setAppSettings':
			return { type: op, ...f, resourceId: resolveRef(world, f['resourceId']) };
		case 'createSqlDatabase': {
			const server = resolveRef(world, f['serverName']);
			return {
				type: op,
				...f,
				serverName: typeof server === 'string' ? server.split('/').pop() : server
			};
		}
		case 'assignUserIdentity':
		case 'unassignUserIdentity': {
			// An attachment that exists, when asked for and there is one: the way to reach a successful detach.
			const pairs = listOf(world, 'host').flatMap((h) =>
				isIdentityHost(h) ? h.identity.userAssigned.map((u) => [h.id, u] as const) : []
			);
			const pair = typeof f['pair'] === 'number' ? at(pairs, f['pair']) : undefined;
			if (pair) return { type: op, resourceId: pair[0], identityId: pair[1] };
			const resourceId = resolveRef(world, f['resourceId']);
			return {
				type: op,
				resourceId,
				identityId: resolveAttached(world, resourceId, f['identityId'])
			};
		}
		case 'setResourceIdentity': {
			const resourceId = resolveRef(world, f['resourceId']);
			const entries = f['entries'];
			const dictionary = Array.isArray(entries)
				? Object.fromEntries(
						(entries as [unknown, unknown][]).map(([r, v]) => [
							String(resolveAttached(world, resourceId, r)),
							v
						])
					)
				: entries;
			return {
				type: op,
				resourceId,
				identity: {
					type: f['type'],
					...(Array.isArray(entries) && entries.length === 0
						? {}
						: { userAssignedIdentities: dictionary })
				}
			};
		}
		case 'createRoleAssignment':
			return {
				type: op,
				...f,
				scope: resolveScope(world, f['scope'] as ScopeRef),
				principalId: resolvePrincipal(world, f['principalId'] as PrincipalRef)
			};
		case 'deleteRoleAssignment': {
			const id = f['id'];
			if (typeof id !== 'object' || id === null || !('assignment' in id)) return { type: op, id };
			const { assignment, asId } = id as { assignment: number; asId: boolean };
			const chosen = at(
				Object.values(world.roleAssignments).sort((a, b) => (a.name < b.name ? -1 : 1)),
				assignment
			);
			return { type: op, id: chosen ? (asId ? chosen.id : chosen.name) : NOBODY };
		}
		case 'setSecret':
			return { type: op, ...f, vaultId: resolveRef(world, f['vaultId']) };
		case 'createContainer':
		case 'putBlob':
			return { type: op, ...f, accountId: resolveRef(world, f['accountId']) };
		case 'setSqlAdAdmin':
			return {
				type: op,
				serverId: resolveRef(world, f['serverId']),
				principalId: resolvePrincipal(world, f['principalId'] as PrincipalRef)
			};
		case 'createSqlUser': {
			const pick = f['userName'];
			if (typeof pick !== 'object' || pick === null || !('displayName' in pick)) {
				return { type: op, databaseId: resolveRef(world, f['databaseId']), userName: pick };
			}
			const n = (pick as { displayName: number }).displayName;
			// A database whose server has an Entra admin, when there is one: the way to reach a successful CREATE USER.
			const administered = listOf(world, 'database').filter((db) => {
				const server = world.resources[idKey(db.id).replace(/\/databases\/[^/]+$/, '')];
				return server?.kind === 'sqlServer' && server.adAdmin !== null;
			});
			const db = at(administered, n);
			return {
				type: op,
				databaseId: db?.id ?? resolveRef(world, f['databaseId']),
				userName: at(managedPrincipals(world), n)?.displayName ?? 'nobody'
			};
		}
		case 'addSqlRoleMember': {
			const pick = f['userName'];
			if (typeof pick !== 'object' || pick === null || !('dbUser' in pick)) {
				return {
					type: op,
					databaseId: resolveRef(world, f['databaseId']),
					role: f['role'],
					userName: pick
				};
			}
			const users = listOf(world, 'database').flatMap((db) =>
				db.kind === 'sqlDatabase' ? Object.keys(db.users).map((u) => [db.id, u] as const) : []
			);
			const chosen = at(users, (pick as { dbUser: number }).dbUser);
			return {
				type: op,
				databaseId: chosen?.[0] ?? resolveRef(world, f['databaseId']),
				role: f['role'],
				userName: chosen?.[1] ?? 'nobody'
			};
		}
		case 'recordToken': {
			const principalId = resolvePrincipal(world, f['principal'] as PrincipalRef);
			const sp =
				typeof principalId === 'string'
					? world.directory.servicePrincipals[principalId]
					: undefined;
			const lifetime = f['lifetime'];
			return {
				type: op,
				token: {
					principalId,
					clientId: sp?.appId ?? NOBODY,
					resource: f['resource'],
					accessToken: 'eyJ.e30.sig',
					issuedAt: world.now,
					expiresOn: typeof lifetime === 'number' ? world.now + lifetime : lifetime,
					kid: f['kid']
				},
				hostId: resolveRef(world, f['hostId']),
				endpoint: f['endpoint'],
				fromCache: f['fromCache']
			};
		}
		case 'recordServiceCall':
			return {
				type: op,
				service: f['service'],
				status: f['status'],
				operation: 'getSecret',
				target: 'kv-stock',
				principalId: null,
				authMethod: 'none',
				source: 'cloudshell',
				errorCode: null,
				...(f['kind'] ? { kind: f['kind'] } : {})
			};
		case 'addSigningKey':
			return { type: op, key: { kid: f['kid'], x5t: f['x5t'], jwk: f['jwk'] } };
		case 'regenerateStorageKey':
			return { type: op, accountId: resolveRef(world, f['accountId']), keyName: f['keyName'] };
		case 'createFederatedCredential':
		case 'deleteFederatedCredential':
			return { ...f, type: op, identityId: resolveRef(world, f['identityId']) };
		default:
			return { type: op, ...f };
	}
}

// ---------------------------------------------------------------------------------------------------------
// The rules.

const KNOWN_CODES = new Set<OperationErrorCode>([
	'InvalidInput',
	'InvalidName',
	'UnknownOperation',
	'ResourceGroupNotFound',
	'ResourceGroupExists',
	'ResourceNotFound',
	'ResourceExists',
	'NameNotAvailable',
	'UnsupportedResourceType',
	'IdentityNotFound',
	'IdentityNotAssigned',
	'InvalidIdentityType',
	'UserAssignedIdentitiesRequired',
	'InvalidCapacity',
	'RoleNotFound',
	'InvalidScope',
	'ScopeNotFound',
	'PrincipalNotFound',
	'UnmatchedPrincipalType',
	'RoleAssignmentExists',
	'RoleAssignmentNotFound',
	'RoleAssignmentUpdateNotPermitted',
	'LastOwner',
	'ContainerNotFound',
	'ContainerExists',
	'SqlAdminRequired',
	'SqlUserExists',
	'SqlUserNotFound',
	'SqlPrincipalNotFound',
	'SqlPrincipalAmbiguous',
	'SqlRoleNotFound',
	'InvalidClockAdvance',
	'SigningKeyNotFound',
	'SigningKeyExists',
	'FederatedCredentialNotFound',
	'FederatedCredentialExists',
	'FederatedCredentialLimit',
	'MachineNotFound',
	'ArcAlreadyConnected',
	'ClusterNotFound',
	'ServiceAccountNotFound'
]);

/** Every managed identity of the world: the owner's id, its principal, and whether it is user-assigned. */
function identitiesOf(world: World) {
	const out: {
		owner: string;
		name: string;
		principalId: string;
		clientId: string;
		explicit: boolean;
	}[] = [];
	for (const r of Object.values(world.resources)) {
		if (r.kind === 'userAssignedIdentity')
			out.push({
				owner: r.id,
				name: r.name,
				principalId: r.principalId,
				clientId: r.clientId,
				explicit: true
			});
		if (isIdentityHost(r) && r.identity.systemAssigned) {
			const s = r.identity.systemAssigned;
			out.push({
				owner: r.id,
				name: r.name,
				principalId: s.principalId,
				clientId: s.clientId,
				explicit: false
			});
		}
	}
	for (const m of Object.values(world.outsideMachines)) {
		if (!m.arc) continue;
		out.push({
			owner: m.arc.resourceId,
			name: m.arc.resourceId.split('/').pop() ?? m.name,
			principalId: m.arc.identity.principalId,
			clientId: m.arc.identity.clientId,
			explicit: false
		});
	}
	return out;
}

/** Problems with the rules that findInconsistencies does not cover, in words. */
function identityProblems(world: World): string[] {
	const problems: string[] = [];
	const identities = identitiesOf(world);
	const managed = managedPrincipals(world);
	if (managed.length !== identities.length)
		problems.push(`${managed.length} managed principals for ${identities.length} identities`);
	const systemOwners = new Map<string, number>();
	for (const identity of identities) {
		const sps = managed.filter((sp) => sp.id === identity.principalId);
		if (sps.length !== 1) {
			problems.push(`${identity.name} has ${sps.length} service principals`);
			continue;
		}
		const sp = sps[0] as ServicePrincipal;
		const expected = [`isExplicit=${identity.explicit ? 'True' : 'False'}`, identity.owner];
		if (sp.appId !== identity.clientId)
			problems.push(`${identity.name}: appId ${sp.appId} is not its client id`);
		if (sp.displayName !== identity.name)
			problems.push(`${identity.name}: principal named ${sp.displayName}`);
		if (!isDeepStrictEqual(sp.alternativeNames, expected))
			problems.push(`${identity.name}: alternativeNames ${sp.alternativeNames.join()}`);
		if (idKey(sp.managedIdentityResourceId ?? '') !== idKey(identity.owner))
			problems.push(`${identity.name}: principal names ${sp.managedIdentityResourceId}`);
		if (Object.values(world.directory.applications).some((a) => a.appId === sp.appId))
			problems.push(`${identity.name} has an application object`);
		if (!identity.explicit)
			systemOwners.set(idKey(identity.owner), (systemOwners.get(idKey(identity.owner)) ?? 0) + 1);
	}
	for (const sp of managed) {
		if (sp.alternativeNames[0] === 'isExplicit=False') {
			const owner = idKey(sp.alternativeNames[1] ?? '');
			if ((systemOwners.get(owner) ?? 0) > 1)
				problems.push(`${owner} has more than one system-assigned identity`);
		}
	}
	return problems;
}

/** What changed between two consecutive worlds must follow ARM's lifecycle rules. */
function lifecycleProblems(before: World, after: World, operation: unknown): string[] {
	const problems: string[] = [];
	const type = (operation as { type?: unknown }).type;
	for (const r of Object.values(before.resources)) {
		const now = after.resources[idKey(r.id)];
		if (isIdentityHost(r) && r.identity.systemAssigned) {
			const still =
				now && isIdentityHost(now) ? now.identity.systemAssigned?.principalId : undefined;
			if (
				still !== r.identity.systemAssigned.principalId &&
				after.directory.servicePrincipals[r.identity.systemAssigned.principalId]
			) {
				problems.push(`the system-assigned principal of ${r.name} outlived its identity`);
			}
		}
		if (r.kind === 'userAssignedIdentity') {
			const deletedItself = type === 'deleteResource' && !now;
			if (
				!deletedItself &&
				(!now || now.kind !== 'userAssignedIdentity' || now.principalId !== r.principalId)
			) {
				problems.push(`user-assigned identity ${r.name} disappeared though it was not deleted`);
			}
			if (deletedItself && after.directory.servicePrincipals[r.principalId])
				problems.push(`the principal of deleted ${r.name} survived`);
		}
	}
	if (
		type !== 'deleteResource' &&
		Object.keys(after.resources).some((k) => !before.resources[k]) === false
	) {
		for (const k of Object.keys(before.resources))
			if (!after.resources[k]) problems.push(`${k} vanished during ${String(type)}`);
	}
	for (const a of Object.values(before.roleAssignments)) {
		const kept = after.roleAssignments[a.name];
		const scopeGone =
			type === 'deleteResource' &&
			before.resources[idKey(a.scope)] &&
			!after.resources[idKey(a.scope)];
		const purged = type === 'advanceClock' && a.removedAt !== null && after.now >= a.removedAt;
		const removedNow =
			type === 'deleteRoleAssignment' && after.settings.propagationDelaySeconds === 0;
		if (!kept && !scopeGone && !purged && !removedNow && !(type === 'deleteResource'))
			problems.push(`assignment ${a.name} vanished during ${String(type)}`);
	}
	return problems;
}

const HOST_OPERATIONS = new Set([
	'enableSystemIdentity',
	'disableSystemIdentity',
	'assignUserIdentity',
	'unassignUserIdentity',
	'setResourceIdentity'
]);
const IDENTITY_TYPES = new Set([
	'none',
	'systemassigned',
	'userassigned',
	'systemassigned,userassigned'
]);

/**
 * Whether the answer was the right one, where it can be told from the input alone: an id that names nothing is
 * ResourceNotFound, a resource that cannot carry identities is UnsupportedResourceType, and what an applied
 * identity operation promises holds afterwards.
 */
function answerProblems(
	world: World,
	operation: unknown,
	result: ReturnType<typeof applyOperation>
): string[] {
	const problems: string[] = [];
	const o = operation as Record<string, unknown>;
	const type = String(o['type']);
	const code = result.ok ? null : result.error.code;
	const resourceId = o['resourceId'];
	const target = typeof resourceId === 'string' ? getResource(world, resourceId) : undefined;
	if (HOST_OPERATIONS.has(type) || type === 'deleteResource' || type === 'scaleScaleSet') {
		if (!target && code !== 'ResourceNotFound')
			problems.push(
				`${type} on ${String(resourceId)}, which names nothing, gave ${code ?? 'success'}`
			);
	}
	if (HOST_OPERATIONS.has(type) && target) {
		if (!isIdentityHost(target) && code !== 'UnsupportedResourceType')
			problems.push(`${type} on a ${target.kind} gave ${code ?? 'success'}`);
		if (isIdentityHost(target) && code === 'UnsupportedResourceType')
			problems.push(`${type} refused a ${target.kind}`);
	}
	if (type === 'setResourceIdentity' && target && isIdentityHost(target)) {
		const wanted = (o['identity'] as { type?: unknown }).type;
		const valid =
			typeof wanted === 'string' && IDENTITY_TYPES.has(wanted.replace(/\s+/g, '').toLowerCase());
		if (valid === (code === 'InvalidIdentityType'))
			problems.push(`identity type ${JSON.stringify(wanted)} gave ${code ?? 'success'}`);
	}
	if (type === 'createContainer' && code === 'ContainerExists') {
		const account = getResource(world, String(o['accountId']));
		if (account?.kind !== 'storageAccount' || !Object.hasOwn(account.containers, String(o['name'])))
			problems.push(`container ${String(o['name'])} does not exist, yet ContainerExists`);
	}
	if (!result.ok) return problems;
	const after = result.value.world;
	const host = typeof resourceId === 'string' ? getResource(after, resourceId) : undefined;
	const attached = (id: unknown) =>
		host !== undefined &&
		isIdentityHost(host) &&
		host.identity.userAssigned.some((u) => idKey(u) === idKey(String(id)));
	if (
		type === 'enableSystemIdentity' &&
		!(host && isIdentityHost(host) && host.identity.systemAssigned)
	)
		problems.push('enabled, yet no system-assigned identity');
	if (
		type === 'disableSystemIdentity' &&
		!(host && isIdentityHost(host) && host.identity.systemAssigned === null)
	)
		problems.push('disabled, yet a system-assigned identity');
	if (type === 'assignUserIdentity' && !attached(o['identityId']))
		problems.push('assigned, yet not attached');
	if (type === 'unassignUserIdentity' && attached(o['identityId']))
		problems.push('unassigned, yet still attached');
	if (type === 'deleteResource' && host) problems.push('deleted, yet still there');
	if (type === 'setSecret') {
		const vault = getResource(after, String(o['vaultId']));
		const secret =
			vault?.kind === 'keyVault'
				? Object.entries(vault.secrets).find(
						([n]) => n.toLowerCase() === String(o['name']).toLowerCase()
					)?.[1]
				: undefined;
		if (secret?.versions.at(-1)?.value !== o['value'])
			problems.push('the secret does not hold the value set');
	}
	return problems;
}

/** The fields each kind of event has (events.ts): an event carries these and nothing else. */
const EVENT_FIELDS: Record<string, string[]> = {
	activity: ['operationName', 'resourceId', 'caller', 'status', 'summary'],
	directoryAudit: [
		'activity',
		'initiatedBy',
		'initiatedById',
		'targetId',
		'targetDisplayName',
		'summary'
	],
	token: ['principalId', 'clientId', 'resource', 'hostId', 'endpoint', 'fromCache', 'expiresOn'],
	serviceCall: [
		'service',
		'operation',
		'target',
		'status',
		'principalId',
		'authMethod',
		'source',
		'errorCode'
	],
	clock: ['from', 'to']
};

function eventProblems(events: readonly WorldEvent[], now: number): string[] {
	return events.flatMap((e) => {
		const allowed = EVENT_FIELDS[e.kind];
		if (!allowed) return [`an event of unknown kind ${String(e.kind)}`];
		const extra = Object.keys(e).filter((k) => !['kind', 'seq', 'at', ...allowed].includes(k));
		return [
			...(extra.length ? [`a ${e.kind} event with ${extra.join(', ')}`] : []),
			...(e.at === now ? [] : [`a ${e.kind} event stamped ${e.at}, not ${now}`])
		];
	});
}

function roundTrips(world: World): boolean {
	const text = snapshotWorld(world);
	const restored = restoreWorld(text);
	if (!restored.ok) throw new Error(`snapshot does not restore: ${restored.error.message}`);
	return snapshotWorld(restored.value) === text;
}

/** How often each operation was applied and refused over a run: proof that the generator reaches everything. */
const tally = new Map<string, { applied: number; refused: number }>();

function count(operation: unknown, applied: boolean): void {
	const type = String((operation as { type?: unknown }).type);
	const entry = tally.get(type) ?? { applied: 0, refused: 0 };
	if (applied) entry.applied++;
	else entry.refused++;
	tally.set(type, entry);
}

/** Runs a sequence, checking every rule after every step; returns the operations as they were applied. */
function check(start: World, specs: Spec[]): unknown[] {
	let world = start;
	const applied: unknown[] = [];
	for (const s of specs) {
		const operation = resolve(world, s);
		applied.push(operation);
		const trail = () => JSON.stringify(applied);
		const copy = structuredClone(world);
		const reference = world;
		const result = applyOperation(world, operation as Operation);
		count(operation, result.ok);
		expect(answerProblems(world, operation, result), trail()).toEqual([]);
		if (!result.ok) {
			expect(KNOWN_CODES.has(result.error.code), trail()).toBe(true);
			// "could not be applied" means a handler threw: a bug, never an answer to bad input.
			expect(result.error.message, trail()).not.toMatch(/could not be applied/);
			expect(world, trail()).toBe(reference);
			expect(
				isDeepStrictEqual(world, copy),
				`a refused operation changed the world: ${trail()}`
			).toBe(true);
			continue;
		}
		const next = result.value.world;
		expect(
			isDeepStrictEqual(world, copy),
			`an applied operation changed its input world: ${trail()}`
		).toBe(true);
		expect(findInconsistencies(next), trail()).toEqual([]);
		expect(identityProblems(next), trail()).toEqual([]);
		expect(lifecycleProblems(world, next, operation), trail()).toEqual([]);
		expect(
			result.value.events.map((e) => e.seq),
			trail()
		).toEqual(result.value.events.map((_, i) => (world.events.at(-1)?.seq ?? 0) + i + 1));
		expect(eventProblems(result.value.events, next.now), trail()).toEqual([]);
		expect(roundTrips(next), trail()).toBe(true);
		world = next;
	}
	return applied;
}

/** The default world, and the default world a few steps on (so that every operation has something to act on). */
function startingWorlds(): World[] {
	const base = createDefaultWorld();
	const vm = listOf(base, 'host').find((h) => h.name === 'vm-stock-app')?.id ?? '';
	const web = listOf(base, 'host').find((h) => h.name === 'app-stock-web')?.id ?? '';
	const server = listOf(base, 'server')[0]?.id ?? '';
	const db = listOf(base, 'database')[0]?.id ?? '';
	const uami = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app`;
	let prepared = base;
	const setup: unknown[] = [
		{ type: 'setSqlAdAdmin', serverId: server, principalId: Object.keys(base.directory.users)[0] },
		{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-app' },
		{ type: 'assignUserIdentity', resourceId: vm, identityId: uami },
		{ type: 'enableSystemIdentity', resourceId: web },
		{ type: 'createSqlUser', databaseId: db, userName: 'id-app' },
		{
			type: 'createScaleSet',
			resourceGroup: 'rg-stock',
			name: 'vmss-web',
			identity: { systemAssigned: true, userAssigned: [uami] }
		},
		{ type: 'addSigningKey', key: { kid: 'k1', x5t: 't', jwk: { kty: 'RSA' } } }
	];
	for (const operation of setup) {
		const result = applyOperation(prepared, operation as Operation);
		if (!result.ok) throw new Error(result.error.message);
		prepared = result.value.world;
	}
	return [base, prepared];
}

describe('properties of the world under random operations', () => {
	const starts = startingWorlds();
	const start = starts[0] as World;
	const startArb = fc.constantFrom(...starts);

	it('generates every operation', () => {
		expect(new Set(SPECS.map(([, a]) => fc.sample(a, 1)[0]?.op))).toEqual(
			new Set([...OPERATION_TYPES, 'unknown'])
		);
	});

	it('keeps every rule after every step of 1,000 random sequences', () => {
		fc.assert(
			fc.property(startArb, operationsArb, (world, specs) => {
				check(world, specs);
			}),
			{ numRuns: 1000 }
		);
		if (process.env['PROPERTY_TALLY']) console.log(JSON.stringify(Object.fromEntries(tally)));
		for (const type of OPERATION_TYPES) {
			expect(tally.get(type)?.applied ?? 0, `${type} was never applied`).toBeGreaterThan(0);
			expect(tally.get(type)?.refused ?? 0, `${type} was never refused`).toBeGreaterThan(0);
		}
		// 1,000 sequences over 40 operation types take over a minute on a loaded two-core machine.
	}, 180_000);

	it('replays: the same operations on the same world give the same world', () => {
		fc.assert(
			fc.property(startArb, operationsArb, (world, specs) => {
				const applied = check(world, specs);
				let a = world;
				let b = world === start ? createDefaultWorld() : (startingWorlds()[1] as World);
				for (const operation of applied) {
					const ra = applyOperation(a, operation as Operation);
					const rb = applyOperation(b, operation as Operation);
					expect(ra.ok).toBe(rb.ok);
					if (ra.ok && rb.ok) {
						a = ra.value.world;
						b = rb.value.world;
					}
				}
				expect(snapshotWorld(b)).toBe(snapshotWorld(a));
			}),
			{ numRuns: 100 }
		);
	});
});
