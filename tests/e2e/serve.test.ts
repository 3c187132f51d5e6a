import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspFromHtml, startServer } from '../../scripts/serve.js';
import type { RunningServer } from '../../scripts/serve.js';
import { DIST } from './browser.ts';

/** Sends a request line as is, without the URL normalisation fetch would apply. */
function rawGet(port: number, target: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = connect(port, '127.0.0.1', () => {
			socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
		});
		let text = '';
		socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
		socket.on('end', () => resolve(text.split('\r\n')[0] ?? ''));
		socket.on('error', reject);
	});
}

describe('scripts/serve.js over dist/', () => {
	let server: RunningServer;
	let indexHtml: string;

	beforeAll(async () => {
		server = await startServer({ root: DIST, port: 0 });
		indexHtml = await readFile(`${DIST}/index.html`, 'utf8');
	});

	afterAll(async () => {
		await server?.close();
	});

	it('serves index.html for / with the page’s own CSP as a header', async () => {
		const response = await fetch(server.url);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
		await expect(response.text()).resolves.toBe(indexHtml);
		const csp = cspFromHtml(indexHtml);
		expect(csp).toMatch(/^default-src 'self'; script-src 'self';/);
		expect(response.headers.get('content-security-policy')).toBe(csp);
	});

	it('serves the built assets with their content types', async () => {
		const assets = [...indexHtml.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]);
		const script = assets.find((path) => path?.endsWith('.js'));
		expect(script).toBeDefined();
		const js = await fetch(new URL(script ?? '', server.url));
		expect(js.status).toBe(200);
		expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
		const map = await fetch(new URL(`${script ?? ''}.map`, server.url));
		expect(map.headers.get('content-type')).toBe('application/json; charset=utf-8');
		const style = assets.find((path) => path?.endsWith('.css'));
		if (style) {
			const css = await fetch(new URL(style, server.url));
			expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
		}
	});

	it('compresses what it serves when the client accepts gzip, as a real host does', async () => {
		const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(indexHtml)?.[1] ?? '';
		const { gunzipSync } = await import('node:zlib');
		const { request } = await import('node:http');
		const raw = await new Promise<{ encoding: string | undefined; body: Buffer }>((done, fail) => {
			request(new URL(script, server.url), { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					done({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) })
				);
			})
				.on('error', fail)
				.end();
		});
		expect(raw.encoding).toBe('gzip');
		const plain = await readFile(`${DIST}/${script}`);
		expect(gunzipSync(raw.body).equals(plain)).toBe(true);
		expect(raw.body.length).toBeLessThan(plain.length);
	});

	it('answers 404 for a missing file and 405 for a write', async () => {
		expect((await fetch(new URL('no-such-file.js', server.url))).status).toBe(404);
		expect((await fetch(server.url, { method: 'POST', body: 'x' })).status).toBe(405);
	});

	it('never serves a file outside dist/', async () => {
		const { port } = server;
		await expect(rawGet(port, '/../package.json')).resolves.toMatch(/ 404 /);
		await expect(rawGet(port, '/..%2fpackage.json')).resolves.toMatch(/ 400 /);
		await expect(rawGet(port, '/assets/..%2f..%2fpackage.json')).resolves.toMatch(/ 400 /);
		await expect(rawGet(port, '/%2e%2e/%2e%2e/etc/passwd')).resolves.toMatch(/ 404 /);
	});

	it('tries the next port when asked to and the port is busy', async () => {
		await expect(startServer({ root: DIST, port: server.port })).rejects.toThrow(
			`Port ${server.port} is already in use`
		);
		const next = await startServer({ root: DIST, port: server.port, portAttempts: 5 });
		try {
			expect(next.port).toBeGreaterThan(server.port);
		} finally {
			await next.close();
		}
	});

	it('refuses to start without a built site and says to build', async () => {
		await expect(startServer({ root: `${DIST}/no-such-dir` })).rejects.toThrow('npm run build');
	});
});

describe('node scripts/serve.js', () => {
	it('prints its localhost URL, serves, and stops cleanly on SIGTERM', async () => {
		const child = spawn(process.execPath, ['scripts/serve.js'], {
			cwd: fileURLToPath(new URL('../../', import.meta.url)),
			env: { ...process.env, PORT: '0' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const exited = new Promise<number | null>((resolve) =>
			child.on('exit', (code) => resolve(code))
		);
		const url = await new Promise<string>((resolve, reject) => {
			let out = '';
			child.stdout.on('data', (chunk: Buffer) => {
				out += chunk.toString('utf8');
				const match = /Managed Identity Lab is running at (http:\/\/localhost:\d+\/)/.exec(out);
				if (match?.[1]) resolve(match[1]);
			});
			child.on('exit', () => reject(new Error(`serve.js exited early: ${out}`)));
		});
		const response = await fetch(url.replace('localhost', '127.0.0.1'));
		expect(response.status).toBe(200);
		child.kill('SIGTERM');
		await expect(exited).resolves.toBe(0);
	});
});
