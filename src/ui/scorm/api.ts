/**
 * Finding a SCORM 1.2 LMS: the runtime API object an LMS puts on `window.API` of a frame around (or a window
 * that opened) the content. The search is ADL's: up the `parent` chain, then the `opener` and its parents.
 */

/** The SCORM 1.2 runtime API (every call answers with a string; booleans are `"true"` / `"false"`). */
export interface Scorm12Api {
	LMSInitialize(parameter: ''): string;
	LMSFinish(parameter: ''): string;
	LMSGetValue(element: string): string;
	LMSSetValue(element: string, value: string): string;
	LMSCommit(parameter: ''): string;
	LMSGetLastError(): string;
	LMSGetErrorString(code: string): string;
	LMSGetDiagnostic(code: string): string;
}

/** How far up a chain of frames the search goes (the ADL wrapper stops at 7 levels; pipwerks at 500). */
const MAX_DEPTH = 500;

const CALLS = ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit'] as const;

function apiOf(win: Window): Scorm12Api | null {
	try {
		const candidate = (win as unknown as { API?: unknown }).API;
		if (typeof candidate !== 'object' || candidate === null) return null;
		const api = candidate as Record<string, unknown>;
		return CALLS.every((name) => typeof api[name] === 'function')
			? (candidate as Scorm12Api)
			: null;
	} catch {
		// A cross-origin frame: its API cannot be used from here (SCORM needs content and LMS on one origin).
		return null;
	}
}

function searchUp(start: Window): Scorm12Api | null {
	let win: Window = start;
	for (let depth = 0; depth < MAX_DEPTH; depth++) {
		const api = apiOf(win);
		if (api) return api;
		let parent: Window | null;
		try {
			parent = win.parent;
		} catch {
			return null;
		}
		if (!parent || parent === win) return null;
		win = parent;
	}
	return null;
}

/**
 * The LMS's SCORM 1.2 API seen from `win`, or null outside an LMS: `win` and its parents first, then the
 * window that opened it and that window's parents.
 */
export function findScormApi(win: Window = window): Scorm12Api | null {
	const found = searchUp(win);
	if (found) return found;
	let opener: Window | null;
	try {
		opener = win.opener as Window | null;
	} catch {
		opener = null;
	}
	return opener ? searchUp(opener) : null;
}

/** Whether the lab runs inside an LMS (a SCORM 1.2 API is reachable): no service worker, no presenter windows. */
export function insideLms(win: Window = window): boolean {
	return findScormApi(win) !== null;
}
