import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab } from './browser.ts';
import type { Lab } from './browser.ts';

describe('the token path in Chromium', () => {
	let lab: Lab;

	beforeAll(async () => {
		lab = await openLab();
	});

	afterAll(async () => {
		await lab?.close();
	});

	it('mints a real RS256 token with Web Crypto in the page, verifies it and reads the secret', async () => {
		const button = lab.page.getByRole('button', { name: 'Request a token and read the secret' });
		await button.click();
		const status = lab.page.getByRole('status');
		await status.waitFor({ timeout: 30_000 });
		await expect(status.textContent()).resolves.toBe('The secret was read.');
		await expect(
			lab.page
				.getByText('Signature verified against the tenant’s published keys (JWKS).')
				.isVisible()
		).resolves.toBe(true);

		const hops = lab.page
			.getByRole('list', { name: 'Hops of the token request' })
			.getByRole('listitem');
		const texts = await hops.allTextContents();
		expect(texts[0]).toMatch(/^app → identityEndpoint/);
		expect(texts.some((t) => t.startsWith('identityEndpoint → entra'))).toBe(true);
		expect(texts.some((t) => t.startsWith('entra → identityEndpoint'))).toBe(true);
		expect(texts.at(-1)).toMatch(/^service → app.*200/);

		const claims = lab.page.getByRole('table', { name: 'Claims of the access token' });
		await expect(
			claims.getByRole('row', { name: /^aud https:\/\/vault\.azure\.net$/ }).count()
		).resolves.toBe(1);
		await expect(claims.getByRole('row', { name: /^ver 1\.0$/ }).count()).resolves.toBe(1);
		await expect(
			claims.getByRole('row', { name: /^xms_mirid .*\/virtualMachines\/vm-stock-app$/ }).count()
		).resolves.toBe(1);

		expect(lab.errors).toEqual([]);
		expect(lab.requests.filter((url) => new URL(url).origin !== lab.origin)).toEqual([]);
	});
});
