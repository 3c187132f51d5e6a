/** Modules made at build time: the lessons (scripts/vite-lessons.ts) and the default world. */
declare module 'virtual:lessons/catalogue' {
	const catalogue: readonly import('./ui/lessons-data.ts').LessonSummary[];
	export default catalogue;
}

declare module 'virtual:lessons/loaders' {
	const loaders: Readonly<
		Record<string, () => Promise<{ default: import('./curriculum/schema.ts').Lesson }>>
	>;
	export default loaders;
}

/** The default world, built by the core at build time (scripts/vite-default-world.ts). */
declare module 'virtual:default-world' {
	/** A fresh copy of the default world. */
	export function defaultWorld(): import('./core/index.ts').World;
}
