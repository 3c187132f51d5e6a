import './match-media.ts';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
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
		detail: 'No role assignment grants the data action: assign Key Vault Secrets User on kv-stock.',
		trace: {
			kind: 'rbac',
			rbac: {
				principalId: 'p1',
				action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
				plane: 'data',
				scope:
					'/subscriptions/s/resourceGroups/rg-stock/providers/Microsoft.KeyVault/vaults/kv-stock',
				scopeLabel: 'key vault kv-stock',
				assignments: [
					{
						roleName: 'Reader',
						scope: '/subscriptions/s/resourceGroups/rg-stock',
						scopeLabel: 'resource group rg-stock',
						state: 'effective',
						secondsLeft: null,
						includesAction: false,
						granted: false
					}
				],
				allowed: false,
				reason: 'Denied.',
				suggestion: 'Assign Key Vault Secrets User.'
			}
		}
	},
	{
		id: 'h4',
		from: 'service',
		to: 'app',
		kind: 'response',
		title: '403 Forbidden',
		response: { status: 403, statusText: 'Forbidden', headers: {}, body: '{"error":{}}' },
		ok: false,
		detail: 'Key Vault answers 403.'
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
				name: /^1\. GET \/metadata\/identity\/oauth2\/token — Step 1: App code sends Identity endpoint: GET \/metadata\/identity\/oauth2\/token\./
			})
		).toBeInTheDocument();
		const twin = screen.getByRole('list', { name: 'Steps in words' });
		expect(twin.querySelectorAll(':scope > li')).toHaveLength(4);
		expect(screen.getByText('Step 1 of 4')).toBeInTheDocument();
		expect(screen.getByLabelText('Raw request')).toHaveTextContent(
			`GET ${url} HTTP/1.1 Metadata: true`
		);
	});

	it('steps forward and back, and shows the response raw', async () => {
		history.replaceState(null, '', '#/sandbox');
		show();
		await fireEvent.click(screen.getByRole('button', { name: 'Forward ▶' }));
		expect(screen.getByText('Step 2 of 4')).toBeInTheDocument();
		expect(screen.getByLabelText('Raw response')).toHaveTextContent('HTTP/1.1 200 OK');
		expect(location.hash).toBe('#/sandbox/flow/2');
		// Outside the sandbox (a lesson, a presentation) the address is left alone.
		history.replaceState(null, '', '#/present/call-key-vault/3');
		await fireEvent.click(screen.getByRole('button', { name: 'Forward ▶' }));
		expect(location.hash).toBe('#/present/call-key-vault/3');
		await fireEvent.click(screen.getByRole('button', { name: '◀ Back' }));
		await fireEvent.click(screen.getByRole('button', { name: '◀ Back' }));
		expect(screen.getByText('Step 1 of 4')).toBeInTheDocument();
	});

	it('stops red at the failed check, with ✗, text, the explanation and the decision trace', () => {
		show(3);
		expect(screen.getByText('Step 3 of 4 — failed here')).toBeInTheDocument();
		const why = screen.getByRole('note', { name: 'Why it failed' });
		expect(why).toHaveTextContent('Failed here: why');
		expect(why).toHaveTextContent('assign Key Vault Secrets User on kv-stock');
		const trace = screen.getByRole('list', { name: 'Decision trace' });
		const items = [...trace.querySelectorAll('li')].map((li) =>
			li.textContent?.replace(/\s+/g, ' ').trim()
		);
		expect(items).toEqual([
			'• Needs Microsoft.KeyVault/vaults/secrets/getSecret/action (data plane) on key vault kv-stock',
			'✗ Failed: Reader at resource group rg-stock: does not include it',
			'✗ Failed: Denied: no assignment grants the action'
		]);
		// The same trace is drawn inside the service's lifeline.
		expect(document.querySelectorAll('.traces text.trace')).toHaveLength(3);
		const row = screen.getByRole('button', {
			name: /— Step 3: Target service checks: .* Failed\./
		});
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

	it('labels the fields that matter in the raw request: Metadata: true and why', () => {
		show(1);
		const notes = screen.getAllByRole('definition');
		const fields = screen.getAllByRole('term').map((t) => t.textContent);
		expect(fields).toEqual([
			'api-version=2018-02-01',
			'resource=https://vault.azure.net',
			'Metadata: true'
		]);
		expect(notes[2]).toHaveTextContent(/Required by IMDS.*server-side request forgery/);
	});

	it('runs the request in the terminal with "Run it"', async () => {
		const { view } = show(1);
		await fireEvent.click(screen.getByRole('button', { name: 'Run it' }));
		expect(view.terminalDraft).toEqual({
			line: `curl -s -H 'Metadata: true' '${url}'`,
			run: true
		});
	});

	it('plays hop by hop and stops red at the failed hop; speed is a pressed button', async () => {
		show(1);
		const speed = screen.getByRole('group', { name: 'Speed' });
		await fireEvent.click(within(speed).getByRole('button', { name: '2×' }));
		expect(within(speed).getByRole('button', { name: '2×' })).toHaveAttribute(
			'aria-pressed',
			'true'
		);
		await fireEvent.click(screen.getByRole('button', { name: '▶ Play' }));
		await waitFor(() => expect(screen.getByText('Step 3 of 4 — failed here')).toBeInTheDocument());
		await waitFor(() => expect(screen.getByRole('button', { name: '▶ Play' })).toBeInTheDocument());
	});

	it('steps with the arrow keys on the diagram', async () => {
		show(1);
		const svg = screen.getByRole('group', { name: /^Token flow: curl/ });
		await fireEvent.keyDown(svg, { key: 'ArrowRight' });
		expect(screen.getByText('Step 2 of 4')).toBeInTheDocument();
		await fireEvent.keyDown(svg, { key: 'End' });
		expect(screen.getByText('Step 4 of 4 — failed here')).toBeInTheDocument();
		await fireEvent.keyDown(svg, { key: 'Home' });
		expect(screen.getByText('Step 1 of 4')).toBeInTheDocument();
	});
});
