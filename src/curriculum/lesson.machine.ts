/**
 * The lesson engine: introduction → tasks (the live checklist) → quiz → complete. Progressive hints, *show me*
 * (the next reference step), *show solution* (asks first, replays from the start, records "completed with
 * help"), reset and undo. The machine decides; the lab session does: it `emit`s `runner.*` events that the
 * session answers by running steps through the same pipeline as the learner, and it is told what the checks
 * say (`checks.update`). No timer, no `invoke`, no `after`: time never runs out on a learner, and every path is
 * traversable by @xstate/graph.
 */
import { assign, emit, not, setup } from 'xstate';

/** What the machine needs to know about a lesson (not its content: the session holds that). */
export interface LessonOutline {
	lessonId: string;
	/** Task ids in order, with how many hints each has. */
	tasks: readonly { id: string; hints: number }[];
	/** How many reference steps the solution has. */
	solutionSteps: number;
	/** Quiz question ids with the indexes of their correct options. */
	quiz: readonly { id: string; correct: readonly number[] }[];
}

/** What the engine remembers. */
export interface LessonContext {
	outline: LessonOutline;
	/** Which tasks pass now, by task id (from the last `checks.update`). */
	passing: Record<string, boolean>;
	/** How many hints of each task are shown. */
	hintsShown: Record<string, number>;
	/** The index of the next reference step *show me* runs. */
	nextStep: number;
	/** Who made each step on the undo stack, newest last. */
	stepSources: ('learner' | 'showMe')[];
	/** Quiz answers: chosen option indexes by question id. */
	answers: Record<string, number[]>;
	/** Set when the solution was shown: the lesson is then "completed with help". */
	withHelp: boolean;
	/** How many times *show me* ran a step. */
	showMeCount: number;
}

/** Events the lab session and the UI send. */
export type LessonEvent =
	| { type: 'lesson.begin' }
	| { type: 'checks.update'; passing: Record<string, boolean> }
	| { type: 'hint.request'; taskId: string }
	| { type: 'showMe.request' }
	| { type: 'step.ran'; source: 'learner' | 'showMe' }
	| { type: 'step.undo' }
	| { type: 'solution.request' }
	| { type: 'solution.confirm' }
	| { type: 'solution.cancel' }
	| { type: 'lesson.reset' }
	| { type: 'quiz.answer'; questionId: string; options: readonly number[] };

/** Events the engine emits for the lab session to carry out. */
export type LessonEmitted =
	| { type: 'runner.step'; index: number }
	| { type: 'runner.reset' }
	| { type: 'runner.replaySolution' }
	| { type: 'runner.undo' }
	| { type: 'lesson.completed'; withHelp: boolean };

function sameSet(a: readonly number[], b: readonly number[]): boolean {
	const x = [...new Set(a)].sort((p, q) => p - q);
	const y = [...new Set(b)].sort((p, q) => p - q);
	return x.length === y.length && x.every((v, i) => v === y[i]);
}

function freshContext(outline: LessonOutline): LessonContext {
	return {
		outline,
		passing: Object.fromEntries(outline.tasks.map((t) => [t.id, false])),
		hintsShown: Object.fromEntries(outline.tasks.map((t) => [t.id, 0])),
		nextStep: 0,
		stepSources: [],
		answers: {},
		withHelp: false,
		showMeCount: 0
	};
}

/** The lesson engine machine; start it with `input: outline`. */
export const lessonMachine = setup({
	types: {
		context: {} as LessonContext,
		events: {} as LessonEvent,
		emitted: {} as LessonEmitted,
		input: {} as LessonOutline
	},
	guards: {
		isEveryTaskPassing: ({ context }) =>
			context.outline.tasks.every((t) => context.passing[t.id] === true),
		isEveryAnswerRight: ({ context }) =>
			context.outline.quiz.every((q) => sameSet(context.answers[q.id] ?? [], q.correct)),
		hasNextStep: ({ context }) => context.nextStep < context.outline.solutionSteps,
		hasStepToUndo: ({ context }) => context.stepSources.length > 0,
		hasMoreHints: ({ context, event }) => {
			if (event.type !== 'hint.request') return false;
			const task = context.outline.tasks.find((t) => t.id === event.taskId);
			return task !== undefined && (context.hintsShown[task.id] ?? 0) < task.hints;
		},
		isKnownQuestion: ({ context, event }) =>
			event.type === 'quiz.answer' && context.outline.quiz.some((q) => q.id === event.questionId)
	},
	actions: {
		recordChecks: assign({
			passing: ({ context, event }) =>
				event.type === 'checks.update'
					? Object.fromEntries(
							context.outline.tasks.map((t) => [t.id, event.passing[t.id] === true])
						)
					: context.passing
		}),
		showHint: assign({
			hintsShown: ({ context, event }) =>
				event.type === 'hint.request'
					? { ...context.hintsShown, [event.taskId]: (context.hintsShown[event.taskId] ?? 0) + 1 }
					: context.hintsShown
		}),
		emitNextStep: emit(({ context }) => ({
			type: 'runner.step' as const,
			index: context.nextStep
		})),
		recordStep: assign(({ context, event }) => {
			if (event.type !== 'step.ran') return {};
			return event.source === 'showMe'
				? {
						stepSources: [...context.stepSources, 'showMe' as const],
						nextStep: Math.min(context.nextStep + 1, context.outline.solutionSteps),
						showMeCount: context.showMeCount + 1
					}
				: { stepSources: [...context.stepSources, 'learner' as const] };
		}),
		undoStep: assign(({ context }) => {
			const last = context.stepSources[context.stepSources.length - 1];
			return {
				stepSources: context.stepSources.slice(0, -1),
				nextStep: last === 'showMe' ? Math.max(0, context.nextStep - 1) : context.nextStep
			};
		}),
		emitUndo: emit({ type: 'runner.undo' as const }),
		emitReset: emit({ type: 'runner.reset' as const }),
		emitReplay: emit({ type: 'runner.replaySolution' as const }),
		restart: assign(({ context }) => freshContext(context.outline)),
		markSolved: assign(({ context }) => ({
			withHelp: true,
			nextStep: context.outline.solutionSteps,
			stepSources: []
		})),
		recordAnswer: assign({
			answers: ({ context, event }) =>
				event.type === 'quiz.answer'
					? { ...context.answers, [event.questionId]: [...event.options] }
					: context.answers
		}),
		emitCompleted: emit(({ context }) => ({
			type: 'lesson.completed' as const,
			withHelp: context.withHelp
		}))
	}
}).createMachine({
	id: 'lesson',
	context: ({ input }) => freshContext(input),
	initial: 'introduction',
	on: {
		'hint.request': { guard: 'hasMoreHints', actions: 'showHint' },
		'lesson.reset': { target: '.tasks', actions: ['restart', 'emitReset'] }
	},
	states: {
		introduction: {
			description: 'The lesson’s story and objectives; nothing is checked yet.',
			on: { 'lesson.begin': 'tasks' }
		},
		tasks: {
			description: 'The live checklist: every change to the world re-evaluates the checks.',
			initial: 'working',
			always: { guard: 'isEveryTaskPassing', target: 'quiz' },
			on: {
				'checks.update': { actions: 'recordChecks' },
				'showMe.request': { guard: 'hasNextStep', actions: 'emitNextStep' },
				'step.ran': { actions: 'recordStep' },
				// A task may check a quiz question (quizCorrect): the UI asks it inline, before the quiz.
				'quiz.answer': { guard: 'isKnownQuestion', actions: 'recordAnswer' },
				'step.undo': { guard: 'hasStepToUndo', actions: ['undoStep', 'emitUndo'] }
			},
			states: {
				working: {
					tags: ['working'],
					on: { 'solution.request': 'confirmingSolution' }
				},
				confirmingSolution: {
					description:
						'"Are you sure you want to see the solution?" The lesson is then completed with help.',
					tags: ['confirming'],
					on: {
						'solution.confirm': {
							target: 'working',
							actions: ['emitReset', 'emitReplay', 'markSolved']
						},
						'solution.cancel': 'working'
					}
				}
			}
		},
		quiz: {
			description: 'Every task passes; the quiz checks what the learner understood.',
			tags: ['quiz'],
			// A task that stops passing (the learner undid it) sends the learner back to the checklist.
			always: [
				{ guard: not('isEveryTaskPassing'), target: 'tasks' },
				{ guard: 'isEveryAnswerRight', target: 'complete' }
			],
			on: {
				'quiz.answer': { guard: 'isKnownQuestion', actions: 'recordAnswer' },
				'checks.update': { actions: 'recordChecks' }
			}
		},
		complete: {
			description:
				'Done (or done with help); it stays done whatever happens next. Reset starts the lesson again.',
			tags: ['done'],
			entry: 'emitCompleted',
			on: {
				'checks.update': { actions: 'recordChecks' },
				'quiz.answer': { guard: 'isKnownQuestion', actions: 'recordAnswer' }
			}
		}
	}
});

/** The outline the machine needs, from a loaded lesson. */
export function outlineOf(lesson: {
	id: string;
	scenario: {
		tasks: readonly { id: string; hints: readonly string[] }[];
		solution: readonly unknown[];
		quiz: readonly { id: string; options: readonly { correct: boolean }[] }[];
	};
}): LessonOutline {
	return {
		lessonId: lesson.id,
		tasks: lesson.scenario.tasks.map((t) => ({ id: t.id, hints: t.hints.length })),
		solutionSteps: lesson.scenario.solution.length,
		quiz: lesson.scenario.quiz.map((q) => ({
			id: q.id,
			correct: q.options.flatMap((o, i) => (o.correct ? [i] : []))
		}))
	};
}
