/**
 * Runs lesson steps through the same pipeline a learner uses: terminal lines through the shell's interpreter
 * (`runLine`), portal actions through `portalOperations` and `applyOperation`. A lesson's start, *show me*,
 * *show solution* and the CI replays of every reference solution all go through `runStep`.
 */
import {
	applyOperation,
	createEmptyWorld,
	createShellState,
	getResource,
	restoreWorld,
	runLine,
	snapshotWorld,
	type NetworkEnv,
	type Operation,
	type ShellState,
	type World,
	type WorldEvent
} from '../core/index.ts';
import { err, ok, type Result } from '../core/result.ts';
import { portalOperations } from './portal.ts';
import type { Lesson, Step } from './schema.ts';
import { resourceNamed } from './references.ts';

/** The running lab as the runner sees it: the world and the terminal. */
export interface LabState {
	world: World;
	shell: ShellState;
}

/** What running one step did. */
export interface StepOutcome {
	ok: boolean;
	state: LabState;
	/** Terminal lines run (the step's line, after any line that moved the terminal to the step's place). */
	lines: { line: string; stdout: string; stderr: string; exitCode: number }[];
	/** Operations a portal step applied. */
	operations: Operation[];
	events: WorldEvent[];
	/** Why the step failed, for the learner. */
	error?: string;
}

/** Where the terminal is, as lesson data names places: `cloud-shell`, a resource name, a machine name. */
export function placeName(world: World, shell: ShellState): string {
	if (shell.place.kind === 'cloudShell') return 'cloud-shell';
	if (shell.place.kind === 'outside') return shell.place.machine;
	return getResource(world, shell.place.resourceId)?.name ?? shell.place.resourceId;
}

/** The lines that take the terminal from where it is to `target` (`exit`s, then `ssh` or `az webapp ssh`). */
export function linesToPlace(world: World, shell: ShellState, target: string): string[] {
	const here = placeName(world, shell);
	if (here === target) return [];
	const lines = Array.from({ length: shell.previous.length }, () => 'exit');
	if (target === 'cloud-shell') return lines;
	const r = resourceNamed(world, target);
	if (r && (r.kind === 'webApp' || r.kind === 'functionApp'))
		lines.push(
			`az ${r.kind === 'webApp' ? 'webapp' : 'functionapp'} ssh -g ${r.resourceGroup} -n ${r.name}`
		);
	else if (r?.kind === 'virtualMachineScaleSet' && r.instances[0])
		lines.push(`ssh ${r.name}_${r.instances[0].instanceId}`);
	else lines.push(`ssh ${target}`);
	return lines;
}

/** Options of runStep. */
export interface RunOptions {
	/** Move the terminal to the step's place first (show me); otherwise a step typed elsewhere fails. */
	navigate?: boolean;
}

/** Runs one step. Never throws: a failed step says why and leaves the state as it was before that line. */
export async function runStep(
	state: LabState,
	step: Step,
	env: NetworkEnv,
	options: RunOptions = {}
): Promise<StepOutcome> {
	if ('portal' in step) {
		const ops = portalOperations(state.world, step);
		if (!ops.ok)
			return { ok: false, state, lines: [], operations: [], events: [], error: ops.error };
		let world = state.world;
		const events: WorldEvent[] = [];
		for (const operation of ops.value) {
			const applied = applyOperation(world, operation);
			if (!applied.ok)
				return {
					ok: false,
					state,
					lines: [],
					operations: [],
					events: [],
					error: applied.error.message
				};
			world = applied.value.world;
			events.push(...applied.value.events);
		}
		return { ok: true, state: { ...state, world }, lines: [], operations: ops.value, events };
	}
	const target = step.in ?? 'cloud-shell';
	const here = placeName(state.world, state.shell);
	const lines = options.navigate ? linesToPlace(state.world, state.shell, target) : [];
	if (!options.navigate && here !== target)
		return {
			ok: false,
			state,
			lines: [],
			operations: [],
			events: [],
			error: `This line is typed in ${target}, but the terminal is in ${here}.`
		};
	let current = state;
	const outcome: StepOutcome = { ok: true, state, lines: [], operations: [], events: [] };
	for (const line of [...lines, step.run]) {
		const result = await runLine(current.world, current.shell, line, env);
		outcome.lines.push({
			line,
			stdout: result.stdout,
			stderr: result.stderr,
			exitCode: result.exitCode
		});
		outcome.events.push(...result.events);
		current = { world: result.world, shell: result.state };
		if (result.exitCode !== 0) {
			return {
				...outcome,
				ok: false,
				state: current,
				error: `'${line}' exited with ${result.exitCode}: ${result.stderr.trim() || result.stdout.trim()}`
			};
		}
	}
	return { ...outcome, state: current };
}

/** Runs steps in order, stopping at the first that fails (its index is in `failedAt`). */
export async function runSteps(
	state: LabState,
	steps: readonly Step[],
	env: NetworkEnv,
	options: RunOptions = {}
): Promise<{ state: LabState; outcomes: StepOutcome[]; failedAt: number | null }> {
	let current = state;
	const outcomes: StepOutcome[] = [];
	for (const [i, step] of steps.entries()) {
		const outcome = await runStep(current, step, env, options);
		outcomes.push(outcome);
		current = outcome.state;
		if (!outcome.ok) return { state: current, outcomes, failedAt: i };
	}
	return { state: current, outcomes, failedAt: null };
}

/** What building a lesson's start needs from its caller. */
export interface StartOptions {
	/** The default world (the UI's, with its signing key published). */
	defaultWorld: World;
	env: NetworkEnv;
	/** Worlds a lesson may start from by file name (recorded in the sandbox). */
	worlds?: Record<string, World>;
	/** The end of the previous lesson, for `from: previous`. */
	previousEnd?: () => Promise<Result<LabState, string>>;
}

/**
 * A lesson's start: its base world (default, empty, previous lesson's end, or a recorded world) with its setup
 * steps run, a fresh terminal in Cloud Shell, and the history after setup as the point from which the learner's
 * events count (`startSeq`).
 */
export async function buildStart(
	lesson: Pick<Lesson, 'folder' | 'scenario' | 'worlds'>,
	options: StartOptions
): Promise<Result<LabState & { startSeq: number }, string>> {
	const { from, steps = [] } = lesson.scenario.start;
	let base: World;
	if (from === 'default') base = options.defaultWorld;
	else if (from === 'empty')
		base = { ...createEmptyWorld(), signingKeys: options.defaultWorld.signingKeys };
	else if (from === 'previous') {
		if (!options.previousEnd)
			return err(`lessons/${lesson.folder}: starts from the previous lesson, which was not given`);
		const previous = await options.previousEnd();
		if (!previous.ok) return previous;
		base = previous.value.world;
	} else {
		const text = lesson.worlds?.[from];
		const restored = text === undefined ? null : restoreWorld(text);
		if (restored && !restored.ok)
			return err(`lessons/${lesson.folder}/${from}: ${restored.error.message}`);
		const world = options.worlds?.[from] ?? restored?.value;
		if (!world)
			return err(`lessons/${lesson.folder}: start.from names ${from}, which was not found`);
		// A recorded world has no private keys: the lab's signing key is the one it publishes.
		base = restored ? { ...world, signingKeys: options.defaultWorld.signingKeys } : world;
	}
	const state: LabState = { world: base, shell: createShellState(base) };
	const setup = await runSteps(state, steps, options.env, { navigate: true });
	if (setup.failedAt !== null) {
		const failed = setup.outcomes[setup.failedAt];
		return err(
			`lessons/${lesson.folder}: start.steps.${setup.failedAt} failed: ${failed?.error ?? 'unknown'}`
		);
	}
	const world = replicated(base, setup.state.world);
	return ok({
		world,
		shell: createShellState(world),
		startSeq: world.events[world.events.length - 1]?.seq ?? 0
	});
}

/**
 * The setup world once Entra ID has replicated the principals its steps created: the clock moves on by what is left
 * of the replication delay (at most its length), so that the learner's first `az role assignment create` does
 * not meet a PrincipalNotFound caused by steps they never saw. Role assignment propagation is left alone: a
 * lesson that needs its setup assignments in effect moves the clock itself (`clock +10m`).
 */
function replicated(base: World, world: World): World {
	const delay = world.settings.principalReplicationDelaySeconds ?? 0;
	let visibleAt = world.now;
	for (const sp of Object.values(world.directory.servicePrincipals))
		if (base.directory.servicePrincipals[sp.id.toLowerCase()] === undefined)
			visibleAt = Math.max(visibleAt, sp.createdAt + delay) as World['now'];
	if (visibleAt <= world.now) return world;
	const moved = applyOperation(world, { type: 'advanceClock', seconds: visibleAt - world.now });
	return moved.ok ? moved.value.world : world;
}

/** The world as text: what undo, saved progress and share links keep. */
export function worldText(state: LabState): string {
	return snapshotWorld(state.world);
}
