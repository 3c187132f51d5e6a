/**
 * The page bench/diagrams.ts drives: mounts one diagram over a lab session of a generated world and exposes
 * measurements to the benchmark. Built with bench/diagrams-page/vite.config.ts, never part of the site.
 */
import { flushSync, mount } from 'svelte';
import '../../src/ui/styles.css';
import Topology from '../../src/ui/diagrams/Topology.svelte';
import TokenFlow from '../../src/ui/diagrams/TokenFlow.svelte';
import { labContextMap } from '../../src/ui/lab/context.ts';
import { LabSession } from '../../src/ui/lab/session.svelte.ts';
import { LabView } from '../../src/ui/lab/view.svelte.ts';
import { createDefaultWorld, resourceId } from '../../src/core/index.ts';
import { mixedWorld } from '../large-world.ts';

const params = new URLSearchParams(location.search);
const target = document.getElementById('app') as HTMLElement;

function quantile(values: number[], q: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));

/**
 * Resolves once the browser has finished the frame now being produced (style, layout and paint on the main
 * thread): a message posted from a frame's animation callbacks is only handled after that frame's rendering.
 */
const frameRendered = (): Promise<number> =>
	new Promise((resolve) => {
		const channel = new MessageChannel();
		channel.port1.onmessage = () => resolve(performance.now());
		channel.port2.postMessage(null);
	});

async function topology(resources: number): Promise<void> {
	const session = new LabSession(mixedWorld(resources), { wait: () => Promise.resolve() });
	const view = new LabView();
	mount(Topology, { target, props: { instant: true }, context: labContextMap({ session, view }) });
	await nextFrame();
	const samples: number[] = [];
	const scripts: number[] = [];
	// The first operations after mount run while the engine still compiles the diagram's code: reported on their
	// own (the first) and kept out of the median, which is what every later change costs.
	const WARM_UP = 8;
	const MEASURED = 30;
	for (let i = 0; i < WARM_UP + MEASURED; i++) {
		// Each operation starts with a frame (in its animation callbacks, as input handled there would), so the
		// time to that frame's end is the operation, Svelte's update and the browser's rendering of it, without
		// the wait for the display's next refresh.
		await nextFrame();
		const t0 = performance.now();
		// One operation: a new user-assigned identity (a node and its service principal appear).
		session.apply([
			{ type: 'createUserIdentity', resourceGroup: 'rg-mix-0', name: `id-bench-${i}` }
		]);
		flushSync();
		scripts.push(performance.now() - t0);
		samples.push((await frameRendered()) - t0);
	}
	Object.assign(window, {
		__result: {
			// Every box of the picture, drawn or panned out of sight: the text twin lists them all.
			nodes: document.querySelectorAll('#topology-twin [aria-label="Entities"] > li').length,
			first: samples[0] ?? NaN,
			warmUp: WARM_UP,
			measured: MEASURED,
			median: quantile(samples.slice(WARM_UP), 0.5),
			max: Math.max(...samples.slice(WARM_UP)),
			script: quantile(scripts.slice(WARM_UP), 0.5)
		}
	});
}

async function flow(): Promise<void> {
	const session = new LabSession(createDefaultWorld(), { wait: () => Promise.resolve() });
	const view = new LabView();
	const vm = resourceId(
		Object.values(session.world.subscriptions)[0]?.subscriptionId ?? '',
		'rg-stock',
		'virtualMachine',
		'vm-stock-app'
	);
	session.apply([{ type: 'enableSystemIdentity', resourceId: vm }]);
	await session.run('ssh vm-stock-app');
	await session.run(
		"TOKEN=$(curl -s -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net' | jq -r .access_token)"
	);
	await session.run(
		'curl -s -H "Authorization: Bearer $TOKEN" "https://kv-stock.vault.azure.net/secrets/db-password?api-version=7.4"'
	);
	mount(TokenFlow, { target, props: {}, context: labContextMap({ session, view }) });
	await nextFrame();
	const buttons = [...document.querySelectorAll('button')];
	buttons.find((b) => b.textContent?.trim() === '2×')?.click();
	const frames: number[] = [];
	let last = await nextFrame();
	buttons.find((b) => b.textContent?.includes('Play'))?.click();
	const end = last + 4000;
	while (last < end) {
		const now = await nextFrame();
		frames.push(now - last);
		last = now;
	}
	Object.assign(window, {
		__result: {
			hops: document.querySelectorAll('[data-row]').length,
			frames: frames.length,
			p95: quantile(frames, 0.95),
			median: quantile(frames, 0.5)
		}
	});
}

const which = params.get('view');
const done = which === 'flow' ? flow() : topology(Number(params.get('resources') ?? '100'));
done.catch((cause: unknown) => Object.assign(window, { __result: { error: String(cause) } }));
