/**
 * Presenter mode in Chromium: stepping through a walkthrough with the keyboard (the world changes and is
 * restored), the audience window that follows the presenter (and recovers from a reload of either window, and
 * says when the worlds diverge), and axe on both views in both themes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openLab, type Lab } from './browser.ts';
import { violations } from './axe.ts';

/**
 * Left out of axe here: the topology diagram's boxes (src/ui/diagrams, checked by the diagrams' own tests),
 * whose accessible names extend their visible text on purpose.
 */
const TOPOLOGY_SVG = ['.topology svg'];

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
	const button = page.getByRole('button', { name: 'Dark theme' }).first();
	const pressed = (await button.getAttribute('aria-pressed')) === 'true';
	if (pressed !== (theme === 'dark')) await button.click();
}

/** Moves focus off a control, as a presenter clicking the page would: arrows then belong to the deck. */
const blur = (page: Page) =>
	page.evaluate(() => {
		(document.activeElement as HTMLElement | null)?.blur();
	});
/** Waits for the demonstration's closing text: the step has run. */
const after = (page: Page, text: string) =>
	page.locator('.after').filter({ hasText: text }).waitFor();
const position = (page: Page) => page.locator('.position');
const atStep = (page: Page, n: number) =>
	position(page)
		.filter({ hasText: `Step ${n} of 3` })
		.waitFor();
const statusSwitch = (page: Page) => page.getByRole('switch', { name: 'Status' });

describe('presenter mode', () => {
	let lab: Lab;
	let audience: Page | undefined;

	beforeAll(async () => {
		lab = await openLab('#/present/system-assigned');
		await lab.page.setViewportSize({ width: 1280, height: 800 });
	});

	afterAll(async () => {
		await lab?.close();
	});

	it('steps forward with the keyboard and the world changes; stepping back restores it', async () => {
		const { page } = lab;
		await page.getByRole('heading', { name: 'A system-assigned identity' }).waitFor();
		await expect(position(page).textContent()).resolves.toContain('Title');

		await page.keyboard.press('ArrowRight');
		await after(page, 'ARM asked Entra ID to create a service principal');
		expect(page.url()).toMatch(/#\/present\/system-assigned\/1$/);
		await expect(statusSwitch(page).getAttribute('aria-checked')).resolves.toBe('true');

		await page.keyboard.press('PageDown');
		await after(page, 'type SystemAssigned, a principalId and a tenantId');
		await expect(
			page.getByRole('log', { name: 'Terminal output' }).textContent()
		).resolves.toContain('"type": "SystemAssigned"');

		await page.keyboard.press('ArrowLeft');
		await page.keyboard.press('PageUp');
		await page.getByRole('heading', { name: 'A system-assigned identity' }).waitFor();
		expect(page.url()).toMatch(/#\/present\/system-assigned$/);
		// The portal shows the restored world: the identity is off again.
		await page.getByRole('radio', { name: 'Portal' }).click();
		await expect(statusSwitch(page).getAttribute('aria-checked')).resolves.toBe('false');

		// Notes and help from the keyboard.
		await blur(page);
		await expect(
			page.getByRole('complementary', { name: 'Speaker notes and next step' }).count()
		).resolves.toBe(1);
		await page.keyboard.press('n');
		await expect(
			page.getByRole('complementary', { name: 'Speaker notes and next step' }).count()
		).resolves.toBe(0);
		await page.keyboard.press('n');
		await page.keyboard.press('?');
		await page.getByRole('dialog', { name: 'Presenter keys' }).waitFor();
		await page.keyboard.press('Escape');
		await page.getByRole('dialog').waitFor({ state: 'detached' });

		await page.keyboard.press('ArrowRight');
		await page.keyboard.press('ArrowRight');
		await after(page, 'type SystemAssigned, a principalId and a tenantId');
		expect(lab.errors).toEqual([]);
	});

	it('opens an audience window that follows the presenter and shows no notes', async () => {
		const { page } = lab;
		const [opened] = await Promise.all([
			page.context().waitForEvent('page'),
			page.getByRole('button', { name: 'Open audience window' }).click()
		]);
		audience = opened;
		await audience.waitForLoadState();
		expect(audience.url()).toMatch(/#\/present\/system-assigned\/2\?audience$/);
		await audience.getByText('Following the presenter').waitFor();
		await after(audience, 'type SystemAssigned, a principalId and a tenantId');
		await expect(audience.getByText('Speaker notes').count()).resolves.toBe(0);
		await expect(audience.getByRole('button', { name: 'Next' }).count()).resolves.toBe(0);

		await page.bringToFront();
		await page.keyboard.press('ArrowRight');
		await atStep(audience, 3);
		await after(audience, 'the identity was deleted with its VM');
		// It recomputed the same world as the presenter's: no divergence.
		await expect(audience.getByText('differs').count()).resolves.toBe(0);
	});

	it('recovers when the audience window reloads', async () => {
		if (!audience) throw new Error('no audience window');
		await audience.reload();
		await audience.getByText('Following the presenter').waitFor();
		await lab.page.bringToFront();
		await lab.page.keyboard.press('ArrowLeft');
		await atStep(audience, 2);
		expect(audience.url()).toMatch(/\/2\?audience$/);
	});

	it('recovers when the presenter reloads', async () => {
		if (!audience) throw new Error('no audience window');
		await lab.page.reload();
		await atStep(lab.page, 2);
		await lab.page.keyboard.press('ArrowRight');
		await atStep(audience, 3);
		await after(lab.page, 'the identity was deleted with its VM');
	});

	it('says so when the presenter changes the lab by hand', async () => {
		if (!audience) throw new Error('no audience window');
		const { page } = lab;
		await page.getByRole('radio', { name: 'Terminal' }).click();
		const input = page.getByRole('textbox', { name: /Type a command/ });
		await input.fill('az vm delete -g rg-stock -n vm-stock-web-1 --yes');
		await input.press('Enter');
		await page.getByText('You changed the lab at this step').waitFor();
		await audience.getByText('The presenter changed the lab by hand').waitFor();
		// Reset goes back to the walkthrough, and the audience follows.
		await blur(page);
		await page.keyboard.press('r');
		await audience.getByRole('heading', { name: 'A system-assigned identity' }).waitFor();
		await expect(audience.getByText('changed the lab by hand').count()).resolves.toBe(0);
	});

	it.each(['light', 'dark'] as const)(
		'has no accessibility violation in the %s theme (presenter, audience, dialogs)',
		async (theme) => {
			if (!audience) throw new Error('no audience window');
			const { page } = lab;
			await page.bringToFront();
			await setTheme(page, theme);
			await page.keyboard.press('ArrowRight');
			await after(page, 'ARM asked Entra ID');
			await expect(violations(page, TOPOLOGY_SVG)).resolves.toEqual([]);
			await page.keyboard.press('ArrowRight');
			await after(page, 'type SystemAssigned');
			await expect(violations(page, TOPOLOGY_SVG)).resolves.toEqual([]);
			await page.getByRole('button', { name: 'Follow on your device' }).click();
			await page.getByRole('img', { name: /QR code of the link/ }).waitFor();
			await expect(violations(page, TOPOLOGY_SVG)).resolves.toEqual([]);
			await page.keyboard.press('Escape');
			await page.getByRole('button', { name: 'Presenter keys' }).click();
			await page.getByRole('dialog', { name: 'Presenter keys' }).waitFor();
			await expect(violations(page, TOPOLOGY_SVG)).resolves.toEqual([]);
			await page.keyboard.press('Escape');

			await audience.reload();
			await audience.getByText('Following the presenter').waitFor();
			await after(audience, 'type SystemAssigned');
			await expect(violations(audience, TOPOLOGY_SVG)).resolves.toEqual([]);
			await page.bringToFront();
			await page.keyboard.press('r');
			await page.getByRole('heading', { name: 'A system-assigned identity' }).waitFor();
		}
	);

	it('says so, with a link home, when the lesson does not exist', async () => {
		const { page } = lab;
		await page.goto(`${lab.baseUrl}#/present/no-such-lesson`);
		await page.getByRole('heading', { name: /no lesson “no-such-lesson”/ }).waitFor();
		await expect(
			page.getByRole('link', { name: 'Go to the home page' }).getAttribute('href')
		).resolves.toBe('#/');
		expect(lab.errors).toEqual([]);
		expect(lab.failures).toEqual([]);
	});
});
