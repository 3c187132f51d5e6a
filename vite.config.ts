import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { lessonsPlugin } from './scripts/vite-lessons.ts';

// Relative base: the built site works from any host and any sub-path.
export default defineConfig({
	base: './',
	plugins: [svelte(), lessonsPlugin()],
	build: { target: 'es2022', sourcemap: true },
	// No include/exclude here: with `extends: true` a project's arrays are appended to these, so each
	// project lists its own files.
	test: {
		environment: 'node',
		env: { TZ: 'UTC' },
		testTimeout: 60_000,
		projects: [
			{
				extends: true,
				test: {
					name: 'node',
					include: ['tests/**/*.test.ts'],
					exclude: ['tests/e2e/**', 'tests/ui/**', 'node_modules/**'],
					environment: 'node'
				}
			},
			{
				extends: true,
				resolve: { conditions: ['browser'] },
				test: {
					name: 'ui',
					include: ['tests/ui/**/*.test.ts'],
					exclude: ['node_modules/**'],
					environment: 'jsdom',
					setupFiles: ['tests/ui/setup.ts']
				}
			}
		]
	}
});
