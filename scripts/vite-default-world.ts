/**
 * Vite plugin: `virtual:default-world`, the default world built by the core when the site is built, as JSON
 * text. Building it through the operations takes tens of milliseconds in a cold browser tab, on the task that
 * opens the lab; parsing the same world from JSON takes well under one. The core is deterministic, so the
 * text is the world `createDefaultWorld()` returns (tests/ui/default-world.test.ts holds them equal).
 */
import type { Plugin } from 'vite';
import { createDefaultWorld } from '../src/core/azure/default-world.ts';

const ID = 'virtual:default-world';

/** The default-world plugin. */
export function defaultWorldPlugin(): Plugin {
	return {
		name: 'managed-identity-lab:default-world',
		resolveId(id) {
			return id === ID ? '\0' + ID : null;
		},
		load(id) {
			if (id !== '\0' + ID) return null;
			const text = JSON.stringify(createDefaultWorld());
			return `const text = ${JSON.stringify(text)};\nexport function defaultWorld() {\n\treturn JSON.parse(text);\n}\n`;
		}
	};
}
