import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { lessonCatalogue, lessonSummary, loadLesson } from '../../src/ui/lessons-data.ts';

const folders = readdirSync(resolve(import.meta.dirname, '../../lessons'), { withFileTypes: true })
	.filter((e) => e.isDirectory())
	.map((e) => e.name)
	.sort();

describe('the lessons as the browser gets them', () => {
	it('lists every lesson folder in the catalogue, in folder order, with its front matter', () => {
		expect(lessonCatalogue.map((l) => l.folder)).toEqual(folders);
		const first = lessonCatalogue[0];
		expect(first?.title.length).toBeGreaterThan(0);
		expect(first?.objectives.length).toBeGreaterThan(0);
		expect(first?.tasks).toBeGreaterThan(0);
	});

	it('loads one lesson whole by its id, and answers null for an unknown id', async () => {
		const summary = lessonCatalogue[0];
		if (!summary) throw new Error('no lessons');
		const lesson = await loadLesson(summary.id);
		expect(lesson?.id).toBe(summary.id);
		expect(lesson?.scenario.tasks.length).toBe(summary.tasks);
		expect(lesson?.prose.length).toBeGreaterThan(0);
		expect(await loadLesson('no-such-lesson')).toBeNull();
		expect(await loadLesson('constructor')).toBeNull();
		expect(lessonSummary('no-such-lesson')).toBeUndefined();
	});
});
