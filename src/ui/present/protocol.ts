/**
 * What the presenter and the audience window say to each other: state, not events. The presenter publishes a
 * small versioned state (lesson, step, clock, the view in front, the selection, a hash of its world); the
 * audience recomputes the world from the lesson's deterministic steps and compares hashes. Every message is
 * validated here; anything else is ignored, whoever sent it.
 */
import * as v from 'valibot';

/** The protocol's version: a window that speaks another version is ignored. */
export const PROTOCOL_VERSION = 1;
/** Marks our messages among anything else that may arrive on `message`. */
export const NAMESPACE = 'mil-present';

/** The views the stage can put in front. */
export const PRESENT_VIEWS = ['terminal', 'portal', 'topology', 'flow'] as const;
export type PresentView = (typeof PRESENT_VIEWS)[number];

const LessonId = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,63}$/));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const InstanceId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{1,64}$/));

const PresentStateSchema = v.strictObject({
	lesson: LessonId,
	/** 0 is the title; 1… the walkthrough's demonstrations. */
	step: v.pipe(Count, v.maxValue(9999)),
	/** Increases with every change the presenter publishes. */
	seq: Count,
	/** The presentation's elapsed time: running since `startedAt` (epoch ms) or stopped at `elapsedMs`. */
	clock: v.strictObject({
		elapsedMs: Count,
		running: v.boolean()
	}),
	/** Auto-advance: on, and how many seconds each step stays. */
	playing: v.boolean(),
	interval: v.pipe(v.number(), v.integer(), v.minValue(5), v.maxValue(600)),
	view: v.picklist(PRESENT_VIEWS),
	/** What is selected in that view: the open blade, as JSON (validated again where it is used). */
	selection: v.nullable(v.pipe(v.string(), v.maxLength(2000))),
	/** Fingerprint of the presenter's world once the step has run (null while it runs). */
	worldHash: v.nullable(v.pipe(v.string(), v.regex(/^[0-9a-f]{8}$/))),
	/** True when the presenter acted in the lab and its world left the walkthrough. */
	forked: v.boolean()
});

/** The presenter's state as the audience follows it. */
export type PresentState = v.InferOutput<typeof PresentStateSchema>;

const MessageSchema = v.variant('type', [
	v.strictObject({
		ns: v.literal(NAMESPACE),
		v: v.literal(PROTOCOL_VERSION),
		from: InstanceId,
		type: v.literal('state'),
		state: PresentStateSchema
	}),
	v.strictObject({
		ns: v.literal(NAMESPACE),
		v: v.literal(PROTOCOL_VERSION),
		from: InstanceId,
		/** A window that (re)loaded asks for the current state. */
		type: v.literal('hello'),
		role: v.picklist(['presenter', 'audience']),
		lesson: LessonId
	})
]);

/** A message of the protocol. */
export type PresentMessage = v.InferOutput<typeof MessageSchema>;

/** The message, when `data` is a valid one; null for anything else (never throws). */
export function parseMessage(data: unknown): PresentMessage | null {
	const parsed = v.safeParse(MessageSchema, data);
	return parsed.success ? parsed.output : null;
}

/** A state message from `from`. */
export function stateMessage(from: string, state: PresentState): PresentMessage {
	return { ns: NAMESPACE, v: PROTOCOL_VERSION, from, type: 'state', state };
}

/** A hello from a window that just loaded. */
export function helloMessage(
	from: string,
	role: 'presenter' | 'audience',
	lesson: string
): PresentMessage {
	return { ns: NAMESPACE, v: PROTOCOL_VERSION, from, type: 'hello', role, lesson };
}

/** The BroadcastChannel of one lesson's presentation, so that two presentations in one browser stay apart. */
export function channelName(lesson: string): string {
	return `${NAMESPACE}:v${PROTOCOL_VERSION}:${lesson}`;
}

/**
 * Follows the presenter's states in order: a state is newer when it has a higher `seq` from the same
 * presenter, or comes from another presenter instance (the presenter reloaded, and counts from 0 again).
 */
export class StateFollower {
	#from: string | null = null;
	#seq = -1;

	/** True when the message's state should replace the one shown. */
	accept(message: PresentMessage & { type: 'state' }): boolean {
		if (message.from === this.#from && message.state.seq <= this.#seq) return false;
		this.#from = message.from;
		this.#seq = message.state.seq;
		return true;
	}
}

/** A random id for this window (not a secret: it only tells our own echoes and reloads apart). */
export function instanceId(random: () => number = Math.random): string {
	return Array.from({ length: 12 }, () => Math.floor(random() * 36).toString(36)).join('');
}
