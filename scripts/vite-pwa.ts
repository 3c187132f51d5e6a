/**
 * Vite plugin: the offline service worker (vite-plugin-pwa, Workbox's generateSW), which precaches the whole
 * build. Off in the SCORM build (`vite build --mode scorm`): inside an LMS the lab must not install a worker
 * on the LMS's origin. The page registers the worker itself (src/ui/pwa), after first paint and only outside
 * an LMS, and offers a new version rather than forcing it (registerType 'prompt').
 */
import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** The mode of the SCORM build, in which no worker or web manifest is written. */
export const SCORM_MODE = 'scorm';

/** The PWA plugins, each applied only outside the SCORM build. */
export function pwaPlugin(): Plugin[] {
	const plugins = VitePWA({
		registerType: 'prompt',
		// src/ui/pwa registers the worker: no inline registration script (the CSP refuses inline scripts).
		injectRegister: false,
		strategies: 'generateSW',
		filename: 'sw.js',
		manifestFilename: 'manifest.webmanifest',
		manifest: {
			name: 'Managed Identity Lab',
			short_name: 'MI Lab',
			description:
				'An interactive simulator for learning Azure managed identities, in your browser and offline.',
			start_url: './',
			scope: './',
			display: 'standalone',
			background_color: '#ffffff',
			theme_color: '#0f5cc0',
			icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }]
		},
		workbox: {
			// lab-preload.json: the home page reads it to preload the lab, online or not.
			globPatterns: ['**/*.{js,css,html,svg,webmanifest}', 'lab-preload.json'],
			// Source maps are for developers and are large; the lab never fetches them.
			globIgnores: ['**/*.map'],
			// The simulator chunk is about 0.7 MB; precache it whole.
			maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
			// Hash routes: every page is index.html, which is precached. No navigation fallback, so that a link to
			// another file on the same host (a download, the SCORM zip) is never answered with the lab.
			navigateFallback: null,
			cleanupOutdatedCaches: true,
			// The first visit is controlled at once (it works offline from then on); an update waits to be accepted.
			clientsClaim: true,
			skipWaiting: false
		}
	});
	return plugins.map((plugin) => {
		const own = plugin.apply;
		return {
			...plugin,
			apply: (config, env) =>
				env.mode !== SCORM_MODE &&
				(own === undefined || (typeof own === 'function' ? own(config, env) : own === env.command))
		};
	});
}
