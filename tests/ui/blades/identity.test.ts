import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { getResource, isIdentityHost, type World } from '../../../src/core/index.ts';
import { enableBody, t } from '../../../src/ui/blades/labels.ts';
import { apply, idOf, VM_APP } from '../../fixtures/worlds.ts';
import { createDefaultWorld } from '../../../src/core/index.ts';
import { expectNoAxeViolations, expectSameAsTerminal, renderBlade } from './helpers.ts';

const UAMI = idOf('userAssignedIdentity', 'id-stock-web');

function systemId(world: World, id: string): string | undefined {
	const r = getResource(world, id);
	return r && isIdentityHost(r) ? r.identity.systemAssigned?.principalId : undefined;
}

async function enableThroughDialog(name: string): Promise<void> {
	await fireEvent.click(screen.getByRole('switch', { name: t('status') }));
	await fireEvent.click(screen.getByRole('button', { name: /Save/ }));
	const dialog = await screen.findByRole('alertdialog', { name: t('enableTitle') });
	expect(dialog).toHaveTextContent(enableBody(name));
	await fireEvent.click(within(dialog).getByRole('button', { name: t('yes') }));
}

describe('Identity blade', () => {
	it('enables the system assigned identity through the dialog and shows the object id the world has', async () => {
		const { session, view } = renderBlade({ kind: 'resource', id: VM_APP, section: 'identity' });
		expect(screen.getByText(t('systemAssignedHelp'))).toBeInTheDocument();
		expect(screen.getByRole('switch', { name: t('status') })).toHaveAttribute(
			'aria-checked',
			'false'
		);
		expect(screen.getByRole('button', { name: /Save/ })).toBeDisabled();
		await enableThroughDialog('vm-stock-app');
		const principalId = systemId(session.world, VM_APP);
		expect(principalId).toMatch(/^[0-9a-f-]{36}$/);
		expect(await screen.findByText(principalId ?? '')).toBeInTheDocument();
		expect(screen.getByText(t('objectPrincipalId'), { selector: 'dt' })).toBeInTheDocument();
		expect(
			screen.getByRole('button', { name: `Copy ${t('objectPrincipalId')}` })
		).toBeInTheDocument();
		expect(session.world.events.some((e) => e.kind === 'directoryAudit')).toBe(true);

		// The What happened strip: the ARM PATCH, the directory change and the az line.
		const strip = screen.getByText(t('whatHappened')).closest('details') as HTMLElement;
		expect(strip).toHaveTextContent('PATCH https://management.azure.com/subscriptions/');
		expect(strip).toHaveTextContent('"type": "SystemAssigned"');
		expect(strip).toHaveTextContent('Add service principal by Managed Service Identity');
		expect(strip).toHaveTextContent('az vm identity assign -g rg-stock -n vm-stock-app');
		await fireEvent.click(within(strip).getByRole('button', { name: t('runInTerminal') }));
		expect(view.terminalDraft).toEqual({
			line: 'az vm identity assign -g rg-stock -n vm-stock-app',
			run: true
		});
		await fireEvent.click(within(strip).getByRole('button', { name: t('putInTerminal') }));
		expect(view.terminalDraft?.run).toBe(false);
		await expectNoAxeViolations();
		await expectSameAsTerminal(session, createDefaultWorld());

		// The strip belongs to the blade the action was made in: another blade opens without it.
		view.open({ kind: 'resource', id: VM_APP, section: 'iam' });
		await tick();
		expect(screen.queryByText(t('whatHappened'))).not.toBeInTheDocument();
	});

	it.each([
		['scale set', 'virtualMachineScaleSet', 'vmss-stock'],
		['web app', 'webApp', 'app-stock-web'],
		['function app', 'functionApp', 'func-stock-import']
	] as const)('works for a %s', async (_label, kind, name) => {
		const world = apply(createDefaultWorld(), [
			{ type: 'createScaleSet', resourceGroup: 'rg-stock', name: 'vmss-stock' }
		]);
		const id = idOf(kind, name);
		const { session } = renderBlade({ kind: 'resource', id, section: 'identity' }, world);
		await enableThroughDialog(name);
		expect(await screen.findByText(systemId(session.world, id) ?? 'missing')).toBeInTheDocument();
		await expectSameAsTerminal(session, world);
	});

	it('No keeps the identity off', async () => {
		const { session } = renderBlade({ kind: 'resource', id: VM_APP, section: 'identity' });
		await fireEvent.click(screen.getByRole('switch', { name: t('status') }));
		await fireEvent.click(screen.getByRole('button', { name: /Save/ }));
		const dialog = await screen.findByRole('alertdialog');
		await fireEvent.click(within(dialog).getByRole('button', { name: t('no') }));
		expect(systemId(session.world, VM_APP)).toBeUndefined();
		expect(session.lastAction).toBeNull();
	});

	it('shows a change made in the terminal', async () => {
		const { session } = renderBlade({ kind: 'resource', id: VM_APP, section: 'identity' });
		expect(screen.queryByText(t('objectPrincipalId'), { selector: 'dt' })).not.toBeInTheDocument();
		const entry = await session.run('az vm identity assign -g rg-stock -n vm-stock-app');
		expect(entry.exitCode).toBe(0);
		await tick();
		expect(screen.getByText(systemId(session.world, VM_APP) ?? 'missing')).toBeInTheDocument();
		expect(screen.getByRole('switch', { name: t('status') })).toHaveAttribute(
			'aria-checked',
			'true'
		);
	});

	it('disables the identity after a confirmation marked as simulator wording', async () => {
		const world = apply(createDefaultWorld(), [
			{ type: 'enableSystemIdentity', resourceId: VM_APP }
		]);
		const { session } = renderBlade({ kind: 'resource', id: VM_APP, section: 'identity' }, world);
		await fireEvent.click(screen.getByRole('switch', { name: t('status') }));
		await fireEvent.click(screen.getByRole('button', { name: /Save/ }));
		const dialog = await screen.findByRole('alertdialog', { name: new RegExp(t('disableTitle')) });
		expect(within(dialog).getByText(t('simulatorWording'))).toBeInTheDocument();
		await fireEvent.click(within(dialog).getByRole('button', { name: t('yes') }));
		expect(systemId(session.world, VM_APP)).toBeUndefined();
		expect(session.lastAction?.azCommand).toBe('az vm identity remove -g rg-stock -n vm-stock-app');
		expect(session.lastAction?.events.map((e) => e.kind)).toContain('directoryAudit');
		await expectSameAsTerminal(session, world);
	});

	it('adds a user assigned identity from the subscription and removes it with confirmation', async () => {
		const world = apply(createDefaultWorld(), [
			{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock-web' }
		]);
		const { session } = renderBlade({ kind: 'resource', id: VM_APP, section: 'identity' }, world);
		await fireEvent.click(screen.getByRole('tab', { name: t('userAssigned') }));
		expect(screen.getByText(t('userAssignedHelp'))).toBeInTheDocument();
		await fireEvent.click(screen.getByRole('button', { name: t('add') }));
		const picker = await screen.findByRole('dialog', { name: t('addUserTitle') });
		await fireEvent.click(within(picker).getByRole('checkbox', { name: /id-stock-web/ }));
		await fireEvent.click(within(picker).getByRole('button', { name: t('addButton') }));
		const host = getResource(session.world, VM_APP);
		expect(host && isIdentityHost(host) ? host.identity.userAssigned : []).toEqual([UAMI]);
		await expectSameAsTerminal(session, world);
		const assigned = session.world;
		const table = screen.getByRole('table', { name: /User assigned managed identities/ });
		expect(within(table).getByRole('rowheader', { name: 'id-stock-web' })).toBeInTheDocument();

		await fireEvent.click(screen.getByRole('checkbox', { name: 'Select id-stock-web' }));
		await fireEvent.click(screen.getByRole('button', { name: t('remove') }));
		const confirm = await screen.findByRole('alertdialog');
		expect(confirm).toHaveTextContent("Remove the user assigned managed identity 'id-stock-web'");
		await fireEvent.click(within(confirm).getByRole('button', { name: t('yes') }));
		const after = getResource(session.world, VM_APP);
		expect(after && isIdentityHost(after) ? after.identity.userAssigned : null).toEqual([]);
		expect(session.lastAction?.azCommand).toBe(
			`az vm identity remove -g rg-stock -n vm-stock-app --identities ${UAMI}`
		);
		await expectSameAsTerminal(session, assigned);
	});

	it('adds a role assignment from Azure role assignments, and shows a refusal inline in the core’s words', async () => {
		const world = apply(createDefaultWorld(), [
			{ type: 'enableSystemIdentity', resourceId: VM_APP }
		]);
		const { session } = renderBlade({ kind: 'resource', id: VM_APP, section: 'identity' }, world);
		await fireEvent.click(screen.getByRole('button', { name: t('azureRoleAssignments') }));
		const add = async () => {
			await fireEvent.click(screen.getByRole('button', { name: t('addRoleAssignmentPreview') }));
			const pane = await screen.findByRole('dialog', { name: t('addRoleAssignmentPreview') });
			await fireEvent.change(within(pane).getByRole('combobox', { name: t('scope') }), {
				target: { value: 'keyVault' }
			});
			await fireEvent.change(within(pane).getByRole('combobox', { name: 'Resource' }), {
				target: { value: idOf('keyVault', 'kv-stock') }
			});
			await fireEvent.change(within(pane).getByRole('combobox', { name: t('role') }), {
				target: { value: '4633458b-17de-408a-b874-0445c86b69e6' }
			});
			await fireEvent.click(within(pane).getByRole('button', { name: t('save') }));
			return pane;
		};
		await add();
		await waitFor(() =>
			expect(
				screen.getByRole('table', { name: /Azure role assignments of vm-stock-app/ })
			).toHaveTextContent('Key Vault Secrets User')
		);
		const principalId = systemId(session.world, VM_APP);
		expect(
			Object.values(session.world.roleAssignments).some((a) => a.principalId === principalId)
		).toBe(true);
		await expectSameAsTerminal(session, world);
		const pane = await add();
		expect(within(pane).getByRole('alert')).toHaveTextContent(
			'The role assignment already exists.'
		);
	});
});
