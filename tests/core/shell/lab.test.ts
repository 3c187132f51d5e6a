import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/core/shell/lab.ts';
import { snapshot, terminal } from './terminal.ts';

describe('clock', () => {
	it('parses durations', () => {
		expect(parseDuration('+10m')).toBe(600);
		expect(parseDuration('90s')).toBe(90);
		expect(parseDuration('1h')).toBe(3600);
		expect(parseDuration('+24h')).toBe(86_400);
		expect(parseDuration('2d')).toBe(172_800);
		expect(parseDuration('5')).toBe(300);
		expect(parseDuration('-5m')).toBeNull();
		expect(parseDuration('soon')).toBeNull();
	});

	it('shows and advances simulated time through advanceClock', async () => {
		const t = await terminal();
		expect((await t.run('clock')).stdout).toBe('2026-03-02T09:00:00Z (simulated time)\n');
		const moved = await t.run('clock +10m');
		expect(moved.stdout).toBe(
			'Simulated time moved forward by 10 min: it is now 2026-03-02T09:10:00Z (simulated time).\n'
		);
		expect(moved.events).toEqual([expect.objectContaining({ kind: 'clock' })]);
		const before = snapshot(t.world);
		const bad = await t.run('clock -1h');
		expect(bad.exitCode).toBe(2);
		expect(bad.stderr).toContain('is not a duration');
		expect(snapshot(bad.world)).toBe(before);
		expect((await t.run('clock +99999d')).exitCode).toBe(1);
	});
});
