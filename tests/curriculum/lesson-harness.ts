/** Loads the lessons from disk and replays them, for the per-lesson tests. */
import { resolve } from 'node:path';
import { parseLessons } from '../../src/curriculum/loader.ts';
import { readLessonFiles } from '../../src/curriculum/files.ts';
import type { Lesson } from '../../src/curriculum/schema.ts';
import { buildStart, runSteps, type LabState } from '../../src/curriculum/runner.ts';
import { evaluateTasks, type CheckContext } from '../../src/curriculum/checks.ts';
import type { Result } from '../../src/core/result.ts';
import { createKeyRing } from '../../src/core/token/key-ring.ts';
import { keyedWorld, loadFixtureKey } from '../fixtures/worlds.ts';
import type { NetworkEnv } from '../../src/core/index.ts';

export const LESSONS_DIR = resolve(import.meta.dirname, '../../lessons');

let cached: Lesson[] | null = null;

/** Every lesson, parsed; throws with every problem when one is invalid. */
export function lessons(): Lesson[] {
	if (cached) return cached;
	const parsed = parseLessons(readLessonFiles(LESSONS_DIR));
	if (!parsed.ok) throw new Error(parsed.error.join('\n'));
	cached = parsed.value;
	return cached;
}

let envPromise: Promise<NetworkEnv> | null = null;

/** The network environment with the fixture signing key. */
export function env(): Promise<NetworkEnv> {
	envPromise ??= (async () => {
		const keyRing = createKeyRing();
		keyRing.add(await loadFixtureKey());
		return { keyRing };
	})();
	return envPromise;
}

/** A lesson's start (built from the previous lesson's end when it says so). */
export async function startOf(
	lesson: Lesson
): Promise<Result<LabState & { startSeq: number }, string>> {
	const all = lessons();
	const index = all.findIndex((l) => l.id === lesson.id);
	return buildStart(lesson, {
		// The default world as the lab starts it (with Entra ID's replication delay), plus the fixture signing key.
		defaultWorld: { ...(await keyedWorld()).world, events: [] },
		env: await env(),
		previousEnd: async () => {
			const previous = all[index - 1];
			if (!previous) return { ok: false, error: 'no previous lesson' };
			const end = await endOf(previous);
			return end.ok ? { ok: true, value: end.value } : end;
		}
	});
}

/** A lesson's end: its start with its reference solution replayed. */
export async function endOf(lesson: Lesson): Promise<Result<LabState, string>> {
	const start = await startOf(lesson);
	if (!start.ok) return start;
	const run = await runSteps(start.value, lesson.scenario.solution, await env());
	if (run.failedAt !== null)
		return {
			ok: false,
			error: `solution.${run.failedAt} failed: ${run.outcomes[run.failedAt]?.error ?? ''}`
		};
	return { ok: true, value: run.state };
}

/** The check context of a lesson at a given state, with the quiz answered correctly or not at all. */
export function contextOf(
	lesson: Lesson,
	state: LabState,
	start: { startSeq: number; world: { now: number } },
	answered: boolean
): CheckContext {
	return {
		world: state.world,
		startSeq: start.startSeq,
		startTime: start.world.now as never,
		quiz: lesson.scenario.quiz,
		answers: answered
			? Object.fromEntries(
					lesson.scenario.quiz.map((q) => [
						q.id,
						q.options.flatMap((o, i) => (o.correct ? [i] : []))
					])
				)
			: {}
	};
}

export { evaluateTasks };
