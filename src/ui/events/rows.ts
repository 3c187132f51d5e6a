/**
 * The event log as rows of text: the tenant's audit trail (world.events) and the session's HTTP exchanges,
 * each with a stable id (`event-<seq>`, `exchange-<id>`) the diagrams can point to, the resources it is about
 * (for the filter) and the blade it links to. Consecutive one-second ticks of the running clock are one row.
 */
import { getResource, isoTime, type Hop, type World, type WorldEvent } from '../../core/index.ts';
import type { Exchange } from '../lab/session.svelte.ts';
import type { BladeRef } from '../lab/view.svelte.ts';

/** The kinds of row, as the filter offers them. */
export const ROW_KINDS = [
	'activity',
	'directoryAudit',
	'token',
	'serviceCall',
	'exchange',
	'clock'
] as const;
export type RowKind = (typeof ROW_KINDS)[number];

/** Names of the kinds, as shown. */
export const ROW_KIND_LABELS: Record<RowKind, string> = {
	activity: 'Activity log (ARM)',
	directoryAudit: 'Directory audit (Entra ID)',
	token: 'Token issued',
	serviceCall: 'Service call',
	exchange: 'HTTP exchange',
	clock: 'Clock'
};

/** One line of an exchange: a request, a response or a check. */
export interface HopLine {
	id: string;
	ok: boolean;
	text: string;
}

/** One row of the log. */
export interface LogRow {
	/** Stable element id: `event-<seq>` (the first seq of a merged clock run) or `exchange-<id>`. */
	id: string;
	kind: RowKind;
	at: number;
	/** Time as text (UTC). */
	time: string;
	title: string;
	detail: string;
	/** False for refusals and failed calls (shown with a word, not only a colour). */
	ok: boolean;
	/** Lower-case ARM ids of the resources the row is about. */
	resources: string[];
	link: { to: BladeRef; label: string } | null;
	hops: HopLine[];
	/** Sorting key within the same time: events by seq, exchanges after the events they caused. */
	order: number;
}

function time(at: number): string {
	return isoTime(at as World['now'])
		.replace('T', ' ')
		.replace(/\.000Z$/, 'Z');
}

function nameOf(world: World, id: string): string {
	return getResource(world, id)?.name ?? id.split('/').pop() ?? id;
}

/** The blade for an ARM id: a resource, a resource group or the subscription (null when it no longer exists). */
export function bladeFor(world: World, id: string, section: 'overview' | 'identity' = 'overview') {
	const resource = getResource(world, id);
	if (resource) {
		const to: BladeRef = {
			kind: 'resource',
			id: resource.id,
			section: section === 'identity' && 'identity' in resource ? 'identity' : 'overview'
		};
		return { to, label: `Open ${resource.name}` };
	}
	const group = world.resourceGroups[id.toLowerCase()];
	if (group) {
		const to: BladeRef = { kind: 'resourceGroup', id: group.id, section: 'overview' };
		return { to, label: `Open ${group.name}` };
	}
	if (/^\/subscriptions\/[^/]+$/i.test(id)) {
		const to: BladeRef = { kind: 'subscription', section: 'overview' };
		return { to, label: 'Open the subscription' };
	}
	return null;
}

/** The resource that contains an ARM-style id (a secret's vault, a blob's account), if it is in the world. */
function owningResource(world: World, id: string): string | null {
	const lower = id.toLowerCase();
	let best: string | null = null;
	for (const key of Object.keys(world.resources)) {
		if ((lower === key || lower.startsWith(`${key}/`)) && (!best || key.length > best.length))
			best = key;
	}
	return best;
}

function principalResource(world: World, principalId: string): string | null {
	const sp = world.directory.servicePrincipals[principalId.toLowerCase()];
	return sp?.managedIdentityResourceId?.toLowerCase() ?? null;
}

function present(ids: (string | null)[]): string[] {
	return [...new Set(ids.filter((i): i is string => i !== null).map((i) => i.toLowerCase()))];
}

function eventRow(world: World, event: WorldEvent): LogRow {
	const base = { id: `event-${event.seq}`, at: event.at, time: time(event.at), order: event.seq };
	switch (event.kind) {
		case 'activity': {
			const own = owningResource(world, event.resourceId);
			return {
				...base,
				kind: 'activity',
				title: `${event.operationName} — ${event.status}`,
				detail: `${event.summary} (by ${event.caller})`,
				ok: event.status === 'Succeeded',
				resources: present([own ?? event.resourceId]),
				link: bladeFor(world, own ?? event.resourceId),
				hops: []
			};
		}
		case 'directoryAudit': {
			const own = principalResource(world, event.targetId);
			const sp = world.directory.servicePrincipals[event.targetId.toLowerCase()];
			return {
				...base,
				kind: 'directoryAudit',
				title: `${event.activity}: ${event.targetDisplayName}`,
				detail: `${event.summary} (initiated by ${event.initiatedBy})`,
				ok: true,
				resources: present([own]),
				link: sp
					? {
							to: { kind: 'servicePrincipal', id: sp.id },
							label: `Open the enterprise application ${sp.displayName}`
						}
					: { to: { kind: 'auditLogs' }, label: 'Open the audit logs' },
				hops: []
			};
		}
		case 'token': {
			const identity = principalResource(world, event.principalId);
			return {
				...base,
				kind: 'token',
				title: `Token ${event.fromCache ? 'served from cache' : 'issued'} for ${nameOf(world, identity ?? event.principalId)} → ${event.resource}`,
				detail: `Asked through ${event.endpoint === 'imds' ? 'IMDS' : 'the App Service identity endpoint'} on ${nameOf(world, event.hostId)}; expires ${time(event.expiresOn)}.`,
				ok: true,
				resources: present([event.hostId, identity]),
				link: bladeFor(world, event.hostId, 'identity'),
				hops: []
			};
		}
		case 'serviceCall': {
			const own = owningResource(world, event.target);
			const source = event.source.startsWith('/') ? owningResource(world, event.source) : null;
			const ok = event.status < 400;
			return {
				...base,
				kind: 'serviceCall',
				title: `${event.service} ${event.operation} → ${event.status}${ok ? '' : ` ${event.errorCode ?? 'refused'}`}`,
				detail: `${event.target.split('/').slice(-2).join('/')} from ${source ? nameOf(world, source) : event.source}${event.principalId ? ` as ${nameOf(world, principalResource(world, event.principalId) ?? event.principalId)}` : ' (no authenticated principal)'}.`,
				ok,
				resources: present([own, source]),
				link: own ? bladeFor(world, own) : null,
				hops: []
			};
		}
		case 'clock':
			return {
				...base,
				kind: 'clock',
				title: `Clock moved ${time(event.from)} → ${time(event.to)}`,
				detail: `${event.to - event.from} s of simulated time.`,
				ok: true,
				resources: [],
				link: null,
				hops: []
			};
	}
}

/** The lines of an exchange: method and URL of each request, the status of each response, each check. */
export function hopLines(hops: readonly Hop[]): HopLine[] {
	return hops.map((hop) => {
		if (hop.kind === 'request' && hop.request)
			return { id: hop.id, ok: hop.ok, text: `→ ${hop.request.method} ${hop.request.url}` };
		if (hop.kind === 'response' && hop.response)
			return {
				id: hop.id,
				ok: hop.ok,
				text: `← ${hop.response.status} ${hop.response.statusText}`
			};
		return {
			id: hop.id,
			ok: hop.ok,
			text: `${hop.ok ? 'check passed' : 'check failed'}: ${hop.title}`
		};
	});
}

function exchangeRow(world: World, exchange: Exchange): LogRow {
	const text = [exchange.label, ...exchange.hops.map((h) => h.request?.url ?? '')].join(' ');
	const named = Object.values(world.resources)
		.filter((r) => new RegExp(`(^|[^a-z0-9-])${r.name}([^a-z0-9-]|$)`, 'i').test(text))
		.map((r) => r.id);
	const failed = exchange.hops.find((h) => !h.ok);
	const service = named.find((id) => {
		const kind = getResource(world, id)?.kind;
		return kind === 'keyVault' || kind === 'storageAccount' || kind === 'sqlServer';
	});
	return {
		id: `exchange-${exchange.id}`,
		kind: 'exchange',
		at: exchange.at,
		time: time(exchange.at),
		title: `${exchange.origin === 'terminal' ? '$ ' : ''}${exchange.label}`,
		detail: failed
			? `Failed at: ${failed.title}. ${failed.detail}`
			: `${exchange.hops.length} steps, all passed.`,
		ok: failed === undefined,
		resources: present(named),
		link: service ? bladeFor(world, service) : named[0] ? bladeFor(world, named[0]) : null,
		hops: hopLines(exchange.hops),
		// After the events of the same moment (the exchange caused them).
		order: Number.MAX_SAFE_INTEGER - 1_000_000 + exchange.id
	};
}

/** Merges runs of consecutive one-second clock events (the running clock) into one row each. */
function mergedEvents(world: World): LogRow[] {
	const rows: LogRow[] = [];
	let run: {
		first: WorldEvent & { kind: 'clock' };
		last: WorldEvent & { kind: 'clock' };
		count: number;
	} | null = null;
	const flush = () => {
		if (!run) return;
		if (run.count === 1) rows.push(eventRow(world, run.first));
		else
			rows.push({
				id: `event-${run.first.seq}`,
				kind: 'clock',
				at: run.first.at,
				time: time(run.first.at),
				title: `Clock ran ${time(run.first.from)} → ${time(run.last.to)}`,
				detail: `${run.count} ticks of one second (the running clock).`,
				ok: true,
				resources: [],
				link: null,
				hops: [],
				order: run.first.seq
			});
		run = null;
	};
	for (const event of world.events) {
		if (event.kind === 'clock' && event.to - event.from === 1) {
			if (run) {
				run.last = event;
				run.count++;
			} else run = { first: event, last: event, count: 1 };
			continue;
		}
		flush();
		rows.push(eventRow(world, event));
	}
	flush();
	return rows;
}

/** Every row, oldest first. */
export function logRows(world: World, exchanges: readonly Exchange[]): LogRow[] {
	const rows = [...mergedEvents(world), ...exchanges.map((x) => exchangeRow(world, x))];
	return rows.sort((a, b) => a.at - b.at || a.order - b.order);
}

/** What the learner filters by. */
export interface LogFilter {
	kind: RowKind | 'all';
	/** Lower-case ARM id, or 'all'. */
	resource: string;
	order: 'newest' | 'oldest';
}

/** The rows that pass the filter, in the chosen order. */
export function filterRows(rows: readonly LogRow[], filter: LogFilter): LogRow[] {
	const kept = rows.filter(
		(r) =>
			(filter.kind === 'all' || r.kind === filter.kind) &&
			(filter.resource === 'all' || r.resources.includes(filter.resource))
	);
	return filter.order === 'newest' ? kept.reverse() : kept;
}
