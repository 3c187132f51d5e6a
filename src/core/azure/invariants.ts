/** The rules every world keeps; restore refuses a world that breaks one, and property tests check them. */
import type { World } from './model.ts';
import { idKey } from './naming.ts';
import { isIdentityHost } from './queries.ts';

/** Every broken rule, in words; empty when the world is consistent. */
export function findInconsistencies(world: World): string[] {
	const problems: string[] = [];
	const managedPrincipals = new Map<string, string>();
	for (const sp of Object.values(world.directory.servicePrincipals)) {
		if (sp.servicePrincipalType === 'ManagedIdentity') {
			if (!sp.managedIdentityResourceId)
				problems.push(`Managed identity principal ${sp.id} names no resource.`);
			else managedPrincipals.set(sp.id, sp.managedIdentityResourceId);
		}
	}
	const owned = new Set<string>();
	for (const [key, r] of Object.entries(world.resources)) {
		if (key !== idKey(r.id)) problems.push(`Resource ${r.id} is filed under the wrong key.`);
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
				if (world.resources[idKey(u)]?.kind !== 'userAssignedIdentity') {
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
	for (const [name, a] of Object.entries(world.roleAssignments)) {
		if (name !== a.name) problems.push(`Role assignment ${a.name} is filed under the wrong key.`);
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
