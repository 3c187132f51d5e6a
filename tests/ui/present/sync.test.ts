// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	AudienceLink,
	HEARTBEAT_MS,
	PresenterLink,
	SILENCE_MS,
	type ChannelLike,
	type SyncEnv
} from '../../../src/ui/present/sync.ts';
import { stateMessage, type PresentState } from '../../../src/ui/present/protocol.ts';

const ORIGIN = 'https://lab.example';

/** BroadcastChannel in memory: every channel of a name but the sender gets a clone of each message. */
function hub() {
	const channels = new Map<string, Set<FakeChannel>>();
	class FakeChannel implements ChannelLike {
		listeners: ((event: MessageEvent) => void)[] = [];
		constructor(readonly name: string) {
			const set = channels.get(name) ?? new Set();
			set.add(this);
			channels.set(name, set);
		}
		postMessage(message: unknown): void {
			for (const other of channels.get(this.name) ?? [])
				if (other !== this)
					for (const l of other.listeners)
						l({ data: structuredClone(message), origin: ORIGIN } as MessageEvent);
		}
		addEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
			this.listeners.push(listener);
		}
		close(): void {
			channels.get(this.name)?.delete(this);
		}
	}
	return FakeChannel;
}

/** A window: its message listeners, and postMessage that delivers with the sender as source. */
class FakeWindow {
	listeners: ((event: MessageEvent) => void)[] = [];
	opener: FakeWindow | null = null;
	closed = false;
	location = { origin: ORIGIN };
	/** Who is posting (set by the test: the window whose code runs). */
	static current: FakeWindow | null = null;
	addEventListener(_type: 'message', l: (event: MessageEvent) => void): void {
		this.listeners.push(l);
	}
	removeEventListener(_type: 'message', l: (event: MessageEvent) => void): void {
		this.listeners = this.listeners.filter((x) => x !== l);
	}
	postMessage(message: unknown, targetOrigin: string): void {
		if (targetOrigin !== this.location.origin) return;
		// No window posts to itself here: a post made while the audience's code runs comes from its opener.
		this.deliver(message, FakeWindow.current === this ? this.opener : FakeWindow.current, ORIGIN);
	}
	deliver(message: unknown, source: unknown, origin: string): void {
		for (const l of this.listeners)
			l({ data: structuredClone(message), source, origin } as unknown as MessageEvent);
	}
}

function state(step: number): PresentState {
	return {
		lesson: 'system-assigned',
		step,
		seq: step,
		clock: { elapsedMs: 0, running: false },
		playing: false,
		interval: 20,
		view: 'topology',
		selection: null,
		worldHash: null,
		forked: false
	};
}

describe('presenter and audience links', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	function pair(options: { channels?: boolean } = {}) {
		const Channel = hub();
		const presenterWindow = new FakeWindow();
		const audienceWindow = new FakeWindow();
		audienceWindow.opener = presenterWindow;
		const env = (w: FakeWindow): SyncEnv => ({
			window: w,
			channel: (name) => (options.channels === false ? null : new Channel(name)),
			now: () => Date.now()
		});
		let current = state(0);
		const presenter = new PresenterLink(
			'system-assigned',
			'presenter1',
			() => current,
			env(presenterWindow)
		);
		const seen: PresentState[] = [];
		const makeAudience = () =>
			new AudienceLink('system-assigned', 'audience1', (s) => seen.push(s), env(audienceWindow));
		return {
			presenter,
			presenterWindow,
			audienceWindow,
			makeAudience,
			seen,
			set: (s: PresentState) => (current = s),
			env,
			Channel
		};
	}

	it('the audience asks on load and follows every published state over the channel', () => {
		const p = pair();
		p.set(state(2));
		FakeWindow.current = p.audienceWindow;
		const audience = p.makeAudience();
		audience.start();
		expect(p.seen.map((s) => s.step)).toEqual([2]);
		p.set(state(3));
		FakeWindow.current = p.presenterWindow;
		p.presenter.publish();
		expect(p.seen.map((s) => s.step)).toEqual([2, 3]);
		audience.destroy();
		p.presenter.destroy();
	});

	it('works over postMessage alone, with a heartbeat, when there is no BroadcastChannel', () => {
		const p = pair({ channels: false });
		const audience = p.makeAudience();
		FakeWindow.current = p.presenterWindow;
		p.presenter.attach(p.audienceWindow);
		expect(p.seen.map((s) => s.step)).toEqual([0]);
		p.set(state(1));
		vi.advanceTimersByTime(HEARTBEAT_MS);
		expect(p.seen.map((s) => s.step)).toEqual([0, 1]);
		// The same state again is not news.
		vi.advanceTimersByTime(HEARTBEAT_MS);
		expect(p.seen).toHaveLength(2);
		audience.destroy();
		p.presenter.destroy();
	});

	it('recovers when the presenter reloads: the audience says hello to its opener after a silence', () => {
		const p = pair({ channels: false });
		const audience = p.makeAudience();
		FakeWindow.current = p.presenterWindow;
		p.presenter.attach(p.audienceWindow);
		p.presenter.destroy();
		// The reloaded presenter has a new id, counts from 0 and has no handle on the audience window.
		const reloaded = new PresenterLink(
			'system-assigned',
			'presenter2',
			() => state(2),
			p.env(p.presenterWindow)
		);
		FakeWindow.current = p.audienceWindow;
		audience.start();
		expect(p.seen.at(-1)?.step).toBe(2);
		expect(reloaded.hasAudienceWindow).toBe(true);
		audience.destroy();
		reloaded.destroy();
	});

	it('recovers when the audience reloads: it asks again and gets the current state', () => {
		const p = pair();
		p.set(state(3));
		FakeWindow.current = p.audienceWindow;
		const first = p.makeAudience();
		first.start();
		first.destroy();
		const again = p.makeAudience();
		again.start();
		expect(p.seen.map((s) => s.step)).toEqual([3, 3]);
		again.destroy();
		p.presenter.destroy();
	});

	it('ignores other origins, windows other than its opener, and malformed messages', () => {
		const p = pair({ channels: false });
		const audience = p.makeAudience();
		const good = stateMessage('presenter1', state(4));
		p.audienceWindow.deliver(good, p.presenterWindow, 'https://evil.example');
		p.audienceWindow.deliver(good, new FakeWindow(), ORIGIN);
		p.audienceWindow.deliver({ ...good, v: 9 }, p.presenterWindow, ORIGIN);
		p.audienceWindow.deliver('step 4', p.presenterWindow, ORIGIN);
		expect(p.seen).toEqual([]);
		p.audienceWindow.deliver(good, p.presenterWindow, ORIGIN);
		expect(p.seen.map((s) => s.step)).toEqual([4]);
		audience.destroy();
		p.presenter.destroy();
	});

	it('says hello again only while the presenter is silent', () => {
		const p = pair({ channels: false });
		const hellos: unknown[] = [];
		p.presenterWindow.addEventListener('message', (e) => hellos.push(e.data));
		FakeWindow.current = p.audienceWindow;
		const audience = p.makeAudience();
		audience.start();
		const after = hellos.length;
		expect(after).toBe(1);
		expect(p.seen).toHaveLength(1);
		// The presenter answered and adopted the window: its heartbeat keeps the audience from asking again.
		vi.advanceTimersByTime(SILENCE_MS * 2);
		expect(hellos).toHaveLength(1);
		// The presenter goes quiet (closed, or reloading): the audience asks again.
		p.presenter.destroy();
		vi.advanceTimersByTime(SILENCE_MS * 2);
		expect(hellos.length).toBeGreaterThan(1);
		audience.destroy();
		p.presenter.destroy();
	});
});
