/**
 * Lab controls that Azure does not have: moving simulated time forward (`clock +10m`, `az lab clock advance`),
 * the role-assignment propagation delay, and the tenant's signing keys. Clearly labelled as lab-only.
 */
import type { World } from '../azure/model.ts';
import { applyOperation } from '../azure/operations/index.ts';
import { describeDuration, isoTime } from '../clock.ts';
import type { CommandOutcome, ShellCommand } from './types.ts';

/** Seconds in a duration such as `10m`, `+1h`, `90s`, `24h`, `2d` or a bare number of minutes. */
export function parseDuration(text: string): number | null {
	const match = /^\+?(\d+)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?)?$/i.exec(
		text.trim()
	);
	if (!match) return null;
	const value = Number(match[1]);
	const unit = (match[2] ?? 'm').toLowerCase();
	const factor = unit.startsWith('s')
		? 1
		: unit.startsWith('h')
			? 3600
			: unit.startsWith('d')
				? 86_400
				: 60;
	return value * factor;
}

/** The clock's time as the lab shows it. */
export function clockText(world: World): string {
	return `${isoTime(world.now).replace('.000Z', 'Z')} (simulated time)`;
}

/** Moves the clock forward by `seconds`, through the advanceClock operation. */
export function advanceClockOutcome(world: World, seconds: number, caller: string): CommandOutcome {
	const applied = applyOperation(world, { type: 'advanceClock', seconds }, { caller });
	if (!applied.ok) return { exitCode: 1, stderr: `clock: ${applied.error.message}\n` };
	return {
		exitCode: 0,
		stdout: `Simulated time moved forward by ${describeDuration(seconds)}: it is now ${clockText(applied.value.world)}.\n`,
		world: applied.value.world,
		events: applied.value.events
	};
}

/** `clock`: show or advance simulated time. */
export const clock: ShellCommand = {
	name: 'clock',
	summary: '[Lab] Show the simulated time, or move it forward: clock +10m, clock +1h, clock +24h.',
	usage: ['clock', 'clock +10m', 'clock +1h', 'clock +90s'],
	run({ world, argv }) {
		const arg = argv[1];
		if (arg === undefined) return { exitCode: 0, stdout: `${clockText(world)}\n` };
		const seconds = parseDuration(arg);
		if (seconds === null || seconds <= 0) {
			return {
				exitCode: 2,
				stderr: `clock: '${arg}' is not a duration. Use a number with s, m, h or d: clock +10m, clock +1h, clock +24h. Time only moves forward.\n`
			};
		}
		return advanceClockOutcome(world, seconds, 'lab');
	}
};
