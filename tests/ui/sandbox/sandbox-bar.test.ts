import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { createDefaultWorld, restoreWorld, snapshotWorld } from '../../../src/core/index.ts';
import { labContextMap } from '../../../src/ui/lab/context.ts';
import { LabSession } from '../../../src/ui/lab/session.svelte.ts';
import { LabView } from '../../../src/ui/lab/view.svelte.ts';
import { parseRoute, type Route } from '../../../src/ui/routes.ts';
import SandboxBar from '../../../src/ui/sandbox/SandboxBar.svelte';
import type { SandboxEnv } from '../../../src/ui/sandbox/sandbox.svelte.ts';
import { memorySandboxStore, SANDBOX_KEY } from '../../../src/ui/sandbox/storage.ts';
import { expectNoAxeViolations } from '../blades/helpers.ts';
import { systemIdentityOf, VM_APP } from '../../fixtures/worlds.ts';

function setup(options: { route?: Route; store?: ReturnType<typeof memorySandboxStore> } = {}) {
	const session = new LabSession(createDefaultWorld(), { wait: () => Promise.resolve() });
	const view = new LabView();
	const store = options.store ?? memorySandboxStore();
	const downloads: { name: string; text: string }[] = [];
	const env: SandboxEnv = {
		store,
		channel: null,
		download: (name, text) => downloads.push({ name, text }),
		replaceHash: () => undefined,
		whenIdle: (task) => queueMicrotask(task),
		now: () => new Date('2026-12-03T21:30:00Z'),
		pageUrl: () => 'https://lab.example/#/sandbox',
		tabId: 'tab-test'
	};
	const route = options.route ?? { name: 'sandbox', flowStep: null };
	render(SandboxBar, { props: { route, env }, context: labContextMap({ session, view }) });
	return { session, store, downloads };
}

async function openMenu(): Promise<HTMLElement> {
	const trigger = screen.getByRole('button', { name: 'World' });
	trigger.focus();
	await fireEvent.keyDown(trigger, { key: 'Enter' });
	return screen.findByRole('menu');
}

async function choose(item: RegExp): Promise<void> {
	const menu = await openMenu();
	await fireEvent.click(within(menu).getByRole('menuitem', { name: item }));
}

describe('the sandbox menu', () => {
	it('exports a world file that restores to the world on screen', async () => {
		const { session, downloads } = setup();
		await session.run('az vm identity assign -g rg-stock -n vm-stock-app -o none');
		await expectNoAxeViolations();
		await choose(/Export world/);
		expect(downloads.map((d) => d.name)).toEqual(['sandbox-world-2026-12-03-2130.json']);
		const restored = restoreWorld(downloads[0]?.text ?? '');
		if (!restored.ok) throw new Error(restored.error.message);
		expect(systemIdentityOf(restored.value, VM_APP)).toEqual(
			systemIdentityOf(session.world, VM_APP)
		);
	});

	it('imports a world file; an invalid one says exactly what is wrong and changes nothing', async () => {
		const { session } = setup();
		const before = session.world;
		const input = screen.getByLabelText('Import a world file');
		const bad = new File(['{"version":1,"seed":"x"}'], 'mine.json', { type: 'application/json' });
		await fireEvent.change(input, { target: { files: [bad] } });
		const alert = await screen.findByRole('alert');
		expect(alert).toHaveTextContent('The world was not imported');
		expect(alert).toHaveTextContent(
			/mine\.json: This saved world is damaged at .+ Nothing was changed/
		);
		expect(session.world).toBe(before);
		await fireEvent.click(within(alert).getByRole('button', { name: /Dismiss/ }));
		expect(screen.queryByRole('alert')).not.toBeInTheDocument();

		const good = new File(
			[snapshotWorld({ ...createDefaultWorld(), now: (before.now + 3600) as typeof before.now })],
			'later.json'
		);
		await fireEvent.change(input, { target: { files: [good] } });
		expect(await screen.findByText(/now shows the world from later\.json/)).toBeInTheDocument();
		expect(session.world.now).toBe(before.now + 3600);
		expect(session.undoDepth).toBe(1);
	});

	it('asks before a new sandbox replaces a changed world', async () => {
		const { session } = setup();
		await choose(/empty subscription/);
		// Nothing changed yet: no question.
		expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
		expect(session.world.resources).toEqual({});
		await session.run('az group create -n rg-one -l westeurope -o none');
		await choose(/default world/);
		const dialog = await screen.findByRole('alertdialog', { name: 'Start a new sandbox?' });
		await expectNoAxeViolations();
		await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
		expect(Object.keys(session.world.resourceGroups).join()).toContain('rg-one');
		await choose(/default world/);
		await fireEvent.click(
			within(await screen.findByRole('alertdialog')).getByRole('button', {
				name: 'Start the new sandbox'
			})
		);
		expect(session.world.resources).toEqual(createDefaultWorld().resources);
	});

	it('saves a lesson start: a world file and a scenario that starts from it', async () => {
		const { downloads } = setup();
		await choose(/Save as lesson start/);
		const dialog = await screen.findByRole('dialog', { name: 'Save as lesson start' });
		const name = within(dialog).getByRole('textbox', { name: /World file name/ });
		await fireEvent.input(name, { target: { value: 'Bad Name' } });
		expect(
			within(dialog).getByRole('button', { name: 'Download world and scenario' })
		).toBeDisabled();
		expect(name).toHaveAttribute('aria-invalid', 'true');
		await fireEvent.input(name, { target: { value: 'vm-ready' } });
		await fireEvent.click(
			within(dialog).getByRole('button', { name: 'Download world and scenario' })
		);
		expect(downloads.map((d) => d.name)).toEqual(['vm-ready.json', 'scenario.yaml']);
		expect(within(dialog).getByRole('status')).toHaveTextContent(
			'Downloaded vm-ready.json and scenario.yaml.'
		);
		await expectNoAxeViolations();
	});

	it('copies a link that opens the same world in a fresh sandbox; a tampered one says so and starts from the default world', async () => {
		const first = setup();
		await first.session.run('az vm identity assign -g rg-stock -n vm-stock-app -o none');
		await choose(/Copy link to this world/);
		const dialog = await screen.findByRole('dialog', { name: 'Link to this world' });
		const link = within(dialog).getByRole<HTMLTextAreaElement>('textbox', { name: 'Link' }).value;
		expect(link).toMatch(/^https:\/\/lab\.example\/#\/sandbox\?share=/);
		expect(link).not.toMatch(/eyJ/);
		await expectNoAxeViolations();
		document.body.innerHTML = '';

		const hash = link.slice(link.indexOf('#'));
		const second = setup({ route: parseRoute(hash) });
		await screen.findByText('Opened a shared world');
		expect(systemIdentityOf(second.session.world, VM_APP)).toEqual(
			systemIdentityOf(first.session.world, VM_APP)
		);
		document.body.innerHTML = '';

		const third = setup({ route: parseRoute(`${hash.slice(0, -10)}x${hash.slice(-9)}`) });
		const alert = await screen.findByRole('alert');
		expect(alert).toHaveTextContent('This link does not work');
		expect(alert).toHaveTextContent(
			/broken or was changed .* starts from the default world instead/
		);
		expect(third.session.world.resources).toEqual(createDefaultWorld().resources);
		await fireEvent.click(
			within(alert).getByRole('button', { name: 'Dismiss: This link does not work' })
		);
		expect(screen.queryByRole('alert')).not.toBeInTheDocument();
	});

	it('starts from the default world, says what happened and offers the damaged data when the saved sandbox is corrupt', async () => {
		const store = memorySandboxStore({ [SANDBOX_KEY]: { format: 1, world: '{"version":1}' } });
		const { session, downloads } = setup({ store });
		const notice = await screen.findByRole('status', { name: /The saved sandbox was damaged/ });
		expect(notice).toHaveTextContent(/starts from the default world; the damaged data is kept/);
		expect(session.world.resources).toEqual(createDefaultWorld().resources);
		await fireEvent.click(
			within(notice).getByRole('button', { name: 'Download the damaged data' })
		);
		expect(downloads[0]?.name).toMatch(/^damaged-sandbox-.*\.json$/);
		expect(downloads[0]?.text).toContain('{\\"version\\":1}');
		await expectNoAxeViolations();
	});

	it('saves the world after a change', async () => {
		const { session, store } = setup();
		await session.run('az vm identity assign -g rg-stock -n vm-stock-app -o none');
		await waitFor(() => expect(store.data.get(SANDBOX_KEY)).toMatchObject({ format: 1 }));
	});

	it('shows no menu outside the sandbox', () => {
		setup({ route: { name: 'lesson', id: 'principals', step: null } });
		expect(screen.queryByRole('button', { name: 'World' })).not.toBeInTheDocument();
	});
});
