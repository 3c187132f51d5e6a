import { afterEach, describe, expect, it, vi } from 'vitest';
import { preloadLab } from '../../src/ui/lab-preload.ts';

function respond(body: unknown, ok = true): void {
	vi.stubGlobal(
		'fetch',
		vi.fn(() => Promise.resolve({ ok, json: () => Promise.resolve(body) }))
	);
}

const links = () =>
	[...document.head.querySelectorAll('link')].map((l) => `${l.rel} ${l.getAttribute('href')}`);

afterEach(() => {
	vi.unstubAllGlobals();
	document.head.querySelectorAll('link').forEach((l) => l.remove());
});

describe('preloading the lab from the home page', () => {
	it('adds a modulepreload link per script and a style preload per stylesheet, once each', async () => {
		respond({
			scripts: ['assets/LabPage-1.js', 'assets/simulator-2.js'],
			styles: ['assets/LabPage-3.css']
		});
		await preloadLab();
		await preloadLab();
		const base = new URL('.', document.baseURI).href;
		expect(links()).toEqual([
			`modulepreload ${base}assets/LabPage-1.js`,
			`modulepreload ${base}assets/simulator-2.js`,
			`preload ${base}assets/LabPage-3.css`
		]);
	});

	it('adds nothing for a missing or malformed list, or one naming files outside the build', async () => {
		respond({}, false);
		await preloadLab();
		respond({ scripts: 'assets/a.js', styles: [] });
		await preloadLab();
		respond({ scripts: ['https://elsewhere.example/x.js'], styles: [] });
		await preloadLab();
		vi.stubGlobal(
			'fetch',
			vi.fn(() => Promise.reject(new TypeError('offline')))
		);
		await preloadLab();
		expect(links()).toEqual([]);
	});
});
