import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeForDisplay } from '../../../src/core/crypto/jwt-decode.ts';
import { FIXTURE_TOKEN as TOKEN, FIXTURE_TOKEN_CLAIMS as CLAIMS } from '../../fixtures/files.ts';

const [HEADER, PAYLOAD, SIGNATURE] = TOKEN.split('.') as [string, string, string];

const b64url = (text: string | Uint8Array): string => Buffer.from(text).toString('base64url');

function messageFor(text: string): string {
	const result = decodeForDisplay(text);
	if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
	expect(result.error.code).toBe('ERR_JWS_INVALID');
	return result.error.message;
}

describe('decodeForDisplay', () => {
	it('decodes the fixture token into header, payload, signature and parts', () => {
		expect(decodeForDisplay(TOKEN)).toEqual({
			ok: true,
			value: {
				header: {
					typ: 'JWT',
					alg: 'RS256',
					x5t: 'mUH8O983300mLhbhbLDTHkov720',
					kid: 'mUH8O983300mLhbhbLDTHkov720'
				},
				payload: CLAIMS,
				signature: SIGNATURE,
				parts: [HEADER, PAYLOAD, SIGNATURE]
			}
		});
	});

	it('shows a token without checking it: tampered, unsigned and expired tokens decode too', () => {
		const unsigned = `${b64url('{"alg":"none"}')}.${PAYLOAD}.`;
		const result = decodeForDisplay(unsigned);
		expect(result.ok && result.value.header).toEqual({ alg: 'none' });
		expect(result.ok && result.value.signature).toBe('');
		const tampered = `${HEADER}.${b64url('{"aud":"https://vault.azure.net"}')}.${SIGNATURE}`;
		expect(decodeForDisplay(tampered).ok).toBe(true);
	});

	it('counts the parts of text that is not a JWT', () => {
		expect(messageFor(`${HEADER}.${PAYLOAD}`)).toBe(
			'This is not a JWT: a JWT has three parts separated by dots (header.payload.signature); this text has 2 parts. Part of the token was probably lost when it was copied; copy all of it.'
		);
		expect(messageFor('garbage')).toContain('this text has 1 part (no dots at all)');
		expect(messageFor(`${TOKEN}.extra`)).toContain('this text has 4 parts.');
	});

	it('recognizes an encrypted token (five parts)', () => {
		expect(messageFor('a.b.c.d.e')).toContain('encrypted token (JWE)');
	});

	it('explains the usual copy-and-paste mistakes', () => {
		expect(messageFor('')).toContain('the text is empty');
		expect(messageFor(`Bearer ${TOKEN}`)).toContain('Remove "Bearer "');
		expect(messageFor(`"${TOKEN}"`)).toContain('wrapped in quotes');
		expect(messageFor(`{"access_token":"${TOKEN}"}`)).toContain('"access_token" field');
		expect(messageFor(`${TOKEN.slice(0, 50)}\n${TOKEN.slice(50)}`)).toContain('line breaks');
	});

	it('names the part that is not base64url and the character that breaks it', () => {
		expect(messageFor(`${HEADER}.${PAYLOAD}+.${SIGNATURE}`)).toBe(
			'The payload (part 2) contains "+", which is not a base64url character (only A–Z, a–z, 0–9, "-" and "_" may appear). The token was changed or mangled when it was copied.'
		);
		expect(messageFor(`${HEADER}=.${PAYLOAD}.${SIGNATURE}`)).toContain(
			'The header (part 1) ends with "=" padding'
		);
		expect(messageFor(`${HEADER}.${PAYLOAD}.${SIGNATURE}/`)).toContain('The signature (part 3)');
		expect(messageFor(`${HEADER}.${PAYLOAD}A.${SIGNATURE}`)).toContain(
			'a length no base64url text can have'
		);
	});

	it('says when a part decodes to something that is not a JSON object', () => {
		expect(messageFor(`${b64url('hello')}.${PAYLOAD}.${SIGNATURE}`)).toBe(
			'The header (part 1) decodes to text that is not JSON: "hello". In a JWT it is a JSON object such as {"alg":"RS256",…}.'
		);
		expect(messageFor(`${HEADER}.${b64url('[1,2]')}.${SIGNATURE}`)).toBe(
			'The payload (part 2) decodes to JSON an array, but it must be a JSON object ({…}).'
		);
		expect(messageFor(`${HEADER}.${b64url('42')}.${SIGNATURE}`)).toContain('JSON a number');
		expect(messageFor(`${HEADER}..${SIGNATURE}`)).toContain('The payload (part 2) is empty');
		expect(messageFor(`${b64url(new Uint8Array([0xff, 0xfe, 0x80]))}.${PAYLOAD}.`)).toContain(
			'not UTF-8 text'
		);
	});

	it('never throws, whatever text it is given', () => {
		fc.assert(
			fc.property(
				fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9_=+/. -]{0,80}$/)),
				(text) => {
					const result = decodeForDisplay(text);
					if (!result.ok) {
						expect(result.error.code).toBe('ERR_JWS_INVALID');
						expect(result.error.message.length).toBeGreaterThan(20);
					}
				}
			),
			{ numRuns: 500 }
		);
	});
});
