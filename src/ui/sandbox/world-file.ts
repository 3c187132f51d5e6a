/**
 * World files: what the sandbox exports, imports and saves as a lesson start. A world file is the core's
 * snapshot (`snapshotWorld`), read back by `restoreWorld`, minus anything secret-looking the learner should
 * not hand around: cached access tokens, any private member of a JSON Web Key, and tokens written into files
 * or app settings. The tenant's private signing keys are never part of a world (they live in the key ring).
 */
import { restoreWorld, snapshotWorld, type World } from '../../core/index.ts';

/** The private members of an RSA or symmetric JWK (RFC 7518 §6.3.2, §6.4.1). */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** A JWT (header and payload are base64url JSON objects, so both start with `eyJ`). */
const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/g;

/** What replaces a token found in a file or setting of an exported world. */
export const TOKEN_REMOVED = '<token removed when the world was exported: request a new one>';

function publicJwk(jwk: Record<string, unknown>): Record<string, unknown> {
	const copy = { ...jwk };
	for (const member of PRIVATE_JWK_MEMBERS) delete copy[member];
	return copy;
}

function scrubTexts(texts: Record<string, string>): Record<string, string> {
	let changed = false;
	const out: Record<string, string> = {};
	for (const [name, text] of Object.entries(texts)) {
		const clean = text.replace(JWT, TOKEN_REMOVED);
		if (clean !== text) changed = true;
		out[name] = clean;
	}
	return changed ? out : texts;
}

/**
 * The world as it may leave the browser: no cached access tokens, no private key member, no token left in a
 * VM's files, an outside machine's files or an app's settings. Everything else is kept exactly.
 */
export function exportableWorld(world: World): World {
	const resources: World['resources'] = {};
	for (const [id, resource] of Object.entries(world.resources)) {
		let next = resource;
		if ('files' in next) next = { ...next, files: scrubTexts(next.files) };
		if ('appSettings' in next) next = { ...next, appSettings: scrubTexts(next.appSettings) };
		resources[id] = next;
	}
	const outsideMachines: World['outsideMachines'] = {};
	for (const [name, machine] of Object.entries(world.outsideMachines)) {
		outsideMachines[name] = {
			...machine,
			files: scrubTexts(machine.files),
			...(machine.arc
				? { arc: { ...machine.arc, secretFiles: scrubTexts(machine.arc.secretFiles) } }
				: {})
		};
	}
	const out: World = {
		...world,
		resources,
		outsideMachines,
		signingKeys: world.signingKeys.map((k) => ({ ...k, jwk: publicJwk(k.jwk) })),
		tokenCache: {}
	};
	if (world.kubernetesClusters) {
		const clusters: NonNullable<World['kubernetesClusters']> = {};
		for (const [name, cluster] of Object.entries(world.kubernetesClusters)) {
			clusters[name] = {
				...cluster,
				issuerKeys: cluster.issuerKeys.map((k) => ({ ...k, jwk: publicJwk(k.jwk) }))
			};
		}
		out.kubernetesClusters = clusters;
	}
	return out;
}

/** The text of a world file: the exportable world's snapshot, indented so that a diff can read it. */
export function worldFileText(world: World): string {
	return `${snapshotWorld(exportableWorld(world), { pretty: true })}\n`;
}

/** A file name for a world saved at `now` (real time): `sandbox-world-2026-12-03-2130.json`. */
export function worldFileName(now: Date, stem = 'sandbox-world'): string {
	const iso = now.toISOString();
	return `${stem}-${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}.json`;
}

/** The largest world file the sandbox reads (a world of thousands of resources is a few megabytes). */
export const MAX_WORLD_FILE_BYTES = 20 * 1024 * 1024;

/**
 * Reads a world file chosen by the learner. The core's restore checks it strictly; the message says what is
 * wrong, with the file's name, and that nothing changed.
 */
export function readWorldFile(
	name: string,
	text: string
): { ok: true; world: World } | { ok: false; message: string } {
	if (text.trim() === '')
		return {
			ok: false,
			message: `${name} is empty: a world file is the JSON that “Export world” writes. Nothing was changed.`
		};
	const restored = restoreWorld(text);
	if (!restored.ok) return { ok: false, message: `${name}: ${restored.error.message}` };
	return { ok: true, world: restored.value };
}

/**
 * The scenario skeleton that starts a lesson from a recorded world: `start.from` names the world file next
 * to it, and the rest is for the author to fill in (see docs/authoring.md).
 */
export function scenarioSkeleton(worldFile: string): string {
	return `# yaml-language-server: $schema=../scenario.schema.json
# Recorded in the sandbox. Put this file and ${worldFile} in lessons/NN-<id>/ and fill in the rest
# (docs/authoring.md, "Recording a start world in the sandbox").
start:
  from: ${worldFile}
tasks:
  - id: first-task
    text: What the learner does, in one or two sentences.
    checks:
      - check: identityEnabled
        resource: vm-stock-app
    hints:
      - The idea.
      - The exact command.
solution:
  - run: az vm identity assign -g rg-stock -n vm-stock-app
walkthrough:
  - before: What to look at first.
    step: { run: az vm identity assign -g rg-stock -n vm-stock-app }
    after: What changed.
    notes: Speaker notes.
quiz:
  - id: first-question
    question: The question?
    options:
      - { text: The right answer, correct: true, explanation: Why it is right. }
      - { text: A wrong answer, correct: false, explanation: Why it is wrong. }
  - id: second-question
    question: Another question?
    options:
      - { text: The right answer, correct: true, explanation: Why it is right. }
      - { text: A wrong answer, correct: false, explanation: Why it is wrong. }
`;
}
