import { describe, expect, it } from 'vitest';
import {
	createDefaultWorld,
	DEFAULT_GROUP,
	getResource,
	type World
} from '../../../src/core/index.ts';
import {
	codeTargets,
	generateCode,
	identityPlan,
	type CodeTarget
} from '../../../src/ui/code/snippets.ts';
import { apply, idOf, roleAssignment, VAULT, VM_APP } from '../../fixtures/worlds.ts';

const SECRET = `${VAULT}/secrets/db-password`;

function withUser(world: World, name: string, attach = true): World {
	const next = apply(world, [{ type: 'createUserIdentity', resourceGroup: DEFAULT_GROUP, name }]);
	return attach
		? apply(next, [
				{
					type: 'assignUserIdentity',
					resourceId: VM_APP,
					identityId: idOf('userAssignedIdentity', name)
				}
			])
		: next;
}

function clientIdOf(world: World, name: string): string {
	const r = getResource(world, idOf('userAssignedIdentity', name));
	if (r?.kind !== 'userAssignedIdentity') throw new Error(`no identity ${name}`);
	return r.clientId;
}

function secretTarget(world: World): CodeTarget {
	const target = codeTargets(world).find((t) => t.id === SECRET);
	if (!target) throw new Error('no db-password target');
	return target;
}

describe('code view: which identity and whether a client id', () => {
	it('no identity: no client id, and the note says the credential will fail', () => {
		const plan = identityPlan(createDefaultWorld(), VM_APP, SECRET);
		expect(plan.chosen).toBeNull();
		expect(plan.clientId).toBeNull();
		expect(plan.note).toMatch(/vm-stock-app has no managed identity/);
	});

	it('only the system-assigned identity: no client id', () => {
		const world = apply(createDefaultWorld(), [
			{ type: 'enableSystemIdentity', resourceId: VM_APP }
		]);
		const plan = identityPlan(world, VM_APP, SECRET);
		expect(plan.chosen?.value).toBe('system');
		expect(plan.clientId).toBeNull();
	});

	it('one user-assigned identity and no system-assigned: no client id', () => {
		const world = withUser(createDefaultWorld(), 'id-stock-app');
		const plan = identityPlan(world, VM_APP, SECRET);
		expect(plan.chosen?.label).toBe('User-assigned id-stock-app');
		expect(plan.clientId).toBeNull();
		expect(plan.note).toMatch(/no system-assigned one: the identity endpoint uses it/);
	});

	it('system + user-assigned: the client id appears for the user-assigned one (chosen, or the one with a role on the target)', () => {
		let world = apply(createDefaultWorld(), [{ type: 'enableSystemIdentity', resourceId: VM_APP }]);
		world = withUser(world, 'id-stock-app');
		const uami = idOf('userAssignedIdentity', 'id-stock-app');
		expect(identityPlan(world, VM_APP, SECRET).clientId).toBeNull();
		expect(identityPlan(world, VM_APP, SECRET, uami).clientId).toBe(
			clientIdOf(world, 'id-stock-app')
		);
		const uamiResource = getResource(world, uami);
		if (uamiResource?.kind !== 'userAssignedIdentity') throw new Error('no uami');
		world = apply(world, [
			roleAssignment('Key Vault Secrets User', VAULT, uamiResource.principalId)
		]);
		const plan = identityPlan(world, VM_APP, SECRET);
		expect(plan.chosen?.value).toBe(uamiResource.id);
		expect(plan.clientId).toBe(uamiResource.clientId);
		expect(plan.note).toMatch(/would use the system-assigned one/);
	});

	it('several user-assigned identities: a client id always', () => {
		const world = withUser(withUser(createDefaultWorld(), 'id-a'), 'id-b');
		const plan = identityPlan(world, VM_APP, SECRET);
		expect(plan.clientId).toBe(clientIdOf(world, 'id-a'));
		expect(plan.note).toMatch(/Multiple user assigned identities exist/);
	});
});

describe('code view: generated code', () => {
	const world = createDefaultWorld();
	const target = secretTarget(world);
	const CLIENT = '11111111-2222-3333-4444-555555555555';

	it('C# with DefaultAzureCredential, without and with a client id', () => {
		expect(generateCode('csharp', 'default', target, null)).toBe(
			`using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

var credential = new DefaultAzureCredential();
var client = new SecretClient(new Uri("https://kv-stock.vault.azure.net/"), credential);
KeyVaultSecret secret = await client.GetSecretAsync("db-password");
Console.WriteLine(secret.Value);
`
		);
		expect(generateCode('csharp', 'default', target, CLIENT)).toContain(
			`var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
{
    ManagedIdentityClientId = "${CLIENT}"
});`
		);
		expect(generateCode('csharp', 'managedIdentity', target, CLIENT)).toContain(
			`new ManagedIdentityCredential(\n    ManagedIdentityId.FromUserAssignedClientId("${CLIENT}"));`
		);
	});

	it('JavaScript with ManagedIdentityCredential and a client id', () => {
		expect(generateCode('javascript', 'managedIdentity', target, CLIENT)).toBe(
			`import { ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';

const credential = new ManagedIdentityCredential({ clientId: '${CLIENT}' });
const client = new SecretClient('https://kv-stock.vault.azure.net', credential);
const secret = await client.getSecret('db-password');
console.log(secret.value);
`
		);
		expect(generateCode('javascript', 'default', target, CLIENT)).toContain(
			`new DefaultAzureCredential({ managedIdentityClientId: '${CLIENT}' })`
		);
	});

	it('Python without a client id, and with one', () => {
		expect(generateCode('python', 'default', target, null)).toBe(
			`from azure.identity import DefaultAzureCredential
from azure.keyvault.secrets import SecretClient

credential = DefaultAzureCredential()
client = SecretClient(vault_url="https://kv-stock.vault.azure.net", credential=credential)
secret = client.get_secret("db-password")
print(secret.value)
`
		);
		expect(generateCode('python', 'managedIdentity', target, CLIENT)).toContain(
			`credential = ManagedIdentityCredential(client_id="${CLIENT}")`
		);
	});

	it('Java with DefaultAzureCredential and a client id', () => {
		expect(generateCode('java', 'default', target, CLIENT)).toBe(
			`import com.azure.identity.DefaultAzureCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;

public class ReadSecret {
    public static void main(String[] args) {
        DefaultAzureCredential credential = new DefaultAzureCredentialBuilder()
            .managedIdentityClientId("${CLIENT}")
            .build();
        SecretClient client = new SecretClientBuilder()
            .vaultUrl("https://kv-stock.vault.azure.net")
            .credential(credential)
            .buildClient();
        KeyVaultSecret secret = client.getSecret("db-password");
        System.out.println(secret.getValue());
    }
}
`
		);
	});

	it('reads a blob in each language', () => {
		const blob = codeTargets(world).find((t) => t.kind === 'blob');
		expect(blob).toMatchObject({ account: 'ststockdata', container: 'quotes', blob: 'today.csv' });
		if (!blob) return;
		expect(generateCode('python', 'default', blob, null)).toContain(
			'account_url="https://ststockdata.blob.core.windows.net"'
		);
		expect(generateCode('csharp', 'default', blob, null)).toContain(
			'new Uri("https://ststockdata.blob.core.windows.net/quotes/today.csv")'
		);
		expect(generateCode('javascript', 'default', blob, null)).toContain(
			".getContainerClient('quotes').getBlobClient('today.csv')"
		);
		expect(generateCode('java', 'managedIdentity', blob, null)).toContain(
			'new ManagedIdentityCredentialBuilder()\n            .build();'
		);
	});
});
