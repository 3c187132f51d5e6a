/** Helpers shared by the az commands: errors as az prints them, applying operations, finding resources. */
import type { Resource, ResourceGroup, ResourceKind, World } from '../../azure/model.ts';
import { RESOURCE_TYPES } from '../../azure/model.ts';
import type { WorldEvent } from '../../azure/events.ts';
import type { OperationError } from '../../azure/errors.ts';
import { applyOperations } from '../../azure/operations/index.ts';
import type { Operation } from '../../azure/operations/index.ts';
import { idKey } from '../../azure/naming.ts';
import { findResourcesByName } from '../../azure/queries.ts';
import type { AzArg, AzArgs, AzInvocation, AzOutcome } from './types.ts';
import { flag, list, str } from './args.ts';
import { own } from '../../own.ts';

/** A failed command: `ERROR: message` and exit code 1 (or 2 for usage errors). */
export function failure(message: string, exitCode: 1 | 2 = 1, hint?: string): AzOutcome {
	return { ok: false, error: { message, exitCode, ...(hint !== undefined ? { hint } : {}) } };
}

/** An error from an Azure service, as az prints it: `(Code) message`, then `Code:` and `Message:` lines. */
export function serviceError(code: string, message: string): string {
	return `(${code}) ${message}\nCode: ${code}\nMessage: ${message}`;
}

/** A failed command whose error came from ARM or another service. */
export function serviceFailure(code: string, message: string, hint?: string): AzOutcome {
	return failure(serviceError(code, message), 1, hint);
}

/** An operation's refusal, printed as the ARM error it stands for. */
export function operationFailure(error: OperationError, hint?: string): AzOutcome {
	return serviceFailure(error.code, error.message, hint ?? error.hint);
}

/** A successful command. */
export function success(
	result: unknown,
	change?: { world: World; events: WorldEvent[] },
	warnings?: string[]
): AzOutcome {
	return {
		ok: true,
		result,
		...(change ? { world: change.world, events: change.events } : {}),
		...(warnings && warnings.length ? { warnings } : {})
	};
}

/** Applies operations as the caller, all or none. */
export function commit(
	invocation: Pick<AzInvocation, 'world' | 'caller'>,
	operations: readonly Operation[]
): { ok: true; world: World; events: WorldEvent[] } | { ok: false; outcome: AzOutcome } {
	const applied = applyOperations(invocation.world, operations, { caller: invocation.caller });
	if (!applied.ok) return { ok: false, outcome: operationFailure(applied.error) };
	return { ok: true, world: applied.value.world, events: applied.value.events };
}

/** The resource group with this name (case-insensitive). */
export function findGroup(world: World, name: string): ResourceGroup | undefined {
	return Object.values(world.resourceGroups).find(
		(g) => g.name.toLowerCase() === name.toLowerCase()
	);
}

/** ARM's answer when a resource group does not exist. */
export function groupNotFound(world: World, name: string): AzOutcome {
	const known = Object.values(world.resourceGroups).map((g) => g.name);
	return serviceFailure(
		'ResourceGroupNotFound',
		`Resource group '${name}' could not be found.`,
		known.length
			? `Resource groups in this subscription: ${known.join(', ')} (az group list).`
			: 'Create one with az group create -n <name> -l westeurope.'
	);
}

/** ARM's answer when a resource does not exist. */
export function resourceNotFound(
	world: World,
	kind: ResourceKind,
	group: string,
	name: string
): AzOutcome {
	const others = Object.values(world.resources)
		.filter((r) => r.kind === kind)
		.map((r) => `${r.name} (${r.resourceGroup})`);
	return serviceFailure(
		'ResourceNotFound',
		`The Resource '${RESOURCE_TYPES[kind]}/${name}' under resource group '${group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
		others.length ? `Existing ones: ${others.join(', ')}.` : undefined
	);
}

/** The resource of one of these kinds named `name` in group `group`, or az's error. */
export function findInGroup(
	world: World,
	kinds: readonly ResourceKind[],
	group: string,
	name: string
): { ok: true; resource: Resource } | { ok: false; outcome: AzOutcome } {
	if (!findGroup(world, group)) return { ok: false, outcome: groupNotFound(world, group) };
	// An index lookup by name, not a scan of every resource.
	const resource = findResourcesByName(world, name, kinds, group)[0];
	if (!resource)
		return {
			ok: false,
			outcome: resourceNotFound(world, kinds[0] ?? 'virtualMachine', group, name)
		};
	return { ok: true, resource };
}

/**
 * The resources a command names: by `--ids`, or by `--resource-group` and `--name` (`nameDest` when the name
 * argument has another dest, e.g. `vmName`).
 */
export function targets(
	invocation: AzInvocation,
	kinds: readonly ResourceKind[],
	nameDest = 'name'
): { ok: true; resources: Resource[] } | { ok: false; outcome: AzOutcome } {
	const { world, args } = invocation;
	const ids = list(args, 'ids');
	if (ids.length > 0) {
		const resources: Resource[] = [];
		for (const id of ids) {
			const resource = own(world.resources, idKey(id));
			if (!resource || !kinds.includes(resource.kind)) {
				const parts = /\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)$/i.exec(id);
				if (!parts) {
					return {
						ok: false,
						outcome: failure(
							`usage error: '${id}' is not a valid resource id. Give a full id such as /subscriptions/…/resourceGroups/rg-stock/providers/${RESOURCE_TYPES[kinds[0] ?? 'virtualMachine']}/<name>.`,
							2
						)
					};
				}
				return {
					ok: false,
					outcome: resourceNotFound(
						world,
						kinds[0] ?? 'virtualMachine',
						parts[1] ?? '',
						parts[2] ?? ''
					)
				};
			}
			resources.push(resource);
		}
		return { ok: true, resources };
	}
	const group = str(args, 'resourceGroup') ?? '';
	const name = str(args, nameDest) ?? '';
	const found = findInGroup(world, kinds, group, name);
	return found.ok ? { ok: true, resources: [found.resource] } : found;
}

/** Resources of these kinds, in one group when `--resource-group` is given (az's `list`). */
export function listResources(
	world: World,
	kinds: readonly ResourceKind[],
	args: AzArgs
): { ok: true; resources: Resource[] } | { ok: false; outcome: AzOutcome } {
	const group = str(args, 'resourceGroup');
	if (group !== undefined && !findGroup(world, group))
		return { ok: false, outcome: groupNotFound(world, group) };
	const resources = Object.values(world.resources).filter(
		(r) =>
			kinds.includes(r.kind) &&
			(group === undefined || r.resourceGroup.toLowerCase() === group.toLowerCase())
	);
	return { ok: true, resources };
}

/** The date-time text az prints (`2026-03-02T09:00:00.000000+00:00`). */
export function azTime(at: number): string {
	return new Date(at * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** The standard `--resource-group/-g` argument. */
export const GROUP_ARG = {
	dest: 'resourceGroup',
	options: ['--resource-group', '-g'],
	required: true,
	idPart: true,
	help: 'Name of resource group. You can configure the default group using `az configure --defaults group=<name>`.'
} as const;

/** `--resource-group/-g` when it only filters a list. */
export const GROUP_FILTER_ARG = { ...GROUP_ARG, required: false, idPart: false } as const;

/** `--resource-group/-g` of a create command: the resource has no id yet that `--ids` could give. */
export const CREATE_GROUP_ARG = { ...GROUP_ARG, idPart: false } as const;

/** A `--name/-n` argument. */
export function nameArg(
	help: string,
	dest = 'name'
): { dest: string; options: readonly string[]; required: true; idPart: true; help: string } {
	return { dest, options: ['--name', '-n'], required: true, idPart: true, help };
}

/** The `--name/-n` of a create command: the name of the new resource. */
export function newNameArg(help: string): AzArg {
	return { dest: 'name', options: ['--name', '-n'], required: true, help };
}

/** `--location/-l` of a create command that defaults to the group's location. */
export const LOCATION_ARG: AzArg = {
	dest: 'location',
	options: ['--location', '-l'],
	help: 'Location. Default: the resource group’s location.'
};

/** `{ location }` (lower-cased, as ARM stores it) when `--location` was given; nothing otherwise. */
export function locationOption(args: AzArgs): { location?: string } {
	const location = str(args, 'location')?.toLowerCase();
	return location !== undefined ? { location } : {};
}

/** `--yes/-y`: delete without the confirmation prompt. */
export const YES_ARG = {
	dest: 'yes',
	options: ['--yes', '-y'],
	kind: 'flag',
	help: 'Do not prompt for confirmation.'
} as const;

/**
 * az asks before deleting; the lab's terminal has no prompt, so without --yes it refuses as az does without a
 * tty, with the lab's hint on what to type.
 */
export function confirmation(args: AzArgs): AzOutcome | null {
	if (flag(args, 'yes')) return null;
	return failure(
		'Unable to prompt for confirmation as no tty available. Use --yes.',
		1,
		'Add --yes (or -y) to confirm the deletion.'
	);
}
