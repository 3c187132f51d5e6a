import { describe, expect, it } from 'vitest';
import {
	applyOperations,
	createDefaultWorld,
	DEFAULT_GROUP,
	DEFAULT_IDS,
	resourceId,
	type Operation,
	type World
} from '../../../src/core/index.ts';
import {
	describeEdge,
	formatRemaining,
	topologyLayout as layoutOf
} from '../../../src/layout/topology.ts';
import { topologyGraph } from '../../../src/ui/diagrams/topology-graph.ts';

const topologyLayout = (world: World) => layoutOf(topologyGraph(world));

const sub = DEFAULT_IDS.subscriptionId;
const id = (kind: Parameters<typeof resourceId>[2], name: string): string =>
	resourceId(sub, DEFAULT_GROUP, kind, name);

function apply(world: World, ops: Operation[]): World {
	const applied = applyOperations(world, ops);
	if (!applied.ok) throw new Error(applied.error.message);
	return applied.value.world;
}

function byLabel(layout: ReturnType<typeof topologyLayout>, label: string) {
	const node = layout.nodes.find((n) => n.label === label);
	if (!node) throw new Error(`no node ${label}`);
	return node;
}

describe('topologyLayout', () => {
	it('draws the default world as management group → subscription → group → resources', () => {
		const world = createDefaultWorld();
		const layout = topologyLayout(world);
		const kinds = new Set(layout.nodes.map((n) => n.kind));
		expect(kinds).toContain('managementGroup');
		expect(kinds).toContain('subscription');
		expect(kinds).toContain('resourceGroup');
		const rg = byLabel(layout, DEFAULT_GROUP);
		const vm = byLabel(layout, 'vm-stock-app');
		const subNode = layout.nodes.find((n) => n.kind === 'subscription')!;
		expect(subNode.x).toBeLessThan(rg.x);
		expect(rg.x).toBeLessThan(vm.x);
		expect(layout.edges).toContainEqual(
			expect.objectContaining({ kind: 'contains', from: rg.id, to: vm.id })
		);
		// Every resource of the world has exactly one node.
		expect(layout.nodes.filter((n) => n.kind === 'resource')).toHaveLength(
			Object.keys(world.resources).length
		);
	});

	it('puts the service principals in a column to the right of the tree, sorted by name', () => {
		const layout = topologyLayout(createDefaultWorld());
		const column = layout.nodes.filter((n) => n.kind === 'servicePrincipal' || n.kind === 'user');
		const treeRight = Math.max(
			...layout.nodes.filter((n) => n.kind === 'resource').map((n) => n.x + n.width)
		);
		expect(column.length).toBeGreaterThan(0);
		for (const n of column) expect(n.x).toBeGreaterThan(treeRight);
		const sps = column.filter((n) => n.kind === 'servicePrincipal').map((n) => n.label);
		expect(sps).toEqual([...sps].sort());
		// The admin holds Owner on the subscription: a user node with a control-plane edge.
		const owner = layout.edges.find((e) => e.kind === 'assignment' && e.label === 'Owner');
		expect(owner).toMatchObject({ plane: 'control', state: 'effective', ghost: false });
	});

	it('is deterministic and never overlaps boxes', () => {
		const world = createDefaultWorld();
		const a = topologyLayout(world);
		expect(topologyLayout(structuredClone(world))).toEqual(a);
		for (const [i, n] of a.nodes.entries()) {
			for (const m of a.nodes.slice(i + 1)) {
				const apart =
					n.x + n.width <= m.x ||
					m.x + m.width <= n.x ||
					n.y + n.height <= m.y ||
					m.y + m.height <= n.y;
				expect(apart, `${n.id} overlaps ${m.id}`).toBe(true);
			}
		}
		expect(new Set(a.nodes.map((n) => n.id)).size).toBe(a.nodes.length);
		expect(new Set(a.edges.map((e) => e.id)).size).toBe(a.edges.length);
	});

	it('links a system-assigned identity to its service principal, which goes with the VM', () => {
		const vmId = id('virtualMachine', 'vm-stock-app');
		const world = apply(createDefaultWorld(), [{ type: 'enableSystemIdentity', resourceId: vmId }]);
		const layout = topologyLayout(world);
		const vm = byLabel(layout, 'vm-stock-app');
		const edge = layout.edges.find((e) => e.kind === 'systemAssigned' && e.from === vm.id);
		expect(edge).toBeDefined();
		const sp = layout.nodes.find((n) => n.id === edge!.to)!;
		expect(sp).toMatchObject({ kind: 'servicePrincipal', sublabel: 'Managed identity' });
		const gone = topologyLayout(apply(world, [{ type: 'deleteResource', resourceId: vmId }]));
		expect(gone.nodes.find((n) => n.id === sp.id)).toBeUndefined();
		expect(gone.nodes.find((n) => n.id === vm.id)).toBeUndefined();
	});

	it('marks an orphaned user-assigned identity, and links an attached one through its principal', () => {
		const uai = id('userAssignedIdentity', 'id-stock');
		let world = apply(createDefaultWorld(), [
			{ type: 'createUserIdentity', resourceGroup: DEFAULT_GROUP, name: 'id-stock' }
		]);
		expect(byLabel(topologyLayout(world), 'id-stock').orphan).toBe(true);
		world = apply(world, [
			{
				type: 'assignUserIdentity',
				resourceId: id('virtualMachine', 'vm-stock-app'),
				identityId: uai
			}
		]);
		const layout = topologyLayout(world);
		const node = byLabel(layout, 'id-stock');
		expect(node.orphan).toBe(false);
		expect(layout.edges.some((e) => e.kind === 'attached' && e.to === node.id)).toBe(true);
		expect(layout.edges.some((e) => e.kind === 'identityOf' && e.from === node.id)).toBe(true);
	});

	it('draws a new assignment pending with the remaining time, and data-plane roles as data plane', () => {
		const vmId = id('virtualMachine', 'vm-stock-app');
		let world = apply(createDefaultWorld(), [{ type: 'enableSystemIdentity', resourceId: vmId }]);
		const vm = Object.values(world.resources).find((r) => r.name === 'vm-stock-app')!;
		const principalId = 'identity' in vm ? vm.identity.systemAssigned!.principalId : '';
		world = apply(world, [
			{
				type: 'createRoleAssignment',
				role: 'Key Vault Secrets User',
				scope: id('keyVault', 'kv-stock'),
				principalId,
				principalType: 'ServicePrincipal'
			},
			{ type: 'advanceClock', seconds: 20 }
		]);
		const edge = topologyLayout(world).edges.find((e) => e.label === 'Key Vault Secrets User')!;
		expect(edge).toMatchObject({ kind: 'assignment', plane: 'data', state: 'pending' });
		expect(edge.secondsLeft).toBe(world.settings.propagationDelaySeconds - 20);
		const nodes = new Map(topologyLayout(world).nodes.map((n) => [n.id, n]));
		expect(describeEdge(edge, nodes)).toMatch(
			/Key Vault Secrets User \(data plane\) on kv-stock, pending: counts in/
		);
	});

	it('draws an assignment whose principal is gone as an "Identity not found" ghost', () => {
		const vmId = id('virtualMachine', 'vm-stock-app');
		let world = apply(createDefaultWorld(), [{ type: 'enableSystemIdentity', resourceId: vmId }]);
		const vm = Object.values(world.resources).find((r) => r.name === 'vm-stock-app')!;
		const principalId = 'identity' in vm ? vm.identity.systemAssigned!.principalId : '';
		world = apply(world, [
			{
				type: 'createRoleAssignment',
				role: 'Reader',
				scope: id('storageAccount', 'ststockdata'),
				principalId,
				principalType: 'ServicePrincipal'
			},
			{ type: 'disableSystemIdentity', resourceId: vmId }
		]);
		const layout = topologyLayout(world);
		const ghost = layout.nodes.find((n) => n.kind === 'ghost');
		expect(ghost).toMatchObject({
			label: 'Identity not found',
			entityId: principalId.toLowerCase()
		});
		const edge = layout.edges.find((e) => e.from === ghost!.id)!;
		expect(edge).toMatchObject({ ghost: true, label: 'Reader', plane: 'control' });
		expect(describeEdge(edge, new Map(layout.nodes.map((n) => [n.id, n])))).toMatch(
			/^Identity not found \(.+\) has Reader \(control plane\) on ststockdata/
		);
	});

	it('groups a 50-instance scale set into one node with its count', () => {
		const world = apply(createDefaultWorld(), [
			{ type: 'createScaleSet', resourceGroup: DEFAULT_GROUP, name: 'vmss-stock', capacity: 50 }
		]);
		const layout = topologyLayout(world);
		const node = byLabel(layout, 'vmss-stock');
		expect(node).toMatchObject({ instances: 50, sublabel: 'Scale set · 50 instances' });
		expect(layout.nodes.filter((n) => n.label.startsWith('vmss-stock'))).toHaveLength(1);
	});

	it('points an assignment below a resource at that resource and keeps the sub-scope', () => {
		const scope = `${id('keyVault', 'kv-stock')}/secrets/db-password`;
		const world = apply(createDefaultWorld(), [
			{
				type: 'createRoleAssignment',
				role: 'Key Vault Secrets User',
				scope,
				principalId: DEFAULT_IDS.sarahId,
				principalType: 'User'
			}
		]);
		const layout = topologyLayout(world);
		const edge = layout.edges.find((e) => e.label === 'Key Vault Secrets User')!;
		expect(edge.to).toBe(byLabel(layout, 'kv-stock').id);
		expect(edge.subScope).toBe('/secrets/db-password');
	});
});

describe('formatRemaining', () => {
	it.each([
		[0, '0 s'],
		[35, '35 s'],
		[60, '1 min'],
		[250, '4 min 10 s'],
		[-5, '0 s']
	])('%d seconds → %s', (s, text) => {
		expect(formatRemaining(s)).toBe(text);
	});
});
