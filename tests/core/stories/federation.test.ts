/**
 * Story: workload identity federation (curriculum lesson 15). A pod's projected service-account token, signed
 * by the AKS cluster's own OIDC issuer key, is exchanged at Entra ID's v2.0 token endpoint for the user-assigned
 * identity's token when a federated credential matches its issuer, subject and audience.
 * Docs: learn.microsoft.com/entra/workload-id/workload-identity-federation,
 * learn.microsoft.com/azure/aks/workload-identity-overview (reference 2.5),
 * learn.microsoft.com/cli/azure/identity/federated-credential, AADSTS codes:
 * learn.microsoft.com/entra/identity-platform/reference-error-codes.
 */
import { describe, expect, it } from 'vitest';
import { json, terminal } from '../shell/terminal.ts';
import { decodeForDisplay } from '../../../src/core/crypto/index.ts';
import { verifyAccessToken } from '../../../src/core/crypto/index.ts';
import { tenantJwks } from '../../../src/core/token/entra.ts';
import { issuerJwks } from '../../../src/core/token/federation.ts';

const ISSUER_QUERY =
	'az aks show -g rg-stock -n aks-stock --query oidcIssuerProfile.issuerUrl -o tsv';

async function setUp(options: { subject?: string; audiences?: string } = {}) {
	const t = await terminal();
	await t.script(['az identity create -g rg-stock -n id-worker']);
	const issuer = (await t.run(ISSUER_QUERY)).stdout.trim();
	const clientId = (
		await t.run('az identity show -g rg-stock -n id-worker --query clientId -o tsv')
	).stdout.trim();
	const created = await t.run(
		`az identity federated-credential create -g rg-stock --identity-name id-worker -n aks-stock-worker --issuer ${issuer} --subject ${options.subject ?? 'system:serviceaccount:default:stock-worker'}${options.audiences ? ` --audiences ${options.audiences}` : ''}`
	);
	expect(created.exitCode, created.stderr).toBe(0);
	await t.script([
		`kubectl annotate serviceaccount stock-worker azure.workload.identity/client-id=${clientId}`,
		'kubectl exec -it stock-worker -- sh'
	]);
	return { t, issuer, clientId, created };
}

const EXCHANGE =
	'curl -s -X POST "$AZURE_AUTHORITY_HOST$AZURE_TENANT_ID/oauth2/v2.0/token" -d client_id=$AZURE_CLIENT_ID -d scope=https://vault.azure.net/.default -d grant_type=client_credentials -d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer -d client_assertion=$(cat $AZURE_FEDERATED_TOKEN_FILE)';

describe('az identity federated-credential (learn.microsoft.com/cli/azure/identity/federated-credential)', () => {
	it('create prints az’s shape with the default audience api://AzureADTokenExchange; list, show, delete', async () => {
		const { t, issuer, created } = await setUp();
		const view = json(created);
		expect(view).toEqual({
			audiences: ['api://AzureADTokenExchange'],
			// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matcher
			id: expect.stringMatching(
				/\/resourcegroups\/rg-stock\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/id-worker\/federatedIdentityCredentials\/aks-stock-worker$/
			),
			issuer,
			name: 'aks-stock-worker',
			resourceGroup: 'rg-stock',
			subject: 'system:serviceaccount:default:stock-worker',
			systemData: null,
			type: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials'
		});
		await t.run('exit');
		expect(
			json<unknown[]>(
				await t.run('az identity federated-credential list -g rg-stock --identity-name id-worker')
			)
		).toHaveLength(1);
		expect(
			(
				await t.run(
					'az identity federated-credential show -g rg-stock --identity-name id-worker -n aks-stock-worker'
				)
			).exitCode
		).toBe(0);
		expect(
			(
				await t.run(
					'az identity federated-credential delete -g rg-stock --identity-name id-worker -n aks-stock-worker --yes'
				)
			).exitCode
		).toBe(0);
		expect(
			(
				await t.run(
					'az identity federated-credential show -g rg-stock --identity-name id-worker -n aks-stock-worker'
				)
			).exitCode
		).toBe(1);
	});

	it('at most 20 credentials per identity', async () => {
		const t = await terminal();
		await t.script(['az identity create -g rg-stock -n id-many']);
		for (let i = 0; i < 20; i++) {
			await t.script([
				`az identity federated-credential create -g rg-stock --identity-name id-many -n fic-${i} --issuer https://issuer.example.com/ --subject s${i}`
			]);
		}
		const extra = await t.run(
			'az identity federated-credential create -g rg-stock --identity-name id-many -n fic-20 --issuer https://issuer.example.com/ --subject s20'
		);
		expect(extra.exitCode).toBe(1);
		expect(extra.stderr).toContain('20');
	});
});

describe('the pod (learn.microsoft.com/azure/aks/workload-identity-overview)', () => {
	it('has the webhook’s variables and a token signed by the cluster issuer’s own key, not the tenant’s', async () => {
		const { t, issuer, clientId } = await setUp();
		const env = (await t.run('env')).stdout;
		expect(env).toContain(`AZURE_CLIENT_ID=${clientId}\n`);
		expect(env).toContain(
			'AZURE_FEDERATED_TOKEN_FILE=/var/run/secrets/azure/tokens/azure-identity-token\n'
		);
		expect(env).toContain('AZURE_AUTHORITY_HOST=https://login.microsoftonline.com/\n');
		expect(env).toMatch(/AZURE_TENANT_ID=[0-9a-f-]{36}\n/);
		const token = (await t.run('cat $AZURE_FEDERATED_TOKEN_FILE')).stdout.trim();
		const decoded = decodeForDisplay(token);
		expect(decoded.ok && decoded.value.payload).toMatchObject({
			aud: ['api://AzureADTokenExchange'],
			iss: issuer,
			sub: 'system:serviceaccount:default:stock-worker'
		});
		const cluster = t.world.kubernetesClusters?.['aks-stock'];
		expect(cluster?.issuerKeys).toHaveLength(1);
		expect((await verifyAccessToken(token, issuerJwks(cluster!), { now: t.world.now })).ok).toBe(
			true
		);
		expect(
			(await verifyAccessToken(token, tenantJwks(t.world, 'v2'), { now: t.world.now })).ok
		).toBe(false);
		const jwks = await t.run(`curl -s ${issuer}openid/v1/jwks`);
		expect(JSON.parse(jwks.stdout)).toEqual(issuerJwks(cluster!));
	});
});

describe('Entra v2 token endpoint with a federated assertion (workload-identity-federation)', () => {
	it('exchanges the service-account token for the identity’s access token', async () => {
		const { t, clientId } = await setUp();
		const answer = await t.run(EXCHANGE);
		const body = JSON.parse(answer.stdout) as Record<string, unknown>;
		expect(Object.keys(body)).toEqual([
			'token_type',
			'expires_in',
			'ext_expires_in',
			'access_token'
		]);
		const decoded = decodeForDisplay(String(body.access_token));
		expect(decoded.ok && decoded.value.payload).toMatchObject({
			aud: 'https://vault.azure.net',
			appid: clientId
		});
	});

	it('AADSTS70021 when the subject does not match, in Entra’s error JSON', async () => {
		const { t } = await setUp({ subject: 'system:serviceaccount:prod:stock-worker' });
		const body = JSON.parse((await t.run(EXCHANGE)).stdout) as Record<string, unknown>;
		expect(Object.keys(body)).toEqual([
			'error',
			'error_description',
			'error_codes',
			'timestamp',
			'trace_id',
			'correlation_id',
			'error_uri'
		]);
		expect(body.error).toBe('invalid_request');
		expect(body.error_codes).toEqual([70021]);
		expect(String(body.error_description)).toMatch(
			/^AADSTS70021: No matching federated identity record found for presented assertion\. Assertion Issuer: 'https:\/\/.*'\. Assertion Subject: 'system:serviceaccount:default:stock-worker'\. Assertion Audience: 'api:\/\/AzureADTokenExchange'\./
		);
	});

	it('AADSTS700212 when the audience does not match', async () => {
		const { t } = await setUp({ audiences: 'api://SomethingElse' });
		const body = JSON.parse((await t.run(EXCHANGE)).stdout) as Record<string, unknown>;
		expect(body.error_codes).toEqual([700212]);
	});

	it('AADSTS700211 when no credential trusts the issuer', async () => {
		const { t, clientId } = await setUp();
		await t.run('exit');
		await t.script([
			'az identity federated-credential delete -g rg-stock --identity-name id-worker -n aks-stock-worker --yes',
			'kubectl exec -it stock-worker -- sh'
		]);
		const body = JSON.parse((await t.run(EXCHANGE)).stdout) as Record<string, unknown>;
		expect(body.error_codes).toEqual([700211]);
		expect(clientId).not.toBe('');
	});

	it('AADSTS700024 when the assertion has expired', async () => {
		const { t } = await setUp();
		const saved = (await t.run('cat $AZURE_FEDERATED_TOKEN_FILE')).stdout.trim();
		await t.run('exit');
		await t.script(['az lab clock advance --seconds 3700', 'kubectl exec -it stock-worker -- sh']);
		const body = JSON.parse(
			(await t.run(EXCHANGE.replace('$(cat $AZURE_FEDERATED_TOKEN_FILE)', saved))).stdout
		) as Record<string, unknown>;
		expect(body.error).toBe('invalid_client');
		expect(body.error_codes).toEqual([700024]);
		expect(String(body.error_description)).toContain(
			'Client assertion is not within its valid time range.'
		);
		const fresh = JSON.parse((await t.run(EXCHANGE)).stdout) as Record<string, unknown>;
		expect(fresh.token_type).toBe('Bearer');
	});
});
