/** What an operation handler gets besides the draft world: ids, events, the caller. */
import type { Draft } from 'mutative';
import type { NewEvent, WorldEvent } from '../events.ts';
import type { World } from '../model.ts';
import { seededGuid } from '../../ids.ts';
import { appendHistory } from '../store/history.ts';

/** The draft world an operation changes; discarded whole when the operation refuses. */
export type WorldDraft = Draft<World>;

/**
 * How much history a world keeps: the oldest events are dropped beyond it, so that a long-running emulator's
 * world does not grow with every request; lessons stay far below this.
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

/**
 * The history after appending events, trimmed to the newest MAX_EVENTS. A long history is a persistent vector
 * behind the array's read shape (store/history.ts): appending costs what is appended, not the history's length.
 */
export function appendEvents(history: WorldEvent[], events: WorldEvent[]): WorldEvent[] {
	return appendHistory(history, events, MAX_EVENTS);
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
		emit: stamper(emitted, base, () => draft.now)
	};
}

/**
 * The context of operations that only record events (no draft: they change nothing else, so they make no
 * ids). Their events are stamped with the world's time and numbered on from its history.
 */
export function createRecordContext(base: World, caller: string): OperationContext {
	const emitted: WorldEvent[] = [];
	return {
		caller,
		base,
		guid() {
			throw new Error('an operation that only records events makes no ids');
		},
		emitted,
		emit: stamper(emitted, base, () => base.now)
	};
}

function stamper(
	emitted: WorldEvent[],
	base: World,
	now: () => World['now']
): (event: NewEvent) => void {
	return (event) => {
		const last = emitted[emitted.length - 1] ?? base.events[base.events.length - 1];
		// Assigned rather than `{ ...event, seq, at }`, which costs many times more in V8; same keys, same order.
		const stamped = Object.assign({}, event) as WorldEvent;
		stamped.seq = (last?.seq ?? 0) + 1;
		stamped.at = now();
		emitted.push(stamped);
	};
}
