/** The emulator's command line, run as a child process the way `npm run emulator` runs it. */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreWorld } from '../../src/core/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const USAGE =
	'Usage: npm run emulator -- [--port 8080] [--as <resource name>] [--world <file.json>] [--clock real|simulated] [--https [--cert <cert.pem> --key <key.pem>]] [--throttle]';
const scratch = mkdtempSync(join(tmpdir(), 'mi-lab-cli-'));

afterAll(() => {
	rmSync(scratch, { recursive: true, force: true });
});

function emulatorProcess(args: string[]): ChildProcessWithoutNullStreams {
	return spawn(process.execPath, ['--import', 'tsx', 'src/emulator/cli.ts', ...args], {
		cwd: ROOT,
		env: { ...process.env, NO_COLOR: '1' }
	});
}

interface Finished {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

/** Collects a child's output until it exits. */
function finished(child: ChildProcessWithoutNullStreams): Promise<Finished> {
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
	return new Promise((resolve) => {
		child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
	});
}

/** What the emulator printed at start: its URL and the lab token. */
interface Started {
	url: string;
	labToken: string;
}

/** Resolves once stdout shows the export lines (rejects if the child exits first). */
function exportedUrl(child: ChildProcessWithoutNullStreams): Promise<Started> {
	return new Promise((resolve, reject) => {
		let seen = '';
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		child.stdout.on('data', (chunk: Buffer) => {
			seen += chunk.toString('utf8');
			const url = /export AZURE_POD_IDENTITY_AUTHORITY_HOST=(http:\/\/127\.0\.0\.1:(\d+))\n/.exec(
				seen
			);
			const token = /export LAB_TOKEN=([A-Za-z0-9_-]{43})\n/.exec(seen);
			if (url?.[1] && token?.[1]) resolve({ url: url[1], labToken: token[1] });
		});
		child.on('close', (code) =>
			reject(new Error(`the emulator exited (${code}) before printing its address: ${stderr}`))
		);
	});
}

describe('npm run emulator', () => {
	it('prints the real port for --port 0, serves, and exits 0 on SIGTERM', async () => {
		const child = emulatorProcess(['--port', '0', '--as', 'vm-stock-app']);
		const done = finished(child);
		try {
			const { url, labToken } = await exportedUrl(child);
			expect(url).not.toBe('http://127.0.0.1:0');
			const refused = await fetch(`${url}/lab/commands`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ command: 'az vm identity assign -g rg-stock -n vm-stock-app' })
			});
			expect(refused.status).toBe(401);
			const response = await fetch(`${url}/lab/commands`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${labToken}` },
				body: JSON.stringify({ command: 'az vm identity assign -g rg-stock -n vm-stock-app' })
			});
			expect(response.status).toBe(200);
			expect(((await response.json()) as { exitCode: number }).exitCode).toBe(0);
		} finally {
			child.kill('SIGTERM');
		}
		const result = await done;
		expect(result.signal).toBeNull();
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('standing in for vm-stock-app');
		expect(result.stdout).toMatch(
			/Tenant JWKS: http:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+\/discovery\/v2\.0\/keys/
		);
		expect(result.stdout).toMatch(/ POST \/lab\/commands 401 \d+\.\dms\n/);
		expect(result.stdout).toMatch(/ POST \/lab\/commands 200 \d+\.\dms\n/);
		expect(result.stdout).toContain('Authorization: Bearer $LAB_TOKEN');
		expect(result.stdout).toContain('SIGTERM: stopping the emulator.');
		expect(result.stderr).toBe('');
	});

	it('exits 2 with the usage for a --port that is not a number', async () => {
		const result = await finished(emulatorProcess(['--port', 'abc']));
		expect(result.code).toBe(2);
		expect(result.stderr).toContain("--port must be a number from 0 to 65535, not 'abc'.");
		expect(result.stderr).toContain(USAGE);
		expect(result.stdout).toBe('');
	});

	it('exits 2 with the restore error for a corrupt --world file', async () => {
		const file = join(scratch, 'corrupt-world.json');
		const text = '{"version": 1, "tenant": ';
		writeFileSync(file, text);
		const restored = restoreWorld(text);
		expect(restored.ok).toBe(false);
		if (restored.ok) return;
		const result = await finished(emulatorProcess(['--port', '0', '--world', file]));
		expect(result.code).toBe(2);
		expect(result.stderr).toContain(`The world file '${file}' cannot be used:`);
		expect(result.stderr).toContain(restored.error.message);
		expect(result.stderr).toContain(USAGE);
	});

	it('exits 2 naming the valid resources for an unknown --as', async () => {
		const result = await finished(emulatorProcess(['--port', '0', '--as', 'vm-nowhere']));
		expect(result.code).toBe(2);
		expect(result.stderr).toContain("'vm-nowhere'");
		expect(result.stderr).toContain('vm-stock-app');
	});

	it("stops when SIGINT goes to npm's process alone (as a process manager or an IDE sends it)", async () => {
		const npm = spawn('npm', ['run', '--silent', 'emulator', '--', '--port', '0'], {
			cwd: ROOT,
			env: { ...process.env, NO_COLOR: '1' }
		});
		const done = finished(npm);
		const { url } = await exportedUrl(npm);
		expect((await fetch(`${url}/nothing`)).status).toBe(404);
		npm.kill('SIGINT');
		const result = await done;
		expect(result.stdout).toContain('SIGINT: stopping the emulator.');
		const after = await fetch(`${url}/nothing`).then(
			(response) => `answered ${response.status}`,
			(cause: unknown) => `refused: ${String((cause as { cause?: { code?: string } }).cause?.code)}`
		);
		expect(after).toBe('refused: ECONNREFUSED');
	});
});
