/**
 * The service worker that keeps the lab working offline (Workbox's, generated at build time by
 * vite-plugin-pwa: it precaches the build). A new version waits until the learner accepts it: never forced.
 * Loaded after first paint, so none of this is in the home page's first-load JavaScript.
 */

/** What the page is told about the worker. */
export interface ServiceWorkerEvents {
	/** A new version is installed and waiting; `apply` activates it and reloads the page. */
	onUpdate(apply: () => void): void;
}

/**
 * Registers `sw.js` next to index.html (so the worker's scope is the site's own folder, whatever the
 * sub-path), and watches for new versions. Offline, registering fails (the browser cannot fetch sw.js), but
 * the existing registration is still watched, so an update is offered once the host is back.
 */
export async function registerServiceWorker(events: ServiceWorkerEvents): Promise<void> {
	const container = navigator.serviceWorker;
	const url = new URL('sw.js', document.baseURI).href;
	let registration: ServiceWorkerRegistration | undefined;
	let failure: unknown;
	try {
		registration = await container.register(url);
	} catch (problem) {
		failure = problem;
		registration = await container.getRegistration(url);
	}
	if (!registration) throw failure instanceof Error ? failure : new Error(String(failure));
	const reg = registration;

	let offered: ServiceWorker | null = null;
	const offer = () => {
		const waiting = reg.waiting;
		// Only an update: the very first worker takes control by itself (clientsClaim), with nothing to offer.
		if (!waiting || !container.controller || waiting === offered) return;
		offered = waiting;
		events.onUpdate(() => {
			container.addEventListener('controllerchange', () => window.location.reload(), {
				once: true
			});
			// Workbox's generated worker calls skipWaiting() on this message.
			waiting.postMessage({ type: 'SKIP_WAITING' });
		});
	};

	offer();
	reg.addEventListener('updatefound', () => {
		const installing = reg.installing;
		installing?.addEventListener('statechange', () => {
			if (installing.state === 'installed') offer();
		});
	});
	// Browsers look for a new version on navigation; a lab left open for a day looks when it comes back.
	const check = () => {
		reg.update().catch(() => undefined);
	};
	window.addEventListener('online', check);
	document.addEventListener('visibilitychange', () => {
		if (document.visibilityState === 'visible') check();
	});
}
