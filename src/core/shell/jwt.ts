/**
 * `jwt decode`: a token's header and payload as pretty JSON, then every claim with what it means in this world
 * (whose object id `oid` is, which resource `xms_mirid` names, when `exp` is). Decoding checks nothing: the
 * signature is verified by the services that accept the token, never here.
 */
import type { World } from '../azure/model.ts';
import { describeDuration, epochSeconds, isoTime } from '../clock.ts';
import { decodeForDisplay } from '../crypto/index.ts';
import { findServicePrincipalByAppId, getResource } from '../azure/queries.ts';
import type { ShellCommand } from './types.ts';
import { own } from '../own.ts';

const AZURE_CLI_APP_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

const AUDIENCES: Record<string, string> = {
	'https://vault.azure.net': 'Azure Key Vault',
	'https://storage.azure.com/': 'Azure Storage',
	'https://storage.azure.com': 'Azure Storage',
	'https://database.windows.net/': 'Azure SQL Database',
	'https://database.windows.net': 'Azure SQL Database',
	'https://management.azure.com/': 'Azure Resource Manager',
	'https://management.azure.com': 'Azure Resource Manager',
	'https://management.core.windows.net/': 'Azure Resource Manager',
	'https://graph.microsoft.com': 'Microsoft Graph'
};

function when(value: unknown): string {
	if (typeof value !== 'number' || !Number.isFinite(value)) return 'not a number of seconds';
	return isoTime(epochSeconds(value)).replace('.000Z', 'Z');
}

function relative(world: World, value: unknown): string {
	if (typeof value !== 'number' || !Number.isFinite(value)) return '';
	const delta = value - world.now;
	if (delta === 0) return ' (now)';
	return delta > 0 ? ` (in ${describeDuration(delta)})` : ` (${describeDuration(-delta)} ago)`;
}

function principalName(world: World, oid: string): string {
	const id = oid.toLowerCase();
	const user = own(world.directory.users, id);
	if (user) return `the user ${user.userPrincipalName}`;
	const sp = own(world.directory.servicePrincipals, id);
	if (!sp) return 'a principal that does not exist in the directory (deleted?)';
	if (sp.servicePrincipalType !== 'ManagedIdentity')
		return `the service principal ${sp.displayName}`;
	const resource = sp.managedIdentityResourceId
		? getResource(world, sp.managedIdentityResourceId)
		: undefined;
	return resource?.kind === 'userAssignedIdentity'
		? `the user-assigned identity ${sp.displayName}`
		: `the system-assigned identity of ${sp.displayName}`;
}

/** The one-line meaning of a claim, in this world. */
export function explainClaim(world: World, name: string, value: unknown): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	switch (name) {
		case 'aud':
			return `audience: the resource this token is for${own(AUDIENCES, text) ? ` (${own(AUDIENCES, text)})` : ''}; any other service refuses it`;
		case 'iss':
			return `issuer: the Entra ID tenant that signed the token${text.includes(world.tenant.tenantId) ? ` (${world.tenant.displayName})` : ''}`;
		case 'idp':
			return 'identity provider that authenticated the caller (the same tenant for a managed identity)';
		case 'iat':
			return `issued at ${when(value)}${relative(world, value)}`;
		case 'nbf':
			return `not before: not valid until ${when(value)}`;
		case 'exp': {
			const expired = typeof value === 'number' && value <= world.now;
			return `expires at ${when(value)}${relative(world, value)}${expired ? ': EXPIRED, services refuse it; get a new token' : ''}`;
		}
		case 'aio':
		case 'rh':
		case 'uti':
		case 'puid':
			return 'internal to Entra ID (opaque)';
		case 'appid':
		case 'azp': {
			if (text === AZURE_CLI_APP_ID) return 'client id of the app that asked: Azure CLI';
			const sp = findServicePrincipalByAppId(world, text);
			return `client id of the app that asked${sp ? `: ${sp.displayName}${sp.servicePrincipalType === 'ManagedIdentity' ? ' (a managed identity’s client id)' : ''}` : ''}`;
		}
		case 'appidacr':
		case 'azpacr':
			return `how the app proved itself: ${text === '2' ? '2 = a certificate (managed identities use one)' : text === '1' ? '1 = a client secret' : '0 = a public client, no credential'}`;
		case 'idtyp':
			return text === 'app'
				? 'app: an application (not a user) is the caller'
				: `${text}: the kind of caller`;
		case 'oid':
			return `object id of the caller: ${principalName(world, text)}; Azure RBAC looks up role assignments for this id`;
		case 'sub':
			return 'subject: for an app token the same as oid';
		case 'tid':
			return `tenant id${text === world.tenant.tenantId ? `: ${world.tenant.displayName}` : ''}`;
		case 'ver':
			return `token format version ${text}`;
		case 'xms_mirid': {
			const resource = getResource(world, text);
			return `managed identity resource id: the Azure resource this identity belongs to${resource ? ` (${resource.name})` : ' (no longer exists)'}`;
		}
		case 'xms_tcdt':
			return 'tenant creation time (undocumented)';
		case 'roles':
			return 'app roles granted to the caller (e.g. Microsoft Graph application permissions)';
		case 'scp':
			return 'delegated permissions (scopes) the user consented to';
		case 'upn':
		case 'unique_name':
			return 'the signed-in user’s name';
		case 'name':
			return 'the user’s display name';
		case 'given_name':
		case 'family_name':
			return 'part of the user’s name';
		case 'amr':
			return 'how the user signed in (pwd = password, mfa = multi-factor)';
		case 'acr':
			return 'authentication context class (1 = the user signed in interactively)';
		case 'ipaddr':
			return 'the address the user signed in from';
		default:
			return 'not explained here';
	}
}

/** The text `jwt decode` prints for a token, or the reason it cannot be decoded. */
export function decodeReport(
	world: World,
	token: string
): { ok: true; text: string } | { ok: false; message: string } {
	const decoded = decodeForDisplay(token);
	if (!decoded.ok) return { ok: false, message: decoded.error.message };
	const { header, payload, signature } = decoded.value;
	const width = Math.max(...Object.keys(payload).map((k) => k.length), 3);
	const claims = Object.entries(payload).map(([name, value]) => {
		const shown = typeof value === 'string' ? value : JSON.stringify(value);
		return `  ${name.padEnd(width)}  ${shown}\n  ${' '.repeat(width)}  ↳ ${explainClaim(world, name, value)}`;
	});
	const kid = typeof header.kid === 'string' ? header.kid : '?';
	const text = [
		'Header',
		JSON.stringify(header, null, 2),
		'',
		'Payload',
		JSON.stringify(payload, null, 2),
		'',
		'Signature',
		`  ${signature.slice(0, 16)}… (${signature.length} characters): ${typeof header.alg === 'string' ? header.alg : '?'} over header.payload with the tenant key ${kid}.`,
		'  Decoding checks nothing: a service verifies the signature against the tenant’s published keys (JWKS).',
		'',
		'Claims',
		...claims,
		''
	].join('\n');
	return { ok: true, text };
}

const USAGE = ['jwt decode TOKEN', 'jwt decode "$TOKEN"', 'echo "$TOKEN" | jwt decode'];

/** `jwt decode`. */
export const jwt: ShellCommand = {
	name: 'jwt',
	summary: 'Decode a JWT (an access token): header, payload, and what each claim means.',
	usage: USAGE,
	run({ world, argv, stdin }) {
		const [sub, ...rest] = argv.slice(1);
		if (sub !== 'decode') {
			return {
				exitCode: 2,
				stderr: `jwt: ${sub === undefined ? 'missing command' : `unknown command '${sub}'`}. Usage: ${USAGE.join(' | ')}\n`
			};
		}
		const token = (rest[0] === undefined || rest[0] === '-' ? stdin : rest.join(' ')).trim();
		if (token === '') {
			return {
				exitCode: 1,
				stderr:
					'jwt: no token given. Pass it as an argument (jwt decode "$TOKEN") or pipe it in (echo "$TOKEN" | jwt decode). Is $TOKEN set? Try echo "$TOKEN".\n'
			};
		}
		const report = decodeReport(world, token);
		if (!report.ok) return { exitCode: 1, stderr: `jwt: ${report.message}\n` };
		return { exitCode: 0, stdout: report.text };
	}
};
