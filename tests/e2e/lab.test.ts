/**
 * The sandbox as a new learner uses it, in Chromium, by role and label: the blades path (Identity blade, the
 * IAM wizard) with the terminal on the VM and the inspector, then the terminal alone with the blades showing
 * the result, a tampered token's 401, and "Identity not found" after a VM is deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openLab } from './browser.ts';
import type { Lab } from './browser.ts';
import { openResource, portal, runLine as run } from './lab-page.ts';

const TOKEN_LINE =
	"curl -s -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net'";
const SECRET_LINE =
	'curl -s -H "Authorization: Bearer $TOKEN" "https://kv-stock.vault.azure.net/secrets/db-password?api-version=7.4"';

async function enableIdentityInBlade(page: Page, vm: string): Promise<string> {
	await openResource(page, vm, 'Identity');
	await portal(page).getByRole('switch', { name: 'Status' }).click();
	await portal(page).getByRole('button', { name: 'Save' }).click();
	const dialog = page.getByRole('alertdialog', { name: 'Enable system assigned managed identity' });
	await expect(dialog.textContent()).resolves.toContain(
		`'${vm}' will be registered with Microsoft Entra ID`
	);
	await dialog.getByRole('button', { name: 'Yes' }).click();
	const objectId = portal(page)
		.getByRole('definition')
		.filter({ hasText: /[0-9a-f-]{36}/ })
		.first();
	const text = (await objectId.textContent()) ?? '';
	return /[0-9a-f]{8}-[0-9a-f-]{27}/.exec(text)?.[0] ?? '';
}

async function grantInWizard(
	page: Page,
	scopeName: string,
	role: string,
	vm: string
): Promise<void> {
	await openResource(page, scopeName, 'Access control (IAM)');
	await portal(page).getByRole('button', { name: '+ Add role assignment' }).click();
	const wizard = portal(page).getByRole('region', { name: 'Add role assignment' });
	await wizard.getByRole('searchbox', { name: 'Search roles' }).fill(role);
	await wizard.getByRole('radio', { name: role }).click();
	await wizard.getByRole('button', { name: 'Next' }).click();
	await wizard.getByRole('radio', { name: 'Managed identity' }).click();
	await wizard.getByRole('button', { name: '+ Select members' }).click();
	const pane = page.getByRole('dialog', { name: 'Select managed identities' });
	await pane
		.getByRole('combobox', { name: 'Managed identity' })
		.selectOption({ label: 'Virtual machine' });
	await pane.getByRole('checkbox', { name: new RegExp(`^${vm}\\b`) }).check();
	await pane.getByRole('button', { name: 'Select' }).click();
	await wizard.getByRole('button', { name: 'Next' }).click();
	await wizard.getByRole('button', { name: 'Review + assign' }).last().click();
}

describe('the sandbox in Chromium', () => {
	let lab: Lab;

	beforeAll(async () => {
		lab = await openLab('#/sandbox');
		await lab.page.setViewportSize({ width: 1280, height: 900 });
	});

	afterAll(async () => {
		await lab?.close();
	});

	it('blades and terminal: enable the identity, grant the role, get a token, inspect it, wait, read the secret', async () => {
		const { page } = lab;
		const objectId = await enableIdentityInBlade(page, 'vm-stock-app');
		expect(objectId).toMatch(/^[0-9a-f-]{36}$/);

		await grantInWizard(page, 'kv-stock', 'Key Vault Secrets User', 'vm-stock-app');
		const assignments = portal(page).getByRole('table', { name: /Role assignments/ });
		await expect(
			assignments.getByRole('row', { name: /vm-stock-app/ }).textContent()
		).resolves.toMatch(/Key Vault Secrets User/);

		await run(page, 'ssh vm-stock-app');
		const tokenOut = await run(page, `TOKEN=$(${TOKEN_LINE} | jq -r .access_token); echo $TOKEN`);
		expect(tokenOut).toMatch(/eyJ/);
		await page
			.getByRole('button', { name: /in the JWT inspector/ })
			.last()
			.click();
		const inspector = page.getByRole('tabpanel', { name: 'JWT inspector' });
		await expect
			.poll(() => inspector.getByRole('status').first().textContent(), { timeout: 15_000 })
			.toMatch(/Signature verified/);
		await expect(inspector.textContent()).resolves.toContain(objectId);

		// The assignment is still propagating: Key Vault says 403 and the terminal says why.
		const early = await run(page, SECRET_LINE);
		expect(early).toMatch(/Forbidden/);
		expect(early).toMatch(/Why it failed/);

		await page.getByRole('button', { name: /^\+10 min/ }).click();
		const late = await run(page, SECRET_LINE);
		expect(late).toMatch(/"value"/);
		expect(lab.errors).toEqual([]);
	});

	it('the terminal alone, with the blades showing the result', async () => {
		const { page } = lab;
		await run(page, 'exit');
		await run(page, 'az vm identity assign -g rg-stock -n vm-stock-web-1');
		await openResource(page, 'vm-stock-web-1', 'Identity');
		await expect(
			portal(page).getByRole('switch', { name: 'Status' }).getAttribute('aria-checked')
		).resolves.toBe('true');
		await expect(portal(page).textContent()).resolves.toContain('Object (principal) ID');
	});

	it('a tampered token gets the service’s 401', async () => {
		const { page } = lab;
		await page.getByRole('tab', { name: 'JWT inspector' }).click();
		const inspector = page.getByRole('tabpanel', { name: 'JWT inspector' });
		const payload = inspector.getByRole('textbox', { name: 'Payload (JSON)' });
		const claims = JSON.parse((await payload.inputValue()) || '{}') as Record<string, unknown>;
		claims.oid = '00000000-0000-0000-0000-000000000000';
		await payload.fill(JSON.stringify(claims, null, 2));
		await inspector.getByRole('button', { name: 'Apply the payload' }).click();
		await expect
			.poll(() => inspector.getByRole('status').first().textContent(), { timeout: 15_000 })
			.toMatch(/Verification failed/);
		await inspector.getByRole('button', { name: 'Send' }).click();
		await expect
			.poll(() => inspector.getByRole('region', { name: 'Service response' }).textContent(), {
				timeout: 15_000
			})
			.toMatch(/401/);
	});

	it('deleting a VM leaves "Identity not found" in IAM', async () => {
		const { page } = lab;
		await run(page, 'az vm delete -g rg-stock -n vm-stock-app --yes');
		await openResource(page, 'kv-stock', 'Access control (IAM)');
		await expect(portal(page).textContent()).resolves.toContain(
			'Identity not found. Unable to find identity.'
		);
	});

	it('has no console error, no failed request and no request to another origin', () => {
		expect(lab.errors).toEqual([]);
		expect(lab.failures).toEqual([]);
		expect(lab.requests.filter((url) => new URL(url).origin !== lab.origin)).toEqual([]);
	});
});
