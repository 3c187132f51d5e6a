import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Relative base: the built site works from any host and any sub-path.
export default defineConfig({
	base: './',
	plugins: [svelte()],
	build: {
		target: 'es2022',
		sourcemap: true,
		rolldownOptions: {
			output: {
				// The home page loads none of these: the lab page pulls them in after first paint (and on idle), each
				// as its own cacheable chunk, so that a change to the blades does not invalidate the core's chunk.
				codeSplitting: {
					// Each group holds only the modules its test names, not everything they import.
					includeDependenciesRecursively: false,
					groups: [
						{
							name: 'x509',
							test: /node_modules[\\/](@peculiar|asn1js|pvtsutils|pvutils|tsyringe|tslib|reflect-metadata)/
						},
						{ name: 'jose', test: /node_modules[\\/]jose[\\/]/ },
						{
							name: 'ui-kit',
							test: /node_modules[\\/](bits-ui|@floating-ui|runed|svelte-toolbelt|tabbable|style-to-object|inline-style-parser)/
						},
						{
							name: 'shell',
							test: /src[\\/]core[\\/]shell[\\/]|node_modules[\\/](shell-quote|jmespath|re2js)/
						},
						{
							name: 'core',
							test: /src[\\/](core|machines)[\\/]|node_modules[\\/](mutative|valibot|xstate)/
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
