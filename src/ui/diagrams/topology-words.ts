/** What the topology's boxes and edges say: the text drawn in them and their accessible names. */
import { formatRemaining, type TopologyEdge, type TopologyNode } from '../../layout/topology.ts';
import { bladeFor } from './blade-for.ts';

/** The label as drawn: long names are cut short (the accessible name keeps them whole). */
export const shownLabel = (n: TopologyNode): string =>
	n.label.length > 26 ? `${n.label.slice(0, 25)}…` : n.label;

/** The second line as drawn, with the orphan and ghost marks that say more than colour. */
export const shownSublabel = (n: TopologyNode): string =>
	n.orphan ? `⚠ orphaned · ${n.sublabel}` : n.kind === 'ghost' ? `✗ ${n.sublabel}` : n.sublabel;

/** A box's accessible name: the text it shows first (WCAG 2.5.3), then what it cannot show. */
export function nodeName(n: TopologyNode): string {
	const flags = [
		n.label !== shownLabel(n) ? `full name ${n.label}` : '',
		n.orphan ? 'no resource uses it' : '',
		bladeFor(n) ? '' : 'no blade'
	].filter(Boolean);
	const count = n.instances !== undefined ? ` ×${n.instances}` : '';
	return `${shownLabel(n)}, ${shownSublabel(n)}${count}${flags.length ? ` (${flags.join('; ')})` : ''}`;
}

/** The name of a scale set's expand control. */
export function toggleName(n: TopologyNode): string {
	return n.expanded
		? `Hide instances of ${n.label}`
		: `Show ${n.instances ?? 0} instance${n.instances === 1 ? '' : 's'} of ${n.label}`;
}

/** The words on an edge: the role, its plane, and a pending or removing assignment's remaining time. */
export function edgeLabel(e: TopologyEdge): string {
	if (e.kind !== 'assignment') return e.label;
	const plane = e.plane === 'data' ? 'data' : 'control';
	const state =
		e.state === 'pending'
			? ` · pending ${formatRemaining(e.secondsLeft ?? 0)}`
			: e.state === 'removing'
				? ` · removing ${formatRemaining(e.secondsLeft ?? 0)}`
				: '';
	return `${e.label} [${plane}]${state}`;
}
