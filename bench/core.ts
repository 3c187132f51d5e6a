/** Benchmarks of the simulation core (issue: foundation): authorize, random operations, snapshot/restore. */
import {
	applyOperation,
	createDefaultWorld,
	restoreWorld,
	snapshotWorld,
	type Operation,
	type World
} from '../src/core/index.ts';
import { authorize } from '../src/core/azure/rbac/authorize.ts';
import { largeWorld, mixedWorld, prng, virtualMachines } from './large-world.ts';
import { quantile, sampleMicros, us } from './stats.ts';

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

/** authorize median and p99 at 10, 1,000 and 100,000 assignments over 10,000 resources. */
export function benchAuthorize(): Row[] {
	const rows: Row[] = [];
	const medians: number[] = [];
	for (const count of [10, 1_000, 100_000]) {
		const world = largeWorld(10_000, count, count);
		const vms = virtualMachines(world);
		const principals = Object.values(world.roleAssignments).map((a) => a.principalId);
		const random = prng(7);
		const calls = Array.from({ length: 20_000 }, () => {
			const [action, plane] = ACTIONS[Math.floor(random() * ACTIONS.length)] ?? ACTIONS[0]!;
			return {
				principal: principals[Math.floor(random() * principals.length)] ?? '',
				scope: (vms[Math.floor(random() * vms.length)] as (typeof vms)[number]).id,
				action,
				plane
			};
		});
		sampleMicros(2_000, (i) => {
			const c = calls[i % calls.length]!;
			authorize(world, c.principal, c.action, c.scope, c.plane);
		});
		const samples = sampleMicros(calls.length, (i) => {
			const c = calls[i]!;
			authorize(world, c.principal, c.action, c.scope, c.plane);
		});
		const median = quantile(samples, 0.5);
		medians.push(median);
		rows.push({
			what: `authorize, ${count.toLocaleString('en-US')} assignments over 10,000 resources: median / p99`,
			figure: `${us(median)} / ${us(quantile(samples, 0.99))}`,
			...(count === 100_000 ? { target: 'median ≤ 20 µs', met: median <= 20 } : {})
		});
	}
	const growth = (medians[2] ?? NaN) / (medians[0] ?? NaN);
	rows.push({
		what: 'authorize cost growth from 10 to 100,000 assignments (10,000× more), same run',
		figure: `${growth.toFixed(2)}×`,
		target: 'far slower than the assignment count (< 10×)',
		met: growth < 10
	});
	return rows;
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

/** 10,000 random operations on the default world. */
export function benchRandomOperations(): Row[] {
	const random = prng(42);
	let world = createDefaultWorld();
	let refused = 0;
	const samples = sampleMicros(10_000, (i) => {
		const result = applyOperation(world, randomOperation(world, random, i));
		if (result.ok) world = result.value.world;
		else refused++;
	});
	const total = samples.reduce((a, b) => a + b, 0);
	return [
		{
			what: `10,000 random operations (${10_000 - refused} applied, ${refused} refused; generation included)`,
			figure: `${us(total)} in all; median ${us(quantile(samples, 0.5))}, p99 ${us(quantile(samples, 0.99))} per operation`
		}
	];
}

function snapshotRow(world: World, label: string, withTarget: boolean): Row {
	let size = 0;
	const samples = sampleMicros(30, () => {
		const text = snapshotWorld(world);
		size = text.length;
		const back = restoreWorld(text);
		if (!back.ok) throw new Error(back.error.message);
	});
	const median = quantile(samples, 0.5);
	return {
		what: `snapshot + restore, ${label} (${(size / 1024).toFixed(0)} KiB of JSON): median`,
		figure: us(median),
		...(withTarget ? { target: '≤ 20 ms', met: median <= 20_000 } : {})
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
