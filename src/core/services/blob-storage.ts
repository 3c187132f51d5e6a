/**
 * Azure Blob Storage (`https://{account}.blob.core.windows.net`): read, write and list blobs and containers with
 * an Entra ID bearer token (authorized by Azure RBAC) or with the account key (Shared Key, no RBAC at all),
 * answering with Storage's XML bodies, `x-ms-error-code` and status lines.
 */
import type { BlobContainer, StorageAccount, World } from '../azure/model.ts';
import { authorize } from '../azure/rbac/authorize.ts';
import { isoTime } from '../clock.ts';
import { utf8Bytes } from '../crypto/encoding.ts';
import type { HandlerContext, HttpRequest, HttpResponse } from '../http/types.ts';
import { header } from '../http/types.ts';
import { seededEtag } from '../ids.ts';
import type { TokenFailure } from './bearer.ts';
import { storageAudiences, validateAccessToken } from './bearer.ts';
import { ServiceCall, decodeSegment, httpDate, requestId } from './exchange.ts';
import type { ServiceResult } from './exchange.ts';
import { explainDecision, explainTokenFailure } from './explain.ts';
import { sharedKeySignature, sharedKeyStringToSign } from './shared-key.ts';

/** The oldest `x-ms-version` that accepts OAuth bearer tokens. */
export const MIN_BEARER_VERSION = '2017-11-09';

/** How old a Shared Key request's date may be (Storage allows 15 minutes of skew). */
const DATE_LAG_SECONDS = 15 * 60;

/** RBAC permissions of the blob operations (reference 5.4). */
export const BLOB_ACTIONS = {
	getBlob: {
		action: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
		plane: 'data'
	},
	listBlobs: {
		action: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
		plane: 'data'
	},
	putBlob: {
		action: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
		plane: 'data'
	},
	// Listing containers is authorized by the role's Actions, not DataActions: containers/read is a management
	// action that the Blob service evaluates itself (Storage Blob Data Reader lists it under actions).
	listContainers: {
		action: 'Microsoft.Storage/storageAccounts/blobServices/containers/read',
		plane: 'control'
	}
} as const;

const SERVER = 'Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0';
const AUTH_FAILED =
	'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.';
const NO_AUTH =
	'Server failed to authenticate the request. Please refer to the information in the www-authenticate header.';
const MISMATCH = 'This request is not authorized to perform this operation using this permission.';

type Route =
	| { op: 'getBlob' | 'putBlob'; container: string; blob: string }
	| { op: 'listBlobs'; container: string }
	| { op: 'listContainers' }
	| { op: 'unsupportedVerb' }
	| { op: 'invalidQuery'; parameter: string; value: string }
	| { op: 'invalidUri' };

/** A route the Blob service can perform. */
type Valid = Extract<Route, { op: 'getBlob' | 'putBlob' | 'listBlobs' | 'listContainers' }>;

function route(method: string, url: URL): Route {
	const verb = method.toUpperCase();
	const segments = url.pathname.split('/').slice(1);
	const container = decodeSegment(segments[0] ?? '');
	const blob = segments.slice(1).map(decodeSegment).join('/');
	const comp = url.searchParams.get('comp');
	const restype = url.searchParams.get('restype');
	if (container === '') {
		if (verb !== 'GET') return { op: 'unsupportedVerb' };
		return comp === 'list'
			? { op: 'listContainers' }
			: { op: 'invalidQuery', parameter: 'comp', value: comp ?? '' };
	}
	if (blob === '') {
		if (restype !== 'container') return { op: 'invalidUri' };
		if (verb !== 'GET') return { op: 'unsupportedVerb' };
		return comp === 'list'
			? { op: 'listBlobs', container }
			: { op: 'invalidQuery', parameter: 'comp', value: comp ?? '' };
	}
	if (verb === 'GET') return { op: 'getBlob', container, blob };
	if (verb === 'PUT') return { op: 'putBlob', container, blob };
	return { op: 'unsupportedVerb' };
}

/** Text content as .NET's XmlWriter writes it: only `&`, `<` and `>` are escaped (quotes stay literal). */
function xmlEscape(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function xmlAttr(text: string): string {
	return xmlEscape(text).replace(/"/g, '&quot;');
}

/** Storage's timestamp in error messages: ISO 8601 with seven fractional digits. */
function storageTime(world: World): string {
	return isoTime(world.now).replace(/\.\d{3}Z$/, '.0000000Z');
}

interface Exchange {
	world: World;
	request: HttpRequest;
	account: StorageAccount;
	requestId: string;
}

function baseHeaders(x: Exchange): Record<string, string> {
	const version = header(x.request, 'x-ms-version');
	return {
		Server: SERVER,
		'x-ms-request-id': x.requestId,
		...(version !== undefined ? { 'x-ms-version': version } : {}),
		Date: httpDate(x.world.now)
	};
}

/** A Storage error response: XML body, `x-ms-error-code`, the message's first sentence on the status line. */
function storageError(
	x: Exchange,
	status: number,
	code: string,
	message: string,
	extraXml = '',
	extraHeaders: Record<string, string> = {}
): HttpResponse {
	const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${xmlEscape(message)}\nRequestId:${x.requestId}\nTime:${storageTime(x.world)}</Message>${extraXml}</Error>`;
	return {
		status,
		statusText: message,
		headers: {
			'Content-Length': String(utf8Bytes(body).length),
			'Content-Type': 'application/xml',
			...baseHeaders(x),
			'x-ms-error-code': code,
			...extraHeaders
		},
		body
	};
}

function detailXml(detail: string): string {
	return `<AuthenticationErrorDetail>${xmlEscape(detail)}</AuthenticationErrorDetail>`;
}

/** Storage's AuthenticationErrorDetail for each reason a bearer token was refused. */
export function storageAuthenticationDetail(failure: TokenFailure): string {
	switch (failure.reason) {
		case 'audience':
			return 'Audience validation failed. Audience did not match.';
		case 'expired':
			return 'Lifetime validation failed. The token is expired.';
		case 'notYetValid':
			return 'Lifetime validation failed. The token is not yet valid.';
		case 'noExpiry':
			return 'Lifetime validation failed. The token is missing an Expiration Time.';
		case 'issuer':
			return 'Issuer validation failed. Issuer did not match.';
		case 'unknownKey':
			return 'Signature validation failed. Unable to match key.';
		case 'signature':
		case 'algorithm':
		case 'malformed':
		case 'missing':
		case 'scheme':
			return 'Signature validation failed. Signature is invalid.';
	}
}

function findAccount(world: World, host: string): StorageAccount | undefined {
	const name = host.toLowerCase().replace(/\.blob\.core\.windows\.net$/, '');
	return Object.values(world.resources).find(
		(r): r is StorageAccount => r.kind === 'storageAccount' && r.name.toLowerCase() === name
	);
}

function containerId(account: StorageAccount, container: string): string {
	return `${account.id}/blobServices/default/containers/${container}`;
}

function targetOf(account: StorageAccount, r: Route): string {
	if (r.op === 'getBlob' || r.op === 'putBlob')
		return `${containerId(account, r.container)}/blobs/${r.blob}`;
	if (r.op === 'listBlobs') return containerId(account, r.container);
	return `${account.id}/blobServices/default`;
}

function findContainer(account: StorageAccount, name: string): BlobContainer | undefined {
	return Object.hasOwn(account.containers, name) ? account.containers[name] : undefined;
}

/** The lab's Blob service: routes a request for the account named by the host. */
export async function handleBlobStorage(
	ctx: HandlerContext,
	request: HttpRequest,
	url: URL
): Promise<ServiceResult> {
	const { world } = ctx;
	const account = findAccount(world, url.hostname);
	const r = route(request.method, url);
	const operation =
		r.op === 'getBlob' || r.op === 'putBlob' || r.op === 'listBlobs' || r.op === 'listContainers'
			? r.op
			: request.method.toLowerCase();
	const call = new ServiceCall(
		ctx,
		request,
		url,
		{
			service: 'storage',
			operation,
			target: account ? targetOf(account, r) : url.hostname,
			principalId: null,
			authMethod: 'none'
		},
		`Blob Storage of account '${account?.name ?? url.hostname}'`
	);
	if (account === undefined) {
		const explanation = `No storage account named '${url.hostname.split('.')[0] ?? ''}' exists in this world. List accounts with az storage account list.`;
		return call.finish(
			{ status: 404, statusText: 'Not Found', headers: {}, body: '' },
			{ errorCode: 'AccountNotFound', explanation }
		);
	}
	const x: Exchange = { world, request, account, requestId: requestId(world, 'storage', request) };
	const authorization = header(request, 'Authorization')?.trim() ?? '';
	const scheme = authorization.split(/\s+/)[0] ?? '';

	if (authorization === '') {
		const explanation = explainTokenFailure(
			{ reason: 'missing', message: 'The request has no Authorization header.' },
			'storage'
		);
		call.check('token', 'Authenticate', false, explanation);
		const response = storageError(x, 401, 'NoAuthenticationInformation', NO_AUTH, '', {
			'WWW-Authenticate': challenge(world)
		});
		return call.finish(response, { errorCode: 'NoAuthenticationInformation', explanation });
	}
	// Storage parses the scheme case-insensitively.
	if (scheme.toLowerCase() === 'sharedkey') return sharedKeyCall(call, x, r, authorization);
	if (scheme.toLowerCase() !== 'bearer') {
		const explanation = `The Authorization header uses the '${scheme}' scheme. Blob Storage accepts "Bearer <access token>" (Entra ID, authorized by Azure RBAC) or "SharedKey <account>:<signature>" (the account key).`;
		call.check('token', 'Authenticate', false, explanation);
		const response = storageError(
			x,
			403,
			'AuthenticationFailed',
			AUTH_FAILED,
			detailXml(`Authentication scheme ${scheme} is not supported`)
		);
		return call.finish(response, { errorCode: 'AuthenticationFailed', explanation });
	}

	call.record.authMethod = 'bearer';
	const version = header(request, 'x-ms-version') ?? '';
	if (version < MIN_BEARER_VERSION) {
		const explanation = `${version === '' ? 'The request has no x-ms-version header, so Storage answers with its oldest API version' : `x-ms-version ${version} is older than ${MIN_BEARER_VERSION}`}, which predates Entra ID tokens. Send -H "x-ms-version: 2021-12-02" (any version from ${MIN_BEARER_VERSION}) with a bearer token.`;
		call.check('token', 'Validate token', false, explanation);
		const response = storageError(
			x,
			403,
			'AuthenticationFailed',
			AUTH_FAILED,
			detailXml('Authentication scheme Bearer is not supported in this version.')
		);
		return call.finish(response, { errorCode: 'AuthenticationFailed', explanation });
	}
	const raw = authorization.slice('Bearer'.length).trim();
	const token = await validateAccessToken(world, raw, storageAudiences(account.name));
	if (!token.ok) {
		const explanation = explainTokenFailure(token.error, 'storage');
		call.check('token', 'Validate token', false, explanation);
		const response =
			token.error.reason === 'malformed'
				? storageError(
						x,
						400,
						'InvalidAuthenticationInfo',
						'Authentication information is not given in the correct format. Check the value of Authorization header.'
					)
				: storageError(
						x,
						401,
						'InvalidAuthenticationInfo',
						NO_AUTH,
						detailXml(storageAuthenticationDetail(token.error)),
						{
							'WWW-Authenticate': challenge(world)
						}
					);
		return call.finish(response, { errorCode: 'InvalidAuthenticationInfo', explanation });
	}
	const caller = token.value;
	call.tokenAccepted(caller);

	const valid = validRoute(call, x, r);
	if ('response' in valid) return valid;
	const { action, plane } = BLOB_ACTIONS[valid.op];
	const target = targetOf(account, valid);
	const decision = authorize(world, caller.principalId, action, target, plane);
	const decisionText = explainDecision(decision);
	call.rbacCheck(
		{ principalId: caller.principalId, action, scope: target, plane },
		decision,
		decisionText
	);
	if (!decision.allowed) {
		const response = storageError(x, 403, 'AuthorizationPermissionMismatch', MISMATCH);
		return call.finish(response, {
			errorCode: 'AuthorizationPermissionMismatch',
			explanation: decisionText
		});
	}
	return perform(call, x, valid);
}

function challenge(world: World): string {
	return `Bearer authorization_uri=https://login.microsoftonline.com/${world.tenant.tenantId}/oauth2/authorize resource_id=https://storage.azure.com`;
}

/** The route, or the answer to a request the Blob service rejects before authorization (verb, query, header). */
function validRoute(call: ServiceCall, x: Exchange, r: Route): ServiceResult | Valid {
	switch (r.op) {
		case 'unsupportedVerb':
			return call.finish(
				storageError(
					x,
					405,
					'UnsupportedHttpVerb',
					"The resource doesn't support specified Http Verb."
				),
				{
					errorCode: 'UnsupportedHttpVerb',
					explanation: `This lab's Blob service supports GET and PUT of a blob (/{container}/{blob}), GET /{container}?restype=container&comp=list and GET /?comp=list; ${x.request.method.toUpperCase()} is not one of them here.`
				}
			);
		case 'invalidQuery':
			return call.finish(
				storageError(
					x,
					400,
					'InvalidQueryParameterValue',
					'Value for one of the query parameters specified in the request URI is invalid.',
					`<QueryParameterName>${r.parameter}</QueryParameterName><QueryParameterValue>${xmlEscape(r.value)}</QueryParameterValue><Reason />`
				),
				{
					errorCode: 'InvalidQueryParameterValue',
					explanation:
						'To list, add comp=list: GET /?comp=list lists containers, GET /{container}?restype=container&comp=list lists the blobs of a container.'
				}
			);
		case 'invalidUri':
			return call.finish(
				storageError(
					x,
					400,
					'InvalidUri',
					'The requested URI does not represent any resource on the server.'
				),
				{
					errorCode: 'InvalidUri',
					explanation:
						'A container URL needs ?restype=container (e.g. ?restype=container&comp=list to list its blobs); a blob URL is /{container}/{blob}.'
				}
			);
		case 'putBlob': {
			const type = header(x.request, 'x-ms-blob-type');
			if (type === undefined) {
				return call.finish(
					storageError(
						x,
						400,
						'MissingRequiredHeader',
						"An HTTP header that's mandatory for this request is not specified.",
						'<HeaderName>x-ms-blob-type</HeaderName>'
					),
					{
						errorCode: 'MissingRequiredHeader',
						explanation: 'Uploading a blob needs the header x-ms-blob-type: BlockBlob.'
					}
				);
			}
			if (type !== 'BlockBlob') {
				return call.finish(
					storageError(
						x,
						400,
						'InvalidHeaderValue',
						'The value for one of the HTTP headers is not in the correct format.',
						`<HeaderName>x-ms-blob-type</HeaderName><HeaderValue>${xmlEscape(type)}</HeaderValue>`
					),
					{
						errorCode: 'InvalidHeaderValue',
						explanation: `This lab stores block blobs only: send x-ms-blob-type: BlockBlob (not '${type}').`
					}
				);
			}
			return r;
		}
		default:
			return r;
	}
}

/** Shared Key: the signature is checked with the account keys; there is no principal and no Azure RBAC. */
async function sharedKeyCall(
	call: ServiceCall,
	x: Exchange,
	r: Route,
	authorization: string
): Promise<ServiceResult> {
	call.record.authMethod = 'sharedKey';
	const title = 'Validate Shared Key signature';
	const param = authorization.slice('SharedKey'.length).trim();
	const colon = param.indexOf(':');
	const signature = colon < 0 ? '' : param.slice(colon + 1);
	if (colon <= 0 || signature === '') {
		const explanation =
			'A Shared Key header looks like "SharedKey <account>:<base64 HMAC-SHA256 signature>". The SDKs build it from a connection string.';
		call.check('token', title, false, explanation);
		const response = storageError(
			x,
			400,
			'InvalidAuthenticationInfo',
			'Authentication information is not given in the correct format. Check the value of Authorization header.'
		);
		return call.finish(response, { errorCode: 'InvalidAuthenticationInfo', explanation });
	}
	const date = header(x.request, 'x-ms-date') ?? header(x.request, 'Date');
	const fail = (detail: string, explanation: string) => {
		call.check('token', title, false, explanation);
		return call.finish(
			storageError(x, 403, 'AuthenticationFailed', AUTH_FAILED, detailXml(detail)),
			{ errorCode: 'AuthenticationFailed', explanation }
		);
	};
	if (date === undefined) {
		return fail(
			'Request date header not specified',
			'A Shared Key request carries its time in x-ms-date (or Date), and the signature covers it, so a captured request cannot be replayed later.'
		);
	}
	const sent = Date.parse(date) / 1000;
	if (Number.isNaN(sent)) {
		return fail(
			'The Date header in the request is incorrect.',
			`'${date}' is not an HTTP date such as ${httpDate(x.world.now)}.`
		);
	}
	if (sent < x.world.now - DATE_LAG_SECONDS) {
		return fail(
			`Request date header too old: '${httpDate(Math.floor(sent) as World['now'])}'`,
			`The request was signed at ${date}, more than 15 minutes before the service's current time ${httpDate(x.world.now)}. Sign it again with the current time.`
		);
	}
	const stringToSign = sharedKeyStringToSign(x.request, x.account.name);
	const expected = await Promise.all(
		[x.account.keys.key1, x.account.keys.key2].map((k) => sharedKeySignature(stringToSign, k))
	);
	if (!expected.includes(signature)) {
		return fail(
			`The MAC signature found in the HTTP request '${signature}' is not the same as any computed signature. Server used following string to sign: '${stringToSign}'.`,
			`The signature was not made with either key of '${x.account.name}' over this request (wrong or rotated key, or the request changed after signing). The service shows the string it signed so that clients can compare.`
		);
	}
	call.check(
		'token',
		title,
		true,
		`The signature matches account key ${expected[0] === signature ? 'key1' : 'key2'} of '${x.account.name}'. Shared Key proves only that the caller holds the key: there is no identity behind it.`
	);
	const valid = validRoute(call, x, r);
	if ('response' in valid) return valid;
	call.check(
		'authorize',
		'Authorize (Shared Key: no RBAC)',
		true,
		`Azure RBAC is not consulted: the account key grants full access to every container and blob, from any machine that has it — an on-premises server, a laptop, an attacker who read a config file. Nothing records who used it. A managed identity avoids keeping this key anywhere.`
	);
	return perform(call, x, valid);
}

function blobEtag(world: World): string {
	// The same formula putBlob applies with the world's next counter value, so the ETag matches the stored blob.
	return seededEtag(world.seed, world.idCounter);
}

function perform(call: ServiceCall, x: Exchange, r: Valid): ServiceResult {
	const { account, world, request } = x;
	if (r.op === 'listContainers') {
		const names = Object.keys(account.containers).sort();
		const items = names
			.map((name) => {
				const c = account.containers[name];
				const modified = c === undefined ? world.now : c.createdAt;
				return `<Container><Name>${xmlEscape(name)}</Name><Properties><Last-Modified>${httpDate(modified)}</Last-Modified><Etag>${seededEtag(world.seed, `${account.id}/${name}`)}</Etag><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold></Properties></Container>`;
			})
			.join('');
		const body = `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://${account.name}.blob.core.windows.net/"><Containers>${items}</Containers><NextMarker /></EnumerationResults>`;
		return call.finish(xmlOk(x, body), { detail: `200 OK: ${names.length} container(s) listed.` });
	}
	const container = findContainer(account, r.container);
	if (container === undefined) {
		return call.finish(
			storageError(x, 404, 'ContainerNotFound', 'The specified container does not exist.'),
			{
				errorCode: 'ContainerNotFound',
				explanation: `Storage account '${account.name}' has no container named '${r.container}' (names are case-sensitive). List them with GET /?comp=list or az storage container list --account-name ${account.name} --auth-mode login.`
			}
		);
	}
	if (r.op === 'listBlobs') {
		const names = Object.keys(container.blobs).sort();
		const items = names
			.map((name) => {
				const b = container.blobs[name];
				if (b === undefined) return '';
				return `<Blob><Name>${xmlEscape(name)}</Name><Properties><Creation-Time>${httpDate(b.lastModified)}</Creation-Time><Last-Modified>${httpDate(b.lastModified)}</Last-Modified><Etag>${b.etag.replace(/"/g, '')}</Etag><Content-Length>${utf8Bytes(b.content).length}</Content-Length><Content-Type>${xmlEscape(b.contentType)}</Content-Type><BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier><AccessTierInferred>true</AccessTierInferred><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted></Properties><OrMetadata /></Blob>`;
			})
			.join('');
		const body = `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://${account.name}.blob.core.windows.net/" ContainerName="${xmlAttr(r.container)}"><Blobs>${items}</Blobs><NextMarker /></EnumerationResults>`;
		return call.finish(xmlOk(x, body), {
			detail: `200 OK: ${names.length} blob(s) in container '${r.container}' listed.`
		});
	}
	if (r.op === 'getBlob') {
		const blob = Object.hasOwn(container.blobs, r.blob) ? container.blobs[r.blob] : undefined;
		if (blob === undefined) {
			return call.finish(
				storageError(x, 404, 'BlobNotFound', 'The specified blob does not exist.'),
				{
					errorCode: 'BlobNotFound',
					explanation: `Container '${r.container}' has no blob named '${r.blob}' (names are case-sensitive). List the blobs with GET /${r.container}?restype=container&comp=list.`
				}
			);
		}
		const response: HttpResponse = {
			status: 200,
			statusText: 'OK',
			headers: {
				'Content-Length': String(utf8Bytes(blob.content).length),
				'Content-Type': blob.contentType,
				'Last-Modified': httpDate(blob.lastModified),
				'Accept-Ranges': 'bytes',
				ETag: blob.etag,
				...baseHeaders(x),
				'x-ms-creation-time': httpDate(blob.lastModified),
				'x-ms-lease-status': 'unlocked',
				'x-ms-lease-state': 'available',
				'x-ms-blob-type': 'BlockBlob',
				'x-ms-server-encrypted': 'true'
			},
			body: blob.content
		};
		return call.finish(response, { detail: `200 OK: the content of '${r.blob}' is in the body.` });
	}
	const content = request.body ?? '';
	const contentType = header(request, 'x-ms-blob-content-type') ?? header(request, 'Content-Type');
	const response: HttpResponse = {
		status: 201,
		statusText: 'Created',
		headers: {
			'Content-Length': '0',
			ETag: blobEtag(world),
			'Last-Modified': httpDate(world.now),
			...baseHeaders(x),
			'x-ms-request-server-encrypted': 'true'
		},
		body: ''
	};
	return call.finish(response, {
		detail: `201 Created: '${r.blob}' (${utf8Bytes(content).length} bytes) is stored in '${account.name}/${r.container}'.`,
		operations: [
			{
				type: 'putBlob',
				accountId: account.id,
				container: r.container,
				name: r.blob,
				content,
				...(contentType !== undefined ? { contentType } : {})
			}
		]
	});
}

function xmlOk(x: Exchange, body: string): HttpResponse {
	return {
		status: 200,
		statusText: 'OK',
		headers: { 'Content-Type': 'application/xml', ...baseHeaders(x) },
		body
	};
}
