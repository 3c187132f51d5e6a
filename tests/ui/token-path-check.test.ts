import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import TokenPathCheck from '../../src/ui/TokenPathCheck.svelte';
import { createDefaultWorld } from '../../src/core/index.ts';
import { apply, keyedWorld, VM_APP } from '../fixtures/worlds.ts';

describe('TokenPathCheck', () => {
	it('runs the token path and lists every hop, the verdict and the claims', async () => {
		// The fixture key: making a new key needs @peculiar/x509 to sign a certificate, which fails under jsdom's
		// separate realm of byte arrays (the browser test covers that path).
		const { world, ring } = await keyedWorld();
		render(TokenPathCheck, { world, keyRing: ring });
		await fireEvent.click(
			screen.getByRole('button', { name: 'Request a token and read the secret' })
		);
		const status = await screen.findByRole('status', {}, { timeout: 20_000 });
		expect(status).toHaveTextContent('The secret was read.');
		const hops = within(
			screen.getByRole('list', { name: 'Hops of the token request' })
		).getAllByRole('listitem');
		expect(hops.length).toBeGreaterThanOrEqual(6);
		expect(screen.getByText(/Signature verified/)).toBeInTheDocument();
		const claims = screen.getByRole('table', { name: 'Claims of the access token' });
		expect(within(claims).getByRole('rowheader', { name: 'oid' })).toBeInTheDocument();
	});

	it('explains what went wrong when the world cannot be prepared, and keeps the button usable', async () => {
		const world = apply(createDefaultWorld(), [{ type: 'deleteResource', resourceId: VM_APP }]);
		render(TokenPathCheck, { world });
		const button = screen.getByRole('button', { name: 'Request a token and read the secret' });
		await fireEvent.click(button);
		expect(await screen.findByRole('alert')).toHaveTextContent(
			'The world has no vm-stock-app or kv-stock.'
		);
		expect(button).not.toBeDisabled();
	});
});
