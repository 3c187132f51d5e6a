/**
 * The token-request sequence — app → identity endpoint → Entra ID → endpoint → app → service → token
 * validation → authorization → answer — as a machine the sequence diagram and presenter mode step through.
 * Sending is async work (Web Crypto signing), so the machine emits `token.send` and the runtime answers with
 * `token.response` carrying the hops; everything after that is stepping. No invoke, no after: traversable.
 */
import { assign, emit, setup } from 'xstate';
import type { Hop } from '../core/http/types.ts';
import type { TokenSequenceInput } from './token-sequence.ts';

/** What the machine remembers. */
export interface TokenRequestContext {
	input: TokenSequenceInput | null;
	hops: Hop[];
	/** The hop shown now (0-based); -1 before the first. */
	index: number;
}

/** Events the machine accepts. */
export type TokenRequestEvent =
	| { type: 'token.request'; input: TokenSequenceInput }
	| { type: 'token.response'; hops: Hop[] }
	| { type: 'step.next' }
	| { type: 'step.back' }
	| { type: 'step.first' }
	| { type: 'step.last' }
	| { type: 'sequence.reset' };

/** What the machine asks the runtime to do. */
export type TokenRequestEmitted = { type: 'token.send'; input: TokenSequenceInput };

const lastIndex = (hops: readonly Hop[]): number => hops.length - 1;

/** The token-request sequence machine. */
export const tokenRequestMachine = setup({
	types: {
		context: {} as TokenRequestContext,
		events: {} as TokenRequestEvent,
		emitted: {} as TokenRequestEmitted
	},
	guards: {
		hasNextStep: ({ context }) => context.index < lastIndex(context.hops),
		hasPreviousStep: ({ context }) => context.index > 0,
		isAtFailedHop: ({ context }) => context.hops[context.index]?.ok === false,
		isAtLastHop: ({ context }) =>
			context.hops.length > 0 && context.index === lastIndex(context.hops),
		hasHops: ({ event }) => event.type === 'token.response' && event.hops.length > 0
	},
	actions: {
		rememberInput: assign({
			input: ({ event }) => (event.type === 'token.request' ? event.input : null),
			hops: () => [],
			index: () => -1
		}),
		askRuntime: emit(({ event }) => ({
			type: 'token.send' as const,
			input: (event as Extract<TokenRequestEvent, { type: 'token.request' }>).input
		})),
		takeHops: assign({
			hops: ({ event }) => (event.type === 'token.response' ? event.hops : []),
			index: () => 0
		}),
		stepForward: assign({
			index: ({ context }) => Math.min(context.index + 1, lastIndex(context.hops))
		}),
		stepBack: assign({ index: ({ context }) => Math.max(context.index - 1, 0) }),
		toFirst: assign({ index: () => 0 }),
		toLast: assign({ index: ({ context }) => lastIndex(context.hops) }),
		clear: assign({ input: () => null, hops: () => [], index: () => -1 })
	}
}).createMachine({
	id: 'tokenRequest',
	context: { input: null, hops: [], index: -1 },
	initial: 'idle',
	on: { 'sequence.reset': { target: '.idle', actions: 'clear' } },
	states: {
		idle: {
			on: { 'token.request': { target: 'sending', actions: ['rememberInput', 'askRuntime'] } }
		},
		sending: {
			tags: ['busy'],
			on: {
				'token.response': [
					{ guard: 'hasHops', target: 'routing', actions: 'takeHops' },
					{ target: 'idle', actions: 'clear' }
				]
			}
		},
		// Decides, after every move, whether the hop shown is an ordinary step, the failure, or the end.
		routing: {
			always: [
				{ guard: 'isAtFailedHop', target: 'failed' },
				{ guard: 'isAtLastHop', target: 'complete' },
				{ target: 'stepping' }
			]
		},
		stepping: {
			on: {
				'step.next': { guard: 'hasNextStep', target: 'routing', actions: 'stepForward' },
				'step.back': { guard: 'hasPreviousStep', target: 'routing', actions: 'stepBack' },
				'step.first': { target: 'routing', actions: 'toFirst' },
				'step.last': { target: 'routing', actions: 'toLast' }
			}
		},
		// A failed hop; the refusal's response (e.g. the 403 body) may still follow it.
		failed: {
			tags: ['failed'],
			on: {
				'step.next': { guard: 'hasNextStep', target: 'routing', actions: 'stepForward' },
				'step.last': { target: 'routing', actions: 'toLast' },
				'step.back': { guard: 'hasPreviousStep', target: 'routing', actions: 'stepBack' },
				'step.first': { target: 'routing', actions: 'toFirst' }
			}
		},
		complete: {
			tags: ['done'],
			on: {
				'step.back': { guard: 'hasPreviousStep', target: 'routing', actions: 'stepBack' },
				'step.first': { target: 'routing', actions: 'toFirst' }
			}
		}
	}
});
