/**
 * Hash routes, so that the lab works on any static host and from any sub-path: `#/` (home), `#/sandbox`
 * (optionally `#/sandbox/flow/<hop>`), `#/lesson/<id>[/<step>]` and `#/present/<id>[/<step>]` (with `?audience`
 * for the audience window that follows a presenter).
 */

/** Where the learner is. */
export type Route =
	| { name: 'home' }
	| { name: 'sandbox'; flowStep: number | null }
	| { name: 'lesson'; id: string; step: number | null }
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
	// Only the presenter's audience window has a query (`?audience`); any other query is not a page.
	const q = full.indexOf('?');
	const query = q < 0 ? null : full.slice(q + 1);
	const path = (q < 0 ? full : full.slice(0, q)).replace(/^\/+/, '').replace(/\/+$/, '');
	if (path === '' && query === null) return { name: 'home' };
	const parts = path.split('/').map((p) => {
		try {
			return decodeURIComponent(p);
		} catch {
			return p;
		}
	});
	const [head, a, b, c] = parts;
	if (query !== null) {
		const step = stepOf(b);
		if (
			head === 'present' &&
			query === 'audience' &&
			a !== undefined &&
			LESSON_ID.test(a) &&
			c === undefined &&
			step !== undefined
		)
			return { name: 'present', id: a, step, audience: true };
		return { name: 'notFound', path: `/${path}?${query}` };
	}
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

/** The hash of a route (`#/sandbox`). */
export function routeHash(route: Route): string {
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
