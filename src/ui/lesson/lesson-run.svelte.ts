/**
 * One lesson running in the lab: the lesson engine (lesson.machine, XState) decides, this class does. It builds
 * the lesson's start and puts it in the lab session, answers the engine's `runner.*` events by running steps
 * through the session (so the terminal, blades and diagrams move as they would for the learner), tells the
 * engine what the checks say after every change of the world, and saves progress after every action.
 * The checklist is derived from `session.world`; nothing here keeps a copy of the world.
 */
import { defaultWorld } from 'virtual:default-world';
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import { restoreWorld, snapshotWorld, type EpochSeconds, type World } from '../../core/index.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { evaluateTasks } from '../../curriculum/checks.ts';
import { lessonMachine, outlineOf, type LessonContext } from '../../curriculum/lesson.machine.ts';
import type { LessonRecord, SaveResult } from '../../curriculum/progress.ts';
import { buildStart, linesToPlace, runSteps, type LabState } from '../../curriculum/runner.ts';
import type { Lesson, Step } from '../../curriculum/schema.ts';
import type { LabSession } from '../lab/session.svelte.ts';
import type { LabView } from '../lab/view.svelte.ts';
import { planPortalStep } from './portal-step.ts';

/** Where progress goes (the page's ProgressState, or a stand-in in tests). */
export interface ProgressPort {
	lessons: Record<string, LessonRecord>;
	save(
		record: Omit<LessonRecord, 'version' | 'revision' | 'updatedAt'>,
		expectedRevision: number | null
	): Promise<SaveResult>;
}

/** What the last *show me* did, for the panel to say. */
export interface ShownStep {
	index: number;
	/** The step in words: the terminal line, or the portal action's label. */
	text: string;
	error: string | null;
}

/** What creating a run needs. */
export interface LessonRunOptions {
	session: LabSession;
	view: LabView;
	lesson: Lesson;
	progress: ProgressPort | null;
	/** Loads another lesson (for a lesson that starts where the previous one ended). */
	loadLesson?: (number: number) => Promise<Lesson | null>;
	/** A walkthrough step to open at (`#/lesson/<id>/<step>`, the presenter's "follow on your device" link). */
	step?: number | null;
	/** A world and step from a share link, or why the link could not be used. */
	shared?: { world: World; step: number } | { broken: string } | null;
}

/** The engine's phase, as the panel shows it. */
export type Phase = 'introduction' | 'tasks' | 'quiz' | 'complete';

/** Describes a step in words for the learner. */
export function stepText(step: Step): string {
	if ('run' in step) return step.in ? `${step.run}  (on ${step.in})` : step.run;
	const parts: string[] = [step.portal];
	for (const key of ['resource', 'identity', 'principal', 'role', 'scope'] as const)
		if (step[key]) parts.push(`${key} ${step[key]}`);
	if (step.seconds) parts.push(`${step.seconds} s`);
	return `Portal: ${parts.join(', ')}`;
}

/** A lesson's end state: its start with its reference solution run (for lessons that start from it). */
async function endOf(
	lesson: Lesson,
	options: { defaultWorld: World; env: { keyRing: LabSession['keyRing'] } },
	loadLesson: LessonRunOptions['loadLesson']
): Promise<Result<LabState, string>> {
	const start = await startOf(lesson, options, loadLesson);
	if (!start.ok) return start;
	const ran = await runSteps(start.value, lesson.scenario.solution, options.env, {
		navigate: true
	});
	return ran.failedAt === null
		? ok(ran.state)
		: err(`The solution of ${lesson.title} stopped at step ${ran.failedAt + 1}.`);
}

function startOf(
	lesson: Lesson,
	options: { defaultWorld: World; env: { keyRing: LabSession['keyRing'] } },
	loadLesson: LessonRunOptions['loadLesson']
) {
	return buildStart(lesson, {
		...options,
		previousEnd: async () => {
			const previous = await loadLesson?.(lesson.number - 1);
			if (!previous)
				return err(`${lesson.title} starts where the previous lesson ended, which was not found.`);
			return endOf(previous, options, loadLesson);
		}
	});
}

/** A lesson in the lab. Call `start()` once; `destroy()` when the panel goes. */
export class LessonRun {
	readonly lesson: Lesson;
	snapshot = $state.raw<SnapshotFrom<typeof lessonMachine> | null>(null);
	/** Set when the lesson could not start (its start steps failed). */
	failure = $state<string | null>(null);
	/** True while *show me* or *show solution* runs steps. */
	driving = $state(false);
	lastShown = $state.raw<ShownStep | null>(null);
	/** Said when saved progress could not be used, or another tab saved this lesson. */
	notice = $state<string | null>(null);
	/** Set when another tab saved this lesson after this tab read it: saving stops until the learner chooses. */
	conflict = $state.raw<LessonRecord | null>(null);
	/** Simulated time and event number at the lesson's start (what the checks count from). */
	startSeq = $state(0);
	startTime = $state(0 as EpochSeconds);
	started = $state(false);

	/** Every task's checks on the world as it is now. */
	results = $derived.by(() =>
		this.started
			? evaluateTasks(this.lesson.scenario.tasks, {
					world: this.#session.world,
					startSeq: this.startSeq,
					startTime: this.startTime,
					quiz: this.lesson.scenario.quiz,
					answers: this.snapshot?.context.answers ?? {}
				})
			: []
	);

	#session: LabSession;
	#view: LabView;
	#progress: ProgressPort | null;
	#loadLesson: LessonRunOptions['loadLesson'];
	#actor: Actor<typeof lessonMachine> | null = null;
	#startWorld: World | null = null;
	#revision: number | null = null;
	#depth = 0;
	/** For each step on the engine's undo stack: did it change the world (so undo has a world to take back)? */
	#changed: boolean[] = [];
	#work: Promise<unknown> = Promise.resolve();
	#saving: Promise<void> | null = null;
	#saveAgain = false;
	#unlisten: (() => void) | null = null;
	#destroyed = false;

	readonly #shared: LessonRunOptions['shared'];
	readonly #step: number | null;

	/**
	 * Opens at walkthrough step `step` (1 = after the first demonstration): the world the presenter's audience
	 * sees there, as one step the learner can undo to the lesson's own start.
	 */
	async #openAtStep(step: number, keyRing: LabSession['keyRing']): Promise<void> {
		const { walkthrough } = this.lesson.scenario;
		const count = Math.min(step, walkthrough.length);
		const ran = await runSteps(
			{ world: this.#session.world, shell: this.#session.shell },
			walkthrough.slice(0, count).map((d) => d.step),
			{ keyRing },
			{ navigate: true }
		);
		if (this.#destroyed) return;
		if (ran.failedAt !== null) {
			this.notice = `Step ${ran.failedAt + 1} of the walkthrough could not be run here (${ran.outcomes[ran.failedAt]?.error ?? 'unknown'}); the lesson opens at its start.`;
			return;
		}
		this.#session.replaceWorld(ran.state.world);
		this.notice = `This lesson opened where the walkthrough is after step ${count} of ${walkthrough.length}. Undo goes back to the lesson's start.`;
	}

	constructor(options: LessonRunOptions) {
		this.lesson = options.lesson;
		this.#session = options.session;
		this.#view = options.view;
		this.#progress = options.progress;
		this.#loadLesson = options.loadLesson;
		this.#shared = options.shared ?? null;
		this.#step = options.step ?? null;
	}

	/** The engine's phase. */
	get phase(): Phase {
		const s = this.snapshot;
		if (!s) return 'introduction';
		if (s.matches('complete')) return 'complete';
		if (s.matches('quiz')) return 'quiz';
		if (s.matches('tasks')) return 'tasks';
		return 'introduction';
	}

	get context(): LessonContext | null {
		return this.snapshot?.context ?? null;
	}

	/** True while *show solution* waits for the learner to confirm. */
	get confirming(): boolean {
		return this.snapshot?.hasTag('confirming') ?? false;
	}

	get canShowMe(): boolean {
		const c = this.context;
		return (
			!this.driving && c !== null && this.phase === 'tasks' && c.nextStep < c.outline.solutionSteps
		);
	}

	get canUndo(): boolean {
		return !this.driving && this.#session.undoDepth > 0;
	}

	/** Builds the start, restores saved progress if there is any, and starts the engine. */
	async start(): Promise<void> {
		const keyRing = this.#session.keyRing;
		const built = await startOf(
			this.lesson,
			{ defaultWorld: defaultWorld(), env: { keyRing } },
			this.#loadLesson
		);
		if (this.#destroyed) return;
		if (!built.ok) {
			this.failure = built.error;
			return;
		}
		this.#startWorld = built.value.world;
		this.startSeq = built.value.startSeq;
		this.startTime = built.value.world.now;

		const saved = this.#progress?.lessons[this.lesson.id];
		this.#revision = saved?.revision ?? null;
		let world = built.value.world;
		if (saved?.world) {
			const restored = restoreWorld(saved.world);
			if (restored.ok) world = restored.value;
			else
				this.notice = `The saved world of this lesson could not be read (${restored.error.message}); it starts again from the beginning.`;
		}
		this.#session.reset(world);
		// A share link's world comes on top, as one step the learner can undo to find their own world again.
		const shared = this.#shared;
		if (shared && 'world' in shared) {
			this.#session.replaceWorld(shared.world);
			this.notice =
				'This lesson opened with the world of a shared link. Undo goes back to your own world of this lesson.';
		} else if (shared) this.notice = shared.broken;
		else if (this.#step !== null && saved?.world)
			this.notice = `This link opens the walkthrough's step ${this.#step}; your own saved world of this lesson is kept instead (Reset lesson starts it again).`;
		else if (this.#step !== null) await this.#openAtStep(this.#step, keyRing);
		this.#depth = this.#session.undoDepth;

		const outline = outlineOf(this.lesson);
		const sharedStep = shared && 'world' in shared ? shared.step : null;
		const actor =
			saved || sharedStep !== null
				? createActor(lessonMachine, {
						input: outline,
						snapshot: lessonMachine.resolveState({
							value:
								saved && saved.status !== 'inProgress' && !saved.world && sharedStep === null
									? 'complete'
									: { tasks: 'working' },
							context: {
								outline,
								passing: Object.fromEntries(outline.tasks.map((t) => [t.id, false])),
								hintsShown: Object.fromEntries(outline.tasks.map((t) => [t.id, 0])),
								nextStep: Math.min(sharedStep ?? saved?.step ?? 0, outline.solutionSteps),
								stepSources: [],
								answers: saved?.answers ?? {},
								withHelp: saved?.status === 'doneWithHelp',
								showMeCount: 0
							}
						})
					})
				: createActor(lessonMachine, { input: outline });
		actor.on('runner.step', (e) => this.#queue(() => this.#showMe(e.index)));
		actor.on('runner.reset', () => this.#queue(() => this.#reset()));
		actor.on('runner.replaySolution', () => this.#queue(() => this.#replay()));
		actor.on('runner.undo', () => this.#undoStep());
		actor.on('lesson.completed', () => this.#save());
		actor.subscribe((s) => {
			this.snapshot = s;
		});
		this.#actor = actor;
		actor.start();
		this.snapshot = actor.getSnapshot();
		this.started = true;
		this.#unlisten = this.#session.onChange((_events, origin) => this.#changedWorld(origin));
		this.#sendChecks();
	}

	/** Leaves the introduction for the checklist. */
	begin(): void {
		this.#actor?.send({ type: 'lesson.begin' });
		this.#sendChecks();
		this.#save();
	}

	/** Shows the next hint of a task. */
	hint(taskId: string): void {
		this.#actor?.send({ type: 'hint.request', taskId });
	}

	/** Runs the next reference step through the session. */
	showMe(): void {
		if (this.canShowMe) this.#actor?.send({ type: 'showMe.request' });
	}

	/** Asks to see the solution (the panel then asks the learner to confirm). */
	requestSolution(): void {
		this.#actor?.send({ type: 'solution.request' });
	}

	confirmSolution(): void {
		this.#actor?.send({ type: 'solution.confirm' });
	}

	cancelSolution(): void {
		this.#actor?.send({ type: 'solution.cancel' });
	}

	/** Back to the lesson's start (the panel asks first). */
	reset(): void {
		this.#actor?.send({ type: 'lesson.reset' });
	}

	/** Undoes the last step (the learner's or *show me*'s). */
	undo(): void {
		if (this.driving) return;
		if (this.context && this.context.stepSources.length > 0)
			this.#actor?.send({ type: 'step.undo' });
		else this.#session.undo();
	}

	/** Answers a quiz question with the chosen option indexes. */
	answer(questionId: string, options: readonly number[]): void {
		this.#actor?.send({ type: 'quiz.answer', questionId, options });
		this.#sendChecks();
		this.#save();
	}

	/** Another tab saved this lesson: take its version (true) or keep this tab's and save over it (false). */
	resolveConflict(takeTheirs: boolean): void {
		const theirs = this.conflict;
		if (!theirs) return;
		this.conflict = null;
		this.#revision = theirs.revision;
		if (takeTheirs) {
			if (theirs.world) {
				const restored = restoreWorld(theirs.world);
				if (restored.ok) this.#session.reset(restored.value);
			}
			for (const [questionId, options] of Object.entries(theirs.answers))
				this.#actor?.send({ type: 'quiz.answer', questionId, options });
			this.#sendChecks();
		} else this.#save();
	}

	/** Stops the engine and stops listening to the session. */
	destroy(): void {
		this.#destroyed = true;
		this.#unlisten?.();
		this.#actor?.stop();
	}

	#queue(job: () => Promise<void> | void): void {
		this.#work = this.#work.then(job).catch((cause: unknown) => {
			this.notice = `A lesson step failed: ${cause instanceof Error ? cause.message : String(cause)}`;
		});
	}

	/** Waits until every queued step has run (tests). */
	settled(): Promise<void> {
		return this.#work.then(() => this.#saving ?? undefined);
	}

	#changedWorld(origin: string): void {
		const depth = this.#session.undoDepth;
		if (!this.driving && origin !== 'system' && depth > this.#depth) {
			this.#changed.push(true);
			this.#actor?.send({ type: 'step.ran', source: 'learner' });
		}
		this.#depth = depth;
		this.#sendChecks();
		this.#save();
	}

	#sendChecks(): void {
		if (!this.#actor) return;
		const passing = Object.fromEntries(this.results.map((r) => [r.taskId, r.pass]));
		this.#actor.send({ type: 'checks.update', passing });
	}

	/** Runs one step visibly: terminal lines in the terminal, portal actions in their blade. */
	async #perform(step: Step): Promise<string | null> {
		const session = this.#session;
		if ('portal' in step) {
			const plan = planPortalStep(session.world, step);
			if (!plan.ok) return plan.error;
			if (plan.value.kind === 'clock') {
				const moved = session.advanceClock(plan.value.seconds);
				return moved.ok ? null : moved.error.message;
			}
			if (plan.value.blade) this.#view.open(plan.value.blade);
			const record = session.act(plan.value.action, 'lesson');
			return record.ok ? null : (record.error?.message ?? 'The portal refused the action.');
		}
		this.#view.show('terminal');
		const lines = [
			...linesToPlace(session.world, session.shell, step.in ?? 'cloud-shell'),
			step.run
		];
		for (const line of lines) {
			const entry = await session.run(line, 'lesson');
			if (entry.exitCode !== 0)
				return `'${line}' exited with ${entry.exitCode}${entry.stderr.trim() ? `: ${entry.stderr.trim()}` : ''}`;
		}
		return null;
	}

	async #showMe(index: number): Promise<void> {
		const step = this.lesson.scenario.solution[index];
		if (!step) return;
		this.driving = true;
		const before = this.#session.undoDepth;
		let error: string | null;
		try {
			error = await this.#perform(step);
		} finally {
			this.driving = false;
		}
		this.#changed.push(this.#session.undoDepth > before);
		this.#depth = this.#session.undoDepth;
		this.lastShown = { index, text: stepText(step), error };
		this.#actor?.send({ type: 'step.ran', source: 'showMe' });
		this.#sendChecks();
		this.#save();
	}

	#reset(): void {
		if (!this.#startWorld) return;
		this.#changed = [];
		this.lastShown = null;
		this.driving = true;
		this.#session.reset(this.#startWorld);
		this.driving = false;
		this.#depth = this.#session.undoDepth;
		this.#sendChecks();
		this.#save();
	}

	async #replay(): Promise<void> {
		this.driving = true;
		try {
			for (const [index, step] of this.lesson.scenario.solution.entries()) {
				const error = await this.#perform(step);
				this.lastShown = { index, text: stepText(step), error };
				if (error) break;
			}
		} finally {
			this.driving = false;
		}
		this.#changed = [];
		this.#depth = this.#session.undoDepth;
		this.#sendChecks();
		this.#save();
	}

	#undoStep(): void {
		const changed = this.#changed.pop();
		if (changed !== false) {
			this.driving = true;
			this.#session.undo();
			this.driving = false;
		}
		this.#depth = this.#session.undoDepth;
		this.lastShown = null;
		this.#sendChecks();
		this.#save();
	}

	/** Saves progress; saves run one at a time, and a save asked for meanwhile runs after. */
	#save(): void {
		if (!this.#progress || !this.#actor || this.conflict) return;
		if (this.phase === 'introduction') return;
		if (this.#saving) {
			this.#saveAgain = true;
			return;
		}
		this.#saving = this.#saveNow().finally(() => {
			this.#saving = null;
			if (this.#saveAgain) {
				this.#saveAgain = false;
				this.#save();
			}
		});
	}

	async #saveNow(): Promise<void> {
		const progress = this.#progress;
		const context = this.context;
		if (!progress || !context) return;
		const complete = this.phase === 'complete';
		const before = progress.lessons[this.lesson.id]?.status;
		const status = complete
			? context.withHelp
				? before === 'done'
					? 'done'
					: 'doneWithHelp'
				: 'done'
			: before === 'done' || before === 'doneWithHelp'
				? before
				: 'inProgress';
		try {
			const result = await progress.save(
				{
					lessonId: this.lesson.id,
					status,
					answers: context.answers,
					world: complete ? null : snapshotWorld(this.#session.world),
					step: context.nextStep
				},
				this.#revision
			);
			if (result.ok) this.#revision = result.record.revision;
			else {
				this.conflict = result.current;
				this.notice = result.message;
			}
		} catch (cause) {
			this.notice = `Progress could not be saved (${cause instanceof Error ? cause.message : String(cause)}). Export your progress from the home page to keep it.`;
		}
	}
}
