/**
 * Lessons as a new learner takes them, in Chromium, by role and label: `system-assigned` with the blades only,
 * `call-key-vault` with the terminal only (after taking hints), `many-identities` mixing both after *Show me*;
 * a reload in the middle of a lesson finds it as it was; progress exported, the browser's storage cleared, and
 * the file imported back; axe on the lesson route and the catalogue in both themes.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openLab } from './browser.ts';
import { violations } from './axe.ts';
import type { Lab } from './browser.ts';
import { parseLessons } from '../../src/curriculum/loader.ts';
import { readLessonFiles } from '../../src/curriculum/files.ts';
import type { Lesson } from '../../src/curriculum/schema.ts';
import { openResource, portal, runLine as run } from './lab-page.ts';

const parsed = parseLessons(readLessonFiles(resolve(import.meta.dirname, '../../lessons')));
if (!parsed.ok) throw new Error(parsed.error.join('\n'));
const lessons: Lesson[] = parsed.value;

function lessonNamed(id: string): Lesson {
	const lesson = lessons.find((l) => l.id === id);
	if (!lesson) throw new Error(`no lesson ${id}`);
	return lesson;
}

const TOKEN =
	"'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net";
const SECRET_LINE =
	'curl -s -H "Authorization: Bearer $TOKEN" "https://kv-stock.vault.azure.net/secrets/db-password?api-version=7.4"';

function panel(page: Page): Locator {
	return page.getByRole('complementary', { name: 'Lesson' });
}

async function openLesson(page: Page, baseUrl: string, id: string): Promise<void> {
	await page.goto(`${baseUrl}#/lesson/${id}`);
	await panel(page)
		.getByRole('heading', { level: 2, name: lessonNamed(id).title })
		.waitFor();
}

async function status(page: Page): Promise<string> {
	return (await panel(page).getByRole('status').first().textContent()) ?? '';
}

/** Answers every quiz question with its right options and waits for the lesson to be complete. */
async function answerQuiz(page: Page, lesson: Lesson): Promise<void> {
	await panel(page).getByRole('tab', { name: 'Quiz' }).click();
	for (const [i, question] of lesson.scenario.quiz.entries()) {
		const group = panel(page).getByRole('group', { name: new RegExp(`^${i + 1}\\.`) });
		if ((await group.getByRole('button', { name: /Check answer/ }).count()) === 0) continue;
		for (const option of question.options.filter((o) => o.correct))
			await group
				.getByRole(question.options.filter((o) => o.correct).length > 1 ? 'checkbox' : 'radio', {
					name: option.text,
					exact: true
				})
				.check();
		await group.getByRole('button', { name: /Check answer/ }).click();
		await expect(group.textContent()).resolves.toContain('Right.');
	}
}

describe('lessons in Chromium, as a new learner', () => {
	let lab: Lab;

	beforeAll(async () => {
		lab = await openLab();
		await lab.page.setViewportSize({ width: 1440, height: 900 });
	});

	afterAll(async () => {
		await lab?.close();
	});

	it('the catalogue lists every lesson, not started', async () => {
		const { page } = lab;
		const link = page.getByRole('link', { name: /A system-assigned identity/ });
		await expect(link.getAttribute('href')).resolves.toBe('#/lesson/system-assigned');
		await expect
			.poll(() => page.getByText('Not started').count(), { timeout: 10_000 })
			.toBe(lessons.length);
	});

	it('system-assigned with the blades only', async () => {
		const { page, baseUrl } = lab;
		await openLesson(page, baseUrl, 'system-assigned');
		await panel(page).getByRole('button', { name: 'Start the tasks' }).first().click();
		await expect(status(page)).resolves.toContain('Tasks 0 of 2 done');

		await openResource(page, 'vm-stock-app', 'Identity');
		await portal(page).getByRole('switch', { name: 'Status' }).click();
		await portal(page).getByRole('button', { name: 'Save' }).click();
		await page.getByRole('alertdialog').getByRole('button', { name: 'Yes' }).click();
		await expect.poll(() => status(page)).toContain('Tasks 1 of 2 done');

		await openResource(page, 'vm-stock-web-3', 'Overview');
		await portal(page).getByRole('button', { name: 'Delete', exact: true }).click();
		await page.getByRole('alertdialog').getByRole('button', { name: 'Yes' }).click();
		await expect.poll(() => status(page)).toContain('Tasks 2 of 2 done');

		await answerQuiz(page, lessonNamed('system-assigned'));
		await panel(page)
			.getByRole('heading', { name: /Lesson complete/ })
			.waitFor();
		expect(lab.errors).toEqual([]);
	});

	it('call-key-vault with the terminal only, after taking hints', async () => {
		const { page, baseUrl } = lab;
		await openLesson(page, baseUrl, 'call-key-vault');
		await panel(page).getByRole('button', { name: 'Start the tasks' }).first().click();
		// Stuck: the hints come one at a time.
		await panel(page).getByRole('button', { name: 'Show a hint (1 of 3) for task 1' }).click();
		await panel(page).getByRole('button', { name: 'Show a hint (2 of 3) for task 1' }).click();
		const hints = panel(page).getByRole('list', { name: 'Hints for task 1' });
		await expect(hints.getByRole('listitem').count()).resolves.toBe(2);

		await run(
			page,
			'az role assignment create --assignee-principal-type ServicePrincipal --assignee-object-id $(az vm show -g rg-stock -n vm-stock-app --query identity.principalId -o tsv) --role "Key Vault Secrets User" --scope $(az keyvault show -n kv-stock --query id -o tsv)'
		);
		await expect.poll(() => status(page)).toContain('Tasks 1 of 2 done');
		await run(page, 'clock +5m');
		await run(page, 'ssh vm-stock-app');
		await run(page, `TOKEN=$(curl -s -H Metadata:true ${TOKEN}' | jq -r .access_token)`);
		expect(await run(page, SECRET_LINE)).toMatch(/"value"/);
		await expect.poll(() => status(page)).toContain('Tasks 2 of 2 done');

		await answerQuiz(page, lessonNamed('call-key-vault'));
		await panel(page)
			.getByRole('heading', { name: /Lesson complete/ })
			.waitFor();
		expect(lab.errors).toEqual([]);
	});

	it('many-identities mixing both, after Show me', async () => {
		const { page, baseUrl } = lab;
		await openLesson(page, baseUrl, 'many-identities');
		await panel(page).getByRole('button', { name: 'Start the tasks' }).first().click();
		await panel(page).getByRole('button', { name: 'Show a hint (1 of 3) for task 1' }).click();
		// Show me runs the reference solution's first step in the terminal, where it can be watched.
		await panel(page).getByRole('button', { name: 'Show me the next step' }).click();
		await expect
			.poll(() =>
				panel(page)
					.getByText(/Reference steps shown: 1 of/)
					.count()
			)
			.toBe(1);
		const log = page.getByRole('log', { name: 'Terminal output' });
		await expect.poll(() => log.textContent()).toContain('ssh vm-stock-app');

		// The blades give the identity's client id; the terminal on the VM asks IMDS for that identity.
		await openResource(page, 'id-stock-kv', 'Overview');
		const clientId = await portal(page)
			.locator('dt:text-is("Client ID") + dd code')
			.first()
			.textContent();
		expect(clientId).toBeTruthy();
		await run(
			page,
			`TOKEN=$(curl -s -H Metadata:true ${TOKEN}&client_id=${clientId}' | jq -r .access_token)`
		);
		expect(await run(page, SECRET_LINE)).toMatch(/"value"/);
		await expect.poll(() => status(page)).toContain('Tasks 2 of 2 done');
		await answerQuiz(page, lessonNamed('many-identities'));
		await panel(page)
			.getByRole('heading', { name: /Lesson complete/ })
			.waitFor();
		expect(lab.errors).toEqual([]);
	});

	it('a reload in the middle of a lesson finds it as it was', async () => {
		const { page, baseUrl } = lab;
		await openLesson(page, baseUrl, 'user-assigned');
		await panel(page).getByRole('button', { name: 'Start the tasks' }).first().click();
		await run(page, 'az identity create -g rg-stock -n id-stock-web -o none');
		await run(
			page,
			'az vm identity assign -g rg-stock -n vm-stock-web-1 --identities id-stock-web -o none'
		);
		const checks = panel(page).getByRole('list', { name: 'Checks of task 1' });
		await expect.poll(() => checks.textContent()).toMatch(/vm-stock-web-1[^·]*✓/);
		const before = await checks.textContent();
		await page.reload();
		await panel(page).getByRole('list', { name: 'Checks of task 1' }).waitFor();
		await expect
			.poll(() => panel(page).getByRole('list', { name: 'Checks of task 1' }).textContent())
			.toBe(before);
		await expect(status(page)).resolves.toMatch(/Tasks \d of \d done/);
	});

	it('exports progress, survives cleared storage by importing it back', async () => {
		const { page, baseUrl } = lab;
		await page.goto(`${baseUrl}#/`);
		const card = (name: RegExp) =>
			page.getByRole('listitem').filter({ has: page.getByRole('link', { name }) });
		await expect.poll(() => card(/A system-assigned identity/).textContent()).toContain('Done');
		await expect
			.poll(() =>
				card(/A user-assigned identity|user-assigned/i)
					.first()
					.textContent()
			)
			.toContain('In progress');

		const download = page.waitForEvent('download');
		await page.getByRole('button', { name: 'Export progress' }).click();
		const file = await (await download).path();
		expect(readFileSync(file, 'utf8')).toContain('managed-identity-lab-progress');

		const cdp = await page.context().newCDPSession(page);
		await cdp.send('Storage.clearDataForOrigin', { origin: lab.origin, storageTypes: 'indexeddb' });
		await page.reload();
		await expect
			.poll(() => page.getByText('Not started').count(), { timeout: 10_000 })
			.toBe(lessons.length);

		await page.getByLabel('Progress file to import').setInputFiles(file);
		await page.getByText(/Imported \d+ lessons/).waitFor();
		await expect.poll(() => card(/A system-assigned identity/).textContent()).toContain('Done');
		expect(lab.errors).toEqual([]);
	});

	it.each(['light', 'dark'] as const)(
		'axe finds nothing on the catalogue and a lesson (%s)',
		async (theme) => {
			const { page, baseUrl } = lab;
			await page.goto(`${baseUrl}#/`);
			await page.evaluate((t) => localStorage.setItem('mil.theme', t), theme);
			await page.reload();
			await page.getByRole('button', { name: 'Export progress' }).waitFor();
			await expect(violations(page)).resolves.toEqual([]);
			await openLesson(page, baseUrl, 'call-key-vault');
			await expect(violations(page)).resolves.toEqual([]);
			await panel(page).getByRole('tab', { name: 'Tasks' }).click();
			await expect(violations(page)).resolves.toEqual([]);
			await panel(page).getByRole('button', { name: 'Reset lesson' }).click();
			await page.getByRole('alertdialog').waitFor();
			await expect(violations(page)).resolves.toEqual([]);
			await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
		}
	);
});
