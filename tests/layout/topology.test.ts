import { describe, expect, it } from 'vitest';
import {
	TOPOLOGY_SIZES,
	topologyLayout,
	type TopologyEntity,
	type TopologyGraph,
	type TopologyTreeEntity
} from '../../src/layout/topology.ts';

const leaf = (id: string, label: string): TopologyTreeEntity => ({
	id,
	kind: 'resource',
	entityId: id,
	label,
	sublabel: 'Virtual machine',
	children: []
});
const principal = (id: string, label: string, kind: TopologyEntity['kind']): TopologyEntity => ({
	id,
	kind,
	entityId: id,
	label,
	sublabel: ''
});

function graph(order: 'asc' | 'desc'): TopologyGraph {
	const kids = [leaf('res:b', 'vm-b'), leaf('res:a', 'vm-a'), leaf('res:c', 'id-c')];
	const people = [
		principal('ghost:x', 'Identity not found', 'ghost'),
		principal('user:s', 'Sarah', 'user'),
		principal('sp:z', 'vm-b', 'servicePrincipal'),
		principal('sp:y', 'app', 'servicePrincipal')
	];
	if (order === 'desc') {
		kids.reverse();
		people.reverse();
	}
	return {
		roots: [
			{
				id: 'sub:1',
				kind: 'subscription',
				entityId: '/subscriptions/1',
				label: 'Sub',
				sublabel: 'Subscription',
				children: [
					{
						id: 'rg:1',
						kind: 'resourceGroup',
						entityId: '/rg',
						label: 'rg',
						sublabel: '',
						children: kids
					}
				]
			}
		],
		principals: people,
		links: [
			{
				id: 'system:b',
				kind: 'systemAssigned',
				from: 'res:b',
				to: 'sp:z',
				label: 'system-assigned'
			},
			{ id: 'attached:a:c', kind: 'attached', from: 'res:a', to: 'res:c', label: 'uses' },
			{ id: 'dangling', kind: 'attached', from: 'res:a', to: 'res:gone', label: 'uses' },
			{
				id: 'assignment:1',
				kind: 'assignment',
				from: 'ghost:x',
				to: 'rg:1',
				label: 'Reader',
				plane: 'control',
				state: 'effective',
				ghost: true
			}
		]
	};
}

describe('topologyLayout (geometry)', () => {
	it('gives the same picture whatever order the graph was built in', () => {
		expect(topologyLayout(graph('desc'))).toEqual(topologyLayout(graph('asc')));
	});

	it('puts depth left to right, children sorted by label top to bottom', () => {
		const { nodes } = topologyLayout(graph('asc'));
		const at = (id: string) => nodes.find((n) => n.id === id)!;
		expect(at('sub:1').x).toBe(TOPOLOGY_SIZES.margin);
		expect(at('rg:1').x).toBeGreaterThan(at('sub:1').x);
		expect(at('res:a').x).toBeGreaterThan(at('rg:1').x);
		const ys = ['res:c', 'res:a', 'res:b'].map((id) => at(id).y);
		expect(ys).toEqual([...ys].sort((p, q) => p - q));
		expect(Math.min(...nodes.map((n) => n.y))).toBe(TOPOLOGY_SIZES.margin);
	});

	it('orders the principal column: service principals, users, then ghosts, right of the tree', () => {
		const { nodes } = topologyLayout(graph('desc'));
		const column = nodes.filter((n) => ['servicePrincipal', 'user', 'ghost'].includes(n.kind));
		expect(column.map((n) => n.id)).toEqual(['sp:y', 'sp:z', 'user:s', 'ghost:x']);
		const treeRight = Math.max(
			...nodes.filter((n) => n.kind === 'resource').map((n) => n.x + n.width)
		);
		for (const n of column) expect(n.x).toBeGreaterThan(treeRight);
	});

	it.each([
		['contains:res:a', 'rg:1', 'res:a'],
		['system:b', 'res:b', 'sp:z'],
		['attached:a:c', 'res:a', 'res:c'],
		['assignment:1', 'ghost:x', 'rg:1']
	])('draws edge %s from %s to %s', (id, from, to) => {
		const edge = topologyLayout(graph('asc')).edges.find((e) => e.id === id);
		expect(edge).toMatchObject({ from, to });
		expect(edge!.path).toMatch(/^M[\d.]+,[\d.]+C/);
	});

	it('leaves out links whose ends are not drawn, and fits everything in width × height', () => {
		const layout = topologyLayout(graph('asc'));
		expect(layout.edges.find((e) => e.id === 'dangling')).toBeUndefined();
		expect(layout.edges.find((e) => e.id === 'assignment:1')!.ghost).toBe(true);
		for (const n of layout.nodes) {
			expect(n.x + n.width).toBeLessThanOrEqual(layout.width);
			expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
		}
	});

	it('draws an empty graph as an empty picture', () => {
		expect(topologyLayout({ roots: [], principals: [], links: [] })).toMatchObject({
			nodes: [],
			edges: []
		});
	});
});
