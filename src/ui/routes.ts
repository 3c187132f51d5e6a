/**
 * Hash routes, so that the lab works on any static host and from any sub-path: `#/` (home), `#/sandbox`
 * (optionally `#/sandbox/flow/<hop>`), `#/lesson/<id>[/<step>]` and `#/present/<id>[/<step>]`.
 */

/** Where the learner is. */
export type Route =
	| { name: 'home' }
	| { name: 'sandbox'; flowStep: number | null }
	| { name: 'lesson'; id: string; step: number | null }
	| { name: 'present'; id: string; step: number | null }
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
	const path = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/\/+$/, '');
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

/** The hash of a route (`#/sandbox`). */
export function routeHash(route: Route): string {
	switch (route.name) {
		case 'home':
			return '#/';
		case 'sandbox':
			return route.flowStep === null ? '#/sandbox' : `#/sandbox/flow/${route.flowStep}`;
		case 'lesson':
		case 'present':
			return `#/${route.name}/${encodeURIComponent(route.id)}${route.step === null ? '' : `/${route.step}`}`;
		case 'notFound':
			return `#${route.path}`;
	}
}
