import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { createDefaultWorld, createKeyRing } from '../../../src/core/index.ts';
import { buildStart } from '../../../src/curriculum/runner.ts';
import { loadLesson } from '../../../src/ui/lessons-data.ts';
import { Theme } from '../../../src/ui/theme.svelte.ts';
import Presentation from '../../../src/ui/present/Presentation.svelte';
import PresentPage from '../../../src/ui/present/PresentPage.svelte';
import { presenterAllowed } from '../../../src/ui/present/allowed.ts';

async function renderPresentation(audience = false) {
	const lesson = await loadLesson('system-assigned');
	if (!lesson) throw new Error('no lesson');
	const keyRing = createKeyRing();
	const start = await buildStart(lesson, { defaultWorld: createDefaultWorld(), env: { keyRing } });
	if (!start.ok) throw new Error(start.error);
	return render(Presentation, {
		lesson,
		start: start.value,
		keyRing,
		route: { name: 'present', id: 'system-assigned', step: null, audience },
		theme: new Theme()
	});
}

const key = (k: string, target: Element | Window = window) => fireEvent.keyDown(target, { key: k });
const position = () => document.querySelector('.position')?.textContent?.trim();

describe('presenter view', () => {
	beforeEach(() => {
		// Reduced motion: steps run at once, without typing the line out.
		vi.stubGlobal(
			'matchMedia',
			(query: string) =>
				({
					matches: query.includes('reduce'),
					media: query,
					addEventListener: () => undefined,
					removeEventListener: () => undefined
				}) as unknown as MediaQueryList
		);
		history.replaceState(null, '', '#/present/system-assigned');
	});
	afterEach(() => {
		vi.unstubAllGlobals();
	});

	it('steps through the walkthrough with the keyboard alone', async () => {
		await renderPresentation();
		expect(
			screen.getByRole('heading', { level: 1, name: 'A system-assigned identity' })
		).toBeVisible();
		expect(position()).toBe('Title');

		await key('ArrowRight');
		expect(
			await screen.findByText(/ARM asked Entra ID to create a service principal/)
		).toBeVisible();
		expect(position()).toBe('Step 1 of 3');
		expect(location.hash).toBe('#/present/system-assigned/1');

		await key('PageDown');
		expect(await screen.findByText(/type SystemAssigned, a principalId/)).toBeVisible();
		expect(screen.getByRole('log', { name: 'Terminal output' })).toHaveTextContent(
			'"type": "SystemAssigned"'
		);

		await key('PageUp');
		expect(
			await screen.findByText(/ARM asked Entra ID to create a service principal named/)
		).toBeVisible();
		await key('ArrowLeft');
		expect(
			await screen.findByRole('heading', { level: 1, name: 'A system-assigned identity' })
		).toBeVisible();
		expect(location.hash).toBe('#/present/system-assigned');

		await key('End');
		expect(await screen.findByText(/identity was deleted with its VM/)).toBeVisible();
		expect(position()).toBe('Step 3 of 3');
	});

	it('leaves keys typed in the terminal to the terminal', async () => {
		await renderPresentation();
		const input = screen.getByRole('textbox', { name: 'Type a command' });
		await key('r', input);
		await key('ArrowRight', input);
		expect(position()).toBe('Title');
	});

	it('shows and hides the speaker notes with N and the Notes button', async () => {
		await renderPresentation();
		const notes = () =>
			screen.queryByRole('complementary', { name: 'Speaker notes and next step' });
		expect(notes()).toBeInTheDocument();
		expect(within(notes() as HTMLElement).getByRole('heading', { name: 'Next' })).toBeVisible();
		// The next step's preview: the first demonstration.
		expect(notes()).toHaveTextContent('vm-stock-app has no identity yet');
		await key('n');
		expect(notes()).not.toBeInTheDocument();
		const button = screen.getByRole('button', { name: 'Notes' });
		expect(button).toHaveAttribute('aria-pressed', 'false');
		await fireEvent.click(button);
		expect(notes()).toBeInTheDocument();
		await key('ArrowRight');
		await screen.findByText(/ARM asked Entra ID to create a service principal named/);
		expect(notes()).toHaveTextContent('Show the directory audit event');
	});

	it('opens the keys help with ?', async () => {
		await renderPresentation();
		await key('?');
		const dialog = await screen.findByRole('dialog', { name: 'Presenter keys' });
		expect(within(dialog).getByRole('rowheader', { name: /PageDown/ })).toBeInTheDocument();
		expect(within(dialog).getByText('Show or hide the speaker notes')).toBeInTheDocument();
	});

	it('plays and pauses auto-advance with Space and shows the time per step', async () => {
		await renderPresentation();
		const play = screen.getByRole('button', { name: /Play/ });
		expect(play).toHaveAttribute('aria-pressed', 'false');
		await key(' ');
		expect(screen.getByRole('button', { name: /Pause/ })).toHaveAttribute('aria-pressed', 'true');
		await key('+');
		expect(screen.getByText('15 s per step')).toBeInTheDocument();
		await key('.');
		expect(screen.getByRole('button', { name: /Play/ })).toHaveAttribute('aria-pressed', 'false');
	});

	it('resets to the title with R', async () => {
		await renderPresentation();
		await key('ArrowRight');
		await screen.findByText(/ARM asked Entra ID to create a service principal named/);
		await key('r');
		expect(
			await screen.findByRole('heading', { level: 1, name: 'A system-assigned identity' })
		).toBeVisible();
	});

	it('in the audience window: no controls, no notes, and says it waits for the presenter', async () => {
		history.replaceState(null, '', '#/present/system-assigned?audience');
		await renderPresentation(true);
		expect(screen.queryByRole('button', { name: /Next/ })).not.toBeInTheDocument();
		expect(screen.queryByText('Speaker notes')).not.toBeInTheDocument();
		expect(screen.queryByRole('textbox', { name: 'Type a command' })).not.toBeInTheDocument();
		expect(screen.getByRole('status')).toHaveTextContent('Waiting for the presenter');
		await key('ArrowRight');
		expect(position()).toBe('Title');
	});
});

describe('presenter page', () => {
	it('says when there is no such lesson, with a link home', async () => {
		render(PresentPage, {
			route: { name: 'present', id: 'no-such-lesson', step: null },
			theme: new Theme()
		});
		expect(
			await screen.findByRole('heading', { name: /There is no lesson “no-such-lesson”/ })
		).toBeVisible();
		expect(screen.getByRole('link', { name: 'Go to the home page' })).toHaveAttribute('href', '#/');
	});

	it('is allowed outside a learning-management system, and not inside one', () => {
		expect(presenterAllowed()).toBe(true);
		const call = () => 'true';
		const api = {
			LMSInitialize: call,
			LMSFinish: call,
			LMSGetValue: call,
			LMSSetValue: call,
			LMSCommit: call
		};
		const lms = { API: api };
		const framed = { parent: lms, opener: null } as unknown as Window;
		Object.assign(lms, { parent: lms });
		expect(presenterAllowed(framed)).toBe(false);
	});
});
