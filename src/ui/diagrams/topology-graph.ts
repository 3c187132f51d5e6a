/**
 * What the topology diagram shows of a world: the scope tree, the principals, the identity links and the role
 * assignments, as a graph for `layout/topology.ts` to place. Reads the world; never keeps it.
 */
import {
	assignmentState,
	findRole,
	principalExists,
	type ResourceKind,
	type World
} from '../../core/index.ts';
import type {
	TopologyEntity,
	TopologyGraph,
	TopologyLink,
	TopologyTreeEntity
} from '../../layout/topology.ts';

/** Names of the resource kinds, as the portal shows them. */
export const RESOURCE_KIND_LABELS: Record<ResourceKind, string> = {
	virtualMachine: 'Virtual machine',
	virtualMachineScaleSet: 'Scale set',
	webApp: 'App Service',
	functionApp: 'Function app',
	storageAccount: 'Storage account',
	keyVault: 'Key vault',
	sqlServer: 'SQL server',
	sqlDatabase: 'SQL database',
	userAssignedIdentity: 'User-assigned identity'
};

const lower = (s: string): string => s.toLowerCase();

/** The graph of a world: see the module comment. */
export function topologyGraph(world: World): TopologyGraph {
	const attached = new Set<string>();
	for (const r of Object.values(world.resources)) {
		if ('identity' in r) for (const u of r.identity.userAssigned) attached.add(lower(u));
	}
	const scopeIds: { id: string; key: string }[] = [];
	const scoped = <T extends TopologyEntity>(e: T): T => {
		scopeIds.push({ id: e.id, key: lower(e.entityId) });
		return e;
	};

	const resources = Object.values(world.resources);
	const groups = Object.values(world.resourceGroups);
	const subscriptions = Object.values(world.subscriptions);
	const managementGroups = Object.values(world.managementGroups);

	const groupEntity = (g: World['resourceGroups'][string]): TopologyTreeEntity =>
		scoped({
			id: `rg:${lower(g.id)}`,
			kind: 'resourceGroup',
			entityId: g.id,
			label: g.name,
			sublabel: 'Resource group',
			children: resources
				.filter(
					(r) =>
						lower(r.subscriptionId) === lower(g.subscriptionId) &&
						lower(r.resourceGroup) === lower(g.name)
				)
				.map((r) => {
					const count = r.kind === 'virtualMachineScaleSet' ? r.instances.length : undefined;
					return scoped({
						id: `res:${lower(r.id)}`,
						kind: 'resource' as const,
						entityId: r.id,
						resourceKind: r.kind,
						label: r.name,
						sublabel:
							count === undefined
								? RESOURCE_KIND_LABELS[r.kind]
								: `${RESOURCE_KIND_LABELS[r.kind]} · ${count} instance${count === 1 ? '' : 's'}`,
						orphan: r.kind === 'userAssignedIdentity' && !attached.has(lower(r.id)),
						...(count === undefined ? {} : { instances: count }),
						children: []
					});
				})
		});
	const subscriptionEntity = (s: World['subscriptions'][string]): TopologyTreeEntity =>
		scoped({
			id: `sub:${lower(s.subscriptionId)}`,
			kind: 'subscription',
			entityId: s.id,
			label: s.displayName,
			sublabel: 'Subscription',
			children: groups
				.filter((g) => lower(g.subscriptionId) === lower(s.subscriptionId))
				.map(groupEntity)
		});
	const mgKeys = new Set(managementGroups.map((m) => lower(m.id)));
	const mgEntity = (m: World['managementGroups'][string]): TopologyTreeEntity =>
		scoped({
			id: `mg:${lower(m.id)}`,
			kind: 'managementGroup',
			entityId: m.id,
			label: m.displayName,
			sublabel: 'Management group',
			children: [
				...managementGroups
					.filter((c) => c.parentId !== null && lower(c.parentId) === lower(m.id))
					.map(mgEntity),
				...subscriptions
					.filter((s) => lower(s.managementGroupId) === lower(m.id))
					.map(subscriptionEntity)
			]
		});
	const roots = [
		...managementGroups
			.filter((m) => m.parentId === null || !mgKeys.has(lower(m.parentId)))
			.map(mgEntity),
		...subscriptions.filter((s) => !mgKeys.has(lower(s.managementGroupId))).map(subscriptionEntity)
	];

	const assignments = Object.values(world.roleAssignments).filter(
		(a) => assignmentState(world, a) !== 'removed'
	);
	const assigned = new Set(assignments.map((a) => lower(a.principalId)));
	const principals: TopologyEntity[] = [];
	for (const sp of Object.values(world.directory.servicePrincipals)) {
		principals.push({
			id: `sp:${lower(sp.id)}`,
			kind: 'servicePrincipal',
			entityId: sp.id,
			label: sp.displayName,
			sublabel:
				sp.servicePrincipalType === 'ManagedIdentity'
					? 'Managed identity'
					: 'Enterprise application'
		});
	}
	for (const u of Object.values(world.directory.users)) {
		if (!assigned.has(lower(u.id))) continue;
		principals.push({
			id: `user:${lower(u.id)}`,
			kind: 'user',
			entityId: u.id,
			label: u.displayName,
			sublabel: 'User'
		});
	}
	const ghosts = new Set(
		assignments
			.filter((a) => !principalExists(world, a.principalId))
			.map((a) => lower(a.principalId))
	);
	for (const g of ghosts) {
		principals.push({
			id: `ghost:${g}`,
			kind: 'ghost',
			entityId: g,
			label: 'Identity not found',
			sublabel: `Deleted principal ${g.slice(0, 8)}…`
		});
	}
	const principalIds = new Set(principals.map((p) => p.id));
	const principalNode = (id: string): string | undefined =>
		[`sp:${lower(id)}`, `user:${lower(id)}`, `ghost:${lower(id)}`].find((k) => principalIds.has(k));

	const links: TopologyLink[] = [];
	for (const r of resources) {
		const from = `res:${lower(r.id)}`;
		if (r.kind === 'userAssignedIdentity') {
			const sp = principalNode(r.principalId);
			if (sp)
				links.push({
					id: `identity:${from}`,
					kind: 'identityOf',
					from,
					to: sp,
					label: 'principal'
				});
			continue;
		}
		if (!('identity' in r)) continue;
		const system = r.identity.systemAssigned;
		const sp = system ? principalNode(system.principalId) : undefined;
		if (sp)
			links.push({
				id: `system:${from}`,
				kind: 'systemAssigned',
				from,
				to: sp,
				label: 'system-assigned'
			});
		for (const u of r.identity.userAssigned) {
			const to = `res:${lower(u)}`;
			links.push({ id: `attached:${from}:${to}`, kind: 'attached', from, to, label: 'uses' });
		}
	}

	// A scope → the deepest drawn scope whose ARM id is a prefix of it (a secret → its vault).
	scopeIds.sort((a, b) => b.key.length - a.key.length);
	for (const a of assignments) {
		const from = principalNode(a.principalId);
		const scope = lower(a.scope).replace(/\/+$/, '');
		const target = scopeIds.find((c) => scope === c.key || scope.startsWith(`${c.key}/`));
		if (!from || !target) continue;
		const role = findRole(a.roleDefinitionId);
		const state = assignmentState(world, a);
		const link: TopologyLink = {
			id: `assignment:${lower(a.name)}`,
			kind: 'assignment',
			from,
			to: target.id,
			label: role?.roleName ?? 'Unknown role',
			plane: role?.permissions.some((b) => b.dataActions.length > 0) ? 'data' : 'control',
			state: state === 'pending' ? 'pending' : state === 'removing' ? 'removing' : 'effective',
			ghost: from.startsWith('ghost:')
		};
		if (state === 'pending') link.secondsLeft = a.effectiveAt - world.now;
		if (state === 'removing' && a.removedAt !== null) link.secondsLeft = a.removedAt - world.now;
		if (scope !== target.key) link.subScope = a.scope.slice(target.key.length);
		links.push(link);
	}
	return { roots, principals, links };
}
