import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PMap } from '../../../../src/core/azure/store/hamt.ts';
import {
	commit,
	indexOf,
	isPersistentRecord,
	plainRecord,
	recordGet,
	setPersistentThreshold,
	transient,
	type IndexSpec
} from '../../../../src/core/azure/store/record.ts';
import {
	dequeue,
	enqueue,
	queueSize,
	type TimeQueue
} from '../../../../src/core/azure/store/queue.ts';

const keyArb = fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `/k/${i}`), 'toJSON', 'a|b');

type Step = { op: 'set'; key: string; value: number } | { op: 'delete'; key: string };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
	fc.record({ op: fc.constant('set' as const), key: keyArb, value: fc.integer() }),
	fc.record({ op: fc.constant('delete' as const), key: keyArb })
);

afterEach(() => {
	setPersistentThreshold(512);
});

describe('PMap', () => {
	it('answers like a Map after any sequence of sets and deletes, and never changes an older version', () => {
		fc.assert(
			fc.property(fc.array(stepArb, { maxLength: 200 }), (steps) => {
				let map = PMap.empty<number>();
				const model = new Map<string, number>();
				const history: [PMap<number>, Map<string, number>][] = [];
				for (const step of steps) {
					history.push([map, new Map(model)]);
					if (step.op === 'set') {
						map = map.set(step.key, step.value);
						model.set(step.key, step.value);
					} else {
						map = map.delete(step.key);
						model.delete(step.key);
					}
					expect(map.size).toBe(model.size);
				}
				for (const [version, expected] of history) {
					const seen = new Map<string, number>();
					version.forEach((k, v) => seen.set(k, v));
					expect(seen).toEqual(expected);
					for (const [k, v] of expected) expect(version.get(k)).toBe(v);
				}
			})
		);
	});

	it('keeps thousands of keys apart (deep tries, shared paths) through deletes', () => {
		let map = PMap.empty<number>();
		for (let i = 0; i < 5000; i++) map = map.set(`key-${i}`, i);
		for (let i = 0; i < 5000; i += 2) map = map.delete(`key-${i}`);
		expect(map.size).toBe(2500);
		for (let i = 0; i < 5000; i++) expect(map.get(`key-${i}`)).toBe(i % 2 ? i : undefined);
	});
});

describe('persistent records', () => {
	/** Applies steps through a transient, committing every `batch` steps, beside a plain-object model. */
	function run(steps: Step[], threshold: number, batch: number) {
		setPersistentThreshold(threshold);
		let record: Record<string, { n: number }> = {};
		const model: Record<string, { n: number }> = {};
		const versions: [Record<string, { n: number }>, string][] = [];
		for (let i = 0; i < steps.length; i += batch) {
			const view = transient(record);
			for (const step of steps.slice(i, i + batch)) {
				if (step.op === 'set') {
					view[step.key] = { n: step.value };
					model[step.key] = { n: step.value };
				} else {
					delete view[step.key];
					delete model[step.key];
				}
			}
			versions.push([record, JSON.stringify(record)]);
			record = commit(view);
			expect(Object.keys(record)).toEqual(Object.keys(model));
			expect(JSON.stringify(record)).toBe(JSON.stringify(model));
		}
		// Earlier versions are unchanged (the undo stack keeps them).
		for (const [version, text] of versions) expect(JSON.stringify(version)).toBe(text);
		return { record, model };
	}

	it('reads like the plain object the same writes make: keys, order, values, JSON', () => {
		fc.assert(
			fc.property(
				fc.array(stepArb, { maxLength: 150 }),
				fc.integer({ min: 1, max: 7 }),
				(steps, batch) => {
					const { record, model } = run(steps, 0, batch);
					expect(Object.entries(record)).toEqual(Object.entries(model));
					expect({ ...record }).toEqual(model);
					for (const key of ['/k/1', '/k/2', 'toJSON', 'a|b', 'constructor', '__proto__']) {
						expect(Object.hasOwn(record, key)).toBe(Object.hasOwn(model, key));
						expect(recordGet(record, key)).toEqual(
							Object.hasOwn(model, key) ? model[key] : undefined
						);
						expect(key in record).toBe(key in model);
					}
					expect(plainRecord(record)).toEqual(model);
				}
			)
		);
	});

	it('becomes persistent at the threshold and plain again when it shrinks to half of it', () => {
		setPersistentThreshold(4);
		let record: Record<string, number> = {};
		const grow = transient(record);
		for (let i = 0; i < 4; i++) grow[`k${i}`] = i;
		record = commit(grow);
		expect(isPersistentRecord(record)).toBe(true);
		const shrink = transient(record);
		delete shrink.k0;
		delete shrink.k1;
		delete shrink.k2;
		record = commit(shrink);
		expect(isPersistentRecord(record)).toBe(false);
		expect(record).toEqual({ k3: 3 });
	});

	it('refuses writes in place, with a message that says how worlds change', () => {
		setPersistentThreshold(0);
		const view = transient<number>({});
		view.a = 1;
		const record = commit(view);
		expect(() => {
			record.b = 2;
		}).toThrow(/applyOperation/);
		expect(() => {
			delete record.a;
		}).toThrow(/applyOperation/);
		expect(record).toEqual({ a: 1 });
	});

	it('returns the same record when a transient changed nothing', () => {
		const record = { a: { n: 1 } };
		const view = transient(record);
		expect(view.a?.n).toBe(1);
		expect(commit(view)).toBe(record);
	});

	it('carries an index forward equal to one built afresh, whatever the layout', () => {
		const sumByParity: IndexSpec<{ n: number }, PMap<number>> = {
			name: 'test',
			build(record) {
				let index = PMap.empty<number>();
				for (const v of Object.values(record)) {
					const k = String(Math.abs(v.n % 2));
					index = index.set(k, (index.get(k) ?? 0) + v.n);
				}
				return index;
			},
			update(index, _key, before, after) {
				if (before !== undefined) {
					const k = String(Math.abs(before.n % 2));
					index = index.set(k, (index.get(k) ?? 0) - before.n);
				}
				if (after !== undefined) {
					const k = String(Math.abs(after.n % 2));
					index = index.set(k, (index.get(k) ?? 0) + after.n);
				}
				return index;
			}
		};
		fc.assert(
			fc.property(
				fc.array(stepArb, { maxLength: 80 }),
				fc.constantFrom(0, 3, 1000),
				(steps, threshold) => {
					setPersistentThreshold(threshold);
					let record: Record<string, { n: number }> = {};
					indexOf(record, sumByParity);
					for (const step of steps) {
						const view = transient(record);
						if (step.op === 'set') view[step.key] = { n: step.value };
						else delete view[step.key];
						record = commit(view);
					}
					const carried = indexOf(record, sumByParity);
					const fresh = sumByParity.build(JSON.parse(JSON.stringify(record)) as typeof record);
					for (const k of ['0', '1']) expect(carried.get(k) ?? 0).toBe(fresh.get(k) ?? 0);
				}
			)
		);
	});
});

describe('time queue', () => {
	it('gives entries back soonest first, ties by key, and leaves older versions whole', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), keyArb)), (entries) => {
				let queue: TimeQueue | null = null;
				for (const [at, key] of entries) queue = enqueue(queue, at, key);
				const kept = queue;
				const out: [number, string][] = [];
				while (queue !== null) {
					out.push([queue.at, queue.key]);
					queue = dequeue(queue);
				}
				const sorted = [...entries].sort(
					(a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)
				);
				expect(out).toEqual(sorted);
				expect(queueSize(kept)).toBe(entries.length);
			})
		);
	});
});
