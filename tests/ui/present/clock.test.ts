// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
	AutoAdvance,
	INTERVAL_MAX,
	INTERVAL_MIN,
	Stopwatch,
	formatElapsed
} from '../../../src/ui/present/clock.svelte.ts';

describe('presenter clocks', () => {
	it('formats elapsed time', () => {
		expect(formatElapsed(0)).toBe('0:00');
		expect(formatElapsed(61_500)).toBe('1:01');
		expect(formatElapsed(3_725_000)).toBe('1:02:05');
		expect(formatElapsed(-5)).toBe('0:00');
	});

	it('counts the elapsed time from the first step and restarts', () => {
		let now = 1000;
		const watch = new Stopwatch(() => now);
		expect(watch.elapsedMs).toBe(0);
		watch.start();
		now += 90_000;
		watch.tick();
		expect(watch.elapsedMs).toBe(90_000);
		watch.start();
		expect(watch.elapsedMs).toBe(90_000);
		watch.restart();
		expect(watch.running).toBe(false);
		expect(watch.elapsedMs).toBe(0);
	});

	it('auto-advances when the step’s time is up, only while playing', () => {
		let now = 0;
		const auto = new AutoAdvance(() => now);
		auto.interval = 10;
		now = 20_000;
		expect(auto.tick()).toBe(false);
		auto.toggle();
		expect(auto.playing).toBe(true);
		expect(auto.remaining).toBe(10);
		now += 4_000;
		expect(auto.tick()).toBe(false);
		expect(auto.remaining).toBe(6);
		now += 6_000;
		expect(auto.tick()).toBe(true);
		auto.restartCountdown();
		expect(auto.remaining).toBe(10);
		auto.toggle();
		now += 60_000;
		expect(auto.tick()).toBe(false);
	});

	it('keeps the time per step within bounds', () => {
		const auto = new AutoAdvance(() => 0);
		auto.adjust(-1000);
		expect(auto.interval).toBe(INTERVAL_MIN);
		auto.adjust(10_000);
		expect(auto.interval).toBe(INTERVAL_MAX);
	});
});
