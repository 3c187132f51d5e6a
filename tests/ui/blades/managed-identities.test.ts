import { describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/svelte';
import {
	checkName,
	createDefaultWorld,
	getResource,
	type Operation
} from '../../../src/core/index.ts';
import { t } from '../../../src/ui/blades/labels.ts';
import { apply, idOf } from '../../fixtures/worlds.ts';
import { expectNoAxeViolations, expectSameAsTerminal, renderBlade } from './helpers.ts';

const UAMI = idOf('userAssignedIdentity', 'id-stock-web');

describe('Managed Identities', () => {
	it('creates a user assigned identity, with the core’s name check inline, and opens its overview', async () => {
		const { session, view } = renderBlade({ kind: 'managedIdentities' });
		expect(screen.getByText(/No user assigned managed identities/)).toBeInTheDocument();
		await fireEvent.click(screen.getByRole('button', { name: t('create') }));
		expect(screen.getByRole('heading', { level: 1, name: t('createTitle') })).toBeInTheDocument();
		const name = screen.getByRole('textbox', { name: /Name/ });
		await fireEvent.input(name, { target: { value: 'x!' } });
		await fireEvent.click(screen.getByRole('button', { name: t('reviewCreate') }));
		expect(
			screen.getByText(checkName('userAssignedIdentity', 'x!') ?? 'missing')
		).toBeInTheDocument();
		expect(name).toHaveAttribute('aria-invalid', 'true');
		expect(name).toHaveAccessibleDescription(checkName('userAssignedIdentity', 'x!') ?? '');
		await expectNoAxeViolations();

		await fireEvent.input(name, { target: { value: 'id-stock-web' } });
		await fireEvent.click(screen.getByRole('button', { name: t('reviewCreate') }));
		expect(screen.getByText('westeurope')).toBeInTheDocument();
		await fireEvent.click(screen.getByRole('button', { name: t('createButton') }));
		const created = getResource(session.world, UAMI);
		expect(created?.kind).toBe('userAssignedIdentity');
		expect(view.blade).toEqual({ kind: 'resource', id: created?.id, section: 'overview' });
		if (created?.kind !== 'userAssignedIdentity') throw new Error('not created');
		expect(screen.getByText(created.clientId)).toBeInTheDocument();
		expect(screen.getByText(created.principalId)).toBeInTheDocument();
		expect(screen.getByText(created.id)).toBeInTheDocument();
		expect(session.lastAction?.azCommand).toBe(
			'az identity create -g rg-stock -n id-stock-web -l westeurope'
		);
		await expectSameAsTerminal(session, createDefaultWorld());
	});

	it('shows an operation’s refusal in the core’s words (the name is taken)', async () => {
		const world = apply(createDefaultWorld(), [
			{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock-web' }
		]);
		renderBlade({ kind: 'createIdentity' }, world);
		await fireEvent.input(screen.getByRole('textbox', { name: /Name/ }), {
			target: { value: 'id-stock-web' }
		});
		await fireEvent.click(screen.getByRole('button', { name: t('reviewCreate') }));
		await fireEvent.click(screen.getByRole('button', { name: t('createButton') }));
		expect(screen.getByRole('alert')).toHaveTextContent(
			"A user-assigned identity named 'id-stock-web' already exists in resource group 'rg-stock'."
		);
	});

	it('lists identities, their associated resources, and deletes one after a dialog listing up to 10 of them', async () => {
		const vms: Operation[] = Array.from({ length: 11 }, (_, i) => ({
			type: 'createVirtualMachine',
			resourceGroup: 'rg-stock',
			name: `vm-extra-${String(i + 1).padStart(2, '0')}`,
			identity: { userAssigned: [UAMI] }
		}));
		const world = apply(createDefaultWorld(), [
			{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock-web' },
			...vms
		]);
		const { session, view } = renderBlade({ kind: 'managedIdentities' }, world);
		const list = screen.getByRole('table', { name: 'User assigned managed identities' });
		expect(within(list).getByRole('row', { name: /id-stock-web/ })).toHaveTextContent('11');
		await fireEvent.click(within(list).getByRole('button', { name: 'id-stock-web' }));
		await fireEvent.click(screen.getByRole('button', { name: t('associatedResources') }));
		const associated = screen.getByRole('table', { name: /Associated resources of id-stock-web/ });
		expect(within(associated).getAllByRole('row')).toHaveLength(12);

		await fireEvent.click(screen.getByRole('button', { name: t('overview') }));
		await fireEvent.click(screen.getByRole('button', { name: t('delete') }));
		const dialog = await screen.findByRole('alertdialog');
		expect(dialog).toHaveTextContent("'id-stock-web' has 11 associated resources.");
		expect(within(dialog).getByText(t('simulatorWording'))).toBeInTheDocument();
		const listed = within(
			within(dialog).getByRole('list', { name: t('associatedResources') })
		).getAllByRole('listitem');
		expect(listed).toHaveLength(10);
		expect(dialog).toHaveTextContent(t('deleteNote'));
		await expectNoAxeViolations();
		await fireEvent.click(within(dialog).getByRole('button', { name: t('yes') }));
		expect(getResource(session.world, UAMI)).toBeUndefined();
		expect(view.blade.kind).toBe('resourceGroup');
		expect(session.lastAction?.azCommand).toBe('az identity delete -g rg-stock -n id-stock-web');
		await expectSameAsTerminal(session, world);
	});
});
