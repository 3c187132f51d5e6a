import { describe, it, expect } from 'vitest';
import { createTestModel } from '@xstate/graph';
import type { SnapshotFrom } from 'xstate';
import {
	DEFAULT_GROUP,
	armResource,
	createDefaultWorld,
	findInconsistencies,
	getResource,
	type Operation,
	type ResourceKind,
	type World
} from '../../src/core/index.ts';
import { resourceMachine } from '../../src/machines/resource.machine.ts';
import { resourceState } from '../../src/machines/lifecycle.ts';
import { expectCoverage, mustApply } from './model-helpers.ts';
import { idOf } from '../fixtures/worlds.ts';

type Snapshot = SnapshotFrom<typeof resourceMachine>;

interface Subject {
	kind: ResourceKind;
	name: string;
	create: Operation;
}

const rg = DEFAULT_GROUP;
const SUBJECTS: Subject[] = [
	{
		kind: 'virtualMachine',
		name: 'vm-life',
		create: { type: 'createVirtualMachine', resourceGroup: rg, name: 'vm-life' }
	},
	{
		kind: 'webApp',
		name: 'app-life',
		create: { type: 'createWebSite', kind: 'webApp', resourceGroup: rg, name: 'app-life' }
	},
	{
		kind: 'storageAccount',
		name: 'stlife',
		create: { type: 'createStorageAccount', resourceGroup: rg, name: 'stlife' }
	},
	{
		kind: 'keyVault',
		name: 'kv-life',
		create: { type: 'createKeyVault', resourceGroup: rg, name: 'kv-life' }
	},
	{
		kind: 'userAssignedIdentity',
		name: 'id-life',
		create: { type: 'createUserIdentity', resourceGroup: rg, name: 'id-life' }
	}
];

describe.each(SUBJECTS.map((s) => [s.kind, s] as const))(
	'resourceMachine against the core: %s',
	(_, subject) => {
		const id = idOf(subject.kind, subject.name);
		const model = createTestModel(resourceMachine);
		// Shortest and simple paths coincide on a machine this small; keep each path once.
		const paths = [
			...new Map(
				[...model.getShortestPaths(), ...model.getSimplePaths()].map((p) => [p.description, p])
			).values()
		];

		function check(world: World, snapshot: Snapshot): void {
			expect(resourceState(world, id)).toBe(snapshot.value);
			expect(findInconsistencies(world)).toEqual([]);
			const resource = getResource(world, id);
			expect(resource !== undefined).toBe(snapshot.hasTag('exists'));
			if (resource) {
				const shown = armResource(world, resource);
				// ARM ids compare case-insensitively (the MSI RP spells `resourcegroups` in lower case).
				expect(String(shown.id).toLowerCase()).toBe(id.toLowerCase());
				expect(shown).toMatchObject({ name: subject.name });
			}
		}

		it.each(paths.map((p) => [p.description, p] as const))('%s', (_, path) => {
			let world = createDefaultWorld();
			for (const step of path.steps) {
				if (step.event.type === 'resource.create') world = mustApply(world, subject.create);
				if (step.event.type === 'resource.delete') {
					world = mustApply(world, { type: 'deleteResource', resourceId: id });
				}
				check(world, step.state);
			}
		});

		it('reaches every state of the machine', () => {
			expectCoverage(resourceMachine, paths);
		});
	}
);
