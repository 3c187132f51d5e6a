/** Helpers for the emulator tests: the lab control API over HTTP(S), and a clean process environment. */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Emulator } from '../../src/emulator/emulator.ts';

/**
 * POSTs JSON to the emulator and resolves with the status and body text. Over HTTPS it trusts the emulator's
 * certificate authority (the test process started before the authority existed, so fetch cannot).
 */
export function labPost(
	emulator: Emulator,
	path: string,
	body: string
): Promise<{ status: number; text: string }> {
	const target = new URL(path, emulator.url);
	const send = emulator.ca ? httpsRequest : httpRequest;
	return new Promise((resolve, reject) => {
		const req = send(
			target,
			{
				method: 'POST',
				headers: labHeaders(emulator),
				...(emulator.ca ? { ca: emulator.ca.pem } : {})
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (text += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

/** What POST /lab/commands answers. */
export interface CommandOutput {
	exitCode: number;
	stdout: string;
	stderr: string;
}

/** The headers of a lab control API call with a JSON body: the lab token and the media type. */
export function labHeaders(emulator: Emulator): Record<string, string> {
	return { Authorization: `Bearer ${emulator.labToken}`, 'Content-Type': 'application/json' };
}

/** Runs a terminal line through POST /lab/commands; fails the test when the line exits non-zero. */
export async function labCommand(emulator: Emulator, command: string): Promise<CommandOutput> {
	const response = await labPost(emulator, '/lab/commands', JSON.stringify({ command }));
	if (response.status !== 200) {
		throw new Error(`POST /lab/commands answered ${response.status}: ${response.text}`);
	}
	const output = JSON.parse(response.text) as CommandOutput;
	if (output.exitCode !== 0) {
		throw new Error(`'${command}' exited ${output.exitCode}: ${output.stderr}`);
	}
	return output;
}

/** Runs a terminal line that prints one value (`-o tsv`) and returns it without the line end. */
export async function labValue(emulator: Emulator, command: string): Promise<string> {
	return (await labCommand(emulator, command)).stdout.trim();
}

/** Moves the emulator's simulated clock on through POST /lab/clock. */
export async function advanceClock(emulator: Emulator, seconds: number): Promise<void> {
	const response = await labPost(
		emulator,
		'/lab/clock',
		JSON.stringify({ advanceSeconds: seconds })
	);
	if (response.status !== 200) {
		throw new Error(`POST /lab/clock answered ${response.status}: ${response.text}`);
	}
}

/**
 * Variables that make @azure/identity pick a managed identity source other than the one a test sets up
 * (App Service, Service Fabric, Cloud Shell, Azure Arc, Machine Learning, AKS token exchange) or another
 * IMDS address. A developer's shell may hold any of them.
 */
const IDENTITY_VARIABLES = [
	'AZURE_POD_IDENTITY_AUTHORITY_HOST',
	'IDENTITY_ENDPOINT',
	'IDENTITY_HEADER',
	'IDENTITY_SERVER_THUMBPRINT',
	'IMDS_ENDPOINT',
	'MSI_ENDPOINT',
	'MSI_SECRET',
	'AZURE_CLIENT_ID',
	'AZURE_TENANT_ID',
	'AZURE_FEDERATED_TOKEN_FILE',
	'AZURE_CLIENT_SECRET'
];

/**
 * Removes every managed-identity variable from process.env, then sets `values`. Returns a function that
 * puts process.env back exactly as it was.
 */
export function identityEnvironment(values: Record<string, string>): () => void {
	const saved = { ...process.env };
	for (const name of IDENTITY_VARIABLES) delete process.env[name];
	Object.assign(process.env, values);
	return () => {
		for (const name of Object.keys(process.env)) {
			if (!(name in saved)) delete process.env[name];
		}
		Object.assign(process.env, saved);
	};
}

/** The variables of the emulator's `export NAME=value` lines. */
export function exportedVariables(emulator: Emulator): Record<string, string> {
	const values: Record<string, string> = {};
	for (const line of emulator.exports()) {
		const match = /^export ([A-Z_]+)=(.*)$/.exec(line);
		if (!match?.[1] || match[2] === undefined) throw new Error(`not an export line: ${line}`);
		values[match[1]] = match[2];
	}
	return values;
}

/** The payload of a JWT, decoded for assertions (the tests verify signatures separately). */
export function jwtPayload(token: string): Record<string, unknown> {
	const part = token.split('.')[1] ?? '';
	return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}
