import { describe, expect, it } from 'vitest';
import {
	annotatedRequest,
	annotatedResponse,
	curlLine,
	rawText
} from '../../../src/ui/diagrams/http-text.ts';

const IMDS =
	'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net&client_id=abc';

describe('annotatedRequest', () => {
	it('keeps the bytes and labels api-version, resource, client_id and Metadata: true', () => {
		const lines = annotatedRequest({ method: 'GET', url: IMDS, headers: { Metadata: 'true' } });
		expect(rawText(lines)).toBe(`GET ${IMDS} HTTP/1.1\nMetadata: true`);
		expect(lines[0]!.notes.map((n) => n.field)).toEqual([
			'api-version=2018-02-01',
			'resource=https://vault.azure.net',
			'client_id=abc'
		]);
		expect(lines[1]!.notes[0]!.why).toMatch(/^Required by IMDS/);
	});

	it('labels the bearer token (shortened) and X-IDENTITY-HEADER, and keeps the body after a blank line', () => {
		const lines = annotatedRequest({
			method: 'POST',
			url: 'https://x.example/a',
			headers: { Authorization: `Bearer ${'e'.repeat(80)}`, 'X-IDENTITY-HEADER': 'secret' },
			body: '{"a":1}'
		});
		expect(lines.map((l) => l.text).slice(-2)).toEqual(['', '{"a":1}']);
		expect(lines[1]!.notes[0]!.field).toHaveLength('Authorization: '.length + 40);
		expect(lines[2]!.notes[0]!.why).toContain('IDENTITY_HEADER');
	});
});

describe('annotatedResponse', () => {
	it.each([
		[403, 'Forbidden', /Azure RBAC said no/],
		[401, 'Unauthorized', /Not authenticated/],
		[400, 'Bad Request', /request itself is wrong/]
	])('explains a %d on its status line', (status, text, why) => {
		const lines = annotatedResponse({ status, statusText: text, headers: {}, body: '' });
		expect(lines[0]!.notes[0]!.why).toMatch(why);
	});

	it('labels access_token and expires_on in a token response', () => {
		const lines = annotatedResponse({
			status: 200,
			statusText: 'OK',
			headers: { 'Content-Type': 'application/json' },
			body: '{"access_token":"eyJ","expires_on":"1"}'
		});
		expect(lines[0]!.notes).toEqual([]);
		expect(lines.at(-1)!.notes.map((n) => n.field)).toEqual(['access_token', 'expires_on']);
	});
});

describe('curlLine', () => {
	it('gives a GET with its headers, quoted for the shell', () => {
		expect(curlLine({ method: 'GET', url: IMDS, headers: { Metadata: 'true' } })).toBe(
			`curl -s -H 'Metadata: true' '${IMDS}'`
		);
	});

	it('gives -X for a bodiless POST and -d for a body, escaping single quotes', () => {
		expect(curlLine({ method: 'DELETE', url: 'https://a/b', headers: {} })).toBe(
			"curl -s -X DELETE 'https://a/b'"
		);
		expect(curlLine({ method: 'POST', url: 'https://a/b', headers: {}, body: "it's" })).toBe(
			"curl -s -d 'it'\\''s' 'https://a/b'"
		);
	});
});
