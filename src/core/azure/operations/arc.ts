/**
 * Azure Arc-enabled servers: `azcmagent connect` makes an outside machine a Microsoft.HybridCompute/machines
 * resource with a system-assigned identity; its agent (HIMDS) answers token requests on localhost:40342 after a
 * challenge whose secret it writes to a root-only file.
 */
import type { OperationError } from '../errors.ts';
import { opError } from '../errors.ts';
import type { OperationContext, WorldDraft } from './context.ts';
import { idKey } from '../naming.ts';
import { ownEntry } from '../queries.ts';
import { createIdentityPrincipal, deleteIdentityPrincipal } from './principals.ts';

/** ARM type of an Arc-enabled server. */
export const ARC_MACHINE_TYPE = 'Microsoft.HybridCompute/machines';

/** Where the agent writes challenge secrets (msal-node accepts no other directory on Linux). */
export const ARC_TOKENS_DIRECTORY = '/var/opt/azcmagent/tokens/';

/** Input of connectArcMachine: what `azcmagent connect` is given. */
export interface ConnectArcInput {
	machine: string;
	subscriptionId: string;
	resourceGroup: string;
	location: string;
	/** The Arc resource's name (default: the machine's name). */
	resourceName?: string;
}

/** Operation: connect an outside machine to Azure Arc, with a system-assigned identity. */
export function connectArcMachine(
	draft: WorldDraft,
	ctx: OperationContext,
	input: ConnectArcInput
): OperationError | void {
	const machine = ownEntry(draft.outsideMachines, String(input?.machine ?? ''));
	if (!machine) {
		return opError(
			'MachineNotFound',
			`No machine outside Azure is called '${String(input?.machine)}'.`
		);
	}
	if (machine.pod) {
		return opError('InvalidInput', `'${machine.name}' is a Kubernetes pod: Arc connects servers.`);
	}
	if (machine.arc) {
		return opError(
			'ArcAlreadyConnected',
			`'${machine.name}' is already connected to Azure Arc as ${machine.arc.resourceId}. Disconnect it first (azcmagent disconnect).`
		);
	}
	const subscription = Object.values(draft.subscriptions).find(
		(s) => s.subscriptionId.toLowerCase() === String(input.subscriptionId ?? '').toLowerCase()
	);
	if (!subscription) {
		return opError(
			'InvalidScope',
			`Subscription '${String(input.subscriptionId)}' does not exist in this tenant (az account show prints its id).`
		);
	}
	const group = ownEntry(
		draft.resourceGroups,
		idKey(
			`/subscriptions/${subscription.subscriptionId}/resourceGroups/${String(input.resourceGroup)}`
		)
	);
	if (!group) {
		return opError(
			'ResourceGroupNotFound',
			`Resource group '${String(input.resourceGroup)}' could not be found.`
		);
	}
	const name = input.resourceName ?? machine.name;
	const resourceId = `/subscriptions/${subscription.subscriptionId}/resourceGroups/${group.name}/providers/${ARC_MACHINE_TYPE}/${name}`;
	const location =
		String(input.location ?? '')
			.toLowerCase()
			.replace(/\s+/g, '') || group.location;
	const sp = createIdentityPrincipal(draft, ctx, {
		displayName: name,
		resourceId,
		explicit: false
	});
	machine.arc = {
		resourceId,
		subscriptionId: subscription.subscriptionId,
		resourceGroup: group.name,
		location,
		identity: { principalId: sp.id, clientId: sp.appId, tenantId: draft.tenant.tenantId },
		connectedAt: draft.now,
		secretFiles: {}
	};
	ctx.emit({
		kind: 'activity',
		operationName: `${ARC_MACHINE_TYPE}/write`,
		resourceId,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `Connected '${machine.name}' to Azure Arc as '${name}' with a system-assigned identity (principal id ${sp.id}). Its agent answers token requests on localhost:40342.`
	});
}

/** Operation: disconnect a machine from Azure Arc; its identity's service principal is deleted. */
export function disconnectArcMachine(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { machine: string }
): OperationError | void {
	const machine = ownEntry(draft.outsideMachines, String(input?.machine ?? ''));
	if (!machine) {
		return opError(
			'MachineNotFound',
			`No machine outside Azure is called '${String(input?.machine)}'.`
		);
	}
	const arc = machine.arc;
	if (!arc) return;
	delete machine.arc;
	deleteIdentityPrincipal(
		draft,
		ctx,
		arc.identity.principalId,
		`because '${machine.name}' was disconnected from Azure Arc`
	);
	ctx.emit({
		kind: 'activity',
		operationName: `${ARC_MACHINE_TYPE}/delete`,
		resourceId: arc.resourceId,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `Disconnected '${machine.name}' from Azure Arc.`
	});
}

/** Operation: the Arc agent wrote a challenge secret file (root-only) for a token request. */
export function writeArcSecret(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { machine: string; path: string; secret: string }
): OperationError | void {
	const machine = ownEntry(draft.outsideMachines, String(input?.machine ?? ''));
	if (!machine?.arc) {
		return opError('MachineNotFound', `'${String(input?.machine)}' is not connected to Azure Arc.`);
	}
	if (
		typeof input.path !== 'string' ||
		!input.path.startsWith(ARC_TOKENS_DIRECTORY) ||
		typeof input.secret !== 'string'
	) {
		return opError('InvalidInput', `Arc secrets are files under ${ARC_TOKENS_DIRECTORY}.`);
	}
	// The agent keeps only the newest secret: an older challenge file is removed when a new one is made.
	machine.arc.secretFiles = { [input.path]: input.secret };
	ctx.emit({
		kind: 'activity',
		operationName: 'Arc/himds/challenge',
		resourceId: machine.arc.resourceId,
		caller: 'himds',
		status: 'Succeeded',
		summary: `The Arc agent on ${machine.name} wrote a new challenge secret to ${input.path} (readable by root and the himds group only).`
	});
}
