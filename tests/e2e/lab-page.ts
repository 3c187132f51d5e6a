/** What end-to-end tests do in the lab as a learner would: open a resource's section, run a terminal line. */
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** The blade area. */
export function portal(page: Page): Locator {
	return page.getByRole('region', { name: 'Portal' });
}

/** Opens a resource from the navigator, then one section of its blade (`Identity`, `Overview`, …). */
export async function openResource(page: Page, name: string, section: string): Promise<void> {
	await page
		.getByRole('navigation', { name: 'Resource navigator' })
		.getByRole('button', { name: new RegExp(`^${name}\\b`) })
		.click();
	await portal(page)
		.getByRole('navigation', { name: `${name} menu` })
		.getByRole('button', { name: section, exact: true })
		.click();
}

/** Types a line into the terminal, runs it, and returns the text of the last entry once it has printed. */
export async function runLine(page: Page, line: string): Promise<string> {
	await page.getByRole('tab', { name: 'Terminal' }).click();
	const log = page.getByRole('log', { name: 'Terminal output' });
	const before = await log.locator('.entry').count();
	const input = page.getByRole('textbox', { name: 'Terminal' });
	await input.fill(line);
	await input.press('Enter');
	await expect
		.poll(() => log.locator('.entry').count(), { timeout: 15_000 })
		.toBeGreaterThan(before);
	return (await log.locator('.entry').last().textContent()) ?? '';
}
