/** The emulator's gate: readers side by side, changes alone and in arrival order. */
import { describe, expect, it } from 'vitest';
import { Gate } from '../../src/emulator/gate.ts';

/** A task that records its start and waits until `release()` is called. */
function held(name: string, log: string[]) {
	let release: () => void = () => undefined;
	const done = new Promise<void>((resolve) => (release = resolve));
	return {
		task: async () => {
			log.push(`start ${name}`);
			await done;
			log.push(`end ${name}`);
			return name;
		},
		release: () => release()
	};
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Gate', () => {
	it('runs readers side by side: a reader that waits does not hold up the next', async () => {
		const gate = new Gate();
		const log: string[] = [];
		const slow = held('miss', log);
		const fast = held('hit', log);
		const first = gate.shared(slow.task);
		const second = gate.shared(fast.task);
		await tick();
		fast.release();
		expect(await second).toBe('hit');
		expect(log).toEqual(['start miss', 'start hit', 'end hit']);
		slow.release();
		expect(await first).toBe('miss');
	});

	it('runs a change alone: after the readers before it, before the readers after it', async () => {
		const gate = new Gate();
		const log: string[] = [];
		const reader = held('r1', log);
		const change = held('w', log);
		const later = held('r2', log);
		const r1 = gate.shared(reader.task);
		const w = gate.exclusive(change.task);
		const r2 = gate.shared(later.task);
		await tick();
		expect(log).toEqual(['start r1']);
		reader.release();
		await r1;
		await tick();
		expect(log).toEqual(['start r1', 'end r1', 'start w']);
		later.release();
		await tick();
		expect(log).toEqual(['start r1', 'end r1', 'start w']);
		change.release();
		await w;
		await r2;
		expect(log).toEqual(['start r1', 'end r1', 'start w', 'end w', 'start r2', 'end r2']);
	});

	it('lets a failed task go without blocking the ones after it', async () => {
		const gate = new Gate();
		const failing = gate.exclusive(() => Promise.reject(new Error('boom')));
		const thrown = gate.exclusive(() => {
			throw new Error('sync boom');
		});
		await expect(failing).rejects.toThrow('boom');
		await expect(thrown).rejects.toThrow('sync boom');
		expect(await gate.shared(() => Promise.resolve('after'))).toBe('after');
		expect(await gate.exclusive(() => Promise.resolve('alone'))).toBe('alone');
	});
});
