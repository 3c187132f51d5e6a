/** What an operation handler gets besides the draft world: ids, events, the caller. */
import type { Draft } from 'mutative';
import type { NewEvent, WorldEvent } from '../events.ts';
import type { World } from '../model.ts';
import { seededGuid } from '../../ids.ts';

/** The draft world an operation changes; discarded whole when the operation refuses. */
export type WorldDraft = Draft<World>;

/**
 * How much history a world keeps. Appending copies the history array (the world is immutable), so an
 * unbounded log would make a long-running emulator slower with every request; lessons stay far below this.
 */
export const MAX_EVENTS = 10_000;

/** Services a handler uses to change the draft. */
export interface OperationContext {
	/** The next seeded GUID of this world. */
	guid(): string;
	/** Appends an event stamped with the world's time and the next sequence number. */
	emit(event: NewEvent): void;
	/** Who performs the operation (a user principal name or a principal id), for the activity log. */
	caller: string;
	/**
	 * The world before the operation, for scans: reading a large record through the draft would make a proxy
	 * of every entry. Write through the draft only.
	 */
	base: World;
	/** The events emitted so far; kept out of the draft so that appending does not copy the history. */
	emitted: WorldEvent[];
}

/** The history after appending events, trimmed to the newest MAX_EVENTS. */
export function appendEvents(history: WorldEvent[], events: WorldEvent[]): WorldEvent[] {
	if (events.length === 0) return history;
	const total = history.length + events.length;
	if (total <= MAX_EVENTS) return history.concat(events);
	// One copy of the kept part, not a concat and then a slice: at the cap this runs on every operation.
	const drop = total - MAX_EVENTS;
	const kept: WorldEvent[] = new Array<WorldEvent>(MAX_EVENTS);
	let n = 0;
	for (let i = Math.min(drop, history.length); i < history.length; i++)
		kept[n++] = history[i] as WorldEvent;
	for (let i = Math.max(0, drop - history.length); i < events.length; i++)
		kept[n++] = events[i] as WorldEvent;
	return kept;
}

/** Makes the context for one operation on a draft. */
export function createContext(draft: WorldDraft, base: World, caller: string): OperationContext {
	const emitted: WorldEvent[] = [];
	return {
		caller,
		base,
		guid() {
			return seededGuid(draft.seed, draft.idCounter++);
		},
		emitted,
		emit(event) {
			const last = emitted[emitted.length - 1] ?? base.events[base.events.length - 1];
			const stamped: WorldEvent = { ...event, seq: (last?.seq ?? 0) + 1, at: draft.now };
			emitted.push(stamped);
		}
	};
}
