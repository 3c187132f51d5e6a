/**
 * `az monitor activity-log list`: the subscription's activity log (control-plane operations: who did what to
 * which resource, when), newest first, filtered by resource group, resource, caller, status and time window,
 * in az's output shape (learn.microsoft.com/cli/azure/monitor/activity-log#az-monitor-activity-log-list).
 */
import type { ActivityEvent } from '../../../azure/events.ts';
import type { World } from '../../../azure/model.ts';
import { seededGuid } from '../../../ids.ts';
import type { AzCommand } from '../types.ts';
import { str } from '../args.ts';
import { azTime, failure, findGroup, groupNotFound, success } from '../common.ts';

const DAY = 86_400;
/** The activity log keeps 90 days. */
const RETENTION_SECONDS = 90 * DAY;

/** Seconds in an az offset such as `6h`, `1d`, `2d12h`, `30m`; null when it is not one. */
export function parseOffset(text: string): number | null {
	const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/i.exec(text.trim());
	if (!m || text.trim() === '') return null;
	return Number(m[1] ?? 0) * DAY + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60;
}

function parseTime(text: string): number | null {
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

const value = (v: string) => ({ localizedValue: v, value: v });

/** .NET ticks of a time, as the activity log's ids carry them. */
function ticks(at: number): string {
	return ((BigInt(at) + 62_135_596_800n) * 10_000_000n).toString();
}

/** An activity event as az prints an activity-log entry. */
export function activityLogView(world: World, e: ActivityEvent): Record<string, unknown> {
	const sub = /^\/subscriptions\/([^/]+)/i.exec(e.resourceId)?.[1] ?? '';
	const group = /\/resourceGroups\/([^/]+)/i.exec(e.resourceId)?.[1] ?? '';
	const provider = /\/providers\/([^/]+)\/([^/]+)/i.exec(e.resourceId);
	const namespace = provider?.[1] ?? 'Microsoft.Resources';
	const type = provider
		? `${provider[1]}/${provider[2]}`
		: group
			? 'Microsoft.Resources/subscriptions/resourceGroups'
			: 'Microsoft.Resources/subscriptions';
	const eventDataId = seededGuid(world.seed, `activity|${e.seq}`);
	const correlationId = seededGuid(world.seed, `activity-correlation|${e.seq}`);
	return {
		authorization: { action: e.operationName, scope: e.resourceId },
		caller: e.caller,
		category: value('Administrative'),
		claims: {},
		correlationId,
		description: '',
		eventDataId,
		eventName: { localizedValue: 'End request', value: 'EndRequest' },
		eventTimestamp: azTime(e.at),
		id: `${e.resourceId}/events/${eventDataId}/ticks/${ticks(e.at)}`,
		level: e.status === 'Failed' ? 'Error' : 'Informational',
		operationId: correlationId,
		operationName: value(e.operationName),
		resourceGroupName: group,
		resourceId: e.resourceId,
		resourceProviderName: value(namespace),
		resourceType: value(type),
		status: value(e.status),
		subStatus: { localizedValue: '', value: '' },
		submissionTimestamp: azTime(e.at),
		subscriptionId: sub,
		tenantId: ''
	};
}

const activityLogList: AzCommand = {
	name: 'monitor activity-log list',
	summary: 'List and query activity log events (control-plane operations in the subscription).',
	args: [
		{ dest: 'resourceGroup', options: ['--resource-group', '-g'], help: 'Name of resource group.' },
		{ dest: 'resourceId', options: ['--resource-id'], help: 'ARM ID of a resource.' },
		{ dest: 'caller', options: ['--caller'], help: 'Caller to look for when querying.' },
		{ dest: 'status', options: ['--status'], help: 'Status to look for when querying.' },
		{ dest: 'correlationId', options: ['--correlation-id'], help: 'Correlation ID to query.' },
		{ dest: 'namespace', options: ['--namespace'], help: 'Resource provider namespace.' },
		{
			dest: 'offset',
			options: ['--offset'],
			help: 'Time offset of the query range, in ##d##h format. Defaults to 6h when no start or end time is given.'
		},
		{
			dest: 'startTime',
			options: ['--start-time'],
			help: 'Start time of the query, e.g. 2026-03-02T08:00:00Z.'
		},
		{
			dest: 'endTime',
			options: ['--end-time'],
			help: 'End time of the query. Defaults to the current time.'
		},
		{
			dest: 'maxEvents',
			options: ['--max-events'],
			help: 'Maximum number of records to return. Default 50.'
		}
	],
	examples: [
		{
			command:
				'az monitor activity-log list -g rg-stock --offset 1d --query "[].{op:operationName.value, caller:caller}" -o table',
			description: 'Who changed what in rg-stock during the last day.'
		}
	],
	table: (result) =>
		(result as Record<string, unknown>[]).map((e) => ({
			EventTimestamp: e.eventTimestamp,
			Operation: (e.operationName as { value?: string }).value,
			Status: (e.status as { value?: string }).value,
			Caller: e.caller,
			ResourceGroup: e.resourceGroupName
		})),
	run({ world, args }) {
		const group = str(args, 'resourceGroup');
		if (group !== undefined && !findGroup(world, group)) return groupNotFound(world, group);
		const offsetText = str(args, 'offset');
		const offset = offsetText === undefined ? null : parseOffset(offsetText);
		if (offsetText !== undefined && offset === null)
			return failure(`usage error: '${offsetText}' is not an offset such as 6h, 1d or 2d12h.`, 2);
		const startText = str(args, 'startTime');
		const endText = str(args, 'endTime');
		const end = endText === undefined ? world.now : parseTime(endText);
		if (end === null)
			return failure(`usage error: --end-time '${endText ?? ''}' is not a date and time.`, 2);
		const startGiven = startText === undefined ? undefined : parseTime(startText);
		if (startGiven === null)
			return failure(`usage error: --start-time '${startText ?? ''}' is not a date and time.`, 2);
		const start = startGiven ?? end - (offset ?? 6 * 3600);
		if (world.now - start > RETENTION_SECONDS)
			return failure(
				'The start time cannot be more than 90 days ago: the activity log keeps 90 days.'
			);
		const max = Number(str(args, 'maxEvents') ?? '50');
		if (!Number.isInteger(max) || max < 1)
			return failure('usage error: --max-events is a whole number from 1.', 2);
		const resourceId = str(args, 'resourceId')?.toLowerCase();
		const caller = str(args, 'caller')?.toLowerCase();
		const status = str(args, 'status')?.toLowerCase();
		const namespace = str(args, 'namespace')?.toLowerCase();
		const correlation = str(args, 'correlationId')?.toLowerCase();
		const sub = Object.values(world.subscriptions)[0]?.subscriptionId.toLowerCase() ?? '';
		const events = world.events
			.filter((e): e is ActivityEvent => e.kind === 'activity')
			// Only Azure Resource Manager's operations: the lab's own records (Kubernetes, the Arc agent) are not in it.
			.filter((e) => e.operationName.startsWith('Microsoft.'))
			.filter((e) => e.resourceId.toLowerCase().startsWith(`/subscriptions/${sub}`))
			.filter((e) => e.at >= start && e.at <= end)
			.filter(
				(e) =>
					group === undefined ||
					e.resourceId.toLowerCase().includes(`/resourcegroups/${group.toLowerCase()}/`) ||
					e.resourceId.toLowerCase().endsWith(`/resourcegroups/${group.toLowerCase()}`)
			)
			.filter((e) => resourceId === undefined || e.resourceId.toLowerCase().startsWith(resourceId))
			.filter((e) => caller === undefined || e.caller.toLowerCase() === caller)
			.filter((e) => status === undefined || e.status.toLowerCase() === status)
			.filter(
				(e) => namespace === undefined || e.operationName.toLowerCase().startsWith(`${namespace}/`)
			)
			.map((e) => activityLogView(world, e))
			.filter((v) => correlation === undefined || String(v.correlationId) === correlation)
			.reverse()
			.slice(0, max);
		return success(events);
	}
};

/** The az monitor commands. */
export const MONITOR_COMMANDS: readonly AzCommand[] = [activityLogList];
