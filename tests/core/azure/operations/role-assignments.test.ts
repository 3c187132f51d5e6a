import { describe, expect, it } from 'vitest';
import type { World } from '../../../../src/core/azure/model.ts';
import { armRoleAssignment } from '../../../../src/core/azure/arm-view.ts';
import { scopeProblem } from '../../../../src/core/azure/operations/role-assignments.ts';
import { isGuid } from '../../../../src/core/ids.ts';
import {
	BLOB,
	CONTAINER,
	NOBODY,
	RG,
	ROLE,
	ROOT_MG,
	SARAH,
	SARAH_UPN,
	SECRET,
	SQL_DB,
	STORAGE,
	SUB,
	SUB_ID,
	VAULT,
	VM_APP,
	defaultWorld,
	enableSystem,
	refuse,
	run,
	runAll,
	systemPrincipalId,
	uami,
	withIdentity
} from '../helpers.ts';

const SARAH_OWNER = '5a7a0de0-0000-4000-8000-000000000001';

/** The default world with vm-stock-app's system-assigned identity on; returns its principal id too. */
function withVmIdentity(): { world: World; principalId: string } {
	const world = enableSystem(defaultWorld(), VM_APP);
	return { world, principalId: systemPrincipalId(world, VM_APP) };
}

describe('createRoleAssignment', () => {
	it('creates an assignment that takes effect after the propagation delay', () => {
		const { world: w1, principalId } = withVmIdentity();
		const { world, events } = run(
			w1,
			{
				type: 'createRoleAssignment',
				role: 'Key Vault Secrets User',
				scope: VAULT,
				principalId,
				description: 'app reads db-password'
			},
			{ caller: SARAH_UPN }
		);
		const [assignment] = Object.values(world.roleAssignments).filter(
			(a) => a.principalId === principalId
		);
		if (!assignment) throw new Error('not created');
		expect(isGuid(assignment.name)).toBe(true);
		expect(assignment).toEqual({
			id: `${VAULT}/providers/Microsoft.Authorization/roleAssignments/${assignment.name}`,
			name: assignment.name,
			scope: VAULT,
			roleDefinitionId: ROLE.secretsUser,
			principalId,
			principalType: 'ServicePrincipal',
			description: 'app reads db-password',
			createdAt: w1.now,
			createdBy: SARAH_UPN,
			effectiveAt: w1.now + 300,
			removedAt: null
		});
		expect(events).toEqual([
			expect.objectContaining({
				kind: 'activity',
				operationName: 'Microsoft.Authorization/roleAssignments/write',
				resourceId: assignment.id,
				caller: SARAH_UPN,
				status: 'Succeeded'
			})
		]);
		expect(events[0]).toMatchObject({ summary: expect.stringContaining('5 min') as string });
	});

	it('takes effect at once when the delay is 0', () => {
		const { world: w1, principalId } = withVmIdentity();
		const w2 = run(w1, { type: 'setPropagationDelay', seconds: 0 }).world;
		const { world } = run(w2, {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: RG,
			principalId
		});
		const [assignment] = Object.values(world.roleAssignments).filter(
			(a) => a.principalId === principalId
		);
		expect(assignment?.effectiveAt).toBe(w1.now);
	});

	it.each([
		['the name', 'Key Vault Secrets User'],
		['the name in another case', 'key vault SECRETS user'],
		['the GUID', ROLE.secretsUser],
		['the GUID in upper case', ROLE.secretsUser.toUpperCase()],
		[
			'the tenant-level definition id',
			`/providers/Microsoft.Authorization/roleDefinitions/${ROLE.secretsUser}`
		],
		[
			'the subscription definition id',
			`${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.secretsUser}`
		]
	])('finds the role by %s', (_how, role) => {
		const { world: w1, principalId } = withVmIdentity();
		const { world } = run(w1, { type: 'createRoleAssignment', role, scope: VAULT, principalId });
		expect(
			Object.values(world.roleAssignments).find((a) => a.principalId === principalId)
				?.roleDefinitionId
		).toBe(ROLE.secretsUser);
	});

	it.each([
		'Secret Reader',
		'',
		'00000000-0000-4000-8000-000000000000',
		`/providers/Microsoft.Authorization/roleDefinitions/x`,
		42,
		undefined
	])('refuses the role %j with RoleNotFound', (role) => {
		const error = refuse(defaultWorld(), {
			type: 'createRoleAssignment',
			role,
			scope: RG,
			principalId: SARAH
		});
		expect(error.code).toBe('RoleNotFound');
		expect(error.message).toContain('az role definition list');
	});

	it.each([
		['the root', '/'],
		['the root management group', ROOT_MG],
		['the root management group in lower case', ROOT_MG.toLowerCase()],
		['the subscription', SUB],
		['the resource group', RG],
		['a resource', VM_APP],
		['a database (child resource)', SQL_DB],
		['the blob service', `${STORAGE}/blobServices/default`],
		['a container', CONTAINER],
		['a blob', BLOB],
		['a secret', SECRET],
		['a scope in another case', VAULT.toUpperCase()]
	])('accepts %s as scope', (_what, scope) => {
		const { world } = run(defaultWorld(), {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope,
			principalId: SARAH
		});
		const created = Object.values(world.roleAssignments).find((a) => a.scope === scope);
		expect(created?.id).toBe(
			`${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${created?.name ?? ''}`
		);
		expect(scopeProblem(world, scope)).toBeNull();
	});

	it('trims spaces and trailing slashes off the scope', () => {
		const { world } = run(defaultWorld(), {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: `  ${RG}/ `,
			principalId: SARAH
		});
		expect(Object.values(world.roleAssignments).map((a) => a.scope)).toContain(RG);
		expect(Object.values(world.roleAssignments).every((a) => !/\s|\/$/.test(a.id))).toBe(true);
	});

	it.each([
		['an unknown management group', '/providers/Microsoft.Management/managementGroups/mg-nope'],
		['an unknown subscription', '/subscriptions/00000000-0000-4000-8000-000000000000'],
		['an unknown resource group', `${SUB}/resourceGroups/rg-nope`],
		['an unknown resource', `${RG}/providers/Microsoft.Compute/virtualMachines/vm-nope`],
		['an unknown child of a VM', `${VM_APP}/extensions/x`],
		['an unknown container', `${STORAGE}/blobServices/default/containers/nope`],
		['an unknown blob', `${CONTAINER}/blobs/nope.csv`],
		['an unknown secret', `${VAULT}/secrets/nope`],
		[
			'a resource whose name has spaces',
			`${RG}/providers/Microsoft.Compute/virtualMachines/not a vm`
		]
	])('refuses %s with ScopeNotFound', (_what, scope) => {
		const error = refuse(defaultWorld(), {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope,
			principalId: SARAH
		});
		expect(error.code).toBe('ScopeNotFound');
		expect(scopeProblem(defaultWorld(), scope)).toBe(error.message);
	});

	it.each([
		['a relative scope', `subscriptions/${SUB_ID}`],
		['an empty scope', ''],
		['a scope that is not text', 42],
		['an unknown root', '/tenants/contoso'],
		['a path below the subscription that is not a group', `${SUB}/providers/Microsoft.Compute`],
		['a path inside storage that is not blob', `${STORAGE}/queueServices/default`],
		['a path inside a vault that is not a secret', `${VAULT}/keys/k1`]
	])('refuses %s with InvalidScope', (_what, scope) => {
		expect(
			refuse(defaultWorld(), {
				type: 'createRoleAssignment',
				role: 'Reader',
				scope,
				principalId: SARAH
			}).code
		).toBe('InvalidScope');
	});

	it('refuses a principal that is not in the directory, and a client id given for a principal id', () => {
		const { world, id } = withIdentity(defaultWorld(), 'id-stock');
		const error = refuse(world, {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: RG,
			principalId: NOBODY
		});
		expect(error.code).toBe('PrincipalNotFound');
		// ARM's text (azure-docs role-based-access-control/troubleshooting.md, PrincipalNotFound): the id without
		// dashes and the replication-delay sentence; the lab's advice is the hint, not part of Azure's message.
		expect(error.message).toBe(
			`Principal ${NOBODY.replaceAll('-', '')} does not exist in the directory ${world.tenant.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`
		);
		expect(error.hint).toContain('not the client (application) id');
		const clientId = uami(world, id).clientId;
		expect(
			refuse(world, {
				type: 'createRoleAssignment',
				role: 'Reader',
				scope: RG,
				principalId: clientId
			}).code
		).toBe('PrincipalNotFound');
	});

	it.each(['', 'sarah', 'constructor', 42])(
		'refuses the principal id %j (not a GUID) with InvalidInput',
		(principalId) => {
			expect(
				refuse(defaultWorld(), {
					type: 'createRoleAssignment',
					role: 'Reader',
					scope: RG,
					principalId
				}).code
			).toBe('InvalidInput');
		}
	);

	it('takes the principal type from the directory, or checks the one given (UnmatchedPrincipalType)', () => {
		const { world, principalId } = withVmIdentity();
		const ok = run(world, {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: RG,
			principalId: principalId.toUpperCase(),
			principalType: 'ServicePrincipal'
		});
		expect(
			Object.values(ok.world.roleAssignments).find((a) => a.principalId === principalId)
				?.principalType
		).toBe('ServicePrincipal');
		for (const [id, principalType] of [
			[principalId, 'User'],
			[SARAH, 'ServicePrincipal'],
			[SARAH, 'Group'],
			[SARAH, 'MSI']
		] as const) {
			const error = refuse(world, {
				type: 'createRoleAssignment',
				role: 'Reader',
				scope: RG,
				principalId: id,
				principalType
			});
			expect(error.code).toBe('UnmatchedPrincipalType');
			// Azure's wording, typo included (observed ARM errors: "…different from specified PrinciaplType 'User'.").
			expect(error.message).toMatch(
				new RegExp(
					`^The PrincipalId '${id.replaceAll('-', '')}' has type '(User|ServicePrincipal)', which is different from specified PrinciaplType '${principalType}'\\.$`
				)
			);
			expect(error.hint).toContain(`--assignee-principal-type`);
		}
	});

	it('refuses a duplicate (same principal, role and scope, however spelled) with RoleAssignmentExists', () => {
		const { world: w1, principalId } = withVmIdentity();
		const world = run(w1, {
			type: 'createRoleAssignment',
			role: 'Key Vault Secrets User',
			scope: VAULT,
			principalId
		}).world;
		const error = refuse(world, {
			type: 'createRoleAssignment',
			role: ROLE.secretsUser,
			scope: `${VAULT.toLowerCase()}/`,
			principalId: principalId.toUpperCase()
		});
		expect(error.code).toBe('RoleAssignmentExists');
		run(world, { type: 'createRoleAssignment', role: 'Reader', scope: VAULT, principalId });
		run(world, {
			type: 'createRoleAssignment',
			role: 'Key Vault Secrets User',
			scope: SECRET,
			principalId
		});
	});

	it('allows the same assignment again while the old one is being removed', () => {
		const { world: w1, principalId } = withVmIdentity();
		const w2 = run(w1, {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: VAULT,
			principalId,
			name: '11111111-1111-4111-8111-111111111111'
		}).world;
		const w3 = run(w2, {
			type: 'deleteRoleAssignment',
			id: '11111111-1111-4111-8111-111111111111'
		}).world;
		const { world } = run(w3, {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: VAULT,
			principalId
		});
		expect(
			Object.values(world.roleAssignments).filter((a) => a.principalId === principalId)
		).toHaveLength(2);
	});

	it('uses the name given (a GUID, lower-cased) and refuses to reuse it', () => {
		const name = 'ABCDEF00-1111-4111-8111-111111111111';
		const { world } = run(defaultWorld(), {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: RG,
			principalId: SARAH,
			name
		});
		expect(world.roleAssignments[name.toLowerCase()]?.id).toBe(
			`${RG}/providers/Microsoft.Authorization/roleAssignments/${name.toLowerCase()}`
		);
		const error = refuse(world, {
			type: 'createRoleAssignment',
			role: 'Contributor',
			scope: SUB,
			principalId: SARAH,
			name
		});
		expect(error.code).toBe('RoleAssignmentUpdateNotPermitted');
		expect(
			refuse(world, {
				type: 'createRoleAssignment',
				role: 'Reader',
				scope: SUB,
				principalId: SARAH,
				name: 'my-assignment'
			}).code
		).toBe('InvalidInput');
	});

	it('ignores a description that is not text', () => {
		const { world } = run(defaultWorld(), {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: RG,
			principalId: SARAH,
			description: 5 as unknown as string
		});
		expect(Object.values(world.roleAssignments).find((a) => a.scope === RG)?.description).toBe('');
	});
});

describe('deleteRoleAssignment', () => {
	function withReader(): { world: World; name: string; id: string } {
		const name = '22222222-2222-4222-8222-222222222222';
		const world = run(defaultWorld(), {
			type: 'createRoleAssignment',
			role: 'Reader',
			scope: VAULT,
			principalId: SARAH,
			name
		}).world;
		return {
			world,
			name,
			id: `${VAULT}/providers/Microsoft.Authorization/roleAssignments/${name}`
		};
	}

	it('marks the assignment removed after the delay; advancing the clock past it purges it', () => {
		const { world: w1, name, id } = withReader();
		const { world: w2, events } = run(w1, { type: 'deleteRoleAssignment', id: id.toUpperCase() });
		expect(w2.roleAssignments[name]?.removedAt).toBe(w1.now + 300);
		expect(events).toEqual([
			expect.objectContaining({
				operationName: 'Microsoft.Authorization/roleAssignments/delete',
				resourceId: id,
				caller: SARAH_UPN
			})
		]);
		const early = run(w2, { type: 'advanceClock', seconds: 299 }).world;
		expect(early.roleAssignments[name]).toBeDefined();
		expect(
			run(early, { type: 'advanceClock', seconds: 1 }).world.roleAssignments[name]
		).toBeUndefined();
		expect(
			run(w2, { type: 'advanceClock', seconds: 3600 }).world.roleAssignments[name]
		).toBeUndefined();
	});

	it('removes the assignment at once when the delay is 0', () => {
		const { world: w1, name } = withReader();
		const w2 = run(w1, { type: 'setPropagationDelay', seconds: 0 }).world;
		expect(
			run(w2, { type: 'deleteRoleAssignment', id: name }).world.roleAssignments[name]
		).toBeUndefined();
	});

	it('refuses an unknown assignment and one already being removed', () => {
		const { world: w1, name } = withReader();
		expect(
			refuse(w1, { type: 'deleteRoleAssignment', id: '33333333-3333-4333-8333-333333333333' }).code
		).toBe('RoleAssignmentNotFound');
		for (const id of ['', 'constructor', '__proto__', undefined]) {
			expect(refuse(w1, { type: 'deleteRoleAssignment', id }).code).toBe('RoleAssignmentNotFound');
		}
		const w2 = run(w1, { type: 'deleteRoleAssignment', id: name }).world;
		expect(refuse(w2, { type: 'deleteRoleAssignment', id: name }).code).toBe(
			'RoleAssignmentNotFound'
		);
	});

	it("refuses to delete the subscription's last Owner (LastOwner)", () => {
		const error = refuse(defaultWorld(), { type: 'deleteRoleAssignment', id: SARAH_OWNER });
		expect(error.code).toBe('LastOwner');
		expect(error.message).toBe('Cannot delete the last RBAC admin assignment.');
	});

	it("lets a service principal's Owner assignment go while Sarah's stays", () => {
		const { world: w1, principalId } = withVmIdentity();
		const name = '44444444-4444-4444-8444-444444444444';
		const w2 = run(w1, {
			type: 'createRoleAssignment',
			role: 'Owner',
			scope: SUB,
			principalId,
			name
		}).world;
		expect(
			run(w2, { type: 'deleteRoleAssignment', id: name }).world.roleAssignments[name]?.removedAt
		).not.toBeNull();
		expect(refuse(w2, { type: 'deleteRoleAssignment', id: SARAH_OWNER }).code).toBe('LastOwner');
	});

	it('lets an Owner assignment below the subscription go', () => {
		const name = '55555555-5555-4555-8555-555555555555';
		const w1 = run(defaultWorld(), {
			type: 'createRoleAssignment',
			role: 'Owner',
			scope: RG,
			principalId: SARAH,
			name
		}).world;
		expect(run(w1, { type: 'deleteRoleAssignment', id: name }).events).toHaveLength(1);
	});
});

describe('role assignments and deleted principals', () => {
	it('keep the assignments of a deleted identity; ARM keeps the stored type and shows no name (reference 4.4; only the portal says Unknown)', () => {
		const { world: w1, principalId } = withVmIdentity();
		const w2 = run(w1, {
			type: 'createRoleAssignment',
			role: 'Key Vault Secrets User',
			scope: SECRET,
			principalId
		}).world;
		const assignment = Object.values(w2.roleAssignments).find((a) => a.principalId === principalId);
		if (!assignment) throw new Error('no assignment');
		const world = run(w2, { type: 'disableSystemIdentity', resourceId: VM_APP }).world;
		expect(world.roleAssignments[assignment.name]).toEqual(assignment);
		expect(armRoleAssignment(world, assignment)).toEqual({
			id: assignment.id,
			name: assignment.name,
			type: 'Microsoft.Authorization/roleAssignments',
			properties: {
				roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.secretsUser}`,
				roleDefinitionName: 'Key Vault Secrets User',
				principalId,
				principalType: 'ServicePrincipal',
				principalName: '',
				scope: SECRET,
				description: null,
				createdOn: '2026-03-02T09:00:00.000Z',
				createdBy: SARAH_UPN
			}
		});
	});

	it('the default admin assignment shows as a User with her name', () => {
		const world = defaultWorld();
		const owner = world.roleAssignments[SARAH_OWNER];
		if (!owner) throw new Error('no owner');
		expect(armRoleAssignment(world, owner)).toMatchObject({
			properties: {
				principalType: 'User',
				principalName: 'Sarah',
				roleDefinitionName: 'Owner',
				scope: SUB
			}
		});
	});

	it('keeps a deleted user-assigned identity assignment too', () => {
		const { world: w1, id } = withIdentity(defaultWorld(), 'id-stock');
		const principalId = uami(w1, id).principalId;
		const world = runAll(w1, [
			{
				type: 'createRoleAssignment',
				role: 'Storage Blob Data Reader',
				scope: CONTAINER,
				principalId
			},
			{ type: 'deleteResource', resourceId: id }
		]);
		const [kept] = Object.values(world.roleAssignments).filter(
			(a) => a.principalId === principalId
		);
		if (!kept) throw new Error('assignment lost');
		expect(armRoleAssignment(world, kept)).toMatchObject({
			properties: { principalType: 'ServicePrincipal', principalName: '' }
		});
	});
});
