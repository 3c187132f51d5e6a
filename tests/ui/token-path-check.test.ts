import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import TokenPathCheck from '../../src/ui/TokenPathCheck.svelte';
import { readFileSync } from 'node:fs';
import {
	applyOperations,
	createDefaultWorld,
	createKeyRing,
	findResourcesByName,
	type KeyRing,
	type World
} from '../../src/core/index.ts';
import { importSigningKey } from '../../src/core/crypto/index.ts';
import { publishSigningKey } from '../../src/core/token/key-ring.ts';

/**
 * The default world with the fixture signing key published. (Making a new key needs @peculiar/x509 to sign a
 * certificate, which fails under jsdom's separate realm of byte arrays; the browser test covers that path.)
 */
async function keyedWorld(): Promise<{ world: World; keyRing: KeyRing }> {
	const fixtures = 'tests/fixtures/keys';
	const imported = await importSigningKey(
		readFileSync(`${fixtures}/test-signing-key.pem`, 'utf8'),
		readFileSync(`${fixtures}/test-signing-certificate.pem`, 'utf8')
	);
	if (!imported.ok) throw new Error(imported.error.message);
	const published = applyOperations(createDefaultWorld(), [publishSigningKey(imported.value)]);
	if (!published.ok) throw new Error(published.error.message);
	return { world: published.value.world, keyRing: createKeyRing([imported.value]) };
}

describe('TokenPathCheck', () => {
	it('runs the token path and lists every hop, the verdict and the claims', async () => {
		render(TokenPathCheck, await keyedWorld());
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
		const world = createDefaultWorld();
		const vm = findResourcesByName(world, 'vm-stock-app')[0]!;
		const removed = applyOperations(world, [{ type: 'deleteResource', resourceId: vm.id }]);
		if (!removed.ok) throw new Error(removed.error.message);
		render(TokenPathCheck, { world: removed.value.world });
		const button = screen.getByRole('button', { name: 'Request a token and read the secret' });
		await fireEvent.click(button);
		expect(await screen.findByRole('alert')).toHaveTextContent(
			'The world has no vm-stock-app or kv-stock.'
		);
		expect(button).not.toBeDisabled();
	});
});
