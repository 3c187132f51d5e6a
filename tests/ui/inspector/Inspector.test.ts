import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import Inspector from '../../../src/ui/inspector/Inspector.svelte';
import { labContextMap } from '../../../src/ui/lab/context.ts';
import { LabSession } from '../../../src/ui/lab/session.svelte.ts';
import { LabView } from '../../../src/ui/lab/view.svelte.ts';
import { encodePart } from '../../../src/ui/inspector/token.ts';
import { enableSystem, keyedWorld, systemPrincipalId, VM_APP } from '../../fixtures/worlds.ts';

// Making a new key self-signs an X.509 certificate (@peculiar/x509), which Node's Web Crypto refuses under
// jsdom (its buffers come from another realm); the core's rollover is tested in tests/core. Here the rolled
// key is the fixture key published under a new kid: the old kid disappears from the JWKS all the same.
vi.mock('../../../src/core/index.ts', async (importOriginal) => {
	const core = await importOriginal<typeof import('../../../src/core/index.ts')>();
	const { loadFixtureKey } = await import('../../fixtures/worlds.ts');
	return {
		...core,
		rolloverSigningKey: async (
			_world: unknown,
			ring: import('../../../src/core/index.ts').KeyRing
		) => {
			const fixture = await loadFixtureKey();
			const key = {
				...fixture,
				kid: 'rolled-over-key',
				publicJwk: { ...fixture.publicJwk, kid: 'rolled-over-key' }
			};
			ring.add(key);
			return {
				key,
				operations: [
					{ type: 'addSigningKey', key: { kid: key.kid, x5t: key.x5t, jwk: { ...key.publicJwk } } }
				]
			};
		}
	};
});

const IMDS =
	'curl -s -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net"';

async function labWithToken(): Promise<{ session: LabSession; view: LabView; token: string }> {
	const { world, ring } = await keyedWorld();
	const session = new LabSession(enableSystem(world, VM_APP), {
		keyRing: ring,
		wait: async () => {}
	});
	await session.run('ssh vm-stock-app');
	const entry = await session.run(IMDS);
	const token = entry.tokens[0];
	if (!token) throw new Error(`no token in ${entry.stdout}${entry.stderr}`);
	const view = new LabView();
	render(Inspector, { context: labContextMap({ session, view }) });
	return { session, view, token };
}

function verdict(): HTMLElement {
	return screen.getAllByRole('status').find((s) => s.classList.contains('status')) as HTMLElement;
}

describe('JWT inspector', () => {
	it('verifies a token the lab issued and explains its claims in this world', async () => {
		const { session, token } = await labWithToken();
		const pick = screen.getByRole('combobox', { name: 'Tokens the lab issued' });
		await fireEvent.change(pick, { target: { value: token } });
		expect(session.inspectedToken).toBe(token);
		await waitFor(() => expect(verdict()).toHaveTextContent('Signature verified'));
		const claims = screen.getByRole('table', { name: /Claims of the token/ });
		const oid = within(claims).getByRole('row', { name: /^oid\b/ });
		expect(oid).toHaveTextContent(systemPrincipalId(session.world, VM_APP));
		expect(oid).toHaveTextContent('the system-assigned identity of vm-stock-app');
		expect(within(claims).getByRole('row', { name: /^xms_mirid\b/ })).toHaveTextContent(
			'(vm-stock-app)'
		);
		expect(within(claims).getByRole('row', { name: /^exp\b/ })).toHaveTextContent(
			/expires at .* \(in /
		);
		expect(within(claims).getByRole('row', { name: /^aud\b/ })).toHaveTextContent(
			'Azure Key Vault'
		);
	});

	it('a tampered payload fails verification with the reason, and Key Vault answers 401', async () => {
		const { session, token } = await labWithToken();
		session.inspect(token);
		await waitFor(() => expect(verdict()).toHaveTextContent('Signature verified'));
		const payload = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Payload (JSON)' });
		const edited = JSON.parse(payload.value) as Record<string, unknown>;
		edited.oid = '00000000-0000-0000-0000-000000000000';
		await fireEvent.input(payload, { target: { value: JSON.stringify(edited) } });
		await fireEvent.click(screen.getByRole('button', { name: 'Apply the payload' }));
		expect(session.inspectedToken).not.toBe(token);
		expect(screen.getByText(/Edited \(re-encoded, not re-signed\)/)).toBeInTheDocument();
		await waitFor(() =>
			expect(verdict()).toHaveTextContent(
				'Verification failed (ERR_JWS_SIGNATURE_VERIFICATION_FAILED)'
			)
		);
		await fireEvent.change(screen.getByRole('combobox', { name: 'Request' }), {
			target: { value: 'keyVault' }
		});
		await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
		const reply = await screen.findByRole('region', { name: 'Service response' });
		expect(reply).toHaveTextContent('401 Unauthorized');
		expect(reply).toHaveTextContent(/"code": "Unauthorized"/);
		expect(session.exchanges.at(-1)?.label).toMatch(/^JWT inspector: GET https:\/\/kv-stock/);
		expect(session.world.events.at(-1)).toMatchObject({ kind: 'serviceCall', status: 401 });
	});

	it('says precisely why text is not a JWT', async () => {
		await labWithToken();
		const box = screen.getByRole('textbox', { name: /Token \(JWT\)/ });
		await fireEvent.input(box, { target: { value: 'abc.def' } });
		expect(screen.getByText(/has 2 parts/)).toBeInTheDocument();
		await fireEvent.input(box, { target: { value: 'eyJhbGciOi$.abcd.efgh' } });
		expect(screen.getByText(/header \(part 1\) contains "\$"/)).toBeInTheDocument();
		await fireEvent.input(box, {
			target: { value: `${btoa('hello').replace(/=+$/, '')}.abcd.efgh` }
		});
		expect(
			screen.getByText(/header \(part 1\) decodes to text that is not JSON/)
		).toBeInTheDocument();
		await fireEvent.input(box, {
			target: { value: `${encodePart({ alg: 'RS256' })}.${encodePart([1, 2])}.efgh` }
		});
		expect(screen.getByText(/payload \(part 2\) decodes to JSON an array/)).toBeInTheDocument();
		const header = screen.queryByRole('textbox', { name: 'Header (JSON)' });
		expect(header).toBeNull();
	});

	it('reports bad JSON typed into an editor instead of re-encoding it', async () => {
		const { session, token } = await labWithToken();
		session.inspect(token);
		const header = await screen.findByRole('textbox', { name: 'Header (JSON)' });
		await fireEvent.input(header, { target: { value: '{"alg": RS256}' } });
		await fireEvent.click(screen.getByRole('button', { name: 'Apply the header' }));
		expect(screen.getByRole('alert')).toHaveTextContent('The header is not valid JSON');
		expect(session.inspectedToken).toBe(token);
	});

	it('the alg: none variant has no signature and fails verification', async () => {
		const { session, token } = await labWithToken();
		session.inspect(token);
		await fireEvent.click(await screen.findByRole('button', { name: /alg: none/ }));
		expect(session.inspectedToken).toMatch(/\.$/);
		expect(screen.getByText(/No signature at all/)).toBeInTheDocument();
		await waitFor(() => expect(verdict()).toHaveTextContent('Verification failed'));
		expect(verdict()).toHaveTextContent(/ERR_JOSE_ALG_NOT_ALLOWED|ERR_JWS_INVALID/);
	});

	it('after a key rollover the old token still verifies; once its key is retired it does not', async () => {
		const { session, token } = await labWithToken();
		session.inspect(token);
		await waitFor(() => expect(verdict()).toHaveTextContent('Signature verified'));
		const oldKid = session.world.signingKeys[0]?.kid ?? '';
		await fireEvent.click(screen.getByRole('button', { name: 'Roll over to a new key' }));
		await waitFor(() => expect(session.world.signingKeys).toHaveLength(2));
		await waitFor(() => expect(verdict()).toHaveTextContent('Signature verified'));
		await fireEvent.click(screen.getByRole('button', { name: `Retire ${oldKid.slice(0, 8)}…` }));
		expect(session.world.signingKeys.map((k) => k.kid)).not.toContain(oldKid);
		await waitFor(() => expect(verdict()).toHaveTextContent('ERR_JWKS_NO_MATCHING_KEY'));
	});
});
