/**
 * The JSON Schema of scenario files, generated from the valibot schema, so that an author's editor checks a
 * scenario as they type (`# yaml-language-server: $schema=../scenario.schema.json` in YAML, `"$schema"` in
 * JSON). `lessons/scenario.schema.json` is this, written by `npm run lessons:schema`; a test keeps it current.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import { ScenarioSchema } from './schema.ts';

/** The JSON Schema (draft-07) of a lesson scenario. */
export function scenarioJsonSchema(): Record<string, unknown> {
	return {
		...(toJsonSchema(ScenarioSchema, { errorMode: 'ignore' }) as Record<string, unknown>),
		title: 'Managed Identity Lab lesson scenario',
		description:
			'The start world, tasks with goal checks and hints, the reference solution, the walkthrough and the quiz of one lesson. See docs/authoring.md.'
	};
}
