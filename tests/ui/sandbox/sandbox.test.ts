// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
	createDefaultWorld,
	createEmptyWorld,
	restoreWorld,
	snapshotWorld
} from '../../../src/core/index.ts';
import { LabSession } from '../../../src/ui/lab/session.svelte.ts';
import {
	Sandbox,
	type SandboxEnv,
	type TabMessage
} from '../../../src/ui/sandbox/sandbox.svelte.ts';
import { shareData } from '../../../src/ui/sandbox/share-link.ts';
import {
	DAMAGED_KEY,
	memorySandboxStore,
	SANDBOX_KEY,
	type SandboxStore
} from '../../../src/ui/sandbox/storage.ts';
import { systemIdentityOf, VM_APP } from '../../fixtures/worlds.ts';

/** Tabs on one store and one channel; idle tasks run when the test says. */
function browser(store = memorySandboxStore()) {
	const listeners = new Set<(m: TabMessage) => void>();
	const idle: (() => void)[] = [];
	const downloads: { name: string; text: string }[] = [];
	const hashes: string[] = [];
	let tabs = 0;
	const tab = () => {
		const session = new LabSession(createDefaultWorld(), { wait: () => Promise.resolve() });
		const tabId = `tab-${++tabs}`;
		const env: SandboxEnv = {
			store,
			channel: {
				post: (m) => {
					for (const l of listeners) l(m);
				},
				listen: (h) => {
					listeners.add(h);
					return () => listeners.delete(h);
				}
			},
			download: (name, text) => downloads.push({ name, text }),
			replaceHash: (h) => hashes.push(h),
			whenIdle: (task) => idle.push(task),
			now: () => new Date('2026-12-03T21:30:00Z'),
			pageUrl: () => 'https://lab.example/#/sandbox',
			tabId
		};
		return { session, sandbox: new Sandbox(session, env) };
	};
	const runIdle = async () => {
		while (idle.length > 0) idle.shift()?.();
		await new Promise((r) => setTimeout(r, 0));
	};
	return { store, tab, runIdle, downloads, hashes };
}

const SANDBOX = { name: 'sandbox', flowStep: null } as const;

describe('the sandbox', () => {
	it('is saved when the browser is next idle after a change, and found again on the next visit', async () => {
		const b = browser();
		const one = b.tab();
		await one.sandbox.enter(SANDBOX);
		expect(b.store.data.has(SANDBOX_KEY)).toBe(false);
		await one.session.run('az vm identity assign -g rg-stock -n vm-stock-app -o none');
		expect(b.store.data.has(SANDBOX_KEY)).toBe(false);
		await b.runIdle();
		expect(b.store.data.get(SANDBOX_KEY)).toMatchObject({ format: 1, tab: 'tab-1' });

		const reloaded = b.tab();
		await reloaded.sandbox.enter(SANDBOX);
		expect(systemIdentityOf(reloaded.session.world, VM_APP)).toEqual(
			systemIdentityOf(one.session.world, VM_APP)
		);
		expect(reloaded.sandbox.notices).toEqual([]);
		expect(reloaded.sandbox.hasChanges()).toBe(false);
	});

	it('starts from the default world with a notice, and keeps the damaged data, when the saved data is corrupt', async () => {
		for (const bad of [
			'garbage',
			{ format: 7, world: '{}' },
			{ format: 1, world: '{"version":' }
		]) {
			const b = browser(memorySandboxStore({ [SANDBOX_KEY]: bad }));
			const { session, sandbox } = b.tab();
			await sandbox.enter(SANDBOX);
			expect(snapshotWorld(session.world)).toBe(snapshotWorld(createDefaultWorld()));
			const notice = sandbox.notices[0];
			expect(notice?.title).toBe('The saved sandbox was damaged');
			expect(notice?.text).toMatch(/could not be read: .+ starts from the default world/);
			expect(notice?.download?.text).toBe(
				typeof bad === 'string' ? bad : JSON.stringify(bad, null, 2)
			);
			expect(b.store.data.get(DAMAGED_KEY)).toEqual(bad);
		}
	});

	it('says so when the browser storage refuses, and still starts', async () => {
		const refusing: SandboxStore = {
			get: () => Promise.reject(new Error('QuotaExceededError')),
			set: () => Promise.reject(new Error('QuotaExceededError'))
		};
		const { session, sandbox } = browser(refusing as ReturnType<typeof memorySandboxStore>).tab();
		await sandbox.enter(SANDBOX);
		expect(sandbox.notices[0]?.text).toMatch(/refused \(QuotaExceededError\)/);
		expect(session.world.resources).toEqual(createDefaultWorld().resources);
	});

	it('never replaces the world another tab shows: it offers to load it', async () => {
		const b = browser();
		const one = b.tab();
		const two = b.tab();
		await one.sandbox.enter(SANDBOX);
		await two.sandbox.enter(SANDBOX);
		await one.session.run('az vm identity assign -g rg-stock -n vm-stock-app -o none');
		await b.runIdle();
		expect(one.sandbox.notices).toEqual([]);
		expect(systemIdentityOf(two.session.world, VM_APP)).toBeUndefined();
		const notice = two.sandbox.notices[0];
		expect(notice?.title).toBe('Changed in another tab');
		await notice?.action?.run();
		expect(systemIdentityOf(two.session.world, VM_APP)).toEqual(
			systemIdentityOf(one.session.world, VM_APP)
		);
		expect(two.sandbox.notices.map((n) => n.title)).toEqual(['Loaded from the other tab']);
		// Loading it is a step undo takes back.
		expect(two.session.undo()).toBe(true);
		expect(systemIdentityOf(two.session.world, VM_APP)).toBeUndefined();
	});

	it('opens a shared world over the saved one (undo brings the saved one back) and drops the link from the address', async () => {
		const b = browser();
		const first = b.tab();
		await first.sandbox.enter(SANDBOX);
		first.sandbox.startNew('empty');
		await first.session.run('az group create -n rg-mine -l westeurope -o none');
		await b.runIdle();

		const shared = createDefaultWorld();
		const { session, sandbox } = b.tab();
		await sandbox.enter({ ...SANDBOX, share: shareData(shared) });
		expect(session.world.resources).toEqual(shared.resources);
		expect(sandbox.notices[0]?.text).toMatch(/Undo \(Alt\+Z\) brings back your own sandbox/);
		expect(b.hashes).toEqual(['#/sandbox']);
		expect(session.undo()).toBe(true);
		expect(Object.keys(session.world.resourceGroups).join()).toContain('rg-mine');
	});

	it('falls back to the default world, saying why, for a tampered link, and leaves the saved sandbox alone', async () => {
		const b = browser();
		const first = b.tab();
		await first.sandbox.enter(SANDBOX);
		await first.session.run('az vm identity assign -g rg-stock -n vm-stock-app -o none');
		await b.runIdle();
		const saved = b.store.data.get(SANDBOX_KEY);

		const { session, sandbox } = b.tab();
		await sandbox.enter({
			...SANDBOX,
			share: `${shareData(createEmptyWorld()).slice(0, -12)}AAAA`
		});
		expect(sandbox.notices[0]).toMatchObject({
			tone: 'bad',
			title: 'This link does not work',
			text: expect.stringMatching(/The sandbox starts from the default world instead\.$/) as string
		});
		expect(session.world.resources).toEqual(createDefaultWorld().resources);
		await b.runIdle();
		expect(b.store.data.get(SANDBOX_KEY)).toBe(saved);
	});

	it('imports a valid world file as an undoable step and refuses an invalid one without changing anything', async () => {
		const b = browser();
		const { session, sandbox } = b.tab();
		await sandbox.enter(SANDBOX);
		const before = session.world;
		expect(sandbox.importWorld('broken.json', '{"version":1,"seed":3}')).toBe(false);
		expect(session.world).toBe(before);
		expect(sandbox.notices[0]?.text).toMatch(/^broken\.json: This saved world is damaged at/);

		expect(sandbox.importWorld('empty.json', snapshotWorld(createEmptyWorld()))).toBe(true);
		expect(session.world.resources).toEqual({});
		expect(session.undo()).toBe(true);
		expect(session.world).toBe(before);
	});

	it('exports a file that restores, and saves a lesson start as a world and a scenario', async () => {
		const b = browser();
		const { session, sandbox } = b.tab();
		await sandbox.enter(SANDBOX);
		await session.run('az vm identity assign -g rg-stock -n vm-stock-app -o none');
		expect(sandbox.exportWorld()).toBe('sandbox-world-2026-12-03-2130.json');
		const restored = restoreWorld(b.downloads[0]?.text ?? '');
		expect(restored.ok && restored.value.resources).toEqual(session.world.resources);

		sandbox.saveAsLessonStart('vm-ready');
		expect(b.downloads.slice(1).map((d) => d.name)).toEqual(['vm-ready.json', 'scenario.yaml']);
		expect(b.downloads[2]?.text).toContain('  from: vm-ready.json');
	});

	it('knows when the world changed since it started, for the question before a new sandbox', async () => {
		const { session, sandbox } = browser().tab();
		await sandbox.enter(SANDBOX);
		expect(sandbox.hasChanges()).toBe(false);
		await session.run('az vm identity assign -g rg-stock -n vm-stock-app -o none');
		expect(sandbox.hasChanges()).toBe(true);
		sandbox.startNew('empty');
		expect(sandbox.hasChanges()).toBe(false);
		expect(session.world.resources).toEqual({});
		expect(session.undoDepth).toBe(0);
	});

	it('saves nothing while another route (a lesson) has the lab', async () => {
		const b = browser();
		const { session, sandbox } = b.tab();
		await sandbox.enter(SANDBOX);
		await sandbox.leave();
		session.reset(createEmptyWorld());
		session.apply([{ type: 'advanceClock', seconds: 60 }]);
		await b.runIdle();
		expect(b.store.data.has(SANDBOX_KEY)).toBe(false);
		// Back in the sandbox with nothing saved: the default world again.
		await sandbox.enter(SANDBOX);
		expect(session.world.resources).toEqual(createDefaultWorld().resources);
	});
});
