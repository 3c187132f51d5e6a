/**
 * Node only: reads the lesson files from disk for the build (the Vite plugin) and the tests. The browser gets
 * the same text through `import.meta.glob` and calls `parseLessons` directly.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Every `index.md`, `scenario.{yaml,json}` and recorded world (`*.json`) under `dir`, by path relative to the repository (`lessons/…`). */
export function readLessonFiles(dir: string): Record<string, string> {
	const files: Record<string, string> = {};
	if (!existsSync(dir)) return files;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		if (!entry.isDirectory()) continue;
		const names = readdirSync(join(dir, entry.name)).filter(
			(name) => name === 'index.md' || name === 'scenario.yaml' || name.endsWith('.json')
		);
		for (const name of names) {
			const path = join(dir, entry.name, name);
			files[`lessons/${entry.name}/${name}`] = readFileSync(path, 'utf8');
		}
	}
	return files;
}
