import { describe, expect, it } from 'vitest';
import { defaultWorld } from 'virtual:default-world';
import { createDefaultWorld, restoreWorld, snapshotWorld } from '../../src/core/index.ts';

describe('the default world made at build time', () => {
	it('is the world the core builds, and passes the core’s own restore checks', () => {
		const built = defaultWorld();
		expect(built).toEqual(createDefaultWorld());
		const restored = restoreWorld(snapshotWorld(built));
		expect(restored.ok).toBe(true);
	});

	it('gives a fresh copy each time, so that no session shares another’s objects', () => {
		const a = defaultWorld();
		const b = defaultWorld();
		expect(a).not.toBe(b);
		expect(a.resources).not.toBe(b.resources);
	});
});
