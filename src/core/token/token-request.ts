/**
 * What `ManagedIdentityCredential` does on a machine, as one call: pick the token source from the
 * environment (reference 2.6) and build its request; `requestToken` in network/ sends it. Used by the
 * SDK code view, the lessons and the tests.
 */
import type { World } from '../azure/model.ts';
import { getResource } from '../azure/queries.ts';
import type { HttpRequest, NetworkSource } from '../http/types.ts';
import { APP_SERVICE_API_VERSION, appServiceEnvironment } from './app-service.ts';
import { IMDS_TOKEN_API_VERSION } from './imds.ts';

/** The IMDS token URL without its query. */
export const IMDS_TOKEN_ENDPOINT = 'http://169.254.169.254/metadata/identity/oauth2/token';

/** What the code asks for: a resource, and at most one way of naming a user-assigned identity. */
export interface TokenRequestOptions {
	resource: string;
	clientId?: string;
	/** Principal (object) id: `object_id` on IMDS, `principal_id` on App Service. */
	objectId?: string;
	/** ARM id of a user-assigned identity: `msi_res_id` on IMDS, `mi_res_id` on App Service. */
	resourceId?: string;
}

/**
 * The request the SDK sends from `source`: to `IDENTITY_ENDPOINT` with `X-IDENTITY-HEADER` when the
 * environment has them (a web app or function app with an identity), otherwise to IMDS with
 * `Metadata: true` — also from places that have no IMDS, where the request then times out, as it does there.
 */
export function buildTokenRequest(
	world: World,
	source: NetworkSource,
	options: TokenRequestOptions
): HttpRequest {
	const origin = source.kind === 'resource' ? getResource(world, source.resourceId) : undefined;
	const env =
		origin?.kind === 'webApp' || origin?.kind === 'functionApp'
			? appServiceEnvironment(origin)
			: {};
	const endpoint = env.IDENTITY_ENDPOINT;
	const secret = env.IDENTITY_HEADER;
	if (endpoint !== undefined && secret !== undefined) {
		const query = new URLSearchParams({
			'api-version': APP_SERVICE_API_VERSION,
			resource: options.resource
		});
		if (options.clientId !== undefined) query.set('client_id', options.clientId);
		if (options.objectId !== undefined) query.set('principal_id', options.objectId);
		if (options.resourceId !== undefined) query.set('mi_res_id', options.resourceId);
		return {
			method: 'GET',
			url: `${endpoint}?${query.toString()}`,
			headers: { 'X-IDENTITY-HEADER': secret }
		};
	}
	const query = new URLSearchParams({
		'api-version': IMDS_TOKEN_API_VERSION,
		resource: options.resource
	});
	if (options.clientId !== undefined) query.set('client_id', options.clientId);
	if (options.objectId !== undefined) query.set('object_id', options.objectId);
	if (options.resourceId !== undefined) query.set('msi_res_id', options.resourceId);
	return {
		method: 'GET',
		url: `${IMDS_TOKEN_ENDPOINT}?${query.toString()}`,
		headers: { Metadata: 'true' }
	};
}
