import { describe, expect, it } from 'vitest';
import { json, snapshot, terminal } from '../../terminal.ts';

const SUB = '/subscriptions/a1b2c3d4-0000-4000-8000-00000005707c';
const RG = `${SUB}/resourceGroups/rg-stock`;
const VAULT = `${RG}/providers/Microsoft.KeyVault/vaults/kv-stock`;
const SARAH = '5a7a0000-5a7a-4a7a-8a7a-00000005a7a1';

async function withVmIdentity() {
	const t = await terminal();
	const principal = (
		await t.run(
			'az vm identity assign -g rg-stock -n vm-stock-app --query systemAssignedIdentity -o tsv'
		)
	).stdout.trim();
	const client = (
		await t.run(`az ad sp show --id ${principal} --query appId -o tsv`)
	).stdout.trim();
	return { t, principal, client };
}

describe('az role assignment create', () => {
	it('creates an assignment and prints az’s shape', async () => {
		const { t, principal } = await withVmIdentity();
		const result = await t.run(
			`az role assignment create --assignee ${principal} --role "Key Vault Secrets User" --scope ${VAULT}`
		);
		const out = json(result);
		expect(Object.keys(out)).toEqual([
			'condition',
			'conditionVersion',
			'createdBy',
			'createdOn',
			'delegatedManagedIdentityResourceId',
			'description',
			'id',
			'name',
			'principalId',
			'principalType',
			'resourceGroup',
			'roleDefinitionId',
			'scope',
			'type',
			'updatedBy',
			'updatedOn'
		]);
		expect(out).toMatchObject({
			principalId: principal,
			principalType: 'ServicePrincipal',
			roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
			scope: VAULT,
			resourceGroup: 'rg-stock',
			updatedBy: SARAH
		});
		expect(out.createdOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
	});

	it('resolves the assignee by client id, UPN, --assignee-object-id, and (lab) display name with a warning', async () => {
		const { t, principal, client } = await withVmIdentity();
		expect(
			json(
				await t.run(`az role assignment create --assignee ${client} --role Reader --scope ${RG}`)
			).principalId
		).toBe(principal);
		expect(
			json(
				await t.run(
					`az role assignment create --assignee sarah@contoso.onmicrosoft.com --role Reader --scope ${RG}`
				)
			)
		).toMatchObject({ principalId: SARAH, principalType: 'User' });
		expect(
			json(
				await t.run(
					`az role assignment create --assignee-object-id ${principal} --assignee-principal-type ServicePrincipal --role "Storage Blob Data Reader" --scope ${RG}`
				)
			).principalId
		).toBe(principal);
		const byName = await t.run(
			`az role assignment create --assignee vm-stock-app --role "Key Vault Reader" --scope ${VAULT}`
		);
		expect(json(byName).principalId).toBe(principal);
		expect(byName.stderr).toContain("WARNING: Resolved 'vm-stock-app' by its display name");
	});

	// azure-cli role/custom.py create_role_assignment: on 409 RoleAssignmentExists it returns
	// list_role_assignments(...)[0] "for idempotent", so az exits 0 and prints the existing assignment.
	it('treats an assignment that already exists as success and prints it as az role assignment list does', async () => {
		const { t, principal } = await withVmIdentity();
		const first = json(
			await t.run(`az role assignment create --assignee ${principal} --role Reader --scope ${RG}`)
		);
		const before = snapshot(t.world);
		const again = await t.run(
			`az role assignment create --assignee ${principal} --role Reader --scope ${RG}`
		);
		expect([again.exitCode, again.stderr]).toEqual([0, '']);
		expect(json(again)).toMatchObject({
			id: first.id,
			principalId: principal,
			principalName: expect.any(String) as unknown,
			roleDefinitionName: 'Reader'
		});
		expect(again.events).toEqual([]);
		expect(snapshot(t.world)).toEqual(before);
	});

	// ARM's texts (azure-docs role-based-access-control/troubleshooting.md "PrincipalNotFound"; observed
	// UnmatchedPrincipalType errors with Azure's "PrinciaplType" typo); the lab's advice is a `# ` line after them.
	it('prints ARM’s PrincipalNotFound and UnmatchedPrincipalType texts, the lab’s advice on a # line', async () => {
		const t = await terminal();
		const nobody = '0badc0de-0000-4000-8000-000000000000';
		const missing = await t.run(
			`az role assignment create --assignee-object-id ${nobody} --assignee-principal-type ServicePrincipal --role Reader --scope ${RG}`
		);
		expect(missing.stderr).toContain(
			`ERROR: (PrincipalNotFound) Principal 0badc0de000040008000000000000000 does not exist in the directory ${t.world.tenant.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay.`
		);
		expect(missing.stderr).toMatch(/\n# Check that you gave the object \(principal\) id/);
		const wrongType = await t.run(
			`az role assignment create --assignee-object-id ${SARAH} --assignee-principal-type ServicePrincipal --role Reader --scope ${RG}`
		);
		expect(wrongType.stderr).toContain(
			`(UnmatchedPrincipalType) The PrincipalId '${SARAH.replaceAll('-', '')}' has type 'User', which is different from specified PrinciaplType 'ServicePrincipal'.`
		);
		expect(wrongType.stderr).toMatch(/\n# Give --assignee-principal-type User/);
	});

	it('refuses what az refuses, world unchanged', async () => {
		const { t, principal } = await withVmIdentity();
		await t.run(
			`az role assignment create --assignee ${principal} --role Reader --scope ${RG} -o none`
		);
		const before = snapshot(t.world);
		const role = await t.run(
			`az role assignment create --assignee ${principal} --role "Secret Reader" --scope ${RG}`
		);
		expect(role.stderr).toMatch(/^ERROR: Role 'Secret Reader' doesn't exist\./);
		const nobody = await t.run(
			`az role assignment create --assignee nobody@contoso.onmicrosoft.com --role Reader --scope ${RG}`
		);
		expect(nobody.stderr).toContain(
			"Cannot find user or service principal in graph database for 'nobody@contoso.onmicrosoft.com'."
		);
		const noScope = await t.run(`az role assignment create --assignee ${principal} --role Reader`);
		expect([noScope.exitCode, noScope.stderr]).toEqual([
			2,
			expect.stringContaining('--scope is required')
		]);
		const both = await t.run(
			`az role assignment create --assignee ${principal} --assignee-object-id ${principal} --role Reader --scope ${RG}`
		);
		expect(both.stderr).toContain('usage error: --assignee STRING | --assignee-object-id GUID');
		const badScope = await t.run(
			`az role assignment create --assignee ${principal} --role Reader --scope ${RG}/providers/Microsoft.KeyVault/vaults/kv-nope`
		);
		expect(badScope.exitCode).toBe(1);
		for (const r of [role, nobody, noScope, both, badScope]) expect(snapshot(r.world)).toBe(before);
	});
});

describe('az role assignment list', () => {
	it('lists one scope unless --all, with principalName and roleDefinitionName', async () => {
		const { t, principal, client } = await withVmIdentity();
		await t.run(
			`az role assignment create --assignee ${principal} --role "Key Vault Secrets User" --scope ${VAULT} -o none`
		);
		const atSubscription = json<Record<string, unknown>[]>(await t.run('az role assignment list'));
		expect(atSubscription.map((a) => a.principalName)).toEqual(['sarah@contoso.onmicrosoft.com']);
		const mine = json<Record<string, unknown>[]>(
			await t.run(`az role assignment list --assignee ${principal} --all`)
		);
		expect(mine).toEqual([
			expect.objectContaining({
				principalName: client,
				roleDefinitionName: 'Key Vault Secrets User',
				scope: VAULT
			})
		]);
		expect(json<unknown[]>(await t.run(`az role assignment list --assignee ${principal}`))).toEqual(
			[]
		);
		expect(json<unknown[]>(await t.run(`az role assignment list --scope ${VAULT}`))).toHaveLength(
			1
		);
		expect(
			json<unknown[]>(await t.run(`az role assignment list --scope ${VAULT} --include-inherited`))
		).toHaveLength(2);
		expect(json<unknown[]>(await t.run('az role assignment list --all --role Owner'))).toHaveLength(
			1
		);
		const table = await t.run('az role assignment list --all -o table');
		expect(table.stdout.split('\n')[0]).toMatch(/^Principal +Role +Scope$/);
		expect((await t.run(`az role assignment list --all --scope ${RG}`)).stderr).toContain(
			'group or scope are not required when --all is used'
		);
	});
});

describe('az role assignment delete', () => {
	it('deletes by id or by filter at one scope, and says when nothing matched', async () => {
		const { t, principal } = await withVmIdentity();
		const id = json(
			await t.run(`az role assignment create --assignee ${principal} --role Reader --scope ${RG}`)
		).id as string;
		await t.run(
			`az role assignment create --assignee ${principal} --role "Key Vault Secrets User" --scope ${VAULT} -o none`
		);
		const byId = await t.run(`az role assignment delete --ids ${id}`);
		expect([byId.exitCode, byId.stdout]).toEqual([0, '']);
		expect(byId.events[0]).toMatchObject({
			kind: 'activity',
			operationName: 'Microsoft.Authorization/roleAssignments/delete'
		});
		const wrongScope = await t.run(
			`az role assignment delete --assignee ${principal} --role "Key Vault Secrets User"`
		);
		expect(wrongScope.stderr).toMatch(/^ERROR: No matched assignments were found to delete\n/);
		expect(
			(await t.run(`az role assignment delete --assignee ${principal} --scope ${VAULT}`)).exitCode
		).toBe(0);
		expect(
			json<unknown[]>(await t.run(`az role assignment list --all --assignee ${principal}`))
		).toEqual([]);
		expect((await t.run('az role assignment delete')).exitCode).toBe(2);
	});

	it('cannot delete the last Owner at subscription scope', async () => {
		const t = await terminal();
		const result = await t.run(
			`az role assignment delete --assignee ${SARAH} --role Owner --scope ${SUB}`
		);
		expect(result.stderr).toContain('(LastOwner) Cannot delete the last RBAC admin assignment.');
	});
});

describe('az role definition list', () => {
	it('shows a role’s permissions by name or id', async () => {
		const t = await terminal();
		const [role] = json<Record<string, unknown>[]>(
			await t.run('az role definition list --name "Key Vault Secrets User"')
		);
		expect(role).toMatchObject({
			roleName: 'Key Vault Secrets User',
			name: '4633458b-17de-408a-b874-0445c86b69e6',
			roleType: 'BuiltInRole',
			type: 'Microsoft.Authorization/roleDefinitions',
			assignableScopes: ['/'],
			permissions: [
				{
					actions: [],
					dataActions: [
						'Microsoft.KeyVault/vaults/secrets/getSecret/action',
						'Microsoft.KeyVault/vaults/secrets/readMetadata/action'
					]
				}
			]
		});
		expect(
			json<unknown[]>(
				await t.run('az role definition list --name acdd72a7-3385-48ef-bd42-f606fba81ae7')
			)
		).toHaveLength(1);
		expect(json<unknown[]>(await t.run('az role definition list --name nope'))).toEqual([]);
		expect((await t.run('az role definition list --query "[].roleName" -o tsv')).stdout).toContain(
			'Storage Blob Data Reader\n'
		);
	});
});

describe('cleaning up "Identity not found" assignments (lesson 13)', () => {
	it('finds the assignments of deleted principals and deletes them all by id', async () => {
		const t = await terminal();
		await t.script([
			'az identity create -g rg-stock -n id-a -o none',
			'az identity create -g rg-stock -n id-b -o none',
			`az role assignment create --assignee $(az identity show -g rg-stock -n id-a --query principalId -o tsv) --role Reader --scope ${RG} -o none`,
			`az role assignment create --assignee $(az identity show -g rg-stock -n id-b --query principalId -o tsv) --role Reader --scope ${VAULT} -o none`,
			'az identity delete -g rg-stock -n id-a',
			'az identity delete -g rg-stock -n id-b'
		]);
		const orphans = (
			await t.run(`az role assignment list --all --query "[?principalName==''].id" -o tsv`)
		).stdout
			.trim()
			.split('\n');
		expect(orphans).toHaveLength(2);
		const deleted = await t.run(
			`az role assignment delete --ids $(az role assignment list --all --query "[?principalName==''].id" -o tsv)`
		);
		expect(deleted.exitCode).toBe(0);
		expect(deleted.events.filter((e) => e.kind === 'activity')).toHaveLength(2);
		expect(
			json<unknown[]>(await t.run(`az role assignment list --all --query "[?principalName=='']"`))
		).toEqual([]);
	});
});
