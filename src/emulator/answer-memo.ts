/**
 * Answers to IMDS token requests, remembered while the world they were computed from stays the same.
 *
 * The core is pure: the same request against the same world gets the same answer. An SDK or a load test that
 * asks IMDS for a cached token again and again changes nothing but the history (one token event per answer),
 * so the emulator can hand back the answer it computed last time, and record the same event, instead of
 * routing the request through the simulated network again. The answer is the one the full path would give,
 * byte for byte; only the work is saved.
 *
 * What the memo relies on, and checks:
 * - Only IMDS token requests (their answers do not read the history: request ids elsewhere are derived from
 *   its length) and only while IMDS throttling is off (throttling counts the history's token events).
 * - Only answers whose operations record events and change nothing else (a cache hit, a refusal); a cache
 *   miss fills the token cache and is never remembered.
 * - The world is the same but for its history: every other top-level field is the very same object (the
 *   world is immutable, so an unchanged reference is unchanged content). Any other change — a role
 *   assignment, the clock, a new token — forgets every answer.
 * - The key is the whole request: method, URL, every header as sent, body.
 */
import type { HttpRequest, World } from '../core/index.ts';

/** How many different requests are remembered at once (a few resources per client is the usual case). */
const MAX_ENTRIES = 64;

/** The part of a world an IMDS answer may depend on: everything but the event history. */
function sameButHistory(a: World, b: World): boolean {
	if (a === b) return true;
	for (const key in a) {
		if (key !== 'events' && a[key as keyof World] !== b[key as keyof World]) return false;
	}
	for (const key in b) if (!(key in a)) return false;
	return true;
}

/** The memo key of a request: everything in it that could change the answer. */
export function requestKey(request: HttpRequest): string {
	let key = `${request.method} ${request.url}\n`;
	for (const name in request.headers) key += `${name}: ${request.headers[name]}\n`;
	return `${key}\n${request.body ?? ''}`;
}

/** Remembered answers of type `T` (the emulator's answer and the operations it recorded). */
export class AnswerMemo<T> {
	private basis: World | undefined;
	private readonly answers = new Map<string, T>();

	/** Whether answers computed against `world` may be remembered at all (IMDS throttling reads the history). */
	static usable(world: World): boolean {
		return world.settings.imdsThrottle === false;
	}

	/** The answer remembered for `key`, if the world is still the one it was computed from (but for history). */
	get(world: World, key: string): T | undefined {
		if (!this.current(world)) return undefined;
		return this.answers.get(key);
	}

	/** Remembers `answer` to `key`, computed against `world`. */
	set(world: World, key: string, answer: T): void {
		if (!this.current(world)) {
			this.answers.clear();
			this.basis = world;
		}
		if (this.answers.size >= MAX_ENTRIES && !this.answers.has(key)) {
			const oldest = this.answers.keys().next();
			if (!oldest.done) this.answers.delete(oldest.value);
		}
		this.answers.set(key, answer);
	}

	/** Whether the remembered answers still hold for `world`; moves the basis along a history-only change. */
	private current(world: World): boolean {
		if (this.basis === undefined) return false;
		if (!sameButHistory(this.basis, world)) {
			this.answers.clear();
			this.basis = undefined;
			return false;
		}
		this.basis = world;
		return true;
	}
}
