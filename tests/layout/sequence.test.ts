import { describe, expect, it } from 'vitest';
import type { Hop } from '../../src/layout/sequence.ts';
import {
	describeHop,
	PARTICIPANTS,
	SEQUENCE_SIZES,
	sequenceLayout,
	shortAction,
	traceLines
} from '../../src/layout/sequence.ts';
import type { CheckTrace, RbacTrace, RbacTraceAssignment } from '../../src/core/http/types.ts';

const hops: Hop[] = [
	{
		id: 'h1',
		from: 'app',
		to: 'identityEndpoint',
		kind: 'request',
		title: 'GET /metadata/identity/oauth2/token',
		ok: true,
		detail: 'The app asks IMDS for a token.'
	},
	{
		id: 'h2',
		from: 'identityEndpoint',
		to: 'app',
		kind: 'response',
		title: '200 OK',
		ok: true,
		detail: 'A token for the vault.'
	},
	{
		id: 'h3',
		from: 'service',
		to: 'service',
		kind: 'check',
		title: 'RBAC: secrets/getSecret/action',
		ok: false,
		detail: 'No role assignment grants it.'
	}
];

describe('sequenceLayout', () => {
	it('draws the four lifelines left to right, evenly spaced', () => {
		const layout = sequenceLayout([]);
		expect(layout.lifelines.map((l) => l.participant)).toEqual([...PARTICIPANTS]);
		expect(layout.lifelines.map((l) => l.label)).toEqual([
			'App code',
			'Identity endpoint',
			'Entra ID',
			'Target service'
		]);
		const xs = layout.lifelines.map((l) => l.x);
		for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBe(SEQUENCE_SIZES.laneWidth);
		expect(layout.rows).toEqual([]);
		expect(layout.height).toBeGreaterThan(0);
	});

	it.each([
		[0, 'request', false],
		[1, 'response', true],
		[2, 'check', false]
	] as const)('row %d is a %s (dashed: %s)', (index, kind, dashed) => {
		const row = sequenceLayout(hops).rows[index]!;
		expect(row).toMatchObject({ index, kind, dashed, id: hops[index]!.id });
	});

	it('puts one row per hop, top to bottom, arrows from the sender to the receiver', () => {
		const layout = sequenceLayout(hops);
		const [req, res, check] = layout.rows;
		expect(req!.y).toBeLessThan(res!.y);
		expect(res!.y).toBeLessThan(check!.y);
		const x = new Map(layout.lifelines.map((l) => [l.participant, l.x]));
		expect(req).toMatchObject({ x1: x.get('app'), x2: x.get('identityEndpoint') });
		expect(res).toMatchObject({ x1: x.get('identityEndpoint'), x2: x.get('app') });
		expect(check).toMatchObject({ x1: x.get('service'), x2: x.get('service'), ok: false });
		expect(check!.path).toMatch(/Z$/);
		expect(layout.height).toBeGreaterThan(check!.y);
		expect(sequenceLayout(hops)).toEqual(layout);
	});

	it('describes each hop in words, failures included', () => {
		expect(describeHop(hops[0]!, 0)).toBe(
			'Step 1: App code sends Identity endpoint: GET /metadata/identity/oauth2/token. The app asks IMDS for a token.'
		);
		expect(describeHop(hops[1]!, 1)).toMatch(
			/^Step 2: Identity endpoint answers App code: 200 OK\./
		);
		expect(describeHop(hops[2]!, 2)).toBe(
			'Step 3: Target service checks: RBAC: secrets/getSecret/action. Failed. No role assignment grants it.'
		);
	});
});

const tokenTrace: CheckTrace = {
	kind: 'token',
	steps: [
		{ check: 'bearer', label: 'Bearer token present', outcome: 'passed', seen: 'Bearer' },
		{ check: 'signature', label: 'Signature', outcome: 'passed', seen: '' },
		{ check: 'issuer', label: 'Issuer is the tenant', outcome: 'passed', seen: 'https://sts/' },
		{ check: 'audience', label: 'Audience is this service', outcome: 'failed', seen: 'https://x' },
		{ check: 'lifetime', label: 'Not expired', outcome: 'skipped', seen: '' }
	]
};

function assignment(over: Partial<RbacTraceAssignment>): RbacTraceAssignment {
	return {
		roleName: 'Reader',
		scope: '/subscriptions/s/resourceGroups/rg',
		scopeLabel: 'resource group rg',
		state: 'effective',
		secondsLeft: null,
		includesAction: false,
		granted: false,
		...over
	};
}

function rbac(over: Partial<RbacTrace>): CheckTrace {
	return {
		kind: 'rbac',
		rbac: {
			principalId: 'p',
			action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
			plane: 'data',
			scope: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv',
			scopeLabel: 'key vault kv',
			assignments: [],
			allowed: false,
			reason: 'Denied.',
			suggestion: null,
			...over
		}
	};
}

describe('traceLines', () => {
	it('token validation: each step with its mark; the failing one says failed, later ones not checked', () => {
		expect(traceLines(tokenTrace)).toEqual([
			{ mark: 'pass', text: 'Bearer token present (Bearer)' },
			{ mark: 'pass', text: 'Signature' },
			{ mark: 'pass', text: 'Issuer is the tenant (https://sts/)' },
			{ mark: 'fail', text: 'Audience is this service: failed (https://x)' },
			{ mark: 'skip', text: 'Not expired: not checked' }
		]);
	});

	it.each<[string, CheckTrace, string[]]>([
		[
			'no assignment',
			rbac({}),
			[
				'info Needs Microsoft.KeyVault/vaults/secrets/getSecret/action (data plane) on key vault kv',
				'fail No role assignment for this identity at this scope or above',
				'fail Denied: no assignment grants the action'
			]
		],
		[
			'granted at the vault, Reader above',
			rbac({
				allowed: true,
				assignments: [
					assignment({
						roleName: 'Key Vault Secrets User',
						scopeLabel: 'key vault kv',
						includesAction: true,
						granted: true
					}),
					assignment({})
				]
			}),
			[
				'info Needs Microsoft.KeyVault/vaults/secrets/getSecret/action (data plane) on key vault kv',
				'pass Key Vault Secrets User at key vault kv: grants it',
				'fail Reader at resource group rg: does not include it',
				'pass Allowed by Key Vault Secrets User at key vault kv'
			]
		],
		[
			'a pending grant',
			rbac({
				assignments: [assignment({ state: 'pending', secondsLeft: 300, includesAction: true })]
			}),
			[
				'info Needs Microsoft.KeyVault/vaults/secrets/getSecret/action (data plane) on key vault kv',
				'pending Reader at resource group rg: pending, applies in 5 min',
				'fail Denied: no assignment grants the action'
			]
		],
		[
			'a removal still propagating',
			rbac({
				allowed: true,
				assignments: [
					assignment({ state: 'removing', secondsLeft: 30, includesAction: true, granted: true })
				]
			}),
			[
				'info Needs Microsoft.KeyVault/vaults/secrets/getSecret/action (data plane) on key vault kv',
				'pass Reader at resource group rg: grants it (deleted, removal still propagating)',
				'pass Allowed by Reader at resource group rg'
			]
		]
	])('RBAC, %s', (_name, trace, expected) => {
		expect(traceLines(trace).map((l) => `${l.mark} ${l.text}`)).toEqual(expected);
	});

	it('shortens long action names to their last three segments', () => {
		expect(shortAction('Microsoft.KeyVault/vaults/secrets/getSecret/action')).toBe(
			'…/secrets/getSecret/action'
		);
		expect(shortAction('Microsoft.Storage/read')).toBe('Microsoft.Storage/read');
	});
});

describe('sequenceLayout with a decision trace', () => {
	const traced: Hop[] = [
		hops[0]!,
		{ ...hops[2]!, id: 'token', trace: tokenTrace },
		{ ...hops[1]!, id: 'after' }
	];

	it('grows the check row by one line per trace step and pushes later rows down', () => {
		const plain = sequenceLayout([
			hops[0]!,
			{ ...hops[2]!, id: 'token' },
			{ ...hops[1]!, id: 'after' }
		]);
		const layout = sequenceLayout(traced);
		const grow = 5 * SEQUENCE_SIZES.traceLine;
		expect(layout.rows[2]!.y - plain.rows[2]!.y).toBe(grow);
		expect(layout.height - plain.height).toBe(grow);
		expect(layout.rows[1]!.trace).toHaveLength(5);
		expect(plain.rows[1]!.trace).toEqual([]);
	});

	it('places the trace lines inside the box, on the service lifeline, within the diagram', () => {
		const layout = sequenceLayout(traced);
		const row = layout.rows[1]!;
		const service = layout.lifelines.find((l) => l.participant === 'service')!;
		const [left, top] = row.path
			.slice(1)
			.split(/[hvHVZ]/)[0]!
			.split(',')
			.map(Number) as [number, number];
		expect(left).toBeLessThan(service.x);
		expect(left + SEQUENCE_SIZES.traceWidth).toBeGreaterThan(service.x);
		expect(left + SEQUENCE_SIZES.traceWidth).toBeLessThanOrEqual(layout.width);
		for (const line of row.trace) {
			expect(line.x).toBeGreaterThan(left);
			expect(line.y).toBeGreaterThan(top);
			expect(line.shown.length).toBeLessThanOrEqual(SEQUENCE_SIZES.traceChars);
		}
		expect(row.trace[3]!.shown).toBe('✗ Audience is this service: failed (https://x)');
	});

	it('cuts a line longer than the box with an ellipsis', () => {
		const long = sequenceLayout([{ ...hops[2]!, trace: rbac({}) }]).rows[0]!.trace[0]!;
		expect(long.shown.endsWith('…')).toBe(true);
		expect(long.shown.length).toBe(SEQUENCE_SIZES.traceChars);
		expect(long.text).toContain('getSecret/action');
	});
});
