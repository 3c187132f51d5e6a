/**
 * `az identity federated-credential create|list|show|delete` (learn.microsoft.com/cli/azure/identity/
 * federated-credential), `az aks show|list` (the cluster's OIDC issuer URL) and the lab's replication delay.
 */
import type {
	FederatedCredential,
	KubernetesCluster,
	UserAssignedIdentityResource
} from '../../../azure/model.ts';
import { applyOperations } from '../../../azure/operations/index.ts';
import type { AzCommand, AzInvocation, AzOutcome } from '../types.ts';
import { list, str } from '../args.ts';
import {
	GROUP_ARG,
	GROUP_FILTER_ARG,
	YES_ARG,
	commit,
	confirmation,
	failure,
	findInGroup,
	groupNotFound,
	findGroup,
	nameArg,
	serviceFailure,
	success
} from '../common.ts';

const FIC_TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials';

const IDENTITY_NAME_ARG = {
	dest: 'identityName',
	options: ['--identity-name'],
	required: true,
	help: 'The name of the identity resource.'
} as const;

/** A federated credential as az prints it. */
function ficView(
	identity: UserAssignedIdentityResource,
	c: FederatedCredential
): Record<string, unknown> {
	return {
		audiences: [...c.audiences],
		id: `${identity.id.replace(/\/resourceGroups\//i, '/resourcegroups/')}/federatedIdentityCredentials/${c.name}`,
		issuer: c.issuer,
		name: c.name,
		resourceGroup: identity.resourceGroup,
		subject: c.subject,
		systemData: null,
		type: FIC_TYPE
	};
}

function identityOf(
	inv: AzInvocation
): { ok: true; identity: UserAssignedIdentityResource } | { ok: false; outcome: AzOutcome } {
	const found = findInGroup(
		inv.world,
		['userAssignedIdentity'],
		str(inv.args, 'resourceGroup') ?? '',
		str(inv.args, 'identityName') ?? ''
	);
	if (!found.ok) return found;
	return { ok: true, identity: found.resource as UserAssignedIdentityResource };
}

const ficCreate: AzCommand = {
	name: 'identity federated-credential create',
	summary: 'Create a federated identity credential under an existing user assigned identity.',
	args: [
		nameArg('The name of the federated identity credential resource.'),
		IDENTITY_NAME_ARG,
		GROUP_ARG,
		{
			dest: 'issuer',
			options: ['--issuer'],
			required: true,
			help: 'The openId connect metadata URL of the issuer of the identity provider that Azure AD would use in the token exchange protocol for validating tokens before issuing a token as the user-assigned managed identity.'
		},
		{
			dest: 'subject',
			options: ['--subject'],
			required: true,
			help: 'The sub value in the token sent to Azure AD for getting the user-assigned managed identity token.'
		},
		{
			dest: 'audiences',
			options: ['--audiences'],
			kind: 'list',
			help: "The aud value in the token sent to Azure for getting the user-assigned managed identity token. Default: ['api://AzureADTokenExchange']."
		}
	],
	examples: [
		{
			command:
				'az identity federated-credential create -g rg-stock --identity-name id-stock -n aks-stock-worker --issuer $(az aks show -g rg-stock -n aks-stock --query oidcIssuerProfile.issuerUrl -o tsv) --subject system:serviceaccount:default:stock-worker',
			description: 'Trust the service account stock-worker of aks-stock.'
		}
	],
	run(inv) {
		const found = identityOf(inv);
		if (!found.ok) return found.outcome;
		const audiences = list(inv.args, 'audiences');
		const applied = commit(inv, [
			{
				type: 'createFederatedCredential',
				identityId: found.identity.id,
				name: str(inv.args, 'name') ?? '',
				issuer: str(inv.args, 'issuer') ?? '',
				subject: str(inv.args, 'subject') ?? '',
				...(audiences.length ? { audiences } : {})
			}
		]);
		if (!applied.ok) return applied.outcome;
		const identity = Object.values(applied.world.resources).find(
			(r) => r.id === found.identity.id
		) as UserAssignedIdentityResource;
		const credential = identity.federatedCredentials?.[(str(inv.args, 'name') ?? '').toLowerCase()];
		return success(credential ? ficView(identity, credential) : null, applied);
	}
};

const ficList: AzCommand = {
	name: 'identity federated-credential list',
	summary: 'List all federated identity credentials under an existing user assigned identity.',
	args: [IDENTITY_NAME_ARG, GROUP_ARG],
	examples: [
		{
			command: 'az identity federated-credential list -g rg-stock --identity-name id-stock',
			description: 'The credentials of id-stock.'
		}
	],
	run(inv) {
		const found = identityOf(inv);
		if (!found.ok) return found.outcome;
		return success(
			Object.values(found.identity.federatedCredentials ?? {}).map((c) =>
				ficView(found.identity, c)
			)
		);
	}
};

function ficNotFound(identity: UserAssignedIdentityResource, name: string): AzOutcome {
	return serviceFailure(
		'NotFound',
		`Federated Identity Credential '${name}' not found under User Assigned Identity '${identity.name}'.`,
		`List them with az identity federated-credential list -g ${identity.resourceGroup} --identity-name ${identity.name}.`
	);
}

const ficShow: AzCommand = {
	name: 'identity federated-credential show',
	summary: 'Show a federated identity credential under an existing user assigned identity.',
	args: [
		nameArg('The name of the federated identity credential resource.'),
		IDENTITY_NAME_ARG,
		GROUP_ARG
	],
	examples: [
		{
			command:
				'az identity federated-credential show -g rg-stock --identity-name id-stock -n aks-stock-worker',
			description: 'Show one credential.'
		}
	],
	run(inv) {
		const found = identityOf(inv);
		if (!found.ok) return found.outcome;
		const name = str(inv.args, 'name') ?? '';
		const c = found.identity.federatedCredentials?.[name.toLowerCase()];
		return c ? success(ficView(found.identity, c)) : ficNotFound(found.identity, name);
	}
};

const ficDelete: AzCommand = {
	name: 'identity federated-credential delete',
	summary: 'Delete a federated identity credential under an existing user assigned identity.',
	args: [
		nameArg('The name of the federated identity credential resource.'),
		IDENTITY_NAME_ARG,
		GROUP_ARG,
		YES_ARG
	],
	examples: [
		{
			command:
				'az identity federated-credential delete -g rg-stock --identity-name id-stock -n aks-stock-worker --yes',
			description: 'Stop trusting those tokens.'
		}
	],
	run(inv) {
		const found = identityOf(inv);
		if (!found.ok) return found.outcome;
		const refused = confirmation(inv.args);
		if (refused) return refused;
		const name = str(inv.args, 'name') ?? '';
		if (!found.identity.federatedCredentials?.[name.toLowerCase()]) return success(undefined);
		const applied = commit(inv, [
			{ type: 'deleteFederatedCredential', identityId: found.identity.id, name }
		]);
		return applied.ok ? success(undefined, applied) : applied.outcome;
	}
};

/** A cluster as `az aks show` prints it (the members the lab models). */
function aksView(c: KubernetesCluster): Record<string, unknown> {
	return {
		id: c.id,
		location: c.location,
		name: c.name,
		nodeResourceGroup: `MC_${c.resourceGroup}_${c.name}_${c.location}`,
		oidcIssuerProfile: { enabled: true, issuerUrl: c.oidcIssuerUrl },
		provisioningState: 'Succeeded',
		resourceGroup: c.resourceGroup,
		securityProfile: { workloadIdentity: { enabled: true } },
		type: 'Microsoft.ContainerService/ManagedClusters'
	};
}

const aksShow: AzCommand = {
	name: 'aks show',
	summary: 'Show the details for a managed Kubernetes cluster.',
	args: [nameArg('Name of the managed cluster.'), GROUP_ARG],
	examples: [
		{
			command: 'az aks show -g rg-stock -n aks-stock --query oidcIssuerProfile.issuerUrl -o tsv',
			description: "The cluster's OIDC issuer URL."
		}
	],
	run({ world, args }) {
		const group = str(args, 'resourceGroup') ?? '';
		const name = str(args, 'name') ?? '';
		if (!findGroup(world, group)) return groupNotFound(world, group);
		const cluster = Object.values(world.kubernetesClusters ?? {}).find(
			(c) =>
				c.name.toLowerCase() === name.toLowerCase() &&
				c.resourceGroup.toLowerCase() === group.toLowerCase()
		);
		if (!cluster) {
			return serviceFailure(
				'ResourceNotFound',
				`The Resource 'Microsoft.ContainerService/managedClusters/${name}' under resource group '${group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`
			);
		}
		return success(aksView(cluster));
	}
};

const aksList: AzCommand = {
	name: 'aks list',
	summary: 'List managed Kubernetes clusters.',
	args: [GROUP_FILTER_ARG],
	examples: [{ command: 'az aks list -o table', description: 'The clusters.' }],
	run({ world, args }) {
		const group = str(args, 'resourceGroup');
		if (group !== undefined && !findGroup(world, group)) return groupNotFound(world, group);
		return success(
			Object.values(world.kubernetesClusters ?? {})
				.filter((c) => group === undefined || c.resourceGroup.toLowerCase() === group.toLowerCase())
				.map(aksView)
		);
	}
};

const replicationShow: AzCommand = {
	name: 'lab replication show',
	summary: 'Show how long a new service principal stays invisible to ARM (Entra replication).',
	lab: true,
	needsLogin: false,
	args: [],
	examples: [{ command: 'az lab replication show', description: 'The replication delay.' }],
	run({ world }) {
		return success({
			principalReplicationDelaySeconds: world.settings.principalReplicationDelaySeconds ?? 0
		});
	}
};

const replicationSet: AzCommand = {
	name: 'lab replication set',
	summary:
		'Set how long a new service principal stays invisible to ARM’s directory lookup (0 turns it off).',
	lab: true,
	needsLogin: false,
	args: [{ dest: 'seconds', options: ['--seconds'], required: true, help: 'Seconds, 0 to 3600.' }],
	examples: [
		{
			command: 'az lab replication set --seconds 0',
			description: 'New identities can be assigned roles at once.'
		}
	],
	run({ world, args }) {
		const text = str(args, 'seconds') ?? '';
		if (!/^\d+$/.test(text))
			return failure(`usage error: --seconds takes a whole number, not '${text}'.`, 2);
		const applied = applyOperations(
			world,
			[{ type: 'setReplicationDelay', seconds: Number(text) }],
			{ caller: 'lab' }
		);
		if (!applied.ok) return failure(applied.error.message);
		return success(
			{
				principalReplicationDelaySeconds:
					applied.value.world.settings.principalReplicationDelaySeconds ?? 0
			},
			applied.value
		);
	}
};

/** The federation, AKS and replication commands. */
export const FEDERATION_COMMANDS: readonly AzCommand[] = [
	ficCreate,
	ficList,
	ficShow,
	ficDelete,
	aksShow,
	aksList,
	replicationShow,
	replicationSet
];
