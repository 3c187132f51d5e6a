/**
 * Token requests that got no token are recorded as calls: IMDS's refusals (reference 1.4), 169.254.169.254
 * unanswered from outside Azure (reference 7.6), the App Service endpoint's refusals and Entra ID's AADSTS
 * errors. Issued tokens stay token events; nothing is recorded twice.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceCallEvent } from '../../../src/core/azure/events.ts';
import { terminal, type Terminal } from '../shell/terminal.ts';

const IMDS =
	"'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net'";

function calls(t: Terminal, since = 0): ServiceCallEvent[] {
	return t.world.events.filter(
		(e): e is ServiceCallEvent => e.kind === 'serviceCall' && e.seq > since
	);
}

function lastSeq(t: Terminal): number {
	return t.world.events.at(-1)?.seq ?? 0;
}

describe('IMDS refusals', () => {
	it('records a request without the Metadata header as a 400 invalid_request for the identity it asked for', async () => {
		const t = await terminal();
		await t.script([
			'az vm identity assign -g rg-stock -n vm-stock-app -o none',
			'ssh vm-stock-app'
		]);
		const before = lastSeq(t);
		await t.run(`curl -s ${IMDS}`);
		const [call] = calls(t, before);
		const vm = Object.values(t.world.resources).find((r) => r.name === 'vm-stock-app');
		expect(call).toMatchObject({
			service: 'imds',
			operation: 'getToken',
			target: 'http://169.254.169.254/metadata/identity/oauth2/token',
			status: 400,
			errorCode: 'invalid_request',
			authMethod: 'none',
			source: vm?.id
		});
		expect(call?.principalId).toBe(
			vm?.kind === 'virtualMachine' ? vm.identity.systemAssigned?.principalId : undefined
		);
	});

	it('records "Identity not found" with no principal, and a served token only as a token event', async () => {
		const t = await terminal();
		await t.run('ssh vm-stock-app');
		let before = lastSeq(t);
		await t.run(`curl -s -H Metadata:true ${IMDS}`);
		expect(calls(t, before)).toMatchObject([
			{ service: 'imds', status: 400, errorCode: 'invalid_request', principalId: null }
		]);
		await t.script([
			'exit',
			'az vm identity assign -g rg-stock -n vm-stock-app -o none',
			'ssh vm-stock-app'
		]);
		before = lastSeq(t);
		await t.run(`curl -s -H Metadata:true ${IMDS}`);
		expect(calls(t, before)).toEqual([]);
		expect(t.world.events.filter((e) => e.seq > before).map((e) => e.kind)).toContain('token');
	});

	it('records the time-out from outside Azure as status 0, timeout, from that machine', async () => {
		const t = await terminal();
		await t.run('ssh onprem-legacy-01');
		const before = lastSeq(t);
		const out = await t.run(`curl -s --max-time 5 -H Metadata:true ${IMDS}`);
		expect(out.exitCode).not.toBe(0);
		expect(calls(t, before)).toMatchObject([
			{
				service: 'imds',
				status: 0,
				errorCode: 'timeout',
				principalId: null,
				source: 'onprem-legacy-01'
			}
		]);
	});
});

describe('Entra ID refusals', () => {
	it('records AADSTS70021 for a federated assertion whose subject matches no credential, with the identity it named', async () => {
		const t = await terminal();
		await t.script(['az identity create -g rg-stock -n id-worker -o none']);
		const issuer = (
			await t.run('az aks show -g rg-stock -n aks-stock --query oidcIssuerProfile.issuerUrl -o tsv')
		).stdout.trim();
		const clientId = (
			await t.run('az identity show -g rg-stock -n id-worker --query clientId -o tsv')
		).stdout.trim();
		await t.script([
			`az identity federated-credential create -g rg-stock --identity-name id-worker -n wrong --issuer ${issuer} --subject system:serviceaccount:other:stock-worker -o none`,
			`kubectl annotate serviceaccount stock-worker azure.workload.identity/client-id=${clientId}`,
			'kubectl exec -it stock-worker -- sh'
		]);
		const before = lastSeq(t);
		await t.run(
			'curl -s -X POST "$AZURE_AUTHORITY_HOST$AZURE_TENANT_ID/oauth2/v2.0/token" -d client_id=$AZURE_CLIENT_ID -d scope=https://vault.azure.net/.default -d grant_type=client_credentials -d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer -d client_assertion=$(cat $AZURE_FEDERATED_TOKEN_FILE)'
		);
		const identity = Object.values(t.world.resources).find((r) => r.name === 'id-worker');
		expect(calls(t, before)).toMatchObject([
			{
				service: 'entra',
				operation: 'getToken',
				status: 400,
				errorCode: 'AADSTS70021',
				source: 'stock-worker',
				principalId: identity?.kind === 'userAssignedIdentity' ? identity.principalId : 'missing'
			}
		]);
	});
});
