/**
 * The Kubernetes side of workload identity federation: an AKS cluster's OIDC issuer (its discovery document
 * and JWKS, signed with its own key, never the tenant's), the service-account token kubelet projects into a
 * pod, and the variables the workload identity webhook injects (reference 2.5).
 */
import type { KubernetesCluster, OutsideMachine, World } from '../azure/model.ts';
import type { Operation } from '../azure/operations/index.ts';
import { TOKEN_EXCHANGE_AUDIENCE } from '../azure/operations/federation.ts';
import { ownEntry } from '../azure/queries.ts';
import { addSeconds } from '../clock.ts';
import type { EpochSeconds } from '../clock.ts';
import { createSigningKey, signAccessToken } from '../crypto/index.ts';
import type { SigningKey } from '../crypto/index.ts';
import { seededGuid } from '../ids.ts';
import type { HandlerContext, HandlerResult, HttpRequest } from '../http/types.ts';
import { jsonResponse } from '../http/types.ts';
import { reasonPhrase, requestHop, responseHop } from '../http/parts.ts';
import type { KeyRing } from './key-ring.ts';
import { ENTRA_AUTHORITY } from './entra.ts';

/** Where the webhook mounts the projected service-account token (`AZURE_FEDERATED_TOKEN_FILE`). */
export const FEDERATED_TOKEN_FILE = '/var/run/secrets/azure/tokens/azure-identity-token';

/** Lifetime of the projected token: the webhook asks kubelet for 3600 s (`expirationSeconds`). */
export const SERVICE_ACCOUNT_TOKEN_LIFETIME_SECONDS = 3600;

/** The annotation on a service account that names the identity's client id. */
export const CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';

/** The cluster and service account of a pod, or undefined for a machine that is not a pod. */
export function podContext(
	world: World,
	machine: OutsideMachine
): { cluster: KubernetesCluster; annotations: Record<string, string> } | undefined {
	const pod = machine.pod;
	if (!pod) return undefined;
	const cluster = ownEntry(world.kubernetesClusters ?? {}, pod.cluster);
	if (!cluster) return undefined;
	const account = ownEntry(cluster.serviceAccounts, `${pod.namespace}/${pod.serviceAccount}`);
	return { cluster, annotations: account?.annotations ?? {} };
}

/**
 * The variables the workload identity webhook injects into a pod labelled `azure.workload.identity/use`:
 * the client id from the service account's annotation (absent when it has none), the tenant, the token file
 * and the authority host.
 */
export function podEnvironment(world: World, machine: OutsideMachine): Record<string, string> {
	const context = podContext(world, machine);
	if (!context || !machine.pod?.useWorkloadIdentity) return {};
	const clientId = context.annotations[CLIENT_ID_ANNOTATION];
	return {
		AZURE_AUTHORITY_HOST: `${ENTRA_AUTHORITY}/`,
		...(clientId !== undefined ? { AZURE_CLIENT_ID: clientId } : {}),
		AZURE_FEDERATED_TOKEN_FILE: FEDERATED_TOKEN_FILE,
		AZURE_TENANT_ID:
			context.annotations['azure.workload.identity/tenant-id'] ?? world.tenant.tenantId
	};
}

/** The claims of a projected service-account token, in the order the API server writes them. */
export function serviceAccountClaims(
	world: World,
	machine: OutsideMachine,
	cluster: KubernetesCluster,
	issuedAt: EpochSeconds
): Record<string, unknown> {
	const pod = machine.pod;
	const namespace = pod?.namespace ?? 'default';
	const account = pod?.serviceAccount ?? 'default';
	return {
		aud: [TOKEN_EXCHANGE_AUDIENCE],
		exp: addSeconds(issuedAt, SERVICE_ACCOUNT_TOKEN_LIFETIME_SECONDS),
		iat: issuedAt,
		iss: cluster.oidcIssuerUrl,
		'kubernetes.io': {
			namespace,
			pod: {
				name: machine.name,
				uid: seededGuid(world.seed, `pod|${cluster.name}|${machine.name}`)
			},
			serviceaccount: {
				name: account,
				uid: seededGuid(world.seed, `sa|${cluster.name}|${namespace}/${account}`)
			}
		},
		nbf: issuedAt,
		sub: `system:serviceaccount:${namespace}:${account}`
	};
}

/** The issuer key that signs the cluster's next token, creating and publishing one when the ring lacks it. */
export async function ensureIssuerKey(
	cluster: KubernetesCluster,
	world: World,
	ring: KeyRing
): Promise<{ key: SigningKey; operations: Operation[] }> {
	const active = cluster.issuerKeys.find((k) => k.active);
	const held = active ? ring.get(active.kid) : undefined;
	if (held) return { key: held, operations: [] };
	const key = await createSigningKey({
		now: world.now,
		tenantId: world.tenant.tenantId,
		subjectName: `CN=${cluster.name} service account issuer`
	});
	ring.add(key);
	const jwk: Record<string, unknown> = {
		use: 'sig',
		kty: 'RSA',
		kid: key.kid,
		alg: 'RS256',
		n: key.publicJwk.n,
		e: key.publicJwk.e
	};
	return {
		key,
		operations: [
			{
				type: 'addClusterIssuerKey',
				cluster: cluster.name,
				key: { kid: key.kid, x5t: key.x5t, jwk }
			}
		]
	};
}

/**
 * What kubelet does for a pod with the webhook's projected volume: a fresh service-account token signed by the
 * cluster's issuer, written to {@link FEDERATED_TOKEN_FILE}. Null when the machine is not a pod of a known cluster.
 */
export async function projectServiceAccountToken(
	world: World,
	ring: KeyRing,
	machineName: string
): Promise<{ token: string; operations: Operation[] } | null> {
	const machine = ownEntry(world.outsideMachines, machineName);
	if (!machine?.pod?.useWorkloadIdentity) return null;
	const context = podContext(world, machine);
	if (!context) return null;
	const signer = await ensureIssuerKey(context.cluster, world, ring);
	const claims = serviceAccountClaims(world, machine, context.cluster, world.now);
	const token = await signAccessToken(signer.key, claims);
	return {
		token,
		operations: [
			...signer.operations,
			{ type: 'projectServiceAccountToken', machine: machine.name, token }
		]
	};
}

/** True when the projected token of a pod is missing or past 80% of its life (kubelet's refresh point). */
export function needsProjection(world: World, machine: OutsideMachine): boolean {
	if (!machine.pod?.useWorkloadIdentity) return false;
	const current = machine.files[FEDERATED_TOKEN_FILE];
	if (current === undefined) return true;
	const payload = current.split('.')[1];
	if (payload === undefined) return true;
	try {
		const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as {
			iat?: number;
			exp?: number;
		};
		if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') return true;
		return world.now >= claims.iat + (claims.exp - claims.iat) * 0.8;
	} catch {
		return true;
	}
}

/** The cluster whose OIDC issuer is served at this URL's origin and path, if any. */
export function clusterOfIssuer(world: World, issuer: string): KubernetesCluster | undefined {
	return Object.values(world.kubernetesClusters ?? {}).find((c) => c.oidcIssuerUrl === issuer);
}

/** The cluster issuer's public keys as its JWKS (`/openid/v1/jwks`) publishes them. */
export function issuerJwks(cluster: KubernetesCluster): { keys: Record<string, unknown>[] } {
	return { keys: cluster.issuerKeys.map((k) => ({ ...k.jwk })) };
}

/** Serves an AKS OIDC issuer: `.well-known/openid-configuration` and `openid/v1/jwks`. */
export function handleOidcIssuer(
	ctx: HandlerContext,
	request: HttpRequest,
	url: URL
): Promise<HandlerResult> {
	const { world } = ctx;
	const cluster = Object.values(world.kubernetesClusters ?? {}).find((c) =>
		`${url.origin}${url.pathname}`.startsWith(c.oidcIssuerUrl)
	);
	const asked = `The caller reads ${url.pathname} from the cluster's OIDC issuer.`;
	const reply = (status: number, body: unknown, ok: boolean, detail: string): HandlerResult => {
		const response = jsonResponse(status, reasonPhrase(status), body, {
			'Cache-Control': 'public, max-age=3600'
		});
		return {
			response,
			operations: [],
			hops: [
				requestHop({ id: 'issuer-request', from: 'app', to: 'service' }, request, url, asked),
				responseHop({ id: 'issuer-response', from: 'service', to: 'app' }, response, ok, detail)
			]
		};
	};
	if (!cluster) {
		return Promise.resolve(
			reply(
				404,
				{ error: 'not found' },
				false,
				`No AKS cluster of this world has an OIDC issuer at ${url.origin}${url.pathname}.`
			)
		);
	}
	const rest = `${url.origin}${url.pathname}`.slice(cluster.oidcIssuerUrl.length);
	if (rest === '.well-known/openid-configuration') {
		return Promise.resolve(
			reply(
				200,
				{
					issuer: cluster.oidcIssuerUrl,
					jwks_uri: `${cluster.oidcIssuerUrl}openid/v1/jwks`,
					response_types_supported: ['id_token'],
					subject_types_supported: ['public'],
					id_token_signing_alg_values_supported: ['RS256']
				},
				true,
				`The OIDC issuer of ${cluster.name} publishes where its keys are. Entra ID reads this to check the service-account tokens the cluster signs.`
			)
		);
	}
	if (rest === 'openid/v1/jwks') {
		return Promise.resolve(
			reply(
				200,
				issuerJwks(cluster),
				true,
				cluster.issuerKeys.length === 0
					? `The issuer of ${cluster.name} has signed no token yet, so it publishes no key.`
					: `The public keys of ${cluster.name}'s issuer (kid ${cluster.issuerKeys.map((k) => k.kid).join(', ')}): the cluster's own keys, not Entra ID's.`
			)
		);
	}
	return Promise.resolve(
		reply(
			404,
			{ error: 'not found' },
			false,
			`The issuer serves .well-known/openid-configuration and openid/v1/jwks only.`
		)
	);
}
