/**
 * Hash routes, so that the lab works on any static host and from any sub-path: `#/` (home), `#/sandbox`
 * (optionally `#/sandbox/flow/<hop>`), `#/lesson/<id>[/<step>]` and `#/present/<id>[/<step>]`.
 * The sandbox and lesson routes may carry a shared world: `#/sandbox?share=<data>`,
 * `#/lesson/<id>/<step>?share=<data>` (`<data>` is lz-string's URI-safe text, kept as it is); a bare
 * `#share=<data>` opens the sandbox with it.
 * A presenter's audience window is `#/present/<id>[/<step>]?audience`.
 */

/** Where the learner is. */
export type Route =
	| { name: 'home' }
	| { name: 'sandbox'; flowStep: number | null; share?: string }
	| { name: 'lesson'; id: string; step: number | null; share?: string }
	| { name: 'present'; id: string; step: number | null; audience?: boolean }
	| { name: 'notFound'; path: string };

const LESSON_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

function stepOf(part: string | undefined): number | null | undefined {
	if (part === undefined || part === '') return null;
	if (!/^\d{1,4}$/.test(part)) return undefined;
	const n = Number(part);
	return n >= 1 ? n : undefined;
}

/** Reads a location hash (`#/lesson/system-assigned/2`) as a route; anything unknown is `notFound`. */
export function parseRoute(hash: string): Route {
	const full = hash.replace(/^#/, '');
	if (full.startsWith('share=')) {
		const data = full.slice('share='.length);
		return data === ''
			? { name: 'sandbox', flowStep: null }
			: { name: 'sandbox', flowStep: null, share: data };
	}
	const [rawPath = '', query] = splitQuery(full);
	const route = parsePath(rawPath.replace(/^\/+/, '').replace(/\/+$/, ''));
	// Only the presenter's audience window has `?audience`; on any other page it is not a page.
	if (route.name === 'present') {
		if (query === null) return route;
		return query === 'audience'
			? { ...route, audience: true }
			: { name: 'notFound', path: `/${full}` };
	}
	if (query !== null && query.split('&').includes('audience'))
		return { name: 'notFound', path: `/${full}` };
	const share = query === null ? undefined : shareParam(query);
	if (share !== undefined && (route.name === 'sandbox' || route.name === 'lesson'))
		return { ...route, share };
	return route;
}

function splitQuery(text: string): [string, string | null] {
	const at = text.indexOf('?');
	return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * The `share` parameter, as written: lz-string's URI-safe alphabet needs no decoding, and URLSearchParams
 * would turn its `+` into a space.
 */
function shareParam(query: string): string | undefined {
	for (const pair of query.split('&')) {
		if (pair.startsWith('share=') && pair.length > 'share='.length) return pair.slice(6);
	}
	return undefined;
}

function parsePath(path: string): Route {
	if (path === '') return { name: 'home' };
	const parts = path.split('/').map((p) => {
		try {
			return decodeURIComponent(p);
		} catch {
			return p;
		}
	});
	const [head, a, b, c] = parts;
	if (head === 'sandbox') {
		if (a === undefined) return { name: 'sandbox', flowStep: null };
		const step = stepOf(b);
		if (a === 'flow' && c === undefined && typeof step === 'number')
			return { name: 'sandbox', flowStep: step };
	}
	if (
		(head === 'lesson' || head === 'present') &&
		a !== undefined &&
		LESSON_ID.test(a) &&
		c === undefined
	) {
		const step = stepOf(b);
		if (step !== undefined) return { name: head, id: a, step };
	}
	return { name: 'notFound', path: `/${path}` };
}

/** The hash of a route (`#/sandbox`), with its shared world when it carries one. */
export function routeHash(route: Route): string {
	const hash = pathHash(route);
	return (route.name === 'sandbox' || route.name === 'lesson') && route.share
		? `${hash}?share=${route.share}`
		: hash;
}

function pathHash(route: Route): string {
	switch (route.name) {
		case 'home':
			return '#/';
		case 'sandbox':
			return route.flowStep === null ? '#/sandbox' : `#/sandbox/flow/${route.flowStep}`;
		case 'lesson':
		case 'present':
			return `#/${route.name}/${encodeURIComponent(route.id)}${route.step === null ? '' : `/${route.step}`}${route.name === 'present' && route.audience ? '?audience' : ''}`;
		case 'notFound':
			return `#${route.path}`;
	}
}
