/**
 * Stories: (4) Entra replication delay — a just-created identity is not yet visible to ARM's directory lookup, so
 * a role assignment that names it without principalType fails with PrincipalNotFound; giving
 * `--assignee-principal-type ServicePrincipal` (principalType in the REST body) is the documented fix
 * (learn.microsoft.com/azure/role-based-access-control/role-assignments-template#new-service-principal,
 * learn.microsoft.com/azure/role-based-access-control/troubleshooting). (5) The audit trail is readable from the
 * terminal: `az monitor activity-log list` (learn.microsoft.com/cli/azure/monitor/activity-log) and Microsoft
 * Graph `GET /v1.0/auditLogs/directoryAudits` (learn.microsoft.com/graph/api/directoryaudit-list).
 */
import { describe, expect, it } from 'vitest';
import { json, terminal } from '../shell/terminal.ts';
import { createDefaultWorld } from '../../../src/core/azure/default-world.ts';

const SCOPE = '/subscriptions/a1b2c3d4-0000-4000-8000-00000005707c/resourceGroups/rg-stock';

describe('replication delay (role-assignments-template#new-service-principal)', () => {
	it('the default world has a realistic delay; a lesson can set 0', async () => {
		expect(createDefaultWorld().settings.principalReplicationDelaySeconds).toBeGreaterThan(0);
		const t = await terminal();
		await t.script([
			'az lab replication set --seconds 0',
			'az identity create -g rg-stock -n id-fresh'
		]);
		const pid = (
			await t.run('az identity show -g rg-stock -n id-fresh --query principalId -o tsv')
		).stdout.trim();
		expect(
			(await t.run(`az role assignment create --assignee ${pid} --role Reader --scope ${SCOPE}`))
				.exitCode
		).toBe(0);
	});

	it('PrincipalNotFound right after creation; --assignee-principal-type ServicePrincipal or waiting fixes it', async () => {
		const t = await terminal();
		await t.script([
			'az lab replication set --seconds 60',
			'az identity create -g rg-stock -n id-fresh'
		]);
		const pid = (
			await t.run('az identity show -g rg-stock -n id-fresh --query principalId -o tsv')
		).stdout.trim();
		const early = await t.run(
			`az role assignment create --assignee ${pid} --role Reader --scope ${SCOPE}`
		);
		expect(early.exitCode).toBe(1);
		expect(early.stderr).toContain('(PrincipalNotFound)');
		const typed = await t.run(
			`az role assignment create --assignee ${pid} --assignee-principal-type ServicePrincipal --role Reader --scope ${SCOPE}/providers/Microsoft.KeyVault/vaults/kv-stock`
		);
		expect(typed.exitCode, typed.stderr).toBe(0);
		await t.script(['az lab clock advance --seconds 60']);
		expect(
			(await t.run(`az role assignment create --assignee ${pid} --role Reader --scope ${SCOPE}`))
				.exitCode
		).toBe(0);
	});
});

describe('az monitor activity-log list (monitor/activity-log)', () => {
	it('lists the resource group’s operations newest first, in az’s shape, with the caller', async () => {
		const t = await terminal();
		await t.script([
			'az identity create -g rg-stock -n id-audit',
			'az vm identity assign -g rg-stock -n vm-stock-app'
		]);
		const list = json<Record<string, unknown>[]>(
			await t.run('az monitor activity-log list -g rg-stock')
		);
		expect(list.length).toBeGreaterThanOrEqual(2);
		const [newest] = list;
		expect(newest?.operationName).toEqual({
			localizedValue: 'Microsoft.Compute/virtualMachines/write',
			value: 'Microsoft.Compute/virtualMachines/write'
		});
		expect(newest?.caller).toBe('sarah@contoso.onmicrosoft.com');
		expect(newest?.status).toEqual({ localizedValue: 'Succeeded', value: 'Succeeded' });
		expect(newest?.resourceGroupName).toBe('rg-stock');
		expect(String(newest?.id)).toMatch(/\/events\/[0-9a-f-]{36}\/ticks\/\d+$/);
		expect(Object.keys(newest ?? {}).sort()).toEqual([
			'authorization',
			'caller',
			'category',
			'claims',
			'correlationId',
			'description',
			'eventDataId',
			'eventName',
			'eventTimestamp',
			'id',
			'level',
			'operationId',
			'operationName',
			'resourceGroupName',
			'resourceId',
			'resourceProviderName',
			'resourceType',
			'status',
			'subStatus',
			'submissionTimestamp',
			'subscriptionId',
			'tenantId'
		]);
	});

	it('--offset limits the window (default 6h)', async () => {
		const t = await terminal();
		await t.script([
			'az identity create -g rg-stock -n id-old',
			'az lab clock advance --seconds 25200'
		]);
		expect(json<unknown[]>(await t.run('az monitor activity-log list -g rg-stock'))).toHaveLength(
			0
		);
		expect(
			json<unknown[]>(await t.run('az monitor activity-log list -g rg-stock --offset 1d')).length
		).toBeGreaterThan(0);
	});
});

describe('Graph directoryAudits through az rest (directoryaudit-list)', () => {
	it('shows the Managed Service Identity actor adding and removing service principals, newest first', async () => {
		const t = await terminal();
		await t.script([
			'az vm identity assign -g rg-stock -n vm-stock-app',
			'az vm identity remove -g rg-stock -n vm-stock-app'
		]);
		const answer = await t.run(
			'az rest --url https://graph.microsoft.com/v1.0/auditLogs/directoryAudits'
		);
		expect(answer.exitCode, answer.stderr).toBe(0);
		const body = json<{ value: Record<string, unknown>[] }>(answer);
		const [removed, added] = body.value;
		expect(removed?.initiatedBy).toMatchObject({
			app: { displayName: 'Managed Service Identity' }
		});
		expect(added?.activityDisplayName).toBe('Add service principal');
		expect((removed?.targetResources as { displayName: string }[])[0]?.displayName).toBe(
			'vm-stock-app'
		);
		const filtered = json<{ value: unknown[] }>(
			await t.run(
				`az rest --url "https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?\\$filter=activityDisplayName eq 'Add service principal'"`
			)
		);
		expect(filtered.value).toHaveLength(1);
	});

	it('a managed identity gets 403 Authorization_RequestDenied (no Graph permission)', async () => {
		const t = await terminal();
		await t.script([
			'az lab propagation set --seconds 0',
			'az vm identity assign -g rg-stock -n vm-stock-app --role Reader --scope ' + SCOPE,
			'ssh vm-stock-app',
			'az login --identity'
		]);
		const answer = await t.run(
			'az rest --url https://graph.microsoft.com/v1.0/auditLogs/directoryAudits'
		);
		expect(answer.exitCode).toBe(1);
		expect(answer.stderr).toContain('Authorization_RequestDenied');
	});
});
