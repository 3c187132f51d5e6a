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
	margin: 20
} as const;

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
}

/** An entity of the scope tree with what it contains. */
export interface TopologyTreeEntity extends TopologyEntity {
	children: TopologyTreeEntity[];
}

/** A link to draw between two entities (containment edges come from the tree itself). */
export type TopologyLink = Omit<TopologyEdge, 'path' | 'labelX' | 'labelY' | 'ghost'> & {
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

function horizontalPath(x1: number, y1: number, x2: number, y2: number): string {
	const mid = (x1 + x2) / 2;
	return `M${x1},${y1}C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
}

function sortTree(entity: TopologyTreeEntity): TopologyTreeEntity {
	return { ...entity, children: entity.children.map(sortTree).sort(compareEntities) };
}

const ROOT_ID = '\u0000root';

/**
 * Lays out a topology graph: the scope tree left to right (d3-hierarchy's tidy tree), the principals in a
 * column to its right, then every link as a curve between facing sides. Children, principals and links are
 * sorted (by label then id; principals: service principals, users, ghosts), so the same graph always gives the
 * same picture, whatever order it was built in. Links whose ends are not drawn are left out.
 */
export function topologyLayout(graph: TopologyGraph): TopologyLayout {
	const S = TOPOLOGY_SIZES;
	const root = hierarchy<TopologyTreeEntity>({
		id: ROOT_ID,
		kind: 'managementGroup',
		entityId: '',
		label: '',
		sublabel: '',
		children: graph.roots.map(sortTree).sort(compareEntities)
	});
	tree<TopologyTreeEntity>().nodeSize([S.nodeHeight + S.rowGap, S.nodeWidth + S.columnGap])(root);

	const nodes: TopologyNode[] = [];
	let minY = Infinity;
	let maxDepth = 0;
	root.each((n) => {
		if (n.data.id !== ROOT_ID) minY = Math.min(minY, n.x ?? 0);
		maxDepth = Math.max(maxDepth, n.depth);
	});
	if (!Number.isFinite(minY)) minY = 0;
	const toNode = (d: TopologyEntity, x: number, y: number): TopologyNode => ({
		id: d.id,
		kind: d.kind,
		entityId: d.entityId,
		...(d.resourceKind !== undefined ? { resourceKind: d.resourceKind } : {}),
		label: d.label,
		sublabel: d.sublabel,
		orphan: d.orphan ?? false,
		...(d.instances !== undefined ? { instances: d.instances } : {}),
		x,
		y,
		width: S.nodeWidth,
		height: S.nodeHeight
	});
	root.each((n) => {
		if (n.data.id === ROOT_ID) return;
		nodes.push(
			toNode(
				n.data,
				S.margin + (n.depth - 1) * (S.nodeWidth + S.columnGap),
				S.margin + (n.x ?? 0) - minY
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
			nodes.push(toNode(p, principalX, S.margin + i * (S.nodeHeight + S.rowGap)));
		});

	const byId = new Map(nodes.map((n) => [n.id, n]));
	const edges: TopologyEdge[] = [];
	const place = (link: TopologyLink): void => {
		const from = byId.get(link.from);
		const to = byId.get(link.to);
		if (!from || !to) return;
		const y1 = from.y + from.height / 2;
		const y2 = to.y + to.height / 2;
		let path: string;
		let labelX: number;
		if (from.x === to.x) {
			// Same column (a host and the identity it uses): a loop out to the right.
			const right = from.x + from.width;
			path = `M${right},${y1}C${right + 40},${y1} ${right + 40},${y2} ${right},${y2}`;
			labelX = right + 34;
		} else {
			const leftToRight = from.x < to.x;
			const x1 = leftToRight ? from.x + from.width : from.x;
			const x2 = leftToRight ? to.x : to.x + to.width;
			path = horizontalPath(x1, y1, x2, y2);
			labelX = (x1 + x2) / 2;
		}
		edges.push({ ...link, ghost: link.ghost ?? false, path, labelX, labelY: (y1 + y2) / 2 });
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
