import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

// The diagram benchmark's page: built into a temporary directory by bench/diagrams.ts.
export default defineConfig({
	root: fileURLToPath(new URL('.', import.meta.url)),
	base: './',
	plugins: [svelte()],
	logLevel: 'error',
	build: { target: 'es2022', emptyOutDir: true }
});
