/**
 * Hashes through Web Crypto (`globalThis.crypto.subtle`), present in Node 20 and every browser the lab
 * supports. Used for certificate thumbprints and for deriving opaque, deterministic claim values.
 */
import { bytesToBase64Url, bytesToHex, utf8Bytes } from './encoding.ts';

/** Raw digest of bytes with a Web Crypto hash name. */
export async function digestBytes(
	algorithm: 'SHA-1' | 'SHA-256',
	data: Uint8Array
): Promise<Uint8Array> {
	// A copy gives Web Crypto an ArrayBuffer-backed view whatever buffer `data` shares.
	return new Uint8Array(await globalThis.crypto.subtle.digest(algorithm, new Uint8Array(data)));
}

/** Base64url SHA-256 of UTF-8 text: a deterministic opaque value (e.g. for `aio`, `rh` or `uti` claims). */
export async function sha256Base64Url(text: string): Promise<string> {
	return bytesToBase64Url(await digestBytes('SHA-256', utf8Bytes(text)));
}

/** Lower-case hex SHA-256 of UTF-8 text. */
export async function sha256Hex(text: string): Promise<string> {
	return bytesToHex(await digestBytes('SHA-256', utf8Bytes(text)));
}
