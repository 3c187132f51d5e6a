/**
 * Byte encodings the crypto module needs (base64, base64url, hex, PEM), written against the web platform
 * only (`btoa`, `atob`, `TextEncoder`) so they run unchanged in Node 20 and in the browser.
 */
import { err, ok } from '../result.ts';
import type { Result } from '../result.ts';

const BASE64URL_TEXT = /^[A-Za-z0-9_-]*$/;
const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

/** Standard base64 (with padding) of bytes, as used in `x5c` and PEM bodies. */
export function bytesToBase64(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary);
}

/** Base64url (no padding) of bytes, as used in every part of a JWT and in `x5t`. */
export function bytesToBase64Url(bytes: Uint8Array): string {
	return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Bytes of standard base64 text; `null` when the text is not base64. */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> | null {
	if (text.length % 4 !== 0 || !BASE64_TEXT.test(text)) return null;
	const binary = atob(text);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

/** Bytes of base64url text without padding; `null` when the text is not base64url. */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> | null {
	if (!BASE64URL_TEXT.test(text) || text.length % 4 === 1) return null;
	const padded = text
		.replace(/-/g, '+')
		.replace(/_/g, '/')
		.padEnd(Math.ceil(text.length / 4) * 4, '=');
	return base64ToBytes(padded);
}

/** Lower-case hex of bytes. */
export function bytesToHex(bytes: Uint8Array): string {
	let hex = '';
	for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
	return hex;
}

/** UTF-8 bytes of a string. */
export function utf8Bytes(text: string): Uint8Array<ArrayBuffer> {
	return new TextEncoder().encode(text);
}

/** PEM text for DER bytes under a label such as `CERTIFICATE`, 64 characters a line, as OpenSSL writes it. */
export function derToPem(der: Uint8Array, label: string): string {
	const body = bytesToBase64(der).match(/.{1,64}/g) ?? [];
	return `-----BEGIN ${label}-----\n${body.join('\n')}\n-----END ${label}-----\n`;
}

/** Why a PEM block could not be read. */
export interface PemError {
	code: 'ERR_PEM_INVALID';
	message: string;
}

/**
 * DER bytes of the first PEM block with the given label. Accepts CRLF line ends and surrounding text, as
 * files copied between systems have.
 */
export function pemToDer(pem: string, label: string): Result<Uint8Array<ArrayBuffer>, PemError> {
	const begin = `-----BEGIN ${label}-----`;
	const end = `-----END ${label}-----`;
	const start = pem.indexOf(begin);
	const stop = start === -1 ? -1 : pem.indexOf(end, start + begin.length);
	if (start === -1 || stop === -1) {
		return err({
			code: 'ERR_PEM_INVALID',
			message: `This text is not a PEM "${label}": it needs a "${begin}" line and a matching "${end}" line.`
		});
	}
	const body = pem.slice(start + begin.length, stop).replace(/\s+/g, '');
	const der = base64ToBytes(body);
	if (der === null || der.length === 0) {
		return err({
			code: 'ERR_PEM_INVALID',
			message: `The body of the PEM "${label}" is not base64: only A–Z, a–z, 0–9, "+", "/" and "=" padding may appear between the BEGIN and END lines.`
		});
	}
	return ok(der);
}
