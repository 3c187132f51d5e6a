/** What an operation handler gets besides the draft world: ids, events, the caller. */
import type { Draft } from 'immer';
import type { NewEvent, WorldEvent } from '../events.ts';
import type { World } from '../model.ts';
import { seededGuid } from '../../ids.ts';

/** The draft world an operation changes; discarded whole when the operation refuses. */
export type WorldDraft = Draft<World>;

/** Services a handler uses to change the draft. */
export interface OperationContext {
	/** The next seeded GUID of this world. */
	guid(): string;
	/** Appends an event stamped with the world's time and the next sequence number. */
	emit(event: NewEvent): void;
	/** Who performs the operation (a user principal name or a principal id), for the activity log. */
	caller: string;
}

/** Makes the context for one operation on a draft. */
export function createContext(draft: WorldDraft, caller: string): OperationContext {
	return {
		caller,
		guid() {
			return seededGuid(draft.seed, draft.idCounter++);
		},
		emit(event) {
			const stamped = { ...event, seq: draft.events.length + 1, at: draft.now } as WorldEvent;
			draft.events.push(stamped);
		}
	};
}
