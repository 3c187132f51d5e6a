/**
 * The JWT inspector's logic: taking a token apart, re-encoding an edited header or payload without re-signing,
 * the `alg: none` variant, verification against the tenant's JWKS as a service does it, the tokens the lab
 * issued, and the requests that send a token to a service. Pure apart from verification (Web Crypto).
 */
import {
	decodeForDisplay,
	explainClaim,
	isoTime,
	epochSeconds,
	tenantJwks,
	verifyAccessToken,
	type HttpRequest,
	type World
} from '../../core/index.ts';
import { tenantIssuers } from '../../core/services/bearer.ts';
import type { TranscriptEntry } from '../lab/session.svelte.ts';

/** A token taken apart for the inspector, or the precise reason it cannot be read. */
export type Parsed =
	| {
			ok: true;
			header: Record<string, unknown>;
			payload: Record<string, unknown>;
			parts: [string, string, string];
	  }
	| { ok: false; message: string };

/** Reads a token (surrounding blanks ignored); the message says exactly what is wrong when it is not a JWT. */
export function parseToken(text: string): Parsed {
	const decoded = decodeForDisplay(text.trim());
	if (!decoded.ok) return { ok: false, message: decoded.error.message };
	return {
		ok: true,
		header: decoded.value.header,
		payload: decoded.value.payload,
		parts: decoded.value.parts
	};
}

/** base64url of a JSON value, as a JWT part (no padding). */
export function encodePart(value: unknown): string {
	const bytes = new TextEncoder().encode(JSON.stringify(value));
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The token with a new header and/or payload and the old signature: what a tamperer can make. */
export function reencode(
	parts: readonly [string, string, string],
	edit: { header?: unknown; payload?: unknown }
): string {
	const header = edit.header === undefined ? parts[0] : encodePart(edit.header);
	const payload = edit.payload === undefined ? parts[1] : encodePart(edit.payload);
	return `${header}.${payload}.${parts[2]}`;
}

/** The unsigned variant: `alg` set to `none` and the signature removed (`header.payload.`). */
export function algNoneVariant(
	header: Record<string, unknown>,
	parts: readonly [string, string, string]
): string {
	return `${encodePart({ ...header, alg: 'none' })}.${parts[1]}.`;
}

/**
 * Reads JSON typed into an editor as a header or payload: it must be one JSON object. The message says
 * what is wrong and where.
 */
export function readJsonObject(
	text: string,
	what: 'header' | 'payload'
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (cause) {
		const detail = cause instanceof Error ? cause.message : String(cause);
		return {
			ok: false,
			message: `The ${what} is not valid JSON (${detail}). Check the quotes around names and strings and the commas between claims.`
		};
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return {
			ok: false,
			message: `The ${what} must be a JSON object ({ "name": value, … }), not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}.`
		};
	}
	return { ok: true, value: value as Record<string, unknown> };
}

/** One claim as the inspector lists it. */
export interface ClaimRow {
	name: string;
	/** The value as text (JSON for non-strings). */
	value: string;
	/** A time claim as a date (UTC), else null. */
	date: string | null;
	meaning: string;
}

const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat']);

/** Every claim with its value and its one-line meaning in this world. */
export function claimRows(world: World, payload: Record<string, unknown>): ClaimRow[] {
	return Object.entries(payload).map(([name, value]) => ({
		name,
		value: typeof value === 'string' ? value : JSON.stringify(value),
		date:
			TIME_CLAIMS.has(name) && typeof value === 'number' && Number.isFinite(value)
				? isoTime(epochSeconds(value)).replace('.000Z', 'Z')
				: null,
		meaning: explainClaim(world, name, value)
	}));
}

/** The outcome of checking a token as a resource server of this tenant would (any audience). */
export type Verification =
	{ ok: true; kid: string; summary: string } | { ok: false; code: string; message: string };

/**
 * Verifies a token against the tenant's published keys (JWKS), its issuers and the simulated clock, as every
 * service of the lab does; the audience is left to the service that receives the token.
 */
export async function verifyInWorld(world: World, token: string): Promise<Verification> {
	const verified = await verifyAccessToken(token.trim(), tenantJwks(world, 'v1'), {
		now: world.now,
		issuer: tenantIssuers(world.tenant.tenantId)
	});
	if (!verified.ok)
		return { ok: false, code: verified.error.code, message: verified.error.message };
	const kid = typeof verified.value.header.kid === 'string' ? verified.value.header.kid : '?';
	return {
		ok: true,
		kid,
		summary: `The RS256 signature checks out with key ${kid} from ${world.tenant.displayName}’s JWKS, the issuer is this tenant and the token has not expired. A service still checks that "aud" names it.`
	};
}

/** A token the lab issued, to pick in the inspector. */
export interface IssuedToken {
	token: string;
	/** Where it came from, in words. */
	label: string;
}

/** Tokens the lab issued: the identity endpoints' caches, then the terminal's output (newest first). */
export function issuedTokens(world: World, transcript: readonly TranscriptEntry[]): IssuedToken[] {
	const found: IssuedToken[] = [];
	const seen = new Set<string>();
	for (const cached of Object.values(world.tokenCache)) {
		if (seen.has(cached.accessToken)) continue;
		seen.add(cached.accessToken);
		const sp = world.directory.servicePrincipals[cached.principalId.toLowerCase()];
		found.push({
			token: cached.accessToken,
			label: `Cached for ${sp?.displayName ?? cached.principalId} → ${cached.resource}`
		});
	}
	for (const entry of [...transcript].reverse()) {
		for (const token of entry.tokens) {
			if (seen.has(token)) continue;
			seen.add(token);
			const line = entry.line.length > 60 ? `${entry.line.slice(0, 60)}…` : entry.line;
			found.push({ token, label: `Terminal: ${line}` });
		}
	}
	return found;
}

/** A service a token can be sent to from the inspector. */
export interface ServiceTarget {
	id: 'keyVault' | 'blob' | 'arm';
	label: string;
	/** The audience the service accepts. */
	audience: string;
	request: (token: string) => HttpRequest;
}

/** The services of this world a token can be sent to (those that exist): a secret, a blob, a resource group. */
export function serviceTargets(world: World): ServiceTarget[] {
	const targets: ServiceTarget[] = [];
	const resources = Object.values(world.resources);
	const vault = resources.find((r) => r.kind === 'keyVault');
	if (vault?.kind === 'keyVault') {
		const secret = Object.keys(vault.secrets)[0] ?? 'db-password';
		const url = `${vault.vaultUri.replace(/\/$/, '')}/secrets/${secret}?api-version=7.5`;
		targets.push({
			id: 'keyVault',
			label: `Key Vault: read secret ${secret} from ${vault.name}`,
			audience: 'https://vault.azure.net',
			request: (token) => ({ method: 'GET', url, headers: { Authorization: `Bearer ${token}` } })
		});
	}
	const account = resources.find((r) => r.kind === 'storageAccount');
	if (account?.kind === 'storageAccount') {
		const [container, data] = Object.entries(account.containers)[0] ?? ['quotes', { blobs: {} }];
		const blob = Object.keys(data.blobs)[0] ?? 'today.csv';
		const url = `https://${account.name}.blob.core.windows.net/${container}/${blob}`;
		targets.push({
			id: 'blob',
			label: `Blob Storage: read ${container}/${blob} from ${account.name}`,
			audience: 'https://storage.azure.com/',
			request: (token) => ({
				method: 'GET',
				url,
				headers: { Authorization: `Bearer ${token}`, 'x-ms-version': '2021-12-02' }
			})
		});
	}
	const group = Object.values(world.resourceGroups)[0];
	if (group) {
		const url = `https://management.azure.com${group.id}?api-version=2022-09-01`;
		targets.push({
			id: 'arm',
			label: `Azure Resource Manager: GET resource group ${group.name}`,
			audience: 'https://management.azure.com/',
			request: (token) => ({ method: 'GET', url, headers: { Authorization: `Bearer ${token}` } })
		});
	}
	return targets;
}
