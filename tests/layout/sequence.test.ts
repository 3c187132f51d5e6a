import { describe, expect, it } from 'vitest';
import type { Hop } from '../../src/layout/sequence.ts';
import {
	describeHop,
	PARTICIPANTS,
	SEQUENCE_SIZES,
	sequenceLayout
} from '../../src/layout/sequence.ts';

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
