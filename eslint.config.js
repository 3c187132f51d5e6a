import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

const restrict = (patterns) => ({
	'no-restricted-imports': ['error', { patterns }]
});

// The import boundaries of docs/architecture: ui → curriculum → machines → core; emulator → core.
const noUi = {
	group: ['**/ui/**', 'svelte', 'svelte/*'],
	message: 'Only src/ui may use Svelte or import ui.'
};
const noD3Dom = {
	group: ['d3-selection', 'd3-transition'],
	message: 'DOM-bound d3 belongs in src/ui/diagrams.'
};
const noJose = { group: ['jose'], message: 'Only src/core/crypto imports jose.' };
const noEmulator = { group: ['**/emulator/**'], message: 'Nothing imports the emulator.' };
const noOuter = (names) => ({
	group: names.map((n) => `**/${n}/**`),
	message: 'Imports point inward only: ui → curriculum → machines → core.'
});
// Inside the core: shell → network → token, services → http (request/response values) at the bottom.
const coreBase = [noUi, noD3Dom, noJose, noEmulator, noOuter(['machines', 'curriculum', 'layout'])];
const noAbove = (names, where) => ({
	group: names.map((n) => `**/${n}/**`),
	message: `${where} must not import ${names.join(', ')}: the core's imports point shell → network → token, services → http.`
});

export default ts.config(
	{ ignores: ['dist/', 'dist-scorm/', 'node_modules/', 'coverage/', '.tmp/', 'lessons/'] },
	js.configs.recommended,
	...ts.configs.recommendedTypeChecked,
	...svelte.configs.recommended,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node },
			parserOptions: {
				projectService: true,
				tsconfigRootDir: import.meta.dirname,
				extraFileExtensions: ['.svelte']
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { parser: ts.parser, svelteConfig } }
	},
	{
		files: ['**/*.js'],
		...ts.configs.disableTypeChecked
	},
	{
		files: ['src/core/**/*.ts'],
		ignores: ['src/core/crypto/**'],
		rules: restrict(coreBase)
	},
	{
		files: ['src/core/http/**/*.ts'],
		rules: restrict([
			...coreBase,
			noAbove(['token', 'services', 'network', 'shell'], 'core/http (request/response values)')
		])
	},
	{
		files: ['src/core/token/**/*.ts', 'src/core/services/**/*.ts'],
		rules: restrict([...coreBase, noAbove(['network', 'shell'], 'core/token and core/services')])
	},
	{
		files: ['src/core/**/*.ts'],
		languageOptions: { globals: { ...globals['shared-node-browser'] } },
		rules: {
			'no-restricted-globals': [
				'error',
				{ name: 'document', message: 'The core is DOM-free.' },
				{ name: 'window', message: 'The core is DOM-free.' },
				{ name: 'localStorage', message: 'The core is DOM-free.' }
			],
			'no-restricted-properties': [
				'error',
				{
					object: 'Date',
					property: 'now',
					message: 'The core reads simulated time only (clock.ts).'
				},
				{ object: 'Math', property: 'random', message: 'The core uses seeded ids (ids.ts).' }
			]
		}
	},
	{
		files: ['src/core/crypto/**/*.ts'],
		rules: restrict([noUi, noD3Dom, noEmulator, noOuter(['machines', 'curriculum', 'layout'])])
	},
	{
		files: ['src/machines/**/*.ts'],
		rules: restrict([noUi, noD3Dom, noJose, noEmulator, noOuter(['curriculum', 'layout'])])
	},
	{
		files: ['src/curriculum/**/*.ts'],
		rules: restrict([noUi, noD3Dom, noJose, noEmulator, noOuter(['layout'])])
	},
	{
		files: ['src/layout/**/*.ts'],
		rules: restrict([
			noUi,
			noD3Dom,
			noJose,
			noEmulator,
			noOuter(['machines', 'curriculum', 'core'])
		])
	},
	{
		files: ['src/emulator/**/*.ts'],
		rules: restrict([noUi, noD3Dom, noJose, noOuter(['machines', 'curriculum', 'layout'])])
	},
	{
		files: ['src/ui/**/*.{ts,svelte}'],
		ignores: ['src/ui/diagrams/**'],
		rules: restrict([noD3Dom, noJose, noEmulator])
	},
	{
		files: ['src/ui/diagrams/**/*.{ts,svelte}'],
		rules: restrict([noJose, noEmulator])
	}
);
