/**
 * The token-flow sequence diagram's geometry: one lifeline per participant, one row per hop. Pure and
 * deterministic: the same hops give the same picture. A check that carries the service's decision trace grows
 * to list it, one line per step, inside the service's lifeline.
 */
/** Who takes part (the core's `Participant`). */
export type Participant = 'app' | 'identityEndpoint' | 'entra' | 'service';

/** A step of token validation (the core's `TokenTraceStep`; layout imports nothing from the core). */
export interface TokenTraceStep {
	check: string;
	label: string;
	outcome: 'passed' | 'failed' | 'skipped';
	seen: string;
}

/** An assignment Azure RBAC looked at (the core's `RbacTraceAssignment`). */
export interface RbacTraceAssignment {
	roleName: string;
	scopeLabel: string;
	state: 'pending' | 'effective' | 'removing';
	secondsLeft: number | null;
	includesAction: boolean;
	granted: boolean;
}

/** The decision trace of a check hop (the core's `CheckTrace`). */
export type CheckTrace =
	| { kind: 'token'; steps: readonly TokenTraceStep[] }
	| {
			kind: 'rbac';
			rbac: {
				action: string;
				plane: 'control' | 'data';
				scopeLabel: string;
				assignments: readonly RbacTraceAssignment[];
				allowed: boolean;
			};
	  };

/** What the layout needs of a hop (the core's `Hop` has all of it). */
export interface Hop {
	id: string;
	from: Participant;
	to: Participant;
	kind: 'request' | 'response' | 'check';
	title: string;
	ok: boolean;
	detail: string;
	/** The service's decision trace, on checks. */
	trace?: CheckTrace;
}

/** The lifelines, left to right. */
export const PARTICIPANTS: readonly Participant[] = ['app', 'identityEndpoint', 'entra', 'service'];

/** Names of the participants, as drawn atop their lifelines. */
export const PARTICIPANT_LABELS: Record<Participant, string> = {
	app: 'App code',
	identityEndpoint: 'Identity endpoint',
	entra: 'Entra ID',
	service: 'Target service'
};

/** Sizes, in SVG units. */
export const SEQUENCE_SIZES = {
	laneWidth: 210,
	headerHeight: 56,
	rowHeight: 46,
	margin: 20,
	checkWidth: 150,
	/** Width of a check box that lists a decision trace. */
	traceWidth: 330,
	/** Height of one line of a decision trace. */
	traceLine: 15,
	/** Longest trace line drawn in the box; the detail panel and the text twin have the whole text. */
	traceChars: 46
} as const;

/** How a line of the decision trace went: told by a mark and a word, never by colour alone. */
export type TraceMark = 'pass' | 'fail' | 'skip' | 'pending' | 'info';

/** One line of a decision trace. */
export interface TraceLine {
	mark: TraceMark;
	/** The whole line, for the detail panel and the text twin. */
	text: string;
}

/** The glyph before a trace line (the line's words say the same). */
export const TRACE_GLYPHS: Record<TraceMark, string> = {
	pass: '✓',
	fail: '✗',
	skip: '–',
	pending: '⏳',
	info: '•'
};

/** `Microsoft.KeyVault/vaults/secrets/getSecret/action` → `…/secrets/getSecret/action`. */
export function shortAction(action: string): string {
	const parts = action.split('/');
	return parts.length > 4 ? `…/${parts.slice(-3).join('/')}` : action;
}

function minutes(seconds: number): string {
	if (seconds < 60) return `${seconds} s`;
	const m = Math.ceil(seconds / 60);
	return `${m} min`;
}

/**
 * The decision trace of a check as lines, in the order the service made its checks: token validation step by
 * step, or Azure RBAC's action needed, the assignments found at each scope (nearest first) and the answer.
 */
export function traceLines(trace: CheckTrace): TraceLine[] {
	if (trace.kind === 'token') {
		return trace.steps.map((s) => ({
			mark: s.outcome === 'passed' ? 'pass' : s.outcome === 'failed' ? 'fail' : 'skip',
			text:
				s.outcome === 'skipped'
					? `${s.label}: not checked`
					: `${s.label}${s.outcome === 'failed' ? ': failed' : ''}${s.seen ? ` (${s.seen})` : ''}`
		}));
	}
	const r = trace.rbac;
	const lines: TraceLine[] = [
		{ mark: 'info', text: `Needs ${r.action} (${r.plane} plane) on ${r.scopeLabel}` }
	];
	if (r.assignments.length === 0) {
		lines.push({
			mark: 'fail',
			text: 'No role assignment for this identity at this scope or above'
		});
	}
	for (const a of r.assignments) {
		const where = `${a.roleName} at ${a.scopeLabel}`;
		if (a.state === 'pending') {
			lines.push({
				mark: 'pending',
				text: `${where}: pending, applies in ${minutes(a.secondsLeft ?? 0)}`
			});
		} else if (a.granted) {
			lines.push({
				mark: 'pass',
				text: `${where}: grants it${a.state === 'removing' ? ' (deleted, removal still propagating)' : ''}`
			});
		} else {
			lines.push({
				mark: 'fail',
				text: `${where}: ${a.includesAction ? 'includes it' : 'does not include it'}`
			});
		}
	}
	const granting = r.assignments.find((a) => a.granted);
	lines.push(
		r.allowed
			? {
					mark: 'pass',
					text: `Allowed${granting ? ` by ${granting.roleName} at ${granting.scopeLabel}` : ''}`
				}
			: { mark: 'fail', text: 'Denied: no assignment grants the action' }
	);
	return lines;
}

/** A trace line placed in the diagram. */
export interface PlacedTraceLine extends TraceLine {
	/** The text drawn (the whole text, or cut with an ellipsis). */
	shown: string;
	x: number;
	y: number;
}

/** A lifeline. */
export interface Lifeline {
	participant: Participant;
	label: string;
	x: number;
}

/** One row of the diagram. */
export interface SequenceRow {
	/** The hop's id. */
	id: string;
	/** Position in the exchange, from 0. */
	index: number;
	kind: Hop['kind'];
	from: Participant;
	to: Participant;
	label: string;
	ok: boolean;
	/** Responses are drawn dashed, requests solid; checks are boxes on the lifeline. */
	dashed: boolean;
	x1: number;
	x2: number;
	y: number;
	/** SVG path of the arrow (or of the check's box). */
	path: string;
	/** The decision trace's lines inside the check's box; empty for other rows. */
	trace: PlacedTraceLine[];
}

/** The whole diagram. */
export interface SequenceLayout {
	lifelines: Lifeline[];
	rows: SequenceRow[];
	width: number;
	height: number;
}

/** Lays out the hops of one exchange: lifelines for the four participants, one row per hop. */
export function sequenceLayout(hops: readonly Hop[]): SequenceLayout {
	const S = SEQUENCE_SIZES;
	const lifelines: Lifeline[] = PARTICIPANTS.map((participant, i) => ({
		participant,
		label: PARTICIPANT_LABELS[participant],
		x: S.margin + S.laneWidth / 2 + i * S.laneWidth
	}));
	const laneX = (p: Participant): number =>
		lifelines.find((l) => l.participant === p)?.x ?? lifelines[0]!.x;
	const lastX = lifelines[lifelines.length - 1]!.x;
	// A traced box sits on the service's lifeline, its right edge at the diagram's right margin.
	const traceRight = lastX + S.laneWidth / 2 - S.margin / 2;
	let top = S.headerHeight + S.margin;
	const rows = hops.map((hop, index): SequenceRow => {
		const lines = hop.kind === 'check' && hop.trace ? traceLines(hop.trace) : [];
		const extra = lines.length * S.traceLine;
		const y = top + S.rowHeight / 2;
		top += S.rowHeight + extra;
		const x1 = laneX(hop.from);
		let x2 = laneX(hop.to);
		let path: string;
		const trace: PlacedTraceLine[] = [];
		if (hop.kind === 'check' || x1 === x2) {
			const width = lines.length > 0 ? S.traceWidth : S.checkWidth;
			const left =
				lines.length > 0 ? Math.min(x1 - S.checkWidth / 2, traceRight - width) : x1 - width / 2;
			path = `M${left},${y - 14}h${width}v${28 + extra}h${-width}Z`;
			x2 = x1;
			lines.forEach((line, i) => {
				const full = `${TRACE_GLYPHS[line.mark]} ${line.text}`;
				trace.push({
					...line,
					shown: full.length > S.traceChars ? `${full.slice(0, S.traceChars - 1)}…` : full,
					x: left + 8,
					y: y + 14 + S.traceLine * (i + 0.8)
				});
			});
		} else {
			path = `M${x1},${y}H${x2}`;
		}
		return {
			id: hop.id,
			index,
			kind: hop.kind,
			from: hop.from,
			to: hop.to,
			label: hop.title,
			ok: hop.ok,
			dashed: hop.kind === 'response',
			x1,
			x2,
			y,
			path,
			trace
		};
	});
	return {
		lifelines,
		rows,
		width: S.margin * 2 + S.laneWidth * PARTICIPANTS.length,
		height: S.margin + (hops.length === 0 ? S.headerHeight + S.margin + S.rowHeight : top)
	};
}

/** Words for one hop, for the text twin: who sent what to whom, or who checked what, and how it went. */
export function describeHop(hop: Hop, index: number): string {
	const step = `Step ${index + 1}`;
	const outcome = hop.ok ? '' : ' Failed.';
	if (hop.kind === 'check') {
		return `${step}: ${PARTICIPANT_LABELS[hop.from]} checks: ${hop.title}.${outcome} ${hop.detail}`.trim();
	}
	const verb = hop.kind === 'request' ? 'sends' : 'answers';
	return `${step}: ${PARTICIPANT_LABELS[hop.from]} ${verb} ${PARTICIPANT_LABELS[hop.to]}: ${hop.title}.${outcome} ${hop.detail}`.trim();
}
