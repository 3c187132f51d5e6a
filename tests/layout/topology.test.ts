import { describe, expect, it } from 'vitest';
import {
	TOPOLOGY_SIZES,
	instanceCells,
	shareUnchanged,
	topologyFit,
	topologyInView,
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

const scaleSet = (id: string, label: string, count: number): TopologyTreeEntity => ({
	...leaf(id, label),
	sublabel: 'Scale set',
	instances: count,
	instanceList: Array.from({ length: count }, (_, i) => ({
		instanceId: String(i),
		name: `${label}_${i}`
	}))
});

function withScaleSet(count: number): TopologyGraph {
	const g = graph('asc');
	const rg = g.roots[0]!.children[0]!;
	return {
		...g,
		roots: [
			{
				...g.roots[0]!,
				children: [{ ...rg, children: [...rg.children, scaleSet('res:s', 'vm-s', count)] }]
			}
		]
	};
}

describe('instanceCells', () => {
	const S = TOPOLOGY_SIZES;
	it.each([
		[0, S.cellPadding, S.nodeHeight],
		[1, S.cellPadding + S.cellWidth + S.cellGap, S.nodeHeight],
		[
			S.cellColumns - 1,
			S.cellPadding + (S.cellColumns - 1) * (S.cellWidth + S.cellGap),
			S.nodeHeight
		],
		[S.cellColumns, S.cellPadding, S.nodeHeight + S.cellHeight + S.cellGap],
		[
			49,
			S.cellPadding + (49 % S.cellColumns) * (S.cellWidth + S.cellGap),
			S.nodeHeight + 8 * (S.cellHeight + S.cellGap)
		]
	])('puts instance %i at (%d, %d) inside its box', (i, x, y) => {
		const cells = instanceCells(
			Array.from({ length: 50 }, (_, k) => ({ instanceId: String(k), name: `vmss_${k}` }))
		);
		expect(cells[i]).toEqual({
			name: `vmss_${i}`,
			label: String(i),
			x,
			y,
			width: S.cellWidth,
			height: S.cellHeight
		});
	});

	it('keeps every box inside the node width', () => {
		const S2 = TOPOLOGY_SIZES;
		const right = S2.cellPadding + S2.cellColumns * (S2.cellWidth + S2.cellGap) - S2.cellGap;
		expect(right).toBeLessThanOrEqual(S2.nodeWidth - S2.cellPadding);
	});
});

describe('topologyLayout (an expanded scale set)', () => {
	const S = TOPOLOGY_SIZES;
	const at = (layout: ReturnType<typeof topologyLayout>, id: string) =>
		layout.nodes.find((n) => n.id === id)!;

	it('draws a collapsed scale set as one ordinary box with its count and no cells', () => {
		const node = at(topologyLayout(withScaleSet(50)), 'res:s');
		expect(node).toMatchObject({ instances: 50, height: S.nodeHeight });
		expect(node.cells).toBeUndefined();
		expect(node.expanded).toBeUndefined();
	});

	it('grows an expanded scale set to hold its grid, and moves only what is below it', () => {
		const collapsed = topologyLayout(withScaleSet(50));
		const expanded = topologyLayout(withScaleSet(50), { expanded: ['res:s'] });
		const node = at(expanded, 'res:s');
		const rows = Math.ceil(50 / S.cellColumns);
		expect(node.expanded).toBe(true);
		expect(node.cells).toHaveLength(50);
		expect(node.height).toBe(
			S.nodeHeight + rows * (S.cellHeight + S.cellGap) - S.cellGap + S.cellPadding
		);
		for (const c of node.cells!) {
			expect(c.x + c.width).toBeLessThanOrEqual(node.width);
			expect(c.y + c.height).toBeLessThanOrEqual(node.height);
		}
		// Siblings never overlap it: each box starts below the one above it, a gap apart.
		const column = expanded.nodes.filter((n) => n.x === node.x).sort((a, b) => a.y - b.y);
		for (let i = 1; i < column.length; i++) {
			expect(column[i]!.y).toBeGreaterThanOrEqual(
				column[i - 1]!.y + column[i - 1]!.height + S.rowGap
			);
		}
		expect(expanded.height).toBeGreaterThan(collapsed.height);
		// The scale set sorts last (vm-s), so boxes above it keep their places.
		for (const id of ['res:c', 'res:a', 'res:b'])
			expect(at(expanded, id).y - at(expanded, 'res:c').y).toBe(
				at(collapsed, id).y - at(collapsed, 'res:c').y
			);
	});

	it('leaves the picture as it was when the named scale set is not in the graph or has no instances', () => {
		expect(topologyLayout(withScaleSet(0), { expanded: ['res:s'] })).toEqual(
			topologyLayout(withScaleSet(0))
		);
		expect(topologyLayout(graph('asc'), { expanded: ['res:s'] })).toEqual(
			topologyLayout(graph('asc'))
		);
	});

	it('ends edges at the middle of the box’s first lines, expanded or not', () => {
		const expanded = topologyLayout(withScaleSet(50), { expanded: ['res:s'] });
		const node = at(expanded, 'res:s');
		const edge = expanded.edges.find((e) => e.id === 'contains:res:s')!;
		expect(edge.path.endsWith(`${node.x},${node.y + S.nodeHeight / 2}`)).toBe(true);
	});
});

describe('shareUnchanged', () => {
	it('returns the previous layout itself when nothing changed', () => {
		const before = topologyLayout(graph('asc'));
		expect(shareUnchanged(before, topologyLayout(graph('desc')))).toBe(before);
	});

	it('keeps the objects of boxes and edges that did not change, and takes the new ones that did', () => {
		const before = topologyLayout(withScaleSet(50));
		const after = shareUnchanged(before, topologyLayout(withScaleSet(50), { expanded: ['res:s'] }));
		const same = (id: string) =>
			after.nodes.find((n) => n.id === id) === before.nodes.find((n) => n.id === id);
		expect(after).not.toBe(before);
		expect(same('res:s')).toBe(false);
		expect(after.nodes.find((n) => n.id === 'res:s')!.expanded).toBe(true);
		// The principal column does not depend on the tree's rows.
		expect(same('sp:y')).toBe(true);
		expect(after).toEqual(topologyLayout(withScaleSet(50), { expanded: ['res:s'] }));
	});

	it('takes the next layout as it is when there is no previous one', () => {
		const next = topologyLayout(graph('asc'));
		expect(shareUnchanged(undefined, next)).toBe(next);
	});
});

describe('topologyInView', () => {
	const layout = topologyLayout(graph('asc'));
	const at = (id: string) => layout.nodes.find((n) => n.id === id)!;

	it('gives back the whole layout when everything is in sight', () => {
		const all = topologyInView(layout, { x: 0, y: 0, width: layout.width, height: layout.height });
		expect(all.nodes).toBe(layout.nodes);
		expect(all.edges).toBe(layout.edges);
	});

	it('keeps the boxes touching the rectangle and the edges whose ends’ box touches it', () => {
		const sp = at('sp:y');
		const view = topologyInView(layout, { x: sp.x, y: sp.y, width: 10, height: 10 });
		expect(view.nodes.map((n) => n.id)).toEqual(['sp:y']);
		// No edge of the test graph reaches sp:y's corner.
		expect(view.edges.map((e) => e.id)).toEqual([]);
		const rg = at('rg:1');
		const mid = topologyInView(layout, {
			x: rg.x + rg.width + TOPOLOGY_SIZES.columnGap - 5,
			y: rg.y,
			width: 2,
			height: 2
		});
		// Between the group and its resources: no box, but the containment edges and the assignment from the
		// principal column to the group cross there.
		expect(mid.nodes).toEqual([]);
		expect(mid.edges.map((e) => e.id).sort()).toEqual([
			'assignment:1',
			'contains:res:a',
			'contains:res:b',
			'contains:res:c'
		]);
	});

	it('draws nothing of a rectangle outside the picture', () => {
		expect(topologyInView(layout, { x: layout.width + 100, y: 0, width: 50, height: 50 })).toEqual({
			nodes: [],
			edges: []
		});
	});
});

describe('topologyFit', () => {
	const picture = { width: 1000, height: 600 };
	it.each([
		// [frame, whole, minScale, expected]
		['fits the width, centred', { width: 500, height: 800 }, false, 0.2, { k: 0.5, x: 0, y: 250 }],
		['never above 1', { width: 2000, height: 1000 }, false, 0.2, { k: 1, x: 500, y: 200 }],
		['a short frame: top first', { width: 800, height: 200 }, false, 0.2, { k: 0.8, x: 0, y: 0 }],
		[
			'readable: the right part',
			{ width: 400, height: 900 },
			false,
			0.7,
			{ k: 0.7, x: -300, y: 240 }
		],
		[
			'the whole picture both ways',
			{ width: 800, height: 300 },
			true,
			0.7,
			{ k: 0.5, x: 150, y: 0 }
		],
		[
			'the whole, never below 0.2',
			{ width: 100, height: 100 },
			true,
			0.7,
			{ k: 0.2, x: -50, y: -10 }
		]
	] as const)('%s', (_, frame, whole, minScale, expected) => {
		const fit = topologyFit(picture, frame, { whole, minScale });
		expect(fit.k).toBeCloseTo(expected.k);
		expect(fit.x).toBeCloseTo(expected.x);
		expect(fit.y).toBeCloseTo(expected.y);
	});
});

describe('topologyLayout (edge labels)', () => {
	it('puts the label of an edge that runs under the last tree column in the gap before the principals, on the curve', () => {
		const layout = topologyLayout(graph('asc'));
		const edge = layout.edges.find((e) => e.id === 'assignment:1')!;
		const ghost = layout.nodes.find((n) => n.id === 'ghost:x')!;
		const rg = layout.nodes.find((n) => n.id === 'rg:1')!;
		expect(edge.labelX).toBe(ghost.x - TOPOLOGY_SIZES.principalGap / 2);
		const ends = [ghost.y, rg.y].map((y) => y + TOPOLOGY_SIZES.nodeHeight / 2);
		expect(edge.labelY).toBeGreaterThanOrEqual(Math.min(...ends));
		expect(edge.labelY).toBeLessThanOrEqual(Math.max(...ends));
		// Nearer the principal's end than the middle of the two ends: the curve is there already.
		expect(Math.abs(edge.labelY - ends[0]!)).toBeLessThan(Math.abs(edge.labelY - ends[1]!));
	});

	it('keeps the label of an edge from the last tree column midway', () => {
		const layout = topologyLayout(graph('asc'));
		const edge = layout.edges.find((e) => e.id === 'system:b')!;
		const b = layout.nodes.find((n) => n.id === 'res:b')!;
		const sp = layout.nodes.find((n) => n.id === 'sp:z')!;
		expect(edge.labelX).toBe((b.x + b.width + sp.x) / 2);
	});
});
