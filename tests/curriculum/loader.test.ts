import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLesson, parseLessons, splitFrontMatter } from '../../src/curriculum/loader.ts';
import { scenarioJsonSchema } from '../../src/curriculum/json-schema.ts';
import { readLessonFiles } from '../../src/curriculum/files.ts';
import { LESSONS_DIR } from './lesson-harness.ts';

const INDEX = `---
id: demo
title: Demo
summary: A demo.
minutes: 5
objectives: [one]
sequence: foundations
---

# Demo
`;

const SCENARIO = {
	start: { from: 'default' },
	tasks: [
		{
			id: 't',
			text: 'Do it',
			checks: [{ check: 'identityEnabled', resource: 'vm-stock-app' }],
			hints: ['h']
		}
	],
	solution: [{ run: 'az vm identity assign -g rg-stock -n vm-stock-app' }],
	walkthrough: [
		{
			before: 'b',
			step: { portal: 'identity.enableSystemAssigned', resource: 'vm-stock-app' },
			after: 'a',
			notes: 'n'
		}
	],
	quiz: [
		{
			id: 'q',
			question: '?',
			options: [
				{ text: 'x', correct: true, explanation: 'e' },
				{ text: 'y', correct: false, explanation: 'e' }
			]
		},
		{
			id: 'r',
			question: '?',
			options: [
				{ text: 'x', correct: true, explanation: 'e' },
				{ text: 'y', correct: false, explanation: 'e' }
			]
		}
	]
};

const parse = (scenario: unknown, index = INDEX, folder = '01-demo') =>
	parseLesson({
		folder,
		index,
		scenario: { name: 'scenario.json', text: JSON.stringify(scenario) }
	});

describe('the lesson loader', () => {
	it('reads a valid lesson', () => {
		const lesson = parse(SCENARIO);
		expect(lesson).toMatchObject({ ok: true, value: { id: 'demo', number: 1, title: 'Demo' } });
	});

	it('names the file and the field in every error', () => {
		const bad = structuredClone(SCENARIO) as Record<string, unknown> & typeof SCENARIO;
		(bad.tasks[0]?.checks[0] as Record<string, unknown>).resource = 5;
		const result = parse(bad);
		expect(result.ok ? [] : result.error).toEqual([
			'lessons/01-demo/scenario.json: tasks.0.checks.0.resource: resource must be text'
		]);
		const unknownCheck = parse({
			...SCENARIO,
			tasks: [{ ...SCENARIO.tasks[0], checks: [{ check: 'magic' }] }]
		});
		expect(unknownCheck.ok ? '' : unknownCheck.error.join()).toMatch(
			/scenario\.json: tasks\.0\.checks\.0\.check: check must name a known check/
		);
		const noRight = parse({
			...SCENARIO,
			quiz: [
				{
					...SCENARIO.quiz[0],
					options: [
						{ text: 'x', correct: false, explanation: 'e' },
						{ text: 'y', correct: false, explanation: 'e' }
					]
				},
				SCENARIO.quiz[1]
			]
		});
		expect(noRight.ok ? '' : noRight.error.join()).toMatch(
			/quiz\.0: a question needs at least one option marked correct/
		);
	});

	it('checks the front matter, the folder name, portal step fields and references', () => {
		expect(parse(SCENARIO, INDEX.replace('minutes: 5', 'minutes: soon')).ok ? '' : 'err').toBe(
			'err'
		);
		const wrongId = parse(SCENARIO, INDEX, '01-other');
		expect(wrongId.ok ? '' : wrongId.error.join()).toMatch(/index\.md: id: 'demo' differs/);
		expect(parse(SCENARIO, INDEX, 'demo').ok).toBe(false);
		const missing = parse({
			...SCENARIO,
			solution: [{ portal: 'roleAssignment.create', principal: 'x' }]
		});
		expect(missing.ok ? '' : missing.error.join('\n')).toMatch(
			/solution\.0\.role: roleAssignment\.create needs role/
		);
		const quizRef = parse({
			...SCENARIO,
			tasks: [{ ...SCENARIO.tasks[0], checks: [{ check: 'quizCorrect', question: 'nope' }] }]
		});
		expect(quizRef.ok ? '' : quizRef.error.join()).toMatch(/no quiz question has the id 'nope'/);
		expect(parse(SCENARIO, 'no front matter').ok).toBe(false);
		const yaml = parseLesson({
			folder: '01-demo',
			index: INDEX,
			scenario: { name: 'scenario.yaml', text: 'a: [' }
		});
		expect(yaml.ok ? '' : yaml.error.join()).toMatch(
			/scenario\.yaml: \(top level\): not valid YAML/
		);
	});

	it('keeps the recorded world a lesson starts from, and names a missing one', () => {
		const scenario = JSON.stringify({ ...SCENARIO, start: { from: 'start-world.json' } });
		const files = {
			'lessons/01-demo/index.md': INDEX.replace(/^id: .*$/m, 'id: demo'),
			'lessons/01-demo/scenario.json': scenario
		};
		const missing = parseLessons(files);
		expect(missing.ok ? [] : missing.error).toEqual([
			"lessons/01-demo/scenario.json: start.from: 'start-world.json' is not in the lesson's folder (export it from the sandbox with World → Save as lesson start)"
		]);
		const found = parseLessons({ ...files, 'lessons/01-demo/start-world.json': '{"version":1}' });
		expect(found.ok && found.value[0]?.worlds).toEqual({ 'start-world.json': '{"version":1}' });
	});

	it('collects lessons from a file map and reports missing files', () => {
		const result = parseLessons({ 'lessons/02-x/index.md': INDEX });
		expect(result.ok ? [] : result.error).toEqual([
			'lessons/02-x: scenario.yaml (or scenario.json) is missing'
		]);
		expect(splitFrontMatter('---\na: 1\n---\nbody')).toEqual({ data: 'a: 1', body: 'body' });
	});

	it('every lesson on disk is valid and references the JSON Schema, which is current', () => {
		const files = readLessonFiles(LESSONS_DIR);
		expect(parseLessons(files).ok).toBe(true);
		for (const [path, text] of Object.entries(files))
			if (path.endsWith('scenario.yaml'))
				expect(text, path).toMatch(/\$schema=\.\.\/scenario\.schema\.json/);
		const stored = JSON.parse(
			readFileSync(resolve(LESSONS_DIR, 'scenario.schema.json'), 'utf8')
		) as unknown;
		expect(stored, 'run npm run lessons:schema').toEqual(scenarioJsonSchema());
	});
});
