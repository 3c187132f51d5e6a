import { describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { createDefaultWorld, DEFAULT_IDS } from '../../../src/core/index.ts';
import { t } from '../../../src/ui/blades/labels.ts';
import { apply, RG, systemIdentityOf, VM_APP } from '../../fixtures/worlds.ts';
import { expectNoAxeViolations, renderBlade } from './helpers.ts';

describe('Enterprise applications, audit and activity logs, overviews', () => {
	it('filters Application type == Managed Identities and shows a managed identity without a Homepage URL', async () => {
		const world = apply(createDefaultWorld(), [
			{ type: 'enableSystemIdentity', resourceId: VM_APP }
		]);
		const identity = systemIdentityOf(world, VM_APP);
		const { view } = renderBlade({ kind: 'enterpriseApps' }, world);
		expect(screen.getByText(/Application type == Managed Identities/)).toBeInTheDocument();
		const table = screen.getByRole('table', { name: t('enterpriseApps') });
		expect(
			within(table).queryByRole('button', { name: 'stock-app-legacy' })
		).not.toBeInTheDocument();
		await fireEvent.change(screen.getByRole('combobox', { name: 'Application type' }), {
			target: { value: 'all' }
		});
		await fireEvent.click(screen.getByRole('button', { name: t('apply') }));
		expect(within(table).getByRole('button', { name: 'stock-app-legacy' })).toBeInTheDocument();
		await fireEvent.click(within(table).getByRole('button', { name: 'vm-stock-app' }));
		expect(view.blade).toEqual({ kind: 'servicePrincipal', id: identity?.principalId });
		const value = (label: string) => screen.getByText(label, { selector: 'dt' }).nextElementSibling;
		expect(value(t('applicationId'))).toHaveTextContent(identity?.clientId ?? 'missing');
		expect(value(t('objectIdPlain'))).toHaveTextContent(identity?.principalId ?? 'missing');
		expect(value(t('homepageUrl'))).toHaveTextContent(/^None/);
		await expectNoAxeViolations();
	});

	it('Audit logs name the Managed Service Identity actor; the Activity log lists the write', async () => {
		const { session, view } = renderBlade({ kind: 'auditLogs' });
		expect(screen.getByText(/No directory change yet/)).toBeInTheDocument();
		await session.run('az vm identity assign -g rg-stock -n vm-stock-app');
		await tick();
		const audit = screen.getByRole('table', { name: t('auditLogs') });
		const row = within(audit).getByRole('row', { name: /Add service principal/ });
		expect(row).toHaveTextContent('Managed Service Identity');
		expect(row).toHaveTextContent('vm-stock-app');
		view.open({ kind: 'subscription', section: 'activityLog' });
		await tick();
		const activity = screen.getByRole('table', { name: t('activityLog') });
		expect(
			within(activity).getByRole('rowheader', { name: /Microsoft.Compute\/virtualMachines\/write/ })
		).toBeInTheDocument();
		await expectNoAxeViolations();
	});

	it('the JSON View shows the resource as ARM returns it, identity included', () => {
		const world = apply(createDefaultWorld(), [
			{ type: 'enableSystemIdentity', resourceId: VM_APP }
		]);
		renderBlade({ kind: 'resource', id: VM_APP, section: 'json' }, world);
		const json = screen.getByRole('region', { name: `${t('jsonView')} of vm-stock-app` });
		const parsed = JSON.parse(json.textContent ?? '') as { identity: unknown };
		expect(parsed.identity).toEqual({
			type: 'SystemAssigned',
			principalId: systemIdentityOf(world, VM_APP)?.principalId,
			tenantId: DEFAULT_IDS.tenantId
		});
	});

	it('resource group and subscription overviews list what they hold', async () => {
		const { view } = renderBlade({ kind: 'subscription', section: 'overview' });
		expect(screen.getByRole('rowheader', { name: 'rg-stock' })).toBeInTheDocument();
		view.open({ kind: 'resourceGroup', id: RG, section: 'overview' });
		await tick();
		const resources = screen.getByRole('table', { name: /Resources of rg-stock/ });
		for (const name of [
			'vm-stock-app',
			'kv-stock',
			'ststockdata',
			'app-stock-web',
			'func-stock-import'
		])
			expect(within(resources).getByRole('button', { name })).toBeInTheDocument();
		await fireEvent.click(within(resources).getByRole('button', { name: 'vm-stock-app' }));
		expect(view.blade).toEqual({ kind: 'resource', id: VM_APP, section: 'overview' });
		expect(screen.getByText(VM_APP)).toBeInTheDocument();
		await expectNoAxeViolations();
	});

	it('a deleted resource’s blade says so', async () => {
		const { session } = renderBlade({ kind: 'resource', id: VM_APP, section: 'identity' });
		await session.run('az vm delete -g rg-stock -n vm-stock-app --yes');
		await tick();
		expect(screen.getByRole('alert')).toHaveTextContent('does not exist (any more)');
	});
});
