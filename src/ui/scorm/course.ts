/**
 * `scorm-course.json`, written next to index.html by `npm run build:scorm`: the lessons the SCORM course
 * needs, in order, with each quiz's key (so that a quiz score can be reported from saved answers) and the
 * pass mark.
 */
import * as v from 'valibot';

const CourseFileSchema = v.strictObject({
	format: v.literal('managed-identity-lab-scorm-course'),
	version: v.literal(1),
	masteryScore: v.pipe(v.number(), v.minValue(0), v.maxValue(100)),
	lessons: v.array(
		v.strictObject({
			id: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,63}$/)),
			title: v.string(),
			/** The indexes of the correct options, by question id. */
			quiz: v.record(v.string(), v.array(v.pipe(v.number(), v.integer(), v.minValue(0))))
		})
	)
});

/** The course file. */
export type CourseFile = v.InferOutput<typeof CourseFileSchema>;

/** Reads the course file; a message says what is wrong with one that is not. */
export function parseCourseFile(
	data: unknown
): { ok: true; course: CourseFile } | { ok: false; message: string } {
	const parsed = v.safeParse(CourseFileSchema, data);
	if (parsed.success) return { ok: true, course: parsed.output };
	const issue = parsed.issues[0];
	return {
		ok: false,
		message: `scorm-course.json is not a course file (${v.getDotPath(issue) ?? 'top level'}: ${issue.message}); rebuild the package with npm run build:scorm.`
	};
}

/**
 * A lesson's quiz score, 0–100: the share of its questions answered exactly right. Null when no question has
 * been answered (no score to report yet) or the lesson has no quiz.
 */
export function quizScore(
	key: Readonly<Record<string, readonly number[]>>,
	answers: Readonly<Record<string, readonly number[]>>
): number | null {
	const questions = Object.keys(key);
	if (questions.length === 0) return null;
	if (!questions.some((q) => (answers[q] ?? []).length > 0)) return null;
	const same = (a: readonly number[], b: readonly number[]) => {
		const x = [...new Set(a)].sort((m, n) => m - n);
		const y = [...new Set(b)].sort((m, n) => m - n);
		return x.length === y.length && x.every((value, i) => value === y[i]);
	};
	const right = questions.filter((q) => same(key[q] ?? [], answers[q] ?? [])).length;
	return Math.round((100 * right) / questions.length);
}
