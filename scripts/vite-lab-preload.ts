/**
 * Vite plugin: writes `lab-preload.json`, the files the lab page needs (its chunk, the chunks it imports, their
 * CSS), so that the home page can `modulepreload` them when the browser is idle. A preloaded module is fetched
 * and compiled but not run: the home page stays free of the simulator's start-up work, and opening the lab
 * later runs code that is already in memory.
 */
import type { Plugin } from 'vite';

/** The plugin; `entry` ends the lab page's module id. */
export function labPreloadPlugin(entry = '/src/ui/lab/LabPage.svelte'): Plugin {
	return {
		name: 'managed-identity-lab:lab-preload',
		apply: 'build',
		generateBundle(_options, bundle) {
			type OutputChunk = Extract<(typeof bundle)[string], { type: 'chunk' }>;
			const chunks = Object.values(bundle).filter((o): o is OutputChunk => o.type === 'chunk');
			const lab = chunks.find((c) => c.facadeModuleId?.endsWith(entry));
			if (!lab) return;
			const byName = new Map(chunks.map((c) => [c.fileName, c]));
			const scripts: string[] = [];
			const styles = new Set<string>();
			const visit = (chunk: OutputChunk): void => {
				if (scripts.includes(chunk.fileName)) return;
				scripts.push(chunk.fileName);
				const meta = (chunk as OutputChunk & { viteMetadata?: { importedCss: Set<string> } })
					.viteMetadata;
				meta?.importedCss.forEach((css) => styles.add(css));
				chunk.imports.forEach((name) => {
					const next = byName.get(name);
					if (next) visit(next);
				});
			};
			visit(lab);
			this.emitFile({
				type: 'asset',
				fileName: 'lab-preload.json',
				source: JSON.stringify({ scripts, styles: [...styles] })
			});
		}
	};
}
