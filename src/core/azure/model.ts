/**
 * The simulated world as plain, serializable data. A world is JSON in and JSON out: a lesson's start, a saved
 * game, a shared link and a test fixture are the same thing. Maps are records keyed by lower-cased ARM id
 * (ARM ids are case-insensitive) or by directory object id.
 */
import type { EpochSeconds } from '../clock.ts';
import type { WorldEvent } from './events.ts';

/** The version written into every snapshot; restore refuses any other. */
export const WORLD_VERSION = 1;

/** ARM resource types the simulator knows. */
export type ResourceKind =
	| 'virtualMachine'
	| 'virtualMachineScaleSet'
	| 'webApp'
	| 'functionApp'
	| 'storageAccount'
	| 'keyVault'
	| 'sqlServer'
	| 'sqlDatabase'
	| 'userAssignedIdentity';

/** ARM `type` for each kind, with the casing ARM uses. */
export const RESOURCE_TYPES: Record<ResourceKind, string> = {
	virtualMachine: 'Microsoft.Compute/virtualMachines',
	virtualMachineScaleSet: 'Microsoft.Compute/virtualMachineScaleSets',
	webApp: 'Microsoft.Web/sites',
	functionApp: 'Microsoft.Web/sites',
	storageAccount: 'Microsoft.Storage/storageAccounts',
	keyVault: 'Microsoft.KeyVault/vaults',
	sqlServer: 'Microsoft.Sql/servers',
	sqlDatabase: 'Microsoft.Sql/servers/databases',
	userAssignedIdentity: 'Microsoft.ManagedIdentity/userAssignedIdentities'
};

/** Kinds that can carry managed identities (system- and user-assigned). */
export const IDENTITY_HOST_KINDS = [
	'virtualMachine',
	'virtualMachineScaleSet',
	'webApp',
	'functionApp'
] as const satisfies readonly ResourceKind[];
export type IdentityHostKind = (typeof IDENTITY_HOST_KINDS)[number];

/** The system-assigned identity of a resource: its service principal's ids. */
export interface SystemAssignedIdentity {
	principalId: string;
	clientId: string;
	tenantId: string;
}

/** Identity configuration stored on a resource; `armIdentity()` renders it as ARM returns it. */
export interface ResourceIdentity {
	systemAssigned: SystemAssignedIdentity | null;
	/** ARM ids of the attached user-assigned identities, in the order they were attached. */
	userAssigned: string[];
}

interface ResourceBase {
	/** ARM id with ARM's casing (`/subscriptions/…/resourceGroups/…/providers/…`). */
	id: string;
	name: string;
	kind: ResourceKind;
	subscriptionId: string;
	resourceGroup: string;
	location: string;
	tags: Record<string, string>;
	createdAt: EpochSeconds;
}

/** A file on a machine, for the terminal's `cat` (e.g. the app's config with a connection string). */
export type MachineFiles = Record<string, string>;

export interface VirtualMachine extends ResourceBase {
	kind: 'virtualMachine';
	vmId: string;
	vmSize: string;
	osType: 'Linux' | 'Windows';
	privateIp: string;
	identity: ResourceIdentity;
	files: MachineFiles;
}

export interface ScaleSetInstance {
	instanceId: string;
	name: string;
	vmId: string;
	privateIp: string;
}

export interface VirtualMachineScaleSet extends ResourceBase {
	kind: 'virtualMachineScaleSet';
	vmSize: string;
	instances: ScaleSetInstance[];
	/** Next instance id to hand out: Azure never reuses instance ids after a scale-in. */
	nextInstanceId: number;
	identity: ResourceIdentity;
	files: MachineFiles;
}

export interface WebSite extends ResourceBase {
	kind: 'webApp' | 'functionApp';
	defaultHostName: string;
	appSettings: Record<string, string>;
	/** The platform's secret for X-IDENTITY-HEADER (rotated by the platform in Azure). */
	identityHeader: string;
	identity: ResourceIdentity;
	files: MachineFiles;
	/** The site's OS (Linux when absent): the legacy token protocol formats `expires_on` by it. */
	osType?: 'Linux' | 'Windows';
}

export interface Blob {
	content: string;
	contentType: string;
	lastModified: EpochSeconds;
	etag: string;
}

export interface BlobContainer {
	createdAt: EpochSeconds;
	blobs: Record<string, Blob>;
}

export interface StorageAccount extends ResourceBase {
	kind: 'storageAccount';
	/** Shared keys: they are what a connection string leaks. */
	keys: { key1: string; key2: string };
	/** When each key was made (absent in worlds saved before key rotation existed: the account's creation). */
	keyCreationTime?: { key1: EpochSeconds; key2: EpochSeconds };
	containers: Record<string, BlobContainer>;
}

export interface SecretVersion {
	version: string;
	value: string;
	created: EpochSeconds;
	contentType?: string;
}

export interface Secret {
	/** Newest last. */
	versions: SecretVersion[];
}

export interface KeyVault extends ResourceBase {
	kind: 'keyVault';
	vaultUri: string;
	/** Always true in the simulator: the RBAC permission model (see docs/fidelity.md). */
	enableRbacAuthorization: boolean;
	secrets: Record<string, Secret>;
}

export interface SqlAdAdmin {
	login: string;
	/** Object id of the Entra principal that administers the server. */
	sid: string;
}

export interface SqlServer extends ResourceBase {
	kind: 'sqlServer';
	fullyQualifiedDomainName: string;
	adAdmin: SqlAdAdmin | null;
}

/** A contained database user created `FROM EXTERNAL PROVIDER`, mapped to an Entra principal. */
export interface SqlDatabaseUser {
	name: string;
	/** Object id of the Entra principal (for a managed identity: its principal id). */
	principalId: string;
	roles: string[];
}

export interface SqlDatabase extends ResourceBase {
	kind: 'sqlDatabase';
	serverName: string;
	users: Record<string, SqlDatabaseUser>;
	tables: Record<string, { columns: string[]; rows: string[][] }>;
}

/** A federated identity credential of a user-assigned identity: which external tokens Entra ID accepts for it. */
export interface FederatedCredential {
	name: string;
	/** The external issuer's URL, compared exactly with the assertion's `iss`. */
	issuer: string;
	/** Compared exactly with the assertion's `sub`, e.g. `system:serviceaccount:default:stock-worker`. */
	subject: string;
	/** One of them must equal the assertion's `aud` (default `api://AzureADTokenExchange`). */
	audiences: string[];
	createdAt: EpochSeconds;
}

export interface UserAssignedIdentityResource extends ResourceBase {
	kind: 'userAssignedIdentity';
	clientId: string;
	principalId: string;
	tenantId: string;
	/** Federated identity credentials by lower-cased name (absent: none). At most 20. */
	federatedCredentials?: Record<string, FederatedCredential>;
}

export type Resource =
	| VirtualMachine
	| VirtualMachineScaleSet
	| WebSite
	| StorageAccount
	| KeyVault
	| SqlServer
	| SqlDatabase
	| UserAssignedIdentityResource;

/** Resources that carry an `identity` property. */
export type IdentityHost = VirtualMachine | VirtualMachineScaleSet | WebSite;

/**
 * An Azure Arc connection of an outside machine (`azcmagent connect`): a Microsoft.HybridCompute/machines
 * resource with a system-assigned identity, served by the agent's local HIMDS on localhost:40342.
 */
export interface ArcConnection {
	/** ARM id of the Microsoft.HybridCompute/machines resource. */
	resourceId: string;
	subscriptionId: string;
	resourceGroup: string;
	location: string;
	/** The system-assigned identity (its service principal's ids). */
	identity: SystemAssignedIdentity;
	connectedAt: EpochSeconds;
	/**
	 * Secret files HIMDS wrote for challenges, by path (under /var/opt/azcmagent/tokens/, readable by root
	 * and the himds group only): the content a caller sends back as `Authorization: Basic <secret>`.
	 */
	secretFiles: Record<string, string>;
}

/** A pod of a Kubernetes cluster, reached with `kubectl exec`; the lab models it as a machine outside Azure. */
export interface PodPlacement {
	/** Name of the cluster in `world.kubernetesClusters`. */
	cluster: string;
	namespace: string;
	serviceAccount: string;
	/** The pod carries the label `azure.workload.identity/use: "true"` (the webhook mutates it). */
	useWorkloadIdentity: boolean;
}

/** A machine outside Azure: it has no IMDS and cannot use a managed identity (unless Arc connects it). */
export interface OutsideMachine {
	name: string;
	hostname: string;
	description: string;
	files: MachineFiles;
	/** Set once `azcmagent connect` has connected it to Azure Arc. */
	arc?: ArcConnection;
	/** Set when the machine is a Kubernetes pod. */
	pod?: PodPlacement;
}

/** A Kubernetes service account: its annotations (the workload identity webhook reads `azure.workload.identity/client-id`). */
export interface ServiceAccount {
	namespace: string;
	name: string;
	annotations: Record<string, string>;
}

/** An AKS cluster with its OIDC issuer, which signs the service-account tokens projected into pods. */
export interface KubernetesCluster {
	name: string;
	/** ARM id of the Microsoft.ContainerService/managedClusters resource. */
	id: string;
	subscriptionId: string;
	resourceGroup: string;
	location: string;
	/** `https://<region>.oic.prod-aks.azure.com/<tenant>/<guid>/`, with the trailing slash AKS writes. */
	oidcIssuerUrl: string;
	/** Public halves of the issuer's signing keys (its JWKS); the private halves live in the key ring. */
	issuerKeys: SigningKeyInfo[];
	/** Service accounts by `namespace/name`. */
	serviceAccounts: Record<string, ServiceAccount>;
	createdAt: EpochSeconds;
}

export interface ResourceGroup {
	id: string;
	name: string;
	subscriptionId: string;
	location: string;
	tags: Record<string, string>;
}

export interface Subscription {
	id: string;
	subscriptionId: string;
	displayName: string;
	tenantId: string;
	managementGroupId: string;
}

export interface ManagementGroup {
	id: string;
	name: string;
	displayName: string;
	parentId: string | null;
}

export interface Tenant {
	tenantId: string;
	displayName: string;
	defaultDomain: string;
}

export interface User {
	id: string;
	userPrincipalName: string;
	displayName: string;
}

/** An app registration: the global template of an application, in its home tenant. */
export interface Application {
	id: string;
	appId: string;
	displayName: string;
	signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs';
	publisherTenantId: string;
	/** Certificate or secret credentials: what a managed identity removes the need for. */
	credentials: { kind: 'certificate' | 'secret'; displayName: string; endDateTime: EpochSeconds }[];
}

/** The certificate Entra ID holds for a managed identity (never a secret the learner can see). */
export interface IdentityCertificate {
	thumbprint: string;
	issuer: string;
	notBefore: EpochSeconds;
	notAfter: EpochSeconds;
	/** Azure rolls the certificate at half its 90-day life. */
	renewAfter: EpochSeconds;
}

export type ServicePrincipalType = 'Application' | 'ManagedIdentity' | 'Legacy';

/** An enterprise application: the instance of an application (or a managed identity) in this tenant. */
export interface ServicePrincipal {
	id: string;
	appId: string;
	displayName: string;
	servicePrincipalType: ServicePrincipalType;
	appOwnerOrganizationId: string;
	alternativeNames: string[];
	servicePrincipalNames: string[];
	accountEnabled: boolean;
	createdAt: EpochSeconds;
	/** For a managed identity: the ARM id it stands for (the host for system-assigned, the identity resource for user-assigned). */
	managedIdentityResourceId: string | null;
	certificate: IdentityCertificate | null;
}

export type PrincipalType = 'User' | 'Group' | 'ServicePrincipal';

export interface RoleAssignment {
	/** Full ARM id: `{scope}/providers/Microsoft.Authorization/roleAssignments/{name}`. */
	id: string;
	/** A GUID. */
	name: string;
	scope: string;
	/** Role definition GUID. */
	roleDefinitionId: string;
	principalId: string;
	principalType: PrincipalType;
	description: string;
	createdAt: EpochSeconds;
	createdBy: string;
	/** When the assignment starts to count for authorization (created + propagation delay). */
	effectiveAt: EpochSeconds;
	/** Set when deleted: the assignment keeps granting access until then (propagation delay). */
	removedAt: EpochSeconds | null;
}

/** A token cached inside an identity endpoint, per (identity, resource), as IMDS does. */
export interface CachedToken {
	principalId: string;
	clientId: string;
	resource: string;
	accessToken: string;
	issuedAt: EpochSeconds;
	expiresOn: EpochSeconds;
	kid: string;
}

/** Public half of a tenant signing key; the private key never leaves the key ring and is never serialized. */
export interface SigningKeyInfo {
	kid: string;
	x5t: string;
	/** Public JWK with `x5c`, as published in the JWKS. */
	jwk: Record<string, unknown>;
	createdAt: EpochSeconds;
	/** True while this key signs new tokens (exactly one key is active). */
	active: boolean;
}

export interface WorldSettings {
	/** Seconds before a new or removed role assignment takes effect (Azure: up to 10 minutes). */
	propagationDelaySeconds: number;
	/** Access-token lifetime as observed on Azure for managed identities (`exp − iat`). */
	tokenLifetimeSeconds: number;
	/**
	 * Seconds before a new service principal is visible to ARM's directory lookup (Entra replication); a role
	 * assignment naming it without `principalType` fails with PrincipalNotFound meanwhile. Absent: 0.
	 */
	principalReplicationDelaySeconds?: number;
	/**
	 * Whether IMDS enforces its managed-identity limits (20 requests per second, 5 at once, per VM; then 429).
	 * Absent means on; a load test turns it off with the `setImdsThrottle` operation.
	 */
	imdsThrottle?: boolean;
}

export interface World {
	version: typeof WORLD_VERSION;
	/** Seed for every generated id in this world. */
	seed: string;
	/** How many ids have been generated: part of the state, so that replays give the same ids. */
	idCounter: number;
	now: EpochSeconds;
	settings: WorldSettings;
	tenant: Tenant;
	managementGroups: Record<string, ManagementGroup>;
	subscriptions: Record<string, Subscription>;
	resourceGroups: Record<string, ResourceGroup>;
	resources: Record<string, Resource>;
	outsideMachines: Record<string, OutsideMachine>;
	/** AKS clusters by name (absent: none). */
	kubernetesClusters?: Record<string, KubernetesCluster>;
	directory: {
		users: Record<string, User>;
		applications: Record<string, Application>;
		servicePrincipals: Record<string, ServicePrincipal>;
	};
	/** Keyed by assignment name (GUID, lower case). Deleted ones stay until their removal has propagated. */
	roleAssignments: Record<string, RoleAssignment>;
	signingKeys: SigningKeyInfo[];
	tokenCache: Record<string, CachedToken>;
	/** The tenant's audit trail and everything else that happened, oldest first. */
	events: WorldEvent[];
}
