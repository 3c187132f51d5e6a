/**
 * Preloads the lab from the home page when the browser is idle: `modulepreload` fetches and compiles the lab's
 * chunks without running them (running the simulator's modules is the costly part, and the home page must stay
 * responsive). The list of files is written by the build (scripts/vite-lab-preload.ts).
 */

const FILE = /^assets\/[\w.-]+\.(js|css)$/;

interface PreloadList {
	scripts: string[];
	styles: string[];
}

function isPreloadList(value: unknown): value is PreloadList {
	if (typeof value !== 'object' || value === null) return false;
	const { scripts, styles } = value as Record<string, unknown>;
	const files = (list: unknown) =>
		Array.isArray(list) && list.every((f) => typeof f === 'string' && FILE.test(f));
	return files(scripts) && files(styles);
}

function addLink(rel: string, href: string, as?: string): void {
	const url = new URL(href, document.baseURI).href;
	if (document.querySelector(`link[href="${url}"]`)) return;
	const link = document.createElement('link');
	link.rel = rel;
	if (as) link.as = as;
	link.href = url;
	document.head.append(link);
}

/** Adds the preload links; a missing or malformed list only means the lab loads when it is opened. */
export async function preloadLab(): Promise<void> {
	try {
		const response = await fetch(new URL('lab-preload.json', document.baseURI));
		if (!response.ok) return;
		const list: unknown = await response.json();
		if (!isPreloadList(list)) return;
		list.scripts.forEach((f) => addLink('modulepreload', f));
		list.styles.forEach((f) => addLink('preload', f, 'style'));
	} catch {
		// Offline before the first visit, or the file is missing: nothing to preload.
	}
}
