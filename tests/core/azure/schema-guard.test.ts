import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as v from 'valibot';
import { compileGuard } from '../../../src/core/azure/schema-guard.ts';
import { worldSchema } from '../../../src/core/azure/snapshot.ts';
import {
	createDefaultWorld,
	applyOperations,
	findResourcesByName
} from '../../../src/core/index.ts';

const sample = v.object({
	name: v.string(),
	count: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10)),
	finite: v.pipe(v.number(), v.finite()),
	nested: v.pipe(v.pipe(v.number(), v.integer()), v.minValue(0)),
	strict: v.strictObject({ id: v.string(), n: v.optional(v.number()) }),
	flag: v.boolean(),
	mode: v.picklist(['a', 'b']),
	exact: v.literal(1),
	maybe: v.nullable(v.string()),
	extra: v.optional(v.number()),
	list: v.array(v.string()),
	map: v.record(v.string(), v.number()),
	anything: v.unknown(),
	loose: v.looseObject({ id: v.string() }),
	shape: v.variant('kind', [
		v.object({ kind: v.literal('x'), x: v.number() }),
		v.object({ kind: v.literal('y'), y: v.string() })
	])
});

const valid = {
	name: 'n',
	count: 3,
	flag: true,
	mode: 'a',
	exact: 1,
	maybe: null,
	list: ['a'],
	map: { k: 1 },
	anything: { whatever: [1] },
	loose: { id: 'i', more: 1 },
	finite: 1.5,
	nested: 2,
	strict: { id: 's' },
	shape: { kind: 'y', y: 's' }
};

/** Sets `path` in a deep copy of `value` to `replacement`. */
function mutate(value: unknown, path: (string | number)[], replacement: unknown): unknown {
	const copy = structuredClone(value) as Record<string | number, unknown>;
	let node: Record<string | number, unknown> = copy;
	for (const [i, key] of path.entries()) {
		if (i === path.length - 1) node[key] = replacement;
		else node = node[key] as Record<string | number, unknown>;
	}
	return copy;
}

/** Every path to a value inside `value`. */
function paths(
	value: unknown,
	prefix: (string | number)[] = [],
	out: (string | number)[][] = []
): (string | number)[][] {
	if (typeof value === 'object' && value !== null) {
		for (const [key, child] of Object.entries(value)) {
			const path = [...prefix, Array.isArray(value) ? Number(key) : key];
			out.push(path);
			paths(child, path, out);
		}
	}
	return out;
}

const replacements = fc.oneof(
	fc.constant(undefined),
	fc.constant(null),
	fc.constant(Number.NaN),
	fc.constant(Number.POSITIVE_INFINITY),
	fc.constant(1e300),
	fc.integer({ min: -5, max: 5 }),
	fc.double(),
	fc.string({ maxLength: 4 }),
	fc.boolean(),
	fc.constantFrom('a', 'b', 'x', 'y', 1, -1, 0.5),
	fc.array(fc.integer(), { maxLength: 2 }),
	fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 })
);

describe('compileGuard', () => {
	const guard = compileGuard(sample);

	it('accepts what valibot accepts', () => {
		expect(v.is(sample, valid)).toBe(true);
		expect(guard(valid)).toBe(true);
	});

	it('never accepts what valibot refuses, and accepts the valid changes, for every single-field change', () => {
		const all = paths(valid);
		let accepted = 0;
		fc.assert(
			fc.property(fc.constantFrom(...all), replacements, (path, replacement) => {
				const changed = mutate(valid, path, replacement);
				const valibotSays = v.is(sample, changed);
				// The guard may only be stricter (valibot, asked next, then decides): an array is no record here.
				if (guard(changed)) {
					expect(valibotSays).toBe(true);
					accepted++;
				} else if (valibotSays) {
					expect(
						Array.isArray(changed && (changed as Record<string, unknown>)[String(path[0])])
					).toBe(true);
				}
			}),
			{ numRuns: 2_000 }
		);
		expect(accepted).toBeGreaterThan(0);
	});

	it('says no to a schema type it does not know, so that valibot decides', () => {
		expect(compileGuard(v.date())(new Date(0))).toBe(false);
		expect(compileGuard(v.pipe(v.string(), v.email()))('a@b.c')).toBe(false);
	});
});

describe('the world guard', () => {
	const guard = compileGuard(worldSchema);
	let world = createDefaultWorld();
	const vm = findResourcesByName(world, 'vm-stock-app')[0]!;
	const applied = applyOperations(world, [
		{ type: 'enableSystemIdentity', resourceId: vm.id },
		{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-guard' },
		{ type: 'advanceClock', seconds: 60 }
	]);
	if (applied.ok) world = applied.value.world;
	const data = JSON.parse(JSON.stringify(world)) as unknown;

	it('accepts a real world', () => {
		expect(guard(data)).toBe(true);
	});

	it('never accepts what valibot refuses, whatever one field of a world is changed to', () => {
		const all = paths(data);
		fc.assert(
			fc.property(fc.constantFrom(...all), replacements, (path, replacement) => {
				const changed = mutate(data, path, replacement);
				if (guard(changed)) expect(v.is(worldSchema, changed)).toBe(true);
			}),
			{ numRuns: 2_000 }
		);
	});
});
