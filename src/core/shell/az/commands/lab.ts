/**
 * `az lab …`: controls of the simulator, not of Azure (marked [Lab] in help). Time, the role-assignment
 * propagation delay and the tenant's signing keys, each changed through its operation.
 */
import type { World } from '../../../azure/model.ts';
import type { Operation } from '../../../azure/operations/index.ts';
import { describeDuration, isoTime } from '../../../clock.ts';
import type { EpochSeconds } from '../../../clock.ts';
import { retireSigningKey, rolloverSigningKey } from '../../../token/key-ring.ts';
import type { AzCommand } from '../types.ts';
import { str } from '../args.ts';
import { commit, failure, success } from '../common.ts';

/** The lab's own changes are logged as made by `lab`, not by the signed-in user. */
function commitAsLab(world: World, operations: readonly Operation[]): ReturnType<typeof commit> {
	return commit({ world, caller: 'lab' }, operations);
}

/** A simulated instant in whole seconds: `2026-03-02T09:00:00Z`. */
function labTime(at: EpochSeconds): string {
	return isoTime(at).replace('.000Z', 'Z');
}

function parseCount(text: string | undefined, label: string): number | null | string {
	if (text === undefined) return null;
	return /^\d+$/.test(text) ? Number(text) : `argument ${label}: invalid int value: '${text}'`;
}

const clockShow: AzCommand = {
	name: 'lab clock show',
	summary: 'Show the simulated time.',
	lab: true,
	needsLogin: false,
	args: [],
	examples: [{ command: 'az lab clock show', description: 'What time it is in the lab.' }],
	run({ world }) {
		return success({ now: labTime(world.now), epochSeconds: world.now });
	}
};

const clockAdvance: AzCommand = {
	name: 'lab clock advance',
	summary: 'Move simulated time forward (propagation delays pass, tokens expire).',
	lab: true,
	needsLogin: false,
	args: [
		{ dest: 'seconds', options: ['--seconds'], help: 'Seconds to add.' },
		{ dest: 'minutes', options: ['--minutes'], help: 'Minutes to add.' },
		{ dest: 'hours', options: ['--hours'], help: 'Hours to add.' },
		{ dest: 'days', options: ['--days'], help: 'Days to add.' }
	],
	examples: [
		{
			command: 'az lab clock advance --minutes 10',
			description: 'Let a role assignment propagate.'
		}
	],
	run(inv) {
		let total = 0;
		for (const [dest, factor] of [
			['seconds', 1],
			['minutes', 60],
			['hours', 3600],
			['days', 86_400]
		] as const) {
			const value = parseCount(str(inv.args, dest), `--${dest}`);
			if (typeof value === 'string') return failure(value, 2);
			if (value !== null) total += value * factor;
		}
		if (total <= 0)
			return failure(
				'usage error: give --minutes, --hours, --seconds or --days (more than 0): time only moves forward.',
				2
			);
		const applied = commitAsLab(inv.world, [{ type: 'advanceClock', seconds: total }]);
		if (!applied.ok) return applied.outcome;
		return success(
			{
				advancedBy: describeDuration(total),
				now: labTime(applied.world.now),
				epochSeconds: applied.world.now
			},
			applied
		);
	}
};

const propagationShow: AzCommand = {
	name: 'lab propagation show',
	summary: 'Show how long role assignment changes take to apply.',
	lab: true,
	needsLogin: false,
	args: [],
	examples: [{ command: 'az lab propagation show', description: 'The propagation delay.' }],
	run({ world }) {
		const seconds = world.settings.propagationDelaySeconds;
		return success({
			propagationDelaySeconds: seconds,
			description: seconds ? describeDuration(seconds) : 'immediate'
		});
	}
};

const propagationSet: AzCommand = {
	name: 'lab propagation set',
	summary: 'Set how long role assignment changes take to apply (Azure: up to 10 minutes).',
	lab: true,
	needsLogin: false,
	args: [{ dest: 'seconds', options: ['--seconds'], required: true, help: 'Seconds, 0 to 86400.' }],
	examples: [
		{
			command: 'az lab propagation set --seconds 0',
			description: 'Make role assignments apply at once.'
		}
	],
	run(inv) {
		const value = parseCount(str(inv.args, 'seconds'), '--seconds');
		if (typeof value === 'string') return failure(value, 2);
		const applied = commitAsLab(inv.world, [{ type: 'setPropagationDelay', seconds: value ?? 0 }]);
		if (!applied.ok) return applied.outcome;
		return success(
			{ propagationDelaySeconds: applied.world.settings.propagationDelaySeconds },
			applied
		);
	}
};

const imdsThrottle: AzCommand = {
	name: 'lab imds-throttle set',
	summary:
		'Turn IMDS’s managed-identity limits on or off (Azure: always on, 20 requests per second and 5 at once per VM).',
	lab: true,
	needsLogin: false,
	args: [
		{
			dest: 'enabled',
			options: ['--enabled'],
			required: true,
			choices: ['true', 'false'],
			help: 'true: IMDS answers 429 past its limits; false: it never throttles.'
		}
	],
	examples: [
		{
			command: 'az lab imds-throttle set --enabled false',
			description: 'Let a load test call IMDS as fast as it likes.'
		}
	],
	run(inv) {
		const enabled = str(inv.args, 'enabled') === 'true';
		const applied = commitAsLab(inv.world, [{ type: 'setImdsThrottle', enabled }]);
		if (!applied.ok) return applied.outcome;
		return success({ imdsThrottle: applied.world.settings.imdsThrottle !== false }, applied);
	}
};

const keysList: AzCommand = {
	name: 'lab keys list',
	summary: 'List the tenant’s published signing keys (what the JWKS shows).',
	lab: true,
	needsLogin: false,
	args: [],
	examples: [{ command: 'az lab keys list -o table', description: 'The signing keys.' }],
	run({ world }) {
		return success(
			world.signingKeys.map((k) => ({
				kid: k.kid,
				x5t: k.x5t,
				active: k.active,
				created: labTime(k.createdAt)
			}))
		);
	}
};

const keysRollover: AzCommand = {
	name: 'lab keys rollover',
	summary: 'Publish a new signing key and sign new tokens with it (old tokens keep verifying).',
	lab: true,
	needsLogin: false,
	args: [],
	examples: [{ command: 'az lab keys rollover', description: 'Roll the tenant’s signing key.' }],
	async run(inv) {
		const choice = await rolloverSigningKey(inv.world, inv.env.keyRing);
		const applied = commitAsLab(inv.world, choice.operations);
		if (!applied.ok) return applied.outcome;
		return success({ kid: choice.key.kid, active: true }, applied);
	}
};

const keysRetire: AzCommand = {
	name: 'lab keys retire',
	summary: 'Withdraw a signing key from the JWKS: tokens it signed stop verifying.',
	lab: true,
	needsLogin: false,
	args: [
		{ dest: 'kid', options: ['--kid'], required: true, help: 'The key id (az lab keys list).' }
	],
	examples: [{ command: 'az lab keys retire --kid <kid>', description: 'Retire an old key.' }],
	run(inv) {
		const operation = retireSigningKey(inv.world, str(inv.args, 'kid') ?? '');
		if (!operation.ok) return failure(operation.error.message);
		const applied = commitAsLab(inv.world, [operation.value]);
		return applied.ok ? success(undefined, applied) : applied.outcome;
	}
};

/** The lab's own az commands. */
export const LAB_COMMANDS: readonly AzCommand[] = [
	clockShow,
	clockAdvance,
	propagationShow,
	propagationSet,
	imdsThrottle,
	keysList,
	keysRollover,
	keysRetire
];
