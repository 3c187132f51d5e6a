/**
 * authorize at benchmark scale: 100,000 role assignments over 10,000 resources. The indexed fast paths must give
 * exactly the decision a plain scan of every assignment gives. (Speed is measured by `npm run bench`, never here.)
 */
import { describe, it, expect } from 'vitest';
import type { RoleAssignment, World } from '../../../../src/core/azure/model.ts';
import { authorize } from '../../../../src/core/azure/rbac/authorize.ts';
import { findRole } from '../../../../src/core/azure/rbac/roles.ts';
import { permissionGrants } from '../../../../src/core/azure/rbac/match.ts';
import type { Plane } from '../../../../src/core/azure/rbac/match.ts';
import { seededGuid } from '../../../../src/core/ids.ts';
import { SUB, T0, at, baseWorld, makeAssignment } from './world-fixture.ts';

const ROLES = [
	'Reader',
	'Storage Blob Data Reader',
	'Key Vault Secrets User',
	'Contributor',
	'Key Vault Reader'
];

function resourceScope(i: number): string {
	const rg = `${SUB}/resourceGroups/rg-${i % 100}`;
	return i % 2 === 0
		? `${rg}/providers/Microsoft.Storage/storageAccounts/st${i}`
		: `${rg}/providers/Microsoft.KeyVault/vaults/kv-${i}`;
}

function principal(i: number): string {
	return seededGuid('scale', `p${i}`);
}

/** `count` assignments spread over 10,000 resources, their groups and the subscription, 5 per principal. */
function bigWorld(count: number): World {
	const roleAssignments: Record<string, RoleAssignment> = {};
	for (let i = 0; i < count; i++) {
		const r = i % 10_000;
		const scope =
			i % 50 === 0 ? SUB : i % 10 === 0 ? `${SUB}/resourceGroups/rg-${r % 100}` : resourceScope(r);
		const a = makeAssignment(
			{
				principalId: principal(Math.floor(i / 5)),
				role: ROLES[i % ROLES.length] ?? 'Reader',
				scope,
				effectiveAt: T0
			},
			i
		);
		roleAssignments[a.name] = a;
	}
	return at({ ...baseWorld(), roleAssignments }, T0);
}

interface Call {
	principalId: string;
	action: string;
	scope: string;
	plane: Plane;
}

function calls(count: number, principals: number): Call[] {
	const out: Call[] = [];
	for (let i = 0; i < count; i++) {
		const r = (i * 7919) % 10_000;
		const scope = resourceScope(r);
		const isStorage = r % 2 === 0;
		out.push({
			principalId: principal((i * 104_729) % principals),
			action: isStorage
				? 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'
				: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
			scope: isStorage
				? `${scope}/blobServices/default/containers/data/blobs/file-${i}.csv`
				: `${scope}/secrets/secret-${i}`,
			plane: i % 3 === 0 ? 'control' : 'data'
		});
	}
	return out;
}

const scans = new WeakMap<World, RoleAssignment[]>();

/** The reference decision: a plain scan of the assignments, no index, no fast path. */
function bruteForce(world: World, c: Call): boolean {
	const target = c.scope.toLowerCase();
	let all = scans.get(world);
	if (!all) scans.set(world, (all = Object.values(world.roleAssignments)));
	return all.some((a) => {
		if (a.principalId !== c.principalId.toLowerCase()) return false;
		if (world.now < a.effectiveAt || (a.removedAt !== null && world.now >= a.removedAt))
			return false;
		const scope = a.scope.toLowerCase();
		if (!(target === scope || target.startsWith(`${scope}/`))) return false;
		const role = findRole(a.roleDefinitionId);
		return role !== undefined && permissionGrants(role, c.action, c.plane);
	});
}

describe('authorize at scale', () => {
	it('agrees with a scan of all 100,000 assignments on 500 decisions', () => {
		const world = bigWorld(100_000);
		const work = calls(500, 20_000);
		let allowed = 0;
		for (const c of work) {
			const decision = authorize(world, c.principalId, c.action, c.scope, c.plane);
			expect(decision.allowed, `${c.principalId} ${c.action} ${c.scope}`).toBe(
				bruteForce(world, c)
			);
			if (decision.allowed) allowed++;
			// Only the principal's own assignments are looked at, never the other 99,995.
			expect(decision.consideredAssignments).toBeLessThanOrEqual(5);
		}
		expect(allowed).toBeGreaterThan(0);
		expect(allowed).toBeLessThan(work.length);
	});

	it('explains refusals at that scale', () => {
		const world = bigWorld(100_000);
		const reasons = new Set<string>();
		for (const c of calls(500, 20_000)) {
			const d = authorize(world, c.principalId, c.action, c.scope, c.plane);
			if (!d.allowed) {
				expect(d.reason).toMatch(/^Denied/);
				reasons.add(d.reason.split(':')[0] ?? '');
			}
		}
		expect(reasons.size).toBeGreaterThan(0);
	});

	it('agrees with a scan for a principal that holds 10,000 assignments', () => {
		const roleAssignments: Record<string, RoleAssignment> = {};
		const busy = principal(0);
		for (let i = 0; i < 10_000; i++) {
			const role = i % 3 === 0 ? 'Storage Blob Data Reader' : 'Reader';
			const a = makeAssignment(
				{ principalId: busy, role, scope: resourceScope(i), effectiveAt: T0 },
				i
			);
			roleAssignments[a.name] = a;
		}
		const world = at({ ...baseWorld(), roleAssignments }, T0);
		for (const c of calls(300, 1)) {
			expect(authorize(world, c.principalId, c.action, c.scope, c.plane).allowed).toBe(
				bruteForce(world, c)
			);
		}
	});
});
