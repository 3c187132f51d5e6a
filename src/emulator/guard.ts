/**
 * What the emulator checks before a request reaches the world: its size, where it comes from (the `Host`
 * header against DNS rebinding, `Origin` and `Sec-Fetch-Site` against web pages), the lab token of the
 * control API, and how request-derived text is written to the log.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Largest request body the emulator reads (1 MiB): a terminal line or a secret value fits many times. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Largest request line plus headers (16 KiB, Node's default made explicit); larger ones get 431. */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Azure host names the emulator answers for when they arrive in the `Host` header (a developer who maps them
 * to 127.0.0.1) as well as in the first path segment. Nobody else can make these names resolve to a
 * developer's machine, so DNS rebinding cannot use them.
 */
export const SERVICE_HOST_PATTERN =
	/^(?:[a-z0-9-]+\.vault\.azure\.net|[a-z0-9]+\.blob\.core\.windows\.net|management\.azure\.com|login\.microsoftonline\.com)$/i;

/** A refusal the emulator answers itself, before the world sees the request. */
export interface Refusal {
	status: number;
	error: string;
	message: string;
	headers?: Record<string, string>;
}

/**
 * Escapes what could forge or hide a log line: C0 and C1 control characters (CR and LF among them), DEL,
 * the Unicode line and paragraph separators, and the backslash itself so that the escapes are unambiguous.
 */
export function escapeForLog(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
		if (c === '\\') return '\\\\';
		if (c === '\n') return '\\n';
		if (c === '\r') return '\\r';
		if (c === '\t') return '\\t';
		const code = c.charCodeAt(0);
		return code <= 0xff
			? `\\x${code.toString(16).padStart(2, '0')}`
			: `\\u${code.toString(16).padStart(4, '0')}`;
	});
}

/**
 * The request target as it goes to the log: percent-decoded where that is valid (so a reader sees what was
 * asked for), with every control character escaped.
 */
export function logTarget(target: string): string {
	let decoded: string;
	try {
		decoded = decodeURIComponent(target);
	} catch {
		decoded = target;
	}
	return escapeForLog(decoded);
}

/** The host names (with port) a request may name in `Host` to reach the emulator by path. */
export function localHosts(port: number): string[] {
	return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/**
 * Refuses a `Host` that is neither the emulator's own address nor an Azure host name it serves: a web page
 * whose own name was re-pointed at 127.0.0.1 (DNS rebinding) sends its own name.
 */
export function checkHost(host: string | undefined, port: number): Refusal | undefined {
	// What every SDK and curl send, compared before anything is allocated: this runs on every request.
	if (host !== undefined && host.endsWith(`:${port}`)) {
		const name = host.slice(0, host.length - String(port).length - 1);
		if (name === '127.0.0.1' || name === 'localhost') return undefined;
	}
	const value = (host ?? '').trim().toLowerCase();
	if (localHosts(port).includes(value)) return undefined;
	const name = value.replace(/:\d+$/, '');
	if (SERVICE_HOST_PATTERN.test(name)) return undefined;
	return {
		status: 421,
		error: 'host_refused',
		message: `The emulator answers only requests addressed to 127.0.0.1:${port} or localhost:${port} (or an Azure host name it serves), not Host '${escapeForLog(host ?? '')}'. Use http://127.0.0.1:${port}.`
	};
}

/**
 * Refuses a request a browser sent for a page of another origin: such a request carries that page's `Origin`,
 * or `Sec-Fetch-Site: cross-site` / `same-site`. SDKs, curl and scripts send neither.
 */
export function checkBrowserOrigin(
	origin: string | undefined,
	fetchSite: string | undefined,
	port: number
): Refusal | undefined {
	if (origin === undefined && fetchSite === undefined) return undefined;
	const own = localHosts(port).flatMap((h) => [`http://${h}`, `https://${h}`]);
	const site = fetchSite?.trim().toLowerCase();
	const foreignOrigin = origin !== undefined && !own.includes(origin.trim().toLowerCase());
	const foreignSite = site !== undefined && site !== 'same-origin' && site !== 'none';
	if (!foreignOrigin && !foreignSite) return undefined;
	return {
		status: 403,
		error: 'cross_origin_refused',
		message: `The emulator refuses requests a browser sends for another web page (${
			foreignOrigin
				? `Origin '${escapeForLog(origin ?? '')}'`
				: `Sec-Fetch-Site '${escapeForLog(site ?? '')}'`
		}): no page you visit may drive your lab. Call it from your code, curl or a script.`
	};
}

/** Compares a presented lab token with the real one in constant time. */
function sameToken(presented: string, expected: string): boolean {
	const a = Buffer.from(presented, 'utf8');
	const b = Buffer.from(expected, 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a call to the lab control API: `Authorization: Bearer <the lab token>`, and for a body a JSON media
 * type (a web page's form or `text/plain` fetch cannot send `application/json` without a CORS preflight,
 * which the emulator never grants).
 */
export function checkLabCall(
	method: string,
	authorization: string | undefined,
	contentType: string | undefined,
	labToken: string
): Refusal | undefined {
	const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
	if (presented === undefined || !sameToken(presented, labToken)) {
		return {
			status: 401,
			error: 'lab_token_required',
			message:
				presented === undefined
					? 'The lab control API needs the token the emulator printed at start: send Authorization: Bearer $LAB_TOKEN.'
					: 'That is not the lab token this emulator printed at start (a new one is made at every start): send Authorization: Bearer $LAB_TOKEN from its current output.',
			headers: { 'WWW-Authenticate': 'Bearer realm="lab"' }
		};
	}
	if (method !== 'GET' && method !== 'HEAD') {
		const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
		if (media !== 'application/json') {
			return {
				status: 415,
				error: 'unsupported_media_type',
				message: `The lab control API takes JSON bodies only: send Content-Type: application/json${contentType ? `, not '${escapeForLog(contentType)}'` : ''}.`
			};
		}
	}
	return undefined;
}

/** The outcome of reading a request body: it never rejects and always settles. */
export type BodyOutcome = { ok: true; body: string } | { ok: false; reason: 'tooLarge' | 'gone' };

/**
 * Reads a request body, starting at once (when the request arrives, not when its turn comes). Settles on
 * `end`, and also when the client goes away (`aborted`, `error`, or `close` before the end: a destroyed
 * request emits no `end`), and stops reading past `limit` bytes.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyOutcome> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const settle = (outcome: BodyOutcome): void => {
			if (settled) return;
			settled = true;
			req.off('data', onData);
			resolve(outcome);
		};
		const onData = (chunk: Buffer): void => {
			size += chunk.length;
			if (size > limit) {
				chunks.length = 0;
				req.pause();
				settle({ ok: false, reason: 'tooLarge' });
				return;
			}
			chunks.push(chunk);
		};
		req.on('data', onData);
		req.once('end', () => settle({ ok: true, body: Buffer.concat(chunks).toString('utf8') }));
		req.once('aborted', () => settle({ ok: false, reason: 'gone' }));
		req.once('error', () => settle({ ok: false, reason: 'gone' }));
		req.once('close', () => settle({ ok: false, reason: 'gone' }));
		if (req.destroyed) settle({ ok: false, reason: 'gone' });
	});
}
