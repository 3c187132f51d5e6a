/**
 * The diagrams in Chromium, as a learner uses them: enable an identity in the blade and see it appear in the
 * topology; curl IMDS and step through the token flow forward and back; a 403 stops red at the service with
 * the decision trace; the text twin read alone; the lifecycle of the identity; axe on every diagram in both
 * themes. Set DIAGRAM_SHOTS=/tmp/dir to also save screenshots of each view.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openLab } from './browser.ts';
import { violations } from './axe.ts';
import type { Lab } from './browser.ts';
import { portal, runLine as run } from './lab-page.ts';

const SHOTS = process.env['DIAGRAM_SHOTS'];

const TOKEN_LINE =
	"curl -s -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net'";
const SECRET_LINE =
	'curl -s -H "Authorization: Bearer $TOKEN" "https://kv-stock.vault.azure.net/secrets/db-password?api-version=7.4"';

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
	const button = page.getByRole('button', { name: 'Dark theme' }).first();
	const pressed = (await button.getAttribute('aria-pressed')) === 'true';
	if (pressed !== (theme === 'dark')) await button.click();
}

async function shot(page: Page, name: string): Promise<void> {
	if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

function topology(page: Page): Locator {
	return page.getByRole('region', { name: 'Topology' });
}
function flow(page: Page): Locator {
	return page.getByRole('region', { name: 'Token flow' });
}

describe('diagrams in Chromium', () => {
	let lab: Lab;

	beforeAll(async () => {
		lab = await openLab('#/sandbox');
		await lab.page.setViewportSize({ width: 1280, height: 800 });
		await lab.page.getByRole('textbox', { name: 'Terminal' }).waitFor();
	});

	afterAll(async () => {
		await lab?.close();
	});

	it('enabling an identity in the blade makes the identity and its service principal appear in the topology', async () => {
		const { page } = lab;
		await page.getByRole('tab', { name: 'Topology' }).click();
		const nodes = topology(page).locator('[data-node]');
		await nodes.first().waitFor();
		const before = await nodes.count();
		await expect(
			topology(page).getByRole('list', { name: 'Entities' }).textContent()
		).resolves.not.toMatch(/vm-stock-app.*service principal/i);

		await page
			.getByRole('navigation', { name: 'Resource navigator' })
			.getByRole('button', { name: /^vm-stock-app\b/ })
			.click();
		await portal(page)
			.getByRole('navigation', { name: 'vm-stock-app menu' })
			.getByRole('button', { name: 'Identity', exact: true })
			.click();
		await portal(page).getByRole('switch', { name: 'Status' }).click();
		await portal(page).getByRole('button', { name: 'Save' }).click();
		await page
			.getByRole('alertdialog', { name: 'Enable system assigned managed identity' })
			.getByRole('button', { name: 'Yes' })
			.click();

		await page.getByRole('tab', { name: 'Topology' }).click();
		await expect.poll(() => nodes.count(), { timeout: 10_000 }).toBeGreaterThan(before);
		const entities =
			(await topology(page).getByRole('list', { name: 'Entities' }).textContent()) ?? '';
		expect(entities).toMatch(/vm-stock-app/);
		const sp = topology(page).getByRole('button', { name: /^vm-stock-app, Managed identity/ });
		await expect(sp.count()).resolves.toBe(1);
		await shot(page, 'topology-1280-light');
	});

	it('a 50-instance scale set is one box; its button, reached by keyboard, shows the instances and hides them', async () => {
		const { page } = lab;
		await run(
			page,
			'az vmss create -g rg-stock -n vmss-web --image Ubuntu2204 --instance-count 50'
		);
		await page.getByRole('tab', { name: 'Topology' }).click();
		await topology(page).getByRole('button', { name: 'Fit' }).click();
		const show = topology(page).getByRole('button', { name: 'Show 50 instances of vmss-web' });
		// From the box (the arrow keys' stop), Tab reaches its control.
		await topology(page)
			.getByRole('button', { name: /^vmss-web, Scale set · 50 instances/ })
			.focus();
		await page.keyboard.press('Tab');
		await expect(show.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
		await page.keyboard.press('Enter');
		const hide = topology(page).getByRole('button', { name: 'Hide instances of vmss-web' });
		await expect(hide.getAttribute('aria-expanded')).resolves.toBe('true');
		const grid = topology(page).locator('svg').getByRole('list', { name: 'Instances of vmss-web' });
		await expect(grid.getByRole('listitem').count()).resolves.toBe(50);
		await expect(
			page
				.locator('#topology-twin')
				.getByRole('list', { name: 'Instances of vmss-web' })
				.textContent()
		).resolves.toMatch(/vmss-web_0.*vmss-web_49/s);
		await expect(violations(page)).resolves.toEqual([]);
		await shot(page, 'topology-vmss-expanded-1280-light');
		// The focus stays on the control, which now hides them again.
		await expect(hide.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
		await page.keyboard.press('Space');
		await expect(show.getAttribute('aria-expanded')).resolves.toBe('false');
		await expect(grid.count()).resolves.toBe(0);
	});

	it('curl to IMDS draws its hops; the learner steps forward and back', async () => {
		const { page } = lab;
		await run(page, 'ssh vm-stock-app');
		const out = await run(page, `TOKEN=$(${TOKEN_LINE} | jq -r .access_token); echo $TOKEN`);
		expect(out).toMatch(/eyJ/);
		await page.getByRole('tab', { name: 'Token flow' }).click();
		const status = flow(page).getByText(/^Step \d+ of \d+/);
		await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^Step 1 of /);
		await expect(flow(page).getByLabel('Raw request').textContent()).resolves.toMatch(
			/^GET http:\/\/169\.254\.169\.254\/metadata\/identity\/oauth2\/token\?.* HTTP\/1\.1\n(.*\n)*Metadata: true/
		);
		await expect(flow(page).getByRole('term').allTextContents()).resolves.toContain(
			'Metadata: true'
		);
		await flow(page).getByRole('button', { name: 'Forward ▶' }).click();
		await expect(status.textContent()).resolves.toMatch(/^Step 2 of /);
		expect(page.url()).toMatch(/#\/sandbox\/flow\/2$/);
		await flow(page).getByRole('button', { name: '◀ Back' }).click();
		await expect(status.textContent()).resolves.toMatch(/^Step 1 of /);
		await shot(page, 'flow-imds-1280-light');
	});

	it('a 403 stops red at the service with the decision trace', async () => {
		const { page } = lab;
		const out = await run(page, SECRET_LINE);
		expect(out).toMatch(/Forbidden/);
		await page.getByRole('tab', { name: 'Token flow' }).click();
		// Play runs to the failed hop and stops there.
		await flow(page).getByRole('button', { name: '2×' }).click();
		await flow(page).getByRole('button', { name: '▶ Play' }).click();
		const status = flow(page).getByText(/^Step \d+ of \d+/);
		await expect.poll(() => status.textContent(), { timeout: 20_000 }).toMatch(/— failed here$/);
		const why = flow(page).getByRole('note', { name: 'Why it failed' });
		await expect(why.textContent()).resolves.toMatch(/Key Vault Secrets User/);
		const trace = flow(page).getByRole('list', { name: 'Decision trace' });
		await expect(trace.textContent()).resolves.toMatch(
			/Needs Microsoft\.KeyVault\/vaults\/secrets\/getSecret\/action \(data plane\)/
		);
		await expect(trace.textContent()).resolves.toMatch(/Denied: no assignment grants the action/);
		const failedRow = flow(page).getByRole('button', {
			name: /Step \d+: Target service checks: Authorize \(Azure RBAC\)\. Failed\./
		});
		await expect(failedRow.getAttribute('class')).resolves.toMatch(/\bbad\b/);
		await shot(page, 'flow-403-1280-light');
	});

	it('a screen-reader path: the text twin tells the whole flow, trace included', async () => {
		const { page } = lab;
		const svg = flow(page).getByRole('group', { name: /^Token flow: curl/ });
		await expect(svg.getAttribute('aria-describedby')).resolves.toBe('flow-desc flow-twin');
		const twin = page.locator('#flow-twin');
		const items = await twin.locator(':scope > li').allTextContents();
		expect(items[0]).toMatch(/^Step 1: App code sends Target service: GET /);
		const text = items.join('\n');
		expect(text).toMatch(/Validate token/);
		expect(text).toMatch(/✓ Audience is this service/);
		expect(text).toMatch(/Target service checks: Authorize \(Azure RBAC\)\. Failed\./);
		expect(text).toMatch(/✗ Denied: no assignment grants the action/);
		// Keyboard: focus the diagram and step with the arrow keys.
		await svg.focus();
		await page.keyboard.press('Home');
		await expect(
			flow(page)
				.getByText(/^Step 1 of/)
				.count()
		).resolves.toBe(1);
		await page.keyboard.press('ArrowRight');
		await expect(
			flow(page)
				.getByText(/^Step 2 of/)
				.count()
		).resolves.toBe(1);
	});

	it('the lifecycle of the open blade’s identity, lit at enabled', async () => {
		const { page } = lab;
		await page.getByRole('tab', { name: 'Lifecycle' }).click();
		const svg = page.getByRole('img', {
			name: /^Lifecycle of System-assigned identity of vm-stock-app/
		});
		await expect(svg.getAttribute('aria-label').then(() => svg.textContent())).resolves.toMatch(
			/enabled/
		);
		await expect(page.locator('[data-state="enabled"]').getAttribute('class')).resolves.toMatch(
			/\bcurrent\b/
		);
		await shot(page, 'lifecycle-1280-light');
	});

	describe.each(['light', 'dark'] as const)('axe in the %s theme', (theme) => {
		it.each(['Topology', 'Token flow', 'Lifecycle'])('%s', async (tab) => {
			const { page } = lab;
			await setTheme(page, theme);
			await page.getByRole('tab', { name: tab }).click();
			await page.waitForTimeout(300);
			for (const size of [
				{ width: 1280, height: 800 },
				{ width: 820, height: 1180 }
			]) {
				await page.setViewportSize(size);
				await shot(page, `${tab.replace(' ', '-').toLowerCase()}-${size.width}-${theme}`);
				await expect(violations(page)).resolves.toEqual([]);
			}
			await page.setViewportSize({ width: 1280, height: 800 });
		});
	});

	it('left no console errors', () => {
		expect(lab.errors).toEqual([]);
	});
});
