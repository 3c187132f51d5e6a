/**
 * The topology diagram's geometry: the scope tree (management group → subscription → resource group →
 * resource, laid out by d3-hierarchy), the directory's principals in a column beside it, identity links and
 * role assignments as labelled edges. Pure and deterministic, and blind to the world: `ui/diagrams/
 * topology-graph.ts` says what to draw, this module only where.
 */
import { hierarchy, tree } from 'd3-hierarchy';

/** What a node stands for. */
export type TopologyNodeKind =
	| 'managementGroup'
	| 'subscription'
	| 'resourceGroup'
	| 'resource'
	| 'servicePrincipal'
	| 'user'
	| 'ghost';

/** A box in the diagram; `x`/`y` is its top-left corner. */
export interface TopologyNode {
	/** Stable across worlds: the entity's id (ARM id or object id) with a kind prefix. */
	id: string;
	kind: TopologyNodeKind;
	/** The entity's id in the world (ARM id, object id, or the missing principal's id for a ghost). */
	entityId: string;
	/** The resource kind, for resources. */
	resourceKind?: string;
	label: string;
	/** A second line: the type, the instance count, the principal type. */
	sublabel: string;
	/** Set on a user-assigned identity that no resource uses. */
	orphan: boolean;
	/** Instances of a scale set, drawn as one grouped node. */
	instances?: number;
	/** Set on a scale set whose instances are laid out inside its box (see `cells`). */
	expanded?: boolean;
	/** An expanded scale set's instances, a grid of small boxes placed relative to the node's corner. */
	cells?: readonly TopologyInstanceCell[];
	x: number;
	y: number;
	width: number;
	height: number;
}

/** One instance of an expanded scale set: a small box inside its node, relative to the node's corner. */
export interface TopologyInstanceCell {
	/** The instance's name (`vmss-web_3`), for its accessible name and the text twin. */
	name: string;
	/** What the box shows: the instance id. */
	label: string;
	x: number;
	y: number;
	width: number;
	height: number;
}

/** What an edge says. */
export type TopologyEdgeKind =
	'contains' | 'systemAssigned' | 'attached' | 'identityOf' | 'assignment';

/** A line between two nodes, with its SVG path. */
export interface TopologyEdge {
	id: string;
	kind: TopologyEdgeKind;
	from: string;
	to: string;
	/** Words on the edge (role name for an assignment), empty for containment. */
	label: string;
	/** For assignments: whether the role grants data actions (data plane) or only ARM actions. */
	plane?: 'control' | 'data';
	/** For assignments: pending until effectiveAt, removing until removedAt. */
	state?: 'pending' | 'effective' | 'removing';
	/** Simulated seconds until a pending assignment counts (or a removal takes effect). */
	secondsLeft?: number;
	/** The assignment's scope when it is below the node it points at (a secret, a container). */
	subScope?: string;
	/** True when the principal no longer exists ("Identity not found"). */
	ghost: boolean;
	path: string;
	/** Where to put the label. */
	labelX: number;
	labelY: number;
	/** The edge in words (`describeEdge`), for its accessible name and the text twin. */
	description: string;
}

/** The whole picture. */
export interface TopologyLayout {
	nodes: TopologyNode[];
	edges: TopologyEdge[];
	width: number;
	height: number;
}

/** Box sizes and gaps, in SVG units. */
export const TOPOLOGY_SIZES = {
	nodeWidth: 190,
	nodeHeight: 40,
	rowGap: 14,
	columnGap: 50,
	principalGap: 260,
	margin: 20,
	/** An expanded scale set's instance boxes: size, gap, and how many to a row. */
	cellWidth: 26,
	cellHeight: 16,
	cellGap: 3,
	cellColumns: 6,
	cellPadding: 8
} as const;

/** How far a same-column edge loops out to the right of its boxes. */
const LOOP_REACH = 40;

/** How a topology graph is laid out, apart from the graph itself: view state, never part of the world. */
export interface TopologyLayoutOptions {
	/** Ids of the scale-set nodes whose instances are shown one by one. */
	expanded?: readonly string[];
}

/** An entity to draw, before layout. `id` must be unique and stable (the builder prefixes the kind). */
export interface TopologyEntity {
	id: string;
	kind: TopologyNodeKind;
	entityId: string;
	label: string;
	sublabel: string;
	resourceKind?: string;
	orphan?: boolean;
	instances?: number;
	/** A scale set's instances (id and name), laid out only when the node is expanded. */
	instanceList?: readonly { instanceId: string; name: string }[];
}

/** An entity of the scope tree with what it contains. */
export interface TopologyTreeEntity extends TopologyEntity {
	children: TopologyTreeEntity[];
}

/** A link to draw between two entities (containment edges come from the tree itself). */
export type TopologyLink = Omit<
	TopologyEdge,
	'path' | 'labelX' | 'labelY' | 'ghost' | 'description'
> & {
	ghost?: boolean;
};

/** What the topology diagram shows: the scope tree, the principals column, and the links between them. */
export interface TopologyGraph {
	roots: TopologyTreeEntity[];
	principals: TopologyEntity[];
	links: TopologyLink[];
}

const compareEntities = (a: TopologyEntity, b: TopologyEntity): number =>
	a.label < b.label ? -1 : a.label > b.label ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

const PRINCIPAL_RANK: Partial<Record<TopologyNodeKind, number>> = {
	servicePrincipal: 0,
	user: 1,
	ghost: 2
};

const LINK_RANK: Record<TopologyEdgeKind, number> = {
	contains: 0,
	systemAssigned: 1,
	attached: 2,
	identityOf: 3,
	assignment: 4
};

/** Formats simulated seconds as `4 min 10 s` / `35 s`. */
export function formatRemaining(seconds: number): string {
	const s = Math.max(0, Math.ceil(seconds));
	if (s < 60) return `${s} s`;
	const m = Math.floor(s / 60);
	const rest = s % 60;
	return rest === 0 ? `${m} min` : `${m} min ${rest} s`;
}

/** The y of `horizontalPath`'s curve where it passes `x` (found by bisection: x grows along the curve). */
function curveYAt(x1: number, y1: number, x2: number, y2: number, x: number): number {
	const mid = (x1 + x2) / 2;
	const at = (t: number, a: number, b: number, c: number, d: number): number => {
		const u = 1 - t;
		return u * u * u * a + 3 * u * u * t * b + 3 * u * t * t * c + t * t * t * d;
	};
	const rising = x2 > x1;
	let lo = 0;
	let hi = 1;
	for (let i = 0; i < 30; i++) {
		const t = (lo + hi) / 2;
		if (at(t, x1, mid, mid, x2) < x === rising) lo = t;
		else hi = t;
	}
	return Math.round(at((lo + hi) / 2, y1, y1, y2, y2) * 10) / 10;
}

function horizontalPath(x1: number, y1: number, x2: number, y2: number): string {
	const mid = (x1 + x2) / 2;
	return `M${x1},${y1}C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
}

const sortedChildren = (entity: TopologyTreeEntity): TopologyTreeEntity[] | undefined =>
	entity.children.length === 0 ? undefined : [...entity.children].sort(compareEntities);

const ROOT_ID = '\u0000root';

/** The instance boxes of an expanded scale set: rows of `cellColumns` under the node's two lines of text. */
export function instanceCells(
	instances: readonly { instanceId: string; name: string }[]
): TopologyInstanceCell[] {
	const S = TOPOLOGY_SIZES;
	return instances.map((instance, i) => ({
		name: instance.name,
		label: instance.instanceId,
		x: S.cellPadding + (i % S.cellColumns) * (S.cellWidth + S.cellGap),
		y: S.nodeHeight + Math.floor(i / S.cellColumns) * (S.cellHeight + S.cellGap),
		width: S.cellWidth,
		height: S.cellHeight
	}));
}

/** A node's height: one line pair, or that plus its instance grid when expanded. */
function heightWith(cells: readonly TopologyInstanceCell[] | undefined): number {
	const S = TOPOLOGY_SIZES;
	if (!cells || cells.length === 0) return S.nodeHeight;
	const rows = Math.ceil(cells.length / S.cellColumns);
	return S.nodeHeight + rows * (S.cellHeight + S.cellGap) - S.cellGap + S.cellPadding;
}

/**
 * Lays out a topology graph: the scope tree left to right (d3-hierarchy's tidy tree), the principals in a
 * column to its right, then every link as a curve between facing sides. Children, principals and links are
 * sorted (by label then id; principals: service principals, users, ghosts), so the same graph always gives the
 * same picture, whatever order it was built in. Links whose ends are not drawn are left out. A scale set named
 * in `options.expanded` is a taller box with its instances in a grid; its neighbours make room for it.
 */
export function topologyLayout(
	graph: TopologyGraph,
	options: TopologyLayoutOptions = {}
): TopologyLayout {
	const S = TOPOLOGY_SIZES;
	const expanded = new Set(options.expanded);
	const cellsOf = (d: TopologyEntity): TopologyInstanceCell[] | undefined =>
		d.instanceList && d.instanceList.length > 0 && expanded.has(d.id)
			? instanceCells(d.instanceList)
			: undefined;
	const root = hierarchy<TopologyTreeEntity>(
		{
			id: ROOT_ID,
			kind: 'managementGroup',
			entityId: '',
			label: '',
			sublabel: '',
			children: graph.roots
		},
		sortedChildren
	);
	const heights = new Map<TopologyTreeEntity, number>();
	const cells = new Map<TopologyTreeEntity, TopologyInstanceCell[]>();
	root.each((n) => {
		const c = cellsOf(n.data);
		if (c) cells.set(n.data, c);
		heights.set(n.data, heightWith(c));
	});
	const heightOf = (d: TopologyTreeEntity): number => heights.get(d) ?? S.nodeHeight;
	// Units of one pixel across rows: neighbours are half their heights plus a gap apart, and cousins one row
	// more (d3's default of twice the distance, for boxes of the usual height).
	tree<TopologyTreeEntity>()
		.nodeSize([1, S.nodeWidth + S.columnGap])
		.separation(
			(a, b) =>
				(heightOf(a.data) + heightOf(b.data)) / 2 +
				S.rowGap +
				(a.parent === b.parent ? 0 : S.nodeHeight + S.rowGap)
		)(root);

	const nodes: TopologyNode[] = [];
	let minY = Infinity;
	let maxDepth = 0;
	root.each((n) => {
		if (n.data.id !== ROOT_ID) minY = Math.min(minY, (n.x ?? 0) - heightOf(n.data) / 2);
		maxDepth = Math.max(maxDepth, n.depth);
	});
	if (!Number.isFinite(minY)) minY = 0;
	const toNode = (
		d: TopologyEntity,
		x: number,
		y: number,
		c: TopologyInstanceCell[] | undefined
	): TopologyNode => ({
		id: d.id,
		kind: d.kind,
		entityId: d.entityId,
		...(d.resourceKind !== undefined ? { resourceKind: d.resourceKind } : {}),
		label: d.label,
		sublabel: d.sublabel,
		orphan: d.orphan ?? false,
		...(d.instances !== undefined ? { instances: d.instances } : {}),
		...(c ? { expanded: true, cells: c } : {}),
		x,
		y,
		width: S.nodeWidth,
		height: heightWith(c)
	});
	root.each((n) => {
		if (n.data.id === ROOT_ID) return;
		nodes.push(
			toNode(
				n.data,
				S.margin + (n.depth - 1) * (S.nodeWidth + S.columnGap),
				S.margin + (n.x ?? 0) - heightOf(n.data) / 2 - minY,
				cells.get(n.data)
			)
		);
	});

	const principalX =
		S.margin +
		Math.max(0, maxDepth - 1) * (S.nodeWidth + S.columnGap) +
		S.nodeWidth +
		S.principalGap;
	[...graph.principals]
		.sort(
			(a, b) =>
				(PRINCIPAL_RANK[a.kind] ?? 0) - (PRINCIPAL_RANK[b.kind] ?? 0) || compareEntities(a, b)
		)
		.forEach((p, i) => {
			nodes.push(toNode(p, principalX, S.margin + i * (S.nodeHeight + S.rowGap), undefined));
		});

	const byId = new Map(nodes.map((n) => [n.id, n]));
	const edges: TopologyEdge[] = [];
	const gapMiddle = principalX - S.principalGap / 2;
	// Edges meet a box at the middle of its first line pair, so an expanded scale set keeps its links in place.
	const middle = (n: TopologyNode): number => n.y + S.nodeHeight / 2;
	const place = (link: TopologyLink): void => {
		const from = byId.get(link.from);
		const to = byId.get(link.to);
		if (!from || !to) return;
		const y1 = middle(from);
		const y2 = middle(to);
		let path: string;
		let labelX: number;
		let labelY = (y1 + y2) / 2;
		if (from.x === to.x) {
			// Same column (a host and the identity it uses): a loop out to the right.
			const right = from.x + from.width;
			const out = right + LOOP_REACH;
			path = `M${right},${y1}C${out},${y1} ${out},${y2} ${right},${y2}`;
			labelX = out - 6;
		} else {
			const leftToRight = from.x < to.x;
			const x1 = leftToRight ? from.x + from.width : from.x;
			const x2 = leftToRight ? to.x : to.x + to.width;
			path = horizontalPath(x1, y1, x2, y2);
			labelX = (x1 + x2) / 2;
			// An edge to the principals' column may run under the tree's last column: its label goes in the gap
			// before the column instead, where no box hides it, on the curve there.
			if ((from.x === principalX) !== (to.x === principalX) && labelX < gapMiddle) {
				labelX = gapMiddle;
				labelY = curveYAt(x1, y1, x2, y2, gapMiddle);
			}
		}
		const edge: TopologyEdge = {
			...link,
			ghost: link.ghost ?? false,
			path,
			labelX,
			labelY,
			description: ''
		};
		edge.description = describeEdge(edge, byId);
		edges.push(edge);
	};

	root.each((n) => {
		if (n.parent === null || n.parent.data.id === ROOT_ID) return;
		place({
			id: `contains:${n.data.id}`,
			kind: 'contains',
			from: n.parent.data.id,
			to: n.data.id,
			label: ''
		});
	});
	[...graph.links]
		.sort(
			(a, b) => LINK_RANK[a.kind] - LINK_RANK[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
		)
		.forEach(place);

	let width = 0;
	let height = 0;
	for (const n of nodes) {
		width = Math.max(width, n.x + n.width);
		height = Math.max(height, n.y + n.height);
	}
	return { nodes, edges, width: width + S.margin + 60, height: height + S.margin };
}

const sameCells = (
	a: readonly TopologyInstanceCell[] | undefined,
	b: readonly TopologyInstanceCell[] | undefined
): boolean =>
	a === b ||
	(a !== undefined &&
		b !== undefined &&
		a.length === b.length &&
		a.every((c, i) => {
			const d = b[i]!;
			return (
				c.name === d.name &&
				c.label === d.label &&
				c.x === d.x &&
				c.y === d.y &&
				c.width === d.width &&
				c.height === d.height
			);
		}));

const sameNode = (a: TopologyNode, b: TopologyNode): boolean =>
	a.x === b.x &&
	a.y === b.y &&
	a.width === b.width &&
	a.height === b.height &&
	a.label === b.label &&
	a.sublabel === b.sublabel &&
	a.kind === b.kind &&
	a.entityId === b.entityId &&
	a.resourceKind === b.resourceKind &&
	a.orphan === b.orphan &&
	a.instances === b.instances &&
	a.expanded === b.expanded &&
	sameCells(a.cells, b.cells);

const sameEdge = (a: TopologyEdge, b: TopologyEdge): boolean =>
	a.path === b.path &&
	a.description === b.description &&
	a.label === b.label &&
	a.labelX === b.labelX &&
	a.labelY === b.labelY &&
	a.kind === b.kind &&
	a.from === b.from &&
	a.to === b.to &&
	a.plane === b.plane &&
	a.state === b.state &&
	a.secondsLeft === b.secondsLeft &&
	a.subScope === b.subScope &&
	a.ghost === b.ghost;

/**
 * `next`, with every node and edge that equals one of `previous` replaced by that earlier object, and
 * `previous` itself when nothing changed. Nothing is copied: a renderer that compares by identity (Svelte's
 * keyed blocks) then skips what did not move or change.
 */
export function shareUnchanged(
	previous: TopologyLayout | undefined,
	next: TopologyLayout
): TopologyLayout {
	if (!previous) return next;
	const nodesBefore = new Map(previous.nodes.map((n) => [n.id, n]));
	const edgesBefore = new Map(previous.edges.map((e) => [e.id, e]));
	const share = <T extends { id: string }>(
		items: T[],
		before: Map<string, T>,
		same: (a: T, b: T) => boolean
	): T[] =>
		items.map((item) => {
			const old = before.get(item.id);
			return old !== undefined && same(old, item) ? old : item;
		});
	const nodes = share(next.nodes, nodesBefore, sameNode);
	const edges = share(next.edges, edgesBefore, sameEdge);
	const same = <T>(a: T[], b: T[]): boolean =>
		a.length === b.length && a.every((item, i) => item === b[i]);
	if (
		previous.width === next.width &&
		previous.height === next.height &&
		same(nodes, previous.nodes) &&
		same(edges, previous.edges)
	)
		return previous;
	return { nodes, edges, width: next.width, height: next.height };
}

/** A rectangle of the picture, in its own units. */
export interface TopologyRect {
	x: number;
	y: number;
	width: number;
	height: number;
}

/**
 * The nodes and edges of `layout` that touch `rect` (in layout order), and so the only ones a renderer need
 * draw when the rest of the picture is panned out of sight. An edge counts by the box around its two ends,
 * which holds its whole curve. When everything touches, the layout's own arrays come back.
 */
export function topologyInView(
	layout: TopologyLayout,
	rect: TopologyRect
): Pick<TopologyLayout, 'nodes' | 'edges'> {
	const right = rect.x + rect.width;
	const bottom = rect.y + rect.height;
	const touches = (x1: number, y1: number, x2: number, y2: number): boolean =>
		x2 >= rect.x && x1 <= right && y2 >= rect.y && y1 <= bottom;
	const nodes = layout.nodes.filter((n) => touches(n.x, n.y, n.x + n.width, n.y + n.height));
	const byId = new Map(layout.nodes.map((n) => [n.id, n]));
	const edges = layout.edges.filter((e) => {
		const a = byId.get(e.from);
		const b = byId.get(e.to);
		if (!a || !b) return false;
		return touches(
			Math.min(a.x, b.x),
			Math.min(a.y, b.y),
			Math.max(a.x + a.width, b.x + b.width) + LOOP_REACH,
			Math.max(a.y + a.height, b.y + b.height)
		);
	});
	return {
		nodes: nodes.length === layout.nodes.length ? layout.nodes : nodes,
		edges: edges.length === layout.edges.length ? layout.edges : edges
	};
}

/** A zoom: the picture scaled by `k`, then moved by `x`, `y` (d3-zoom's transform). */
export interface TopologyZoom {
	x: number;
	y: number;
	k: number;
}

/**
 * How to show a `picture` in a `frame`. The whole picture, when `whole` (the Fit button): scaled to fit both
 * ways (never above 1 nor below 0.2) and centred. Otherwise, as first shown: scaled to the frame's width, but
 * never below `minScale`, so that labels stay readable; a picture then wider than the frame shows its right
 * part (the resources and the principals, where identities and role assignments are drawn), and one shorter
 * than the frame is centred in it.
 */
export function topologyFit(
	picture: { width: number; height: number },
	frame: { width: number; height: number },
	{ whole, minScale }: { whole: boolean; minScale: number }
): TopologyZoom {
	const w = frame.width;
	const h = frame.height;
	if (whole) {
		const k = Math.max(0.2, Math.min(1, w / picture.width, h / picture.height));
		return { k, x: (w - picture.width * k) / 2, y: (h - picture.height * k) / 2 };
	}
	const k = Math.min(1, Math.max(minScale, Math.min(1, w / picture.width)));
	const spareX = w - picture.width * k;
	const spareY = h - picture.height * k;
	return { k, x: spareX >= 0 ? spareX / 2 : spareX, y: spareY >= 0 ? spareY / 2 : 0 };
}

/** Words for an edge, for the text twin and the edge's accessible name. */
export function describeEdge(edge: TopologyEdge, nodes: ReadonlyMap<string, TopologyNode>): string {
	const from = nodes.get(edge.from)?.label ?? edge.from;
	const to = nodes.get(edge.to)?.label ?? edge.to;
	switch (edge.kind) {
		case 'contains':
			return `${from} contains ${to}`;
		case 'systemAssigned':
			return `${from} has a system-assigned identity: service principal ${to}`;
		case 'attached':
			return `${from} uses the user-assigned identity ${to}`;
		case 'identityOf':
			return `${from} is backed by service principal ${to}`;
		case 'assignment': {
			const plane = edge.plane === 'data' ? 'data plane' : 'control plane';
			const scope = edge.subScope ? `${to} (${edge.subScope})` : to;
			const who = edge.ghost
				? `Identity not found (${nodes.get(edge.from)?.entityId ?? ''})`
				: from;
			const state =
				edge.state === 'pending'
					? `, pending: counts in ${formatRemaining(edge.secondsLeft ?? 0)}`
					: edge.state === 'removing'
						? `, being removed: still grants for ${formatRemaining(edge.secondsLeft ?? 0)}`
						: '';
			return `${who} has ${edge.label} (${plane}) on ${scope}${state}`;
		}
	}
}
