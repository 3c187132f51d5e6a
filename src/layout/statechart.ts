/**
 * The lifecycle statechart's geometry: states as boxes and transitions as labelled curves, laid out by dagre
 * (layered, top to bottom). Pure and deterministic: the same chart gives the same picture. The chart itself is
 * read from a machine definition elsewhere; the layout knows only states and transitions.
 */
import { graphlib, layout as dagreLayout } from '@dagrejs/dagre';
import { curveBasis, line } from 'd3-shape';

/** A state of the chart. */
export interface ChartState {
	id: string;
	/** Shown in the box. */
	label: string;
	initial: boolean;
	final: boolean;
	/** The state's description, for the text twin. */
	description: string;
}

/** A transition: from one state to another on an event (guarded alternatives keep their own transition). */
export interface ChartTransition {
	from: string;
	to: string;
	event: string;
	/** The guard's name, when the transition has one. */
	guard: string | null;
}

/** What the layout draws. */
export interface Chart {
	states: readonly ChartState[];
	transitions: readonly ChartTransition[];
}

/** Sizes, in SVG units. */
export const STATECHART_SIZES = {
	stateHeight: 40,
	minStateWidth: 96,
	/** Approximate width of one character of a 12px label. */
	charWidth: 7.2,
	edgeCharWidth: 6.2,
	edgeLabelHeight: 16,
	margin: 24,
	/** The initial-state marker sits this far above its state. */
	initialOffset: 22
} as const;

/** A state placed in the picture (x, y is the top-left corner). */
export interface PlacedState extends ChartState {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** A transition drawn: one curve per pair of states, naming every event that takes it. */
export interface PlacedTransition {
	/** `from->to`. */
	id: string;
	from: string;
	to: string;
	/** The events (and guards) of every transition between the two states, in definition order. */
	events: string[];
	label: string;
	/** SVG path. */
	path: string;
	labelX: number;
	labelY: number;
}

/** The whole picture. */
export interface StatechartLayout {
	states: PlacedState[];
	transitions: PlacedTransition[];
	/** The initial marker: a dot and an arrow into the initial state. */
	initial: { cx: number; cy: number; path: string } | null;
	width: number;
	height: number;
}

const curve = line<{ x: number; y: number }>()
	.x((p) => p.x)
	.y((p) => p.y)
	.curve(curveBasis);

const round = (n: number): number => Math.round(n * 10) / 10;

/** The label of one transition: `event [guard]`. */
export function transitionLabel(t: Pick<ChartTransition, 'event' | 'guard'>): string {
	return t.guard ? `${t.event} [${t.guard}]` : t.event;
}

/**
 * Lays out a chart with dagre: states ranked top to bottom from the initial state, transitions between the
 * same two states merged into one labelled curve. Self-transitions are left out (they do not change the state
 * shown). Throws when a transition names a state the chart does not have: a chart read wrongly from a machine.
 */
export function statechartLayout(chart: Chart): StatechartLayout {
	const S = STATECHART_SIZES;
	const ids = new Set(chart.states.map((s) => s.id));
	const merged = new Map<string, { from: string; to: string; events: string[] }>();
	for (const t of chart.transitions) {
		if (!ids.has(t.from) || !ids.has(t.to)) {
			throw new Error(
				`Transition ${t.event} goes from '${t.from}' to '${t.to}', but the chart has no such state.`
			);
		}
		if (t.from === t.to) continue;
		const id = `${t.from}->${t.to}`;
		const entry = merged.get(id) ?? { from: t.from, to: t.to, events: [] };
		const label = transitionLabel(t);
		if (!entry.events.includes(label)) entry.events.push(label);
		merged.set(id, entry);
	}

	const g = new graphlib.Graph();
	g.setGraph({
		rankdir: 'TB',
		nodesep: 36,
		ranksep: 56,
		edgesep: 16,
		marginx: S.margin,
		marginy: S.margin + S.initialOffset
	});
	g.setDefaultEdgeLabel(() => ({}));
	for (const s of chart.states) {
		g.setNode(s.id, {
			width: Math.max(S.minStateWidth, Math.ceil(s.label.length * S.charWidth) + 28),
			height: S.stateHeight
		});
	}
	for (const [id, e] of merged) {
		const label = e.events.join(' / ');
		g.setEdge(e.from, e.to, {
			width: Math.ceil(label.length * S.edgeCharWidth),
			height: S.edgeLabelHeight,
			labelpos: 'c',
			id
		});
	}
	dagreLayout(g);

	const states: PlacedState[] = chart.states.map((s) => {
		const n = g.node(s.id) as { x: number; y: number; width: number; height: number };
		return {
			...s,
			x: round(n.x - n.width / 2),
			y: round(n.y - n.height / 2),
			width: n.width,
			height: n.height
		};
	});
	const transitions: PlacedTransition[] = [...merged].map(([id, e]) => {
		const edge = g.edge(e.from, e.to) as {
			points: { x: number; y: number }[];
			x: number;
			y: number;
		};
		const points = edge.points.map((p) => ({ x: round(p.x), y: round(p.y) }));
		return {
			id,
			from: e.from,
			to: e.to,
			events: e.events,
			label: e.events.join(' / '),
			path: curve(points) ?? '',
			labelX: round(edge.x),
			labelY: round(edge.y)
		};
	});
	const graph = g.graph() as { width?: number; height?: number };
	const start = states.find((s) => s.initial);
	const initial = start
		? {
				cx: round(start.x + start.width / 2),
				cy: round(start.y - S.initialOffset),
				path: `M${round(start.x + start.width / 2)},${round(start.y - S.initialOffset + 5)}V${start.y}`
			}
		: null;
	return {
		states,
		transitions,
		initial,
		width: Math.ceil(graph.width ?? 0),
		height: Math.ceil(graph.height ?? 0)
	};
}
