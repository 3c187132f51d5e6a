/** The SCORM course file and quiz scores from saved answers. */
import { describe, expect, it } from 'vitest';
import { parseCourseFile, quizScore } from '../../../src/ui/scorm/course.ts';

describe('quizScore', () => {
	const key = { a: [0], b: [1, 2], c: [3] };

	it('is the share of questions answered exactly right, 0 to 100', () => {
		expect(quizScore(key, { a: [0], b: [2, 1], c: [3] })).toBe(100);
		expect(quizScore(key, { a: [0], b: [1], c: [3] })).toBe(67);
		expect(quizScore(key, { a: [1] })).toBe(0);
	});

	it('is null before any answer, and for a lesson without a quiz', () => {
		expect(quizScore(key, {})).toBeNull();
		expect(quizScore(key, { a: [] })).toBeNull();
		expect(quizScore({}, { a: [0] })).toBeNull();
	});
});

describe('parseCourseFile', () => {
	const good = {
		format: 'managed-identity-lab-scorm-course',
		version: 1,
		masteryScore: 80,
		lessons: [{ id: 'principals', title: 'Principals', quiz: { q: [0] } }]
	};

	it('reads a course file', () => {
		expect(parseCourseFile(good)).toEqual({ ok: true, course: good });
	});

	it('says what is wrong with one that is not, and how to fix it', () => {
		const bad = parseCourseFile({ ...good, masteryScore: 120 });
		expect(bad.ok).toBe(false);
		expect(bad.ok ? '' : bad.message).toMatch(/masteryScore.*npm run build:scorm/);
	});
});
