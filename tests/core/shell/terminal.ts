/** A terminal for tests: runs lines one after another and keeps the world and the shell state. */
import { snapshotWorld } from '../../../src/core/index.ts';
import type { World } from '../../../src/core/index.ts';
import type { NetworkEnv, NetworkSource } from '../../../src/core/http/types.ts';
import { createKeyRing } from '../../../src/core/token/key-ring.ts';
import { createShellState, runLine } from '../../../src/core/shell/index.ts';
import type { LineResult, ShellState } from '../../../src/core/shell/index.ts';
import { keyedWorld as keyedDefaultWorld, loadFixtureKey } from '../../fixtures/worlds.ts';

/** One key ring for all terminals: it holds the fixture key, and any key a world without one rolls over to. */
const sharedRing = createKeyRing();

export interface Terminal {
	world: World;
	state: ShellState;
	env: NetworkEnv;
	/** Runs a line and keeps its world and state. */
	run(line: string): Promise<LineResult>;
	/** Runs lines in order; fails the test when one exits non-zero. */
	script(lines: readonly string[]): Promise<LineResult[]>;
}

let keyed: Promise<World> | null = null;

/**
 * The default world with the fixture signing key published, whose private half is in the shared ring: tests
 * then sign tokens without generating an RSA key. Its history starts empty, like the default world's.
 */
export function keyedWorld(): Promise<World> {
	// The shell suites predate Entra's replication delay; the replication story sets it itself (tests/core/stories).
	keyed ??= keyedDefaultWorld().then(({ world }) => ({
		...world,
		settings: { ...world.settings, principalReplicationDelaySeconds: 0 },
		events: []
	}));
	return keyed;
}

/** A terminal in Cloud Shell (or `place`) over the keyed default world (or `world`). */
export async function terminal(world?: World, place?: NetworkSource): Promise<Terminal> {
	sharedRing.add(await loadFixtureKey());
	const start = world ?? (await keyedWorld());
	const t: Terminal = {
		world: start,
		state: createShellState(start, place),
		env: { keyRing: sharedRing },
		async run(line) {
			const result = await runLine(t.world, t.state, line, t.env);
			t.world = result.world;
			t.state = result.state;
			return result;
		},
		async script(lines) {
			const results: LineResult[] = [];
			for (const line of lines) {
				const result = await t.run(line);
				if (result.exitCode !== 0) {
					throw new Error(`'${line}' exited ${result.exitCode}:\n${result.stderr}${result.stdout}`);
				}
				results.push(result);
			}
			return results;
		}
	};
	return t;
}

/** The world as text, for "nothing changed" checks. */
export function snapshot(world: World): string {
	return snapshotWorld(world);
}

/** Parses a command's JSON output. */
export function json<T = Record<string, unknown>>(result: LineResult): T {
	return JSON.parse(result.stdout) as T;
}
