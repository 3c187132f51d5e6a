import { describe, expect, it } from 'vitest';
import { createTestModel } from '@xstate/graph';
import { createActor, type SnapshotFrom } from 'xstate';
import {
	lessonMachine,
	outlineOf,
	type LessonEmitted,
	type LessonEvent,
	type LessonOutline
} from '../../src/curriculum/lesson.machine.ts';
import { expectCoverage } from '../machines/model-helpers.ts';

const OUTLINE: LessonOutline = {
	lessonId: 'demo',
	tasks: [
		{ id: 'a', hints: 1 },
		{ id: 'b', hints: 2 }
	],
	solutionSteps: 2,
	quiz: [{ id: 'q', correct: [1] }]
};

type Snapshot = SnapshotFrom<typeof lessonMachine>;

const EVENTS: LessonEvent[] = [
	{ type: 'lesson.begin' },
	{ type: 'checks.update', passing: { a: true, b: false } },
	{ type: 'checks.update', passing: { a: true, b: true } },
	{ type: 'hint.request', taskId: 'b' },
	{ type: 'showMe.request' },
	{ type: 'step.ran', source: 'showMe' },
	{ type: 'step.ran', source: 'learner' },
	{ type: 'step.undo' },
	{ type: 'solution.request' },
	{ type: 'solution.confirm' },
	{ type: 'solution.cancel' },
	{ type: 'lesson.reset' },
	{ type: 'quiz.answer', questionId: 'q', options: [0] },
	{ type: 'quiz.answer', questionId: 'q', options: [1] }
];

function start(outline = OUTLINE) {
	const actor = createActor(lessonMachine, { input: outline });
	const emitted: LessonEmitted[] = [];
	actor.on('*', (e) => emitted.push(e));
	actor.start();
	return { actor, emitted };
}

describe('lessonMachine (model-based)', () => {
	const model = createTestModel(lessonMachine, {
		events: EVENTS,
		input: OUTLINE,
		// Context grows with every step; two of each are enough to show every rule.
		stopWhen: (s: Snapshot) => s.context.stepSources.length > 2 || s.context.showMeCount > 2
	});
	const paths = model.getShortestPaths({
		serializeState: (s: Snapshot) =>
			JSON.stringify([
				s.value,
				s.context.passing,
				s.context.withHelp,
				s.context.hintsShown.b,
				s.context.nextStep,
				s.context.stepSources
			])
	});

	it('reaches every state and uses every event', () => {
		expectCoverage(
			lessonMachine,
			paths,
			// showMe.request only emits, and solution.cancel returns to a state reached more directly, so no
			// shortest path needs them: the tests below send both.
			EVENTS.map((e) => e.type).filter((t) => t !== 'showMe.request' && t !== 'solution.cancel')
		);
	});

	it.each(paths.map((p, i) => [i, p] as const))('keeps its rules on path %i', (_, path) => {
		for (const step of path.steps) {
			const s = step.state;
			// Never in the quiz while a task fails; done only with every answer right.
			if (s.hasTag('quiz')) expect(Object.values(s.context.passing).every(Boolean)).toBe(true);
			if (s.hasTag('done')) expect(s.context.answers.q).toEqual([1]);
			expect(s.context.hintsShown.b ?? 0).toBeLessThanOrEqual(2);
			expect(s.context.nextStep).toBeLessThanOrEqual(OUTLINE.solutionSteps);
		}
	});
});

describe('lessonMachine', () => {
	it('goes introduction → tasks → quiz → complete, emitting completion without help', () => {
		const { actor, emitted } = start();
		expect(actor.getSnapshot().value).toBe('introduction');
		actor.send({ type: 'lesson.begin' });
		actor.send({ type: 'checks.update', passing: { a: true } });
		expect(actor.getSnapshot().matches('tasks')).toBe(true);
		actor.send({ type: 'checks.update', passing: { a: true, b: true } });
		expect(actor.getSnapshot().value).toBe('quiz');
		actor.send({ type: 'quiz.answer', questionId: 'q', options: [0] });
		expect(actor.getSnapshot().value).toBe('quiz');
		actor.send({ type: 'quiz.answer', questionId: 'q', options: [1] });
		expect(actor.getSnapshot().value).toBe('complete');
		expect(emitted).toEqual([{ type: 'lesson.completed', withHelp: false }]);
	});

	it('goes back from the quiz to the checklist when a task stops passing', () => {
		const { actor } = start();
		actor.send({ type: 'lesson.begin' });
		actor.send({ type: 'checks.update', passing: { a: true, b: true } });
		expect(actor.getSnapshot().matches('quiz')).toBe(true);
		actor.send({ type: 'checks.update', passing: { a: true, b: false } });
		expect(actor.getSnapshot().matches('tasks')).toBe(true);
	});

	it('reveals hints one at a time, no further than the last', () => {
		const { actor } = start();
		for (let i = 0; i < 4; i++) actor.send({ type: 'hint.request', taskId: 'b' });
		actor.send({ type: 'hint.request', taskId: 'nope' });
		expect(actor.getSnapshot().context.hintsShown).toEqual({ a: 0, b: 2 });
	});

	it('show me emits the next reference step; undo of a show-me step steps back', () => {
		const { actor, emitted } = start();
		actor.send({ type: 'lesson.begin' });
		actor.send({ type: 'showMe.request' });
		actor.send({ type: 'step.ran', source: 'showMe' });
		actor.send({ type: 'step.ran', source: 'learner' });
		actor.send({ type: 'showMe.request' });
		expect(emitted).toEqual([
			{ type: 'runner.step', index: 0 },
			{ type: 'runner.step', index: 1 }
		]);
		actor.send({ type: 'step.undo' });
		expect(actor.getSnapshot().context.nextStep).toBe(1);
		actor.send({ type: 'step.undo' });
		expect(actor.getSnapshot().context.nextStep).toBe(0);
		actor.send({ type: 'step.undo' });
		expect(emitted.filter((e) => e.type === 'runner.undo')).toHaveLength(2);
	});

	it('show solution asks first; confirming resets, replays and completes with help', () => {
		const { actor, emitted } = start();
		actor.send({ type: 'lesson.begin' });
		actor.send({ type: 'solution.request' });
		expect(actor.getSnapshot().hasTag('confirming')).toBe(true);
		actor.send({ type: 'solution.cancel' });
		expect(emitted).toEqual([]);
		actor.send({ type: 'solution.request' });
		actor.send({ type: 'solution.confirm' });
		expect(emitted).toEqual([{ type: 'runner.reset' }, { type: 'runner.replaySolution' }]);
		actor.send({ type: 'checks.update', passing: { a: true, b: true } });
		actor.send({ type: 'quiz.answer', questionId: 'q', options: [1] });
		expect(emitted.at(-1)).toEqual({ type: 'lesson.completed', withHelp: true });
	});

	it('reset goes back to a fresh checklist from anywhere, and never runs out of time', () => {
		const { actor, emitted } = start();
		actor.send({ type: 'lesson.begin' });
		actor.send({ type: 'checks.update', passing: { a: true, b: true } });
		actor.send({ type: 'lesson.reset' });
		const s = actor.getSnapshot();
		expect(s.matches('tasks')).toBe(true);
		expect(s.context.passing).toEqual({ a: false, b: false });
		expect(emitted).toContainEqual({ type: 'runner.reset' });
		expect(JSON.stringify(lessonMachine.config)).not.toMatch(/"after"|"invoke"/);
	});

	it('builds its outline from a lesson', () => {
		expect(
			outlineOf({
				id: 'x',
				scenario: {
					tasks: [{ id: 't', hints: ['h1', 'h2'] }],
					solution: [{}, {}, {}],
					quiz: [{ id: 'q', options: [{ correct: false }, { correct: true }] }]
				}
			})
		).toEqual({
			lessonId: 'x',
			tasks: [{ id: 't', hints: 2 }],
			solutionSteps: 3,
			quiz: [{ id: 'q', correct: [1] }]
		});
	});
});
