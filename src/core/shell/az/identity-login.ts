/**
 * az signed in as a managed identity (`az login --identity` on a VM, a scale-set instance, an App Service
 * console or an Arc-enabled server): az gets every token from the machine's identity endpoint through the
 * simulated network, as Azure CLI does, and then acts as that identity — ARM and the data planes judge it by
 * its own role assignments (learn.microsoft.com/cli/azure/authenticate-azure-cli-managed-identity).
 */
import type { World } from '../../azure/model.ts';
import type { WorldEvent } from '../../azure/events.ts';
import { getResource } from '../../azure/queries.ts';
import { decodeForDisplay } from '../../crypto/index.ts';
import type { Hop, HttpRequest, NetworkEnv } from '../../http/types.ts';
import { IMDS_HOST } from '../../network/network.ts';
import { APP_SERVICE_IDENTITY_ENDPOINT } from '../../token/app-service.ts';
import { HIMDS_IDENTITY_ENDPOINT } from '../../token/himds.ts';
import type { Exchange } from '../exchange.ts';
import { exchange, exchangeAsUser } from '../exchange.ts';
import { describePlace } from '../state.ts';
import type { AzIdentityLogin, ShellState } from '../types.ts';
import type { AzInvocation } from './types.ts';

/** What az reports when the identity endpoint gave no token. */
export interface IdentityTokenFailure {
	message: string;
	hint?: string;
}

/** A token az got from the machine's identity endpoint, with what the exchange left in the world. */
export interface IdentityToken {
	accessToken: string;
	principalId: string;
	clientId: string;
	expiresOn: number;
	world: World;
	events: WorldEvent[];
	hops: Hop[];
}

type Got =
	| ({ ok: true } & IdentityToken)
	| { ok: false; failure: IdentityTokenFailure; world: World; events: WorldEvent[]; hops: Hop[] };

const MSI_FAILURE =
	'Failed to connect to MSI. Please make sure MSI is configured correctly and check the network connection.';

function selectorParam(
	selector: AzIdentityLogin['selector'],
	endpoint: 'imds' | 'appService'
): [string, string] | null {
	if (!selector) return null;
	if (selector.by === 'clientId') return ['client_id', selector.value];
	if (selector.by === 'principalId')
		return [endpoint === 'imds' ? 'object_id' : 'principal_id', selector.value];
	return [endpoint === 'imds' ? 'msi_res_id' : 'mi_res_id', selector.value];
}

/** The request az sends to the identity endpoint of the place, or null when the place has none. */
function endpointRequest(
	world: World,
	state: ShellState,
	resource: string,
	selector: AzIdentityLogin['selector']
): HttpRequest | { unavailable: string } {
	const place = state.place;
	if (place.kind === 'resource') {
		const host = getResource(world, place.resourceId);
		if (host?.kind === 'virtualMachine' || host?.kind === 'virtualMachineScaleSet') {
			const url = new URL(`http://${IMDS_HOST}/metadata/identity/oauth2/token`);
			url.searchParams.set('api-version', '2018-02-01');
			url.searchParams.set('resource', resource);
			const param = selectorParam(selector, 'imds');
			if (param) url.searchParams.set(param[0], param[1]);
			return { method: 'GET', url: url.toString(), headers: { Metadata: 'true' } };
		}
		if (host?.kind === 'webApp' || host?.kind === 'functionApp') {
			const env = describePlace(world, place, state)?.environment ?? {};
			const url = new URL(env.IDENTITY_ENDPOINT ?? APP_SERVICE_IDENTITY_ENDPOINT);
			url.searchParams.set('api-version', '2019-08-01');
			url.searchParams.set('resource', resource);
			const param = selectorParam(selector, 'appService');
			if (param) url.searchParams.set(param[0], param[1]);
			return {
				method: 'GET',
				url: url.toString(),
				headers: { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER ?? '' }
			};
		}
	}
	if (place.kind === 'outside') {
		const machine = world.outsideMachines[place.machine];
		if (machine?.arc) {
			if (selector)
				return {
					unavailable:
						'User assigned identity is not supported by the Azure Arc Managed Identity Endpoint. To authenticate with the system assigned identity omit the client id, object id and resource id.'
				};
			const url = new URL(HIMDS_IDENTITY_ENDPOINT);
			url.searchParams.set('api-version', '2019-11-01');
			url.searchParams.set('resource', resource);
			return { method: 'GET', url: url.toString(), headers: { Metadata: 'true' } };
		}
		return {
			unavailable: machine?.pod
				? `${machine.name} is a Kubernetes pod: it has no managed identity endpoint. Workload identity uses the federated token file: az login --service-principal -u $AZURE_CLIENT_ID -t $AZURE_TENANT_ID --federated-token "$(cat $AZURE_FEDERATED_TOKEN_FILE)".`
				: `${machine?.name ?? 'This machine'} is outside Azure: no identity endpoint answers here. Connect it to Azure Arc (sudo azcmagent connect …) to give it a managed identity.`
		};
	}
	return {
		unavailable:
			'Cloud Shell has no managed identity of its own in this lab: az is already signed in as you here.'
	};
}

function parseToken(body: string): { accessToken: string; expiresOn: number } | null {
	try {
		const parsed = JSON.parse(body) as { access_token?: unknown; expires_on?: unknown };
		if (typeof parsed.access_token !== 'string') return null;
		return { accessToken: parsed.access_token, expiresOn: Number(parsed.expires_on ?? 0) };
	} catch {
		return null;
	}
}

function merge(first: Exchange, then: Exchange): Exchange {
	return {
		...then,
		events: [...first.events, ...then.events],
		hops: [...first.hops, ...then.hops]
	};
}

/**
 * A token for `resource` from the identity endpoint of the place the shell is on, as az asks for it (with the
 * identity it was told to use). On an Arc-enabled server az answers the agent's challenge by reading the
 * secret file, which only root can do.
 */
export async function identityToken(
	world: World,
	state: ShellState,
	env: NetworkEnv,
	resource: string,
	selector: AzIdentityLogin['selector']
): Promise<Got> {
	const request = endpointRequest(world, state, resource, selector);
	if ('unavailable' in request) {
		return {
			ok: false,
			failure: { message: MSI_FAILURE, hint: request.unavailable },
			world,
			events: [],
			hops: []
		};
	}
	let result = await exchange(world, state.place, request, env);
	if (result.response?.status === 401 && state.place.kind === 'outside') {
		const realm = /Basic realm=(\S+)/.exec(result.response.headers['WWW-Authenticate'] ?? '')?.[1];
		const machine = result.world.outsideMachines[state.place.machine];
		const secret = realm ? machine?.arc?.secretFiles[realm] : undefined;
		if (realm && !state.asRoot) {
			return {
				ok: false,
				failure: {
					message: `[Errno 13] Permission denied: '${realm}'`,
					hint: 'The Arc agent proves the caller is an administrator by a secret file only root can read: run az as root (sudo az login --identity).'
				},
				world: result.world,
				events: result.events,
				hops: result.hops
			};
		}
		if (secret !== undefined) {
			const again = await exchange(
				result.world,
				state.place,
				{ ...request, headers: { ...request.headers, Authorization: `Basic ${secret}` } },
				env
			);
			result = merge(result, again);
		}
	}
	const token =
		result.response && result.response.status === 200 ? parseToken(result.response.body) : null;
	if (!token) {
		const status = result.response
			? `<Response [${result.response.status}]>`
			: (result.failure?.message ?? '');
		return {
			ok: false,
			failure: {
				message: `${MSI_FAILURE}\nGet Token request returned: ${status}`,
				...(result.explanation ? { hint: result.explanation } : {})
			},
			world: result.world,
			events: result.events,
			hops: result.hops
		};
	}
	const decoded = decodeForDisplay(token.accessToken);
	const payload = decoded.ok ? decoded.value.payload : {};
	return {
		ok: true,
		accessToken: token.accessToken,
		expiresOn: token.expiresOn,
		principalId: typeof payload.oid === 'string' ? payload.oid : '',
		clientId: typeof payload.appid === 'string' ? payload.appid : '',
		world: result.world,
		events: result.events,
		hops: result.hops
	};
}

/** The signed-in managed identity of this shell session, if az is signed in as one here. */
export function identityLoginOf(state: ShellState): AzIdentityLogin | undefined {
	return state.place.kind === 'cloudShell' ? undefined : state.azLogin;
}

/** `user` of az's account entries for a managed identity sign-in. */
export function identityUser(login: AzIdentityLogin): Record<string, string> {
	const info = !login.selector
		? 'MSI'
		: login.selector.by === 'clientId'
			? `MSIClient-${login.selector.value}`
			: login.selector.by === 'principalId'
				? `MSIObject-${login.selector.value}`
				: `MSIResource-${login.selector.value}`;
	return {
		assignedIdentityInfo: info,
		name: login.selector ? 'userAssignedIdentity' : 'systemAssignedIdentity',
		type: 'servicePrincipal'
	};
}

/** az's account entries for a managed identity sign-in (az account list / the output of az login). */
export function identityAccounts(world: World, login: AzIdentityLogin): Record<string, unknown>[] {
	if (login.subscriptionIds.length === 0) {
		return [
			{
				environmentName: 'AzureCloud',
				id: world.tenant.tenantId,
				isDefault: true,
				name: 'N/A(tenant level account)',
				state: 'Enabled',
				tenantId: world.tenant.tenantId,
				user: identityUser(login)
			}
		];
	}
	return login.subscriptionIds.map((id, i) => {
		const s = Object.values(world.subscriptions).find((x) => x.subscriptionId === id);
		return {
			environmentName: 'AzureCloud',
			homeTenantId: world.tenant.tenantId,
			id,
			isDefault: i === 0,
			managedByTenants: [],
			name: s?.displayName ?? id,
			state: 'Enabled',
			tenantId: world.tenant.tenantId,
			user: identityUser(login)
		};
	});
}

/**
 * Sends a data-plane request with a token of whoever az is signed in as: the managed identity (token from the
 * machine's endpoint, request sent from the machine) or, in Cloud Shell, the user.
 */
export async function exchangeAsSignedIn(
	inv: Pick<AzInvocation, 'world' | 'state' | 'env'>,
	resource: string,
	request: HttpRequest
): Promise<Exchange> {
	const login = identityLoginOf(inv.state);
	if (!login) return exchangeAsUser(inv.world, resource, request, inv.env);
	const got = await identityToken(inv.world, inv.state, inv.env, resource, login.selector);
	if (!got.ok) {
		return {
			world: got.world,
			events: got.events,
			hops: got.hops,
			response: null,
			failure: {
				kind: 'refused',
				message: got.failure.message,
				explanation: got.failure.hint ?? got.failure.message
			},
			explanation: got.failure.hint ?? null
		};
	}
	const sent = await exchange(
		got.world,
		inv.state.place,
		{ ...request, headers: { ...request.headers, Authorization: `Bearer ${got.accessToken}` } },
		inv.env
	);
	return { ...sent, events: [...got.events, ...sent.events], hops: [...got.hops, ...sent.hops] };
}
