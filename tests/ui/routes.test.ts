// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, type Route } from '../../src/ui/routes.ts';

describe('hash routes', () => {
	it.each<[string, Route]>([
		['', { name: 'home' }],
		['#', { name: 'home' }],
		['#/', { name: 'home' }],
		['#/sandbox', { name: 'sandbox', flowStep: null }],
		['#/sandbox/', { name: 'sandbox', flowStep: null }],
		['#/sandbox/flow/3', { name: 'sandbox', flowStep: 3 }],
		['#/lesson/system-assigned', { name: 'lesson', id: 'system-assigned', step: null }],
		['#/lesson/system-assigned/2', { name: 'lesson', id: 'system-assigned', step: 2 }],
		['#/present/call-key-vault/4', { name: 'present', id: 'call-key-vault', step: 4 }],
		['#/sandbox?share=N4Ig+a$-9', { name: 'sandbox', flowStep: null, share: 'N4Ig+a$-9' }],
		['#/sandbox/?share=abc&x=1', { name: 'sandbox', flowStep: null, share: 'abc' }],
		['#/sandbox?share=', { name: 'sandbox', flowStep: null }],
		['#/sandbox?other=1', { name: 'sandbox', flowStep: null }],
		['#share=N4Ig+a', { name: 'sandbox', flowStep: null, share: 'N4Ig+a' }],
		[
			'#/lesson/system-assigned/2?share=xyz',
			{ name: 'lesson', id: 'system-assigned', step: 2, share: 'xyz' }
		],
		['#/?share=xyz', { name: 'home' }],
		[
			'#/present/call-key-vault/4?audience',
			{ name: 'present', id: 'call-key-vault', step: 4, audience: true }
		],
		[
			'#/present/call-key-vault?audience',
			{ name: 'present', id: 'call-key-vault', step: null, audience: true }
		]
	])('%s is %o', (hash, route) => {
		expect(parseRoute(hash)).toEqual(route);
	});

	it.each([
		'#/nowhere',
		'#/sandbox/flow/0',
		'#/sandbox/flow/x',
		'#/sandbox/other',
		'#/lesson',
		'#/lesson/Bad_Id',
		'#/lesson/a/1/extra',
		'#/lesson/a/-1',
		'#/present/%E0%A4%A',
		'#/nowhere?share=abc',
		'#/present/a/1?other',
		'#/lesson/a/1?audience',
		'#/?audience',
		'#/present/a/1?share=xyz'
	])('%s is not found, with its path kept for the message', (hash) => {
		const route = parseRoute(hash);
		expect(route.name).toBe('notFound');
	});

	it('writes back every route it reads', () => {
		for (const hash of [
			'#/',
			'#/sandbox',
			'#/sandbox/flow/12',
			'#/lesson/why-managed-identities',
			'#/lesson/why-managed-identities/3',
			'#/present/scale-out/1',
			'#/sandbox?share=N4Ig+a$-9',
			'#/lesson/scale-out/2?share=abc',
			'#/present/scale-out/1?audience'
		]) {
			expect(routeHash(parseRoute(hash))).toBe(hash);
		}
	});
});
