/**
 * Vite plugin: validates every lesson when the build starts (and when a lesson file changes in dev), so that
 * `vite build` fails on an invalid lesson with the file and field of each problem; and gives the browser the
 * lessons already parsed, as virtual modules:
 * - `virtual:lessons/catalogue`: the front matter of every lesson, in folder order (small: the home page
 *   imports it);
 * - `virtual:lessons/loaders`: one `() => import(…)` per lesson id, so each lesson is a chunk of its own that
 *   loads when it is opened;
 * - `virtual:lessons/lesson/<id>`: one parsed lesson.
 * The browser thus never ships the YAML parser or the schema for lessons it has not opened.
 */
import type { Plugin } from 'vite';
import { resolve } from 'node:path';
import { parseLessons } from '../src/curriculum/loader.ts';
import { readLessonFiles } from '../src/curriculum/files.ts';
import type { Lesson } from '../src/curriculum/schema.ts';
import type { Result } from '../src/core/result.ts';

const PREFIX = 'virtual:lessons/';
const RESOLVED = '\0' + PREFIX;

/** What the catalogue holds of each lesson. */
function summaryOf(lesson: Lesson) {
	const { id, number, folder, title, summary, minutes, objectives, sequence, scenario } = lesson;
	return {
		id,
		number,
		folder,
		title,
		summary,
		minutes,
		objectives,
		sequence,
		tasks: scenario.tasks.length
	};
}

/** The lesson-validating, lesson-serving plugin. */
export function lessonsPlugin(dir = resolve(import.meta.dirname, '../lessons')): Plugin {
	let cached: Result<Lesson[], string[]> | null = null;
	const lessons = (): Result<Lesson[], string[]> => (cached ??= parseLessons(readLessonFiles(dir)));
	const problem = (): string | null => {
		const parsed = lessons();
		return parsed.ok ? null : `Invalid lessons:\n${parsed.error.join('\n')}`;
	};
	const valid = (): Lesson[] => {
		const parsed = lessons();
		if (!parsed.ok) throw new Error(`Invalid lessons:\n${parsed.error.join('\n')}`);
		return parsed.value;
	};
	return {
		name: 'managed-identity-lab:lessons',
		buildStart() {
			cached = null;
			// Vitest's own lesson tests report each problem; one bad lesson must not stop every other test file.
			if (process.env['VITEST']) return;
			const message = problem();
			if (message) this.error(message);
		},
		resolveId(id) {
			return id.startsWith(PREFIX) ? '\0' + id : null;
		},
		load(id) {
			if (!id.startsWith(RESOLVED)) return null;
			const name = id.slice(RESOLVED.length);
			if (name === 'catalogue') return `export default ${JSON.stringify(valid().map(summaryOf))};`;
			if (name === 'loaders') {
				const entries = valid().map(
					(l) =>
						`\t${JSON.stringify(l.id)}: () => import(${JSON.stringify(`${PREFIX}lesson/${l.id}`)})`
				);
				return `export default {\n${entries.join(',\n')}\n};`;
			}
			if (name.startsWith('lesson/')) {
				const lesson = valid().find((l) => l.id === name.slice('lesson/'.length));
				if (!lesson) throw new Error(`No lesson has the id '${name.slice('lesson/'.length)}'.`);
				return `export default ${JSON.stringify(lesson)};`;
			}
			throw new Error(`Unknown lesson module '${id.slice(1)}'.`);
		},
		handleHotUpdate({ file, server }) {
			if (!file.startsWith(dir)) return;
			cached = null;
			const message = problem();
			if (message) {
				server.config.logger.error(message);
				return;
			}
			const stale = [...server.moduleGraph.idToModuleMap.entries()]
				.filter(([id]) => id.startsWith(RESOLVED))
				.map(([, mod]) => mod);
			stale.forEach((mod) => server.moduleGraph.invalidateModule(mod));
			return stale;
		}
	};
}
