import './match-media.ts';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import TokenFlow from '../../../src/ui/diagrams/TokenFlow.svelte';
import { labContextMap } from '../../../src/ui/lab/context.ts';
import { LabSession } from '../../../src/ui/lab/session.svelte.ts';
import { LabView } from '../../../src/ui/lab/view.svelte.ts';
import { createDefaultWorld, type Hop } from '../../../src/core/index.ts';

const url =
	'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net';
const hops: Hop[] = [
	{
		id: 'h1',
		from: 'app',
		to: 'identityEndpoint',
		kind: 'request',
		title: 'GET /metadata/identity/oauth2/token',
		request: { method: 'GET', url, headers: { Metadata: 'true' } },
		ok: true,
		detail: 'The app asks IMDS for a token for Key Vault.'
	},
	{
		id: 'h2',
		from: 'identityEndpoint',
		to: 'app',
		kind: 'response',
		title: '200 OK',
		response: {
			status: 200,
			statusText: 'OK',
			headers: { 'Content-Type': 'application/json' },
			body: '{"access_token":"eyJ…"}'
		},
		ok: true,
		detail: 'IMDS returns a token.'
	},
	{
		id: 'h3',
		from: 'service',
		to: 'service',
		kind: 'check',
		title: 'RBAC: Microsoft.KeyVault/vaults/secrets/getSecret/action',
		ok: false,
		detail: 'No role assignment grants the data action: assign Key Vault Secrets User on kv-stock.'
	}
];

function show(step: number | null = null) {
	const session = new LabSession(createDefaultWorld(), { wait: () => Promise.resolve() });
	const view = new LabView();
	session.recordExchange('terminal', `curl -H Metadata:true '${url}'`, hops);
	render(TokenFlow, { props: { step, instant: true }, context: labContextMap({ session, view }) });
	return { session, view };
}

describe('TokenFlow', () => {
	it('says what to do when nothing has been requested yet', () => {
		const session = new LabSession(createDefaultWorld(), { wait: () => Promise.resolve() });
		render(TokenFlow, { context: labContextMap({ session, view: new LabView() }) });
		expect(screen.getByText(/No token request yet/)).toBeInTheDocument();
	});

	it('draws one labelled row per hop, with a title, a description and the steps in words', () => {
		show();
		expect(screen.getByRole('group', { name: /^Token flow: curl/ })).toHaveAttribute(
			'aria-describedby',
			'flow-desc flow-twin'
		);
		expect(
			screen.getByRole('button', {
				name: /^Step 1: App code sends Identity endpoint: GET \/metadata\/identity\/oauth2\/token\./
			})
		).toBeInTheDocument();
		const twin = screen.getByRole('list', { name: 'Steps in words' });
		expect(twin.querySelectorAll('li')).toHaveLength(3);
		expect(screen.getByText('Step 1 of 3')).toBeInTheDocument();
		expect(screen.getByLabelText('Raw request')).toHaveTextContent(
			`GET ${url} HTTP/1.1 Metadata: true`
		);
	});

	it('steps forward and back, and shows the response raw', async () => {
		show();
		await fireEvent.click(screen.getByRole('button', { name: 'Forward ▶' }));
		expect(screen.getByText('Step 2 of 3')).toBeInTheDocument();
		expect(screen.getByLabelText('Raw response')).toHaveTextContent('HTTP/1.1 200 OK');
		expect(location.hash).toBe('#/sandbox/flow/2');
		await fireEvent.click(screen.getByRole('button', { name: '◀ Back' }));
		expect(screen.getByText('Step 1 of 3')).toBeInTheDocument();
	});

	it('stops red at the failed check, with ✗, text and the explanation', () => {
		show(3);
		expect(screen.getByText('Step 3 of 3')).toBeInTheDocument();
		expect(screen.getByText('✗ Failed here')).toBeInTheDocument();
		expect(
			screen.getByText(/assign Key Vault Secrets User on kv-stock/, { selector: 'p' })
		).toBeInTheDocument();
		const row = screen.getByRole('button', { name: /^Step 3: Target service checks: .* Failed\./ });
		expect(row).toHaveClass('bad');
	});

	it('puts the request as a terminal line with "Put in terminal"', async () => {
		const { view } = show(1);
		await fireEvent.click(screen.getByRole('button', { name: 'Put in terminal' }));
		expect(view.terminalDraft).toEqual({
			line: `curl -s -H 'Metadata: true' '${url}'`,
			run: false
		});
		expect(view.dockTab).toBe('terminal');
	});
});
