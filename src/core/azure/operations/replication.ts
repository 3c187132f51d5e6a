/**
 * Entra ID replication: a service principal that was just created is not yet visible to ARM's directory
 * lookup. `az role assignment create` naming it fails with PrincipalNotFound until the delay has passed,
 * unless the caller states `principalType` (ARM then skips the lookup — the documented fix).
 */
import type { World } from '../model.ts';
import type { OperationError } from '../errors.ts';
import { opError } from '../errors.ts';
import type { OperationContext, WorldDraft } from './context.ts';
import { describeDuration } from '../../clock.ts';

/** The replication delay of a world (0 when the world predates the setting). */
export function replicationDelay(world: Pick<World, 'settings'>): number {
	return world.settings.principalReplicationDelaySeconds ?? 0;
}

/** True while a service principal is too new for ARM's directory lookup to find it. */
export function isPrincipalReplicating(world: World, principalId: string): boolean {
	const sp = world.directory.servicePrincipals[principalId.toLowerCase()];
	if (!sp) return false;
	return world.now < sp.createdAt + replicationDelay(world);
}

/** Operation: set how long a new service principal stays invisible to ARM's lookup (0 to 3600 s). */
export function setReplicationDelay(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { seconds: number }
): OperationError | void {
	const seconds = input?.seconds;
	if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
		return opError(
			'InvalidInput',
			`The replication delay is a whole number of seconds from 0 to 3600; '${String(seconds)}' is not one.`
		);
	}
	draft.settings.principalReplicationDelaySeconds = seconds;
	ctx.emit({
		kind: 'activity',
		operationName: 'Lab/settings/write',
		resourceId: '/',
		caller: ctx.caller,
		status: 'Succeeded',
		summary:
			seconds === 0
				? 'New service principals are visible to ARM at once.'
				: `New service principals become visible to ARM's directory lookup ${describeDuration(seconds)} after they are created.`
	});
}
