import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import LessonPanel from '../../../src/ui/lesson/LessonPanel.svelte';
import { labContextMap } from '../../../src/ui/lab/context.ts';
import { LabSession } from '../../../src/ui/lab/session.svelte.ts';
import { LabView } from '../../../src/ui/lab/view.svelte.ts';
import { createDefaultWorld, findResourcesByName } from '../../../src/core/index.ts';
import { memoryStore } from '../../../src/curriculum/progress.ts';
import { progressOver, type ProgressState } from '../../../src/ui/progress/progress.svelte.ts';
import { loadLesson } from '../../../src/ui/lessons-data.ts';
import { shareData } from '../../../src/ui/sandbox/share-link.ts';
import { apply } from '../../fixtures/worlds.ts';

async function renderLesson(
	id = 'system-assigned',
	progress?: ProgressState | null,
	share?: string,
	step: number | null = null
) {
	const session = new LabSession(createDefaultWorld(), { wait: () => Promise.resolve() });
	const view = new LabView();
	const store = progress === undefined ? await progressOver(memoryStore()) : progress;
	const result = render(LessonPanel, {
		props: { id, progress: store, share, step },
		context: labContextMap({ session, view })
	});
	await screen.findByRole('heading', { level: 2 });
	return { session, view, progress: store, ...result };
}

function vm(session: LabSession, name: string): string {
	const r = findResourcesByName(session.world, name)[0];
	if (!r) throw new Error(`no ${name}`);
	return r.id;
}

async function startTasks() {
	await fireEvent.click(screen.getAllByRole('button', { name: 'Start the tasks' })[0]!);
	return screen.findByRole('list', { name: 'Tasks' });
}

describe('the lesson panel', () => {
	it('opens with the world of a share link, undoable, and says when a link cannot be used', async () => {
		const shared = apply(createDefaultWorld(), [
			{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-shared' }
		]);
		const { session } = await renderLesson(
			'system-assigned',
			undefined,
			shareData(shared, { id: 'system-assigned', step: 1 })
		);
		expect(findResourcesByName(session.world, 'id-shared')).toHaveLength(1);
		expect(screen.getByText(/opened with the world of a shared link/)).toBeInTheDocument();
		session.undo();
		expect(findResourcesByName(session.world, 'id-shared')).toHaveLength(0);
	});

	it('opens at a walkthrough step of the address (follow on your device), undoable to the start', async () => {
		const { session } = await renderLesson('system-assigned', undefined, undefined, 1);
		expect(
			await screen.findByText(/opened where the walkthrough is after step 1 of/)
		).toBeInTheDocument();
		const vmApp = session.world.resources[vm(session, 'vm-stock-app').toLowerCase()];
		expect(vmApp && 'identity' in vmApp && vmApp.identity.systemAssigned).toBeTruthy();
		session.undo();
		const back = session.world.resources[vm(session, 'vm-stock-app').toLowerCase()];
		expect(back && 'identity' in back && back.identity.systemAssigned).toBeFalsy();
	});

	it('says a share link made for another lesson is not used, and starts from the lesson’s start', async () => {
		const { session } = await renderLesson(
			'system-assigned',
			undefined,
			shareData(createDefaultWorld(), { id: 'call-key-vault', step: 0 })
		);
		expect(
			screen.getByText(/made for the lesson call-key-vault, not for this lesson/)
		).toBeInTheDocument();
		expect(session.undoDepth).toBe(0);
	});

	it('opens on the introduction with the objectives and the prose, commands as buttons', async () => {
		await renderLesson();
		expect(screen.getByRole('heading', { name: 'A system-assigned identity' })).toBeInTheDocument();
		expect(screen.getByText('Not started')).toBeInTheDocument();
		expect(
			screen.getByRole('button', {
				name: /az vm identity assign -g rg-stock -n vm-stock-app \(run in the terminal\)/
			})
		).toBeInTheDocument();
	});

	it('runs a clicked command in the terminal (through the view)', async () => {
		const { view } = await renderLesson();
		await fireEvent.click(
			screen.getByRole('button', { name: /az vm identity assign -g rg-stock -n vm-stock-app/ })
		);
		await waitFor(() =>
			expect(view.terminalDraft).toEqual({
				line: 'az vm identity assign -g rg-stock -n vm-stock-app',
				run: true
			})
		);
	});

	it('shows every check with ✓ or ✗ and what is missing, live as the world changes', async () => {
		const { session } = await renderLesson();
		const tasks = await startTasks();
		const first = within(tasks).getByRole('list', { name: 'Checks of task 1' });
		expect(within(first).getAllByText(/vm-stock-app.*✗/)).toHaveLength(2);
		expect(within(first).getAllByText(/Not yet:/).length).toBeGreaterThan(0);
		session.apply(
			[{ type: 'enableSystemIdentity', resourceId: vm(session, 'vm-stock-app') }],
			'portal'
		);
		await waitFor(() => expect(within(first).queryAllByText(/Not yet:/)).toHaveLength(0));
		expect(within(first).getAllByText(/✓/).length).toBeGreaterThan(0);
		expect(screen.getByText('Tasks 1 of 2 done')).toBeInTheDocument();
	});

	it('reveals hints one at a time', async () => {
		await renderLesson();
		await startTasks();
		await fireEvent.click(screen.getByRole('button', { name: 'Show a hint (1 of 2) for task 1' }));
		const hints = screen.getByRole('list', { name: 'Hints for task 1' });
		expect(within(hints).getAllByRole('listitem')).toHaveLength(1);
		await fireEvent.click(screen.getByRole('button', { name: 'Show a hint (2 of 2) for task 1' }));
		expect(within(hints).getAllByRole('listitem')).toHaveLength(2);
		expect(
			screen.getByRole('button', { name: /No more hints: try Show me for task 1/ })
		).toBeDisabled();
	});

	it('show me runs the next reference step through the session', async () => {
		const { session } = await renderLesson();
		await startTasks();
		await fireEvent.click(screen.getByRole('button', { name: 'Show me the next step' }));
		await screen.findByText(/Reference steps shown: 1 of 4/);
		expect(session.transcript.at(-1)?.line).toBe(
			'az vm identity assign -g rg-stock -n vm-stock-app'
		);
		await waitFor(() => expect(screen.getByText('Tasks 1 of 2 done')).toBeInTheDocument());
		// Undo takes the step back and the checklist with it.
		await fireEvent.click(screen.getByRole('button', { name: 'Undo step' }));
		await screen.findByText('Tasks 0 of 2 done');
		expect(screen.getByText(/Reference steps shown: 0 of 4/)).toBeInTheDocument();
	});

	it('asks before showing the solution; confirmed, it replays it and the lesson ends done with help', async () => {
		const { progress } = await renderLesson();
		await startTasks();
		await fireEvent.click(screen.getByRole('button', { name: 'Show solution' }));
		const dialog = await screen.findByRole('alertdialog', { name: 'Show the whole solution?' });
		await fireEvent.click(within(dialog).getByRole('button', { name: 'Keep trying' }));
		await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
		expect(screen.getByText('Tasks 0 of 2 done')).toBeInTheDocument();

		await fireEvent.click(screen.getByRole('button', { name: 'Show solution' }));
		const again = await screen.findByRole('alertdialog');
		await fireEvent.click(within(again).getByRole('button', { name: 'Show the solution' }));
		// Every task passes: the quiz comes to the front.
		await screen.findByText(
			'Answer every question right to finish the lesson.',
			{},
			{ timeout: 5000 }
		);
		const lesson = await loadLesson('system-assigned');
		for (const [i, q] of (lesson?.scenario.quiz ?? []).entries()) {
			const group = screen.getByRole('group', { name: new RegExp(`^${i + 1}\\.`) });
			const right = q.options.findIndex((o) => o.correct);
			await fireEvent.click(within(group).getAllByRole('radio')[right]!);
			await fireEvent.click(within(group).getByRole('button', { name: /Check answer/ }));
		}
		await screen.findByRole('heading', { name: /Lesson completed with help/ });
		await waitFor(() => expect(progress?.lessons['system-assigned']?.status).toBe('doneWithHelp'));
	});

	it('shows every option’s explanation after answering, and lets a wrong answer be changed', async () => {
		const { session } = await renderLesson();
		await startTasks();
		// Reach the quiz the learner's way.
		session.apply(
			[{ type: 'enableSystemIdentity', resourceId: vm(session, 'vm-stock-app') }],
			'portal'
		);
		session.apply(
			[{ type: 'deleteResource', resourceId: vm(session, 'vm-stock-web-3') }],
			'portal'
		);
		await screen.findByText('Answer every question right to finish the lesson.');
		const group = screen.getByRole('group', { name: /^1\./ });
		await fireEvent.click(within(group).getAllByRole('radio')[1]!);
		await fireEvent.click(within(group).getByRole('button', { name: /Check answer/ }));
		expect(within(group).getByText(/Not quite/)).toBeInTheDocument();
		expect(within(group).getAllByText(/A right answer\.|Not right\./)).toHaveLength(3);
		expect(
			within(group).getByText(/A managed identity has no app registration/)
		).toBeInTheDocument();
		await fireEvent.click(within(group).getByRole('button', { name: 'Answer again' }));
		expect(within(group).getByRole('button', { name: /Check answer/ })).toBeInTheDocument();
	});

	it('asks before resetting the lesson, then goes back to its start', async () => {
		const { session } = await renderLesson();
		await startTasks();
		session.apply(
			[{ type: 'enableSystemIdentity', resourceId: vm(session, 'vm-stock-app') }],
			'portal'
		);
		await screen.findByText('Tasks 1 of 2 done');
		await fireEvent.click(screen.getByRole('button', { name: 'Reset lesson' }));
		const dialog = await screen.findByRole('alertdialog', { name: 'Reset this lesson?' });
		await fireEvent.click(within(dialog).getByRole('button', { name: 'Reset the lesson' }));
		await screen.findByText('Tasks 0 of 2 done');
	});

	it('saves the world after every action and finds it again on the next visit', async () => {
		const first = await renderLesson();
		await startTasks();
		first.session.apply(
			[{ type: 'enableSystemIdentity', resourceId: vm(first.session, 'vm-stock-app') }],
			'portal'
		);
		await waitFor(() => expect(first.progress?.lessons['system-assigned']?.world).toBeTruthy());
		expect(first.progress?.lessons['system-assigned']?.status).toBe('inProgress');
		first.unmount();

		const second = await renderLesson('system-assigned', first.progress);
		await screen.findByText('Tasks 1 of 2 done');
		expect(findResourcesByName(second.session.world, 'vm-stock-app')[0]).toMatchObject({
			identity: { systemAssigned: expect.anything() as unknown }
		});
	});

	it('says so when no lesson has the id, with a link home', async () => {
		const session = new LabSession(createDefaultWorld());
		render(LessonPanel, {
			props: { id: 'no-such-lesson', progress: null, load: () => Promise.resolve(null) },
			context: labContextMap({ session, view: new LabView() })
		});
		expect(
			await screen.findByRole('heading', { name: 'There is no lesson called “no-such-lesson”' })
		).toBeInTheDocument();
		expect(screen.getByRole('link', { name: /home page/ })).toHaveAttribute('href', '#/');
	});

	it('never overwrites another tab’s save: it says so and lets the learner choose', async () => {
		const kv = memoryStore();
		const mine = await progressOver(kv);
		const { session } = await renderLesson('system-assigned', mine);
		await startTasks();
		session.apply(
			[{ type: 'enableSystemIdentity', resourceId: vm(session, 'vm-stock-app') }],
			'portal'
		);
		// Saved on starting the tasks (revision 0) and after the change (revision 1).
		await waitFor(() => expect(mine.lessons['system-assigned']?.revision).toBe(1));
		const revision = 1;
		// Another tab saves the same lesson over the revision both read.
		const theirs = await progressOver(kv);
		const saved = await theirs.save(
			{ lessonId: 'system-assigned', status: 'inProgress', answers: {}, world: null, step: 0 },
			revision
		);
		expect(saved.ok).toBe(true);
		session.apply(
			[{ type: 'deleteResource', resourceId: vm(session, 'vm-stock-web-3') }],
			'portal'
		);
		expect(await screen.findByText(/Another tab saved this lesson meanwhile/)).toBeInTheDocument();
		expect(kv.data.get('lesson:system-assigned')).toMatchObject({ world: null });
		await fireEvent.click(screen.getByRole('button', { name: 'Keep this tab’s work' }));
		await waitFor(() =>
			expect(kv.data.get('lesson:system-assigned')).toMatchObject({ revision: revision + 2 })
		);
	});
});
