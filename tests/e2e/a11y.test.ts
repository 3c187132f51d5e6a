/**
 * axe-core in Chromium on every route, every tool, the main blades and open dialogs, in both themes: no
 * violation of any impact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openLab } from './browser.ts';
import { violations } from './axe.ts';
import type { Lab } from './browser.ts';

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
	const button = page.getByRole('button', { name: 'Dark theme' }).first();
	const pressed = (await button.getAttribute('aria-pressed')) === 'true';
	if (pressed !== (theme === 'dark')) await button.click();
}

describe.each(['light', 'dark'] as const)('accessibility in the %s theme', (theme) => {
	let lab: Lab;

	beforeAll(async () => {
		lab = await openLab();
		await lab.page.setViewportSize({ width: 1280, height: 900 });
		await setTheme(lab.page, theme);
	});

	afterAll(async () => {
		await lab?.close();
	});

	it('home', async () => {
		await expect(violations(lab.page)).resolves.toEqual([]);
	});

	it('the sandbox with each tool in front', async () => {
		const { page } = lab;
		await page.goto(`${lab.baseUrl}#/sandbox`);
		await page.getByRole('textbox', { name: 'Terminal' }).waitFor();
		const input = page.getByRole('textbox', { name: 'Terminal' });
		await input.fill('az vm identity assign -g rg-stock -n vm-stock-app');
		await input.press('Enter');
		await input.fill('az keyvault secret show --vault-name kv-stock -n db-password');
		await input.press('Enter');
		await page.getByText('Why it failed').first().waitFor();
		for (const tab of ['Terminal', 'JWT inspector', 'Event log', 'Code']) {
			await page.getByRole('tab', { name: tab }).click();
			await page.waitForTimeout(150);
			expect(await violations(page), tab).toEqual([]);
		}
	});

	it('the blades: overview, Identity, IAM and its wizard, Managed Identities, directory pages', async () => {
		const { page } = lab;
		const nav = page.getByRole('navigation', { name: 'Resource navigator' });
		const portal = page.getByRole('region', { name: 'Portal' });
		await nav.getByRole('button', { name: /^vm-stock-web-2\b/ }).click();
		expect(await violations(page), 'overview').toEqual([]);
		const menu = portal.getByRole('navigation', { name: 'vm-stock-web-2 menu' });
		for (const section of ['Identity', 'Access control (IAM)', 'JSON View']) {
			await menu.getByRole('button', { name: section, exact: true }).click();
			expect(await violations(page), section).toEqual([]);
		}
		await menu.getByRole('button', { name: 'Access control (IAM)', exact: true }).click();
		await portal.getByRole('button', { name: '+ Add role assignment' }).click();
		expect(await violations(page), 'wizard').toEqual([]);
		for (const name of [
			'Managed Identities',
			'Activity log',
			'Enterprise applications',
			'Audit logs'
		]) {
			await nav.getByRole('button', { name, exact: true }).click();
			expect(await violations(page), name).toEqual([]);
		}
	});

	it('open dialogs: enabling an identity, and the shortcuts', async () => {
		const { page } = lab;
		const nav = page.getByRole('navigation', { name: 'Resource navigator' });
		const portal = page.getByRole('region', { name: 'Portal' });
		await nav.getByRole('button', { name: /^vm-stock-web-3\b/ }).click();
		await portal
			.getByRole('navigation', { name: 'vm-stock-web-3 menu' })
			.getByRole('button', { name: 'Identity', exact: true })
			.click();
		await portal.getByRole('switch', { name: 'Status' }).click();
		await portal.getByRole('button', { name: 'Save' }).click();
		await page.getByRole('alertdialog').waitFor();
		expect(await violations(page), 'enable dialog').toEqual([]);
		await page.getByRole('alertdialog').getByRole('button', { name: 'No' }).click();
		await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
		await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
		expect(await violations(page), 'shortcuts dialog').toEqual([]);
		await page.keyboard.press('Escape');
	});
});
