/** Writes lessons/scenario.schema.json from the valibot schema (npm run lessons:schema). */
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../src/curriculum/json-schema.ts';

writeFileSync(
	'lessons/scenario.schema.json',
	`${JSON.stringify(scenarioJsonSchema(), null, '\t')}\n`
);
console.log('wrote lessons/scenario.schema.json');
