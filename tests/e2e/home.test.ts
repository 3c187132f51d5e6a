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

	it('shows the main landmark with the lab heading', async () => {
		const main = lab.page.getByRole('main');
		await expect(main.count()).resolves.toBe(1);
		const heading = main.getByRole('heading', { level: 1, name: 'Managed Identity Lab' });
		await expect(heading.isVisible()).resolves.toBe(true);
		await expect(lab.page.title()).resolves.toBe('Managed Identity Lab');
	});

	it('shows the default world: the VM and the Managed Service Identity principal', async () => {
		const vmRow = lab.page.getByRole('row', { name: /vm-stock-app/ });
		await expect(vmRow.count()).resolves.toBe(1);
		await expect(vmRow.isVisible()).resolves.toBe(true);
		const msi = lab.page.getByRole('rowheader', { name: 'Managed Service Identity', exact: true });
		await expect(msi.isVisible()).resolves.toBe(true);
	});

	it('loads without console errors and requests nothing outside its own origin', () => {
		expect(lab.errors).toEqual([]);
		expect(lab.requests.length).toBeGreaterThan(0);
		const elsewhere = lab.requests.filter((url) => new URL(url).origin !== lab.origin);
		expect(elsewhere).toEqual([]);
		expect(lab.requests).toContain(`${lab.origin}/`);
		expect(lab.requests.some((url) => /\/assets\/.+\.js$/.test(url))).toBe(true);
	});
});
