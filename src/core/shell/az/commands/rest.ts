/**
 * `az rest`: any request to ARM, Key Vault or Blob Storage with a token for the signed-in user. The lab's ARM
 * answers reads; a PATCH or PUT of a resource's `identity` (the ARM way to set identities) is applied as ARM
 * would apply it, through the setResourceIdentity operation, and answered with the resource as ARM returns it.
 */
import type { ArmIdentityBody } from '../../../azure/operations/identities.ts';
import { armResource } from '../../../azure/arm-view.ts';
import { idKey } from '../../../azure/naming.ts';
import { isIdentityHost } from '../../../azure/queries.ts';
import type { AzCommand, AzInvocation, AzOutcome } from '../types.ts';
import { list, str } from '../args.ts';
import { commit, failure, success } from '../common.ts';
import { exchangeAsSignedIn } from '../identity-login.ts';
import { dataPlaneFailure, withExchange } from './data-plane.ts';
import { own } from '../../../own.ts';

const ARM = 'https://management.azure.com';

/** The token audience az derives from a URL, as `az rest` does. */
function resourceFor(url: URL): string | null {
	const host = url.hostname.toLowerCase();
	if (host === 'management.azure.com') return 'https://management.azure.com/';
	if (host.endsWith('.vault.azure.net')) return 'https://vault.azure.net';
	if (host.endsWith('.blob.core.windows.net')) return 'https://storage.azure.com/';
	if (host === 'graph.microsoft.com') return 'https://graph.microsoft.com/';
	return null;
}

function parseHeaders(values: readonly string[]): Record<string, string> | string {
	const headers: Record<string, string> = {};
	for (const value of values) {
		const text = value.trim();
		if (text.startsWith('{')) {
			try {
				const parsed: unknown = JSON.parse(text);
				if (parsed !== null && typeof parsed === 'object') {
					for (const [k, v] of Object.entries(parsed)) headers[k] = String(v);
					continue;
				}
			} catch {
				return `argument --headers: '${value}' is not valid JSON`;
			}
		}
		const eq = text.indexOf('=');
		if (eq <= 0) return `argument --headers: '${value}' is not KEY=VALUE or JSON`;
		headers[text.slice(0, eq)] = text.slice(eq + 1);
	}
	return headers;
}

/** A PATCH/PUT of `{ "identity": … }` on an identity host: applied with setResourceIdentity. Null for anything else. */
function identityWrite(
	inv: AzInvocation,
	method: string,
	url: URL,
	body: string | undefined
): AzOutcome | null {
	if (
		(method !== 'PATCH' && method !== 'PUT') ||
		url.hostname.toLowerCase() !== 'management.azure.com' ||
		body === undefined
	)
		return null;
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return failure(
			`Bad Request({"error":{"code":"InvalidRequestContent","message":"The request content was invalid and could not be deserialized."}})`,
			1,
			'The body must be JSON, e.g. \'{"identity":{"type":"SystemAssigned"}}\'.'
		);
	}
	const identity = (parsed as { identity?: unknown } | null)?.identity;
	if (identity === undefined || identity === null || typeof identity !== 'object') return null;
	const resource = own(inv.world.resources, idKey(decodeURIComponent(url.pathname)));
	if (!resource || !isIdentityHost(resource)) return null;
	const applied = commit(inv, [
		{ type: 'setResourceIdentity', resourceId: resource.id, identity: identity as ArmIdentityBody }
	]);
	if (!applied.ok) return applied.outcome;
	const after = own(applied.world.resources, idKey(resource.id));
	return success(after ? armResource(applied.world, after) : null, applied);
}

const rest: AzCommand = {
	name: 'rest',
	summary: 'Invoke a custom request (with a token for the signed-in user).',
	args: [
		{
			dest: 'url',
			options: ['--url', '--uri', '-u'],
			required: true,
			help: "Request URL. If it doesn't start with a host, ARM's endpoint is prefixed."
		},
		{
			dest: 'method',
			options: ['--method', '-m'],
			choices: ['delete', 'get', 'head', 'options', 'patch', 'post', 'put'],
			help: 'HTTP request method. Default: get.'
		},
		{ dest: 'body', options: ['--body', '-b'], help: 'Request body (JSON).' },
		{
			dest: 'headers',
			options: ['--headers'],
			kind: 'list',
			help: 'Space-separated headers in KEY=VALUE format or JSON string.'
		},
		{
			dest: 'resource',
			options: ['--resource'],
			help: 'Resource url for which CLI should acquire a token from AAD.'
		},
		{
			dest: 'skipAuthorizationHeader',
			options: ['--skip-authorization-header'],
			kind: 'flag',
			help: 'Do not auto-append Authorization header.'
		}
	],
	examples: [
		{
			command:
				'az rest --method patch --url "/subscriptions/<sub>/resourceGroups/rg-stock/providers/Microsoft.Compute/virtualMachines/vm-stock-app?api-version=2024-07-01" --body \'{"identity":{"type":"SystemAssigned"}}\'',
			description: 'Set a VM’s identity with an ARM PATCH.'
		}
	],
	async run(inv) {
		const raw = str(inv.args, 'url') ?? '';
		let url: URL;
		try {
			url = new URL(raw.startsWith('/') ? `${ARM}${raw}` : raw);
		} catch {
			return failure(`Invalid URL '${raw}'.`, 2);
		}
		const headers = parseHeaders(list(inv.args, 'headers'));
		if (typeof headers === 'string') return failure(headers, 2);
		const body = str(inv.args, 'body');
		const method = (str(inv.args, 'method') ?? 'get').toUpperCase();
		const written = identityWrite(inv, method, url, body);
		if (written) return written;
		const resource = str(inv.args, 'resource') ?? resourceFor(url);
		if (resource === null) {
			return failure(
				"Can't derive appropriate Azure AD resource from --url to acquire an access token. If access token is required, use --resource to specify the resource"
			);
		}
		const request = {
			method,
			url: url.toString(),
			headers: {
				Accept: 'application/json',
				...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
				...headers
			},
			...(body !== undefined ? { body } : {})
		};
		const result = await exchangeAsSignedIn(inv, resource, request);
		const response = result.response;
		if (!response || response.status >= 400) {
			return dataPlaneFailure(result, (text) => `${response?.statusText ?? 'Error'}(${text})`);
		}
		let parsed: unknown;
		try {
			parsed = response.body === '' ? undefined : (JSON.parse(response.body) as unknown);
		} catch {
			return withExchange(result, {
				ok: true,
				text: response.body.endsWith('\n') ? response.body : `${response.body}\n`
			});
		}
		return withExchange(result, success(parsed));
	}
};

/** az rest. */
export const REST_COMMANDS: readonly AzCommand[] = [rest];
