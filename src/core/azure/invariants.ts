/** The rules every world keeps; restore refuses a world that breaks one, and property tests check them. */
import type { Resource, RoleAssignment, World } from './model.ts';
import { idKey } from './naming.ts';
import { isIdentityHost } from './queries.ts';
import { tokenCacheKey } from './operations/system.ts';
import { own } from '../own.ts';

/**
 * Each record keyed by an id must be filed under that id (the key the operations compute from it): a record
 * filed under another key would be invisible to lookups by its id, and a key could name something else.
 */
function misfiled<T>(
	path: string,
	records: Record<string, T>,
	keyOf: (value: T) => string,
	what: (value: T) => string
): string[] {
	const problems: string[] = [];
	for (const key of Object.keys(records)) {
		const value = records[key] as T;
		const expected = keyOf(value);
		if (key !== expected)
			problems.push(
				`${path}[${JSON.stringify(key)}] holds ${what(value)}, which must be filed under ${JSON.stringify(expected)}.`
			);
	}
	return problems;
}

/** Every broken rule, in words; empty when the world is consistent. */
export function findInconsistencies(world: World): string[] {
	const problems: string[] = [
		...misfiled(
			'managementGroups',
			world.managementGroups,
			(g) => idKey(g.id),
			(g) => `management group ${g.id}`
		),
		...misfiled(
			'subscriptions',
			world.subscriptions,
			(s) => s.subscriptionId.toLowerCase(),
			(s) => `subscription ${s.subscriptionId}`
		),
		...misfiled(
			'resourceGroups',
			world.resourceGroups,
			(g) => idKey(g.id),
			(g) => `resource group ${g.id}`
		),
		...misfiled(
			'outsideMachines',
			world.outsideMachines,
			(m) => m.name,
			(m) => `machine ${m.name}`
		),
		...misfiled(
			'directory.users',
			world.directory.users,
			(u) => u.id,
			(u) => `user ${u.id}`
		),
		...misfiled(
			'directory.applications',
			world.directory.applications,
			(a) => a.id,
			(a) => `application ${a.id}`
		),
		...misfiled(
			'directory.servicePrincipals',
			world.directory.servicePrincipals,
			(sp) => sp.id,
			(sp) => `service principal ${sp.id}`
		),
		...misfiled(
			'tokenCache',
			world.tokenCache,
			(t) => tokenCacheKey(t.principalId, t.resource),
			(t) => `the token of ${t.principalId} for ${t.resource}`
		)
	];
	const managedPrincipals = new Map<string, string>();
	for (const sp of Object.values(world.directory.servicePrincipals)) {
		if (sp.servicePrincipalType === 'ManagedIdentity') {
			if (!sp.managedIdentityResourceId)
				problems.push(`Managed identity principal ${sp.id} names no resource.`);
			else managedPrincipals.set(sp.id, sp.managedIdentityResourceId);
		}
	}
	const owned = new Set<string>();
	for (const key of Object.keys(world.resources)) {
		const r = world.resources[key] as Resource;
		if (key !== idKey(r.id))
			problems.push(
				`resources[${JSON.stringify(key)}] holds resource ${r.id}, which must be filed under ${JSON.stringify(idKey(r.id))}.`
			);
		if (r.kind === 'sqlDatabase')
			problems.push(
				...misfiled(
					`resources[${JSON.stringify(key)}].users`,
					r.users,
					(u) => u.name,
					(u) => `database user ${u.name}`
				)
			);
		if (
			!world.resourceGroups[
				idKey(`/subscriptions/${r.subscriptionId}/resourceGroups/${r.resourceGroup}`)
			]
		) {
			problems.push(
				`Resource ${r.name} is in resource group ${r.resourceGroup}, which does not exist.`
			);
		}
		if (r.kind === 'userAssignedIdentity') {
			if (managedPrincipals.get(r.principalId) === undefined) {
				problems.push(
					`User-assigned identity ${r.name} has no service principal ${r.principalId}.`
				);
			}
			if (owned.has(r.principalId))
				problems.push(`Principal ${r.principalId} belongs to two identities.`);
			owned.add(r.principalId);
		}
		if (isIdentityHost(r)) {
			const system = r.identity.systemAssigned;
			if (system) {
				if (managedPrincipals.get(system.principalId) === undefined) {
					problems.push(
						`The system-assigned identity of ${r.name} has no service principal ${system.principalId}.`
					);
				}
				if (owned.has(system.principalId))
					problems.push(`Principal ${system.principalId} belongs to two identities.`);
				owned.add(system.principalId);
			}
			for (const u of r.identity.userAssigned) {
				if (own(world.resources, idKey(u))?.kind !== 'userAssignedIdentity') {
					problems.push(`${r.name} uses user-assigned identity ${u}, which does not exist.`);
				}
			}
		}
	}
	for (const machine of Object.values(world.outsideMachines)) {
		const arc = machine.arc;
		if (!arc) continue;
		if (managedPrincipals.get(arc.identity.principalId) === undefined) {
			problems.push(
				`The Arc identity of ${machine.name} has no service principal ${arc.identity.principalId}.`
			);
		}
		owned.add(arc.identity.principalId);
	}
	for (const id of managedPrincipals.keys()) {
		if (!owned.has(id)) problems.push(`Managed identity principal ${id} belongs to no resource.`);
	}
	for (const name of Object.keys(world.roleAssignments)) {
		const a = world.roleAssignments[name] as RoleAssignment;
		if (name !== a.name)
			problems.push(
				`roleAssignments[${JSON.stringify(name)}] holds role assignment ${a.name}, which must be filed under ${JSON.stringify(a.name)}.`
			);
	}
	let lastSeq = (world.events[0]?.seq ?? 1) - 1;
	for (const e of world.events) {
		if (e.seq !== lastSeq + 1) {
			problems.push(`The event history is out of order at event ${e.seq}.`);
			break;
		}
		lastSeq = e.seq;
	}
	if (world.signingKeys.length > 0 && world.signingKeys.filter((k) => k.active).length !== 1) {
		problems.push('Exactly one signing key must be active.');
	}
	return problems;
}
