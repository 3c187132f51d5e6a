import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Relative base: the built site works from any host and any sub-path.
export default defineConfig({
	base: './',
	plugins: [svelte()],
	build: { target: 'es2022', sourcemap: true },
	test: {
		include: ['tests/**/*.test.ts'],
		exclude: ['tests/e2e/**', 'node_modules/**'],
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
					environment: 'jsdom',
					setupFiles: ['tests/ui/setup.ts']
				}
			}
		]
	}
});
