/**
 * The local managed-identity emulator: the simulation core behind a Node HTTP server on 127.0.0.1, so that the
 * real Azure SDKs get tokens from it as they would on Azure. Requests are handled one at a time, in order, so
 * that every change to the world is applied to the world the previous request left.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	applyOperations,
	createDefaultWorld,
	findResourcesByName,
	snapshotWorld,
	type IdentityHost,
	type World,
	type WorldEvent
} from '../core/index.ts';
import type { HttpRequest, HttpResponse, NetworkSource } from '../core/http/types.ts';
import { send, IMDS_HOST } from '../core/network/network.ts';
import { createKeyRing, type KeyRing } from '../core/token/key-ring.ts';
import { appServiceEnvironment, APP_SERVICE_IDENTITY_ENDPOINT } from '../core/token/app-service.ts';
import { createShellState, runLine, type ShellState } from '../core/shell/index.ts';
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
}

/** How far simulated time may lag the real clock before the emulator catches it up (one clock event each time). */
const CLOCK_SYNC_SLACK_SECONDS = 30;

/** A running emulator. */
export interface Emulator {
	url: string;
	port: number;
	/** The resource the emulator stands in for, or the outside machine (Arc-enabled server, AKS pod). */
	host: IdentityHost | OutsideHost;
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

const SERVICE_HOST =
	/^\/((?:[a-z0-9-]+\.vault\.azure\.net)|(?:[a-z0-9]+\.blob\.core\.windows\.net)|(?:management\.azure\.com)|(?:login\.microsoftonline\.com))(\/.*)?$/i;

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
	const out: Record<string, string> = {};
	for (let i = 0; i < req.rawHeaders.length; i += 2) {
		const name = req.rawHeaders[i] ?? '';
		const value = req.rawHeaders[i + 1] ?? '';
		out[name] = name in out ? `${out[name]}, ${value}` : value;
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

function json(status: number, body: unknown): HttpResponse {
	return {
		status,
		statusText: '',
		headers: { 'Content-Type': 'application/json; charset=utf-8' },
		body: JSON.stringify(body)
	};
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
			.filter((r) =>
				['virtualMachine', 'virtualMachineScaleSet', 'webApp', 'functionApp'].includes(r.kind)
			)
			.map((r) => r.name);
		throw new EmulatorStartError(
			`No VM, scale set, web app, function app or outside machine is named '${asName}' in this world. Use --as with one of: ${[...names, ...Object.keys(world.outsideMachines)].join(', ')}.`
		);
	}
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
	let queue: Promise<unknown> = Promise.resolve();

	const apply = (operations: Parameters<typeof applyOperations>[1]): void => {
		if (operations.length === 0) return;
		const applied = applyOperations(world, operations, { caller: 'emulator' });
		if (applied.ok) world = applied.value.world;
		else log(`could not record: ${applied.error.message}`);
	};

	// Why the last refused request was refused, for its log line (requests are handled one at a time).
	let lastExplanation: string | undefined;

	const forward = async (request: HttpRequest): Promise<HttpResponse> => {
		const result = await send(world, source, request, { keyRing });
		apply(result.operations);
		lastExplanation = result.ok ? result.explanation : result.failure.explanation;
		if (result.ok) return result.response;
		return json(502, {
			error: 'lab_transport_failure',
			error_description: result.failure.message,
			explanation: result.failure.explanation
		});
	};

	const labApi = async (method: string, path: string, body: string): Promise<HttpResponse> => {
		if (method === 'GET' && path === '/lab/world') {
			return {
				status: 200,
				statusText: 'OK',
				headers: { 'Content-Type': 'application/json; charset=utf-8' },
				body: snapshotWorld(world)
			};
		}
		if (method === 'GET' && path === '/lab/events') return json(200, world.events);
		if (method !== 'POST' || (path !== '/lab/commands' && path !== '/lab/clock')) {
			return json(404, {
				error: 'not_found',
				message: `No lab endpoint ${method} ${path}. Use POST /lab/commands, POST /lab/clock, GET /lab/world or GET /lab/events.`
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

	const clockMode = options.clock ?? 'real';
	const realNow = options.realNow ?? (() => Math.floor(Date.now() / 1000));
	let offsetSeconds = 0;
	const syncClock = (): void => {
		if (clockMode !== 'real') return;
		const behind = realNow() + offsetSeconds - world.now;
		if (behind <= CLOCK_SYNC_SLACK_SECONDS) return;
		apply([{ type: 'advanceClock', seconds: Math.floor(behind) }]);
	};
	syncClock();

	let tokenFile = options.tokenFile ?? '';
	const route = async (req: IncomingMessage): Promise<HttpResponse> => {
		syncClock();
		const machine = host.kind === 'outsideMachine' ? world.outsideMachines[host.name] : undefined;
		if (machine?.pod) {
			const operations = await refreshPodToken(world, keyRing, machine, tokenFile);
			if (operations) apply(operations);
		}
		const method = req.method ?? 'GET';
		const target = req.url ?? '/';
		const path = target.split('?')[0] ?? '/';
		const query = target.includes('?') ? target.slice(target.indexOf('?')) : '';
		const headers = flatHeaders(req);
		const body = await readBody(req);
		if (path.startsWith('/lab/')) return labApi(method, path, body);
		if (path.startsWith('/metadata') && machine) {
			if (!machine.arc) {
				return json(404, {
					error: 'not_found',
					message: `${machine.name} is outside Azure and not connected to Azure Arc: no identity endpoint answers here.`
				});
			}
			const answer = await forward({ method, url: himdsUrl(path, query), headers, body });
			const problem = writeChallengeFile(world, machine.name, answer);
			if (problem) log(problem);
			return answer;
		}
		if (path.startsWith('/metadata')) {
			if (host.kind === 'webApp' || host.kind === 'functionApp') {
				return json(404, {
					error: 'not_found',
					message: `This emulator stands in for the ${host.kind === 'webApp' ? 'web app' : 'function app'} '${host.name}', which has no IMDS. Use IDENTITY_ENDPOINT.`
				});
			}
			return forward({ method, url: `http://${IMDS_HOST}${path}${query}`, headers, body });
		}
		if (/^\/msi\/token\/?$/i.test(path)) {
			if (host.kind !== 'webApp' && host.kind !== 'functionApp') {
				return json(404, {
					error: 'not_found',
					message: `This emulator stands in for '${host.name}', a VM: use the IMDS path /metadata/identity/oauth2/token.`
				});
			}
			return forward({ method, url: `${APP_SERVICE_IDENTITY_ENDPOINT}${query}`, headers, body });
		}
		const service = SERVICE_HOST.exec(path);
		if (service)
			return forward({
				method,
				url: `https://${service[1] ?? ''}${service[2] ?? '/'}${query}`,
				headers,
				body
			});
		if (
			/^\/[^/]+\/(v2\.0\/)?(\.well-known\/openid-configuration|discovery\/(v2\.0\/)?keys|oauth2\/(v2\.0\/)?token)$/.test(
				path
			)
		) {
			const answer = await forward({
				method,
				url: `${ENTRA_ORIGIN}${path}${query}`,
				headers,
				body
			});
			return path.endsWith('/openid-configuration') ? localizeDiscovery(answer, url) : answer;
		}
		return json(404, {
			error: 'not_found',
			message: `The emulator serves /metadata/… (IMDS), /MSI/token (App Service), /{tenant}/discovery/v2.0/keys, /<service host>/… (e.g. /kv-stock.vault.azure.net/secrets/db-password?api-version=7.4) and /lab/…; not ${path}.`
		});
	};

	const handle = (req: IncomingMessage, res: ServerResponse): void => {
		const started = process.hrtime.bigint();
		const job = queue.then(() => {
			lastExplanation = undefined;
			return route(req);
		});
		queue = job.catch(() => undefined);
		job
			.then((response) => {
				res.writeHead(response.status, response.statusText || undefined, response.headers);
				res.end(response.body);
				const ms = Number(process.hrtime.bigint() - started) / 1e6;
				const why = response.status >= 400 && lastExplanation ? ` — ${lastExplanation}` : '';
				log(`${req.method ?? 'GET'} ${req.url ?? '/'} ${response.status} ${ms.toFixed(1)}ms${why}`);
			})
			.catch((cause: unknown) => {
				res.writeHead(500, { 'Content-Type': 'application/json' });
				res.end(
					JSON.stringify({
						error: 'emulator_error',
						message: cause instanceof Error ? cause.message : String(cause)
					})
				);
				log(
					`${req.method ?? 'GET'} ${req.url ?? '/'} 500 ${cause instanceof Error ? cause.message : String(cause)}`
				);
			});
	};

	const server: Server = createServer(handle);
	server.keepAliveTimeout = 5000;
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
	const url = `http://127.0.0.1:${port}`;
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
		world: () => world,
		exports() {
			const lines: string[] = [];
			const machine = host.kind === 'outsideMachine' ? world.outsideMachines[host.name] : undefined;
			if (machine) return outsideExports(world, machine, url, tokenFile);
			if (host.kind === 'webApp' || host.kind === 'functionApp') {
				const env = appServiceEnvironment(host);
				lines.push(`export IDENTITY_ENDPOINT=${url}/MSI/token`);
				lines.push(`export IDENTITY_HEADER=${env.IDENTITY_HEADER ?? host.identityHeader}`);
			} else {
				lines.push(`export AZURE_POD_IDENTITY_AUTHORITY_HOST=${url}`);
			}
			return lines;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

/** The tenant's JWKS URL on the emulator. */
export function jwksUrl(emulator: Emulator): string {
	return `${emulator.url}/${emulator.world().tenant.tenantId}/discovery/v2.0/keys`;
}

/** Events of the emulator's world (re-exported for tests). */
export type { WorldEvent };
