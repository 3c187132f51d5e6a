/** The emulator's request checks on their own: body reading, log escaping, Host, Origin and the lab token. */
import { createServer, request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
	checkBrowserOrigin,
	checkHost,
	checkLabCall,
	escapeForLog,
	readBody,
	type BodyOutcome
} from '../../src/emulator/guard.ts';

/**
 * Runs a server whose handler gives its first request to `inspect`, sends `body` (POST, `Content-Length` as
 * given) from a raw client, and resolves with what `inspect` returned. The client is destroyed at the end.
 */
async function withRequest(
	inspect: (req: IncomingMessage) => Promise<BodyOutcome>,
	body: string,
	contentLength = Buffer.byteLength(body)
): Promise<BodyOutcome> {
	let seen: (outcome: Promise<BodyOutcome>) => void = () => undefined;
	const outcome = new Promise<BodyOutcome>((resolve) => (seen = resolve));
	const server = createServer((req) => seen(inspect(req)));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const client = request({
		host: '127.0.0.1',
		port: (server.address() as AddressInfo).port,
		method: 'POST',
		agent: false,
		headers: { 'Content-Length': String(contentLength) }
	});
	client.on('error', () => undefined);
	client.write(body);
	try {
		return await outcome;
	} finally {
		client.destroy();
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	}
}

describe('readBody', () => {
	it('settles for a request whose client went away before the body was read', async () => {
		const outcome = await withRequest(async (req) => {
			// The request waits (as behind a slow one) while its client disconnects.
			req.socket.destroy();
			await new Promise((resolve) => setTimeout(resolve, 20));
			return readBody(req, 1024);
		}, 'x');
		expect(outcome).toEqual({ ok: false, reason: 'gone' });
	});

	it('reads a whole body, and stops past the limit', async () => {
		expect(await withRequest((req) => readBody(req, 1024), 'héllo')).toEqual({
			ok: true,
			body: 'héllo'
		});
		expect(await withRequest((req) => readBody(req, 1024), 'x'.repeat(4096))).toEqual({
			ok: false,
			reason: 'tooLarge'
		});
	});
});

describe('escapeForLog', () => {
	it('escapes line breaks, every control character, the Unicode separators and the backslash', () => {
		expect(escapeForLog('a\r\nb\tc\u0000d\u001be\u007ff\u0085g\u2028h\\i')).toBe(
			'a\\r\\nb\\tc\\x00d\\x1be\\x7ff\\x85g\\u2028h\\\\i'
		);
		expect(escapeForLog('plain text / with ?query=1&x=é')).toBe('plain text / with ?query=1&x=é');
	});
});

describe('checkHost', () => {
	it("takes the emulator's own addresses and the Azure hosts it serves", () => {
		for (const host of [
			'127.0.0.1:8080',
			'localhost:8080',
			'LOCALHOST:8080',
			'kv-stock.vault.azure.net',
			'ststockdata.blob.core.windows.net:8080',
			'management.azure.com',
			'login.microsoftonline.com'
		]) {
			expect(checkHost(host, 8080), host).toBeUndefined();
		}
	});

	it('refuses every other name, another port and a missing Host', () => {
		for (const host of [
			undefined,
			'',
			'attacker.example:8080',
			'127.0.0.1:9090',
			'localhost',
			'vault.azure.net.attacker.example',
			'[::1]:8080'
		]) {
			expect(checkHost(host, 8080)?.status, String(host)).toBe(421);
		}
	});
});

describe('checkBrowserOrigin', () => {
	it('lets through requests without browser headers, and same-origin ones', () => {
		expect(checkBrowserOrigin(undefined, undefined, 8080)).toBeUndefined();
		expect(checkBrowserOrigin('http://127.0.0.1:8080', 'same-origin', 8080)).toBeUndefined();
		expect(checkBrowserOrigin(undefined, 'none', 8080)).toBeUndefined();
	});

	it('refuses another origin or a cross-site fetch', () => {
		expect(checkBrowserOrigin('http://localhost:5173', undefined, 8080)?.status).toBe(403);
		expect(checkBrowserOrigin('null', undefined, 8080)?.status).toBe(403);
		expect(checkBrowserOrigin(undefined, 'cross-site', 8080)?.status).toBe(403);
		expect(checkBrowserOrigin(undefined, 'same-site', 8080)?.status).toBe(403);
	});
});

describe('checkLabCall', () => {
	const token = 'a'.repeat(43);

	it('wants the bearer token, and JSON for a body', () => {
		expect(checkLabCall('GET', `Bearer ${token}`, undefined, token)).toBeUndefined();
		expect(
			checkLabCall('POST', `bearer ${token}`, 'application/json; charset=utf-8', token)
		).toBeUndefined();
		expect(checkLabCall('GET', undefined, undefined, token)?.status).toBe(401);
		expect(checkLabCall('GET', `Bearer ${token}x`, undefined, token)?.status).toBe(401);
		expect(checkLabCall('POST', `Bearer ${token}`, 'text/plain', token)?.status).toBe(415);
		expect(checkLabCall('POST', `Bearer ${token}`, undefined, token)?.status).toBe(415);
	});
});
