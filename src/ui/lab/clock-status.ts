/** What the clock bar says about time-dependent things: assignments still propagating and cached tokens. */
import {
	describeDuration,
	findRole,
	principalDisplayName,
	type RoleAssignment,
	type World
} from '../../core/index.ts';

/** One thing the clock will settle, with its time left on the simulated clock. */
export interface ClockItem {
	label: string;
	secondsLeft: number;
}

/** Role assignments not yet in force (or removed but still granting), soonest first. */
export function propagating(world: World): ClockItem[] {
	const items: ClockItem[] = [];
	for (const a of Object.values(world.roleAssignments)) {
		if (a.removedAt !== null && a.removedAt > world.now) {
			items.push({
				label: `removal of ${describe(world, a)}`,
				secondsLeft: a.removedAt - world.now
			});
		} else if (a.removedAt === null && a.effectiveAt > world.now) {
			items.push({ label: describe(world, a), secondsLeft: a.effectiveAt - world.now });
		}
	}
	return items.sort((x, y) => x.secondsLeft - y.secondsLeft);
}

/** Tokens held in identity endpoints' caches, soonest expiry first. */
export function cachedTokens(world: World): ClockItem[] {
	return Object.values(world.tokenCache)
		.filter((t) => t.expiresOn > world.now)
		.map((t) => ({ label: `token for ${t.resource}`, secondsLeft: t.expiresOn - world.now }))
		.sort((x, y) => x.secondsLeft - y.secondsLeft);
}

/** "2 min 30 s" style text for a number of seconds. */
export function timeLeft(seconds: number): string {
	return describeDuration(seconds);
}

/** The simulated time as the clock bar shows it: `2026-03-02 09:00:00 UTC`. */
export function clockText(world: World): string {
	return `${new Date(world.now * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function describe(world: World, a: RoleAssignment): string {
	const role = findRole(a.roleDefinitionId)?.roleName ?? 'a role';
	return `${role} for ${principalDisplayName(world, a.principalId)}`;
}
