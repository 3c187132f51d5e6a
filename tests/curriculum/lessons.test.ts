/**
 * Every lesson proves itself: valid against the schema; its start does not satisfy its goal; replaying its
 * reference solution does, with every step succeeding; its walkthrough steps run; every quiz question has its
 * right answers marked and an explanation per option.
 */
import { describe, expect, it } from 'vitest';
import { contextOf, env, evaluateTasks, lessons, startOf } from './lesson-harness.ts';
import { runSteps } from '../../src/curriculum/runner.ts';

const all = lessons();

describe('the curriculum', () => {
	it('has lessons numbered in order with unique ids', () => {
		expect(all.length).toBeGreaterThan(0);
		expect(all.map((l) => l.number)).toEqual([...all.map((l) => l.number)].sort((a, b) => a - b));
	});
});

describe.each(all.map((l) => [l.folder, l] as const))('%s', (_, lesson) => {
	it('starts without its goal met', async () => {
		const start = await startOf(lesson);
		if (!start.ok) throw new Error(start.error);
		const results = evaluateTasks(
			lesson.scenario.tasks,
			contextOf(lesson, start.value, start.value, false)
		);
		expect(results.every((r) => r.pass)).toBe(false);
	});

	it('meets every check after its reference solution, every step succeeding', async () => {
		const start = await startOf(lesson);
		if (!start.ok) throw new Error(start.error);
		const run = await runSteps(start.value, lesson.scenario.solution, await env());
		const failed = run.failedAt === null ? null : run.outcomes[run.failedAt];
		expect(failed?.error ?? null, `solution step ${run.failedAt}`).toBeNull();
		const results = evaluateTasks(
			lesson.scenario.tasks,
			contextOf(lesson, run.state, start.value, true)
		);
		for (const task of results)
			for (const r of task.results) expect(r.pass, `${task.taskId}: ${r.line}`).toBe(true);
	});

	it('runs its walkthrough, each demonstration step succeeding in order', async () => {
		const start = await startOf(lesson);
		if (!start.ok) throw new Error(start.error);
		const steps = lesson.scenario.walkthrough.map((d) => d.step);
		const run = await runSteps(start.value, steps, await env(), { navigate: true });
		const failed = run.failedAt === null ? null : run.outcomes[run.failedAt];
		expect(failed?.error ?? null, `walkthrough step ${run.failedAt}`).toBeNull();
	});

	it('has 3 to 5 quiz questions, each with a right answer and an explanation per option', () => {
		expect(lesson.scenario.quiz.length).toBeGreaterThanOrEqual(3);
		expect(lesson.scenario.quiz.length).toBeLessThanOrEqual(5);
		for (const q of lesson.scenario.quiz) {
			expect(
				q.options.some((o) => o.correct),
				q.id
			).toBe(true);
			expect(
				q.options.some((o) => !o.correct),
				q.id
			).toBe(true);
			for (const o of q.options)
				expect(o.explanation.length, `${q.id}: ${o.text}`).toBeGreaterThan(20);
		}
	});
});
