/**
 * The lab session: the one owner of the running lab. It holds the world, the tenant's key ring, the terminal's
 * shell state (Cloud Shell and every `ssh`/console session stacked in it), the terminal transcript, the HTTP
 * exchanges, the undo stack and the clock. Every surface sends it an operation or a terminal line; blades,
 * terminal, inspector, event log, diagrams and lesson checks read from it. It knows nothing about how it is
 * drawn, so it is unit-tested without a DOM.
 */
import {
	applyOperations,
	createKeyRing,
	createShellState,
	prompt,
	runLine,
	type Hop,
	type KeyRing,
	type LineResult,
	type Operation,
	type OperationError,
	type ShellState,
	type World,
	type WorldEvent
} from '../../core/index.ts';
import { tokensIn, whyLines } from './terminal-text.ts';

/** Which surface caused a change: the event log and the "What happened" strip tell them apart. */
export type Origin = 'portal' | 'terminal' | 'clock' | 'lesson' | 'system';

/** One command in the terminal transcript with everything it printed. */
export interface TranscriptEntry {
	id: number;
	/** The prompt the line was typed at (`sarah@Azure:~$`). */
	prompt: string;
	line: string;
	stdout: string;
	/** stderr without the `#` lines that explain a refusal (those are in `why`). */
	stderr: string;
	/** The `# …` lines the core adds to explain a refusal and what to change. */
	why: string[];
	exitCode: number;
	/** JWTs that appear in the output, for "open in inspector". */
	tokens: string[];
	/** True when the learner pressed Ctrl+C while it waited. */
	interrupted: boolean;
}

/** The HTTP exchanges one command or action made (token requests and service calls), in order. */
export interface Exchange {
	id: number;
	/** Simulated time when it happened. */
	at: number;
	origin: Origin;
	/** The terminal line or the action's name. */
	label: string;
	hops: Hop[];
}

/** What one portal action did: its operation, the events it caused, and how to do the same in the terminal. */
export interface ActionRecord {
	id: number;
	label: string;
	operations: Operation[];
	events: WorldEvent[];
	/** The equivalent Azure CLI line, if there is one. */
	azCommand: string | null;
	/** The ARM request the portal would have sent and the response it got (method, URL, bodies). */
	arm: ArmExchange | null;
	ok: boolean;
	error: OperationError | null;
}

/** A control-plane request as the portal sends it, for the "What happened" strip. */
export interface ArmExchange {
	method: string;
	url: string;
	requestBody: unknown;
	status: number;
	responseBody: unknown;
}

/** A portal action as blades describe it; the session applies it and records what happened. */
export interface PortalAction {
	label: string;
	operations: Operation[];
	azCommand?: string | null;
	/** Builds the ARM exchange from the world before and after (only called when the action succeeded). */
	arm?: (before: World, after: World) => ArmExchange | null;
}

/** A command that is still running (waiting for a connection that will time out). */
export interface PendingCommand {
	line: string;
	/** What it waits for, in words. */
	waitingFor: string;
}

interface RawEntry {
	prompt: string;
	line: string;
	stdout: string;
	stderr: string;
	exitCode: number;
	interrupted: boolean;
}

interface Snapshot {
	world: World;
	shell: ShellState;
}

/** How many steps undo remembers. */
export const UNDO_LIMIT = 100;
/** How many transcript entries the terminal keeps (older ones scroll away, as in a real terminal). */
export const TRANSCRIPT_LIMIT = 500;
/** How many exchanges the event log keeps. */
export const EXCHANGE_LIMIT = 500;
/** The longest real-time wait shown for a command that times out (simulated time says the real figure). */
export const MAX_VISIBLE_WAIT_MS = 3000;

/** Options of a session. */
export interface SessionOptions {
	/** The tenant's private keys (a fresh ring when not given; keys are made on first use). */
	keyRing?: KeyRing;
	/** How a timed-out command waits in real time (tests pass one that resolves at once). */
	wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function defaultWait(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(resolve, ms);
		signal.addEventListener('abort', () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

/**
 * How long a command that timed out waited, in real milliseconds for the UI: the wait curl announces
 * (`… timed out after 5001 milliseconds`), or curl's timeout exit code 28 with `-s`; capped for the learner.
 */
function timedOutWaitMs(result: LineResult): number | null {
	const text = `${result.stderr}\n${result.stdout}`;
	const match =
		/timed out after (\d+) milliseconds/.exec(text) ??
		/after (\d+) ms: Timeout was reached/.exec(text);
	if (match) return Math.min(Number(match[1]), MAX_VISIBLE_WAIT_MS);
	// curl -s prints nothing, but it waited all the same: exit code 28 is curl's "operation timed out".
	if (result.exitCode === 28) return MAX_VISIBLE_WAIT_MS;
	return null;
}

/** The running lab. Create one per page; `reset` starts again from another world. */
export class LabSession {
	world = $state.raw<World>() as World;
	shell = $state.raw<ShellState>() as ShellState;
	transcript = $state.raw<TranscriptEntry[]>([]);
	exchanges = $state.raw<Exchange[]>([]);
	/** The last portal action and what happened, for the "What happened" strip. */
	lastAction = $state.raw<ActionRecord | null>(null);
	pending = $state.raw<PendingCommand | null>(null);
	/** True while a terminal line or a token sequence runs. */
	busy = $state(false);
	/** How many steps can be undone. */
	undoDepth = $state(0);
	/** The token the inspector shows (never stored anywhere else, never sent outside the simulation). */
	inspectedToken = $state('');
	/** True while simulated time follows the real clock (one simulated second per second). */
	clockRunning = $state(false);

	readonly keyRing: KeyRing;
	#undo: Snapshot[] = [];
	#nextId = 1;
	#queue: Promise<unknown> = Promise.resolve();
	#interrupt: AbortController | null = null;
	#wait: (ms: number, signal: AbortSignal) => Promise<void>;
	// Listeners are callbacks, not state to render: a plain Set is what is wanted.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#listeners = new Set<(events: WorldEvent[], origin: Origin) => void>();

	constructor(world: World, options: SessionOptions = {}) {
		this.world = world;
		this.shell = createShellState(world);
		this.keyRing = options.keyRing ?? createKeyRing();
		this.#wait = options.wait ?? defaultWait;
	}

	/** The terminal's prompt where the shell is now (`sarah@Azure:~$ `). */
	get prompt(): string {
		return prompt(this.world, this.shell);
	}

	/** Calls `listener` after every change with the events it caused (lesson checks, diagrams, presenter). */
	onChange(listener: (events: WorldEvent[], origin: Origin) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/**
	 * Applies a portal action: all its operations, or none. Records it as the last action with the ARM
	 * exchange and the equivalent az line, pushes an undo step, and returns the record.
	 */
	act(action: PortalAction, origin: Origin = 'portal'): ActionRecord {
		const before = this.world;
		const applied = applyOperations(before, action.operations);
		const record: ActionRecord = {
			id: this.#nextId++,
			label: action.label,
			operations: action.operations,
			events: applied.ok ? applied.value.events : [],
			azCommand: action.azCommand ?? null,
			arm: null,
			ok: applied.ok,
			error: applied.ok ? null : applied.error
		};
		if (applied.ok) {
			this.#pushUndo();
			this.world = applied.value.world;
			record.arm = action.arm?.(before, applied.value.world) ?? null;
			this.#notify(applied.value.events, origin);
		}
		this.lastAction = record;
		return record;
	}

	/** Applies operations without a portal record (lessons' setup, show-me steps, tests). */
	apply(
		operations: Operation[],
		origin: Origin = 'system'
	): { ok: true; events: WorldEvent[] } | { ok: false; error: OperationError } {
		const applied = applyOperations(this.world, operations);
		if (!applied.ok) return { ok: false, error: applied.error };
		this.#pushUndo();
		this.world = applied.value.world;
		this.#notify(applied.value.events, origin);
		return { ok: true, events: applied.value.events };
	}

	/**
	 * Runs a terminal line. Lines run one after another, in order. A line that waits for a connection that
	 * will time out shows as pending until the wait is over or `interrupt()` is called (Ctrl+C).
	 */
	run(line: string, origin: Origin = 'terminal'): Promise<TranscriptEntry> {
		const next = this.#queue.then(() => this.#runNow(line, origin));
		this.#queue = next.catch(() => undefined);
		return next;
	}

	/** Ctrl+C: stops waiting for the pending command; it ends with exit code 130 and changes nothing. */
	interrupt(): void {
		this.#interrupt?.abort();
	}

	async #runNow(line: string, origin: Origin): Promise<TranscriptEntry> {
		const promptText = this.prompt;
		this.busy = true;
		try {
			const result = await runLine(this.world, this.shell, line, { keyRing: this.keyRing });
			const waitMs = timedOutWaitMs(result);
			let interrupted = false;
			if (waitMs !== null) {
				const controller = new AbortController();
				this.#interrupt = controller;
				this.pending = { line, waitingFor: waitingFor(result, line) };
				await this.#wait(waitMs, controller.signal);
				interrupted = controller.signal.aborted;
				this.#interrupt = null;
				this.pending = null;
			}
			if (interrupted) {
				// Ctrl+C ends the command before it finished: nothing it did counts, but the line stays in history.
				this.shell = { ...this.shell, history: result.state.history, lastExitCode: 130 };
				return this.#record({
					prompt: promptText,
					line,
					stdout: '',
					stderr: '^C\n',
					exitCode: 130,
					interrupted: true
				});
			}
			if (result.clear) this.transcript = [];
			if (result.world !== this.world) {
				this.#pushUndo();
				this.world = result.world;
			}
			this.shell = result.state;
			if (result.hops.length > 0) this.#recordExchange(origin, line, result.hops);
			if (result.events.length > 0) this.#notify(result.events, origin);
			const raw = {
				prompt: promptText,
				line,
				stdout: result.stdout,
				stderr: result.stderr,
				exitCode: result.exitCode,
				interrupted: false
			};
			return result.clear ? this.#build(raw) : this.#record(raw);
		} finally {
			this.busy = false;
		}
	}

	#build(raw: RawEntry): TranscriptEntry {
		const split = whyLines(raw.stderr);
		return {
			id: this.#nextId++,
			prompt: raw.prompt,
			line: raw.line,
			stdout: raw.stdout,
			stderr: split.rest,
			why: split.why,
			exitCode: raw.exitCode,
			tokens: tokensIn(`${raw.stdout}\n${raw.stderr}`),
			interrupted: raw.interrupted
		};
	}

	#record(raw: RawEntry): TranscriptEntry {
		const entry = this.#build(raw);
		const kept =
			this.transcript.length >= TRANSCRIPT_LIMIT ? this.transcript.slice(1) : this.transcript;
		this.transcript = [...kept, entry];
		return entry;
	}

	/** Records hops made outside the terminal (the token-flow runner, lesson steps). */
	recordExchange(origin: Origin, label: string, hops: Hop[]): void {
		this.#recordExchange(origin, label, hops);
	}

	#recordExchange(origin: Origin, label: string, hops: Hop[]): void {
		const exchange: Exchange = { id: this.#nextId++, at: this.world.now, origin, label, hops };
		const kept = this.exchanges.length >= EXCHANGE_LIMIT ? this.exchanges.slice(1) : this.exchanges;
		this.exchanges = [...kept, exchange];
	}

	/**
	 * Ctrl+C at the prompt with nothing running: the typed line is dropped unrun (not in history), shown with
	 * `^C`, and `$?` becomes 130, as in bash.
	 */
	cancelLine(line: string): TranscriptEntry {
		this.shell = { ...this.shell, lastExitCode: 130 };
		return this.#record({
			prompt: this.prompt,
			line,
			stdout: '',
			stderr: '^C\n',
			exitCode: 130,
			interrupted: true
		});
	}

	/** Clears the terminal screen (Ctrl+L); history and the world stay. */
	clearTerminal(): void {
		this.transcript = [];
	}

	/** Moves simulated time forward. `tick` marks the running clock's steps, which undo skips. */
	advanceClock(seconds: number, tick = false): { ok: true } | { ok: false; error: OperationError } {
		const applied = applyOperations(this.world, [{ type: 'advanceClock', seconds }]);
		if (!applied.ok) return { ok: false, error: applied.error };
		if (!tick) this.#pushUndo();
		this.world = applied.value.world;
		this.#notify(applied.value.events, 'clock');
		return { ok: true };
	}

	/** Undoes the last change to the world (and the shell's place with it). Returns false when there is none. */
	undo(): boolean {
		const previous = this.#undo.pop();
		if (!previous) return false;
		this.world = previous.world;
		this.shell = { ...previous.shell, history: this.shell.history };
		this.undoDepth = this.#undo.length;
		this.#notify([], 'system');
		return true;
	}

	/** Starts again from `world`: a fresh shell, an empty transcript and no undo. The key ring stays. */
	reset(world: World): void {
		this.world = world;
		this.shell = createShellState(world);
		this.transcript = [];
		this.exchanges = [];
		this.lastAction = null;
		this.#undo = [];
		this.undoDepth = 0;
		this.#notify([], 'system');
	}

	/**
	 * Replaces the world (an imported file, a shared link) as one step that undo takes back: a fresh shell in
	 * Cloud Shell that keeps the command history; the transcript stays.
	 */
	replaceWorld(world: World, origin: Origin = 'system'): void {
		this.#pushUndo();
		this.world = world;
		this.shell = { ...createShellState(world), history: this.shell.history };
		this.lastAction = null;
		this.#notify([], origin);
	}

	/** Opens a token in the inspector. */
	inspect(token: string): void {
		this.inspectedToken = token;
	}

	#pushUndo(): void {
		this.#undo.push({ world: this.world, shell: this.shell });
		if (this.#undo.length > UNDO_LIMIT) this.#undo.shift();
		this.undoDepth = this.#undo.length;
	}

	#notify(events: WorldEvent[], origin: Origin): void {
		for (const listener of this.#listeners) listener(events, origin);
	}
}

/** What a timed-out command was waiting for: curl's "Failed to connect", else the line's URL, else the hop's. */
function waitingFor(result: LineResult, line: string): string {
	const host = /Failed to connect to (\S+) port (\d+)/.exec(result.stderr);
	if (host) return `${host[1]} port ${host[2]}`;
	const url = /https?:\/\/([^/\s"'?]+)/.exec(line);
	if (url?.[1]) return url[1];
	const failed = result.hops.find((h) => !h.ok && h.request);
	if (failed?.request) {
		try {
			return new URL(failed.request.url).host;
		} catch {
			return failed.request.url;
		}
	}
	return 'a connection';
}
