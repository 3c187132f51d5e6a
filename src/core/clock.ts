/** Simulated time in whole seconds since the Unix epoch. Nothing in the core reads the real clock. */
export type EpochSeconds = number & { readonly __brand: 'EpochSeconds' };

/** Brands a number of seconds as simulated epoch time (floors fractions). */
export function epochSeconds(value: number): EpochSeconds {
	return Math.floor(value) as EpochSeconds;
}

/** Adds a number of seconds to a simulated instant. */
export function addSeconds(at: EpochSeconds, seconds: number): EpochSeconds {
	return epochSeconds(at + seconds);
}

/** The instant every default world starts at: 2026-03-02T09:00:00Z, a Monday morning. */
export const DEFAULT_START: EpochSeconds = epochSeconds(Date.UTC(2026, 2, 2, 9, 0, 0) / 1000);

/** The latest instant a world's clock may show: 9999-12-31T23:59:59Z, the last one ISO 8601 writes in 4 digits. */
export const LATEST_TIME: EpochSeconds = epochSeconds(Date.UTC(9999, 11, 31, 23, 59, 59) / 1000);

/** Ten years of 365 days, in seconds: the longest single step of the clock and the longest setting. */
export const TEN_YEARS_SECONDS = 10 * 365 * 86_400;

/** ISO-8601 text of a simulated instant, as ARM and the activity log print it. */
export function isoTime(at: EpochSeconds): string {
	// Every cache hit names the same issue time: remember the last one rather than make a Date each time.
	if (at !== lastIso.at) lastIso = { at, text: new Date(at * 1000).toISOString() };
	return lastIso.text;
}

let lastIso: { at: number; text: string } = { at: NaN, text: '' };

/** Human duration such as "4 min 30 s" for explanations written to a learner. */
export function describeDuration(seconds: number): string {
	const s = Math.max(0, Math.round(seconds));
	if (s < 60) return `${s} s`;
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const rest = s % 60;
	const parts: string[] = [];
	if (h) parts.push(`${h} h`);
	if (m) parts.push(`${m} min`);
	if (rest && !h) parts.push(`${rest} s`);
	return parts.join(' ');
}
