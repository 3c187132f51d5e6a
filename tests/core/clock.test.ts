import { describe, expect, it } from 'vitest';
import {
	DEFAULT_START,
	addSeconds,
	describeDuration,
	epochSeconds,
	isoTime
} from '../../src/core/clock.ts';

describe('simulated time', () => {
	it('starts the default world on Monday 2 March 2026, 09:00 UTC', () => {
		expect(isoTime(DEFAULT_START)).toBe('2026-03-02T09:00:00.000Z');
		expect(new Date(DEFAULT_START * 1000).getUTCDay()).toBe(1);
	});

	it('keeps whole seconds', () => {
		expect(epochSeconds(1.9)).toBe(1);
		expect(epochSeconds(-1.5)).toBe(-2);
		expect(addSeconds(DEFAULT_START, 299.7)).toBe(DEFAULT_START + 299);
		expect(isoTime(addSeconds(DEFAULT_START, 86_700))).toBe('2026-03-03T09:05:00.000Z');
	});

	it.each([
		[0, '0 s'],
		[-5, '0 s'],
		[1, '1 s'],
		[59, '59 s'],
		[59.6, '1 min'],
		[60, '1 min'],
		[270, '4 min 30 s'],
		[300, '5 min'],
		[3600, '1 h'],
		[3661, '1 h 1 min'],
		[5400, '1 h 30 min'],
		[86_400, '24 h'],
		[86_700, '24 h 5 min']
	])('describes %d seconds as %j', (seconds, text) => {
		expect(describeDuration(seconds)).toBe(text);
	});
});
