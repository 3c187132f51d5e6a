import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { World } from '../../../src/core/azure/model.ts';
import type { Operation } from '../../../src/core/azure/operations/index.ts';
import { applyOperation } from '../../../src/core/azure/operations/index.ts';
import { restoreWorld, snapshotWorld } from '../../../src/core/azure/snapshot.ts';
import {
	PERSISTENT_THRESHOLD,
	setPersistentThreshold
} from '../../../src/core/azure/store/record.ts';
import {
	HISTORY_VIEW_THRESHOLD,
	isPersistentHistory
} from '../../../src/core/azure/store/history.ts';
import { SARAH, STORAGE, VAULT, defaultWorld, runAll } from './helpers.ts';

/** Any UTF-16 code unit outside ASCII. */
const NON_ASCII = /[\u0080-\uffff]/;

afterEach(() => {
	setPersistentThreshold(PERSISTENT_THRESHOLD);
});

/** The same value as `JSON.stringify` writes, read back: what the snapshot must hold. */
function jsonValue(world: World): unknown {
	return JSON.parse(JSON.stringify(world)) as unknown;
}

function expectAsciiRoundTrip(world: World): string {
	const text = snapshotWorld(world);
	expect(text).not.toMatch(NON_ASCII);
	expect(JSON.parse(text)).toEqual(jsonValue(world));
	const restored = restoreWorld(text);
	if (!restored.ok) throw new Error(restored.error.message);
	expect(snapshotWorld(restored.value)).toBe(text);
	const pretty = snapshotWorld(world, { pretty: true });
	expect(pretty).not.toMatch(NON_ASCII);
	expect(JSON.parse(pretty)).toEqual(jsonValue(world));
	return text;
}

/** Text outside ASCII in a blob's name and content, a secret, and a role assignment's description. */
function worldWithText(texts: readonly string[]): World {
	return runAll(
		defaultWorld(),
		texts.flatMap((text, i): Operation[] => [
			{
				type: 'putBlob',
				accountId: STORAGE,
				container: 'quotes',
				name: `b${i}-${text}`,
				content: text
			},
			{ type: 'setSecret', vaultId: VAULT, name: `s${i}`, value: text },
			{
				type: 'createRoleAssignment',
				role: ROLES[i % ROLES.length] as string,
				scope: VAULT,
				principalId: SARAH,
				name: `00000000-0000-4000-8000-00000000000${i}`,
				description: text
			}
		])
	);
}

const ROLES = ['Reader', 'Contributor', 'Owner', 'Key Vault Secrets User', 'Key Vault Reader'];
const TEXTS = [
	'naïve café',
	'Contoso’s — “quoted”',
	'日本語',
	'emoji 😀 and more',
	'lone \ud800 half'
];

describe('snapshot text is ASCII', () => {
	it('writes the default world’s ’ as an escape and reads it back as ’', () => {
		const text = expectAsciiRoundTrip(defaultWorld());
		expect(text).toContain('Contoso\\u2019s own data centre');
		const restored = restoreWorld(text);
		if (!restored.ok) throw new Error(restored.error.message);
		const descriptions = Object.values(restored.value.outsideMachines).map((m) => m.description);
		expect(descriptions.some((d) => d.includes('Contoso’s own data centre'))).toBe(true);
	});

	it('reads text saved before snapshots were ASCII (characters as they are), and writes it as ASCII', () => {
		const world = worldWithText(TEXTS);
		const saved = JSON.stringify(world);
		expect(saved).toMatch(NON_ASCII);
		const restored = restoreWorld(saved);
		if (!restored.ok) throw new Error(restored.error.message);
		expect(restored.value).toEqual(world);
		expect(snapshotWorld(restored.value)).toBe(snapshotWorld(world));
	});

	for (const [label, threshold] of [
		['plain records', PERSISTENT_THRESHOLD],
		['persistent records', 0]
	] as const) {
		it(`escapes text outside ASCII in keys and values, and gives it back exactly: ${label}`, () => {
			setPersistentThreshold(threshold);
			const world = worldWithText(TEXTS);
			const text = expectAsciiRoundTrip(world);
			const restored = restoreWorld(text);
			if (!restored.ok) throw new Error(restored.error.message);
			const blobs = JSON.stringify(restored.value.resources[STORAGE.toLowerCase()]);
			for (const t of TEXTS) expect(blobs).toContain(JSON.stringify(t).slice(1, -1));
			const descriptions = Object.values(restored.value.roleAssignments).map((a) => a.description);
			for (const t of TEXTS) expect(descriptions).toContain(t);
		});
	}

	it('stays exact as entries gain and lose text outside ASCII after a snapshot', () => {
		setPersistentThreshold(0);
		let world = defaultWorld();
		// Each step changes one entry of a large record; the snapshot before it has read the record.
		for (const content of ['plain', '日本語', 'plain again', 'naïve', '']) {
			expectAsciiRoundTrip(world);
			world = runAll(world, [
				{ type: 'putBlob', accountId: STORAGE, container: 'quotes', name: 'today.csv', content },
				{ type: 'setSecret', vaultId: VAULT, name: 'db-password', value: content }
			]);
		}
		expectAsciiRoundTrip(world);
	});

	it('stays exact when a restored world, once written, gains text outside ASCII', () => {
		for (const threshold of [PERSISTENT_THRESHOLD, 0]) {
			setPersistentThreshold(threshold);
			const restored = restoreWorld(snapshotWorld(defaultWorld()));
			if (!restored.ok) throw new Error(restored.error.message);
			// The first snapshot of the restored (plain) records learns that they are all ASCII.
			expectAsciiRoundTrip(restored.value);
			const changed = runAll(restored.value, [
				{
					type: 'putBlob',
					accountId: STORAGE,
					container: 'quotes',
					name: 'ü.csv',
					content: '日本'
				},
				{
					type: 'createRoleAssignment',
					role: 'Reader',
					scope: VAULT,
					principalId: SARAH,
					description: '“quoted”'
				}
			]);
			expectAsciiRoundTrip(changed);
		}
	});

	it('escapes text in a history long enough to be held as a persistent view', () => {
		const puts = Array.from({ length: HISTORY_VIEW_THRESHOLD + 10 }, (_, i): Operation => ({
			type: 'putBlob',
			accountId: STORAGE,
			container: 'quotes',
			name: `f${i}-日本.txt`,
			content: 'ü'
		}));
		const world = runAll(defaultWorld(), puts);
		expect(isPersistentHistory(world.events)).toBe(true);
		expectAsciiRoundTrip(world);
	});

	it('escapes any text a learner may type, and gives it back exactly', () => {
		fc.assert(
			fc.property(
				fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { minLength: 1, maxLength: 3 }),
				fc.boolean(),
				(texts, persistent) => {
					setPersistentThreshold(persistent ? 0 : PERSISTENT_THRESHOLD);
					let world = defaultWorld();
					for (const [i, text] of texts.entries()) {
						const result = applyOperation(world, {
							type: 'putBlob',
							accountId: STORAGE,
							container: 'quotes',
							name: `n${i}${text}`,
							content: text
						});
						if (result.ok) world = result.value.world;
					}
					expectAsciiRoundTrip(world);
				}
			),
			{ numRuns: 60 }
		);
	});
});
