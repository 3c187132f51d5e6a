// @vitest-environment node
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import { createDefaultWorld, restoreWorld, snapshotWorld } from '../../../src/core/index.ts';
import { ScenarioSchema } from '../../../src/curriculum/schema.ts';
import { LabSession } from '../../../src/ui/lab/session.svelte.ts';
import {
	exportableWorld,
	readWorldFile,
	scenarioSkeleton,
	TOKEN_REMOVED,
	worldFileName,
	worldFileText
} from '../../../src/ui/sandbox/world-file.ts';
import { apply, VM_APP } from '../../fixtures/worlds.ts';

const IMDS =
	'ssh vm-stock-app "curl -s -H Metadata:true \'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net\'"';

describe('world files', () => {
	it('hold the whole world without cached access tokens, private key members or tokens in files', async () => {
		const session = new LabSession(createDefaultWorld(), { wait: () => Promise.resolve() });
		await session.run('az vm identity assign -g rg-stock -n vm-stock-app -o none');
		const got = await session.run(IMDS);
		const token = /"access_token":\s*"([^"]+)"/.exec(got.stdout)?.[1] ?? '';
		expect(token).toMatch(/^eyJ/);
		expect(Object.keys(session.world.tokenCache)).not.toHaveLength(0);
		expect(session.world.signingKeys.length).toBeGreaterThan(0);
		// A learner who saved the token in a file on the VM, and a (hypothetical) private member in a JWK.
		const world = apply(session.world, [
			{
				type: 'writeFile',
				resourceId: VM_APP,
				path: '/home/azureuser/token.txt',
				content: `t=${token}\n`
			}
		]);
		const withPrivate = {
			...world,
			signingKeys: world.signingKeys.map((k) => ({
				...k,
				jwk: { ...k.jwk, d: 'secret-d', p: 'p' }
			}))
		};

		const text = worldFileText(withPrivate);
		expect(text).not.toContain(token);
		expect(text).not.toContain(token.split('.')[2]);
		expect(text).not.toContain('secret-d');
		expect(text).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
		const restored = restoreWorld(text);
		if (!restored.ok) throw new Error(restored.error.message);
		expect(restored.value.tokenCache).toEqual({});
		const vm = restored.value.resources[VM_APP.toLowerCase()] ?? restored.value.resources[VM_APP];
		expect(vm && 'files' in vm ? vm.files['/home/azureuser/token.txt'] : '').toBe(
			`t=${TOKEN_REMOVED}\n`
		);
		// Everything else is exactly the world.
		expect(restored.value.resources).toEqual(exportableWorld(withPrivate).resources);
		expect(restored.value.roleAssignments).toEqual(world.roleAssignments);
		expect(restored.value.events).toEqual(world.events);
		expect(restored.value.signingKeys.map((k) => k.kid)).toEqual(
			world.signingKeys.map((k) => k.kid)
		);
	});

	it('leave a world without secrets as it is, byte for byte after restore', () => {
		const world = createDefaultWorld();
		const restored = restoreWorld(worldFileText(world));
		if (!restored.ok) throw new Error(restored.error.message);
		expect(snapshotWorld(restored.value)).toBe(snapshotWorld(world));
	});

	it('say what is wrong with a file that is not a world, naming the file', () => {
		expect(readWorldFile('notes.json', '')).toEqual({
			ok: false,
			message: expect.stringMatching(/^notes\.json is empty.*Nothing was changed/) as string
		});
		expect(readWorldFile('a.json', '{"version": 1')).toMatchObject({
			ok: false,
			message: expect.stringMatching(
				/^a\.json: This is not a saved world: it is not valid JSON/
			) as string
		});
		const damaged = JSON.parse(snapshotWorld(createDefaultWorld())) as Record<string, unknown>;
		damaged.now = 'noon';
		expect(readWorldFile('b.json', JSON.stringify(damaged))).toMatchObject({
			ok: false,
			message: expect.stringMatching(/^b\.json: This saved world is damaged at now:/) as string
		});
	});

	it('are named by the moment they were saved', () => {
		expect(worldFileName(new Date('2026-12-03T21:30:05Z'))).toBe(
			'sandbox-world-2026-12-03-2130.json'
		);
	});

	it('come with a scenario skeleton that starts from them and passes the lesson schema', () => {
		const yaml = scenarioSkeleton('start-world.json');
		const parsed = v.safeParse(ScenarioSchema, parseYaml(yaml));
		expect(parsed.issues?.map((i) => `${v.getDotPath(i)}: ${i.message}`) ?? []).toEqual([]);
		expect(parsed.output).toMatchObject({ start: { from: 'start-world.json' } });
	});
});
