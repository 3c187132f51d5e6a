import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import {
	createProgressStore,
	memoryStore,
	migrateRecord,
	PROGRESS_VERSION,
	type LessonRecord
} from '../../src/curriculum/progress.ts';
import { indexedDbStore } from '../../src/curriculum/progress-idb.ts';

let tick = 0;
const now = () => `2026-12-03T18:00:${String(tick++ % 60).padStart(2, '0')}.000Z`;

const draft = (lessonId: string, status: LessonRecord['status'] = 'inProgress') => ({
	lessonId,
	status,
	answers: { q1: [1] },
	world: status === 'inProgress' ? '{"version":1}' : null,
	step: 2
});

describe('progress store', () => {
	it('saves and loads lesson records, bumping the revision', async () => {
		const store = createProgressStore(memoryStore(), now);
		const first = await store.saveLesson(draft('system-assigned'), null);
		expect(first).toMatchObject({ ok: true, record: { revision: 0, version: PROGRESS_VERSION } });
		const second = await store.saveLesson(draft('system-assigned', 'done'), 0);
		expect(second).toMatchObject({ ok: true, record: { revision: 1, status: 'done' } });
		const { lessons, problems } = await store.load();
		expect(problems).toEqual([]);
		expect(lessons['system-assigned']?.status).toBe('done');
	});

	it('never lets two tabs overwrite each other: a stale revision is refused and changes nothing', async () => {
		const kv = indexedDbStore('tabs-test');
		const tabA = createProgressStore(kv, now);
		const tabB = createProgressStore(indexedDbStore('tabs-test'), now);
		await tabA.saveLesson(draft('user-assigned'), null);
		const [a, b] = await Promise.all([
			tabA.saveLesson(draft('user-assigned', 'done'), 0),
			tabB.saveLesson(draft('user-assigned', 'doneWithHelp'), 0)
		]);
		expect([a.ok, b.ok].sort()).toEqual([false, true]);
		const refused = a.ok ? b : a;
		expect(refused).toMatchObject({ ok: false, reason: 'conflict' });
		expect(refused.ok ? '' : refused.message).toMatch(/Another tab saved this lesson/);
		const { lessons } = await tabA.load();
		expect(lessons['user-assigned']?.revision).toBe(1);
		// Different lessons never conflict.
		expect((await tabB.saveLesson(draft('token-request'), null)).ok).toBe(true);
	});

	it('migrates version-1 progress (one object) and version-1 records', async () => {
		const kv = memoryStore();
		kv.data.set('progress', {
			done: ['principals', 'system-assigned'],
			withHelp: ['system-assigned']
		});
		kv.data.set('lesson:scope-and-planes', {
			version: 1,
			lessonId: 'scope-and-planes',
			completed: false,
			answers: { planes: [0] }
		});
		const { lessons, problems } = await createProgressStore(kv, now).load();
		expect(problems).toEqual([]);
		expect(lessons.principals?.status).toBe('done');
		expect(lessons['system-assigned']?.status).toBe('doneWithHelp');
		expect(lessons['scope-and-planes']).toMatchObject({
			status: 'inProgress',
			answers: { planes: [0] }
		});
		expect(kv.data.has('progress')).toBe(false);
		expect((kv.data.get('lesson:scope-and-planes') as { version: number }).version).toBe(2);
		expect(migrateRecord({ nonsense: true })).toBeNull();
	});

	it('sets damaged records aside, says what happened, keeps them for download, and never throws', async () => {
		const kv = memoryStore();
		kv.data.set('lesson:threats', { version: 2, lessonId: 'threats', status: 'finished' });
		kv.data.set('lesson:principals', 'garbage');
		kv.data.set('lesson:capstone-stock-app', {
			...draft('principals', 'done'),
			version: 2,
			revision: 0,
			updatedAt: ''
		});
		kv.data.set('progress', 42);
		const store = createProgressStore(kv, now);
		const { lessons, problems } = await store.load();
		expect(lessons).toEqual({});
		expect(problems.map((p) => p.key).sort()).toEqual(
			['lesson:capstone-stock-app', 'lesson:principals', 'lesson:threats', 'progress'].sort()
		);
		expect(problems.find((p) => p.key === 'lesson:threats')?.message).toMatch(/status/);
		const kept = await store.corruptData();
		expect(kept.map((k) => k.value)).toContain('garbage');
		expect((await store.load()).problems).toEqual([]);
	});

	it('exports and imports progress; an invalid import says why and changes nothing', async () => {
		const store = createProgressStore(memoryStore(), now);
		await store.saveLesson(draft('principals', 'done'), null);
		await store.saveLesson(draft('token-request'), null);
		const file = await store.exportJson();

		const other = createProgressStore(memoryStore(), now);
		await other.saveLesson(draft('threats', 'done'), null);
		for (const bad of ['not json', '{"format":"x"}', file.replace('"done"', '"finished"')]) {
			const result = await other.importJson(bad);
			expect(result.ok).toBe(false);
			expect(result.ok ? '' : result.message).toMatch(/Nothing was changed/);
		}
		expect(Object.keys((await other.load()).lessons)).toEqual(['threats']);
		expect(await other.importJson(file)).toEqual({ ok: true, count: 2 });
		expect(Object.keys((await other.load()).lessons).sort()).toEqual([
			'principals',
			'token-request'
		]);
	});

	it('resets all progress, keeping damaged data unless asked', async () => {
		const kv = memoryStore();
		const store = createProgressStore(kv, now);
		await store.saveLesson(draft('principals'), null);
		kv.data.set('corrupt:lesson:x:1', 'bad');
		await store.resetAll();
		expect((await store.load()).lessons).toEqual({});
		expect(kv.data.has('corrupt:lesson:x:1')).toBe(true);
		await store.resetAll({ includingDamaged: true });
		expect(kv.data.size).toBe(0);
	});

	it('survives a reload: a new store over the same IndexedDB finds the lesson as it was', async () => {
		await createProgressStore(indexedDbStore('reload-test'), now).saveLesson(
			draft('propagation'),
			null
		);
		const reloaded = await createProgressStore(indexedDbStore('reload-test'), now).load();
		expect(reloaded.lessons.propagation).toMatchObject({ step: 2, world: '{"version":1}' });
	});
});
