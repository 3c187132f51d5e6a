/**
 * Contoso's stock app as a web server: on `vm-stock-app` (public name `vm-stock-app.<region>.cloudapp.azure.com`)
 * and on web apps (`<name>.azurewebsites.net`). Its `/api/preview?url=` route fetches any URL server-side to
 * show a link preview — a server-side request forgery (SSRF): the request leaves from inside the host, so it
 * reaches link-local endpoints such as IMDS. It forwards no headers of its own choosing, which is why IMDS's
 * `Metadata: true` requirement stops it. Its `/api/quotes` route reads today's quotes from Blob Storage the way
 * its configuration says (stock-app-quotes.ts).
 */
import type { HandlerResult, HttpRequest } from '../http/types.ts';
import type { IdentityHost, World } from '../azure/model.ts';
import { STOCK_APP_CONFIG, handleQuotes, type FetchFrom } from './stock-app-quotes.ts';

/** The file that marks a VM as running the stock app (and configures it). */
export { STOCK_APP_CONFIG };

/** The resource that serves the stock app at this host name, if any. */
export function stockAppHost(world: World, host: string): IdentityHost | undefined {
	const lower = host.toLowerCase();
	for (const r of Object.values(world.resources)) {
		if (
			r.kind === 'virtualMachine' &&
			Object.hasOwn(r.files, STOCK_APP_CONFIG) &&
			`${r.name}.${r.location}.cloudapp.azure.com`.toLowerCase() === lower
		)
			return r;
		if (r.kind === 'webApp' && r.defaultHostName.toLowerCase() === lower) return r;
	}
	return undefined;
}

const text = (status: number, statusText: string, body: string) => ({
	status,
	statusText,
	headers: { 'Content-Type': 'text/plain; charset=utf-8', Server: 'stock-app/1.0' },
	body
});

/**
 * Answers a request to the stock app. `fetchFrom` sends a request from a network source in a given world (the
 * simulated network's `send`), passed in so that this module does not import the network that routes to it.
 */
export async function handleStockApp(
	world: World,
	request: HttpRequest,
	url: URL,
	host: IdentityHost,
	fetchFrom: FetchFrom
): Promise<HandlerResult> {
	const path = url.pathname.replace(/\/+$/, '') || '/';
	const requestHop = {
		id: 'stock-app-request',
		from: 'app' as const,
		to: 'service' as const,
		kind: 'request' as const,
		title: `${request.method} ${url.pathname}${url.search}`,
		request,
		ok: true,
		detail: `The request reaches Contoso's stock app on ${host.name}.`
	};
	if (path === '/') {
		return {
			response: text(
				200,
				'OK',
				"Contoso stock tracker. /api/quotes shows today's quotes; /api/preview?url=<a link> previews a link.\n"
			),
			operations: [],
			hops: [requestHop]
		};
	}
	if (path !== '/api/preview' && path !== '/api/quotes') {
		return {
			response: text(404, 'Not Found', `No route ${url.pathname}.\n`),
			operations: [],
			hops: [requestHop],
			explanation: 'The stock app has three routes: /, /api/quotes and /api/preview?url=…'
		};
	}
	if (request.method !== 'GET') {
		return {
			response: text(405, 'Method Not Allowed', 'Use GET.\n'),
			operations: [],
			hops: [requestHop],
			explanation: `${path} answers GET only.`
		};
	}
	if (path === '/api/quotes') return handleQuotes(world, host, requestHop, fetchFrom);
	const target = url.searchParams.get('url');
	if (!target) {
		return {
			response: text(400, 'Bad Request', 'Missing url parameter.\n'),
			operations: [],
			hops: [requestHop],
			explanation: 'Give the link to preview: /api/preview?url=https%3A%2F%2F… (URL-encoded).'
		};
	}
	const source = { kind: 'resource' as const, resourceId: host.id };
	// The app sends only its own User-Agent: nothing from the caller's request is forwarded.
	const upstream = await fetchFrom(
		source,
		{ method: 'GET', url: target, headers: { 'User-Agent': 'stock-app/1.0' } },
		world
	);
	const toImds = target.includes('169.254.169.254');
	if (!upstream.ok) {
		return {
			response: text(
				502,
				'Bad Gateway',
				`Could not fetch ${target}: ${upstream.failure.message}\n`
			),
			operations: upstream.operations,
			hops: [requestHop, ...upstream.hops],
			explanation: `The stock app fetched ${target} from inside ${host.name} and got no answer: ${upstream.failure.explanation}`
		};
	}
	const explanation = toImds
		? upstream.response.status === 400
			? `Server-side request forgery: the stock app fetched ${target} from inside ${host.name}, so IMDS answered — but refused, because the app did not send the Metadata: true header and a URL cannot add one. This header is IMDS's defence against SSRF; it does not help if an attacker can run code on the VM.`
			: `The stock app fetched ${target} from inside ${host.name} and IMDS answered with ${upstream.response.status}.`
		: upstream.explanation;
	return {
		response: {
			...upstream.response,
			headers: { ...upstream.response.headers, Server: 'stock-app/1.0' }
		},
		operations: upstream.operations,
		hops: [requestHop, ...upstream.hops],
		...(explanation !== undefined && upstream.response.status >= 400 ? { explanation } : {})
	};
}
