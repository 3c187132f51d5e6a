/** The lessons, parsed at build time by scripts/vite-lessons.ts. */
declare module 'virtual:lessons/catalogue' {
	import type { LessonSummary } from './ui/lessons-data.ts';
	const catalogue: readonly LessonSummary[];
	export default catalogue;
}

declare module 'virtual:lessons/loaders' {
	import type { Lesson } from './curriculum/schema.ts';
	const loaders: Readonly<Record<string, () => Promise<{ default: Lesson }>>>;
	export default loaders;
}
