/** The lab's context: every component of the lab reads the session and the view from here. */
import { getContext, setContext } from 'svelte';
import type { LabSession } from './session.svelte.ts';
import type { LabView } from './view.svelte.ts';

/** What the lab page gives its components. */
export interface LabContext {
	session: LabSession;
	view: LabView;
}

const KEY = Symbol('lab');

/** Makes the session and view available to the components below (called by the lab page). */
export function setLab(context: LabContext): LabContext {
	return setContext(KEY, context);
}

/** The lab's session and view; fails loudly in a component used outside the lab page. */
export function getLab(): LabContext {
	const context = getContext<LabContext | undefined>(KEY);
	if (!context)
		throw new Error('This component belongs inside the lab page (no lab context found).');
	return context;
}

/** The context key, for tests that render one component with `render(C, { context })`. */
export function labContextMap(context: LabContext): Map<symbol, LabContext> {
	return new Map([[KEY, context]]);
}
