/**
 * The App Service / Azure Functions identity endpoint (reference 2.1, 2.2): a token service on localhost
 * inside the app's sandbox, found through `IDENTITY_ENDPOINT` and guarded by `IDENTITY_HEADER`.
 *
 * Choices where Azure's behaviour is not documented, recorded here (reference open point 3 — unconfirmed):
 * - Every error has the body `{"statusCode":n,"message":"…","correlationId":"<guid>"}`, the shape observed
 *   for "Unable to load the proper Managed Identity." (400).
 * - A missing or wrong `X-IDENTITY-HEADER` (or legacy `secret`) → 401 with that shape.
 * - A missing or unknown `api-version` → 400; supported: `2019-08-01` and the legacy `2017-09-01`.
 * - A refusal by Entra ID (unknown resource) is relayed as 400 with Entra ID's description as `message`.
 * - A method other than GET → 405; another path → 404.
 * - The success body is the documented `{access_token, expires_on, resource, token_type, client_id}`
 *   followed by `not_before`; the legacy protocol answers without `client_id`/`not_before` and with
 *   `expires_on` as date-time text that depends on the site's OS (Linux `03/03/2026 09:05:00 +00:00`,
 *   Windows `3/3/2026 9:05:00 AM +00:00`).
 * - `IDENTITY_ENDPOINT`, `IDENTITY_HEADER` and the legacy `MSI_ENDPOINT`, `MSI_SECRET` exist only while the
 *   site has a managed identity (the App Service docs: "an app with a managed identity makes this endpoint
 *   available by defining two environment variables").
 */
import type { WebSite, World } from '../azure/model.ts';
import { getResource } from '../azure/queries.ts';
import { seededGuid } from '../ids.ts';
import type { EpochSeconds } from '../clock.ts';
import type {
	HandlerContext,
	HandlerResult,
	Hop,
	HttpRequest,
	HttpResponse
} from '../http/types.ts';
import { header, jsonResponse } from '../http/types.ts';
import {
	assignUserCommand,
	describeIdentity,
	enableSystemCommand,
	findIdentity,
	hostIdentities,
	listIdentities,
	selectorsIn
} from './identity-selection.ts';
import type { HostIdentity, SelectorKind } from './identity-selection.ts';
import { reasonPhrase } from '../http/parts.ts';
import {
	appRequestHop,
	cacheSentence,
	endpointResult,
	relayedRefusal,
	serveToken
} from './serve-token.ts';
import { own } from '../own.ts';

/** Where the identity endpoint listens inside a site's sandbox. */
export const APP_SERVICE_IDENTITY_HOST = 'localhost:4141';

/** The value of `IDENTITY_ENDPOINT` (and `MSI_ENDPOINT`). */
export const APP_SERVICE_IDENTITY_ENDPOINT = `http://${APP_SERVICE_IDENTITY_HOST}/MSI/token`;

/** The current protocol version. */
export const APP_SERVICE_API_VERSION = '2019-08-01';

/** The legacy protocol version (`MSI_ENDPOINT` + `secret` header, `clientid`). */
export const APP_SERVICE_LEGACY_API_VERSION = '2017-09-01';

/** Region display names, for `REGION_NAME` and `WEBSITE_OWNER_NAME`. */
const REGION_NAMES: Record<string, string> = {
	westeurope: 'West Europe',
	northeurope: 'North Europe',
	eastus: 'East US',
	eastus2: 'East US 2',
	westus: 'West US',
	westus2: 'West US 2',
	centralus: 'Central US',
	uksouth: 'UK South',
	francecentral: 'France Central',
	germanywestcentral: 'Germany West Central',
	swedencentral: 'Sweden Central',
	southeastasia: 'Southeast Asia',
	australiaeast: 'Australia East',
	japaneast: 'Japan East'
};

function regionName(location: string): string {
	return own(REGION_NAMES, location) ?? location;
}

/**
 * The environment variables App Service sets for a site's code (the platform's, not the app settings):
 * `IDENTITY_ENDPOINT`, `IDENTITY_HEADER`, `MSI_ENDPOINT`, `MSI_SECRET` only while the site has a managed
 * identity, and the `WEBSITE_*` / `REGION_NAME` variables always. Sorted by name, as `env | sort` prints them.
 */
export function appServiceEnvironment(site: WebSite): Record<string, string> {
	const hasIdentity =
		site.identity.systemAssigned !== null || site.identity.userAssigned.length > 0;
	const instanceId =
		`${seededGuid(site.id.toLowerCase(), 'instance-a')}${seededGuid(site.id.toLowerCase(), 'instance-b')}`.replace(
			/-/g,
			''
		);
	const env: Record<string, string> = {
		...(hasIdentity
			? {
					IDENTITY_ENDPOINT: APP_SERVICE_IDENTITY_ENDPOINT,
					IDENTITY_HEADER: site.identityHeader,
					MSI_ENDPOINT: APP_SERVICE_IDENTITY_ENDPOINT,
					MSI_SECRET: site.identityHeader
				}
			: {}),
		REGION_NAME: regionName(site.location),
		WEBSITE_HOSTNAME: site.defaultHostName,
		WEBSITE_INSTANCE_ID: instanceId,
		WEBSITE_OWNER_NAME: `${site.subscriptionId}+${site.resourceGroup}-${regionName(site.location).replace(/\s+/g, '')}webspace`,
		WEBSITE_RESOURCE_GROUP: site.resourceGroup,
		WEBSITE_SITE_NAME: site.name
	};
	return env;
}

function correlationId(world: World, request: HttpRequest): string {
	return seededGuid(
		world.seed,
		`appservice-correlation|${world.now}|${world.events.length}|${request.method}|${request.url}`
	);
}

function failure(
	world: World,
	request: HttpRequest,
	status: number,
	message: string
): HttpResponse {
	return jsonResponse(status, reasonPhrase(status), {
		statusCode: status,
		message,
		correlationId: correlationId(world, request)
	});
}

const UNABLE = 'Unable to load the proper Managed Identity.';

/**
 * `expires_on` of the legacy protocol, in UTC, formatted as the site's OS does (azure-identity for Python,
 * app_service 2017 parser: "Responses on Windows include AM/PM, for example "1/16/2020 5:24:12 AM +00:00".
 * Responses on Linux do not, for example "06/20/2019 02:57:58 +00:00"").
 */
export function legacyExpiresOn(at: EpochSeconds, os: 'Linux' | 'Windows' = 'Linux'): string {
	const d = new Date(at * 1000);
	const two = (n: number): string => String(n).padStart(2, '0');
	const hours = d.getUTCHours();
	const time = `${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
	if (os === 'Linux') {
		return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${two(hours)}:${time} +00:00`;
	}
	const hour12 = hours % 12 === 0 ? 12 : hours % 12;
	return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${hour12}:${time} ${hours < 12 ? 'AM' : 'PM'} +00:00`;
}

function azGroupLabel(site: WebSite): string {
	return site.kind === 'functionApp' ? 'function app' : 'web app';
}

/**
 * Serves the identity endpoint of the web app or function app the request comes from. Token responses
 * carry the operations that record the token (endpoint `appService`).
 */
export async function handleAppServiceIdentity(
	ctx: HandlerContext,
	request: HttpRequest,
	url: URL
): Promise<HandlerResult> {
	const { world } = ctx;
	const origin =
		ctx.source.kind === 'resource' ? getResource(world, ctx.source.resourceId) : undefined;
	const resource = url.searchParams.get('resource');
	const siteName = origin?.name ?? 'the app';
	const requestHop: Hop = appRequestHop(
		'appservice-request',
		request,
		url,
		`Code in ${siteName} asks the App Service identity endpoint (IDENTITY_ENDPOINT, on localhost inside the app's sandbox) for a token${resource ? ` for ${resource}` : ''}.`
	);
	const refuse = (status: number, message: string, detail: string): HandlerResult =>
		endpointResult(requestHop, failure(world, request, status, message), false, detail, {
			responseId: 'appservice-response'
		});

	if (origin?.kind !== 'webApp' && origin?.kind !== 'functionApp') {
		return refuse(404, 'Not found', 'Only App Service and Functions run this identity endpoint.');
	}
	const site = origin;
	if (!/^\/msi\/token\/?$/i.test(url.pathname)) {
		return refuse(
			404,
			'Not found',
			`The identity endpoint answers at /MSI/token only (the path in IDENTITY_ENDPOINT), not ${url.pathname}.`
		);
	}
	const method = request.method.toUpperCase();
	if (method !== 'GET') {
		return refuse(
			405,
			`The request method '${method}' is not allowed. Use GET.`,
			`The identity endpoint answers GET requests only; this one used ${method}.`
		);
	}
	const version = url.searchParams.get('api-version');
	if (version === null || version === '') {
		return refuse(
			400,
			`The api-version query parameter is required. Use api-version=${APP_SERVICE_API_VERSION}.`,
			`The request has no api-version. The App Service endpoint speaks api-version=${APP_SERVICE_API_VERSION} (and the legacy ${APP_SERVICE_LEGACY_API_VERSION}).`
		);
	}
	if (version !== APP_SERVICE_API_VERSION && version !== APP_SERVICE_LEGACY_API_VERSION) {
		return refuse(
			400,
			`Unsupported api-version '${version}'. Supported versions: ${APP_SERVICE_LEGACY_API_VERSION}, ${APP_SERVICE_API_VERSION}.`,
			version >= '2018-02-01' && version !== APP_SERVICE_API_VERSION
				? `'${version}' is an IMDS version; the App Service endpoint uses api-version=${APP_SERVICE_API_VERSION}.`
				: `The App Service endpoint uses api-version=${APP_SERVICE_API_VERSION}.`
		);
	}
	const legacy = version === APP_SERVICE_LEGACY_API_VERSION;
	const secretHeader = legacy ? 'secret' : 'X-IDENTITY-HEADER';
	const secretVar = legacy ? 'MSI_SECRET' : 'IDENTITY_HEADER';
	const given = header(request, secretHeader);
	if (given !== site.identityHeader) {
		const hasIdentity = hostIdentities(world, site).length > 0;
		const why = !hasIdentity
			? `${site.name} has no managed identity, so App Service set no ${secretVar} for it. Turn one on first (${enableSystemCommand(site)}), then send -H "${secretHeader}: $${secretVar}".`
			: given === undefined
				? `The request has no ${secretHeader} header. The endpoint answers only code that knows the secret in $${secretVar}: send -H "${secretHeader}: $${secretVar}".`
				: `The ${secretHeader} header does not match $${secretVar}. The platform rotates the secret: read it from the environment on every call instead of copying it.`;
		return refuse(
			401,
			`Unauthorized. The ${secretHeader} request header is missing or does not match the ${secretVar} environment variable.`,
			why
		);
	}
	if (resource === null || resource.trim() === '') {
		return refuse(
			400,
			'The resource query parameter is required.',
			'The request does not say which resource the token is for. Add resource=<App ID URI>, e.g. resource=https://vault.azure.net.'
		);
	}
	const params: readonly { param: string; by: SelectorKind }[] = legacy
		? [{ param: 'clientid', by: 'clientId' }]
		: [
				{ param: 'client_id', by: 'clientId' },
				{ param: 'principal_id', by: 'principalId' },
				{ param: 'object_id', by: 'principalId' },
				{ param: 'mi_res_id', by: 'resourceId' }
			];
	const selectors = selectorsIn(url, params);
	if (selectors.length > 1) {
		const names = selectors.map((s) => s.param).join(', ');
		return refuse(
			400,
			`Only one of client_id, principal_id (object_id) and mi_res_id can be specified; the request specifies ${names}.`,
			`The request names the identity ${selectors.length} ways (${names}); keep one.`
		);
	}
	const identities = hostIdentities(world, site);
	let chosen: HostIdentity | undefined;
	const selector = selectors[0];
	if (selector) {
		chosen = findIdentity(identities, selector.by, selector.value);
		if (!chosen) {
			const what = {
				clientId: 'client id',
				principalId: 'principal id',
				resourceId: 'resource id'
			}[selector.by];
			return refuse(
				400,
				UNABLE,
				identities.length === 0
					? `${site.name} has no managed identity, so none has ${what} ${selector.value}. Turn one on (${enableSystemCommand(site)}) or assign one (${assignUserCommand(site)}).`
					: `No identity of ${site.name} has ${what} ${selector.value} (${selector.param}). Its identities: ${listIdentities(identities)}. Use one of these, or assign the identity you meant (${assignUserCommand(site)}).`
			);
		}
	} else {
		chosen = identities.find((i) => i.kind === 'system');
		if (!chosen) {
			const users = identities.filter((i) => i.kind === 'user');
			return refuse(
				400,
				UNABLE,
				users.length > 0
					? `No client_id, principal_id or mi_res_id was given, so the endpoint looks for the system-assigned identity of ${site.name}, and it has none. Unlike IMDS, App Service never picks a user-assigned identity by itself, even when there is only one: pass client_id=${users[0]?.clientId ?? ''} (${users.map((u) => u.name).join(', ')}).`
					: `${site.name} has no managed identity. Turn on its system-assigned identity: ${enableSystemCommand(site)}.`
			);
		}
	}

	const served = await serveToken(world, ctx.env.keyRing, {
		principalId: chosen.principalId,
		resource,
		hostId: site.id,
		endpoint: 'appService'
	});
	if (!served.ok) {
		return relayedRefusal(
			requestHop,
			failure(world, request, 400, served.error.errorDescription),
			served.error
		);
	}
	const { token } = served.value;
	const body: Record<string, string> = legacy
		? {
				access_token: token.accessToken,
				expires_on: legacyExpiresOn(token.expiresOn, site.osType ?? 'Linux'),
				resource,
				token_type: 'Bearer'
			}
		: {
				access_token: token.accessToken,
				expires_on: String(token.expiresOn),
				resource,
				token_type: 'Bearer',
				client_id: token.clientId,
				not_before: String(token.issuedAt)
			};
	const endpointName = `The ${azGroupLabel(site)}'s identity endpoint`;
	const ignored = legacy
		? ['client_id', 'principal_id', 'object_id', 'mi_res_id'].filter((p) => url.searchParams.has(p))
		: [];
	const legacyNote = legacy
		? ` This is the legacy ${APP_SERVICE_LEGACY_API_VERSION} protocol: expires_on is date-time text.${ignored.length > 0 ? ` It knows only clientid, so ${ignored.join(', ')} was ignored.` : ''}`
		: '';
	const detail = `${endpointName} returns a token for ${resource} of ${describeIdentity(site, chosen)} (client id ${token.clientId}).${legacyNote} ${cacheSentence(world, served.value, endpointName)}`;
	return endpointResult(requestHop, jsonResponse(200, 'OK', body), true, detail, {
		responseId: 'appservice-response',
		entraHops: served.value.entraHops,
		operations: served.value.operations
	});
}
