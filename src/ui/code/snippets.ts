/**
 * The code view's code: the same call (read a Key Vault secret, or a blob) with `DefaultAzureCredential` or
 * `ManagedIdentityCredential` in C#, JavaScript, Python and Java, following the world's configuration. A
 * client id appears exactly when the resource has more than one identity and the one to use is not the one
 * the identity endpoint picks by itself (reference 1.2: system-assigned first; a lone user-assigned one).
 */
import { getResource, getUserIdentity, isIdentityHost, type World } from '../../core/index.ts';

export const LANGUAGES = ['csharp', 'javascript', 'python', 'java'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Names of the languages, as shown. */
export const LANGUAGE_LABELS: Record<Language, string> = {
	csharp: 'C#',
	javascript: 'JavaScript',
	python: 'Python',
	java: 'Java'
};

export type CredentialKind = 'default' | 'managedIdentity';

/** What the code reads. */
export type CodeTarget =
	| { kind: 'secret'; id: string; vaultName: string; vaultUrl: string; secret: string }
	| {
			kind: 'blob';
			id: string;
			account: string;
			accountUrl: string;
			container: string;
			blob: string;
	  };

/** One identity of the host, as the code view offers it. */
export interface IdentityChoice {
	/** `system` or the user-assigned identity's ARM id. */
	value: string;
	label: string;
	clientId: string;
	principalId: string;
}

/** Which identity the code uses and whether it must name it. */
export interface IdentityPlan {
	identities: IdentityChoice[];
	/** The identity the code uses (null when the host has none). */
	chosen: IdentityChoice | null;
	/** The client id the code passes, or null when the endpoint picks the right identity by itself. */
	clientId: string | null;
	/** Why (one or two sentences). */
	note: string;
}

/** The resources whose code can be shown: those that can carry managed identities. */
export function codeHosts(world: World): { id: string; name: string }[] {
	return Object.values(world.resources)
		.filter(isIdentityHost)
		.map((r) => ({ id: r.id, name: r.name }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Every secret of every vault and every blob of every account, as targets. */
export function codeTargets(world: World): CodeTarget[] {
	const targets: CodeTarget[] = [];
	for (const r of Object.values(world.resources)) {
		if (r.kind === 'keyVault') {
			for (const secret of Object.keys(r.secrets)) {
				targets.push({
					kind: 'secret',
					id: `${r.id}/secrets/${secret}`,
					vaultName: r.name,
					vaultUrl: r.vaultUri.replace(/\/$/, ''),
					secret
				});
			}
		} else if (r.kind === 'storageAccount') {
			for (const [container, data] of Object.entries(r.containers)) {
				for (const blob of Object.keys(data.blobs)) {
					targets.push({
						kind: 'blob',
						id: `${r.id}/blobServices/default/containers/${container}/blobs/${blob}`,
						account: r.name,
						accountUrl: `https://${r.name}.blob.core.windows.net`,
						container,
						blob
					});
				}
			}
		}
	}
	return targets;
}

/** A short label for a target. */
export function targetLabel(target: CodeTarget): string {
	return target.kind === 'secret'
		? `Secret ${target.secret} in ${target.vaultName}`
		: `Blob ${target.container}/${target.blob} in ${target.account}`;
}

function identitiesOf(world: World, hostId: string): IdentityChoice[] {
	const host = getResource(world, hostId);
	if (!host || !isIdentityHost(host)) return [];
	const out: IdentityChoice[] = [];
	const system = host.identity.systemAssigned;
	if (system)
		out.push({
			value: 'system',
			label: `System-assigned (${host.name})`,
			clientId: system.clientId,
			principalId: system.principalId
		});
	for (const id of host.identity.userAssigned) {
		const uami = getUserIdentity(world, id);
		if (uami)
			out.push({
				value: uami.id,
				label: `User-assigned ${uami.name}`,
				clientId: uami.clientId,
				principalId: uami.principalId
			});
	}
	return out;
}

/** True when one of the principal's role assignments has a scope that contains `targetId`. */
function hasRoleOn(world: World, principalId: string, targetId: string): boolean {
	const target = targetId.toLowerCase();
	return Object.values(world.roleAssignments).some(
		(a) =>
			a.principalId.toLowerCase() === principalId.toLowerCase() &&
			(target === a.scope.toLowerCase() || target.startsWith(`${a.scope.toLowerCase()}/`))
	);
}

/**
 * Which identity the code of `hostId` uses to reach `targetId` (`wanted`, else the first with a role on the
 * target, else the one the endpoint picks), and whether the code must name it with a client id.
 */
export function identityPlan(
	world: World,
	hostId: string,
	targetId: string,
	wanted?: string
): IdentityPlan {
	const host = getResource(world, hostId);
	const name = host?.name ?? 'This resource';
	const identities = identitiesOf(world, hostId);
	if (identities.length === 0) {
		return {
			identities,
			chosen: null,
			clientId: null,
			note: `${name} has no managed identity: ManagedIdentityCredential finds none and fails (DefaultAzureCredential tries its other credentials, then fails). Turn one on in ${name}’s Identity blade.`
		};
	}
	const system = identities.find((i) => i.value === 'system');
	const chosen =
		identities.find((i) => i.value === wanted) ??
		identities.find((i) => hasRoleOn(world, i.principalId, targetId)) ??
		identities[0];
	if (!chosen) throw new Error('unreachable: identities is not empty');
	if (identities.length === 1) {
		return {
			identities,
			chosen,
			clientId: null,
			note: system
				? `${name} has one identity, the system-assigned one: the identity endpoint uses it, so the code names none.`
				: `${name} has one identity, ${chosen.label.replace('User-assigned ', 'the user-assigned ')}, and no system-assigned one: the identity endpoint uses it, so the code names none.`
		};
	}
	if (chosen.value === 'system') {
		return {
			identities,
			chosen,
			clientId: null,
			note: `${name} has ${identities.length} identities. Without a client id the identity endpoint uses the system-assigned one, which is the one this code uses; to use a user-assigned one, pass its client id.`
		};
	}
	return {
		identities,
		chosen,
		clientId: chosen.clientId,
		note: system
			? `${name} has ${identities.length} identities: without a client id the identity endpoint would use the system-assigned one, so the code names ${chosen.label.replace('User-assigned ', '')} by its client id.`
			: `${name} has ${identities.length} user-assigned identities and no system-assigned one: without a client id IMDS refuses ("Multiple user assigned identities exist"), so the code names ${chosen.label.replace('User-assigned ', '')} by its client id.`
	};
}

function csharp(credential: CredentialKind, target: CodeTarget, clientId: string | null): string {
	const usings = [
		'using Azure.Identity;',
		target.kind === 'secret'
			? 'using Azure.Security.KeyVault.Secrets;'
			: 'using Azure.Storage.Blobs;'
	];
	const cred =
		credential === 'default'
			? clientId
				? `var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions\n{\n    ManagedIdentityClientId = "${clientId}"\n});`
				: 'var credential = new DefaultAzureCredential();'
			: clientId
				? `var credential = new ManagedIdentityCredential(\n    ManagedIdentityId.FromUserAssignedClientId("${clientId}"));`
				: 'var credential = new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);';
	const call =
		target.kind === 'secret'
			? `var client = new SecretClient(new Uri("${target.vaultUrl}/"), credential);\nKeyVaultSecret secret = await client.GetSecretAsync("${target.secret}");\nConsole.WriteLine(secret.Value);`
			: `var blob = new BlobClient(\n    new Uri("${target.accountUrl}/${target.container}/${target.blob}"), credential);\nvar content = await blob.DownloadContentAsync();\nConsole.WriteLine(content.Value.Content.ToString());`;
	return `${usings.join('\n')}\n\n${cred}\n${call}\n`;
}

function javascript(
	credential: CredentialKind,
	target: CodeTarget,
	clientId: string | null
): string {
	const className =
		credential === 'default' ? 'DefaultAzureCredential' : 'ManagedIdentityCredential';
	const imports = [
		`import { ${className} } from '@azure/identity';`,
		target.kind === 'secret'
			? "import { SecretClient } from '@azure/keyvault-secrets';"
			: "import { BlobServiceClient } from '@azure/storage-blob';"
	];
	const options = clientId
		? credential === 'default'
			? `{ managedIdentityClientId: '${clientId}' }`
			: `{ clientId: '${clientId}' }`
		: '';
	const cred = `const credential = new ${className}(${options});`;
	const call =
		target.kind === 'secret'
			? `const client = new SecretClient('${target.vaultUrl}', credential);\nconst secret = await client.getSecret('${target.secret}');\nconsole.log(secret.value);`
			: `const service = new BlobServiceClient('${target.accountUrl}', credential);\nconst blob = service.getContainerClient('${target.container}').getBlobClient('${target.blob}');\nconst content = await blob.downloadToBuffer();\nconsole.log(content.toString());`;
	return `${imports.join('\n')}\n\n${cred}\n${call}\n`;
}

function python(credential: CredentialKind, target: CodeTarget, clientId: string | null): string {
	const className =
		credential === 'default' ? 'DefaultAzureCredential' : 'ManagedIdentityCredential';
	const imports = [
		`from azure.identity import ${className}`,
		target.kind === 'secret'
			? 'from azure.keyvault.secrets import SecretClient'
			: 'from azure.storage.blob import BlobClient'
	];
	const argument = clientId
		? credential === 'default'
			? `managed_identity_client_id="${clientId}"`
			: `client_id="${clientId}"`
		: '';
	const cred = `credential = ${className}(${argument})`;
	const call =
		target.kind === 'secret'
			? `client = SecretClient(vault_url="${target.vaultUrl}", credential=credential)\nsecret = client.get_secret("${target.secret}")\nprint(secret.value)`
			: `blob = BlobClient(\n    account_url="${target.accountUrl}",\n    container_name="${target.container}",\n    blob_name="${target.blob}",\n    credential=credential,\n)\nprint(blob.download_blob().readall().decode())`;
	return `${imports.join('\n')}\n\n${cred}\n${call}\n`;
}

function java(credential: CredentialKind, target: CodeTarget, clientId: string | null): string {
	const className =
		credential === 'default' ? 'DefaultAzureCredential' : 'ManagedIdentityCredential';
	const imports = [
		`import com.azure.identity.${className};`,
		`import com.azure.identity.${className}Builder;`,
		...(target.kind === 'secret'
			? [
					'import com.azure.security.keyvault.secrets.SecretClient;',
					'import com.azure.security.keyvault.secrets.SecretClientBuilder;',
					'import com.azure.security.keyvault.secrets.models.KeyVaultSecret;'
				]
			: [
					'import com.azure.storage.blob.BlobClient;',
					'import com.azure.storage.blob.BlobClientBuilder;'
				])
	];
	const select = clientId
		? `\n            .${credential === 'default' ? 'managedIdentityClientId' : 'clientId'}("${clientId}")`
		: '';
	const cred = `        ${className} credential = new ${className}Builder()${select}\n            .build();`;
	const call =
		target.kind === 'secret'
			? `        SecretClient client = new SecretClientBuilder()\n            .vaultUrl("${target.vaultUrl}")\n            .credential(credential)\n            .buildClient();\n        KeyVaultSecret secret = client.getSecret("${target.secret}");\n        System.out.println(secret.getValue());`
			: `        BlobClient blob = new BlobClientBuilder()\n            .endpoint("${target.accountUrl}")\n            .containerName("${target.container}")\n            .blobName("${target.blob}")\n            .credential(credential)\n            .buildClient();\n        System.out.println(blob.downloadContent().toString());`;
	const main = target.kind === 'secret' ? 'ReadSecret' : 'ReadBlob';
	return `${imports.join('\n')}\n\npublic class ${main} {\n    public static void main(String[] args) {\n${cred}\n${call}\n    }\n}\n`;
}

/** The code for one language, credential and target, passing `clientId` when it is not null. */
export function generateCode(
	language: Language,
	credential: CredentialKind,
	target: CodeTarget,
	clientId: string | null
): string {
	switch (language) {
		case 'csharp':
			return csharp(credential, target, clientId);
		case 'javascript':
			return javascript(credential, target, clientId);
		case 'python':
			return python(credential, target, clientId);
		case 'java':
			return java(credential, target, clientId);
	}
}
