import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import CodeView from '../../../src/ui/code/CodeView.svelte';
import { labContextMap } from '../../../src/ui/lab/context.ts';
import { LabSession } from '../../../src/ui/lab/session.svelte.ts';
import { LabView } from '../../../src/ui/lab/view.svelte.ts';
import { createDefaultWorld, DEFAULT_GROUP, getResource } from '../../../src/core/index.ts';
import { idOf, VM_APP } from '../../fixtures/worlds.ts';

function setup() {
	const session = new LabSession(createDefaultWorld());
	const view = new LabView();
	view.show('code');
	render(CodeView, { context: labContextMap({ session, view }) });
	return { session, view };
}

function codeText(): string {
	return screen.getByRole('tabpanel').textContent ?? '';
}

describe('Code view', () => {
	it('shows vm-stock-app reading db-password, highlighted, with a client id exactly when needed', async () => {
		const { session } = setup();
		expect(screen.getByRole('combobox', { name: 'Code running on' })).toHaveValue(VM_APP);
		expect(codeText()).toContain('GetSecretAsync("db-password")');
		await waitFor(() =>
			expect(screen.getByRole('tabpanel').querySelector('.hljs-keyword')).not.toBeNull()
		);
		expect(codeText()).not.toContain('ManagedIdentityClientId');

		session.apply([{ type: 'enableSystemIdentity', resourceId: VM_APP }]);
		await waitFor(() =>
			expect(screen.getByText(/has one identity, the system-assigned one/)).toBeInTheDocument()
		);
		expect(codeText()).not.toContain('ManagedIdentityClientId');
		expect(screen.queryByRole('combobox', { name: 'As the identity' })).toBeNull();

		session.apply([
			{ type: 'createUserIdentity', resourceGroup: DEFAULT_GROUP, name: 'id-stock-app' },
			{
				type: 'assignUserIdentity',
				resourceId: VM_APP,
				identityId: idOf('userAssignedIdentity', 'id-stock-app')
			}
		]);
		const pick = await screen.findByRole('combobox', { name: 'As the identity' });
		expect(codeText()).not.toContain('ManagedIdentityClientId');
		await fireEvent.change(pick, {
			target: { value: idOf('userAssignedIdentity', 'id-stock-app') }
		});
		const uami = getResource(session.world, idOf('userAssignedIdentity', 'id-stock-app'));
		if (uami?.kind !== 'userAssignedIdentity') throw new Error('no uami');
		await waitFor(() =>
			expect(codeText()).toContain(`ManagedIdentityClientId = "${uami.clientId}"`)
		);
		expect(screen.getByText('Client id needed.')).toBeInTheDocument();

		await fireEvent.click(screen.getByRole('tab', { name: 'Python' }));
		await waitFor(() =>
			expect(codeText()).toContain(`managed_identity_client_id="${uami.clientId}"`)
		);
		await fireEvent.click(screen.getByRole('radio', { name: 'ManagedIdentityCredential' }));
		await waitFor(() =>
			expect(codeText()).toContain(`ManagedIdentityCredential(client_id="${uami.clientId}")`)
		);
	});
});
