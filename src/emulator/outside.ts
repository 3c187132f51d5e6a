/**
 * The emulator standing in for a machine outside Azure: an Arc-enabled server (`--as onprem-legacy-01` after
 * `azcmagent connect`: HIMDS's challenge secret is written to the real /var/opt/azcmagent/tokens/, the one
 * directory msal-node reads it from) or an AKS pod (`--as stock-worker`: the projected service-account token
 * is written to a file for AZURE_FEDERATED_TOKEN_FILE and kept fresh).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { OutsideMachine, World } from '../core/azure/model.ts';
import type { Operation } from '../core/azure/operations/index.ts';
import type { HttpResponse } from '../core/http/types.ts';
import type { KeyRing } from '../core/token/key-ring.ts';
import { HIMDS_HOST } from '../core/token/himds.ts';
import {
	CLIENT_ID_ANNOTATION,
	needsProjection,
	podContext,
	projectServiceAccountToken
} from '../core/token/federation.ts';

/** What the emulator says it stands in for when it is an outside machine. */
export interface OutsideHost {
	kind: 'outsideMachine';
	name: string;
	/** The Arc resource id, or the pod's name. */
	id: string;
}

/** The outside machine named `name`, if the world has one the emulator can stand in for. */
export function outsideHost(world: World, name: string): OutsideHost | undefined {
	const machine = world.outsideMachines[name];
	if (!machine) return undefined;
	return {
		kind: 'outsideMachine',
		name: machine.name,
		id: machine.arc?.resourceId ?? machine.name
	};
}

/** The HIMDS URL a token request to the emulator stands for. */
export function himdsUrl(path: string, query: string): string {
	return `http://${HIMDS_HOST}${path}${query}`;
}

/**
 * After HIMDS answered 401 with `Basic realm=<file>`, writes the secret the agent made to that file on this
 * computer, as the real agent does (root only: 0600). Returns why it could not, if it could not.
 */
export function writeChallengeFile(
	world: World,
	machine: string,
	response: HttpResponse
): string | null {
	if (response.status !== 401) return null;
	const realm = /Basic realm=(\S+)/.exec(response.headers['WWW-Authenticate'] ?? '')?.[1];
	const secret = realm ? world.outsideMachines[machine]?.arc?.secretFiles[realm] : undefined;
	if (!realm || secret === undefined) return null;
	try {
		mkdirSync(dirname(realm), { recursive: true, mode: 0o700 });
		writeFileSync(realm, secret, { mode: 0o600 });
		return null;
	} catch (cause) {
		return `could not write the challenge file ${realm} (${cause instanceof Error ? cause.message : String(cause)}): run the emulator as root, as the Arc agent runs, so that the SDK can read it.`;
	}
}

/** Where a pod's projected token goes by default. */
export function defaultTokenFile(port: number): string {
	return join(tmpdir(), `mi-lab-emulator-${port}`, 'azure-identity-token');
}

/**
 * Kubelet's job for a pod: when the projected token is missing or old, a fresh one (operations to apply) and
 * the file rewritten. Null when nothing had to change.
 */
export async function refreshPodToken(
	world: World,
	ring: KeyRing,
	machine: OutsideMachine,
	file: string
): Promise<Operation[] | null> {
	if (!machine.pod || !needsProjection(world, machine)) return null;
	const projected = await projectServiceAccountToken(world, ring, machine.name);
	if (!projected) return null;
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(file, projected.token, { mode: 0o600 });
	return projected.operations;
}

/** The lines a developer pastes to point their code at the emulator standing in for an outside machine. */
export function outsideExports(
	world: World,
	machine: OutsideMachine,
	url: string,
	tokenFile: string
): string[] {
	if (machine.arc) {
		return [
			`export IDENTITY_ENDPOINT=${url}/metadata/identity/oauth2/token`,
			`export IMDS_ENDPOINT=${url}`
		];
	}
	const context = podContext(world, machine);
	if (context) {
		const clientId = context.annotations[CLIENT_ID_ANNOTATION];
		return [
			`export AZURE_AUTHORITY_HOST=${url}/`,
			`export AZURE_TENANT_ID=${world.tenant.tenantId}`,
			clientId !== undefined
				? `export AZURE_CLIENT_ID=${clientId}`
				: `# AZURE_CLIENT_ID: annotate the service account first (kubectl annotate serviceaccount ${machine.pod?.serviceAccount ?? ''} ${CLIENT_ID_ANNOTATION}=<client id>)`,
			`export AZURE_FEDERATED_TOKEN_FILE=${tokenFile}`
		];
	}
	return [
		`# ${machine.name} is outside Azure and not connected to Azure Arc: it has no managed identity.`
	];
}
