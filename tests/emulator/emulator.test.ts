/** The emulator's HTTP protocol with plain fetch: IMDS, the lab control API, errors, logging, start-up. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreWorld, snapshotWorld } from '../../src/core/index.ts';
import { EmulatorStartError, jwksUrl, startEmulator } from '../../src/emulator/emulator.ts';
import type { Emulator } from '../../src/emulator/emulator.ts';
import { labCommand, labHeaders } from './lab.ts';

const TOKEN_PATH = '/metadata/identity/oauth2/token';
const VAULT = 'https://vault.azure.net';

let emulator: Emulator;
const logLines: string[] = [];

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, log: (line) => logLines.push(line) });
	await labCommand(emulator, 'az vm identity assign -g rg-stock -n vm-stock-app');
});

afterAll(async () => {
	await emulator.close();
});

function tokenUrl(path: string, resource = VAULT): string {
	return `${emulator.url}${path}?api-version=2018-02-01&resource=${encodeURIComponent(resource)}`;
}

function post(path: string, body: string): Promise<Response> {
	return fetch(`${emulator.url}${path}`, { method: 'POST', headers: labHeaders(emulator), body });
}

function labGet(path: string): Promise<Response> {
	return fetch(`${emulator.url}${path}`, { headers: labHeaders(emulator) });
}

interface LabError {
	error: string;
	message: string;
}

describe('IMDS', () => {
	it('answers the token path with and without the trailing slash', async () => {
		for (const path of [TOKEN_PATH, `${TOKEN_PATH}/`]) {
			const response = await fetch(tokenUrl(path), { headers: { Metadata: 'true' } });
			expect(response.status, path).toBe(200);
			const body = (await response.json()) as Record<string, unknown>;
			expect(body.token_type).toBe('Bearer');
			expect(body.resource).toBe(VAULT);
			expect(String(body.access_token).split('.')).toHaveLength(3);
			expect(Number(body.expires_on)).toBeGreaterThan(emulator.world().now);
		}
	});

	it("refuses a request without the Metadata header with IMDS's 400 body", async () => {
		const response = await fetch(tokenUrl(TOKEN_PATH));
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			error: 'invalid_request',
			error_description: 'Required metadata header not specified'
		});
	});

	it('answers a repeated request alike, records each answer, and follows a change of the world', async () => {
		const ask = async (): Promise<Record<string, unknown>> => {
			const response = await fetch(tokenUrl(TOKEN_PATH), { headers: { Metadata: 'true' } });
			expect(response.status).toBe(200);
			return (await response.json()) as Record<string, unknown>;
		};
		await ask();
		const before = emulator.world().events.length;
		const answers = [await ask(), await ask(), await ask()];
		expect(answers[1]).toEqual(answers[0]);
		expect(answers[2]).toEqual(answers[0]);
		const recorded = emulator.world().events.slice(before);
		expect(recorded.map((e) => (e.kind === 'token' ? e.fromCache : e.kind))).toEqual([
			true,
			true,
			true
		]);
		// The simulated clock moves on: the same cached token, with less time left.
		const moved = await post('/lab/clock', '{"advanceSeconds": 600}');
		expect(moved.status).toBe(200);
		const after = await ask();
		expect(after.access_token).toBe(answers[0]?.access_token);
		expect(Number(after.expires_in)).toBe(Number(answers[0]?.expires_in) - 600);
	});

	it('names the JWKS of the tenant', () => {
		expect(jwksUrl(emulator)).toBe(
			`${emulator.url}/${emulator.world().tenant.tenantId}/discovery/v2.0/keys`
		);
	});
});

describe('the lab control API', () => {
	it('GET /lab/world returns a snapshot that restores to the current world', async () => {
		const response = await labGet('/lab/world');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		const restored = restoreWorld(await response.text());
		if (!restored.ok) throw new Error(restored.error.message);
		expect(restored.value.now).toBe(emulator.world().now);
		expect(Object.keys(restored.value.resources).sort()).toEqual(
			Object.keys(emulator.world().resources).sort()
		);
	});

	it('GET /lab/events lists the token events of the requests made', async () => {
		const resource = 'https://management.azure.com/';
		const first = await fetch(tokenUrl(TOKEN_PATH, resource), { headers: { Metadata: 'true' } });
		expect(first.status).toBe(200);
		const again = await fetch(tokenUrl(TOKEN_PATH, resource), { headers: { Metadata: 'true' } });
		expect(again.status).toBe(200);
		const response = await labGet('/lab/events');
		expect(response.status).toBe(200);
		const events = (await response.json()) as Record<string, unknown>[];
		const tokens = events.filter((e) => e.kind === 'token' && e.resource === resource);
		expect(tokens.map((e) => [e.endpoint, e.hostId, e.fromCache])).toEqual([
			['imds', emulator.host.id, false],
			['imds', emulator.host.id, true]
		]);
	});

	it('POST /lab/commands runs a terminal line and answers its exit code and output', async () => {
		const response = await post('/lab/commands', JSON.stringify({ command: 'az identity list' }));
		expect(response.status).toBe(200);
		const body = (await response.json()) as { exitCode: number; stdout: string; stderr: string };
		expect(body.exitCode).toBe(0);
		expect(Array.isArray(JSON.parse(body.stdout))).toBe(true);
		const unknown = (await (
			await post('/lab/commands', JSON.stringify({ command: 'frobnicate' }))
		).json()) as { exitCode: number; stderr: string };
		expect(unknown.exitCode).toBe(127);
		expect(unknown.stderr).toContain('frobnicate');
	});

	it('POST /lab/commands with a bad body answers 400 with what to send, and keeps serving', async () => {
		const bodies = ['not json', '{}', '{"command": 42}', '{"command": "  "}', '[]', ''];
		for (const body of bodies) {
			const response = await post('/lab/commands', body);
			expect(response.status, body).toBe(400);
			const error = (await response.json()) as LabError;
			expect(error.message, body).toContain('{"command": ');
		}
		const after = await fetch(tokenUrl(TOKEN_PATH), { headers: { Metadata: 'true' } });
		expect(after.status).toBe(200);
	});

	it('POST /lab/clock moves simulated time; a bad value answers 400 and changes nothing', async () => {
		const before = emulator.world().now;
		for (const body of [
			'{"advanceSeconds": -5}',
			'{"advanceSeconds": 1.5}',
			'{"advanceSeconds": "300"}',
			'{}',
			'soon'
		]) {
			const response = await post('/lab/clock', body);
			expect(response.status, body).toBe(400);
			const error = (await response.json()) as LabError;
			expect(error.message, body).toMatch(/seconds/i);
		}
		expect(emulator.world().now).toBe(before);
		const moved = await post('/lab/clock', JSON.stringify({ advanceSeconds: 60 }));
		expect(moved.status).toBe(200);
		expect(await moved.json()).toEqual({
			now: before + 60,
			iso: new Date((before + 60) * 1000).toISOString()
		});
		expect(emulator.world().now).toBe(before + 60);
	});

	it('answers an unknown path, and an unknown lab endpoint, with a 404 JSON body naming what exists', async () => {
		const unknown = await fetch(`${emulator.url}/nothing/here`);
		expect(unknown.status).toBe(404);
		expect(unknown.headers.get('content-type')).toMatch(/^application\/json/);
		const body = (await unknown.json()) as LabError;
		expect(body.error).toBe('not_found');
		expect(body.message).toContain('/metadata/');
		expect(body.message).toContain('/nothing/here');
		const lab = await post('/lab/reset', '{}');
		expect(lab.status).toBe(404);
		expect(((await lab.json()) as LabError).message).toContain('POST /lab/commands');
	});

	it('refuses the App Service path when it stands in for a VM', async () => {
		const response = await fetch(
			`${emulator.url}/MSI/token?api-version=2019-08-01&resource=${VAULT}`
		);
		expect(response.status).toBe(404);
		expect(((await response.json()) as LabError).message).toContain(TOKEN_PATH);
	});
});

describe('logging', () => {
	it('writes one line per request: method, target, status and duration', async () => {
		const start = logLines.length;
		await fetch(tokenUrl(TOKEN_PATH), { headers: { Metadata: 'true' } });
		await fetch(`${emulator.url}/no-such-path`);
		await post('/lab/clock', '{}');
		const lines = logLines.slice(start);
		expect(lines).toHaveLength(3);
		expect(lines[0]).toMatch(
			/^GET \/metadata\/identity\/oauth2\/token\?api-version=2018-02-01&resource=\S+ 200 \d+\.\dms$/
		);
		expect(lines[1]).toMatch(/^GET \/no-such-path 404 \d+\.\dms$/);
		expect(lines[2]).toMatch(/^POST \/lab\/clock 400 \d+\.\dms$/);
	});

	it('says on the log line why a forwarded request was refused', async () => {
		const start = logLines.length;
		await fetch(tokenUrl(TOKEN_PATH));
		const line = logLines[start] ?? '';
		expect(line).toMatch(/^GET \/metadata\/identity\/oauth2\/token\S* 400 \d+\.\dms — /);
		expect(line).toMatch(/Metadata: true/);
	});
});

describe('start-up', () => {
	it('refuses --as a resource that is not a VM, scale set, web app or function app, naming the ones there are', async () => {
		const failure = await startEmulator({ port: 0, as: 'kv-stock' }).then(
			async (started) => {
				await started.close();
				return undefined;
			},
			(cause: unknown) => cause
		);
		expect(failure).toBeInstanceOf(EmulatorStartError);
		const message = (failure as Error).message;
		expect(message).toContain("'kv-stock'");
		for (const name of ['vm-stock-app', 'app-stock-web', 'func-stock-import']) {
			expect(message).toContain(name);
		}
		expect(message).not.toContain('ststockdata');
	});

	it('refuses a port that is in use', async () => {
		const blocker = createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		const port = (blocker.address() as AddressInfo).port;
		try {
			const failure = await startEmulator({ port }).then(
				async (started) => {
					await started.close();
					return undefined;
				},
				(cause: unknown) => cause
			);
			expect(failure).toBeInstanceOf(EmulatorStartError);
			expect((failure as Error).message).toContain(`Port ${port}`);
			expect((failure as Error).message).toContain('--port');
		} finally {
			await new Promise<void>((resolve) => blocker.close(() => resolve()));
		}
	});

	it('serves a given world, standing in for a function app', async () => {
		const started = await startEmulator({
			port: 0,
			as: 'func-stock-import',
			world: emulator.world()
		});
		try {
			expect(started.host.kind).toBe('functionApp');
			expect(started.url).toBe(`http://127.0.0.1:${started.port}`);
			expect(started.port).toBeGreaterThan(0);
			// The same world, plus the signing key the new emulator publishes for its own key ring.
			expect(started.world().resources).toBe(emulator.world().resources);
			expect(started.world().signingKeys.filter((k) => k.active)).toHaveLength(1);
			expect(started.exports()[0]).toBe(`export IDENTITY_ENDPOINT=${started.url}/MSI/token`);
		} finally {
			await started.close();
		}
	});
});

describe('the clock', () => {
	it('follows the real clock by default, so tokens expire 86,700 s after the real now', async () => {
		let real = 1_900_000_000;
		const running = await startEmulator({ port: 0, realNow: () => real });
		try {
			expect(running.world().now).toBe(real);
			await labCommand(running, 'az vm identity assign -g rg-stock -n vm-stock-app');
			real += 3_600;
			const response = await fetch(
				`${running.url}${TOKEN_PATH}?api-version=2018-02-01&resource=${encodeURIComponent(VAULT)}`,
				{ headers: { Metadata: 'true' } }
			);
			const body = (await response.json()) as { expires_on: string };
			expect(Number(body.expires_on)).toBe(real + 86_700);
			const moved = await fetch(`${running.url}/lab/clock`, {
				method: 'POST',
				headers: labHeaders(running),
				body: JSON.stringify({ advanceSeconds: 600 })
			});
			expect(moved.status).toBe(200);
			real += 10;
			await fetch(`${running.url}/lab/events`, { headers: labHeaders(running) });
			// /lab/clock's ten minutes stay on top of the real clock; a lag under 30 s is not caught up.
			expect(running.world().now).toBe(1_900_000_000 + 3_600 + 600);
		} finally {
			await running.close();
		}
	});

	it("keeps the lab's own clock with clock: 'simulated'", async () => {
		const world = restoreWorld(snapshotWorld(emulator.world()));
		if (!world.ok) throw new Error(world.error.message);
		const start = world.value.now;
		const real = 2_000_000_000;
		expect(start).toBeLessThan(real - 30);
		const running = await startEmulator({
			port: 0,
			clock: 'simulated',
			world: world.value,
			realNow: () => real
		});
		try {
			// The real clock is years ahead; the lab's time stays where the world was, request after request.
			expect(running.world().now).toBe(start);
			const response = await fetch(tokenUrl(TOKEN_PATH).replace(emulator.url, running.url), {
				headers: { Metadata: 'true' }
			});
			expect(response.status).toBe(200);
			expect(running.world().now).toBe(start);
			const moved = await fetch(`${running.url}/lab/clock`, {
				method: 'POST',
				headers: labHeaders(running),
				body: JSON.stringify({ advanceSeconds: 60 })
			});
			expect(moved.status).toBe(200);
			expect(running.world().now).toBe(start + 60);
		} finally {
			await running.close();
		}
	});

	it('puts the simulated time in the Date header of every endpoint', async () => {
		const running = await startEmulator({
			port: 0,
			clock: 'simulated',
			realNow: () => 2_000_000_000
		});
		try {
			await labCommand(running, 'az vm identity assign -g rg-stock -n vm-stock-app');
			const tenant = running.world().tenant.tenantId;
			const answers = {
				imds: await fetch(tokenUrl(TOKEN_PATH).replace(emulator.url, running.url), {
					headers: { Metadata: 'true' }
				}),
				imdsRefusal: await fetch(tokenUrl(TOKEN_PATH).replace(emulator.url, running.url)),
				openid: await fetch(`${running.url}/${tenant}/v2.0/.well-known/openid-configuration`),
				jwks: await fetch(`${running.url}/${tenant}/discovery/v2.0/keys`),
				entraToken: await fetch(`${running.url}/${tenant}/oauth2/v2.0/token`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
					body: 'grant_type=client_credentials'
				}),
				vault: await fetch(
					`${running.url}/kv-stock.vault.azure.net/secrets/db-password?api-version=7.6`
				),
				notFound: await fetch(`${running.url}/nothing`),
				lab: await fetch(`${running.url}/lab/events`, { headers: labHeaders(running) })
			};
			const expected = new Date(running.world().now * 1000).toUTCString();
			expect(Date.parse(expected) / 1000).toBeLessThan(2_000_000_000 - 86_400);
			for (const [name, response] of Object.entries(answers)) {
				expect(response.headers.get('date'), name).toBe(expected);
			}
		} finally {
			await running.close();
		}
	});
});
