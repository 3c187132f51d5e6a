/**
 * The emulator under abuse: clients that go away mid-queue, oversized requests, text that would forge log
 * lines, and every door of the control API a web page or another local process could try.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/emulator.ts';
import type { Emulator } from '../../src/emulator/emulator.ts';
import { labCommand, labHeaders, labValue } from './lab.ts';

const TOKEN_PATH = '/metadata/identity/oauth2/token';
const VAULT = 'https://vault.azure.net';
const IMDS_QUERY = `?api-version=2018-02-01&resource=${encodeURIComponent(VAULT)}`;

let emulator: Emulator;
const logLines: string[] = [];

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, log: (line) => logLines.push(line) });
	await labCommand(emulator, 'az vm identity assign -g rg-stock -n vm-stock-app');
});

afterAll(async () => {
	await emulator.close();
});

interface RawAnswer {
	status: number;
	headers: IncomingHttpHeaders;
	body: string;
}

/**
 * A request through node:http, which sends exactly the headers given (fetch adds its own and refuses to set
 * Host or Origin). `body` is written as given; with `declaredLength` the request announces that many bytes.
 */
function raw(
	path: string,
	options: {
		method?: string;
		headers?: Record<string, string>;
		body?: string;
		declaredLength?: number;
	} = {}
): Promise<RawAnswer> {
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port: emulator.port,
				path,
				method: options.method ?? 'GET',
				agent: false,
				headers: {
					...(options.declaredLength !== undefined
						? { 'Content-Length': String(options.declaredLength) }
						: {}),
					...options.headers
				},
				signal: AbortSignal.timeout(10_000)
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (body += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
			}
		);
		req.on('error', reject);
		if (options.declaredLength !== undefined) req.flushHeaders();
		else req.end(options.body);
	});
}

/**
 * Opens a connection, sends `count` pipelined requests for `path` and destroys the socket after `ms`: the
 * server has parsed them, and they wait behind one another when it goes away.
 */
function dropPipelined(path: string, count: number, ms: number): Promise<void> {
	return new Promise((resolve) => {
		const socket = connect(emulator.port, '127.0.0.1');
		socket.on('error', () => undefined);
		socket.on('close', () => resolve());
		socket.write(
			`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${emulator.port}\r\nMetadata: true\r\n\r\n`.repeat(
				count
			)
		);
		setTimeout(() => socket.destroy(), ms);
	});
}

async function tokenStatus(): Promise<number> {
	const response = await fetch(`${emulator.url}${TOKEN_PATH}${IMDS_QUERY}`, {
		headers: { Metadata: 'true' },
		signal: AbortSignal.timeout(10_000)
	});
	return response.status;
}

describe('clients that go away', () => {
	it('keeps answering after ten clients disconnect while their cache-miss requests wait', async () => {
		const bypass = `${TOKEN_PATH}${IMDS_QUERY}&bypass_cache=true`;
		await Promise.all(
			Array.from({ length: 10 }, (_, i) => dropPipelined(bypass, 3, 10 * (1 + (i % 4))))
		);
		expect(await tokenStatus()).toBe(200);
		expect((await labCommand(emulator, 'az identity list -o none')).exitCode).toBe(0);
	});

	it('keeps answering after a client sends half a body and goes away', async () => {
		await new Promise<void>((resolve) => {
			const req = request({
				host: '127.0.0.1',
				port: emulator.port,
				path: '/lab/commands',
				method: 'POST',
				agent: false,
				headers: { ...labHeaders(emulator), 'Content-Length': '100' }
			});
			req.on('error', () => resolve());
			req.on('close', () => resolve());
			req.write('{"command": "az');
			setTimeout(() => req.destroy(), 20);
		});
		expect(await tokenStatus()).toBe(200);
		expect((await labCommand(emulator, 'az identity list -o none')).exitCode).toBe(0);
	});
});

describe('request size', () => {
	it('refuses a body announced larger than 1 MiB with 413 before reading it', async () => {
		// 200 MB announced, nothing sent: the answer can only come from the Content-Length check.
		const answer = await raw('/lab/commands', {
			method: 'POST',
			headers: labHeaders(emulator),
			declaredLength: 200 * 1024 * 1024
		});
		expect(answer.status).toBe(413);
		expect(answer.headers.connection).toBe('close');
		expect((JSON.parse(answer.body) as { message: string }).message).toContain('1048576 bytes');
		expect(await tokenStatus()).toBe(200);
	});

	it('stops reading a chunked body at the limit and answers 413', async () => {
		const limited = await startEmulator({ port: 0, maxBodyBytes: 4096 });
		try {
			const answer = await new Promise<number>((resolve, reject) => {
				const req = request({
					host: '127.0.0.1',
					port: limited.port,
					path: '/lab/commands',
					method: 'POST',
					agent: false,
					headers: { ...labHeaders(limited), 'Transfer-Encoding': 'chunked' }
				});
				let writing = true;
				req.on('response', (res) => {
					writing = false;
					res.resume();
					resolve(res.statusCode ?? 0);
				});
				req.on('error', (cause) => (writing ? reject(cause) : undefined));
				const chunk = 'x'.repeat(1024);
				const pump = (): void => {
					for (let i = 0; i < 8 && writing; i++) req.write(chunk);
					if (writing) setTimeout(pump, 5);
				};
				pump();
			});
			expect(answer).toBe(413);
			const after = await fetch(`${limited.url}/lab/events`, { headers: labHeaders(limited) });
			expect(after.status).toBe(200);
		} finally {
			await limited.close();
		}
	});

	it("answers headers and URLs beyond Node's 16 KiB with 431, and keeps serving", async () => {
		const bigHeader = await raw(`${TOKEN_PATH}${IMDS_QUERY}`, {
			headers: { Metadata: 'true', 'X-Padding': 'p'.repeat(20_000) }
		});
		expect(bigHeader.status).toBe(431);
		const bigUrl = await raw(`${TOKEN_PATH}${IMDS_QUERY}&pad=${'p'.repeat(20_000)}`, {
			headers: { Metadata: 'true' }
		});
		expect(bigUrl.status).toBe(431);
		expect(await tokenStatus()).toBe(200);
	});
});

describe('the log', () => {
	it('escapes control characters of decoded query text, so that a request cannot forge a line', async () => {
		const start = logLines.length;
		const forged = '\r\n2026-01-01T00:00:00.000Z POST /lab/commands 200 0.1ms';
		const response = await fetch(
			`${emulator.url}${TOKEN_PATH}?api-version=2018-02-01&resource=${encodeURIComponent(`https://evil${forged}`)}`,
			{ headers: { Metadata: 'true' } }
		);
		expect(response.status).toBeGreaterThanOrEqual(400);
		const lines = logLines.slice(start);
		expect(lines).toHaveLength(1);
		const line = lines[0] ?? '';
		// eslint-disable-next-line no-control-regex
		expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
		expect(line).toContain('\\r\\n2026-01-01T00:00:00.000Z POST /lab/commands 200 0.1ms');
	});
});

describe('the control API is a door', () => {
	const evil = 'az identity create -g rg-stock -n id-planted-by-a-page';

	async function planted(): Promise<boolean> {
		const list = await labValue(emulator, 'az identity list --query "[].name" -o tsv');
		return list.split('\n').includes('id-planted-by-a-page');
	}

	it('prints the lab token with the exports', () => {
		expect(emulator.exports()).toContain(`export LAB_TOKEN=${emulator.labToken}`);
		expect(emulator.labToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
	});

	it('refuses /lab/commands without the lab token, or with another one, and changes nothing', async () => {
		for (const authorization of [undefined, 'Bearer not-the-token', `Basic ${emulator.labToken}`]) {
			const answer = await raw('/lab/commands', {
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					...(authorization ? { Authorization: authorization } : {})
				},
				body: JSON.stringify({ command: evil })
			});
			expect(answer.status, authorization).toBe(401);
			expect(answer.headers['www-authenticate']).toBe('Bearer realm="lab"');
			expect((JSON.parse(answer.body) as { message: string }).message).toContain('LAB_TOKEN');
		}
		expect(await planted()).toBe(false);
	});

	it('refuses a text/plain body and a form, even with the token', async () => {
		for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', '']) {
			const answer = await raw('/lab/commands', {
				method: 'POST',
				headers: {
					Authorization: `Bearer ${emulator.labToken}`,
					...(contentType ? { 'Content-Type': contentType } : {})
				},
				body: JSON.stringify({ command: evil })
			});
			expect(answer.status, contentType).toBe(415);
		}
		expect(await planted()).toBe(false);
	});

	it('refuses requests a browser sends for a page of another origin, on every path', async () => {
		const cases: Record<string, string>[] = [
			{ Origin: 'http://localhost:5173' },
			{ Origin: 'null' },
			{ 'Sec-Fetch-Site': 'cross-site' },
			{ 'Sec-Fetch-Site': 'same-site' }
		];
		for (const browser of cases) {
			const lab = await raw('/lab/commands', {
				method: 'POST',
				headers: { ...labHeaders(emulator), ...browser },
				body: JSON.stringify({ command: evil })
			});
			expect(lab.status, JSON.stringify(browser)).toBe(403);
			const imds = await raw(`${TOKEN_PATH}${IMDS_QUERY}`, {
				headers: { Metadata: 'true', ...browser }
			});
			expect(imds.status, JSON.stringify(browser)).toBe(403);
			expect(imds.body).not.toContain('access_token');
		}
		expect(await planted()).toBe(false);
	});

	it('refuses a Host that is not its own address (DNS rebinding), on every path', async () => {
		for (const host of ['attacker.example', `attacker.example:${emulator.port}`, '127.0.0.1:1']) {
			const imds = await raw(`${TOKEN_PATH}${IMDS_QUERY}`, {
				headers: { Metadata: 'true', Host: host }
			});
			expect(imds.status, host).toBe(421);
			expect(imds.body).not.toContain('access_token');
			const lab = await raw('/lab/commands', {
				method: 'POST',
				headers: { ...labHeaders(emulator), Host: host },
				body: JSON.stringify({ command: evil })
			});
			expect(lab.status, host).toBe(421);
		}
		expect(await planted()).toBe(false);
		for (const host of [`127.0.0.1:${emulator.port}`, `localhost:${emulator.port}`]) {
			const ok = await raw(`${TOKEN_PATH}${IMDS_QUERY}`, {
				headers: { Metadata: 'true', Host: host }
			});
			expect(ok.status, host).toBe(200);
		}
	});

	it('serves an Azure host named in Host as that service, never the control API', async () => {
		const vault = await raw('/secrets/db-password?api-version=7.4', {
			headers: { Host: `kv-stock.vault.azure.net:${emulator.port}` }
		});
		// Key Vault's own challenge: the request reached the vault.
		expect(vault.status).toBe(401);
		expect(vault.headers['www-authenticate']).toMatch(/^Bearer authorization="https:\/\/login/);
		const lab = await raw('/lab/world', {
			headers: { ...labHeaders(emulator), Host: 'kv-stock.vault.azure.net' }
		});
		expect(lab.body).not.toContain('"tokenCache"');
	});

	it('keeps the identity endpoints as Azure has them: no lab token, Metadata: true required', async () => {
		expect(await tokenStatus()).toBe(200);
		const bare = await raw(`${TOKEN_PATH}${IMDS_QUERY}`);
		expect(bare.status).toBe(400);
		expect(JSON.parse(bare.body)).toEqual({
			error: 'invalid_request',
			error_description: 'Required metadata header not specified'
		});
	});

	it('hands the world out only with the lab token, and never the cached tokens', async () => {
		const token = (await (
			await fetch(`${emulator.url}${TOKEN_PATH}${IMDS_QUERY}`, { headers: { Metadata: 'true' } })
		).json()) as { access_token: string };
		expect(Object.keys(emulator.world().tokenCache).length).toBeGreaterThan(0);
		const anonymous = await raw('/lab/world');
		expect(anonymous.status).toBe(401);
		expect(anonymous.body).not.toContain(token.access_token);
		const events = await raw('/lab/events');
		expect(events.status).toBe(401);
		const world = await raw('/lab/world', { headers: labHeaders(emulator) });
		expect(world.status).toBe(200);
		expect(world.body).not.toContain(token.access_token);
		expect((JSON.parse(world.body) as { tokenCache: unknown }).tokenCache).toEqual({});
	});
});
