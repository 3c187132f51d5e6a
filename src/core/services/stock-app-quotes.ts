/**
 * The stock app's `/api/quotes` route: it reads today's quotes (`quotes/today.csv` in Blob Storage) the way its
 * configuration says, on every request.
 *
 * - With a connection string (`ConnectionStrings.QuotesStorage` in `/etc/stock-app/appsettings.json` on a VM,
 *   the app setting `ConnectionStrings__QuotesStorage` on a web app), it signs the request with the account key
 *   in it (Shared Key) — until the key is rotated, when Storage answers 403 AuthenticationFailed.
 * - With only the container's address (`QuotesBlobUri`), it asks its managed identity's endpoint for a token for
 *   `https://storage.azure.com/` (IMDS on a VM, `IDENTITY_ENDPOINT` on a web app; `ManagedIdentityClientId`
 *   picks a user-assigned identity) and sends it as a bearer token.
 *
 * A connection string wins when both are there, as it would in an app that checks for it first.
 */
import type { IdentityHost, World } from '../azure/model.ts';
import { applyOperations, type Operation } from '../azure/operations/index.ts';
import type {
	HandlerResult,
	Hop,
	HttpRequest,
	HttpResponse,
	NetworkSource,
	SendResult
} from '../http/types.ts';
import { httpDate } from './exchange.ts';
import { signSharedKeyRequest } from './shared-key.ts';
import { APP_SERVICE_IDENTITY_ENDPOINT } from '../token/app-service.ts';

/** The file that configures the stock app on a VM. */
export const STOCK_APP_CONFIG = '/etc/stock-app/appsettings.json';

/** The blob the quotes route shows. */
export const QUOTES_BLOB = 'today.csv';

/** The Blob service version the app sends (bearer tokens need 2017-11-09 or later). */
const STORAGE_VERSION = '2022-11-02';

/** Sends a request from a network source, in a given world (the network's `send`). */
export type FetchFrom = (
	source: NetworkSource,
	request: HttpRequest,
	world: World
) => Promise<SendResult>;

/** How the app is configured to reach its quotes. */
export type QuotesConfig =
	| { kind: 'connectionString'; where: string; account: string; key: string; containerUrl: string }
	| { kind: 'identity'; where: string; containerUrl: string; clientId: string | null }
	| { kind: 'missing'; why: string };

/** The parts of a connection string (`Name=value;…`); values may contain `=` (base64 keys end in `==`). */
export function parseConnectionString(text: string): Record<string, string> {
	const parts: Record<string, string> = {};
	for (const piece of text.split(';')) {
		const at = piece.indexOf('=');
		if (at <= 0) continue;
		parts[piece.slice(0, at).trim().toLowerCase()] = piece.slice(at + 1).trim();
	}
	return parts;
}

function fromConnectionString(
	text: string,
	where: string
): QuotesConfig & { kind: 'connectionString' | 'missing' } {
	const parts = parseConnectionString(text);
	const account = parts.accountname;
	const key = parts.accountkey;
	if (!account || !key)
		return {
			kind: 'missing',
			why: `The connection string in ${where} has no AccountName and AccountKey.`
		};
	const endpoint =
		parts.blobendpoint?.replace(/\/+$/, '') ??
		`${parts.defaultendpointsprotocol ?? 'https'}://${account}.blob.${parts.endpointsuffix ?? 'core.windows.net'}`;
	return { kind: 'connectionString', where, account, key, containerUrl: `${endpoint}/quotes` };
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Reads the app's configuration: the VM's file, or the web app's settings. */
export function quotesConfig(host: IdentityHost): QuotesConfig {
	let connection: string | null;
	let blobUri: string | null;
	let clientId: string | null;
	let where: string;
	if (host.kind === 'webApp' || host.kind === 'functionApp') {
		where = `the app settings of ${host.name}`;
		connection = text(host.appSettings.ConnectionStrings__QuotesStorage);
		blobUri = text(host.appSettings.QuotesBlobUri);
		clientId = text(host.appSettings.ManagedIdentityClientId);
	} else {
		where = STOCK_APP_CONFIG;
		const raw = host.files[STOCK_APP_CONFIG];
		if (raw === undefined)
			return { kind: 'missing', why: `${host.name} has no ${STOCK_APP_CONFIG}.` };
		let parsed: unknown;
		try {
			parsed = JSON.parse(raw);
		} catch {
			return { kind: 'missing', why: `${STOCK_APP_CONFIG} is not valid JSON.` };
		}
		const config = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
			string,
			unknown
		>;
		const strings = config.ConnectionStrings;
		connection =
			typeof strings === 'object' && strings !== null
				? text((strings as Record<string, unknown>).QuotesStorage)
				: null;
		blobUri = text(config.QuotesBlobUri);
		clientId = text(config.ManagedIdentityClientId);
	}
	if (connection !== null) return fromConnectionString(connection, where);
	if (blobUri !== null)
		return { kind: 'identity', where, containerUrl: blobUri.replace(/\/+$/, ''), clientId };
	return {
		kind: 'missing',
		why: `Neither ConnectionStrings:QuotesStorage nor QuotesBlobUri is set in ${where}.`
	};
}

const plain = (status: number, statusText: string, body: string): HttpResponse => ({
	status,
	statusText,
	headers: { 'Content-Type': 'text/plain; charset=utf-8', Server: 'stock-app/1.0' },
	body
});

/** The token request the app's identity library sends from this host. */
function tokenRequest(host: IdentityHost, clientId: string | null): HttpRequest {
	const resource = encodeURIComponent('https://storage.azure.com/');
	const selector = clientId ? `&client_id=${encodeURIComponent(clientId)}` : '';
	if (host.kind === 'webApp' || host.kind === 'functionApp') {
		return {
			method: 'GET',
			url: `${APP_SERVICE_IDENTITY_ENDPOINT}?resource=${resource}&api-version=2019-08-01${selector}`,
			headers: { 'X-IDENTITY-HEADER': host.identityHeader }
		};
	}
	return {
		method: 'GET',
		url: `http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${resource}${selector}`,
		headers: { Metadata: 'true' }
	};
}

/** What the app answers when a call it made failed, and why, for the learner. */
function failed(
	hops: Hop[],
	operations: Operation[],
	body: string,
	explanation: string
): HandlerResult {
	return {
		response: plain(500, 'Internal Server Error', `${body}\n`),
		operations,
		hops,
		explanation
	};
}

function statusOf(result: SendResult): string {
	if (!result.ok) return result.failure.message;
	const code =
		result.response.headers['x-ms-error-code'] ??
		(() => {
			try {
				const parsed = JSON.parse(result.response.body) as { error?: unknown };
				return typeof parsed.error === 'string' ? parsed.error : '';
			} catch {
				return '';
			}
		})();
	return `${result.response.status} ${code}`.trim();
}

/** Answers `GET /api/quotes` on the stock app running on `host`. */
export async function handleQuotes(
	world: World,
	host: IdentityHost,
	firstHop: Hop,
	fetchFrom: FetchFrom
): Promise<HandlerResult> {
	const config = quotesConfig(host);
	const source: NetworkSource = { kind: 'resource', resourceId: host.id };
	if (config.kind === 'missing') {
		return {
			response: plain(500, 'Internal Server Error', 'The stock app is not configured.\n'),
			operations: [],
			hops: [firstHop],
			explanation: `${config.why} The app reads its quotes with ConnectionStrings:QuotesStorage (an account key) or with QuotesBlobUri and its managed identity.`
		};
	}
	const blobUrl = `${config.containerUrl}/${QUOTES_BLOB}`;
	if (config.kind === 'connectionString') {
		const signed = await signSharedKeyRequest(
			{ method: 'GET', url: blobUrl, headers: { 'x-ms-version': STORAGE_VERSION } },
			config.account,
			config.key,
			httpDate(world.now)
		);
		if (!signed) {
			return failed(
				[firstHop],
				[],
				'Could not sign the request to Storage.',
				`The AccountKey in ${config.where} is not a base64 key, so the app cannot sign its requests.`
			);
		}
		const answer = await fetchFrom(source, signed, world);
		const hops = [firstHop, ...answer.hops];
		if (answer.ok && answer.response.status < 400) return served(answer, hops);
		const status = statusOf(answer);
		const rotated = answer.ok && /AuthenticationFailed/.test(status);
		return failed(
			hops,
			answer.operations,
			`Could not read quotes/${QUOTES_BLOB}: Storage answered ${status}.`,
			rotated
				? `The app signs its requests with the account key in the connection string in ${config.where}, and Storage no longer accepts it: the key was rotated. Every copy of the old connection string stopped working at once — the app's and any leaked one. An app that authenticates with a managed identity has no key to rotate: set QuotesBlobUri instead and give its identity Storage Blob Data Reader.`
				: `The app's Shared Key request to ${blobUrl} failed (${status}). ${answer.ok ? (answer.explanation ?? '') : answer.failure.explanation}`.trim()
		);
	}
	const tokenAnswer = await fetchFrom(source, tokenRequest(host, config.clientId), world);
	const tokenHops = [firstHop, ...tokenAnswer.hops];
	let token: string | null = null;
	if (tokenAnswer.ok && tokenAnswer.response.status === 200) {
		try {
			const parsed = JSON.parse(tokenAnswer.response.body) as { access_token?: unknown };
			token = typeof parsed.access_token === 'string' ? parsed.access_token : null;
		} catch {
			token = null;
		}
	}
	if (token === null) {
		return failed(
			tokenHops,
			tokenAnswer.operations,
			`Could not get a token for Storage: ${statusOf(tokenAnswer)}.`,
			`The app is configured to use its managed identity (QuotesBlobUri in ${config.where}), but the identity endpoint gave no token. ${tokenAnswer.ok ? (tokenAnswer.explanation ?? '') : tokenAnswer.failure.explanation}`.trim()
		);
	}
	// The token's records (a signing key published, the token cached) come before the call that uses it.
	const afterToken = applyOperations(world, tokenAnswer.operations, { caller: 'system' });
	if (!afterToken.ok) throw new Error(`recording the token failed: ${afterToken.error.message}`);
	const answer = await fetchFrom(
		source,
		{
			method: 'GET',
			url: blobUrl,
			headers: {
				Authorization: `Bearer ${token}`,
				'x-ms-version': STORAGE_VERSION,
				'x-ms-date': httpDate(world.now)
			}
		},
		afterToken.value.world
	);
	const hops = [...tokenHops, ...answer.hops];
	const operations = [...tokenAnswer.operations, ...answer.operations];
	if (answer.ok && answer.response.status < 400) return served({ ...answer, operations }, hops);
	return failed(
		hops,
		operations,
		`Could not read quotes/${QUOTES_BLOB}: Storage answered ${statusOf(answer)}.`,
		`The app got a token for its managed identity, but Storage refused the read. ${answer.ok ? (answer.explanation ?? '') : answer.failure.explanation}`.trim()
	);
}

function served(answer: SendResult & { ok: true }, hops: Hop[]): HandlerResult {
	return {
		response: {
			status: 200,
			statusText: 'OK',
			headers: { 'Content-Type': 'text/csv; charset=utf-8', Server: 'stock-app/1.0' },
			body: answer.response.body
		},
		operations: answer.operations,
		hops
	};
}
