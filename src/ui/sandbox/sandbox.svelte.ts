/**
 * The sandbox around the lab session: where its world comes from (a share link, the saved sandbox, the
 * default or an empty world, an imported file), saving it after every change, the notices that say what
 * happened, and the word between tabs. It never holds a copy of the world: it reads and sets
 * `session.world` through the session's own methods.
 */
import { defaultWorld } from 'virtual:default-world';
import { createEmptyWorld, snapshotWorld, type World } from '../../core/index.ts';
import type { LabSession } from '../lab/session.svelte.ts';
import type { Route } from '../routes.ts';
import { sharedStart, shareUrl } from './share-link.ts';
import {
	DAMAGED_KEY,
	decodeSaved,
	SANDBOX_KEY,
	SAVED_FORMAT,
	type SandboxStore,
	type SavedSandbox
} from './storage.ts';
import { readWorldFile, scenarioSkeleton, worldFileName, worldFileText } from './world-file.ts';

/** A message shown above the lab until dismissed. */
export interface Notice {
	id: number;
	tone: 'info' | 'warn' | 'bad';
	title: string;
	text: string;
	/** Damaged data the learner can download (file name and text). */
	download?: { name: string; text: string };
	/** One action the notice offers (e.g. load the other tab's world). */
	action?: { label: string; run: () => void | Promise<void> };
}

/** What a tab tells the others. */
export interface TabMessage {
	type: 'saved';
	tab: string;
}

/** The channel between tabs (BroadcastChannel in the browser). */
export interface TabChannel {
	post(message: TabMessage): void;
	listen(handler: (message: TabMessage) => void): () => void;
}

/** What the sandbox needs from its surroundings; the browser's defaults are in `browserSandboxEnv`. */
export interface SandboxEnv {
	store: SandboxStore;
	channel: TabChannel | null;
	/** Offers a file for download. */
	download: (name: string, text: string, type: string) => void;
	/** Replaces the location hash without a new history entry or a hashchange. */
	replaceHash: (hash: string) => void;
	/** Runs `task` when the browser is next idle. */
	whenIdle: (task: () => void) => void;
	/** Real time, for file names and the saved record. */
	now: () => Date;
	/** The page's address, for share links. */
	pageUrl: () => string;
	tabId: string;
}

/** How the sandbox starts. */
export type NewWorld = 'default' | 'empty';

/** The sandbox controller; create one per lab page. */
export class Sandbox {
	notices = $state.raw<Notice[]>([]);
	/** True once the start world (share link, saved sandbox or default) is in place. */
	ready = $state(false);

	readonly #session: LabSession;
	readonly #env: SandboxEnv;
	#active = false;
	#entered = false;
	#loading = false;
	#savePending = false;
	#nextNotice = 1;
	/** The snapshot the sandbox started from, to tell whether the learner changed anything. */
	#baseline = '';
	#stop: (() => void)[] = [];

	constructor(session: LabSession, env: SandboxEnv) {
		this.#session = session;
		this.#env = env;
		this.#stop.push(
			session.onChange(() => {
				if (this.#active && !this.#loading) this.#scheduleSave();
			})
		);
		if (env.channel) this.#stop.push(env.channel.listen((m) => this.#onMessage(m)));
	}

	/** Stops listening (the page is going away); a pending save is written first. */
	async dispose(): Promise<void> {
		await this.flush();
		for (const stop of this.#stop) stop();
		this.#stop = [];
	}

	/**
	 * Enters the sandbox for `route`: the world of its share link, else the saved sandbox, else the default
	 * world. A share link is then removed from the address, so that a reload finds the saved sandbox.
	 */
	async enter(route: Route): Promise<void> {
		await this.flush();
		const first = !this.#entered;
		this.#entered = true;
		this.#active = true;
		this.#loading = true;
		const before = this.#session.world;
		try {
			const saved = await this.#readSaved();
			// A learner quicker than the storage keeps what they did: the saved world never clobbers it.
			const untouched = this.#session.world === before;
			const put = (world: World) =>
				untouched ? this.#session.reset(world) : this.#session.replaceWorld(world);
			const shared = sharedStart(route);
			if (shared.kind === 'world') {
				if (saved && untouched) this.#session.reset(saved);
				this.#baseline = snapshotWorld(this.#session.world);
				this.#session.replaceWorld(shared.world);
				this.#notify({
					tone: 'info',
					title: 'Opened a shared world',
					text:
						saved && untouched
							? 'The sandbox shows the world from the link. Undo (Alt+Z) brings back your own sandbox.'
							: 'The sandbox shows the world from the link.'
				});
				this.#scheduleSave();
			} else {
				if (shared.kind === 'broken') {
					put(defaultWorld());
					this.#notify({ tone: 'bad', title: 'This link does not work', text: shared.message });
				} else if (saved && untouched) {
					this.#session.reset(saved);
				} else if (!saved && !first && untouched) {
					// Back from a lesson with nothing saved: the sandbox is the default world again.
					this.#session.reset(defaultWorld());
				}
				if (!untouched) this.#scheduleSave();
				this.#baseline = snapshotWorld(shared.kind === 'broken' || !saved ? defaultWorld() : saved);
			}
			if (route.name === 'sandbox' && route.share) this.#env.replaceHash('#/sandbox');
		} finally {
			this.#loading = false;
			this.ready = true;
		}
	}

	/** Leaves the sandbox (another route took the lab): what is pending is saved, nothing after. */
	async leave(): Promise<void> {
		await this.flush();
		this.#active = false;
	}

	/** True when the world differs from where the sandbox started (asked before starting a new one). */
	hasChanges(): boolean {
		return snapshotWorld(this.#session.world) !== this.#baseline;
	}

	/** Starts a new sandbox from the default world or an empty subscription (undo is cleared). */
	startNew(kind: NewWorld): void {
		const world = kind === 'default' ? defaultWorld() : createEmptyWorld();
		this.#session.reset(world);
		this.#baseline = snapshotWorld(world);
		this.#notify({
			tone: 'info',
			title: 'New sandbox',
			text:
				kind === 'default'
					? 'The sandbox starts again from the default world (Contoso, rg-stock and the stock app).'
					: 'The sandbox starts again from an empty subscription: no resource group, no resource.'
		});
	}

	/** Downloads the world as a `.json` file (no cached token, no private key). Returns the file name. */
	exportWorld(): string {
		const name = worldFileName(this.#env.now());
		this.#env.download(name, worldFileText(this.#session.world), 'application/json');
		return name;
	}

	/** Reads a world file: a valid one replaces the world (undoable); an invalid one changes nothing. */
	importWorld(name: string, text: string): boolean {
		const read = readWorldFile(name, text);
		if (!read.ok) {
			this.refuseImport(read.message);
			return false;
		}
		this.#session.replaceWorld(read.world);
		this.#notify({
			tone: 'info',
			title: 'World imported',
			text: `The sandbox now shows the world from ${name}. Undo (Alt+Z) brings back the previous one.`
		});
		return true;
	}

	/** Says why a file was not imported (too large, unreadable, not a world). */
	refuseImport(message: string): void {
		this.#notify({ tone: 'bad', title: 'The world was not imported', text: message });
	}

	/** Downloads `<stem>.json` and a scenario.yaml skeleton that starts from it. */
	saveAsLessonStart(stem: string): { world: string; scenario: string } {
		const world = `${stem}.json`;
		this.#env.download(world, worldFileText(this.#session.world), 'application/json');
		this.#env.download('scenario.yaml', scenarioSkeleton(world), 'application/yaml');
		return { world, scenario: 'scenario.yaml' };
	}

	/** The link that opens this world in the sandbox. */
	shareLink(): string {
		return shareUrl(this.#env.pageUrl(), this.#session.world);
	}

	/** Removes a notice. */
	dismiss(id: number): void {
		this.notices = this.notices.filter((n) => n.id !== id);
	}

	/** Writes a pending save now (the page is hidden or closing). */
	async flush(): Promise<void> {
		if (this.#savePending) await this.#save();
	}

	#notify(notice: Omit<Notice, 'id'>): Notice {
		const full = { ...notice, id: this.#nextNotice++ };
		// One notice per title: a repeated event replaces its older notice rather than stacking.
		this.notices = [...this.notices.filter((n) => n.title !== notice.title), full];
		return full;
	}

	async #readSaved(): Promise<World | null> {
		let value: unknown;
		try {
			value = await this.#env.store.get(SANDBOX_KEY);
		} catch (problem) {
			this.#notify({
				tone: 'warn',
				title: 'The saved sandbox could not be read',
				text: `The browser's storage refused (${problem instanceof Error ? problem.message : String(problem)}). The sandbox starts from the default world; changes may not be kept after a reload.`
			});
			return null;
		}
		const loaded = decodeSaved(value);
		if (loaded.kind === 'world') return loaded.world;
		if (loaded.kind === 'damaged') {
			// Kept aside before anything is saved over it, and offered for download now.
			await this.#env.store.set(DAMAGED_KEY, value).catch(() => undefined);
			this.#notify({
				tone: 'warn',
				title: 'The saved sandbox was damaged',
				text: `What this browser had saved could not be read: ${loaded.why}. The sandbox starts from the default world; the damaged data is kept and you can download it.`,
				download: {
					name: `damaged-sandbox-${worldFileName(this.#env.now(), 'save').replace(/^save-/, '')}`,
					text: loaded.raw
				}
			});
		}
		return null;
	}

	#scheduleSave(): void {
		if (this.#savePending) return;
		this.#savePending = true;
		this.#env.whenIdle(() => void this.#save());
	}

	async #save(): Promise<void> {
		if (!this.#savePending) return;
		this.#savePending = false;
		if (!this.#active) return;
		const record: SavedSandbox = {
			format: SAVED_FORMAT,
			world: snapshotWorld(this.#session.world),
			tab: this.#env.tabId,
			savedAt: this.#env.now().toISOString()
		};
		try {
			await this.#env.store.set(SANDBOX_KEY, record);
			this.#env.channel?.post({ type: 'saved', tab: this.#env.tabId });
		} catch (problem) {
			this.#notify({
				tone: 'warn',
				title: 'The sandbox could not be saved',
				text: `The browser's storage refused (${problem instanceof Error ? problem.message : String(problem)}). Export the world to keep it.`
			});
		}
	}

	#onMessage(message: TabMessage): void {
		if (message.type !== 'saved' || message.tab === this.#env.tabId || !this.#active) return;
		this.#notify({
			tone: 'warn',
			title: 'Changed in another tab',
			text: 'The sandbox was changed in another tab. This tab still shows its own world; if you change it here, it is what the next visit finds.',
			action: { label: 'Load the other tab’s world', run: () => this.#loadFromOtherTab() }
		});
	}

	async #loadFromOtherTab(): Promise<void> {
		const loaded = decodeSaved(await this.#env.store.get(SANDBOX_KEY));
		this.notices = this.notices.filter((n) => n.title !== 'Changed in another tab');
		if (loaded.kind !== 'world') {
			this.#notify({
				tone: 'bad',
				title: 'The other tab’s world could not be loaded',
				text:
					loaded.kind === 'damaged'
						? `It could not be read: ${loaded.why}. This tab keeps its world.`
						: 'Nothing is saved any more. This tab keeps its world.'
			});
			return;
		}
		this.#loading = true;
		try {
			this.#session.replaceWorld(loaded.world);
		} finally {
			this.#loading = false;
		}
		this.#notify({
			tone: 'info',
			title: 'Loaded from the other tab',
			text: 'This tab now shows the world saved by the other tab. Undo (Alt+Z) brings back the one it had.'
		});
	}
}

/** The browser's surroundings for the sandbox: IndexedDB, BroadcastChannel, downloads, idle callbacks. */
export function browserSandboxEnv(store: SandboxStore): SandboxEnv {
	const channel =
		typeof BroadcastChannel === 'function' ? new BroadcastChannel('mil.sandbox') : null;
	return {
		store,
		channel: channel && {
			post: (message) => channel.postMessage(message),
			listen: (handler) => {
				const listener = (event: MessageEvent<TabMessage>) => handler(event.data);
				channel.addEventListener('message', listener);
				return () => {
					channel.removeEventListener('message', listener);
					channel.close();
				};
			}
		},
		download: downloadText,
		replaceHash: (hash) => history.replaceState(history.state, '', hash),
		whenIdle: (task) => {
			if ('requestIdleCallback' in window) window.requestIdleCallback(task, { timeout: 1000 });
			else setTimeout(task, 200);
		},
		// A moment for a file name, not state to render.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		now: () => new Date(),
		pageUrl: () => location.href,
		tabId: crypto.randomUUID()
	};
}

/** Offers text as a file download (a temporary object URL on a clicked link). */
export function downloadText(name: string, text: string, type: string): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const link = document.createElement('a');
	link.href = url;
	link.download = name;
	link.style.display = 'none';
	document.body.append(link);
	link.click();
	link.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
