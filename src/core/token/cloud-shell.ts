/**
 * Cloud Shell's local token endpoint (reference 2.4): `MSI_ENDPOINT` is set, and a client asks with
 * `POST {MSI_ENDPOINT}`, header `Metadata: true`, form body `resource=<uri>`. It answers with a token for the
 * signed-in user (Cloud Shell has no managed identity; msal-node and @azure/identity call it the CloudShell source
 * and refuse user-assigned ids). The endpoint address and the body's exact members are not documented
 * (reference open point 12): the lab uses `http://localhost:50342/oauth2/token` and the IMDS-style token body.
 */
import type { HandlerContext, HandlerResult, HttpRequest } from '../http/types.ts';
import { header, jsonResponse } from '../http/types.ts';
import { reasonPhrase } from '../http/parts.ts';
import { cloudShellUserToken } from './user-token.ts';
import { resolveAudience } from './claims.ts';
import { appRequestHop, endpointResult } from './serve-token.ts';

/** Cloud Shell's `MSI_ENDPOINT` **(unconfirmed value)**. */
export const CLOUD_SHELL_MSI_ENDPOINT = 'http://localhost:50342/oauth2/token';
/** `host:port` of {@link CLOUD_SHELL_MSI_ENDPOINT}. */
export const CLOUD_SHELL_MSI_HOST = 'localhost:50342';

function refusal(
	request: HttpRequest,
	url: URL,
	status: number,
	error: string,
	description: string,
	detail: string
): HandlerResult {
	const hop = appRequestHop(
		'cloudshell-request',
		request,
		url,
		'Cloud Shell asks its token endpoint.'
	);
	const response = jsonResponse(status, reasonPhrase(status), {
		error,
		error_description: description
	});
	return { ...endpointResult(hop, response, false, detail, { responseId: 'cloudshell-response' }) };
}

/** Serves `POST {MSI_ENDPOINT}` in Cloud Shell: a token for the signed-in user and the resource in the form body. */
export async function handleCloudShellIdentity(
	ctx: HandlerContext,
	request: HttpRequest,
	url: URL
): Promise<HandlerResult> {
	if (url.pathname.replace(/\/+$/, '') !== '/oauth2/token') {
		return refusal(
			request,
			url,
			404,
			'not_found',
			'Not found',
			`Cloud Shell's token endpoint is ${CLOUD_SHELL_MSI_ENDPOINT}.`
		);
	}
	if (request.method.toUpperCase() !== 'POST') {
		return refusal(
			request,
			url,
			405,
			'method_not_allowed',
			'Method not allowed',
			`Cloud Shell's endpoint takes POST with a form body (resource=…), not ${request.method.toUpperCase()}.`
		);
	}
	if (header(request, 'metadata')?.toLowerCase() !== 'true') {
		return refusal(
			request,
			url,
			400,
			'invalid_request',
			'Required metadata header not specified',
			'Add the header Metadata: true, as for IMDS.'
		);
	}
	const resource = new URLSearchParams(request.body ?? '').get('resource') ?? '';
	if (resource.trim() === '' || resolveAudience(ctx.world, resource) === undefined) {
		return refusal(
			request,
			url,
			400,
			'invalid_resource',
			`The resource '${resource}' is not known.`,
			resource.trim() === ''
				? "Send the resource in the form body: -d 'resource=https://management.azure.com/'."
				: `Use the App ID URI of a service, e.g. resource=https://vault.azure.net.`
		);
	}
	const token = await cloudShellUserToken(ctx.world, ctx.env, resource);
	const hop = appRequestHop(
		'cloudshell-request',
		request,
		url,
		`Cloud Shell asks its local endpoint for a token for ${resource}.`
	);
	if (!token) {
		return refusal(
			request,
			url,
			400,
			'invalid_request',
			'No user is signed in',
			'This world has no user to sign in as.'
		);
	}
	const now = ctx.world.now;
	const body = {
		access_token: token.accessToken,
		refresh_token: '',
		expires_in: String(token.expiresOn - now),
		expires_on: String(token.expiresOn),
		not_before: String(now),
		resource,
		token_type: 'Bearer'
	};
	return endpointResult(
		hop,
		jsonResponse(200, reasonPhrase(200), body),
		true,
		`Cloud Shell's endpoint returns a token for ${resource} issued to ${token.user.userPrincipalName}: Cloud Shell has no managed identity, so MSI_ENDPOINT speaks for the signed-in user.`,
		{ responseId: 'cloudshell-response', operations: token.operations }
	);
}
