/**
 * One HTTP exchange from the terminal: `send` from a place, then the operations the handlers returned (token
 * cache, service-call records, key publication) applied to the world. Shared by curl, sqlcmd and the az
 * commands that call a data plane.
 */
import type { World } from '../azure/model.ts';
import type { WorldEvent } from '../azure/events.ts';
import { applyOperations } from '../azure/operations/index.ts';
import type { Operation } from '../azure/operations/index.ts';
import type {
	Hop,
	HttpRequest,
	HttpResponse,
	NetworkEnv,
	NetworkSource,
	TransportFailure
} from '../http/types.ts';
import { send } from '../network/network.ts';
import { cloudShellUserToken } from '../token/user-token.ts';
import { own } from '../own.ts';

/** What an exchange did to the world, and what came back. */
export interface Exchange {
	world: World;
	events: WorldEvent[];
	hops: Hop[];
	/** The answer, or the transport failure curl would report. */
	response: HttpResponse | null;
	failure: TransportFailure | null;
	/** The service's explanation of a refusal, for the learner (never on the wire). */
	explanation: string | null;
}

/**
 * Who a data-plane change is logged as: the principal the service authenticated (a user by UPN, a service
 * principal by object id), or the platform for records without one (tokens, key publication).
 */
function callerOf(world: World, operations: readonly Operation[]): string {
	const call = operations.find((o) => o.type === 'recordServiceCall');
	const principalId = call?.type === 'recordServiceCall' ? call.principalId : null;
	if (!principalId) return 'system';
	return own(world.directory.users, principalId.toLowerCase())?.userPrincipalName ?? principalId;
}

/** Applies operations; a refusal here is a simulator bug, reported as an error. */
function applyAll(
	world: World,
	operations: readonly Operation[]
): { world: World; events: WorldEvent[] } {
	if (operations.length === 0) return { world, events: [] };
	const applied = applyOperations(world, operations, { caller: callerOf(world, operations) });
	if (!applied.ok) throw new Error(`recording the exchange failed: ${applied.error.message}`);
	return applied.value;
}

/** Sends a request from a place and applies what the handlers recorded. */
export async function exchange(
	world: World,
	source: NetworkSource,
	request: HttpRequest,
	env: NetworkEnv
): Promise<Exchange> {
	const result = await send(world, source, request, env);
	const applied = applyAll(world, result.operations);
	if (!result.ok) {
		return {
			...applied,
			hops: result.hops,
			response: null,
			failure: result.failure,
			explanation: result.failure.explanation
		};
	}
	const explanation = (result as { explanation?: unknown }).explanation;
	return {
		...applied,
		hops: result.hops,
		response: result.response,
		failure: null,
		explanation: typeof explanation === 'string' ? explanation : null
	};
}

/**
 * Sends a request from Cloud Shell with the signed-in user's token for `resource` (what az does for
 * `az keyvault secret show`, `az storage blob list --auth-mode login`, `az rest`).
 */
export async function exchangeAsUser(
	world: World,
	resource: string,
	request: HttpRequest,
	env: NetworkEnv
): Promise<Exchange> {
	const token = await cloudShellUserToken(world, env, resource);
	if (!token) throw new Error('this world has no user for Cloud Shell to sign in as');
	const published = applyAll(world, token.operations);
	const headers = { ...request.headers, Authorization: `Bearer ${token.accessToken}` };
	const result = await exchange(
		published.world,
		{ kind: 'cloudShell' },
		{ ...request, headers },
		env
	);
	return { ...result, events: [...published.events, ...result.events] };
}
