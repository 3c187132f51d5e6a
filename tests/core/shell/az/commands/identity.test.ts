import { describe, expect, it } from 'vitest';
import { json, terminal } from '../../terminal.ts';

describe('az identity', () => {
	it('create prints the identity as az does, and is idempotent', async () => {
		const t = await terminal();
		const created = await t.run('az identity create -g rg-stock -n id-stock-web');
		const out = json(created);
		expect(Object.keys(out)).toEqual([
			'clientId',
			'id',
			'isolationScope',
			'location',
			'name',
			'principalId',
			'resourceGroup',
			'systemData',
			'tags',
			'tenantId',
			'type'
		]);
		// The MSI RP's id spells `resourcegroups` in lower case; 2024-11-30 adds isolationScope (reference 4.2,
		// azure-rest-api-specs msi examples/IdentityCreate.json).
		expect(out.id).toMatch(/^\/subscriptions\/[^/]+\/resourcegroups\/rg-stock\/providers\//);
		expect(out.isolationScope).toBe('None');
		expect(out).toMatchObject({
			name: 'id-stock-web',
			location: 'westeurope',
			type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
			tags: {}
		});
		expect(
			created.events.some(
				(e) => e.kind === 'directoryAudit' && e.activity === 'Add service principal'
			)
		).toBe(true);
		const again = await t.run('az identity create -g rg-stock -n id-stock-web');
		expect(json(again)).toEqual(out);
		expect(again.events).toEqual([]);
	});

	it('show, list and delete; a deleted identity leaves its role assignments behind', async () => {
		const t = await terminal();
		await t.run('az identity create -g rg-stock -n id-old --tags team=stock -o none');
		const principalId = (
			await t.run('az identity show -g rg-stock -n id-old --query principalId -o tsv')
		).stdout.trim();
		expect((await t.run('az identity list -g rg-stock --query "[].name" -o tsv')).stdout).toBe(
			'id-old\n'
		);
		expect(
			(await t.run('az identity show -g rg-stock -n id-old --query tags.team -o tsv')).stdout
		).toBe('stock\n');
		await t.run(
			`az role assignment create --assignee ${principalId} --role Reader -g rg-stock -o none`
		);
		const deleted = await t.run('az identity delete -g rg-stock -n id-old');
		expect([deleted.exitCode, deleted.stdout]).toEqual([0, '']);
		const orphans = json<Record<string, unknown>[]>(
			await t.run('az role assignment list -g rg-stock')
		);
		expect(orphans).toEqual([
			// az keeps the stored type and leaves principalName empty (reference 4.4; the portal alone says Unknown).
			expect.objectContaining({ principalId, principalName: '', principalType: 'ServicePrincipal' })
		]);
		expect((await t.run('az identity show -g rg-stock -n id-old')).stderr).toContain(
			'(ResourceNotFound)'
		);
		// The identity RP answers DELETE of a missing identity with 204 and az exits 0
		// (learn.microsoft.com/rest/api/managedidentity/user-assigned-identities/delete: 200 OK, 204 No Content).
		const again = await t.run('az identity delete -g rg-stock -n id-old');
		expect([again.exitCode, again.stdout, again.stderr, again.events]).toEqual([0, '', '', []]);
		const noGroup = await t.run('az identity delete -g rg-nowhere -n id-old');
		expect([noGroup.exitCode, noGroup.stderr]).toEqual([
			1,
			expect.stringContaining('(ResourceGroupNotFound)')
		]);
	});

	it('validates names as Azure does', async () => {
		const result = await (await terminal()).run('az identity create -g rg-stock -n x');
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain('(InvalidName)');
	});
});
