/** Benchmarks of the simulation core (issue: foundation): authorize, random operations, snapshot/restore. */
import {
	applyOperation,
	applyOperations,
	createDefaultWorld,
	restoreWorld,
	snapshotWorld,
	type Operation,
	type World
} from '../src/core/index.ts';
import { MAX_EVENTS } from '../src/core/azure/operations/context.ts';
import { authorize, type AuthorizationDecision } from '../src/core/azure/rbac/authorize.ts';
import { largeWorld, mixedWorld, prng, virtualMachines } from './large-world.ts';
import { median, quantile, sampleMicros, spread, us } from './stats.ts';

/** One row of the report. */
export interface Row {
	what: string;
	figure: string;
	target?: string;
	met?: boolean;
}

const ACTIONS: [string, 'control' | 'data'][] = [
	['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read', 'data'],
	['Microsoft.KeyVault/vaults/secrets/getSecret/action', 'data'],
	['Microsoft.Compute/virtualMachines/read', 'control'],
	['Microsoft.Authorization/roleAssignments/write', 'control']
];

function readExplanation(d: AuthorizationDecision): number {
	// What the terminal and the services show: every decision's explanation, not only `allowed`.
	return d.reason.length + (d.suggestion?.length ?? 0);
}

interface Call {
	principal: string;
	scope: string;
	action: string;
	plane: 'control' | 'data';
}

function callsFor(world: World, count: number, seed: number): Call[] {
	const vms = virtualMachines(world);
	const principals = Object.values(world.roleAssignments).map((a) => a.principalId);
	const random = prng(seed);
	return Array.from({ length: count }, () => {
		const [action, plane] = ACTIONS[Math.floor(random() * ACTIONS.length)] ?? ACTIONS[0]!;
		return {
			principal: principals[Math.floor(random() * principals.length)] ?? '',
			scope: (vms[Math.floor(random() * vms.length)] as (typeof vms)[number]).id,
			action,
			plane
		};
	});
}

/** Runs `calls` `runs` times; each run's median per call, and every sample for the p99. */
function timeCalls(
	world: World,
	calls: Call[],
	runs: number
): { medians: number[]; all: number[] } {
	let refused = 0;
	sampleMicros(2_000, (i) => {
		const c = calls[i % calls.length]!;
		readExplanation(authorize(world, c.principal, c.action, c.scope, c.plane));
	});
	const medians: number[] = [];
	const all: number[] = [];
	for (let r = 0; r < runs; r++) {
		const samples = sampleMicros(calls.length, (i) => {
			const c = calls[i]!;
			const d = authorize(world, c.principal, c.action, c.scope, c.plane);
			if (!d.allowed) refused++;
			readExplanation(d);
		});
		medians.push(median(samples));
		all.push(...samples);
	}
	void refused;
	return { medians, all };
}

/**
 * authorize over 10,000 resources with 10, 1,000 and 100,000 assignments spread over the identities, and
 * 100,000 held by 10 identities (the concentrated case); every decision's explanation is read.
 */
export function benchAuthorize(): Row[] {
	const rows: Row[] = [];
	const medians: number[] = [];
	const cases: [string, World][] = [
		['10 assignments', largeWorld(10_000, 10, 10)],
		['1,000 assignments', largeWorld(10_000, 1_000, 1_000)],
		['100,000 assignments', largeWorld(10_000, 100_000, 100_000)],
		['100,000 assignments held by 10 identities', largeWorld(10_000, 100_000, 7, 10)]
	];
	for (const [label, world] of cases) {
		const calls = callsFor(world, 10_000, 7);
		let allowed = 0;
		for (const c of calls)
			if (authorize(world, c.principal, c.action, c.scope, c.plane).allowed) allowed++;
		const { medians: runs, all } = timeCalls(world, calls, 5);
		const m = median(runs);
		medians.push(m);
		rows.push({
			what: `authorize with its explanation read, ${label} over 10,000 resources (${((100 * (calls.length - allowed)) / calls.length).toFixed(1)}% refusals): per-call median over 5 runs min / median / max; p99`,
			figure: `${spread(runs)}; p99 ${us(quantile(all, 0.99))}`,
			...(label.startsWith('100,000') ? { target: 'median ≤ 20 µs', met: m <= 20 } : {})
		});
	}
	const growth = (medians[2] ?? NaN) / (medians[0] ?? NaN);
	rows.push({
		what: 'authorize cost growth from 10 to 100,000 assignments (10,000× more), same run',
		figure: `${growth.toFixed(2)}×`,
		target: 'far slower than the assignment count (< 10×)',
		met: growth < 10
	});
	rows.push(...benchAuthorizeAfterChange(cases[2]![1], 'spread over the identities'));
	rows.push(...benchAuthorizeAfterChange(cases[3]![1], 'held by 10 identities'));
	return rows;
}

/**
 * A role assignment is created (the operation carries the authorize index forward with it), then the principal
 * asks: the first authorize on the new world. Also the full index build on a world that never had one.
 */
function benchAuthorizeAfterChange(world: World, label: string): Row[] {
	const [first] = callsFor(world, 1, 3);
	if (first === undefined) return [];
	authorize(world, first.principal, first.action, first.scope, first.plane);
	const vms = virtualMachines(world);
	const random = prng(11);
	const scopes = Array.from(
		{ length: 40 },
		() => (vms[Math.floor(random() * vms.length)] as (typeof vms)[number]).id
	);
	const operations: Operation[] = scopes.map((scope) => ({
		type: 'createRoleAssignment',
		role: 'Key Vault Administrator',
		scope,
		principalId: first.principal
	}));
	const worlds: World[] = [];
	const change = sampleMicros(operations.length, (i) => {
		const result = applyOperation(world, operations[i]!);
		if (!result.ok) throw new Error(result.error.message);
		worlds.push(result.value.world);
	});
	const after = sampleMicros(worlds.length, (i) => {
		const w = worlds[i]!;
		readExplanation(authorize(w, first.principal, first.action, scopes[i]!, first.plane));
	});
	// What every change cost before: building the whole index again (a copy of the world that never had one).
	const rebuild = sampleMicros(3, () => {
		const copy: World = { ...world, roleAssignments: { ...world.roleAssignments } };
		authorize(copy, first.principal, first.action, first.scope, first.plane);
	});
	return [
		{
			what: `createRoleAssignment at 100,000 assignments ${label} (index carried forward): min / median / max of ${change.length}`,
			figure: spread(change),
			target: 'median ≤ 1 ms',
			met: median(change) <= 1000
		},
		{
			what: `first authorize after that change, 100,000 assignments ${label}: min / median / max of ${after.length}`,
			figure: spread(after),
			target: 'median ≤ 1 ms (no full rebuild)',
			met: median(after) <= 1000
		},
		{
			what: `for comparison: building the authorize index from scratch, 100,000 assignments ${label}: min / median / max of ${rebuild.length}`,
			figure: spread(rebuild)
		}
	];
}

/** A random valid-or-invalid operation chosen from what the world holds now. */
function randomOperation(world: World, random: () => number, i: number): Operation {
	const resources = Object.values(world.resources);
	const hosts = resources.filter(
		(r) => r.kind === 'virtualMachine' || r.kind === 'webApp' || r.kind === 'functionApp'
	);
	const identities = resources.filter((r) => r.kind === 'userAssignedIdentity');
	const pick = <T>(list: T[]): T | undefined => list[Math.floor(random() * list.length)];
	const sps = Object.values(world.directory.servicePrincipals);
	switch (Math.floor(random() * 10)) {
		case 0:
			return { type: 'createVirtualMachine', resourceGroup: 'rg-stock', name: `vm-r-${i}` };
		case 1:
			return { type: 'enableSystemIdentity', resourceId: pick(hosts)?.id ?? 'x' };
		case 2:
			return { type: 'disableSystemIdentity', resourceId: pick(hosts)?.id ?? 'x' };
		case 3:
			return { type: 'createUserIdentity', resourceGroup: 'rg-stock', name: `id-r-${i}` };
		case 4:
			return {
				type: 'assignUserIdentity',
				resourceId: pick(hosts)?.id ?? 'x',
				identityId: pick(identities)?.id ?? 'x'
			};
		case 5:
			return { type: 'deleteResource', resourceId: pick(resources)?.id ?? 'x' };
		case 6:
			return {
				type: 'createRoleAssignment',
				role: pick(['Reader', 'Key Vault Secrets User', 'Storage Blob Data Reader']) ?? 'Reader',
				scope: pick(resources)?.id ?? '/subscriptions/none',
				principalId: pick(sps)?.id ?? 'x'
			};
		case 7: {
			const a = pick(Object.values(world.roleAssignments));
			return { type: 'deleteRoleAssignment', id: a?.id ?? 'none' };
		}
		case 8:
			return { type: 'advanceClock', seconds: 60 };
		default:
			return {
				type: 'unassignUserIdentity',
				resourceId: pick(hosts)?.id ?? 'x',
				identityId: pick(identities)?.id ?? 'x'
			};
	}
}

/** 10,000 random operations on the default world; each is generated before its timing starts. */
export function benchRandomOperations(): Row[] {
	const random = prng(42);
	let world = createDefaultWorld();
	let refused = 0;
	const samples: number[] = [];
	for (let i = 0; i < 10_000; i++) {
		const operation = randomOperation(world, random, i);
		const t0 = process.hrtime.bigint();
		const result = applyOperation(world, operation);
		samples.push(Number(process.hrtime.bigint() - t0) / 1000);
		if (result.ok) world = result.value.world;
		else refused++;
	}
	const total = samples.reduce((a, b) => a + b, 0);
	return [
		{
			what: `10,000 random operations on the default world (${10_000 - refused} applied, ${refused} refused; generated before timing): per operation min / median / max; p99; total`,
			figure: `${spread(samples)}; p99 ${us(quantile(samples, 0.99))}; ${us(total)} in all`
		}
	];
}

/** The world after enough recorded service calls to fill its history to MAX_EVENTS. */
function withFullHistory(world: World): World {
	const missing = MAX_EVENTS - world.events.length;
	if (missing <= 0) return world;
	const calls: Operation[] = Array.from({ length: missing }, () => ({
		type: 'recordServiceCall',
		service: 'keyVault',
		operation: 'GetSecret',
		target: 'bench',
		status: 200,
		principalId: null,
		authMethod: 'none',
		source: 'cloudshell',
		errorCode: null
	}));
	const result = applyOperations(world, calls);
	if (!result.ok) throw new Error(result.error.message);
	return result.value.world;
}

/** A world of `size` resources built with the operations, and how long building it took. */
function built(size: number): { world: World; micros: number; cpuMicros: number } {
	const cpu = process.cpuUsage();
	const t0 = process.hrtime.bigint();
	const world = mixedWorld(size);
	const used = process.cpuUsage(cpu);
	return {
		world,
		micros: Number(process.hrtime.bigint() - t0) / 1000,
		cpuMicros: used.user + used.system
	};
}

/** The single operations measured at scale, each made fresh for sample `i` against the given world. */
function singleOperations(world: World): [string, (i: number) => Operation][] {
	const resources = Object.values(world.resources);
	const of = (kind: string) => resources.filter((r) => r.kind === kind);
	const vms = of('virtualMachine');
	const identities = of('userAssignedIdentity');
	const vaults = of('keyVault');
	const accounts = of('storageAccount');
	const withSystem = vms.filter(
		(r) => r.kind === 'virtualMachine' && r.identity.systemAssigned !== null
	);
	const principals = Object.values(world.directory.servicePrincipals).filter(
		(sp) => sp.servicePrincipalType === 'ManagedIdentity'
	);
	const assignments = Object.values(world.roleAssignments).filter(
		(a) => a.principalType === 'ServicePrincipal'
	);
	const rg = Object.values(world.resourceGroups)[1]?.name ?? 'rg-stock';
	const at = <T>(list: T[], i: number): T => list[(i * 7919) % list.length] as T;
	return [
		[
			'createVirtualMachine',
			(i) => ({ type: 'createVirtualMachine', resourceGroup: rg, name: `vm-new-${i}` })
		],
		[
			'createVirtualMachine with a system-assigned identity',
			(i) => ({
				type: 'createVirtualMachine',
				resourceGroup: rg,
				name: `vm-id-${i}`,
				identity: { systemAssigned: true }
			})
		],
		[
			'createStorageAccount',
			(i) => ({ type: 'createStorageAccount', resourceGroup: rg, name: `stnew${i}` })
		],
		['createKeyVault', (i) => ({ type: 'createKeyVault', resourceGroup: rg, name: `kv-new-${i}` })],
		[
			'createWebSite',
			(i) => ({ type: 'createWebSite', kind: 'webApp', resourceGroup: rg, name: `app-new-${i}` })
		],
		[
			'createUserIdentity',
			(i) => ({ type: 'createUserIdentity', resourceGroup: rg, name: `id-new-${i}` })
		],
		['enableSystemIdentity', (i) => ({ type: 'enableSystemIdentity', resourceId: at(vms, i).id })],
		[
			'disableSystemIdentity',
			(i) => ({ type: 'disableSystemIdentity', resourceId: at(withSystem, i).id })
		],
		[
			'assignUserIdentity',
			(i) => ({
				type: 'assignUserIdentity',
				resourceId: at(vms, i).id,
				identityId: at(identities, i).id
			})
		],
		[
			'createRoleAssignment',
			(i) => ({
				type: 'createRoleAssignment',
				role: 'Key Vault Secrets Officer',
				scope: at(vaults, i).id,
				principalId: at(principals, i).id
			})
		],
		['deleteRoleAssignment', (i) => ({ type: 'deleteRoleAssignment', id: at(assignments, i).id })],
		[
			'deleteResource (a VM with its identity)',
			(i) => ({ type: 'deleteResource', resourceId: at(withSystem, i).id })
		],
		[
			'deleteResource (a user-assigned identity)',
			(i) => ({ type: 'deleteResource', resourceId: at(identities, i).id })
		],
		[
			'deleteResource (a storage account)',
			(i) => ({ type: 'deleteResource', resourceId: at(accounts, i).id })
		],
		['advanceClock by 10 minutes', () => ({ type: 'advanceClock', seconds: 600 })]
	];
}

/**
 * Worlds of 1,000 and 10,000 resources built with the operations (timed), then each single operation applied to
 * each of them: min / median / max, and how much slower at 10,000 than at 1,000.
 */
export function benchScale(): Row[] {
	const rows: Row[] = [];
	const small = built(1_000);
	const large = built(10_000);
	rows.push({
		what: `building a 1,000-resource world with the operations (${Object.keys(small.world.roleAssignments).length} role assignments)`,
		figure: `${us(small.micros)} (CPU time ${us(small.cpuMicros)})`
	});
	rows.push({
		what: `building a 10,000-resource world with the operations (${Object.keys(large.world.roleAssignments).length} role assignments)`,
		figure: `${us(large.micros)} (CPU time ${us(large.cpuMicros)}: the difference is time the process waited for a core)`,
		target: '≤ 5 s',
		met: large.micros <= 5_000_000
	});
	const samplesOf = (world: World, make: (i: number) => Operation): number[] => {
		// Every sample applies one operation to the same world, so the world does not grow while measured.
		const operations = Array.from({ length: 60 }, (_, i) => make(i));
		for (const op of operations.slice(0, 10)) applyOperation(world, op);
		return sampleMicros(operations.length, (i) => {
			const result = applyOperation(world, operations[i]!);
			if (!result.ok) throw new Error(`${operations[i]!.type}: ${result.error.message}`);
		});
	};
	// Both worlds carry a full history, as any long session does: every operation appends to it, and a
	// history of a different length would be measured as a difference of world size.
	small.world = withFullHistory(small.world);
	large.world = withFullHistory(large.world);
	const smallOps = singleOperations(small.world);
	const largeOps = singleOperations(large.world);
	let worstMedian = 0;
	let worstGrowth = 0;
	for (const [index, [label, makeLarge]] of largeOps.entries()) {
		const makeSmall = smallOps[index]![1];
		const a = samplesOf(small.world, makeSmall);
		const b = samplesOf(large.world, makeLarge);
		const growth = median(b) / median(a);
		worstMedian = Math.max(worstMedian, median(b));
		worstGrowth = Math.max(worstGrowth, growth);
		rows.push({
			what: `${label}: at 1,000 resources min / median / max → at 10,000; growth of the median`,
			figure: `${spread(a)} → ${spread(b)}; ${growth.toFixed(2)}×`,
			target: 'median ≤ 1 ms at 10,000; growth ≤ 2×',
			met: median(b) <= 1000 && growth <= 2
		});
	}
	rows.push({
		what: 'every single operation above: the slowest median at 10,000 resources; the largest growth from 1,000',
		figure: `${us(worstMedian)}; ${worstGrowth.toFixed(2)}×`,
		target: '≤ 1 ms; ≤ 2×',
		met: worstMedian <= 1000 && worstGrowth <= 2
	});
	return rows;
}

function snapshotRow(world: World, label: string, withTarget: boolean): Row {
	let size = 0;
	const samples = sampleMicros(20, () => {
		const text = snapshotWorld(world);
		size = text.length;
		const back = restoreWorld(text);
		if (!back.ok) throw new Error(back.error.message);
	});
	// The floor for any snapshot format: JSON of the same world, there and back, measured in the same run.
	const baseline = sampleMicros(20, () => JSON.parse(JSON.stringify(world)) as unknown);
	const ratio = median(samples) / median(baseline);
	return {
		what: `snapshot + restore, ${label} (${(size / 1024).toFixed(0)} KiB of JSON): min / median / max; ÷ JSON.stringify + JSON.parse of the same world (${us(median(baseline))})`,
		figure: `${spread(samples)}; ${ratio.toFixed(2)}×`,
		...(withTarget
			? {
					target: '≤ 20 ms, and ≤ 4× the JSON baseline',
					met: median(samples) <= 20_000 && ratio <= 4
				}
			: {})
	};
}

/** Snapshot + restore of a world of 1,000 resources (and, for scale, of heavier ones). */
export function benchSnapshot(): Row[] {
	const built = mixedWorld(1_000);
	// A lesson's start world is built with operations and starts with an empty history, as the default world does.
	const start: World = { ...built, events: [] };
	const counts = `${Object.keys(start.resources).length} resources, ${Object.keys(start.directory.servicePrincipals).length} service principals, ${Object.keys(start.roleAssignments).length} role assignments`;
	return [
		snapshotRow(
			start,
			`a 1,000-resource world built with the operations, history cleared as a lesson's start world is (${counts})`,
			true
		),
		snapshotRow(
			built,
			`the same world with the ${built.events.length} events of its history`,
			false
		),
		snapshotRow(
			largeWorld(1_000, 2_000, 3),
			'1,000 VMs each with an identity, and 2,000 role assignments',
			false
		)
	];
}
