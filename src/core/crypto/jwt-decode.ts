/**
 * Reading a JWT for display. Decoding proves nothing about a token: anything that accepts a token verifies it
 * (`verifyAccessToken`). What this module adds is a precise, learner-facing reason when text is not a JWT.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { err, ok } from '../result.ts';
import type { Result } from '../result.ts';
import { base64UrlToBytes } from './encoding.ts';

/** Why text could not be read as a JWT. */
export interface DecodeError {
	code: 'ERR_JWS_INVALID';
	message: string;
}

/** A JWT taken apart for showing: decoded header and payload, and the raw parts. */
export interface DecodedToken {
	header: Record<string, unknown>;
	payload: Record<string, unknown>;
	/** The third part as it appears in the token (base64url); empty for an unsigned (`alg: none`) token. */
	signature: string;
	parts: [header: string, payload: string, signature: string];
}

const PART_NAMES = ['header (part 1)', 'payload (part 2)', 'signature (part 3)'] as const;

/**
 * Decodes a JWT's header and payload for showing them. Never throws; when the text is not a JWT, the error
 * says what is wrong with it in words a learner can act on. It does not check the signature or any claim.
 */
export function decodeForDisplay(token: string): Result<DecodedToken, DecodeError> {
	const shape = checkShape(token);
	if (!shape.ok) return shape;
	const parts = shape.value;
	for (const index of [0, 1] as const) {
		const json = readJsonPart(parts[index], PART_NAMES[index]);
		if (!json.ok) return json;
	}
	try {
		return ok({
			header: { ...decodeProtectedHeader(token) },
			payload: { ...decodeJwt(token) },
			signature: parts[2],
			parts
		});
	} catch (cause) {
		return invalid(
			`This is not a JWT that can be decoded: ${cause instanceof Error ? cause.message : String(cause)}.`
		);
	}
}

function checkShape(token: string): Result<[string, string, string], DecodeError> {
	if (token.trim() === '') {
		return invalid(
			'There is no token here: the text is empty. Use the "access_token" value from a token response; it starts with "eyJ".'
		);
	}
	if (/^\s*bearer\s/i.test(token)) {
		return invalid(
			'This text starts with "Bearer": that word is the scheme of the Authorization header, not part of the token. Remove "Bearer " and keep the rest, which starts with "eyJ".'
		);
	}
	if (token.trimStart().startsWith('{')) {
		return invalid(
			'This text is JSON, not a JWT; perhaps the whole token response. Copy only the value of its "access_token" field, without the quotes.'
		);
	}
	if (/^\s*["']/.test(token) || /["']\s*$/.test(token)) {
		return invalid(
			'The token is wrapped in quotes, as it appears inside JSON. Remove the quotes: a JWT is only the text between them.'
		);
	}
	if (/\s/.test(token)) {
		return invalid(
			'The token contains spaces or line breaks, but a JWT is one unbroken line of text. Join the lines and remove the spaces.'
		);
	}
	const parts = token.split('.');
	if (parts.length === 5) {
		return invalid(
			'This text has five parts separated by dots: it is an encrypted token (JWE), whose contents only the holder of the decryption key can read. Access tokens for Azure resources are signed JWTs with three parts.'
		);
	}
	const [header, payload, signature] = parts;
	if (
		parts.length !== 3 ||
		header === undefined ||
		payload === undefined ||
		signature === undefined
	) {
		const count = parts.length === 1 ? '1 part (no dots at all)' : `${parts.length} parts`;
		const hint =
			parts.length < 3
				? ' Part of the token was probably lost when it was copied; copy all of it.'
				: '';
		return invalid(
			`This is not a JWT: a JWT has three parts separated by dots (header.payload.signature); this text has ${count}.${hint}`
		);
	}
	for (const [index, part] of [header, payload, signature].entries()) {
		const problem = base64UrlProblem(part);
		if (problem !== null) return invalid(`The ${PART_NAMES[index] ?? 'part'} ${problem}`);
	}
	return ok([header, payload, signature]);
}

/** Why a JWT part is not base64url text, or `null` when it is. */
function base64UrlProblem(part: string): string | null {
	const bad = /[^A-Za-z0-9_-]/.exec(part)?.[0];
	if (bad === '=') {
		return 'ends with "=" padding, which JWTs never use (base64url without padding). The token was changed after it was made.';
	}
	if (bad !== undefined) {
		return `contains "${bad}", which is not a base64url character (only A–Z, a–z, 0–9, "-" and "_" may appear). The token was changed or mangled when it was copied.`;
	}
	if (part.length % 4 === 1) {
		return `is ${part.length} characters long, a length no base64url text can have: a character was lost or added when the token was copied.`;
	}
	return null;
}

function readJsonPart(part: string, name: string): Result<Record<string, unknown>, DecodeError> {
	if (part === '')
		return invalid(`The ${name} is empty; a JWT's header and payload are never empty.`);
	const bytes = base64UrlToBytes(part);
	if (bytes === null) return invalid(`The ${name} is not base64url text.`);
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return invalid(
			`The ${name} decodes to bytes that are not UTF-8 text, so it cannot hold JSON. The token was changed or is not a JWT.`
		);
	}
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return invalid(
			`The ${name} decodes to text that is not JSON: ${quote(text)}. In a JWT it is a JSON object such as {"alg":"RS256",…}.`
		);
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
		return invalid(`The ${name} decodes to JSON ${kind}, but it must be a JSON object ({…}).`);
	}
	return ok(value as Record<string, unknown>);
}

function quote(text: string): string {
	return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function invalid(message: string): { ok: false; error: DecodeError } {
	return err({ code: 'ERR_JWS_INVALID', message });
}
