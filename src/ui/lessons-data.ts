/**
 * The lessons as the browser gets them: the catalogue (front matter only, small enough for the home page) and
 * each lesson loaded on demand as a chunk of its own. Both were parsed and validated when the site was built.
 */
import catalogue from 'virtual:lessons/catalogue';
import loaders from 'virtual:lessons/loaders';
import type { FrontMatter, Lesson } from '../curriculum/schema.ts';

/** What the catalogue says of one lesson. */
export interface LessonSummary extends FrontMatter {
	/** The NN of the folder, e.g. 3 for `03-system-assigned`. */
	number: number;
	folder: string;
	/** How many tasks the lesson has. */
	tasks: number;
}

/** Every lesson's summary, in folder order. */
export const lessonCatalogue: readonly LessonSummary[] = catalogue;

/** The summary of one lesson, or undefined when no lesson has that id. */
export function lessonSummary(id: string): LessonSummary | undefined {
	return lessonCatalogue.find((l) => l.id === id);
}

/** Loads one lesson; null when no lesson has that id. */
export async function loadLesson(id: string): Promise<Lesson | null> {
	const load = Object.hasOwn(loaders, id) ? loaders[id] : undefined;
	return load ? (await load()).default : null;
}
