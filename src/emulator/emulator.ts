/**
 * The local managed-identity emulator: the simulation core behind a Node HTTP(S) server on 127.0.0.1, so that
 * the real Azure SDKs get tokens from it as they would on Azure.
 *
 * Requests that read the world (token requests, service calls, GET /lab/…) are served side by side; changes
 * that span awaits (a terminal line, a clock move) run alone and apply to the world the earlier requests left
 * (see gate.ts). A request's body is read when it arrives, before it waits for its turn, so that a client that
 * goes away never holds the others up.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	APP_SERVICE_IDENTITY_ENDPOINT,
	IMDS_HOST,
	appServiceEnvironment,
	applyOperations,
	createDefaultWorld,
	createKeyRing,
	createShellState,
	ensureSigningKey,
	findResourcesByName,
	recordsOnly,
	runLine,
	send,
	snapshotWorld,
	type HttpRequest,
	type HttpResponse,
	type IdentityHost,
	type KeyRing,
	type NetworkSource,
	type Operation,
	type ShellState,
	type World,
	type WorldEvent
} from '../core/index.ts';
import {
	MAX_BODY_BYTES,
	MAX_HEADER_BYTES,
	SERVICE_HOST_PATTERN,
	checkBrowserOrigin,
	checkHost,
	checkLabCall,
	escapeForLog,
	readBody,
	type Refusal
} from './guard.ts';
import { Gate } from './gate.ts';
import { AnswerMemo, requestKey } from './answer-memo.ts';
import { makeTlsMaterial, type TlsMaterial } from './tls.ts';
import {
	defaultTokenFile,
	himdsUrl,
	outsideExports,
	outsideHost,
	refreshPodToken,
	writeChallengeFile,
	type OutsideHost
} from './outside.ts';

/** Options of the emulator. */
export interface EmulatorOptions {
	/** The world to serve (default: the default world). */
	world?: World;
	/** Name of the resource the emulator stands in for (default vm-stock-app). */
	as?: string;
	/** Port on 127.0.0.1 (default {@link DEFAULT_PORT}; 0 picks a free one). */
	port?: number;
	/** Where log lines go (default: nowhere). */
	log?: (line: string) => void;
	/**
	 * `real` (default): simulated time follows the real clock (plus whatever /lab/clock added), so the SDKs
	 * see tokens that expire in 24 h from now. `simulated`: time moves only on /lab/clock.
	 */
	clock?: 'real' | 'simulated';
	/** The real clock in Unix seconds (tests pass a fake one). */
	realNow?: () => number;
	/** For a pod (`--as stock-worker`): where to write the projected token (default: a temporary file). */
	tokenFile?: string;
	/**
	 * Serve HTTPS: `true` makes a certificate authority at start and a server certificate it signs; or give
	 * the PEM text of a certificate and its key (the certificate is then what clients must trust).
	 */
	https?: boolean | { cert: string; key: string };
	/**
	 * IMDS throttling of the simulated world (Azure: 20 requests/s and 5 at once per VM). `false` turns it
	 * off, as load tests need. Recorded for the world setting that carries it; see docs/fidelity.md.
	 */
	throttle?: boolean;
	/** Largest request body read (default {@link MAX_BODY_BYTES}); a larger one gets 413. */
	maxBodyBytes?: number;
	/** The lab token (default: 32 random bytes, base64url, made at start). Tests may pass their own. */
	labToken?: string;
}

/** How far simulated time may lag the real clock before the emulator catches it up (one clock event each time). */
const CLOCK_SYNC_SLACK_SECONDS = 30;

/** A running emulator. */
export interface Emulator {
	/** `http://127.0.0.1:<port>`, or `https://…` in HTTPS mode. */
	url: string;
	port: number;
	/** The resource the emulator stands in for, or the outside machine (Arc-enabled server, AKS pod). */
	host: IdentityHost | OutsideHost;
	/** The token every /lab/* call must carry as `Authorization: Bearer <token>`. */
	labToken: string;
	/** In HTTPS mode: the file holding the certificate clients must trust, and its PEM text. */
	ca?: { file: string; pem: string };
	/** Whether the world's IMDS throttling is on (see {@link EmulatorOptions.throttle}). */
	throttle: boolean;
	/** The current world. */
	world(): World;
	/** Shell lines a developer pastes to point their code at the emulator. */
	exports(): string[];
	close(): Promise<void>;
}

/** Why the emulator could not start. */
export class EmulatorStartError extends Error {}

/** The port the emulator listens on when none is given. */
export const DEFAULT_PORT = 8080;

const ENTRA_ORIGIN = 'https://login.microsoftonline.com';

/** IMDS's token endpoint, whose answers the emulator may remember (answer-memo.ts). */
const IMDS_TOKEN_URL = `http://${IMDS_HOST}/metadata/identity/oauth2/token`;

/** A path whose first segment is an Azure host name: the service is reached by path. */
const SERVICE_PATH =
	/^\/((?:[a-z0-9-]+\.vault\.azure\.net)|(?:[a-z0-9]+\.blob\.core\.windows\.net)|(?:management\.azure\.com)|(?:login\.microsoftonline\.com))(\/.*)?$/i;

/** Entra ID's discovery and token paths under a tenant. */
const ENTRA_PATH =
	/^\/[^/]+\/(v2\.0\/)?(\.well-known\/openid-configuration|discovery\/(v2\.0\/)?keys|oauth2\/(v2\.0\/)?token)$/;

const IDENTITY_HOST_KINDS = ['virtualMachine', 'virtualMachineScaleSet', 'webApp', 'functionApp'];

/** Lab endpoints, and whether each changes the world (and so runs alone). */
const LAB_ENDPOINTS: Record<string, { changes: boolean }> = {
	'GET /lab/world': { changes: false },
	'GET /lab/events': { changes: false },
	'POST /lab/commands': { changes: true },
	'POST /lab/clock': { changes: true }
};

function flatHeaders(req: IncomingMessage): Record<string, string> {
	const out: Record<string, string> = {};
	const raw = req.rawHeaders;
	for (let i = 0; i < raw.length; i += 2) {
		const name = raw[i] ?? '';
		const value = raw[i + 1] ?? '';
		const seen = out[name];
		out[name] = seen === undefined ? value : `${seen}, ${value}`;
	}
	return out;
}

/**
 * An OpenID configuration document as the emulator serves it: endpoint URLs on login.microsoftonline.com
 * point at the emulator, so that a library following `jwks_uri` reads the emulator's keys, not Microsoft's.
 * `issuer` stays as Entra ID writes it, because it must equal the tokens' `iss`.
 */
function localizeDiscovery(response: HttpResponse, url: string): HttpResponse {
	if (response.status !== 200 || response.body === undefined) return response;
	let doc: unknown;
	try {
		doc = JSON.parse(response.body);
	} catch {
		return response;
	}
	if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return response;
	const local: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(doc)) {
		local[name] =
			name !== 'issuer' && typeof value === 'string' && value.startsWith(`${ENTRA_ORIGIN}/`)
				? `${url}${value.slice(ENTRA_ORIGIN.length)}`
				: value;
	}
	const headers = Object.fromEntries(
		Object.entries(response.headers).filter(([name]) => name.toLowerCase() !== 'content-length')
	);
	return { ...response, headers, body: JSON.stringify(local) };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
	return {
		status,
		statusText: '',
		headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
		body: JSON.stringify(body)
	};
}

function refusalResponse(refusal: Refusal): HttpResponse {
	return json(refusal.status, { error: refusal.error, message: refusal.message }, refusal.headers);
}

/** An answer and, for a refusal by the simulated cloud, why (for the log line only, never the wire). */
interface Answer {
	response: HttpResponse;
	explanation?: string;
}

/**
 * Where a request goes. Each kind of endpoint is one case here; a new endpoint (another identity endpoint, a
 * token path) is a new case that names its URL in the simulated network.
 */
type Route =
	| { kind: 'lab'; path: string }
	| { kind: 'forward'; url: string; discovery: boolean; challenge?: boolean }
	| { kind: 'answer'; response: HttpResponse };

/** Whether an answer to `method` with `status` carries a body on the wire (RFC 9110 6.4.1). */
function hasBody(method: string | undefined, status: number): boolean {
	return method !== 'HEAD' && status !== 204 && status !== 304 && (status < 100 || status >= 200);
}

let lastDate = { at: NaN, text: '' };
/** RFC 1123 text of a simulated instant, for the Date header (one Date object per simulated second). */
function httpDate(at: number): string {
	if (lastDate.at !== at) lastDate = { at, text: new Date(at * 1000).toUTCString() };
	return lastDate.text;
}

/** The certificate authority file of HTTPS mode, in a folder of its own that close() removes. */
function writeCaFile(pem: string): { file: string; folder: string } {
	const folder = mkdtempSync(join(tmpdir(), 'mi-lab-emulator-'));
	const file = join(folder, 'emulator-ca.pem');
	writeFileSync(file, pem, { mode: 0o644 });
	return { file, folder };
}

/** Starts the emulator; rejects with EmulatorStartError when the resource or the port is not usable. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	let world = options.world ?? createDefaultWorld();
	const asName = options.as ?? 'vm-stock-app';
	const found = findResourcesByName(world, asName, [
		'virtualMachine',
		'virtualMachineScaleSet',
		'webApp',
		'functionApp'
	]);
	const outside = outsideHost(world, asName);
	const host: IdentityHost | OutsideHost | undefined =
		outside ?? (found[0] as IdentityHost | undefined);
	if (!host) {
		const names = Object.values(world.resources)
			.filter((r) => IDENTITY_HOST_KINDS.includes(r.kind))
			.map((r) => r.name);
		throw new EmulatorStartError(
			`No VM, scale set, web app, function app or outside machine is named '${asName}' in this world. Use --as with one of: ${[...names, ...Object.keys(world.outsideMachines)].join(', ')}.`
		);
	}
	const isAppService = host.kind === 'webApp' || host.kind === 'functionApp';
	const source: NetworkSource =
		host.kind === 'outsideMachine'
			? { kind: 'outside', machine: host.name }
			: host.kind === 'virtualMachineScaleSet'
				? {
						kind: 'resource',
						resourceId: host.id,
						instanceId: host.instances[0]?.instanceId ?? '0'
					}
				: { kind: 'resource', resourceId: host.id };
	const keyRing: KeyRing = createKeyRing();
	let shell: ShellState = createShellState(world);
	const log = options.log ?? (() => {});
	const gate = new Gate();
	const labToken = options.labToken ?? randomBytes(32).toString('base64url');
	const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
	// Off unless asked for: the emulator's clock catches up with the real one in steps of up to 30 s, so IMDS's
	// per-second limit would count requests over many real seconds as one (docs/fidelity.md).
	const throttle = options.throttle ?? false;

	const applyNow = (operations: Operation[]): boolean => {
		if (operations.length === 0) return true;
		const applied = applyOperations(world, operations, { caller: 'emulator' });
		if (applied.ok) world = applied.value.world;
		else log(`could not record: ${escapeForLog(applied.error.message)}`);
		return applied.ok;
	};

	// Records that only add an event (a token served from the cache, a service call) are applied together,
	// once per turn of the event loop: each application copies the event history, so under load one copy
	// per batch instead of one per request. Anything else flushes them first and applies at once, in order.
	let pending: Operation[][] = [];
	const flush = (): void => {
		if (pending.length === 0) return;
		const batch = pending;
		pending = [];
		if (applyNow(batch.flat()) || batch.length === 1) return;
		// One request's records were refused: apply the others' on their own.
		for (const operations of batch) applyNow(operations);
	};
	const apply = (operations: Operation[]): void => {
		if (operations.length === 0) return;
		if (operations.every(recordsOnly)) {
			if (pending.length === 0) setImmediate(flush);
			pending.push(operations);
			return;
		}
		flush();
		applyNow(operations);
	};

	// The first signing key is made before the first request: token requests run side by side, and two first
	// cache misses must not each publish a key of their own.
	apply((await ensureSigningKey(world, keyRing)).operations);
	apply([{ type: 'setImdsThrottle', enabled: throttle }]);

	const clockMode = options.clock ?? 'real';
	const realNow = options.realNow ?? (() => Math.floor(Date.now() / 1000));
	let offsetSeconds = 0;
	const syncClock = (): void => {
		if (clockMode !== 'real') return;
		const behind = realNow() + offsetSeconds - world.now;
		if (behind <= CLOCK_SYNC_SLACK_SECONDS) return;
		flush();
		apply([{ type: 'advanceClock', seconds: Math.floor(behind) }]);
	};
	syncClock();

	let url = '';
	let tokenFile = options.tokenFile ?? '';

	const memo = new AnswerMemo<{ answer: Answer; operations: Operation[] }>();
	const forward = async (request: HttpRequest): Promise<Answer> => {
		const memoKey =
			request.url.startsWith(IMDS_TOKEN_URL) && AnswerMemo.usable(world)
				? requestKey(request)
				: undefined;
		if (memoKey !== undefined) {
			const known = memo.get(world, memoKey);
			if (known) {
				apply(known.operations);
				return known.answer;
			}
		}
		const asked = world;
		const result = await send(asked, source, request, { keyRing });
		apply(result.operations);
		if (result.ok) {
			const answer: Answer = { response: result.response, explanation: result.explanation };
			if (memoKey !== undefined && result.operations.every(recordsOnly))
				memo.set(asked, memoKey, { answer, operations: result.operations });
			return answer;
		}
		return {
			response: json(502, {
				error: 'lab_transport_failure',
				error_description: result.failure.message,
				explanation: result.failure.explanation
			}),
			explanation: result.failure.explanation
		};
	};

	const labApi = async (method: string, path: string, body: string): Promise<HttpResponse> => {
		if (method === 'GET' && path === '/lab/world') {
			// Cached tokens are live bearer tokens: the snapshot leaves them out (a restored world mints anew).
			return {
				status: 200,
				statusText: 'OK',
				headers: { 'Content-Type': 'application/json; charset=utf-8' },
				body: snapshotWorld({ ...world, tokenCache: {} })
			};
		}
		if (method === 'GET' && path === '/lab/events') return json(200, world.events);
		if (method !== 'POST' || (path !== '/lab/commands' && path !== '/lab/clock')) {
			return json(404, {
				error: 'not_found',
				message: `No lab endpoint ${method} ${escapeForLog(path)}. Use POST /lab/commands, POST /lab/clock, GET /lab/world or GET /lab/events.`
			});
		}
		let input: unknown;
		try {
			input = JSON.parse(body || 'null');
		} catch {
			return json(400, {
				error: 'invalid_json',
				message:
					path === '/lab/commands'
						? 'The body is not JSON. Send e.g. {"command": "az identity list"}.'
						: 'The body is not JSON. Send e.g. {"advanceSeconds": 300}.'
			});
		}
		if (path === '/lab/commands') {
			const command = (input as { command?: unknown } | null)?.command;
			if (typeof command !== 'string' || !command.trim()) {
				return json(400, {
					error: 'invalid_request',
					message:
						'Send {"command": "<a terminal line>"}, e.g. {"command": "az vm identity assign -g rg-stock -n vm-stock-app"}.'
				});
			}
			const ran = await runLine(world, shell, command, { keyRing });
			world = ran.world;
			shell = ran.state;
			return json(200, { exitCode: ran.exitCode, stdout: ran.stdout, stderr: ran.stderr });
		}
		const seconds = (input as { advanceSeconds?: unknown } | null)?.advanceSeconds;
		if (typeof seconds !== 'number') {
			return json(400, {
				error: 'invalid_request',
				message:
					'Send {"advanceSeconds": <whole seconds>}, e.g. {"advanceSeconds": 300} to move simulated time five minutes on (role assignments take effect after the propagation delay).'
			});
		}
		const applied = applyOperations(world, [{ type: 'advanceClock', seconds }], {
			caller: 'emulator'
		});
		if (!applied.ok)
			return json(400, { error: applied.error.code, message: applied.error.message });
		world = applied.value.world;
		offsetSeconds += seconds;
		return json(200, { now: world.now, iso: new Date(world.now * 1000).toISOString() });
	};

	/** Where a request goes: by the Host it names (an Azure host), else by its path. */
	const routeFor = (requestHost: string, path: string, query: string): Route => {
		const named = requestHost.replace(/:\d+$/, '').toLowerCase();
		if (SERVICE_HOST_PATTERN.test(named)) {
			const target = `https://${named}${path}${query}`;
			return { kind: 'forward', url: target, discovery: path.endsWith('/openid-configuration') };
		}
		if (path.startsWith('/lab/')) return { kind: 'lab', path };
		if (path.startsWith('/metadata') && host.kind === 'outsideMachine') {
			if (!world.outsideMachines[host.name]?.arc) {
				return {
					kind: 'answer',
					response: json(404, {
						error: 'not_found',
						message: `${host.name} is outside Azure and not connected to Azure Arc: no identity endpoint answers here.`
					})
				};
			}
			return { kind: 'forward', url: himdsUrl(path, query), discovery: false, challenge: true };
		}
		if (path.startsWith('/metadata')) {
			if (isAppService) {
				return {
					kind: 'answer',
					response: json(404, {
						error: 'not_found',
						message: `This emulator stands in for the ${host.kind === 'webApp' ? 'web app' : 'function app'} '${host.name}', which has no IMDS. Use IDENTITY_ENDPOINT.`
					})
				};
			}
			return { kind: 'forward', url: `http://${IMDS_HOST}${path}${query}`, discovery: false };
		}
		if (/^\/msi\/token\/?$/i.test(path)) {
			if (!isAppService) {
				return {
					kind: 'answer',
					response: json(404, {
						error: 'not_found',
						message: `This emulator stands in for '${host.name}', a VM: use the IMDS path /metadata/identity/oauth2/token.`
					})
				};
			}
			return { kind: 'forward', url: `${APP_SERVICE_IDENTITY_ENDPOINT}${query}`, discovery: false };
		}
		const service = SERVICE_PATH.exec(path);
		if (service) {
			const target = `https://${service[1] ?? ''}${service[2] ?? '/'}${query}`;
			return { kind: 'forward', url: target, discovery: path.endsWith('/openid-configuration') };
		}
		if (ENTRA_PATH.test(path)) {
			return {
				kind: 'forward',
				url: `${ENTRA_ORIGIN}${path}${query}`,
				discovery: path.endsWith('/openid-configuration')
			};
		}
		return {
			kind: 'answer',
			response: json(404, {
				error: 'not_found',
				message: `The emulator serves /metadata/… (IMDS), /MSI/token (App Service), /{tenant}/discovery/v2.0/keys, /<service host>/… (e.g. /kv-stock.vault.azure.net/secrets/db-password?api-version=7.4) and /lab/…; not ${escapeForLog(path)}.`
			})
		};
	};

	const write = (
		req: IncomingMessage,
		res: ServerResponse,
		started: bigint,
		answer: Answer,
		close = false
	): void => {
		const { response } = answer;
		const headers: Record<string, string> = {};
		let dated = false;
		let sized = false;
		for (const name of Object.keys(response.headers)) {
			headers[name] = response.headers[name] as string;
			if (!dated && name.length === 4 && name.toLowerCase() === 'date') dated = true;
			else if (!sized && name.length === 14 && name.toLowerCase() === 'content-length')
				sized = true;
		}
		// The simulated clock is the lab's time on the wire too (Azure's answers carry its Date).
		if (!dated) headers.Date = httpDate(world.now);
		// A known length, as Azure's endpoints send: Node then writes the head and the body in one write instead
		// of chunked encoding's four pieces (most of the emulator's CPU per request under load went there).
		if (!sized && response.body !== undefined && hasBody(req.method, response.status))
			headers['Content-Length'] = String(Buffer.byteLength(response.body));
		if (close) headers.Connection = 'close';
		if (!res.destroyed) {
			res.writeHead(response.status, response.statusText || undefined, headers);
			res.end(response.body);
		}
		// The line is built only for a logger: under load, building it for nobody costs more than the answer.
		if (options.log === undefined) return;
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		const why =
			response.status >= 400 && answer.explanation ? ` — ${escapeForLog(answer.explanation)}` : '';
		log(
			`${req.method ?? 'GET'} ${escapeForLog(req.url ?? '/')} ${response.status} ${ms.toFixed(1)}ms${why}`
		);
	};

	const serve = async (
		route: Route,
		method: string,
		headers: Record<string, string>,
		body: string
	): Promise<Answer> => {
		syncClock();
		if (route.kind === 'answer') return { response: route.response };
		if (route.kind === 'lab') {
			flush();
			return { response: await labApi(method, route.path, body) };
		}
		const machine = host.kind === 'outsideMachine' ? world.outsideMachines[host.name] : undefined;
		if (machine?.pod) {
			const operations = await refreshPodToken(world, keyRing, machine, tokenFile);
			if (operations) apply(operations);
		}
		const answer = await forward({ method, url: route.url, headers, body });
		if (route.challenge) {
			const problem = writeChallengeFile(world, host.name, answer.response);
			if (problem) log(escapeForLog(problem));
		}
		return route.discovery
			? { ...answer, response: localizeDiscovery(answer.response, url) }
			: answer;
	};

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const started = process.hrtime.bigint();
		const method = req.method ?? 'GET';
		const target = req.url ?? '/';
		const queryAt = target.indexOf('?');
		const path = queryAt < 0 ? target : target.slice(0, queryAt);
		const query = queryAt < 0 ? '' : target.slice(queryAt);
		const headers = flatHeaders(req);
		const hostHeader = req.headers.host ?? '';

		const refused =
			checkHost(req.headers.host, port) ??
			checkBrowserOrigin(req.headers.origin, req.headers['sec-fetch-site'], port);
		if (refused) return write(req, res, started, { response: refusalResponse(refused) }, true);

		const route = routeFor(hostHeader, path, query);
		let changes = false;
		if (route.kind === 'lab') {
			const labRefusal = checkLabCall(
				method,
				req.headers.authorization,
				req.headers['content-type'],
				labToken
			);
			if (labRefusal)
				return write(req, res, started, { response: refusalResponse(labRefusal) }, true);
			changes = LAB_ENDPOINTS[`${method} ${path}`]?.changes ?? false;
		}

		const tooLarge = (): void =>
			write(
				req,
				res,
				started,
				{
					response: json(413, {
						error: 'request_too_large',
						message: `The emulator reads request bodies of at most ${maxBodyBytes} bytes; this one is larger. Send a smaller body.`
					})
				},
				true
			);
		const declared = Number(req.headers['content-length'] ?? 0);
		if (declared > maxBodyBytes) return tooLarge();
		let body = '';
		if (
			req.headers['content-length'] !== undefined ||
			req.headers['transfer-encoding'] !== undefined
		) {
			const read = await readBody(req, maxBodyBytes);
			if (!read.ok) {
				if (read.reason === 'tooLarge') return tooLarge();
				log(`${method} ${escapeForLog(target)} — the client went away before sending its body`);
				return;
			}
			body = read.body;
		} else {
			// No Content-Length and no Transfer-Encoding: HTTP/1.1 says the request has no body (RFC 9112 6.3).
			req.resume();
		}

		let answer: Answer;
		try {
			answer = await (changes ? gate.exclusive.bind(gate) : gate.shared.bind(gate))(() =>
				serve(route, method, headers, body)
			);
		} catch (cause) {
			const message = cause instanceof Error ? cause.message : String(cause);
			answer = {
				response: json(500, { error: 'emulator_error', message }),
				explanation: message
			};
		}
		write(req, res, started, answer);
	};

	const tls: TlsMaterial | undefined =
		options.https === true
			? await makeTlsMaterial()
			: typeof options.https === 'object'
				? { ...options.https, ca: options.https.cert }
				: undefined;
	const serverOptions = {
		maxHeaderSize: MAX_HEADER_BYTES,
		requestTimeout: 60_000,
		headersTimeout: 30_000,
		keepAliveTimeout: 5_000
	};
	const listener = (req: IncomingMessage, res: ServerResponse): void => {
		void handle(req, res);
	};
	let server: Server;
	try {
		server = tls
			? createHttpsServer({ ...serverOptions, cert: tls.cert, key: tls.key }, listener)
			: createHttpServer(serverOptions, listener);
	} catch (cause) {
		throw new EmulatorStartError(
			`The certificate and key cannot serve HTTPS: ${cause instanceof Error ? cause.message : String(cause)}. Give a PEM certificate with --cert and its PEM private key with --key.`
		);
	}
	server.keepAliveTimeout = serverOptions.keepAliveTimeout;
	await new Promise<void>((resolve, reject) => {
		server.once('error', (e: NodeJS.ErrnoException) =>
			reject(
				new EmulatorStartError(
					e.code === 'EADDRINUSE'
						? `Port ${options.port ?? DEFAULT_PORT} on 127.0.0.1 is in use (another emulator may be running). Stop it, or pick another port with --port.`
						: e.message
				)
			)
		);
		server.listen(options.port ?? DEFAULT_PORT, '127.0.0.1', () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
	const caFile = tls ? writeCaFile(tls.ca) : undefined;
	tokenFile ||= defaultTokenFile(port);
	const podMachine = host.kind === 'outsideMachine' ? world.outsideMachines[host.name] : undefined;
	if (podMachine?.pod) {
		const operations = await refreshPodToken(world, keyRing, podMachine, tokenFile);
		if (operations) apply(operations);
	}

	return {
		url,
		port,
		host,
		labToken,
		throttle,
		...(caFile && tls ? { ca: { file: caFile.file, pem: tls.ca } } : {}),
		world: () => {
			flush();
			return world;
		},
		exports() {
			const lines: string[] = [];
			const machine = host.kind === 'outsideMachine' ? world.outsideMachines[host.name] : undefined;
			if (machine) lines.push(...outsideExports(world, machine, url, tokenFile));
			else if (isAppService) {
				const env = appServiceEnvironment(host);
				lines.push(`export IDENTITY_ENDPOINT=${url}/MSI/token`);
				lines.push(`export IDENTITY_HEADER=${env.IDENTITY_HEADER ?? host.identityHeader}`);
			} else {
				lines.push(`export AZURE_POD_IDENTITY_AUTHORITY_HOST=${url}`);
			}
			if (caFile) {
				lines.push(`export NODE_EXTRA_CA_CERTS=${caFile.file}`);
				lines.push(`export SSL_CERT_FILE=${caFile.file}`);
				lines.push(`export REQUESTS_CA_BUNDLE=${caFile.file}`);
			}
			lines.push(`export LAB_TOKEN=${labToken}`);
			return lines;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => {
					if (caFile) rmSync(caFile.folder, { recursive: true, force: true });
					resolve();
				});
			})
	};
}

/** The tenant's JWKS URL on the emulator. */
export function jwksUrl(emulator: Emulator): string {
	return `${emulator.url}/${emulator.world().tenant.tenantId}/discovery/v2.0/keys`;
}

/** Events of the emulator's world (re-exported for tests). */
export type { WorldEvent };
