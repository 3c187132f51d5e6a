/**
 * The two transports between presenter and audience, one protocol: a `BroadcastChannel` per lesson (every
 * window of this origin in this browser profile), and `postMessage` between the presenter and the window it
 * opened, with a heartbeat (it also works where a channel does not). The audience says hello when it loads
 * and again when it has heard nothing for a while, so that either window can reload and the pair recovers.
 * Messages from another origin, from a window that is not the partner, or that fail validation are ignored.
 */
import {
	StateFollower,
	channelName,
	helloMessage,
	parseMessage,
	stateMessage,
	type PresentMessage,
	type PresentState
} from './protocol.ts';

/** The presenter's heartbeat to the window it opened. */
export const HEARTBEAT_MS = 1000;
/** After this long without a state, the audience asks again. */
export const SILENCE_MS = 3000;

/** The part of `BroadcastChannel` used here. */
export interface ChannelLike {
	postMessage(message: unknown): void;
	addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
	close(): void;
}

/** The part of `window` used here. */
export interface WindowLike {
	location: { origin: string };
	opener: unknown;
	addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
	removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** Where the links run: the window and how to open a channel (null where BroadcastChannel is missing). */
export interface SyncEnv {
	window: WindowLike;
	channel: (name: string) => ChannelLike | null;
	now: () => number;
}

/** The browser's own environment. */
export function browserEnv(): SyncEnv {
	return {
		window,
		channel: (name) => (typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null),
		now: () => Date.now()
	};
}

interface Postable {
	postMessage(message: unknown, targetOrigin: string): void;
	closed?: boolean;
}

function postable(value: unknown): Postable | null {
	return typeof value === 'object' &&
		value !== null &&
		typeof (value as Postable).postMessage === 'function'
		? (value as Postable)
		: null;
}

/** The presenter's side: publishes its state and answers hellos. */
export class PresenterLink {
	readonly #lesson: string;
	readonly #id: string;
	readonly #env: SyncEnv;
	readonly #state: () => PresentState;
	readonly #channel: ChannelLike | null;
	#audience: Postable | null = null;
	#heartbeat: ReturnType<typeof setInterval> | null = null;
	readonly #onMessage = (event: MessageEvent): void => {
		if (event.origin !== this.#env.window.location.origin) return;
		const message = parseMessage(event.data);
		if (message?.type !== 'hello' || message.role !== 'audience') return;
		if (message.lesson !== this.#lesson) return;
		// A known partner, or a window we opened before this page reloaded (it says hello to its opener).
		const source = postable(event.source);
		if (!source || (this.#audience && source !== this.#audience && !this.#audience.closed)) return;
		this.#adopt(source);
		this.publish();
	};

	constructor(lesson: string, id: string, state: () => PresentState, env: SyncEnv) {
		this.#lesson = lesson;
		this.#id = id;
		this.#state = state;
		this.#env = env;
		this.#channel = env.channel(channelName(lesson));
		this.#channel?.addEventListener('message', (event) => {
			const message = parseMessage(event.data);
			if (message?.type === 'hello' && message.role === 'audience' && message.lesson === lesson)
				this.publish();
		});
		env.window.addEventListener('message', this.#onMessage);
	}

	/** True while a window this presenter opened (or re-adopted) is open. */
	get hasAudienceWindow(): boolean {
		return this.#audience !== null && this.#audience.closed !== true;
	}

	/** Keeps the window opened for the audience, to post to it directly with a heartbeat. */
	#adopt(target: Postable): void {
		this.#audience = target;
		this.#heartbeat ??= setInterval(() => {
			if (this.#audience?.closed) {
				this.#audience = null;
				return;
			}
			this.#post(stateMessage(this.#id, this.#state()));
		}, HEARTBEAT_MS);
	}

	/** The window opened for the audience. */
	attach(target: unknown): void {
		const p = postable(target);
		if (p) {
			this.#adopt(p);
			this.publish();
		}
	}

	#post(message: PresentMessage): void {
		try {
			this.#audience?.postMessage(message, this.#env.window.location.origin);
		} catch {
			// A window that navigated elsewhere or closed: the channel and its next hello recover.
			this.#audience = null;
		}
	}

	/** Sends the current state on both transports. */
	publish(): void {
		const message = stateMessage(this.#id, this.#state());
		this.#channel?.postMessage(message);
		this.#post(message);
	}

	/** Says the presenter (re)loaded: an audience window already open sends its hello back. */
	announce(): void {
		this.#channel?.postMessage(helloMessage(this.#id, 'presenter', this.#lesson));
		this.publish();
	}

	destroy(): void {
		if (this.#heartbeat) clearInterval(this.#heartbeat);
		this.#heartbeat = null;
		this.#channel?.close();
		this.#env.window.removeEventListener('message', this.#onMessage);
	}
}

/** The audience's side: follows the presenter's states, in order, from either transport. */
export class AudienceLink {
	readonly #lesson: string;
	readonly #id: string;
	readonly #env: SyncEnv;
	readonly #channel: ChannelLike | null;
	readonly #follower = new StateFollower();
	readonly #onState: (state: PresentState) => void;
	#lastHeard: number | null = null;
	#timer: ReturnType<typeof setInterval> | null = null;
	readonly #onMessage = (event: MessageEvent): void => {
		if (event.origin !== this.#env.window.location.origin) return;
		const opener = this.#env.window.opener;
		if (!opener || event.source !== opener) return;
		this.#receive(parseMessage(event.data));
	};

	constructor(lesson: string, id: string, onState: (state: PresentState) => void, env: SyncEnv) {
		this.#lesson = lesson;
		this.#id = id;
		this.#env = env;
		this.#onState = onState;
		this.#channel = env.channel(channelName(lesson));
		this.#channel?.addEventListener('message', (event) => {
			const message = parseMessage(event.data);
			if (message?.type === 'hello' && message.role === 'presenter') this.hello();
			else this.#receive(message);
		});
		env.window.addEventListener('message', this.#onMessage);
	}

	/** When the last state arrived (null: never). */
	get lastHeard(): number | null {
		return this.#lastHeard;
	}

	#receive(message: PresentMessage | null): void {
		if (message?.type !== 'state') return;
		if (!this.#follower.accept(message)) {
			this.#lastHeard = this.#env.now();
			return;
		}
		this.#lastHeard = this.#env.now();
		this.#onState(message.state);
	}

	/** Asks for the presenter's state on both transports. */
	hello(): void {
		const message = helloMessage(this.#id, 'audience', this.#lesson);
		this.#channel?.postMessage(message);
		const opener = postable(this.#env.window.opener);
		try {
			opener?.postMessage(message, this.#env.window.location.origin);
		} catch {
			// The opener closed or went elsewhere; the channel still reaches a presenter in another window.
		}
	}

	/** Says hello now and again whenever the presenter has been silent for a while. */
	start(): void {
		this.hello();
		this.#timer ??= setInterval(() => {
			const heard = this.#lastHeard;
			if (heard === null || this.#env.now() - heard >= SILENCE_MS) this.hello();
		}, SILENCE_MS);
	}

	destroy(): void {
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = null;
		this.#channel?.close();
		this.#env.window.removeEventListener('message', this.#onMessage);
	}
}
