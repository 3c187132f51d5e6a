/**
 * Reads lessons from their files' text: `NN-<id>/index.md` (YAML front matter, then Markdown) and
 * `NN-<id>/scenario.yaml` or `scenario.json`. Pure: the Vite plugin and the tests give it text read from disk,
 * the browser gives it the text bundled by `import.meta.glob`.
 */
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import {
	FrontMatterSchema,
	PORTAL_ACTIONS,
	ScenarioSchema,
	formatIssues,
	type Lesson,
	type PortalAction,
	type PortalStep,
	type Scenario,
	type Step
} from './schema.ts';
import { err, ok, type Result } from '../core/result.ts';

const FOLDER = /^(\d{2})-([a-z0-9-]+)$/;

/** Splits `---\nYAML\n---\nMarkdown` into its parts; null when the file has no front matter. */
export function splitFrontMatter(source: string): { data: string; body: string } | null {
	const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
	return match ? { data: match[1] ?? '', body: match[2] ?? '' } : null;
}

function parseData(file: string, text: string, json: boolean): Result<unknown, string[]> {
	try {
		return ok(json ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown));
	} catch (cause) {
		return err([
			`${file}: (top level): not valid ${json ? 'JSON' : 'YAML'}: ${cause instanceof Error ? cause.message : String(cause)}`
		]);
	}
}

/** The fields each portal action needs, so that a missing one is caught when the lesson loads. */
export const PORTAL_ACTION_FIELDS: Record<PortalAction, readonly (keyof PortalStep)[]> = {
	'identity.enableSystemAssigned': ['resource'],
	'identity.disableSystemAssigned': ['resource'],
	'identity.createUserAssigned': ['identity'],
	'identity.assignUserAssigned': ['resource', 'identity'],
	'identity.removeUserAssigned': ['resource', 'identity'],
	'roleAssignment.create': ['principal', 'role', 'scope'],
	'roleAssignment.delete': ['principal', 'role', 'scope'],
	'resource.delete': ['resource'],
	'appSettings.delete': ['resource', 'settings'],
	'clock.advance': ['seconds']
};

function stepProblems(file: string, path: string, step: Step): string[] {
	if (!('portal' in step)) return [];
	return (PORTAL_ACTION_FIELDS[step.portal] ?? [])
		.filter((field) => (step as Record<string, unknown>)[field] === undefined)
		.map((field) => `${file}: ${path}.${field}: ${step.portal} needs ${field}`);
}

/** Problems valibot cannot see: unique ids, quiz references, required fields of portal steps. */
function consistencyProblems(file: string, scenario: Scenario): string[] {
	const problems: string[] = [];
	const taskIds = new Set<string>();
	scenario.tasks.forEach((task, i) => {
		if (taskIds.has(task.id)) problems.push(`${file}: tasks.${i}.id: '${task.id}' is used twice`);
		taskIds.add(task.id);
	});
	const questionIds = new Set<string>();
	scenario.quiz.forEach((q, i) => {
		if (questionIds.has(q.id)) problems.push(`${file}: quiz.${i}.id: '${q.id}' is used twice`);
		questionIds.add(q.id);
	});
	scenario.tasks.forEach((task, i) =>
		task.checks.forEach((check, j) => {
			if (check.check === 'quizCorrect' && check.question && !questionIds.has(check.question))
				problems.push(
					`${file}: tasks.${i}.checks.${j}.question: no quiz question has the id '${check.question}'`
				);
		})
	);
	scenario.solution.forEach((s, i) => problems.push(...stepProblems(file, `solution.${i}`, s)));
	(scenario.start.steps ?? []).forEach((s, i) =>
		problems.push(...stepProblems(file, `start.steps.${i}`, s))
	);
	scenario.walkthrough.forEach((d, i) =>
		problems.push(...stepProblems(file, `walkthrough.${i}.step`, d.step))
	);
	return problems;
}

/** The files of one lesson folder. */
export interface LessonFiles {
	/** Folder name, e.g. `03-system-assigned`. */
	folder: string;
	index: string;
	scenario: { name: 'scenario.json' | 'scenario.yaml'; text: string };
	/** Recorded worlds in the folder (`start-world.json`), as text, by file name. */
	worlds?: Record<string, string>;
}

/**
 * Parses and validates one lesson. Every error is one line naming the file and the field, e.g.
 * `lessons/03-system-assigned/scenario.yaml: tasks.0.checks.1.role: role must be text`.
 */
export function parseLesson(files: LessonFiles): Result<Lesson, string[]> {
	const base = `lessons/${files.folder}`;
	const indexFile = `${base}/index.md`;
	const scenarioFile = `${base}/${files.scenario.name}`;
	const folder = FOLDER.exec(files.folder);
	if (!folder)
		return err([`${base}: the folder name must be NN-lesson-id (two digits, a hyphen, the id)`]);
	const split = splitFrontMatter(files.index);
	if (!split)
		return err([`${indexFile}: (top level): start the file with front matter between --- lines`]);
	const problems: string[] = [];
	const rawFront = parseData(indexFile, split.data, false);
	const rawScenario = parseData(
		scenarioFile,
		files.scenario.text,
		files.scenario.name.endsWith('.json')
	);
	if (!rawFront.ok) problems.push(...rawFront.error);
	if (!rawScenario.ok) problems.push(...rawScenario.error);
	if (!rawFront.ok || !rawScenario.ok) return err(problems);
	const front = v.safeParse(FrontMatterSchema, rawFront.value);
	const scenario = v.safeParse(ScenarioSchema, rawScenario.value);
	if (!front.success) problems.push(...formatIssues(indexFile, front.issues));
	if (!scenario.success) problems.push(...formatIssues(scenarioFile, scenario.issues));
	if (!front.success || !scenario.success) return err(problems);
	if (front.output.id !== folder[2])
		problems.push(
			`${indexFile}: id: '${front.output.id}' differs from the folder's id '${folder[2]}'`
		);
	if (split.body.trim() === '') problems.push(`${indexFile}: (prose): the lesson has no prose`);
	problems.push(...consistencyProblems(scenarioFile, scenario.output));
	const { from } = scenario.output.start;
	const worlds = files.worlds ?? {};
	if (from.endsWith('.json') && worlds[from] === undefined)
		problems.push(
			`${scenarioFile}: start.from: '${from}' is not in the lesson's folder (export it from the sandbox with World → Save as lesson start)`
		);
	if (problems.length > 0) return err(problems);
	const used = from.endsWith('.json') ? { [from]: worlds[from] ?? '' } : undefined;
	return ok({
		...front.output,
		number: Number(folder[1]),
		folder: files.folder,
		prose: split.body,
		scenario: scenario.output,
		...(used ? { worlds: used } : {})
	});
}

/**
 * Parses every lesson from a map of file paths (ending in `NN-id/index.md`, `NN-id/scenario.yaml` or
 * `NN-id/scenario.json`) to their text, as `import.meta.glob(..., { query: '?raw', eager: true })` gives them.
 * Lessons come back in folder order; problems of all lessons are collected.
 */
export function parseLessons(files: Record<string, string>): Result<Lesson[], string[]> {
	const folders = new Map<string, Partial<LessonFiles>>();
	for (const [path, content] of Object.entries(files)) {
		const match = /([^/]+)\/(index\.md|scenario\.yaml|[\w.-]+\.json)$/.exec(path);
		if (!match) continue;
		const [, folder = '', name = ''] = match;
		const entry = folders.get(folder) ?? { folder };
		if (name === 'index.md') entry.index = content;
		else if (name === 'scenario.yaml' || name === 'scenario.json')
			entry.scenario = { name, text: content };
		else entry.worlds = { ...entry.worlds, [name]: content };
		folders.set(folder, entry);
	}
	const lessons: Lesson[] = [];
	const problems: string[] = [];
	for (const folder of [...folders.keys()].sort()) {
		const entry = folders.get(folder) ?? {};
		if (entry.index === undefined) {
			problems.push(`lessons/${folder}: index.md is missing`);
			continue;
		}
		if (entry.scenario === undefined) {
			problems.push(`lessons/${folder}: scenario.yaml (or scenario.json) is missing`);
			continue;
		}
		const parsed = parseLesson({
			folder,
			index: entry.index,
			scenario: entry.scenario,
			...(entry.worlds ? { worlds: entry.worlds } : {})
		});
		if (parsed.ok) lessons.push(parsed.value);
		else problems.push(...parsed.error);
	}
	const ids = new Set<string>();
	for (const lesson of lessons) {
		if (ids.has(lesson.id))
			problems.push(`lessons/${lesson.folder}: the id '${lesson.id}' is used twice`);
		ids.add(lesson.id);
	}
	return problems.length > 0 ? err(problems) : ok(lessons);
}

/** The actions a portal step may name (for the UI's blades and the authoring docs). */
export const PORTAL_ACTION_NAMES: readonly PortalAction[] = PORTAL_ACTIONS;
