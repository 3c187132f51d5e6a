/**
 * The Azure Arc agent's identity endpoint (HIMDS) on an Arc-enabled server, `http://localhost:40342`
 * (reference 2.3, learn.microsoft.com/azure/azure-arc/servers/managed-identity-authentication): a token
 * request without credentials gets 401 with `WWW-Authenticate: Basic realm=<secret file>`; the agent writes a
 * fresh secret to that file, readable only by root and the himds group; the caller reads it and repeats the
 * request with `Authorization: Basic <secret>`. The identity is the machine's system-assigned one.
 */
import type { OutsideMachine, World } from '../azure/model.ts';
import { ARC_TOKENS_DIRECTORY } from '../azure/operations/arc.ts';
import { seededGuid, seededOpaque } from '../ids.ts';
import type { HandlerContext, HandlerResult, HttpRequest, HttpResponse } from '../http/types.ts';
import { header, jsonResponse } from '../http/types.ts';
import { reasonPhrase } from '../http/parts.ts';
import {
	appRequestHop,
	cacheSentence,
	endpointResult,
	relayedRefusal,
	serveToken
} from './serve-token.ts';

/** Where HIMDS listens. */
export const HIMDS_HOST = 'localhost:40342';

/** `IDENTITY_ENDPOINT` on an Arc-enabled server. */
export const HIMDS_IDENTITY_ENDPOINT = `http://${HIMDS_HOST}/metadata/identity/oauth2/token`;

/** `IMDS_ENDPOINT` on an Arc-enabled server. */
export const HIMDS_IMDS_ENDPOINT = `http://${HIMDS_HOST}`;

/** API versions HIMDS's token endpoint accepts (the documented one and the one msal-node sends). */
export const HIMDS_API_VERSIONS = ['2019-08-15', '2019-11-01', '2020-06-01', '2021-02-01'];

/** The variables the agent sets for every process on an Arc-enabled server. */
export function arcEnvironment(machine: OutsideMachine): Record<string, string> {
	if (!machine.arc) return {};
	return { IDENTITY_ENDPOINT: HIMDS_IDENTITY_ENDPOINT, IMDS_ENDPOINT: HIMDS_IMDS_ENDPOINT };
}

function himdsJson(
	status: number,
	body: unknown,
	headers: Record<string, string> = {}
): HttpResponse {
	return jsonResponse(status, reasonPhrase(status), body, headers);
}

/** The secret file of the next challenge: a new name each time, as the agent makes them. */
function challengeFile(world: World, machine: OutsideMachine): { path: string; secret: string } {
	const salt = `himds|${machine.name}|${world.now}|${world.idCounter}|${world.events.length}`;
	return {
		path: `${ARC_TOKENS_DIRECTORY}${seededGuid(world.seed, salt)}.key`,
		secret: seededOpaque(world.seed, `${salt}|secret`, 44)
	};
}

/** Serves HIMDS for an Arc-connected machine. */
export async function handleHimds(
	ctx: HandlerContext,
	request: HttpRequest,
	url: URL
): Promise<HandlerResult> {
	const { world, source } = ctx;
	const machine = source.kind === 'outside' ? world.outsideMachines[source.machine] : undefined;
	const arc = machine?.arc;
	const resource = url.searchParams.get('resource');
	const requestHop = appRequestHop(
		'himds-request',
		request,
		url,
		`Code on ${machine?.name ?? 'the machine'} asks the Arc agent (HIMDS, localhost:40342) for a token${resource ? ` for ${resource}` : ''}.`
	);
	const refuse = (response: HttpResponse, detail: string): HandlerResult => ({
		response,
		operations: [],
		hops: [requestHop, { ...appResponse(response, detail), ok: false }],
		explanation: detail
	});
	const appResponse = (response: HttpResponse, detail: string) => ({
		id: 'himds-response',
		from: 'identityEndpoint' as const,
		to: 'app' as const,
		kind: 'response' as const,
		title: `${response.status} ${response.statusText}`,
		response,
		ok: response.status < 400,
		detail
	});
	if (!machine || !arc) {
		return refuse(himdsJson(404, { error: 'not_found' }), 'The Arc agent is not connected.');
	}
	if (url.pathname.replace(/\/+$/, '') !== '/metadata/identity/oauth2/token') {
		return refuse(
			himdsJson(404, { error: 'not_found', error_description: `No endpoint ${url.pathname}` }),
			`HIMDS serves tokens at /metadata/identity/oauth2/token ($IDENTITY_ENDPOINT).`
		);
	}
	if ((header(request, 'Metadata') ?? '').toLowerCase() !== 'true') {
		return refuse(
			himdsJson(400, {
				error: 'invalid_request',
				error_description: 'Required metadata header not specified'
			}),
			'Like IMDS, the Arc agent answers only requests with the header Metadata: true (a page in a browser cannot add it).'
		);
	}
	const version = url.searchParams.get('api-version');
	if (version === null || !HIMDS_API_VERSIONS.includes(version)) {
		return refuse(
			himdsJson(400, {
				error: 'invalid_request',
				error_description:
					version === null
						? 'Required query variable api-version is missing'
						: `Invalid api-version ${version}`
			}),
			`Add api-version=2019-11-01 (the documented version; msal-node sends 2020-06-01).`
		);
	}
	if (resource === null || resource.trim() === '') {
		return refuse(
			himdsJson(400, {
				error: 'invalid_request',
				error_description: "Required query variable 'resource' is missing"
			}),
			'Say which resource the token is for: resource=https://vault.azure.net, for example.'
		);
	}
	const selector = ['client_id', 'object_id', 'msi_res_id', 'mi_res_id'].find((p) =>
		url.searchParams.has(p)
	);
	if (selector) {
		return refuse(
			himdsJson(400, {
				error: 'invalid_request',
				error_description: `Parameter ${selector} is not supported: this machine has a system-assigned identity only.`
			}),
			`An Arc-enabled server has one identity, its system-assigned one: leave out ${selector}.`
		);
	}
	const authorization = header(request, 'Authorization');
	const presented = authorization?.replace(/^Basic\s+/i, '').trim();
	const current = Object.entries(arc.secretFiles)[0];
	if (presented === undefined || presented === '' || !current || presented !== current[1]) {
		const file = challengeFile(world, machine);
		const response: HttpResponse = {
			status: 401,
			statusText: 'Unauthorized',
			headers: { 'WWW-Authenticate': `Basic realm=${file.path}`, 'Content-Length': '0' },
			body: ''
		};
		return {
			response,
			operations: [
				{ type: 'writeArcSecret', machine: machine.name, path: file.path, secret: file.secret }
			],
			hops: [
				requestHop,
				appResponse(
					response,
					`${presented ? 'The secret sent does not match the newest challenge file, so the' : 'The'} agent challenges the caller: it wrote a new secret to ${file.path}, a file only root (or the himds group) can read. Read it (sudo cat ${file.path}) and repeat the request with Authorization: Basic <secret>. Proving local admin rights is what keeps other users of this server from taking its identity.`
				)
			],
			explanation: `HIMDS answers the first request with a challenge: read ${file.path} as root and send its content as Authorization: Basic <secret>.`
		};
	}
	const served = await serveToken(world, ctx.env.keyRing, {
		principalId: arc.identity.principalId,
		resource,
		hostId: arc.resourceId,
		endpoint: 'arc'
	});
	if (!served.ok) {
		const relayed = himdsJson(400, {
			error: served.error.error,
			error_description: served.error.errorDescription
		});
		return relayedRefusal(requestHop, relayed, served.error);
	}
	const { token } = served.value;
	const body = {
		access_token: token.accessToken,
		expires_in: String(token.expiresOn - world.now),
		expires_on: String(token.expiresOn),
		ext_expires_in: String(token.expiresOn - token.issuedAt),
		not_before: String(token.issuedAt),
		resource,
		token_type: 'Bearer'
	};
	return endpointResult(
		requestHop,
		himdsJson(200, body),
		true,
		`The secret matches, so the agent returns a token for ${resource} of ${machine.name}'s Arc identity (client id ${token.clientId}). ${cacheSentence(world, served.value, 'The Arc agent')}`,
		{
			responseId: 'himds-response',
			entraHops: served.value.entraHops,
			operations: served.value.operations
		}
	);
}
