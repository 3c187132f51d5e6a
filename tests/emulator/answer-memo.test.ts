/** The emulator's memo of IMDS answers: kept while only the history changes, forgotten on any other change. */
import { describe, expect, it } from 'vitest';
import { applyOperations, createDefaultWorld, type World } from '../../src/core/index.ts';
import { AnswerMemo, requestKey } from '../../src/emulator/answer-memo.ts';

function apply(world: World, ...operations: Parameters<typeof applyOperations>[1]): World {
	const applied = applyOperations(world, operations);
	if (!applied.ok) throw new Error(applied.error.message);
	return applied.value.world;
}

const unthrottled = apply(createDefaultWorld(), { type: 'setImdsThrottle', enabled: false });
const call = {
	type: 'recordServiceCall' as const,
	service: 'imds' as const,
	operation: 'GET token',
	target: 'https://vault.azure.net',
	status: 200,
	principalId: null,
	authMethod: 'none' as const,
	source: 'vm-stock-app',
	errorCode: null
};

describe('AnswerMemo', () => {
	it('gives the remembered answer for the same world and the same request', () => {
		const memo = new AnswerMemo<string>();
		memo.set(unthrottled, 'GET a', 'answer a');
		expect(memo.get(unthrottled, 'GET a')).toBe('answer a');
		expect(memo.get(unthrottled, 'GET b')).toBeUndefined();
	});

	it('keeps its answers when only the history grew', () => {
		const memo = new AnswerMemo<string>();
		memo.set(unthrottled, 'GET a', 'answer a');
		const later = apply(unthrottled, call, call);
		expect(later.events.length).toBe(unthrottled.events.length + 2);
		expect(memo.get(later, 'GET a')).toBe('answer a');
	});

	it('forgets every answer when anything but the history changed', () => {
		const memo = new AnswerMemo<string>();
		memo.set(unthrottled, 'GET a', 'answer a');
		memo.set(unthrottled, 'GET b', 'answer b');
		const moved = apply(unthrottled, { type: 'advanceClock', seconds: 60 });
		expect(memo.get(moved, 'GET a')).toBeUndefined();
		// Forgotten for good: the earlier world does not bring them back.
		expect(memo.get(unthrottled, 'GET b')).toBeUndefined();
	});

	it('is not used while IMDS throttling is on (throttling counts the history)', () => {
		expect(AnswerMemo.usable(createDefaultWorld())).toBe(false);
		expect(AnswerMemo.usable(unthrottled)).toBe(true);
	});

	it('holds at most 64 requests, dropping the oldest', () => {
		const memo = new AnswerMemo<number>();
		for (let i = 0; i < 65; i++) memo.set(unthrottled, `GET ${i}`, i);
		expect(memo.get(unthrottled, 'GET 0')).toBeUndefined();
		expect(memo.get(unthrottled, 'GET 1')).toBe(1);
		expect(memo.get(unthrottled, 'GET 64')).toBe(64);
	});
});

describe('requestKey', () => {
	const request = {
		method: 'GET',
		url: 'http://169.254.169.254/metadata/identity/oauth2/token?resource=x',
		headers: { Metadata: 'true' }
	};
	it('tells apart requests that differ in method, URL, any header or the body', () => {
		const keys = new Set([
			requestKey(request),
			requestKey({ ...request, method: 'POST' }),
			requestKey({ ...request, url: `${request.url}&client_id=y` }),
			requestKey({ ...request, headers: { Metadata: 'false' } }),
			requestKey({ ...request, headers: { Metadata: 'true', 'x-ms-client-request-id': '1' } }),
			requestKey({ ...request, body: 'x' })
		]);
		expect(keys.size).toBe(6);
		expect(requestKey({ ...request, headers: { Metadata: 'true' } })).toBe(requestKey(request));
	});
});
