import { describe, expect, it } from 'vitest';
import type { World } from '../../../src/core/azure/model.ts';
import { getResource } from '../../../src/core/azure/queries.ts';
import type { HttpRequest } from '../../../src/core/http/types.ts';
import { handleBlobStorage } from '../../../src/core/services/blob-storage.ts';
import { httpDate } from '../../../src/core/services/exchange.ts';
import {
	sharedKeyStringToSign,
	signSharedKeyRequest
} from '../../../src/core/services/shared-key.ts';
import {
	apply,
	at,
	call,
	hopTrail,
	lab,
	loadStrangerKey,
	mint,
	recorded,
	RG,
	STORAGE,
	tamper,
	TENANT,
	withRole
} from './service-fixture.ts';
import type { Lab } from './service-fixture.ts';

const HOST = 'https://ststockdata.blob.core.windows.net';
const BLOB_URL = `${HOST}/quotes/today.csv`;
const AUD = 'https://storage.azure.com/';
const VERSION = { 'x-ms-version': '2021-12-02' };
const OUTSIDE = { kind: 'outside', machine: 'onprem-legacy-01' } as const;
const CHALLENGE = `Bearer authorization_uri=https://login.microsoftonline.com/${TENANT}/oauth2/authorize resource_id=https://storage.azure.com`;

function request(
	url: string,
	headers: Record<string, string> = {},
	method = 'GET',
	body?: string
): HttpRequest {
	return { method, url, headers, ...(body !== undefined ? { body } : {}) };
}

async function bearer(
	l: Lab,
	world: World,
	url: string,
	token: string,
	extra: Record<string, string> = VERSION,
	method = 'GET',
	body?: string
) {
	return call(
		handleBlobStorage,
		l,
		world,
		request(url, { Authorization: `Bearer ${token}`, ...extra }, method, body)
	);
}

function code(xml: string): string | undefined {
	return /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
}

function detail(xml: string): string | undefined {
	return /<AuthenticationErrorDetail>([^<]*)<\/AuthenticationErrorDetail>/.exec(xml)?.[1];
}

async function roleLab(role: string, scope = STORAGE): Promise<Lab> {
	return withRole(await lab(), role, scope);
}

function keysOf(world: World): { key1: string; key2: string } {
	const account = getResource(world, STORAGE);
	if (account?.kind !== 'storageAccount') throw new Error('no account');
	return account.keys;
}

describe('Blob Storage: authentication', () => {
	it('answers an anonymous request with 401 NoAuthenticationInformation and the bearer challenge', async () => {
		const l = await lab();
		const r = await call(handleBlobStorage, l, l.world, request(BLOB_URL, VERSION));
		expect(r.response.status).toBe(401);
		expect(r.response.statusText).toBe(
			'Server failed to authenticate the request. Please refer to the information in the www-authenticate header.'
		);
		expect(r.response.headers['x-ms-error-code']).toBe('NoAuthenticationInformation');
		expect(r.response.headers['WWW-Authenticate']).toBe(CHALLENGE);
		expect(r.response.headers.Server).toBe('Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0');
		expect(r.response.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
		expect(r.response.body).toMatch(
			/^<\?xml version="1\.0" encoding="utf-8"\?><Error><Code>NoAuthenticationInformation<\/Code><Message>Server failed to authenticate the request\. Please refer to the information in the www-authenticate header\.\nRequestId:[0-9a-f-]{36}\nTime:2026-03-02T09:00:00\.0000000Z<\/Message><\/Error>$/
		);
		expect(hopTrail(r)).toEqual(['request:ok', 'check:fail', 'response:fail']);
		expect(recorded(r)).toMatchObject({
			service: 'storage',
			operation: 'getBlob',
			status: 401,
			authMethod: 'none',
			principalId: null,
			errorCode: 'NoAuthenticationInformation'
		});
		expect(r.explanation).toContain('resource=https://storage.azure.com/');
	});

	it('answers a bearer token without x-ms-version with 403 AuthenticationFailed', async () => {
		const l = await lab();
		const r = await bearer(l, l.world, BLOB_URL, await mint(l, AUD), {});
		expect(r.response.status).toBe(403);
		expect(r.response.statusText).toBe(
			'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.'
		);
		expect(code(r.response.body)).toBe('AuthenticationFailed');
		expect(detail(r.response.body)).toBe(
			'Authentication scheme Bearer is not supported in this version.'
		);
		expect(r.explanation).toContain('x-ms-version');
		const old = await bearer(l, l.world, BLOB_URL, await mint(l, AUD), {
			'x-ms-version': '2017-04-17'
		});
		expect(old.response.status).toBe(403);
	});

	it('answers an unsupported scheme with 403 AuthenticationFailed', async () => {
		const l = await lab();
		const r = await call(
			handleBlobStorage,
			l,
			l.world,
			request(BLOB_URL, { Authorization: 'Basic eDp5', ...VERSION })
		);
		expect(r.response.status).toBe(403);
		expect(detail(r.response.body)).toBe('Authentication scheme Basic is not supported');
	});

	const cases: [string, (l: Lab) => Promise<string>, string][] = [
		[
			'a token for Key Vault',
			(l) => mint(l, 'https://vault.azure.net'),
			'Audience validation failed. Audience did not match.'
		],
		[
			'an expired token',
			(l) =>
				mint(l, AUD, {
					iat: at(l.world, -90_000),
					nbf: at(l.world, -90_000),
					exp: at(l.world, -1)
				}),
			'Lifetime validation failed. The token is expired.'
		],
		[
			'a tenant-signed token without exp',
			(l) => mint(l, AUD, { exp: undefined }),
			'Lifetime validation failed. The token is missing an Expiration Time.'
		],
		[
			'a token that is not valid yet',
			(l) => mint(l, AUD, { nbf: at(l.world, 900) }),
			'Lifetime validation failed. The token is not yet valid.'
		],
		[
			'a token of another tenant',
			(l) => mint(l, AUD, { iss: 'https://sts.windows.net/11111111-2222-4333-8444-555555555555/' }),
			'Issuer validation failed. Issuer did not match.'
		],
		[
			'a tampered token',
			async (l) => tamper(await mint(l, AUD), { oid: 'x' }),
			'Signature validation failed. Signature is invalid.'
		],
		[
			'a token signed by an unknown key',
			async (l) => mint(l, AUD, {}, await loadStrangerKey()),
			'Signature validation failed. Unable to match key.'
		]
	];
	for (const [what, token, expected] of cases) {
		it(`answers ${what} with 401 InvalidAuthenticationInfo: ${expected}`, async () => {
			const l = await lab();
			const r = await bearer(l, l.world, BLOB_URL, await token(l));
			expect(r.response.status).toBe(401);
			expect(r.response.headers['x-ms-error-code']).toBe('InvalidAuthenticationInfo');
			expect(r.response.headers['WWW-Authenticate']).toBe(CHALLENGE);
			expect(detail(r.response.body)).toBe(expected);
			expect(r.explanation).toBeTruthy();
			expect(recorded(r)).toMatchObject({ status: 401, authMethod: 'bearer', principalId: null });
		});
	}

	it('answers text that is not a JWT with 400 InvalidAuthenticationInfo', async () => {
		const l = await lab();
		const r = await bearer(l, l.world, BLOB_URL, 'hello');
		expect(r.response.status).toBe(400);
		expect(r.response.statusText).toBe(
			'Authentication information is not given in the correct format. Check the value of Authorization header.'
		);
	});

	it('accepts the account URL as audience', async () => {
		const l = await roleLab('Storage Blob Data Reader');
		const r = await bearer(
			l,
			l.world,
			BLOB_URL,
			await mint(l, 'https://ststockdata.blob.core.windows.net')
		);
		expect(r.response.status).toBe(200);
	});
});

describe('Blob Storage: authorization (403)', () => {
	it('refuses an identity without role with AuthorizationPermissionMismatch', async () => {
		const l = await lab();
		const r = await bearer(l, l.world, BLOB_URL, await mint(l, AUD));
		expect(r.response.status).toBe(403);
		expect(r.response.statusText).toBe(
			'This request is not authorized to perform this operation using this permission.'
		);
		expect(code(r.response.body)).toBe('AuthorizationPermissionMismatch');
		expect(hopTrail(r)).toEqual(['request:ok', 'check:ok', 'check:fail', 'response:fail']);
		expect(r.hops[2]?.detail).toContain('Storage Blob Data Reader');
		expect(recorded(r)).toMatchObject({
			status: 403,
			principalId: l.principalId,
			errorCode: 'AuthorizationPermissionMismatch'
		});
	});

	it('refuses Reader on the resource group and suggests Storage Blob Data Reader', async () => {
		const l = await roleLab('Reader', RG);
		const r = await bearer(l, l.world, BLOB_URL, await mint(l, AUD));
		expect(r.response.status).toBe(403);
		expect(r.explanation).toContain('Reader on resource group rg-stock');
		expect(r.explanation).toContain('no data actions');
		expect(r.explanation).toContain('Storage Blob Data Reader on storage account ststockdata');
	});

	it('refuses a write to a Storage Blob Data Reader', async () => {
		const l = await roleLab('Storage Blob Data Reader');
		const r = await bearer(
			l,
			l.world,
			BLOB_URL,
			await mint(l, AUD),
			{ ...VERSION, 'x-ms-blob-type': 'BlockBlob' },
			'PUT',
			'x'
		);
		expect(r.response.status).toBe(403);
		expect(r.operations.map((o) => o.type)).toEqual(['recordServiceCall']);
	});
});

describe('Blob Storage: data', () => {
	it('returns a blob to a Storage Blob Data Reader on the account', async () => {
		const l = await roleLab('Storage Blob Data Reader');
		const account = getResource(l.world, STORAGE);
		const blob =
			account?.kind === 'storageAccount'
				? account.containers.quotes?.blobs['today.csv']
				: undefined;
		const r = await bearer(l, l.world, BLOB_URL, await mint(l, AUD));
		expect(r.response.status).toBe(200);
		expect(r.response.body).toBe(blob?.content);
		expect(r.response.headers['Content-Type']).toBe('text/csv');
		expect(r.response.headers.ETag).toBe(blob?.etag);
		expect(r.response.headers['Last-Modified']).toBe(httpDate(blob?.lastModified ?? l.world.now));
		expect(r.response.headers['x-ms-version']).toBe('2021-12-02');
		expect(r.response.headers.Date).toBe(httpDate(l.world.now));
		expect(hopTrail(r)).toEqual(['request:ok', 'check:ok', 'check:ok', 'response:ok']);
		expect(recorded(r)).toMatchObject({
			status: 200,
			target: `${STORAGE}/blobServices/default/containers/quotes/blobs/today.csv`
		});
	});

	it('answers BlobNotFound and ContainerNotFound', async () => {
		const l = await roleLab('Storage Blob Data Reader');
		const token = await mint(l, AUD);
		const blob = await bearer(l, l.world, `${HOST}/quotes/tomorrow.csv`, token);
		expect(blob.response.status).toBe(404);
		expect(blob.response.statusText).toBe('The specified blob does not exist.');
		expect(code(blob.response.body)).toBe('BlobNotFound');
		const container = await bearer(l, l.world, `${HOST}/prices/today.csv`, token);
		expect(container.response.status).toBe(404);
		expect(code(container.response.body)).toBe('ContainerNotFound');
		expect(container.explanation).toContain("no container named 'prices'");
	});

	it('lists blobs and containers as XML', async () => {
		const l = await roleLab('Storage Blob Data Reader');
		const token = await mint(l, AUD);
		const blobs = await bearer(l, l.world, `${HOST}/quotes?restype=container&comp=list`, token);
		expect(blobs.response.status).toBe(200);
		expect(blobs.response.headers['Content-Type']).toBe('application/xml');
		expect(blobs.response.body).toContain(
			'<EnumerationResults ServiceEndpoint="https://ststockdata.blob.core.windows.net/" ContainerName="quotes"><Blobs><Blob><Name>today.csv</Name>'
		);
		expect(blobs.response.body).toContain('<BlobType>BlockBlob</BlobType>');
		const containers = await bearer(l, l.world, `${HOST}/?comp=list`, token);
		expect(containers.response.status).toBe(200);
		expect(containers.response.body).toContain('<Containers><Container><Name>quotes</Name>');
		expect(recorded(containers)).toMatchObject({
			operation: 'listContainers',
			target: `${STORAGE}/blobServices/default`
		});
	});

	it('refuses to list containers without a role granting containers/read', async () => {
		const l = await lab();
		const r = await bearer(l, l.world, `${HOST}/?comp=list`, await mint(l, AUD));
		expect(r.response.status).toBe(403);
	});

	it('writes a block blob for a Storage Blob Data Contributor; the stored ETag is the one answered', async () => {
		const l = await roleLab('Storage Blob Data Contributor');
		const r = await bearer(
			l,
			l.world,
			`${HOST}/quotes/new.csv`,
			await mint(l, AUD),
			{ ...VERSION, 'x-ms-blob-type': 'BlockBlob', 'Content-Type': 'text/csv' },
			'PUT',
			'a,b\n'
		);
		expect(r.response.status).toBe(201);
		expect(r.response.statusText).toBe('Created');
		expect(r.operations.map((o) => o.type)).toEqual(['putBlob', 'recordServiceCall']);
		const world = apply(l.world, r.operations);
		const account = getResource(world, STORAGE);
		const stored =
			account?.kind === 'storageAccount' ? account.containers.quotes?.blobs['new.csv'] : undefined;
		expect(stored).toMatchObject({
			content: 'a,b\n',
			contentType: 'text/csv',
			lastModified: l.world.now
		});
		expect(r.response.headers.ETag).toBe(stored?.etag);
	});

	it('requires x-ms-blob-type BlockBlob on a write', async () => {
		const l = await roleLab('Storage Blob Data Contributor');
		const token = await mint(l, AUD);
		const missing = await bearer(l, l.world, `${HOST}/quotes/new.csv`, token, VERSION, 'PUT', 'x');
		expect(missing.response.status).toBe(400);
		expect(code(missing.response.body)).toBe('MissingRequiredHeader');
		expect(missing.response.body).toContain('<HeaderName>x-ms-blob-type</HeaderName>');
		const page = await bearer(
			l,
			l.world,
			`${HOST}/quotes/new.csv`,
			token,
			{ ...VERSION, 'x-ms-blob-type': 'PageBlob' },
			'PUT',
			'x'
		);
		expect(page.response.status).toBe(400);
		expect(code(page.response.body)).toBe('InvalidHeaderValue');
	});

	it('answers unsupported verbs and malformed URLs', async () => {
		const l = await roleLab('Storage Blob Data Contributor');
		const token = await mint(l, AUD);
		const del = await bearer(l, l.world, BLOB_URL, token, VERSION, 'DELETE');
		expect(del.response.status).toBe(405);
		expect(code(del.response.body)).toBe('UnsupportedHttpVerb');
		const root = await bearer(l, l.world, `${HOST}/`, token);
		expect(root.response.status).toBe(400);
		expect(code(root.response.body)).toBe('InvalidQueryParameterValue');
		const container = await bearer(l, l.world, `${HOST}/quotes`, token);
		expect(container.response.status).toBe(400);
		expect(code(container.response.body)).toBe('InvalidUri');
	});
});

describe('Blob Storage: Shared Key (the leaked connection string)', () => {
	it('builds the canonical string-to-sign of the Blob service', () => {
		const text = sharedKeyStringToSign(
			{
				method: 'PUT',
				url: `${HOST}/quotes/a%20b.csv?timeout=30&Comp=block&comp=x`,
				headers: {
					'x-ms-version': '2021-12-02',
					'X-MS-Date': 'Mon, 02 Mar 2026 09:00:00 GMT',
					'Content-Type': 'text/csv',
					'x-ms-blob-type': 'BlockBlob'
				},
				body: 'héllo'
			},
			'ststockdata'
		);
		expect(text).toBe(
			'PUT\n\n\n6\n\ntext/csv\n\n\n\n\n\n\n' +
				'x-ms-blob-type:BlockBlob\nx-ms-date:Mon, 02 Mar 2026 09:00:00 GMT\nx-ms-version:2021-12-02\n' +
				'/ststockdata/quotes/a%20b.csv\ncomp:block,x\ntimeout:30'
		);
	});

	it('serves a request signed with the account key from a machine outside Azure, without RBAC', async () => {
		const l = await lab();
		const signed = await signSharedKeyRequest(
			request(BLOB_URL, VERSION),
			'ststockdata',
			keysOf(l.world).key1,
			httpDate(l.world.now)
		);
		if (signed === null) throw new Error('the key did not decode');
		expect(signed.headers.Authorization).toMatch(/^SharedKey ststockdata:[A-Za-z0-9+/]{43}=$/);
		const r = await call(handleBlobStorage, l, l.world, signed, OUTSIDE);
		expect(r.response.status).toBe(200);
		expect(r.hops.map((h) => h.title)).toEqual([
			'GET /quotes/today.csv',
			'Validate Shared Key signature',
			'Authorize (Shared Key: no RBAC)',
			'200 OK'
		]);
		expect(r.hops[2]?.detail).toContain('Azure RBAC is not consulted');
		expect(recorded(r)).toMatchObject({
			status: 200,
			authMethod: 'sharedKey',
			principalId: null,
			source: 'onprem-legacy-01'
		});
	});

	it('accepts key2 and writes with it', async () => {
		const l = await lab();
		const put = request(
			`${HOST}/quotes/leak.txt`,
			{ ...VERSION, 'x-ms-blob-type': 'BlockBlob' },
			'PUT',
			'pwned'
		);
		const signed = await signSharedKeyRequest(
			put,
			'ststockdata',
			keysOf(l.world).key2,
			httpDate(l.world.now)
		);
		if (signed === null) throw new Error('the key did not decode');
		const r = await call(handleBlobStorage, l, l.world, signed, OUTSIDE);
		expect(r.response.status).toBe(201);
		expect(r.hops[1]?.detail).toContain('key2');
	});

	it('refuses a wrong key, showing the string it signed', async () => {
		const l = await lab();
		const wrongKey = Buffer.from('not the key of this account, not at all!').toString('base64');
		const signed = await signSharedKeyRequest(
			request(BLOB_URL, VERSION),
			'ststockdata',
			wrongKey,
			httpDate(l.world.now)
		);
		if (signed === null) throw new Error('the key did not decode');
		const r = await call(handleBlobStorage, l, l.world, signed, OUTSIDE);
		expect(r.response.status).toBe(403);
		expect(code(r.response.body)).toBe('AuthenticationFailed');
		const sig = signed.headers.Authorization?.split(':')[1] ?? '';
		expect(detail(r.response.body)).toBe(
			`The MAC signature found in the HTTP request '${sig}' is not the same as any computed signature. Server used following string to sign: '${sharedKeyStringToSign(signed, 'ststockdata')}'.`
		);
		expect(recorded(r)).toMatchObject({
			status: 403,
			authMethod: 'sharedKey',
			errorCode: 'AuthenticationFailed'
		});
	});

	it('refuses a request without date, with an old date, or with a malformed header', async () => {
		const l = await lab();
		const { key1 } = keysOf(l.world);
		const signed = await signSharedKeyRequest(
			request(BLOB_URL, VERSION),
			'ststockdata',
			key1,
			httpDate(l.world.now)
		);
		const noDate = {
			...request(BLOB_URL, VERSION),
			headers: { ...VERSION, Authorization: signed?.headers.Authorization ?? '' }
		};
		const a = await call(handleBlobStorage, l, l.world, noDate, OUTSIDE);
		expect(a.response.status).toBe(403);
		expect(detail(a.response.body)).toBe('Request date header not specified');
		const later = apply(l.world, [{ type: 'advanceClock', seconds: 3600 }]);
		const b = await call(handleBlobStorage, l, later, signed ?? noDate, OUTSIDE);
		expect(b.response.status).toBe(403);
		expect(detail(b.response.body)).toBe(`Request date header too old: '${httpDate(l.world.now)}'`);
		const c = await call(
			handleBlobStorage,
			l,
			l.world,
			request(BLOB_URL, { Authorization: 'SharedKey ststockdata' }),
			OUTSIDE
		);
		expect(c.response.status).toBe(400);
		expect(code(c.response.body)).toBe('InvalidAuthenticationInfo');
	});
});
