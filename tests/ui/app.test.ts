import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from '../../src/ui/App.svelte';
import WorldOverview from '../../src/ui/WorldOverview.svelte';
import { createDefaultWorld, DEFAULT_IDS, findResourcesByName } from '../../src/core/index.ts';
import { apply, idOf, systemPrincipalId, VM_APP } from '../fixtures/worlds.ts';

/** The table whose caption contains `caption`. */
function table(caption: RegExp | string): HTMLElement {
	return screen.getByRole('table', { name: caption });
}

describe('App (home page)', () => {
	it('has one main landmark headed "Managed Identity Lab" and says the world is simulated', () => {
		render(App);
		const main = screen.getByRole('main');
		expect(within(main).getByRole('heading', { level: 1 })).toHaveTextContent(
			'Managed Identity Lab'
		);
		expect(main).toHaveTextContent(/overview of the simulated world/i);
	});

	it('shows the tenant and the subscription of the default world with their ids', () => {
		render(App);
		expect(screen.getByRole('heading', { level: 2, name: 'Tenant Contoso' })).toBeInTheDocument();
		expect(screen.getByText(DEFAULT_IDS.tenantId)).toBeInTheDocument();
		expect(
			screen.getByRole('heading', { level: 2, name: 'Subscription Contoso Production' })
		).toBeInTheDocument();
		expect(screen.getByText(DEFAULT_IDS.subscriptionId)).toBeInTheDocument();
		expect(screen.getByText('Tenant Root Group')).toBeInTheDocument();
	});

	it('lists rg-stock’s resources with type, location and identity', () => {
		render(App);
		const resources = table(/Resource group rg-stock/);
		const vm = within(resources).getByRole('row', { name: /^vm-stock-app\b/ });
		const cells = within(vm).getAllByRole('cell');
		expect(cells[0]).toHaveTextContent('Virtual machine');
		expect(cells[0]).toHaveTextContent('Microsoft.Compute/virtualMachines');
		expect(cells[1]).toHaveTextContent('westeurope');
		expect(cells[2]).toHaveTextContent('None');

		const vault = within(resources).getByRole('row', { name: /^kv-stock\b/ });
		expect(vault).toHaveTextContent('Key Vault');
		expect(vault).toHaveTextContent('Microsoft.KeyVault/vaults');
		expect(vault).toHaveTextContent('Not an identity host in this lab');

		for (const name of [
			'vm-stock-web-1',
			'vm-stock-web-2',
			'vm-stock-web-3',
			'ststockdata',
			'sql-stock',
			'stockdb',
			'app-stock-web',
			'func-stock-import'
		]) {
			expect(within(resources).getByRole('rowheader', { name })).toBeInTheDocument();
		}
		expect(within(resources).getByRole('row', { name: /^func-stock-import\b/ })).toHaveTextContent(
			'Function app'
		);
	});

	it('lists the on-premises server outside Azure', () => {
		render(App);
		const outside = table('Machines outside Azure');
		const row = within(outside).getByRole('row', { name: /^onprem-legacy-01\b/ });
		expect(row).toHaveTextContent('onprem-legacy-01.contoso.local');
	});

	it('lists the directory’s users and service principals with their ids', () => {
		render(App);
		const sarah = within(table('Users')).getByRole('row', { name: /^Sarah\b/ });
		expect(sarah).toHaveTextContent('sarah@contoso.onmicrosoft.com');
		expect(sarah).toHaveTextContent(DEFAULT_IDS.sarahId);

		const principals = table(/Service principals/);
		const msi = within(principals).getByRole('row', { name: /^Managed Service Identity\b/ });
		expect(msi).toHaveTextContent('Application');
		expect(msi).toHaveTextContent(DEFAULT_IDS.msiFirstPartyId);
		expect(msi).toHaveTextContent(DEFAULT_IDS.msiFirstPartyAppId);
	});
});

describe('WorldOverview', () => {
	it('shows system- and user-assigned identities and their service principals', () => {
		const identityId = idOf('userAssignedIdentity', 'id-stock-shared');
		const world = apply(createDefaultWorld(), [
			{ type: 'enableSystemIdentity', resourceId: VM_APP },
			{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock-shared' },
			{ type: 'assignUserIdentity', resourceId: VM_APP, identityId }
		]);
		const identity = findResourcesByName(world, 'id-stock-shared', 'userAssignedIdentity')[0];
		if (identity?.kind !== 'userAssignedIdentity') throw new Error('no id-stock-shared');
		const principalId = systemPrincipalId(world, VM_APP);

		render(WorldOverview, { world });
		const resources = table(/Resource group rg-stock/);
		const vmRow = within(resources).getByRole('row', { name: /^vm-stock-app\b/ });
		expect(vmRow).toHaveTextContent(`System-assigned, principal ID ${principalId}`);
		expect(vmRow).toHaveTextContent('User-assigned: id-stock-shared');

		const identityRow = within(resources).getByRole('row', { name: /^id-stock-shared\b/ });
		expect(identityRow).toHaveTextContent('User-assigned managed identity');
		expect(identityRow).toHaveTextContent(identity.clientId);

		const principals = table(/Service principals/);
		const vmPrincipal = within(principals).getByRole('row', { name: /^vm-stock-app\b/ });
		expect(vmPrincipal).toHaveTextContent('ManagedIdentity');
		expect(vmPrincipal).toHaveTextContent(principalId);
		expect(within(principals).getByRole('row', { name: /^id-stock-shared\b/ })).toHaveTextContent(
			identity.principalId
		);
	});
});
