/**
 * The token-flow sequence diagram's geometry: one lifeline per participant, one row per hop. Pure and
 * deterministic: the same hops give the same picture.
 */
/** Who takes part (the core's `Participant`). */
export type Participant = 'app' | 'identityEndpoint' | 'entra' | 'service';

/** What the layout needs of a hop (the core's `Hop` has all of it). */
export interface Hop {
	id: string;
	from: Participant;
	to: Participant;
	kind: 'request' | 'response' | 'check';
	title: string;
	ok: boolean;
	detail: string;
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
	checkWidth: 150
} as const;

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
	const rows = hops.map((hop, index): SequenceRow => {
		const y = S.headerHeight + S.rowHeight * (index + 0.5) + S.margin;
		const x1 = laneX(hop.from);
		let x2 = laneX(hop.to);
		let path: string;
		if (hop.kind === 'check' || x1 === x2) {
			const left = x1 - S.checkWidth / 2;
			const top = y - 14;
			path = `M${left},${top}h${S.checkWidth}v28h${-S.checkWidth}Z`;
			x2 = x1;
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
			path
		};
	});
	return {
		lifelines,
		rows,
		width: S.margin * 2 + S.laneWidth * PARTICIPANTS.length,
		height: S.headerHeight + S.margin * 2 + S.rowHeight * Math.max(1, hops.length)
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
