/**
 * Workload identity federation: federated identity credentials on a user-assigned identity (which external
 * tokens Entra ID accepts for it), and the Kubernetes side — an AKS cluster's OIDC issuer keys and the
 * service-account annotation that the workload identity webhook reads.
 */
import type { FederatedCredential, KubernetesCluster, SigningKeyInfo } from '../model.ts';
import type { OperationError } from '../errors.ts';
import { opError } from '../errors.ts';
import type { OperationContext, WorldDraft } from './context.ts';
import { idKey } from '../naming.ts';
import { ownEntry } from '../queries.ts';

/** The audience Entra ID expects in a federated assertion unless told otherwise. */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** At most this many federated identity credentials per identity. */
export const MAX_FEDERATED_CREDENTIALS = 20;

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/;

function findIdentity(draft: WorldDraft, identityId: unknown) {
	const identity = ownEntry(
		draft.resources,
		idKey(typeof identityId === 'string' ? identityId : '')
	);
	return identity?.kind === 'userAssignedIdentity' ? identity : undefined;
}

function identityMissing(identityId: unknown): OperationError {
	return opError(
		'IdentityNotFound',
		`The user-assigned identity '${String(identityId)}' was not found. Federated credentials go on a user-assigned identity (az identity list).`
	);
}

/** Input of createFederatedCredential. */
export interface FederatedCredentialInput {
	identityId: string;
	name: string;
	issuer: string;
	subject: string;
	/** Default `[api://AzureADTokenExchange]`. */
	audiences?: string[];
}

/** Operation: add (or replace, by name) a federated identity credential on a user-assigned identity. */
export function createFederatedCredential(
	draft: WorldDraft,
	ctx: OperationContext,
	input: FederatedCredentialInput
): OperationError | void {
	const identity = findIdentity(draft, input?.identityId);
	if (!identity) return identityMissing(input?.identityId);
	const name = typeof input.name === 'string' ? input.name : '';
	if (!NAME_PATTERN.test(name)) {
		return opError(
			'InvalidName',
			`'${name}' is not a valid federated credential name: 3 to 120 characters, letters, digits, '-' and '_', starting with a letter or digit.`
		);
	}
	const issuer = typeof input.issuer === 'string' ? input.issuer.trim() : '';
	if (!/^https:\/\/[^\s/]+(\/\S*)?$/.test(issuer)) {
		return opError(
			'InvalidInput',
			`The issuer '${issuer}' is not an https URL. Give the OIDC issuer URL of the workload's platform, e.g. az aks show --query oidcIssuerProfile.issuerUrl -o tsv.`
		);
	}
	const subject = typeof input.subject === 'string' ? input.subject.trim() : '';
	if (subject === '' || subject.length > 600) {
		return opError(
			'InvalidInput',
			'The subject is required (up to 600 characters), e.g. system:serviceaccount:<namespace>:<service account>.'
		);
	}
	const audiences =
		input.audiences === undefined || input.audiences.length === 0
			? [TOKEN_EXCHANGE_AUDIENCE]
			: input.audiences.map((a) => String(a).trim());
	if (audiences.length !== 1 || audiences[0] === '' || (audiences[0] ?? '').length > 600) {
		return opError(
			'InvalidInput',
			`A federated credential has exactly one audience (up to 600 characters); the usual one is ${TOKEN_EXCHANGE_AUDIENCE}.`
		);
	}
	const credentials = identity.federatedCredentials ?? {};
	const key = name.toLowerCase();
	const others = Object.entries(credentials).filter(([k]) => k !== key);
	const twin = others.find(([, c]) => c.issuer === issuer && c.subject === subject);
	if (twin) {
		return opError(
			'FederatedCredentialExists',
			`The federated credential '${twin[1].name}' of '${identity.name}' already has issuer '${issuer}' and subject '${subject}'. An issuer and subject pair can be used once per identity.`
		);
	}
	if (!credentials[key] && others.length >= MAX_FEDERATED_CREDENTIALS) {
		return opError(
			'FederatedCredentialLimit',
			`'${identity.name}' already has ${MAX_FEDERATED_CREDENTIALS} federated credentials, the most an identity can have. Delete one first (az identity federated-credential delete).`
		);
	}
	const credential: FederatedCredential = {
		name,
		issuer,
		subject,
		audiences,
		createdAt: credentials[key]?.createdAt ?? draft.now
	};
	identity.federatedCredentials = { ...credentials, [key]: credential };
	ctx.emit({
		kind: 'activity',
		operationName:
			'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write',
		resourceId: `${identity.id}/federatedIdentityCredentials/${name}`,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `Entra ID now accepts, for '${identity.name}', tokens from ${issuer} with subject ${subject} and audience ${audiences[0] ?? ''}.`
	});
}

/** Operation: delete a federated identity credential. */
export function deleteFederatedCredential(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { identityId: string; name: string }
): OperationError | void {
	const identity = findIdentity(draft, input?.identityId);
	if (!identity) return identityMissing(input?.identityId);
	const key = String(input.name ?? '').toLowerCase();
	const credential = identity.federatedCredentials?.[key];
	if (!identity.federatedCredentials || !credential) {
		return opError(
			'FederatedCredentialNotFound',
			`'${identity.name}' has no federated credential named '${String(input.name)}'. List them with az identity federated-credential list.`
		);
	}
	delete identity.federatedCredentials[key];
	ctx.emit({
		kind: 'activity',
		operationName:
			'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete',
		resourceId: `${identity.id}/federatedIdentityCredentials/${credential.name}`,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `Deleted the federated credential '${credential.name}' of '${identity.name}': tokens from ${credential.issuer} for ${credential.subject} are no longer exchanged.`
	});
}

function findCluster(draft: WorldDraft, name: unknown): KubernetesCluster | undefined {
	return ownEntry(draft.kubernetesClusters ?? {}, typeof name === 'string' ? name : '');
}

/** Operation: publish a new signing key of a cluster's OIDC issuer (its JWKS); it signs new service-account tokens. */
export function addClusterIssuerKey(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { cluster: string; key: Omit<SigningKeyInfo, 'active' | 'createdAt'> }
): OperationError | void {
	const cluster = findCluster(draft, input?.cluster);
	if (!cluster) {
		return opError(
			'ClusterNotFound',
			`No Kubernetes cluster is named '${String(input?.cluster)}'.`
		);
	}
	const key = input.key;
	if (!key || typeof key.kid !== 'string' || typeof key.jwk !== 'object' || key.jwk === null) {
		return opError('InvalidInput', 'addClusterIssuerKey needs the public key (kid, x5t, jwk).');
	}
	for (const k of cluster.issuerKeys) k.active = false;
	cluster.issuerKeys.push({
		kid: key.kid,
		x5t: key.x5t,
		jwk: { ...key.jwk },
		createdAt: draft.now,
		active: true
	});
	ctx.emit({
		kind: 'activity',
		operationName: 'Kubernetes/oidcIssuer/keys/write',
		resourceId: cluster.id,
		caller: 'AKS',
		status: 'Succeeded',
		summary: `The OIDC issuer of '${cluster.name}' published signing key ${key.kid}; service-account tokens are signed with it.`
	});
}

/** Operation: set (or, with value null, remove) an annotation on a Kubernetes service account. */
export function annotateServiceAccount(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { cluster: string; namespace: string; name: string; key: string; value: string | null }
): OperationError | void {
	const cluster = findCluster(draft, input?.cluster);
	if (!cluster) {
		return opError(
			'ClusterNotFound',
			`No Kubernetes cluster is named '${String(input?.cluster)}'.`
		);
	}
	const account = ownEntry(cluster.serviceAccounts, `${input.namespace}/${input.name}`);
	if (!account) {
		return opError(
			'ServiceAccountNotFound',
			`Service account '${String(input.name)}' was not found in namespace '${String(input.namespace)}'.`
		);
	}
	if (typeof input.key !== 'string' || input.key === '') {
		return opError(
			'InvalidInput',
			'An annotation needs a key, e.g. azure.workload.identity/client-id.'
		);
	}
	if (input.value === null) delete account.annotations[input.key];
	else account.annotations[input.key] = String(input.value);
	ctx.emit({
		kind: 'activity',
		operationName: 'Kubernetes/serviceaccounts/patch',
		resourceId: `${cluster.id}/namespaces/${account.namespace}/serviceaccounts/${account.name}`,
		caller: ctx.caller,
		status: 'Succeeded',
		summary:
			input.value === null
				? `Removed the annotation ${input.key} from service account ${account.namespace}/${account.name}.`
				: `Annotated service account ${account.namespace}/${account.name} with ${input.key}=${input.value}.`
	});
}

/** Operation: kubelet wrote a fresh projected service-account token into a pod. */
export function projectServiceAccountToken(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { machine: string; token: string }
): OperationError | void {
	const machine = ownEntry(draft.outsideMachines, String(input?.machine ?? ''));
	if (!machine?.pod) {
		return opError('MachineNotFound', `No Kubernetes pod is called '${String(input?.machine)}'.`);
	}
	if (typeof input.token !== 'string' || input.token.split('.').length !== 3) {
		return opError('InvalidInput', 'projectServiceAccountToken needs the signed token (a JWT).');
	}
	machine.files['/var/run/secrets/azure/tokens/azure-identity-token'] = input.token;
	const cluster = ownEntry(draft.kubernetesClusters ?? {}, machine.pod.cluster);
	ctx.emit({
		kind: 'activity',
		operationName: 'Kubernetes/serviceaccounts/token',
		resourceId: `${cluster?.id ?? machine.pod.cluster}/namespaces/${machine.pod.namespace}/serviceaccounts/${machine.pod.serviceAccount}`,
		caller: 'kubelet',
		status: 'Succeeded',
		summary: `Kubelet projected a fresh service-account token into ${machine.name} (valid 1 hour, signed by the cluster's OIDC issuer).`
	});
}
