/**
 * The raw HTTP of a hop as text, with the fields that matter labelled (the way the Illustrated TLS labels
 * bytes), and the same request as a terminal line the learner can run.
 */
import type { HttpRequest, HttpResponse } from '../../core/index.ts';

/** A field worth explaining, and why it is there. */
export interface FieldNote {
	field: string;
	why: string;
}

/** One line of raw HTTP with the notes about what is on it. */
export interface AnnotatedLine {
	text: string;
	notes: FieldNote[];
}

const HEADER_NOTES: Record<string, string> = {
	metadata:
		'Required by IMDS: a request without it is refused. A proxy or a server-side request forgery that makes the VM fetch a URL does not add it, so it cannot get a token.',
	'x-identity-header':
		'The secret App Service puts in $IDENTITY_HEADER. Only code inside the app knows it, so a forged request from elsewhere gets no token.',
	authorization:
		'The access token. The service checks its signature, issuer, audience and expiry, then asks Azure RBAC whether its oid may do this.',
	'x-forwarded-for':
		'IMDS refuses a request that carries it: the request came through a proxy, which is how SSRF attacks reach it.',
	'www-authenticate':
		'The challenge: which authority issues tokens for this service and which resource to ask a token for.'
};

const QUERY_NOTES: Record<string, string> = {
	resource:
		"The service the token is for. It becomes the token's aud claim; another service refuses it.",
	'api-version': 'Required: the version of the endpoint’s API. Without it the request is refused.',
	client_id:
		'Picks a user-assigned identity by client id; without it the system-assigned identity is used.',
	object_id:
		'Picks a user-assigned identity by object id; without it the system-assigned identity is used.',
	principal_id:
		'Picks a user-assigned identity by object id; without it the system-assigned identity is used.',
	msi_res_id:
		'Picks a user-assigned identity by its resource id; without it the system-assigned identity is used.',
	mi_res_id:
		'Picks a user-assigned identity by its resource id; without it the system-assigned identity is used.'
};

const BODY_NOTES: readonly [string, string][] = [
	['access_token', 'The JWT itself: open it in the JWT inspector to read aud, oid and exp.'],
	[
		'expires_on',
		'When the token stops working (seconds since 1970). The endpoint caches it and hands out the same one until shortly before then.'
	],
	['client_id', 'The client id of the identity the token is for (appid in the token).']
];

const STATUS_NOTES: Record<number, string> = {
	400: 'The request itself is wrong (a missing header or parameter): the explanation says which.',
	401: 'Not authenticated: no token, or the service did not accept it. See the token check before this step.',
	403: 'Authenticated, but not authorized: the token was fine and Azure RBAC said no. See the decision trace.'
};

function headerLines(headers: Record<string, string>): AnnotatedLine[] {
	return Object.entries(headers).map(([k, v]) => {
		const why = HEADER_NOTES[k.toLowerCase()];
		return { text: `${k}: ${v}`, notes: why ? [{ field: `${k}: ${shorten(v)}`, why }] : [] };
	});
}

function shorten(value: string): string {
	return value.length > 40 ? `${value.slice(0, 39)}…` : value;
}

function queryNotes(url: string): FieldNote[] {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return [];
	}
	const notes: FieldNote[] = [];
	for (const [k, v] of parsed.searchParams) {
		const why = QUERY_NOTES[k.toLowerCase()];
		if (why) notes.push({ field: `${k}=${shorten(v)}`, why });
	}
	return notes;
}

/** A request as it goes on the wire (request line, headers, blank line, body), line by line with notes. */
export function annotatedRequest(r: HttpRequest): AnnotatedLine[] {
	const lines: AnnotatedLine[] = [
		{ text: `${r.method} ${r.url} HTTP/1.1`, notes: queryNotes(r.url) },
		...headerLines(r.headers)
	];
	if (r.body) lines.push({ text: '', notes: [] }, { text: r.body, notes: [] });
	return lines;
}

/** A response as it comes back (status line, headers, blank line, body), line by line with notes. */
export function annotatedResponse(r: HttpResponse): AnnotatedLine[] {
	const status = STATUS_NOTES[r.status];
	const lines: AnnotatedLine[] = [
		{
			text: `HTTP/1.1 ${r.status} ${r.statusText}`,
			notes: status ? [{ field: `${r.status} ${r.statusText}`, why: status }] : []
		},
		...headerLines(r.headers)
	];
	if (r.body) {
		const notes = BODY_NOTES.filter(([field]) => r.body.includes(`"${field}"`)).map(
			([field, why]) => ({ field, why })
		);
		lines.push({ text: '', notes: [] }, { text: r.body, notes });
	}
	return lines;
}

/** The lines as one text (what a copy gives). */
export function rawText(lines: readonly AnnotatedLine[]): string {
	return lines
		.map((l) => l.text)
		.join('\n')
		.trimEnd();
}

const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** The same request as a curl line for the lab's terminal. */
export function curlLine(r: HttpRequest): string {
	const parts = ['curl', '-s'];
	if (r.method !== 'GET' && !(r.method === 'POST' && r.body)) parts.push('-X', r.method);
	for (const [k, v] of Object.entries(r.headers)) parts.push('-H', quote(`${k}: ${v}`));
	if (r.body) parts.push('-d', quote(r.body));
	parts.push(quote(r.url));
	return parts.join(' ');
}
