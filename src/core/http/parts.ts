/**
 * Pieces of HTTP that Entra ID, the identity endpoints and the services share:
 * the reason phrases on their status lines and the request and response hops of an exchange.
 */
import type { Hop, HttpRequest, HttpResponse, Participant } from './types.ts';

/** The standard reason phrase of a status code. */
export function reasonPhrase(status: number): string {
	const phrases: Record<number, string> = {
		200: 'OK',
		201: 'Created',
		400: 'Bad Request',
		401: 'Unauthorized',
		403: 'Forbidden',
		404: 'Not Found',
		405: 'Method Not Allowed'
	};
	return phrases[status] ?? 'Error';
}

/** Which arrow of the sequence diagram a hop is: its id, sender and receiver. */
export interface HopRoute {
	id: string;
	from: Participant;
	to: Participant;
}

/** The hop of a request, titled `METHOD /path`. */
export function requestHop(route: HopRoute, request: HttpRequest, url: URL, detail: string): Hop {
	// Fields listed, not spread: `{ ...route, … }` costs many times a literal in V8 on every token request.
	return {
		id: route.id,
		from: route.from,
		to: route.to,
		kind: 'request',
		title: `${request.method.toUpperCase()} ${url.pathname}`,
		request,
		ok: true,
		detail
	};
}

/** The hop of a response, titled by its status line unless `title` is given. */
export function responseHop(
	route: HopRoute,
	response: HttpResponse,
	ok: boolean,
	detail: string,
	title = `${response.status} ${response.statusText}`
): Hop {
	return {
		id: route.id,
		from: route.from,
		to: route.to,
		kind: 'response',
		title,
		response,
		ok,
		detail
	};
}
