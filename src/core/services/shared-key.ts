/**
 * Azure Storage Shared Key authorization: `Authorization: SharedKey {account}:{signature}`, where the signature is
 * HMAC-SHA256 (key = the base64-decoded account key) over the canonical string-to-sign of the Blob service
 * (version 2009-09-19 and later). Whoever holds the key can sign any request: no identity, no Azure RBAC.
 */
import { base64ToBytes, bytesToBase64, utf8Bytes } from '../crypto/encoding.ts';
import type { HttpRequest } from '../http/types.ts';
import { header } from '../http/types.ts';

const SIGNED_HEADERS = [
	'Content-Encoding',
	'Content-Language',
	'Content-Length',
	'Content-MD5',
	'Content-Type',
	'Date',
	'If-Modified-Since',
	'If-Match',
	'If-None-Match',
	'If-Unmodified-Since',
	'Range'
] as const;

/**
 * The value of a standard header as it goes into the string-to-sign. A request value without Content-Length
 * but with a body is sent with one (every HTTP client adds it), so its byte length is used; zero is empty.
 */
function signedHeaderValue(request: HttpRequest, name: (typeof SIGNED_HEADERS)[number]): string {
	const value = header(request, name);
	if (name === 'Content-Length') {
		const length = value ?? (request.body ? String(utf8Bytes(request.body).length) : '');
		return length === '0' ? '' : length;
	}
	return value ?? '';
}

/**
 * The Blob service's string-to-sign for Shared Key: verb, the standard headers, the `x-ms-*` headers (lower-cased,
 * sorted, `name:value`), then `/{account}{path}` and the query parameters (lower-cased, sorted, `\nname:value`).
 */
export function sharedKeyStringToSign(request: HttpRequest, account: string): string {
	let url: URL;
	try {
		url = new URL(request.url);
	} catch {
		return '';
	}
	const standard = SIGNED_HEADERS.map((name) => signedHeaderValue(request, name));
	const msHeaders = Object.entries(request.headers)
		.map(([name, value]) => [name.trim().toLowerCase(), value.replace(/\s+/g, ' ').trim()] as const)
		.filter(([name]) => name.startsWith('x-ms-'))
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([name, value]) => `${name}:${value}\n`)
		.join('');
	const params = new Map<string, string[]>();
	for (const [name, value] of url.searchParams) {
		const key = name.toLowerCase();
		params.set(key, [...(params.get(key) ?? []), value]);
	}
	const query = [...params.keys()]
		.sort()
		.map((key) => `\n${key}:${(params.get(key) ?? []).sort().join(',')}`)
		.join('');
	const path = url.pathname === '' ? '/' : url.pathname;
	return `${request.method.toUpperCase()}\n${standard.join('\n')}\n${msHeaders}/${account}${path}${query}`;
}

/** The bytes of an account key (base64; the base64url alphabet is accepted too, as Node's decoder does). */
export function accountKeyBytes(key: string): Uint8Array<ArrayBuffer> | null {
	const normalized = key.trim().replace(/-/g, '+').replace(/_/g, '/');
	return base64ToBytes(normalized);
}

/** HMAC-SHA256 of `text` under the account key, base64: the signature of a Shared Key request. */
export async function sharedKeySignature(text: string, accountKey: string): Promise<string | null> {
	const keyBytes = accountKeyBytes(accountKey);
	if (keyBytes === null) return null;
	const key = await globalThis.crypto.subtle.importKey(
		'raw',
		keyBytes,
		{ name: 'HMAC', hash: 'SHA-256' },
		false,
		['sign']
	);
	const mac = await globalThis.crypto.subtle.sign('HMAC', key, utf8Bytes(text));
	return bytesToBase64(new Uint8Array(mac));
}

/**
 * Signs a request with an account key, as the Storage SDKs do with a connection string: adds the `Authorization:
 * SharedKey` header (and `x-ms-date` when the request has no date). Null when the key is not base64.
 */
export async function signSharedKeyRequest(
	request: HttpRequest,
	account: string,
	accountKey: string,
	date: string
): Promise<HttpRequest | null> {
	const headers = { ...request.headers };
	if (header(request, 'x-ms-date') === undefined && header(request, 'Date') === undefined)
		headers['x-ms-date'] = date;
	for (const name of Object.keys(headers))
		if (name.toLowerCase() === 'authorization') delete headers[name];
	const unsigned = { ...request, headers };
	const signature = await sharedKeySignature(sharedKeyStringToSign(unsigned, account), accountKey);
	if (signature === null) return null;
	return {
		...unsigned,
		headers: { ...headers, Authorization: `SharedKey ${account}:${signature}` }
	};
}
