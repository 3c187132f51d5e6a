import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import ProgressProblems from '../../../src/ui/progress/ProgressProblems.svelte';
import ProgressTools from '../../../src/ui/progress/ProgressTools.svelte';
import Home from '../../../src/ui/home/Home.svelte';
import { progressOver } from '../../../src/ui/progress/progress.svelte.ts';
import { memoryStore, PROGRESS_VERSION } from '../../../src/curriculum/progress.ts';
import { Theme } from '../../../src/ui/theme.svelte.ts';

function record(lessonId: string, status: 'done' | 'doneWithHelp' | 'inProgress') {
	return {
		version: PROGRESS_VERSION,
		lessonId,
		status,
		answers: {},
		world: null,
		step: 0,
		revision: 0,
		updatedAt: '2026-12-03T00:00:00.000Z'
	};
}

describe('saved progress on the page', () => {
	it('reports corrupt stored data without blanking the page, and offers it for download', async () => {
		const kv = memoryStore();
		kv.data.set('lesson:principals', record('principals', 'done'));
		kv.data.set('lesson:system-assigned', '{not json');
		const progress = await progressOver(kv);
		render(ProgressProblems, { props: { progress } });
		const alert = screen.getByRole('alert');
		expect(
			within(alert).getByText(/lesson:system-assigned.*could not be read/)
		).toBeInTheDocument();
		expect(within(alert).getByRole('button', { name: 'Download the damaged data' })).toBeEnabled();
		expect(progress.status('principals')).toBe('done');
		expect(await progress.damagedText()).toContain('{not json');
	});

	it('the home page shows the catalogue with progress and the problem banner', async () => {
		const kv = memoryStore();
		kv.data.set('lesson:principals', record('principals', 'doneWithHelp'));
		kv.data.set('lesson:bogus', { version: 99 });
		const progress = progressOver(kv);
		render(Home, { props: { theme: new Theme(), progress } });
		expect(await screen.findByText('Done with help')).toBeInTheDocument();
		expect(screen.getByRole('alert')).toHaveTextContent(/lesson:bogus/);
		expect(await screen.findByRole('button', { name: 'Export progress' })).toBeInTheDocument();
	});

	it('an invalid import says why and changes nothing', async () => {
		const kv = memoryStore();
		kv.data.set('lesson:principals', record('principals', 'done'));
		const progress = await progressOver(kv);
		render(ProgressTools, { props: { progress } });
		const input = screen.getByLabelText('Progress file to import');
		const file = new File(['{"format":"something-else"}'], 'mine.json', {
			type: 'application/json'
		});
		await fireEvent.change(input, { target: { files: [file] } });
		const alert = await screen.findByRole('alert');
		expect(alert).toHaveTextContent(/mine\.json: This file is not a valid progress export/);
		expect(alert).toHaveTextContent(/Nothing was changed/);
		expect(progress.status('principals')).toBe('done');
		expect(kv.data.has('lesson:principals')).toBe(true);
	});

	it('a valid import replaces progress; reset asks first and then deletes it', async () => {
		const source = await progressOver(memoryStore());
		await source.save(
			{ lessonId: 'threats', status: 'done', answers: {}, world: null, step: 0 },
			null
		);
		const text = await source.exportText();
		const progress = await progressOver(memoryStore());
		render(ProgressTools, { props: { progress } });
		const file = new File([text], 'progress.json', { type: 'application/json' });
		await fireEvent.change(screen.getByLabelText('Progress file to import'), {
			target: { files: [file] }
		});
		expect(await screen.findByText(/Imported 1 lesson from progress.json/)).toBeInTheDocument();
		expect(progress.status('threats')).toBe('done');

		await fireEvent.click(screen.getByRole('button', { name: 'Reset all progress…' }));
		const dialog = await screen.findByRole('alertdialog', { name: 'Delete all progress?' });
		await fireEvent.click(within(dialog).getByRole('button', { name: 'Delete all progress' }));
		await waitFor(() => expect(progress.status('threats')).toBe('notStarted'));
	});
});
