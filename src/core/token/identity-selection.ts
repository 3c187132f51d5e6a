/**
 * Which managed identities a resource carries, how a learner names them, and the command that fixes a
 * missing one. Shared by the IMDS and App Service endpoints.
 */
import type { IdentityHost, World } from '../azure/model.ts';
import { getUserIdentity } from '../azure/queries.ts';
import { idKey } from '../azure/naming.ts';

/** One identity a host can get tokens for. */
export interface HostIdentity {
	kind: 'system' | 'user';
	principalId: string;
	clientId: string;
	/** ARM id the identity stands for: the host (system-assigned) or the identity resource (user-assigned). */
	resourceId: string;
	/** `system-assigned` or the user-assigned identity's name. */
	name: string;
}

/** The identities of a host: the system-assigned one first (when on), then the user-assigned ones in order. */
export function hostIdentities(world: World, host: IdentityHost): HostIdentity[] {
	const out: HostIdentity[] = [];
	const system = host.identity.systemAssigned;
	if (system) {
		out.push({
			kind: 'system',
			principalId: system.principalId,
			clientId: system.clientId,
			resourceId: host.id,
			name: 'system-assigned'
		});
	}
	for (const id of host.identity.userAssigned) {
		const uami = getUserIdentity(world, id);
		if (!uami) continue;
		out.push({
			kind: 'user',
			principalId: uami.principalId,
			clientId: uami.clientId,
			resourceId: uami.id,
			name: uami.name
		});
	}
	return out;
}

/** "the system-assigned identity of vm-stock-app" or "the user-assigned identity id-stock". */
export function describeIdentity(host: IdentityHost, identity: HostIdentity): string {
	return identity.kind === 'system'
		? `the system-assigned identity of ${host.name}`
		: `the user-assigned identity ${identity.name}`;
}

/** A list of a host's identities with their ids, for error explanations. */
export function listIdentities(identities: readonly HostIdentity[]): string {
	if (identities.length === 0) return 'none';
	return identities
		.map(
			(i) =>
				`${i.name} (client id ${i.clientId}, object id ${i.principalId}${i.kind === 'user' ? `, resource id ${i.resourceId}` : ''})`
		)
		.join('; ');
}

function azGroup(host: IdentityHost): string {
	switch (host.kind) {
		case 'virtualMachine':
			return 'vm';
		case 'virtualMachineScaleSet':
			return 'vmss';
		case 'webApp':
			return 'webapp';
		case 'functionApp':
			return 'functionapp';
	}
}

/** The az command that turns on a host's system-assigned identity. */
export function enableSystemCommand(host: IdentityHost): string {
	return `az ${azGroup(host)} identity assign -g ${host.resourceGroup} -n ${host.name}`;
}

/** The az command that assigns a user-assigned identity to a host. */
export function assignUserCommand(host: IdentityHost, identity = '<identity resource id>'): string {
	return `az ${azGroup(host)} identity assign -g ${host.resourceGroup} -n ${host.name} --identities ${identity}`;
}

/** What an identity is named by in a token request. */
export type SelectorKind = 'clientId' | 'principalId' | 'resourceId';

/** A query parameter of a token request that names the identity, e.g. `client_id=…`. */
export interface IdentitySelector {
	by: SelectorKind;
	param: string;
	value: string;
}

/** The selector parameters of an endpoint that a request's query carries, in the endpoint's order. */
export function selectorsIn(
	url: URL,
	params: readonly { param: string; by: SelectorKind }[]
): IdentitySelector[] {
	return params.flatMap(({ param, by }) => {
		const value = url.searchParams.get(param);
		return value === null ? [] : [{ by, param, value }];
	});
}

/** Finds an identity of the host by a selector value; ids compare case-insensitively. */
export function findIdentity(
	identities: readonly HostIdentity[],
	by: SelectorKind,
	value: string
): HostIdentity | undefined {
	if (by === 'resourceId') {
		const key = idKey(value);
		return identities.find((i) => i.kind === 'user' && idKey(i.resourceId) === key);
	}
	const lower = value.trim().toLowerCase();
	return identities.find((i) => i[by].toLowerCase() === lower);
}
