import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { lessonsPlugin } from './scripts/vite-lessons.ts';
import { defaultWorldPlugin } from './scripts/vite-default-world.ts';
import { pwaPlugin } from './scripts/vite-pwa.ts';
import { labPreloadPlugin } from './scripts/vite-lab-preload.ts';

// Relative base: the built site works from any host and any sub-path.
export default defineConfig({
	base: './',
	plugins: [svelte(), lessonsPlugin(), defaultWorldPlugin(), labPreloadPlugin(), pwaPlugin()],
	build: {
		target: 'es2022',
		sourcemap: true,
		rolldownOptions: {
			output: {
				// The home page loads none of these: the lab page pulls them in after first paint (and on idle), each
				// as its own cacheable chunk, so that a change to the blades does not invalidate the core's chunk.
				codeSplitting: {
					groups: [
						// Vite's preload helper, which the home page needs for its own dynamic imports: left to itself it
						// lands in the first chunk that uses it (the simulator) and drags that chunk onto the home page.
						{ name: 'preload-helper', priority: 60, test: /vite[\\/]preload-helper/ },
						// Svelte's runtime on its own: the home page and the lab both use it, and the widget kit must not
						// import it from the lab page's chunk (that would be a cycle).
						{ name: 'svelte', priority: 50, test: /node_modules[\\/](svelte|esm-env|clsx)[\\/]/ },
						{
							name: 'x509',
							priority: 40,
							test: /node_modules[\\/](@peculiar|asn1js|pvtsutils|pvutils|tsyringe|tslib|reflect-metadata)|src[\\/]core[\\/]crypto[\\/]x509\.ts/
						},
						{ name: 'jose', priority: 30, test: /node_modules[\\/]jose[\\/]/ },
						// valibot on its own: the home page's progress store needs it, and nothing else of the simulator.
						{ name: 'valibot', priority: 25, test: /node_modules[\\/]valibot[\\/]/ },
						{
							name: 'ui-kit',
							priority: 20,
							test: /node_modules[\\/](bits-ui|@floating-ui|runed|svelte-toolbelt|tabbable|style-to-object|inline-style-parser)/
						},
						// One chunk for the simulation: the core, the machines and the shell import each other, and split
						// apart they make chunks that import each other in a cycle, which breaks evaluation order.
						{
							name: 'simulator',
							priority: 10,
							test: /src[\\/](core|machines)[\\/]|node_modules[\\/](mutative|valibot|xstate|@xstate|shell-quote|jmespath|re2js)/
						}
					]
				}
			}
		}
	},
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
