import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import Terminal from '../../../src/ui/terminal/Terminal.svelte';
import { labContextMap } from '../../../src/ui/lab/context.ts';
import { LabSession } from '../../../src/ui/lab/session.svelte.ts';
import { LabView } from '../../../src/ui/lab/view.svelte.ts';
import { createDefaultWorld } from '../../../src/core/index.ts';
import { enableSystem, keyedWorld, VM_APP } from '../../fixtures/worlds.ts';

const IMDS =
	'curl -s -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net"';

function setup(session = new LabSession(createDefaultWorld(), { wait: async () => {} })) {
	const view = new LabView();
	render(Terminal, { context: labContextMap({ session, view }) });
	const input = screen.getByRole('textbox', { name: 'Terminal' });
	const log = screen.getByRole('log', { name: 'Terminal output' });
	return { session, view, input: input as HTMLInputElement, log };
}

async function type(input: HTMLInputElement, line: string): Promise<void> {
	await fireEvent.input(input, { target: { value: line } });
}

async function enter(input: HTMLInputElement, line: string): Promise<void> {
	await type(input, line);
	await fireEvent.keyDown(input, { key: 'Enter' });
}

describe('Terminal', () => {
	it('runs a line on Enter and shows the prompt, the line and its output in the log', async () => {
		const { input, log, session } = setup();
		expect(screen.getByText('sarah@Azure:~$', { selector: '.input-row .prompt' })).toBeVisible();
		await enter(input, 'echo hello lab');
		await waitFor(() => expect(session.transcript).toHaveLength(1));
		expect(within(log).getByText('echo hello lab')).toBeInTheDocument();
		expect(within(log).getByText('hello lab')).toBeInTheDocument();
		expect(input.value).toBe('');
		expect(
			within(log).getByRole('button', { name: 'Copy the output of echo hello lab' })
		).toBeInTheDocument();
	});

	it('recalls earlier lines with ↑ and ↓, and comes back to the line being typed', async () => {
		const { input, session } = setup();
		await enter(input, 'echo one');
		await enter(input, 'echo two');
		await waitFor(() => expect(session.transcript).toHaveLength(2));
		await type(input, 'ec');
		await fireEvent.keyDown(input, { key: 'ArrowUp' });
		expect(input.value).toBe('echo two');
		await fireEvent.keyDown(input, { key: 'ArrowUp' });
		expect(input.value).toBe('echo one');
		await fireEvent.keyDown(input, { key: 'ArrowDown' });
		expect(input.value).toBe('echo two');
		await fireEvent.keyDown(input, { key: 'ArrowDown' });
		expect(input.value).toBe('ec');
	});

	it('completes commands, az subcommands, flags and names with Tab, and lists candidates when several fit', async () => {
		const { input } = setup();
		await type(input, 'jw');
		await fireEvent.keyDown(input, { key: 'Tab' });
		expect(input.value).toBe('jwt ');
		await type(input, 'az keyv');
		await fireEvent.keyDown(input, { key: 'Tab' });
		expect(input.value).toBe('az keyvault ');
		await type(input, 'az vm identity assign --resource-group rg-stock --n');
		await fireEvent.keyDown(input, { key: 'Tab' });
		expect(input.value).toBe('az vm identity assign --resource-group rg-stock --name ');
		await type(input, 'az vm identity assign --resource-group rg-stock --name vm-stock-a');
		await fireEvent.keyDown(input, { key: 'Tab' });
		expect(input.value).toBe(
			'az vm identity assign --resource-group rg-stock --name vm-stock-app '
		);
		await type(input, 'az role assignment create --role "Key Vault Secrets U');
		await fireEvent.keyDown(input, { key: 'Tab' });
		expect(input.value).toBe('az role assignment create --role "Key Vault Secrets User" ');
		await type(input, 'ssh vm-stock-');
		await fireEvent.keyDown(input, { key: 'Tab' });
		expect(input.value).toBe('ssh vm-stock-');
		const list = screen.getByRole('status', { name: 'Completions' });
		expect(within(list).getByText('vm-stock-app')).toBeInTheDocument();
		expect(within(list).getByText('vm-stock-web-3')).toBeInTheDocument();
	});

	it('Ctrl+C drops the typed line with ^C; Ctrl+L clears the screen', async () => {
		const { input, log, session } = setup();
		await type(input, 'az group list');
		await fireEvent.keyDown(input, { key: 'c', ctrlKey: true });
		expect(input.value).toBe('');
		expect(within(log).getByText('az group list')).toBeInTheDocument();
		expect(within(log).getByText('^C')).toBeInTheDocument();
		expect(session.shell.history).not.toContain('az group list');
		await fireEvent.keyDown(input, { key: 'l', ctrlKey: true });
		expect(within(log).queryByText('az group list')).not.toBeInTheDocument();
	});

	it('shows a curl to IMDS from Cloud Shell as waiting, and Ctrl+C interrupts it', async () => {
		const session = new LabSession(createDefaultWorld(), {
			wait: (_ms, signal) =>
				new Promise((resolve) => signal.addEventListener('abort', () => resolve()))
		});
		const { input, log } = setup(session);
		await enter(input, IMDS);
		const waiting = await within(log).findByText(/Waiting for 169\.254\.169\.254/);
		expect(waiting).toHaveTextContent('Ctrl+C');
		expect(session.pending).not.toBeNull();
		await fireEvent.keyDown(input, { key: 'c', ctrlKey: true });
		await waitFor(() => expect(session.pending).toBeNull());
		await waitFor(() => expect(session.transcript.at(-1)?.interrupted).toBe(true));
		expect(within(log).queryByText(/Waiting for/)).not.toBeInTheDocument();
		expect(within(log).getByText('^C')).toBeInTheDocument();
		expect(session.shell.lastExitCode).toBe(130);
	});

	it('shows the # lines that explain a refusal as a distinct "Why it failed" note', async () => {
		const { input, session } = setup();
		await enter(input, IMDS);
		await waitFor(() => expect(session.transcript).toHaveLength(1));
		const why = screen.getByRole('note', { name: 'Why it failed' });
		expect(why).toHaveTextContent(/not an Azure VM/);
		expect(session.transcript[0]?.stderr).not.toMatch(/^# /m);
	});

	it('opens a token from the output in the JWT inspector with one click', async () => {
		const { world, ring } = await keyedWorld();
		const session = new LabSession(enableSystem(world, VM_APP), {
			keyRing: ring,
			wait: async () => {}
		});
		const { input, log, view } = setup(session);
		await enter(input, 'ssh vm-stock-app');
		await waitFor(() => expect(session.prompt.trim()).toBe('azureuser@vm-stock-app:~$'));
		expect(
			screen.getByText('azureuser@vm-stock-app:~$', { selector: '.input-row .prompt' })
		).toBeVisible();
		await enter(input, IMDS);
		const open = await within(log).findByRole('button', { name: /in the JWT inspector/ });
		const token = session.transcript.at(-1)?.tokens[0];
		expect(token).toMatch(/^eyJ/);
		await fireEvent.click(open);
		expect(session.inspectedToken).toBe(token);
		expect(view.dockTab).toBe('inspector');
	});

	it('takes a line sent from another surface and runs it when asked', async () => {
		const { input, view, session } = setup();
		view.toTerminal('echo from the portal', false);
		await waitFor(() => expect(input.value).toBe('echo from the portal'));
		expect(view.terminalDraft).toBeNull();
		view.toTerminal('echo ran', true);
		await waitFor(() => expect(session.transcript.at(-1)?.stdout).toBe('ran\n'));
	});

	it('folds long JSON output and keeps the full text to expand', async () => {
		const { input, log, session } = setup();
		await enter(input, 'az role definition list');
		await waitFor(() => expect(session.transcript).toHaveLength(1));
		const fold = within(log).getByRole('button', { name: /more lines: show all/ });
		expect(fold).toHaveAttribute('aria-expanded', 'false');
		await fireEvent.click(fold);
		expect(within(log).getByRole('button', { name: /Fold/ })).toHaveAttribute(
			'aria-expanded',
			'true'
		);
	});
});
