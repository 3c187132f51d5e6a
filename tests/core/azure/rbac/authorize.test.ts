import { describe, it, expect } from 'vitest';
import type { EpochSeconds } from '../../../../src/core/clock.ts';
import { addSeconds } from '../../../../src/core/clock.ts';
import type { World } from '../../../../src/core/azure/model.ts';
import {
	assignmentState,
	authorize,
	effectiveAssignmentsFor,
	leastPrivilegedRole,
	principalExists
} from '../../../../src/core/azure/rbac/authorize.ts';
import type { Plane } from '../../../../src/core/azure/rbac/match.ts';
import {
	ALICE,
	BLOB,
	CONTOSO_MG,
	DELAY,
	DELETED_PRINCIPAL,
	OTHER_SUB,
	OTHER_VAULT,
	RG,
	ROOT_MG,
	SECRET,
	STORAGE,
	SUB,
	T0,
	UAMI,
	UAMI_PRINCIPAL,
	VAULT,
	VM_PRINCIPAL,
	at,
	baseWorld,
	makeAssignment,
	settled,
	withAssignments
} from './world-fixture.ts';
import type { AssignmentSpec } from './world-fixture.ts';

const GET_SECRET = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';
const BLOB_READ = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read';
const STORAGE_READ = 'Microsoft.Storage/storageAccounts/read';
const ASSIGN_ROLES = 'Microsoft.Authorization/roleAssignments/write';

const world0 = baseWorld();

function t(seconds: number): EpochSeconds {
	return addSeconds(T0, seconds);
}

/** world0 with the assignments, once they have propagated. */
function settledWith(...specs: AssignmentSpec[]): World {
	return settled(withAssignments(world0, ...specs));
}

/** An assignment of `role` on `scope` to the user Alice. */
function alice(role: string, scope: string): AssignmentSpec {
	return { principalId: ALICE, role, scope, principalType: 'User' };
}

/** world0 once the VM identity's assignment of `role` on `scope` has propagated. */
function vmHolds(role: string, scope: string): World {
	return settledWith({ principalId: VM_PRINCIPAL, role, scope });
}

describe('authorize: nothing assigned', () => {
	it('refuses, says the identity has no role assignments, and suggests the least-privileged role', () => {
		const d = authorize(world0, VM_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(d.allowed).toBe(false);
		expect(d.grantedBy).toBeNull();
		expect(d.pending).toEqual([]);
		expect(d.consideredAssignments).toBe(0);
		expect(d.reason).toMatch(/^Denied: this identity has no role assignments/);
		expect(d.reason).toContain('secret db-password in key vault kv-stock');
		expect(d.reason).not.toContain('exists in this directory');
		expect(d.suggestion).toBe(
			`Assign Key Vault Secrets User on key vault kv-stock: it is the least-privileged built-in role that grants ${GET_SECRET}.`
		);
		expect(d.suggestedRole?.roleName).toBe('Key Vault Secrets User');
		expect(d.suggestedScope).toBe(VAULT);
	});

	it('adds that the principal does not exist when the directory has no such object', () => {
		const d = authorize(world0, DELETED_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(d.reason).toContain(
			`No user or service principal with object id ${DELETED_PRINCIPAL} exists`
		);
	});

	it('ignores other principals’ assignments', () => {
		const w = settledWith({ principalId: UAMI_PRINCIPAL, role: 'Owner', scope: SUB });
		const d = authorize(w, VM_PRINCIPAL, STORAGE_READ, STORAGE, 'control');
		expect(d.allowed).toBe(false);
		expect(d.consideredAssignments).toBe(0);
	});
});

describe('authorize: granted', () => {
	it('names the role and scope that grant, for an assignment on the vault that owns the secret', () => {
		const w = vmHolds('Key Vault Secrets User', VAULT);
		const d = authorize(w, VM_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(d.allowed).toBe(true);
		expect(d.grantedBy?.scope).toBe(VAULT);
		expect(d.reason).toBe(
			`Allowed: Key Vault Secrets User on key vault kv-stock (assigned to this identity) grants ${GET_SECRET}.`
		);
		expect(d.suggestion).toBeNull();
		expect(d.consideredAssignments).toBe(1);
	});

	it('says when the grant is inherited from a resource group', () => {
		const w = vmHolds('Reader', RG);
		const d = authorize(w, VM_PRINCIPAL, STORAGE_READ, STORAGE, 'control');
		expect(d.allowed).toBe(true);
		expect(d.reason).toBe(
			`Allowed: Reader on resource group rg-stock (assigned to this identity, inherited by storage account ststockdata) grants ${STORAGE_READ}.`
		);
	});

	it('inherits from management groups through the subscription that sits under them', () => {
		const w = settledWith(alice('Reader', CONTOSO_MG), {
			principalId: VM_PRINCIPAL,
			role: 'Reader',
			scope: ROOT_MG
		});
		const inOther = `${OTHER_SUB}/resourceGroups/rg-prod`;
		expect(authorize(w, ALICE, STORAGE_READ, STORAGE, 'control').reason).toContain(
			'management group Contoso'
		);
		expect(authorize(w, ALICE, STORAGE_READ, STORAGE, 'control').allowed).toBe(true);
		expect(
			authorize(
				w,
				ALICE,
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				inOther,
				'control'
			).allowed
		).toBe(false);
		expect(
			authorize(
				w,
				VM_PRINCIPAL,
				'Microsoft.Resources/subscriptions/resourceGroups/read',
				inOther,
				'control'
			).allowed
		).toBe(true);
	});

	it('compares principal ids, scopes and actions without regard to case', () => {
		const w = vmHolds('Key Vault Secrets User', VAULT);
		const d = authorize(
			w,
			VM_PRINCIPAL.toUpperCase(),
			GET_SECRET.toLowerCase(),
			`${SECRET.toLowerCase()}/`,
			'data'
		);
		expect(d.allowed).toBe(true);
	});

	it('prefers the assignment nearest the target and counts only assignments on the target’s chain', () => {
		const w = settledWith(
			{ principalId: VM_PRINCIPAL, role: 'Reader', scope: SUB },
			{ principalId: VM_PRINCIPAL, role: 'Reader', scope: STORAGE },
			{ principalId: VM_PRINCIPAL, role: 'Reader', scope: OTHER_VAULT }
		);
		const d = authorize(w, VM_PRINCIPAL, STORAGE_READ, STORAGE, 'control');
		expect(d.grantedBy?.scope).toBe(STORAGE);
		expect(d.consideredAssignments).toBe(2);
	});

	it('lets another role grant what one role’s NotActions take away', () => {
		const w = settledWith(
			alice('Contributor', SUB),
			alice('Role Based Access Control Administrator', RG)
		);
		const d = authorize(w, ALICE, ASSIGN_ROLES, VAULT, 'control');
		expect(d.allowed).toBe(true);
		expect(d.reason).toContain(
			'Role Based Access Control Administrator on resource group rg-stock'
		);
	});
});

describe('authorize: control and data planes', () => {
	const cases: [string, string, Plane, string, boolean][] = [
		['Owner', STORAGE_READ, 'control', STORAGE, true],
		['Owner', ASSIGN_ROLES, 'control', STORAGE, true],
		['Owner', BLOB_READ, 'data', BLOB, false],
		['Owner', GET_SECRET, 'data', SECRET, false],
		['Contributor', 'Microsoft.Storage/storageAccounts/write', 'control', STORAGE, true],
		['Contributor', ASSIGN_ROLES, 'control', STORAGE, false],
		['Contributor', BLOB_READ, 'data', BLOB, false],
		['Contributor', GET_SECRET, 'data', SECRET, false],
		['Reader', STORAGE_READ, 'control', STORAGE, true],
		['Reader', 'Microsoft.Storage/storageAccounts/write', 'control', STORAGE, false],
		['Reader', BLOB_READ, 'data', BLOB, false],
		['Reader', GET_SECRET, 'data', SECRET, false],
		['Storage Blob Data Reader', BLOB_READ, 'data', BLOB, true],
		['Storage Blob Data Reader', BLOB_READ, 'control', BLOB, false],
		['Key Vault Secrets User', GET_SECRET, 'data', SECRET, true]
	];
	it.each(cases)(
		'%s on the subscription: %s (%s) → %s',
		(role, action, plane, target, expected) => {
			const w = vmHolds(role, SUB);
			expect(authorize(w, VM_PRINCIPAL, action, target, plane).allowed).toBe(expected);
		}
	);

	it('explains that control-plane roles grant no data actions, naming the role and its scope', () => {
		const w = vmHolds('Reader', RG);
		const d = authorize(w, VM_PRINCIPAL, BLOB_READ, BLOB, 'data');
		expect(d.allowed).toBe(false);
		expect(d.reason).toBe(
			`Denied: this identity has Reader on resource group rg-stock, which grants no data actions; ${BLOB_READ} is a data action.`
		);
		expect(d.suggestion).toBe(
			`Reader grants no data actions; this request needs ${BLOB_READ}, e.g. Storage Blob Data Reader on storage account ststockdata.`
		);
		expect(d.suggestedRole?.roleName).toBe('Storage Blob Data Reader');
		expect(d.suggestedScope).toBe(STORAGE);
	});

	it('names several control-plane roles together', () => {
		const w = settledWith(
			{ principalId: VM_PRINCIPAL, role: 'Owner', scope: SUB },
			{ principalId: VM_PRINCIPAL, role: 'Contributor', scope: VAULT }
		);
		const d = authorize(w, VM_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(d.reason).toContain(
			'Contributor on key vault kv-stock and Owner on subscription Contoso Dev'
		);
		expect(d.reason).toContain('which grant no data actions');
		expect(d.suggestion).toContain('Key Vault Secrets User on key vault kv-stock');
	});
});

describe('authorize: refusals with assignments', () => {
	it('explains a data role that lacks the action', () => {
		const w = vmHolds('Key Vault Reader', VAULT);
		const d = authorize(w, VM_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(d.reason).toBe(
			`Denied: this identity has Key Vault Reader on key vault kv-stock, which does not include the data action ${GET_SECRET}.`
		);
		expect(d.suggestion).toContain('Key Vault Secrets User on key vault kv-stock');
	});

	it('names the NotActions entry that takes the action away', () => {
		const w = settledWith(alice('Contributor', SUB));
		const d = authorize(w, ALICE, ASSIGN_ROLES, VAULT, 'control');
		expect(d.allowed).toBe(false);
		expect(d.reason).toContain('Contributor on subscription Contoso Dev');
		expect(d.reason).toContain('NotActions (Microsoft.Authorization/*/Write)');
		expect(d.suggestedRole?.roleName).toBe('Role Based Access Control Administrator');
	});

	it('explains an assignment on another vault', () => {
		const w = vmHolds('Key Vault Secrets User', OTHER_VAULT);
		const d = authorize(w, VM_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(d.allowed).toBe(false);
		expect(d.consideredAssignments).toBe(0);
		expect(d.reason).toContain(
			'Key Vault Secrets User on key vault kv-other, which does not cover secret db-password in key vault kv-stock'
		);
		expect(d.suggestion).toBe(
			'Assign Key Vault Secrets User on key vault kv-stock (the existing Key Vault Secrets User assignment is on key vault kv-other).'
		);
	});

	it('lists assignments elsewhere that would not grant the action anyway', () => {
		const w = vmHolds('Reader', OTHER_VAULT);
		const d = authorize(w, VM_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(d.reason).toContain(
			"none of this identity's role assignments covers secret db-password"
		);
		expect(d.reason).toContain('Reader on key vault kv-other');
	});

	it('treats an assignment of an unknown role definition as granting nothing', () => {
		const unknownRole = makeAssignment(
			{
				principalId: VM_PRINCIPAL,
				role: '00000000-1111-4222-8333-444444444444',
				scope: VAULT,
				effectiveAt: T0
			},
			'unknown'
		);
		const w: World = { ...world0, roleAssignments: { [unknownRole.name]: unknownRole } };
		const d = authorize(w, VM_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(d.allowed).toBe(false);
		expect(d.reason).toContain(
			'an unknown role (00000000-1111-4222-8333-444444444444) on key vault kv-stock'
		);
	});

	it('refuses text that is not a scope, and an empty action, with a message that says what a valid one looks like', () => {
		const badScope = authorize(world0, VM_PRINCIPAL, GET_SECRET, 'kv-stock', 'data');
		expect(badScope.allowed).toBe(false);
		expect(badScope.reason).toContain("'kv-stock' is not an Azure scope");
		const noAction = authorize(world0, VM_PRINCIPAL, '  ', SECRET, 'data');
		expect(noAction.reason).toContain('no action was named');
	});

	it('says when no built-in role grants a data action', () => {
		const d = authorize(
			world0,
			VM_PRINCIPAL,
			'Microsoft.Fabrikam/widgets/spin/action',
			SECRET,
			'data'
		);
		expect(d.suggestion).toBeNull();
		expect(d.suggestedRole).toBeNull();
		expect(d.reason).toContain(
			'No built-in role grants Microsoft.Fabrikam/widgets/spin/action on the data plane'
		);
	});
});

describe('authorize: propagation', () => {
	const created = withAssignments(world0, {
		principalId: VM_PRINCIPAL,
		role: 'Key Vault Secrets User',
		scope: VAULT
	});

	it('refuses one second before effectiveAt and reports the pending grant', () => {
		const d = authorize(at(created, t(DELAY - 1)), VM_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(d.allowed).toBe(false);
		expect(d.pending).toHaveLength(1);
		expect(d.pending[0]?.secondsLeft).toBe(1);
		expect(d.pending[0]?.effectiveAt).toBe(t(DELAY));
		expect(d.reason).toContain('is still propagating; it applies in 1 s');
	});

	it('says how long is left in minutes and seconds', () => {
		const d = authorize(at(created, t(DELAY - 252)), VM_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(d.reason).toBe(
			'Denied for now: Key Vault Secrets User on key vault kv-stock is assigned to this identity but is still propagating; it applies in 4 min 12 s.'
		);
		expect(d.suggestion).toContain('Wait 4 min 12 s');
		expect(d.suggestedRole?.roleName).toBe('Key Vault Secrets User');
	});

	it('allows from effectiveAt on', () => {
		const d = authorize(at(created, t(DELAY)), VM_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(d.allowed).toBe(true);
		expect(d.pending).toEqual([]);
	});

	it('keeps granting while a removal propagates, and says so', () => {
		const removing = withAssignments(world0, {
			principalId: VM_PRINCIPAL,
			role: 'Key Vault Secrets User',
			scope: VAULT,
			removedAt: t(1200)
		});
		const before = authorize(at(removing, t(1200 - 300)), VM_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(before.allowed).toBe(true);
		expect(before.reason).toContain(
			'the removal is still propagating: it keeps granting access for another 5 min'
		);
		const after = authorize(at(removing, t(1200)), VM_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(after.allowed).toBe(false);
		expect(after.reason).toContain(
			'Key Vault Secrets User assignment on key vault kv-stock was deleted and the removal has propagated'
		);
	});

	it('prefers a stable grant over one that is being removed', () => {
		const w = at(
			withAssignments(
				world0,
				{
					principalId: VM_PRINCIPAL,
					role: 'Key Vault Secrets User',
					scope: VAULT,
					removedAt: t(1200)
				},
				{ principalId: VM_PRINCIPAL, role: 'Key Vault Secrets Officer', scope: RG }
			),
			t(900)
		);
		const d = authorize(w, VM_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(d.grantedBy?.scope).toBe(RG);
		expect(d.reason).not.toContain('removal');
	});

	it('never applies an assignment deleted before it took effect', () => {
		const w = withAssignments(world0, {
			principalId: VM_PRINCIPAL,
			role: 'Key Vault Secrets User',
			scope: VAULT,
			removedAt: t(100)
		});
		const d = authorize(at(w, t(50)), VM_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(d.pending).toEqual([]);
		expect(authorize(at(w, t(DELAY)), VM_PRINCIPAL, GET_SECRET, SECRET, 'data').allowed).toBe(
			false
		);
	});

	it('sees assignments added to a new roleAssignments object (the index is not stale)', () => {
		const w1 = settled(world0);
		expect(authorize(w1, VM_PRINCIPAL, GET_SECRET, SECRET, 'data').allowed).toBe(false);
		const w2 = settled(
			withAssignments(w1, {
				principalId: VM_PRINCIPAL,
				role: 'Key Vault Secrets User',
				scope: VAULT,
				effectiveAt: T0
			})
		);
		expect(authorize(w2, VM_PRINCIPAL, GET_SECRET, SECRET, 'data').allowed).toBe(true);
		expect(authorize(w1, VM_PRINCIPAL, GET_SECRET, SECRET, 'data').allowed).toBe(false);
	});
});

describe('authorize: principals with many assignments', () => {
	it('decides the same way when the principal holds more assignments than the linear scan handles', () => {
		const noise = Array.from({ length: 40 }, (_, i) => ({
			principalId: VM_PRINCIPAL,
			role: 'Reader',
			scope: `${RG}/providers/Microsoft.KeyVault/vaults/kv-noise-${i}`
		}));
		const few = settledWith(
			{ principalId: VM_PRINCIPAL, role: 'Reader', scope: SUB },
			{ principalId: VM_PRINCIPAL, role: 'Key Vault Secrets User', scope: VAULT }
		);
		const many = settled(withAssignments(few, ...noise));
		for (const [action, target, plane] of [
			[GET_SECRET, SECRET, 'data'],
			[STORAGE_READ, STORAGE, 'control'],
			[BLOB_READ, BLOB, 'data'],
			['Microsoft.KeyVault/vaults/secrets/setSecret/action', SECRET, 'data']
		] as const) {
			const a = authorize(few, VM_PRINCIPAL, action, target, plane);
			const b = authorize(many, VM_PRINCIPAL, action, target, plane);
			expect([b.allowed, b.grantedBy?.scope, b.reason, b.consideredAssignments]).toEqual([
				a.allowed,
				a.grantedBy?.scope,
				a.reason,
				a.consideredAssignments
			]);
		}
		const elsewhere = authorize(
			many,
			VM_PRINCIPAL,
			'Microsoft.KeyVault/vaults/write',
			SECRET,
			'control'
		);
		expect(elsewhere.allowed).toBe(false);
	});
});

describe('authorize: the decision as a value', () => {
	const refused = authorize(vmHolds('Reader', RG), VM_PRINCIPAL, BLOB_READ, BLOB, 'data');

	it('serializes, spreads and compares with its explanation included', () => {
		const json = JSON.parse(JSON.stringify(refused)) as Record<string, unknown>;
		expect(json.reason).toBe(refused.reason);
		expect(json.suggestion).toBe(refused.suggestion);
		expect(Object.keys(refused).sort()).toEqual(
			[
				'allowed',
				'consideredAssignments',
				'grantedBy',
				'pending',
				'reason',
				'suggestedRole',
				'suggestedScope',
				'suggestion'
			].sort()
		);
		const copy = { ...refused };
		expect(copy).toEqual(refused);
		expect(structuredClone(refused).reason).toBe(refused.reason);
	});

	it('gives the same explanation on every read, even once frozen', () => {
		const frozen = Object.freeze(authorize(world0, VM_PRINCIPAL, GET_SECRET, SECRET, 'data'));
		const first = frozen.reason;
		expect(frozen.reason).toBe(first);
		expect(frozen.suggestedRole?.roleName).toBe('Key Vault Secrets User');
	});
});

describe('suggestions', () => {
	it.each([
		[GET_SECRET, 'data', 'Key Vault Secrets User'],
		[BLOB_READ, 'data', 'Storage Blob Data Reader'],
		[
			'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
			'data',
			'Storage Blob Data Contributor'
		],
		['Microsoft.KeyVault/vaults/secrets/setSecret/action', 'data', 'Key Vault Secrets Officer'],
		[ASSIGN_ROLES, 'control', 'Role Based Access Control Administrator'],
		[
			'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action',
			'control',
			'Managed Identity Operator'
		],
		[
			'Microsoft.ManagedIdentity/userAssignedIdentities/write',
			'control',
			'Managed Identity Contributor'
		],
		[STORAGE_READ, 'control', 'Reader'],
		['Microsoft.Resources/subscriptions/resourceGroups/read', 'control', 'Reader'],
		['Microsoft.Compute/virtualMachines/write', 'control', 'Virtual Machine Contributor'],
		['Microsoft.KeyVault/vaults/write', 'control', 'Key Vault Contributor'],
		// Website Contributor: azure-docs built-in-roles/web-and-mobile.md (Microsoft.Web/sites/*)
		['Microsoft.Web/sites/write', 'control', 'Website Contributor']
	] as const)('%s (%s) → %s', (action, plane, roleName) => {
		expect(leastPrivilegedRole(action, plane)?.roleName).toBe(roleName);
	});

	it('suggests blob read on the storage account and secret get on the vault', () => {
		const blob = authorize(world0, UAMI_PRINCIPAL, BLOB_READ, BLOB, 'data');
		expect(blob.suggestion).toContain('Storage Blob Data Reader on storage account ststockdata');
		expect(blob.suggestedScope).toBe(STORAGE);
		const secret = authorize(world0, UAMI_PRINCIPAL, GET_SECRET, SECRET, 'data');
		expect(secret.suggestion).toContain('Key Vault Secrets User on key vault kv-stock');
		expect(secret.suggestedScope).toBe(VAULT);
	});

	it('suggests the target itself when it is not inside a resource', () => {
		const d = authorize(
			world0,
			ALICE,
			'Microsoft.Resources/subscriptions/resourceGroups/read',
			RG,
			'control'
		);
		expect(d.suggestion).toContain('Reader on resource group rg-stock');
		expect(d.suggestedScope).toBe(RG);
	});
});

describe('assignment state and listing', () => {
	const w = withAssignments(
		world0,
		{ principalId: VM_PRINCIPAL, role: 'Reader', scope: RG, createdAt: T0 },
		{ principalId: VM_PRINCIPAL, role: 'Key Vault Secrets User', scope: VAULT, createdAt: t(300) },
		{
			principalId: VM_PRINCIPAL,
			role: 'Storage Blob Data Reader',
			scope: STORAGE,
			createdAt: t(100),
			removedAt: t(900)
		},
		{ principalId: VM_PRINCIPAL, role: 'Owner', scope: SUB, createdAt: T0, removedAt: t(650) },
		{ principalId: UAMI_PRINCIPAL, role: 'Reader', scope: UAMI }
	);
	const now = at(w, t(700));

	it('gives each assignment its state at the current time', () => {
		const states = Object.values(now.roleAssignments)
			.filter((a) => a.principalId === VM_PRINCIPAL)
			.map((a) => [a.scope, assignmentState(now, a)]);
		expect(states).toEqual([
			[RG, 'effective'],
			[VAULT, 'pending'],
			[STORAGE, 'removing'],
			[SUB, 'removed']
		]);
	});

	it('lists a principal’s living assignments with role, state and time left, oldest first', () => {
		const list = effectiveAssignmentsFor(now, VM_PRINCIPAL.toUpperCase());
		expect(list.map((p) => [p.role?.roleName, p.state, p.secondsLeft])).toEqual([
			['Reader', 'effective', null],
			['Storage Blob Data Reader', 'removing', 200],
			['Key Vault Secrets User', 'pending', 200]
		]);
		expect(effectiveAssignmentsFor(now, DELETED_PRINCIPAL)).toEqual([]);
	});

	it('knows which principals exist in the directory', () => {
		expect(principalExists(world0, VM_PRINCIPAL)).toBe(true);
		expect(principalExists(world0, VM_PRINCIPAL.toUpperCase())).toBe(true);
		expect(principalExists(world0, ALICE)).toBe(true);
		expect(principalExists(world0, DELETED_PRINCIPAL)).toBe(false);
		expect(principalExists(world0, '')).toBe(false);
	});
});
