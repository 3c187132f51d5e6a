/**
 * A lesson's walkthrough as a deck the presenter steps through, over one lab session: going forward runs the
 * next demonstration's step through the session (the same pipeline the learner uses, visibly: the line is
 * typed, the blade opens), going back restores the step's snapshot. The presenter and the audience window
 * each have one; the audience's follows the presenter's published step.
 */
import { portalOperations } from '../../curriculum/portal.ts';
import { linesToPlace, runStep, type LabState } from '../../curriculum/runner.ts';
import type { Demonstration, Lesson, Step } from '../../curriculum/schema.ts';
import type { ShellState, World } from '../../core/index.ts';
import type { Exchange, LabSession, Origin, TranscriptEntry } from '../lab/session.svelte.ts';
import type { BladeRef, LabView } from '../lab/view.svelte.ts';
import { worldFingerprint } from './fingerprint.ts';
import { bladeForStep, viewForStep } from './focus.ts';
import type { PresentView } from './protocol.ts';
import { StepTimeline, type StepRun } from './timeline.ts';

/** One step's snapshot: the world and terminal as that step left them, and what the stage showed. */
export interface DeckSnapshot {
	world: World;
	shell: ShellState;
	transcript: TranscriptEntry[];
	exchanges: Exchange[];
	view: PresentView;
	blade: BladeRef | null;
	/** True when the step ran through the session, so its terminal output is in the snapshot. */
	shown: boolean;
}

/** How the deck waits between the visible parts of a step (tests pass one that returns at once). */
export interface DeckOptions {
	/** False to run steps at once (reduced motion, tests). */
	animate?: () => boolean;
	delay?: (ms: number) => Promise<void>;
}

/** Origins of changes the presenter made by hand (they fork the timeline). */
const BY_HAND: readonly Origin[] = ['terminal', 'portal', 'clock'];
const TYPE_MS = 28;
const TYPE_MAX_MS = 1400;

/** A short description of a portal step, for the stage and the event log. */
export function stepLabel(step: Step): string {
	if (!('portal' in step)) return step.run;
	const [area = '', action = ''] = step.portal.split('.');
	const words = action.replace(/([A-Z])/g, ' $1').toLowerCase();
	const details = [step.resource, step.identity, step.role, step.principal, step.scope]
		.filter((x): x is string => typeof x === 'string')
		.join(', ');
	return `Portal: ${area === 'roleAssignment' ? 'role assignment' : area} — ${words}${details ? ` (${details})` : ''}`;
}

/** The deck of one lesson's walkthrough. */
export class PresentDeck {
	/** 0 is the title; 1… the demonstrations. */
	step = $state(0);
	status = $state<'ready' | 'running' | 'failed'>('ready');
	error = $state<string | null>(null);
	/** The part of the line typed so far while a terminal step is typed out. */
	typing = $state<string | null>(null);
	/** The view the stage shows in front. */
	focus = $state<PresentView>('topology');
	/** The world's fingerprint once the step has run; null while it runs. */
	worldHash = $state<string | null>(null);
	/** True when the world shown is the presenter's own (acted on), not the walkthrough's. */
	forked = $state(false);

	readonly lesson: Lesson;
	readonly timeline: StepTimeline<DeckSnapshot>;
	readonly #session: LabSession;
	readonly #view: LabView;
	readonly #animate: () => boolean;
	readonly #delay: (ms: number) => Promise<void>;
	#nav = 0;
	#stop: () => void;

	constructor(
		lesson: Lesson,
		start: LabState,
		session: LabSession,
		view: LabView,
		options: DeckOptions = {}
	) {
		this.lesson = lesson;
		this.#session = session;
		this.#view = view;
		this.#animate = options.animate ?? (() => false);
		this.#delay = options.delay ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
		const first: DeckSnapshot = {
			world: start.world,
			shell: start.shell,
			transcript: [],
			exchanges: [],
			view: 'topology',
			blade: null,
			shown: true
		};
		this.timeline = new StepTimeline(first, this.count, (state, n) => this.#silent(state, n));
		this.#restore(first);
		this.worldHash = worldFingerprint(start.world);
		this.#stop = session.onChange((_events, origin) => {
			if (!BY_HAND.includes(origin)) return;
			// The session records the line's output just after it notifies: take the snapshot after that.
			queueMicrotask(() => this.#fork());
		});
	}

	/** How many demonstrations the walkthrough has. */
	get count(): number {
		return this.lesson.scenario.walkthrough.length;
	}

	/** The demonstration shown (null on the title). */
	get demonstration(): Demonstration | null {
		return this.step === 0 ? null : (this.lesson.scenario.walkthrough[this.step - 1] ?? null);
	}

	/** The demonstration after this one (null at the end). */
	get upcoming(): Demonstration | null {
		return this.lesson.scenario.walkthrough[this.step] ?? null;
	}

	/** Stops following the session (when the page goes). */
	destroy(): void {
		this.#stop();
		this.#nav++;
	}

	/** The next step, run visibly. */
	next(): Promise<void> {
		return this.step < this.count ? this.go(this.step + 1, { live: true }) : Promise.resolve();
	}

	/** The previous step, restored. */
	back(): Promise<void> {
		return this.step > 0 ? this.go(this.step - 1) : Promise.resolve();
	}

	/** Back to the title and the walkthrough's world: forks are discarded. */
	reset(): Promise<void> {
		this.timeline.reset();
		return this.go(0);
	}

	/**
	 * Shows step `n`: restored from its snapshot when kept, else run from the previous step's snapshot
	 * (visibly when `live`). A later call supersedes one still running.
	 */
	async go(n: number, options: { live?: boolean } = {}): Promise<void> {
		const target = Math.max(0, Math.min(this.count, Math.trunc(n)));
		const nav = ++this.#nav;
		this.step = target;
		this.error = null;
		this.typing = null;
		const kept = this.timeline.cached(target);
		const forked = this.timeline.forkedAt !== null && target >= this.timeline.forkedAt;
		if (kept && (target === 0 || forked || (kept.shown && !options.live))) {
			this.#restore(kept);
			this.#settle(forked);
			return;
		}
		this.status = 'running';
		this.worldHash = null;
		const before = await this.timeline.at(target - 1);
		if (nav !== this.#nav) return;
		this.#restore(before.state);
		if (!before.ok) {
			this.status = 'failed';
			this.error = `Step ${before.failedAt} could not run on the presenter's world: ${before.error}`;
			this.worldHash = worldFingerprint(this.#session.world);
			return;
		}
		const step = this.lesson.scenario.walkthrough[target - 1]?.step;
		if (!step) return;
		const error = await this.#runLive(step, nav, options.live === true && this.#animate());
		if (nav !== this.#nav) return;
		if (error !== null) {
			this.status = 'failed';
			this.error = error;
			this.worldHash = worldFingerprint(this.#session.world);
			return;
		}
		this.timeline.record(target, this.#capture(true));
		this.#settle(this.timeline.forkedAt !== null && target >= this.timeline.forkedAt);
	}

	#settle(forked: boolean): void {
		this.status = 'ready';
		this.forked = forked;
		this.worldHash = worldFingerprint(this.#session.world);
	}

	/** Runs a step through the session; returns why it failed, or null. */
	async #runLive(step: Step, nav: number, animate: boolean): Promise<string | null> {
		const session = this.#session;
		const exchangesBefore = session.exchanges.length;
		if ('portal' in step) {
			const blade = bladeForStep(session.world, step);
			if (blade) {
				this.#view.open(blade);
				this.focus = 'portal';
			}
			if (animate) await this.#delay(700);
			if (nav !== this.#nav) return null;
			const ops = portalOperations(session.world, step);
			if (!ops.ok) return ops.error;
			const record = session.act({ label: stepLabel(step), operations: ops.value }, 'lesson');
			if (!record.ok) return record.error?.message ?? 'The portal refused the action.';
		} else {
			this.focus = 'terminal';
			const lines = [
				...linesToPlace(session.world, session.shell, step.in ?? 'cloud-shell'),
				step.run
			];
			for (const line of lines) {
				if (animate) {
					const per = Math.min(TYPE_MS, TYPE_MAX_MS / Math.max(1, line.length));
					for (let i = 1; i <= line.length; i += 2) {
						this.typing = line.slice(0, i);
						await this.#delay(per * 2);
						if (nav !== this.#nav) return null;
					}
					this.typing = line;
					await this.#delay(250);
					if (nav !== this.#nav) return null;
				}
				this.typing = null;
				const entry = await session.run(line, 'lesson');
				if (nav !== this.#nav) return null;
				if (entry.exitCode !== 0)
					return `'${line}' exited with ${entry.exitCode}: ${(entry.stderr || entry.stdout).trim()}`;
			}
		}
		const hops = session.exchanges.slice(exchangesBefore).flatMap((e) => e.hops);
		this.focus = viewForStep(step, hops);
		return null;
	}

	/** Runs step n without the session (to reach a step far ahead): its snapshot has no terminal output. */
	async #silent(state: DeckSnapshot, n: number): Promise<StepRun<DeckSnapshot>> {
		const step = this.lesson.scenario.walkthrough[n - 1]?.step;
		if (!step) return { ok: false, state, error: `There is no step ${n}.` };
		const outcome = await runStep(
			{ world: state.world, shell: state.shell },
			step,
			{ keyRing: this.#session.keyRing },
			{ navigate: true }
		);
		const next: DeckSnapshot = {
			world: outcome.state.world,
			shell: outcome.state.shell,
			transcript: [],
			exchanges: [],
			// A silent run keeps no HTTP exchanges; a token event says a token was asked for all the same.
			view:
				'portal' in step
					? viewForStep(step, [])
					: outcome.events.some((e) => e.kind === 'token')
						? 'flow'
						: 'topology',
			blade: bladeForStep(state.world, step),
			shown: false
		};
		return outcome.ok
			? { ok: true, state: next }
			: { ok: false, state: next, error: outcome.error ?? 'the step failed' };
	}

	#capture(shown: boolean): DeckSnapshot {
		return {
			world: this.#session.world,
			shell: this.#session.shell,
			transcript: this.#session.transcript,
			exchanges: this.#session.exchanges,
			view: this.focus,
			blade: this.#view.blade,
			shown
		};
	}

	#restore(snapshot: DeckSnapshot): void {
		const session = this.#session;
		session.reset(snapshot.world);
		session.shell = snapshot.shell;
		session.transcript = snapshot.transcript;
		session.exchanges = snapshot.exchanges;
		if (snapshot.blade) this.#view.open(snapshot.blade);
		this.focus = snapshot.view;
	}

	#fork(): void {
		if (this.status === 'running') return;
		this.timeline.fork(this.step, this.#capture(true));
		this.forked = true;
		this.worldHash = worldFingerprint(this.#session.world);
	}

	/** Sets the view in front (the presenter's choice, or the audience following it). */
	show(view: PresentView): void {
		this.focus = view;
	}
}
