/**
 * The sandbox's world in Chromium, as a learner uses it: a change exported, the sandbox reset, the file
 * imported back; a share link opened in a fresh browser, a tampered one refused with a notice; the sandbox
 * found as it was after a reload; another tab's change offered, never forced; axe on the open menu and
 * dialogs in both themes.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openLab, type Lab } from './browser.ts';
import { violations } from './axe.ts';

const PROOF = 'id-e2e-proof';

function proof(page: Page): Locator {
	return page
		.getByRole('navigation', { name: 'Resource navigator' })
		.getByRole('button', { name: new RegExp(`^${PROOF}\\b`) });
}

async function run(page: Page, line: string): Promise<void> {
	await page.getByRole('tab', { name: 'Terminal' }).click();
	const input = page.getByRole('textbox', { name: 'Terminal' });
	await input.fill(line);
	await input.press('Enter');
}

async function menuItem(page: Page, name: RegExp): Promise<void> {
	await page.getByRole('button', { name: 'World', exact: true }).click();
	await page.getByRole('menuitem', { name }).click();
}

/** Waits until the sandbox's saved world holds `text` (it is written when the browser is next idle). */
async function savedContains(page: Page, text: string): Promise<void> {
	await expect
		.poll(
			() =>
				page.evaluate(
					() =>
						new Promise<string>((resolve) => {
							const open = indexedDB.open('managed-identity-lab-sandbox');
							open.onsuccess = () => {
								const db = open.result;
								if (!db.objectStoreNames.contains('sandbox')) return resolve('');
								const get = db
									.transaction('sandbox')
									.objectStore('sandbox')
									.get('mil.sandbox.world');
								get.onsuccess = () => resolve(JSON.stringify(get.result ?? ''));
								get.onerror = () => resolve('');
							};
							open.onerror = () => resolve('');
						})
				),
			{ timeout: 15_000 }
		)
		.toContain(text);
}

describe('the sandbox world', () => {
	let lab: Lab;
	let dir: string;
	let link = '';

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'mil-sandbox-e2e-'));
		lab = await openLab('#/sandbox');
		await lab.page.setViewportSize({ width: 1280, height: 800 });
		await lab.page.getByRole('textbox', { name: 'Terminal' }).waitFor();
	});

	afterAll(async () => {
		await lab?.close();
		await rm(dir, { recursive: true, force: true });
	});

	it('exports a change, resets, imports it and sees the change back', async () => {
		const { page } = lab;
		await run(page, `az identity create -g rg-stock -n ${PROOF} -o none`);
		await proof(page).waitFor();

		const [download] = await Promise.all([
			page.waitForEvent('download'),
			menuItem(page, /Export world/)
		]);
		expect(download.suggestedFilename()).toMatch(/^sandbox-world-\d{4}-\d\d-\d\d-\d{4}\.json$/);
		const file = join(dir, download.suggestedFilename());
		await download.saveAs(file);
		const text = readFileSync(file, 'utf8');
		expect(text).toContain(PROOF);
		expect(text).not.toMatch(/eyJ[\w-]+\.eyJ/);

		await menuItem(page, /default world/);
		const dialog = page.getByRole('alertdialog', { name: 'Start a new sandbox?' });
		await dialog.getByRole('button', { name: 'Start the new sandbox' }).click();
		await expect.poll(() => proof(page).count()).toBe(0);

		const [chooser] = await Promise.all([
			page.waitForEvent('filechooser'),
			menuItem(page, /Import world/)
		]);
		await chooser.setFiles(file);
		await proof(page).waitFor();
		await page.getByRole('status').filter({ hasText: 'World imported' }).waitFor();

		// A file that is not a world says why and changes nothing.
		const bad = join(dir, 'not-a-world.json');
		const { writeFile } = await import('node:fs/promises');
		await writeFile(bad, '{"version": 1, "seed": 5}');
		const [again] = await Promise.all([
			page.waitForEvent('filechooser'),
			menuItem(page, /Import world/)
		]);
		await again.setFiles(bad);
		const alert = page.getByRole('alert').filter({ hasText: 'not-a-world.json' });
		await alert.waitFor();
		expect(await alert.textContent()).toMatch(/damaged at .*Nothing was changed/);
		await proof(page).waitFor();
		await alert.getByRole('button', { name: /Dismiss/ }).click();
	});

	it('finds the sandbox as it was after a reload', async () => {
		const { page } = lab;
		await savedContains(page, PROOF);
		await page.reload({ waitUntil: 'networkidle' });
		await proof(page).waitFor();
		expect(lab.errors).toEqual([]);
	});

	it('makes a link that opens the world in a fresh browser', async () => {
		const { page } = lab;
		await menuItem(page, /Copy link/);
		const dialog = page.getByRole('dialog', { name: 'Link to this world' });
		link = await dialog.getByRole('textbox', { name: 'Link' }).inputValue();
		expect(link).toMatch(/#\/sandbox\?share=/);
		await dialog.getByRole('button', { name: 'Close' }).click();

		const fresh = await openLab(link.slice(link.indexOf('#')));
		try {
			await proof(fresh.page).waitFor();
			await fresh.page.getByRole('status').filter({ hasText: 'Opened a shared world' }).waitFor();
			// The link is dropped from the address: a reload finds the saved sandbox, not the link again.
			expect(new URL(fresh.page.url()).hash).toBe('#/sandbox');
			expect(fresh.errors).toEqual([]);
		} finally {
			await fresh.close();
		}
	});

	it('says a tampered link does not work and starts from the default world', async () => {
		const hash = link.slice(link.indexOf('#'));
		const at = hash.length - 40;
		const tampered = `${hash.slice(0, at)}${hash[at] === 'A' ? 'B' : 'A'}${hash.slice(at + 1)}`;
		const fresh = await openLab(tampered);
		try {
			const alert = fresh.page.getByRole('alert').filter({ hasText: 'This link does not work' });
			await alert.waitFor();
			expect(await alert.textContent()).toMatch(/starts from the default world instead/);
			expect(await proof(fresh.page).count()).toBe(0);
			await fresh.page
				.getByRole('navigation', { name: 'Resource navigator' })
				.getByRole('button', { name: /^vm-stock-app\b/ })
				.waitFor();
			await alert.getByRole('button', { name: 'Dismiss: This link does not work' }).click();
			await expect.poll(() => alert.count()).toBe(0);
		} finally {
			await fresh.close();
		}
	});

	it('offers another tab’s change instead of replacing this tab’s world', async () => {
		const other = await lab.page.context().newPage();
		try {
			await other.goto(lab.page.url(), { waitUntil: 'networkidle' });
			await proof(other).waitFor();
			await run(lab.page, 'az identity create -g rg-stock -n id-e2e-second -o none');
			const notice = other.getByRole('status').filter({ hasText: 'Changed in another tab' });
			await notice.waitFor({ timeout: 15_000 });
			const second = other
				.getByRole('navigation', { name: 'Resource navigator' })
				.getByRole('button', { name: /^id-e2e-second\b/ });
			expect(await second.count()).toBe(0);
			await notice.getByRole('button', { name: /Load the other tab/ }).click();
			await second.waitFor();
		} finally {
			await other.close();
		}
	});

	it.each(['light', 'dark'] as const)(
		'has no axe violation with the menu or a dialog open (%s theme)',
		async (theme) => {
			const { page } = lab;
			const toggle = page.getByRole('button', { name: 'Dark theme' }).first();
			if (((await toggle.getAttribute('aria-pressed')) === 'true') !== (theme === 'dark'))
				await toggle.click();
			await page.getByRole('button', { name: 'World', exact: true }).click();
			await page.getByRole('menu').waitFor();
			expect(await violations(page), 'menu').toEqual([]);
			await page.keyboard.press('Escape');

			for (const [item, role, name] of [
				[/default world/, 'alertdialog', 'Start a new sandbox?'],
				[/Save as lesson start/, 'dialog', 'Save as lesson start'],
				[/Copy link/, 'dialog', 'Link to this world']
			] as const) {
				await menuItem(page, item);
				const dialog = page.getByRole(role, { name });
				await dialog.waitFor();
				expect(await violations(page), name).toEqual([]);
				await page.keyboard.press('Escape');
				await expect.poll(() => dialog.count()).toBe(0);
			}
		}
	);
});
