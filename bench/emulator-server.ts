/**
 * A server for the emulator benchmark, in a process of its own so that the load generator does not share its
 * event loop: `emulator` (the real emulator; `--https` for HTTPS mode) or `bare` (a bare node:http server
 * that answers every request with the bytes it is given). Tells its parent where it listens over IPC.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator } from '../src/emulator/emulator.ts';

/** What the server tells its parent once it listens. */
export interface Listening {
	url: string;
	labToken?: string;
	ca?: string;
}

/** What the parent sends the bare server: the status line, headers and body to answer with. */
export interface BareAnswer {
	status: number;
	headers: Record<string, string>;
	body: string;
}

const reply = (message: Listening): void => {
	process.send?.(message);
};

/** CPU time this process has used, in microseconds (user + system), sent on request. */
export interface CpuReading {
	cpuMicros: number;
}

process.on('message', (message: unknown) => {
	if (message === 'cpu') {
		const used = process.cpuUsage();
		process.send?.({ cpuMicros: used.user + used.system } satisfies CpuReading);
	}
});

const kind = process.argv[2];
if (kind === 'emulator') {
	const emulator = await startEmulator({
		port: 0,
		https: process.argv.includes('--https'),
		// The load benchmark sends far more than Azure's 20 requests/s per VM: throttling is off, explicitly.
		throttle: false
	});
	reply({
		url: emulator.url,
		labToken: emulator.labToken,
		...(emulator.ca ? { ca: emulator.ca.pem } : {})
	});
	process.on('disconnect', () => void emulator.close().then(() => process.exit(0)));
} else if (kind === 'bare') {
	process.once('message', (message: BareAnswer) => {
		if (typeof message !== 'object') return;
		const body = Buffer.from(message.body, 'utf8');
		const server = createServer((req, res) => {
			req.resume();
			res.writeHead(message.status, { ...message.headers, 'Content-Length': body.length });
			res.end(body);
		});
		server.keepAliveTimeout = 5000;
		server.listen(0, '127.0.0.1', () => {
			reply({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
		});
		process.on('disconnect', () => server.close(() => process.exit(0)));
	});
} else {
	process.stderr.write(
		'Usage: node --import tsx bench/emulator-server.ts emulator [--https] | bare\n'
	);
	process.exit(2);
}
