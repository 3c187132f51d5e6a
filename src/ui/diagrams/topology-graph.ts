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

type Resource = World['resources'][string];

// A world's records never change (a change makes a new record), so a resource's entity is made once per record
// (and orphan flag): the same object each time, which the layout then need not compare field by field.
const resourceEntities = new WeakMap<Resource, { orphan: boolean; entity: TopologyTreeEntity }>();

function drawnResource(r: Resource, orphan: boolean): TopologyTreeEntity {
	const cached = resourceEntities.get(r);
	if (cached && cached.orphan === orphan) return cached.entity;
	const count = r.kind === 'virtualMachineScaleSet' ? r.instances.length : undefined;
	const entity: TopologyTreeEntity = {
		id: `res:${lower(r.id)}`,
		kind: 'resource',
		entityId: r.id,
		resourceKind: r.kind,
		label: r.name,
		sublabel:
			count === undefined
				? RESOURCE_KIND_LABELS[r.kind]
				: `${RESOURCE_KIND_LABELS[r.kind]} · ${count} instance${count === 1 ? '' : 's'}`,
		orphan,
		...(r.kind === 'virtualMachineScaleSet'
			? {
					instances: r.instances.length,
					instanceList: r.instances.map((i) => ({ instanceId: i.instanceId, name: i.name }))
				}
			: {}),
		children: []
	};
	resourceEntities.set(r, { orphan, entity });
	return entity;
}

type ServicePrincipal = World['directory']['servicePrincipals'][string];
const principalEntities = new WeakMap<ServicePrincipal, TopologyEntity>();

function drawnServicePrincipal(sp: ServicePrincipal): TopologyEntity {
	let entity = principalEntities.get(sp);
	if (!entity) {
		entity = {
			id: `sp:${lower(sp.id)}`,
			kind: 'servicePrincipal',
			entityId: sp.id,
			label: sp.displayName,
			sublabel:
				sp.servicePrincipalType === 'ManagedIdentity'
					? 'Managed identity'
					: 'Enterprise application'
		};
		principalEntities.set(sp, entity);
	}
	return entity;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const item of items) {
		const k = key(item);
		const list = groups.get(k);
		if (list) list.push(item);
		else groups.set(k, [item]);
	}
	return groups;
}

/** The graph of a world: see the module comment. */
export function topologyGraph(world: World): TopologyGraph {
	const attached = new Set<string>();
	for (const r of Object.values(world.resources)) {
		if ('identity' in r) for (const u of r.identity.userAssigned) attached.add(lower(u));
	}
	// Drawn scopes by lower-cased ARM id.
	const scopeIds = new Map<string, string>();
	const scoped = <T extends TopologyEntity>(e: T): T => {
		scopeIds.set(lower(e.entityId), e.id);
		return e;
	};

	const resources = Object.values(world.resources);
	const groups = Object.values(world.resourceGroups);
	const subscriptions = Object.values(world.subscriptions);
	const managementGroups = Object.values(world.managementGroups);
	// Each parent's children, grouped once (filtering every list per parent is quadratic in a large world).
	const resourcesIn = groupBy(
		resources,
		(r) => `${lower(r.subscriptionId)}/${lower(r.resourceGroup)}`
	);
	const groupsIn = groupBy(groups, (g) => lower(g.subscriptionId));
	const subscriptionsIn = groupBy(subscriptions, (s) => lower(s.managementGroupId));
	const childGroupsOf = groupBy(
		managementGroups.filter((m) => m.parentId !== null),
		(m) => lower(m.parentId ?? '')
	);

	const resourceEntity = (r: World['resources'][string]): TopologyTreeEntity =>
		scoped(drawnResource(r, r.kind === 'userAssignedIdentity' && !attached.has(lower(r.id))));
	const groupEntity = (g: World['resourceGroups'][string]): TopologyTreeEntity =>
		scoped({
			id: `rg:${lower(g.id)}`,
			kind: 'resourceGroup',
			entityId: g.id,
			label: g.name,
			sublabel: 'Resource group',
			children: (resourcesIn.get(`${lower(g.subscriptionId)}/${lower(g.name)}`) ?? []).map(
				resourceEntity
			)
		});
	const subscriptionEntity = (s: World['subscriptions'][string]): TopologyTreeEntity =>
		scoped({
			id: `sub:${lower(s.subscriptionId)}`,
			kind: 'subscription',
			entityId: s.id,
			label: s.displayName,
			sublabel: 'Subscription',
			children: (groupsIn.get(lower(s.subscriptionId)) ?? []).map(groupEntity)
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
				...(childGroupsOf.get(lower(m.id)) ?? []).map(mgEntity),
				...(subscriptionsIn.get(lower(m.id)) ?? []).map(subscriptionEntity)
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
		principals.push(drawnServicePrincipal(sp));
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
	const drawnScope = (scope: string): { id: string; key: string } | undefined => {
		for (let key = scope; key.length > 0; key = key.slice(0, Math.max(0, key.lastIndexOf('/')))) {
			const id = scopeIds.get(key);
			if (id !== undefined) return { id, key };
		}
		return undefined;
	};
	for (const a of assignments) {
		const from = principalNode(a.principalId);
		const scope = lower(a.scope).replace(/\/+$/, '');
		const target = drawnScope(scope);
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
