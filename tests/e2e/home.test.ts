import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab } from './browser.ts';
import type { Lab } from './browser.ts';

describe('home page in Chromium', () => {
	let lab: Lab;

	beforeAll(async () => {
		lab = await openLab();
	});

	afterAll(async () => {
		await lab?.close();
	});

	it('says what the lab is and leads into the sandbox', async () => {
		const main = lab.page.getByRole('main');
		await expect(main.count()).resolves.toBe(1);
		await expect(main.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(
			/managed identities/i
		);
		await expect(lab.page.title()).resolves.toBe('Managed Identity Lab');
		await lab.page.getByRole('link', { name: 'Open the sandbox' }).click();
		await lab.page.getByRole('navigation', { name: 'Resource navigator' }).waitFor();
		await expect(lab.page.title()).resolves.toBe('Sandbox · Managed Identity Lab');
	});

	it('loads without console errors, 404s or requests outside its own origin', () => {
		expect(lab.errors).toEqual([]);
		expect(lab.failures).toEqual([]);
		const elsewhere = lab.requests.filter((url) => new URL(url).origin !== lab.origin);
		expect(elsewhere).toEqual([]);
		expect(lab.requests).toContain(`${lab.origin}/`);
		expect(lab.requests).toContain(`${lab.origin}/favicon.svg`);
	});
});
