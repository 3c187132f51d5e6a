/**
 * The commands every ARM resource type has in az — `show`, `list`, `delete` and a plain `create` — built from
 * what differs between types: the kinds, the help texts, the examples and how az prints one resource.
 */
import type { Resource, ResourceGroup, ResourceKind, World } from '../../azure/model.ts';
import type { Operation } from '../../azure/operations/index.ts';
import { idKey, resourceId } from '../../azure/naming.ts';
import type { AzArg, AzArgs, AzCommand, AzInvocation, AzOutcome } from './types.ts';
import { list, str } from './args.ts';
import {
	GROUP_ARG,
	GROUP_FILTER_ARG,
	YES_ARG,
	commit,
	confirmation,
	findGroup,
	groupNotFound,
	listResources,
	nameArg,
	success,
	targets
} from './common.ts';
import { own } from '../../own.ts';

/** The members of `R` whose kind is one of `K` (a web site's kind is webApp or functionApp). */
type OfKind<R, K> = R extends { kind: infer RK }
	? [Extract<RK, K>] extends [never]
		? never
		: R
	: never;

/** A resource of one of the kinds `K`. */
export type ResourceOf<K extends ResourceKind> = OfKind<Resource, K>;

/** How az prints one resource of a command's kinds (`args`: the command's parsed arguments). */
export type ResourceView<K extends ResourceKind> = (
	world: World,
	resource: ResourceOf<K>,
	args: AzArgs
) => unknown;

/**
 * az's `show`: the resources the command names (by `--ids`, or `--resource-group` and `--name`), printed with
 * `view` — one object, or a list when `--ids` names several.
 */
export function showTargets<K extends ResourceKind>(
	inv: AzInvocation,
	kinds: readonly K[],
	view: ResourceView<K>
): AzOutcome {
	const found = targets(inv, kinds);
	if (!found.ok) return found.outcome;
	// targets() returns only resources of `kinds`.
	const views = found.resources.map((r) => view(inv.world, r as ResourceOf<K>, inv.args));
	return success(views.length === 1 ? views[0] : views);
}

/** What a `show`, `list` or `delete` command of a resource type is made of. */
interface ResourceCommandSpec<K extends ResourceKind> {
	/** Words after `az`, e.g. `vm show`. */
	name: string;
	summary: string;
	/** The kinds the command accepts; the first names the type in not-found errors. */
	kinds: readonly K[];
	examples: AzCommand['examples'];
}

/** `az <type> show -g <group> -n <name>` (or `--ids`). */
export function showCommand<K extends ResourceKind>(
	spec: ResourceCommandSpec<K> & {
		/** Help of `--name/-n`. */
		nameHelp: string;
		/** Arguments after `--name` and `--resource-group`. */
		extraArgs?: readonly AzArg[];
		view: ResourceView<K>;
	}
): AzCommand {
	return {
		name: spec.name,
		summary: spec.summary,
		args: [nameArg(spec.nameHelp), GROUP_ARG, ...(spec.extraArgs ?? [])],
		ids: true,
		examples: spec.examples,
		run: (inv) => showTargets(inv, spec.kinds, spec.view)
	};
}

/** `az <type> list [-g <group>]`: every resource of the kinds, in one group when `-g` is given. */
export function listCommand<K extends ResourceKind>(
	spec: ResourceCommandSpec<K> & {
		view: ResourceView<K>;
		/** az's table transformer for `-o table`. */
		table?: AzCommand['table'];
	}
): AzCommand {
	return {
		name: spec.name,
		summary: spec.summary,
		args: [GROUP_FILTER_ARG],
		examples: spec.examples,
		...(spec.table ? { table: spec.table } : {}),
		run({ world, args }) {
			const found = listResources(world, spec.kinds, args);
			if (!found.ok) return found.outcome;
			// listResources() returns only resources of `kinds`.
			return success(found.resources.map((r) => spec.view(world, r as ResourceOf<K>, args)));
		}
	};
}

/**
 * `az <type> delete -g <group> -n <name>` (or `--ids`). With `confirm`, the command takes `--yes` and refuses
 * without it, as az does without a tty.
 */
export function deleteCommand<K extends ResourceKind>(
	spec: ResourceCommandSpec<K> & {
		nameHelp: string;
		confirm?: boolean;
		/**
		 * ARM answers DELETE of a resource that is already gone with 204 and az exits 0 (the identity RP does,
		 * learn.microsoft.com/rest/api/managedidentity/user-assigned-identities/delete: 200 or 204); only a missing
		 * resource group is an error.
		 */
		absentOk?: boolean;
	}
): AzCommand {
	return {
		name: spec.name,
		summary: spec.summary,
		args: [nameArg(spec.nameHelp), GROUP_ARG, ...(spec.confirm ? [YES_ARG] : [])],
		ids: true,
		examples: spec.examples,
		run(inv) {
			const found = targets(inv, spec.kinds);
			if (!found.ok) {
				return spec.absentOk && inExistingGroups(inv) ? success(undefined) : found.outcome;
			}
			if (spec.confirm) {
				const refused = confirmation(inv.args);
				if (refused) return refused;
			}
			const applied = commit(
				inv,
				found.resources.map((r) => ({ type: 'deleteResource' as const, resourceId: r.id }))
			);
			return applied.ok ? success(undefined, applied) : applied.outcome;
		}
	};
}

/**
 * Creates a resource of `kind` named by `--name` in the group named by `--resource-group` (ARM's
 * ResourceGroupNotFound when there is none) with the one `operation`, and prints the new resource with `view`.
 * `parentName` is the parent resource's name for child resources (a SQL database's server).
 */
export function createInGroup<K extends ResourceKind>(
	inv: AzInvocation,
	kind: K,
	operation: (group: ResourceGroup, name: string) => Operation,
	view: (world: World, resource: ResourceOf<K>) => unknown,
	parentName?: string
): AzOutcome {
	const groupName = str(inv.args, 'resourceGroup') ?? '';
	const group = findGroup(inv.world, groupName);
	if (!group) return groupNotFound(inv.world, groupName);
	const name = str(inv.args, 'name') ?? '';
	const applied = commit(inv, [operation(group, name)]);
	if (!applied.ok) return applied.outcome;
	const id = resourceId(group.subscriptionId, group.name, kind, name, parentName);
	// The operation that succeeded created this resource.
	const created = own(applied.world.resources, idKey(id)) as ResourceOf<K>;
	return success(view(applied.world, created), applied);
}

/** Whether every target the command names (by `--ids` or `-g`) lies in a resource group that exists. */
function inExistingGroups(inv: AzInvocation): boolean {
	const ids = list(inv.args, 'ids');
	const groups =
		ids.length > 0
			? ids.map((id) => /\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/[^/]+$/i.exec(id)?.[1])
			: [str(inv.args, 'resourceGroup')];
	return groups.every((g) => g !== undefined && findGroup(inv.world, g) !== undefined);
}
