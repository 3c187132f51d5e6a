/**
 * Vite plugin: validates every lesson when the build starts (and when a lesson file changes in dev), so that
 * `vite build` fails on an invalid lesson with the file and field of each problem.
 */
import type { Plugin } from 'vite';
import { resolve } from 'node:path';
import { parseLessons } from '../src/curriculum/loader.ts';
import { readLessonFiles } from '../src/curriculum/files.ts';

/** The lesson-validating plugin. */
export function lessonsPlugin(dir = resolve(import.meta.dirname, '../lessons')): Plugin {
	const check = (): string | null => {
		const parsed = parseLessons(readLessonFiles(dir));
		return parsed.ok ? null : `Invalid lessons:\n${parsed.error.join('\n')}`;
	};
	return {
		name: 'managed-identity-lab:lessons',
		buildStart() {
			// Vitest's own lesson tests report each problem; one bad lesson must not stop every other test file.
			if (process.env['VITEST']) return;
			const problem = check();
			if (problem) this.error(problem);
		},
		handleHotUpdate({ file, server }) {
			if (!file.startsWith(dir)) return;
			const problem = check();
			if (problem) server.config.logger.error(problem);
		}
	};
}
