import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from '../../src/ui/App.svelte';

describe('App (home page)', () => {
	it('says what the lab is and offers the sandbox', () => {
		window.location.hash = '#/';
		render(App);
		const main = screen.getByRole('main');
		expect(within(main).getByRole('heading', { level: 1 })).toHaveTextContent(
			/managed identities/i
		);
		expect(screen.getByRole('link', { name: 'Open the sandbox' })).toHaveAttribute(
			'href',
			'#/sandbox'
		);
		expect(screen.getByRole('heading', { level: 2, name: 'Lessons' })).toBeInTheDocument();
	});

	it('switches the theme and says so on the button', async () => {
		window.location.hash = '#/';
		render(App);
		const toggle = screen.getByRole('button', { name: 'Dark theme' });
		const before = toggle.getAttribute('aria-pressed');
		toggle.click();
		await Promise.resolve();
		expect(toggle.getAttribute('aria-pressed')).not.toBe(before);
		expect(document.documentElement.dataset.theme).toBe(before === 'true' ? 'light' : 'dark');
	});

	it('says when there is no page at an address', () => {
		window.location.hash = '#/no-such-page';
		render(App);
		expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('/no-such-page');
		expect(screen.getByRole('link', { name: 'Go to the home page' })).toBeInTheDocument();
	});
});
