import { describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/svelte';
import { createDefaultWorld, DEFAULT_IDS } from '../../../src/core/index.ts';
import { t } from '../../../src/ui/blades/labels.ts';
import { apply, idOf, RG, systemPrincipalId, VAULT, VM_APP } from '../../fixtures/worlds.ts';
import { expectNoAxeViolations, expectSameAsTerminal, renderBlade } from './helpers.ts';

function withVmIdentity() {
	return apply(createDefaultWorld(), [{ type: 'enableSystemIdentity', resourceId: VM_APP }]);
}

describe('Access control (IAM)', () => {
	it('creates an assignment through the Add role assignment wizard', async () => {
		const world = withVmIdentity();
		const { session } = renderBlade({ kind: 'resource', id: VAULT, section: 'iam' }, world);
		await fireEvent.click(screen.getByRole('button', { name: `+ ${t('addRoleAssignment')}` }));
		expect(screen.getByRole('tab', { name: t('jobFunctionRoles') })).toBeInTheDocument();
		expect(screen.getByRole('tab', { name: t('privilegedRoles') })).toBeInTheDocument();
		await fireEvent.input(screen.getByRole('searchbox', { name: 'Search roles' }), {
			target: { value: 'secrets user' }
		});
		expect(screen.queryByRole('radio', { name: 'Key Vault Reader' })).not.toBeInTheDocument();
		await fireEvent.click(
			screen.getByRole('button', { name: `${t('view')} Key Vault Secrets User` })
		);
		const details = await screen.findByRole('dialog', { name: 'Key Vault Secrets User' });
		expect(details).toHaveTextContent('Microsoft.KeyVault/vaults/secrets/getSecret/action');
		await fireEvent.click(within(details).getByRole('button', { name: 'Close' }));

		await fireEvent.click(screen.getByRole('radio', { name: 'Key Vault Secrets User' }));
		await fireEvent.click(screen.getByRole('button', { name: t('next') }));
		await fireEvent.click(screen.getByRole('radio', { name: t('managedIdentity') }));
		await fireEvent.click(screen.getByRole('button', { name: t('selectMembers') }));
		const pane = await screen.findByRole('dialog', { name: t('selectManagedIdentities') });
		const type = within(pane).getByRole('combobox', { name: t('managedIdentity') });
		expect(
			within(type)
				.getAllByRole('option')
				.map((o) => o.textContent)
		).toEqual([
			t('userAssignedMi'),
			t('miVirtualMachine'),
			t('miScaleSet'),
			t('miAppService'),
			t('miFunctionApp'),
			t('allSystemAssigned')
		]);
		await fireEvent.change(type, { target: { value: 'virtualMachine' } });
		await fireEvent.click(within(pane).getByRole('checkbox', { name: /vm-stock-app/ }));
		await fireEvent.click(within(pane).getByRole('button', { name: t('select') }));
		await fireEvent.click(screen.getByRole('button', { name: t('next') }));
		expect(screen.getByText('kv-stock (key vault)')).toBeInTheDocument();
		await fireEvent.click(screen.getByRole('button', { name: t('reviewAssign') }));

		const principalId = systemPrincipalId(world, VM_APP);
		const created = Object.values(session.world.roleAssignments).find(
			(a) => a.principalId === principalId
		);
		expect(created?.scope).toBe(VAULT);
		expect(created?.roleDefinitionId).toBe('4633458b-17de-408a-b874-0445c86b69e6');
		expect(session.lastAction?.azCommand).toBe(
			`az role assignment create --assignee-object-id ${principalId} --assignee-principal-type ServicePrincipal --role 'Key Vault Secrets User' --scope ${VAULT}`
		);
		const table = screen.getByRole('table', { name: /Role assignments at this scope/ });
		const row = within(table).getByRole('row', { name: /vm-stock-app/ });
		expect(row).toHaveTextContent(t('thisResource'));
		expect(row).toHaveTextContent('Propagating');
		expect(within(table).getByRole('row', { name: /Sarah/ })).toHaveTextContent(t('inherited'));
		await expectNoAxeViolations();
		await expectSameAsTerminal(session, world);
	});

	it('shows a deleted principal as "Identity not found" with type Unknown, and filters by type', async () => {
		const world = withVmIdentity();
		const principalId = systemPrincipalId(world, VM_APP);
		const after = apply(world, [
			{
				type: 'createRoleAssignment',
				role: 'Key Vault Secrets User',
				scope: VAULT,
				principalId,
				principalType: 'ServicePrincipal'
			},
			{ type: 'deleteResource', resourceId: VM_APP }
		]);
		renderBlade({ kind: 'resource', id: VAULT, section: 'iam' }, after);
		const table = screen.getByRole('table', { name: /Role assignments at this scope/ });
		const row = within(table).getByRole('row', { name: new RegExp(principalId) });
		expect(row).toHaveTextContent(t('identityNotFound'));
		expect(within(row).getAllByRole('cell')[0]).toHaveTextContent(t('unknown'));
		await fireEvent.change(screen.getByRole('combobox', { name: t('typeFilter') }), {
			target: { value: 'Unknown' }
		});
		const rows = within(screen.getByRole('table', { name: /Role assignments/ })).getAllByRole(
			'row'
		);
		expect(rows).toHaveLength(2);
		expect(screen.getByRole('status')).toHaveTextContent('1 of 2 role assignments');
	});

	it('Check access lists a managed identity’s assignments at this scope and inherited, not at child scopes', async () => {
		const world = withVmIdentity();
		const principalId = systemPrincipalId(world, VM_APP);
		const granted = apply(world, [
			{
				type: 'createRoleAssignment',
				role: 'Reader',
				scope: RG,
				principalId,
				principalType: 'ServicePrincipal'
			},
			{
				type: 'createRoleAssignment',
				role: 'Key Vault Secrets User',
				scope: VAULT,
				principalId,
				principalType: 'ServicePrincipal'
			}
		]);
		renderBlade({ kind: 'resourceGroup', id: RG, section: 'iam' }, granted);
		await fireEvent.click(screen.getByRole('tab', { name: t('checkAccess') }));
		await fireEvent.click(screen.getByRole('button', { name: t('checkAccess') }));
		const pane = await screen.findByRole('dialog', { name: t('checkAccess') });
		await fireEvent.click(within(pane).getByRole('radio', { name: t('managedIdentity') }));
		await fireEvent.click(within(pane).getByRole('button', { name: /vm-stock-app/ }));
		const result = screen.getByRole('table', { name: /Role assignments of vm-stock-app/ });
		expect(result).toHaveTextContent('Reader');
		expect(result).not.toHaveTextContent('Key Vault Secrets User');
		expect(screen.getByText(t('assignmentsPaneNote'))).toBeInTheDocument();
	});

	it('works at subscription scope and lists the roles with their data actions', async () => {
		renderBlade({ kind: 'subscription', section: 'iam' });
		const table = screen.getByRole('table', { name: /Role assignments/ });
		expect(within(table).getByRole('row', { name: /Sarah/ })).toHaveTextContent(t('thisResource'));
		await fireEvent.click(screen.getByRole('tab', { name: t('roles') }));
		const roles = screen.getByRole('table', { name: t('roles') });
		expect(
			within(roles).getByRole('rowheader', { name: 'Storage Blob Data Reader' })
		).toBeInTheDocument();
		await fireEvent.click(
			screen.getByRole('button', { name: `${t('view')} Storage Blob Data Reader` })
		);
		const details = await screen.findByRole('dialog', { name: 'Storage Blob Data Reader' });
		expect(details).toHaveTextContent(
			'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'
		);
		expect(DEFAULT_IDS.subscriptionId).toBeTruthy();
	});

	it('removes an assignment and says it keeps working until the removal has propagated', async () => {
		const world = withVmIdentity();
		const principalId = systemPrincipalId(world, VM_APP);
		const granted = apply(world, [
			{
				type: 'createRoleAssignment',
				role: 'Reader',
				scope: idOf('storageAccount', 'ststockdata'),
				principalId,
				principalType: 'ServicePrincipal'
			}
		]);
		const { session } = renderBlade(
			{ kind: 'resource', id: idOf('storageAccount', 'ststockdata'), section: 'iam' },
			granted
		);
		await fireEvent.click(screen.getByRole('button', { name: /Remove Reader for vm-stock-app/ }));
		expect(session.lastAction?.azCommand).toMatch(/^az role assignment delete --ids /);
		expect(screen.getByRole('row', { name: /vm-stock-app/ })).toHaveTextContent(
			'Removed: access ends in'
		);
		await expectSameAsTerminal(session, granted);
	});
});
