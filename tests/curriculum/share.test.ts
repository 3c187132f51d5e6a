import { describe, expect, it } from 'vitest';
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { checksum, createShareFragment, readShareFragment } from '../../src/curriculum/share.ts';
import { terminal } from '../core/shell/terminal.ts';

describe('share links', () => {
	it('round-trip a lesson, step and world, without cached tokens', async () => {
		const t = await terminal();
		await t.script([
			'az vm identity assign -g rg-stock -n vm-stock-app -o none',
			'ssh vm-stock-app "curl -s -H Metadata:true \'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net\'"'
		]);
		expect(Object.keys(t.world.tokenCache).length).toBeGreaterThan(0);
		const fragment = createShareFragment({ lessonId: 'token-request', step: 2, world: t.world });
		expect(fragment).toMatch(/^#share=/);
		expect(fragment).not.toMatch(/eyJ/);
		const read = readShareFragment(fragment);
		expect(read).toMatchObject({ ok: true, value: { lessonId: 'token-request', step: 2 } });
		if (!read?.ok) throw new Error('not ok');
		expect(read.value.world.tokenCache).toEqual({});
		expect(read.value.world.resources).toEqual(t.world.resources);
		expect(JSON.stringify(read.value.world)).not.toContain(
			Object.values(t.world.tokenCache)[0]?.accessToken ?? 'none'
		);
	});

	it('detects a tampered or broken link and says the lesson starts over', async () => {
		const t = await terminal();
		const fragment = createShareFragment({ lessonId: 'principals', step: 0, world: t.world });
		const text = decompressFromEncodedURIComponent(fragment.slice('#share='.length));
		const edited = `#share=${compressToEncodedURIComponent(text.replace('"step":0', '"step":9'))}`;
		const tampered = readShareFragment(edited);
		expect(tampered?.ok).toBe(false);
		expect(tampered && !tampered.ok ? tampered.message : '').toMatch(
			/checksum does not match.*starts from its beginning/
		);
		expect(readShareFragment(fragment.slice(0, -20))).toMatchObject({ ok: false });
		expect(readShareFragment('#share=%%%')).toMatchObject({ ok: false });
		const payload = '{"v":1,"lessonId":"x","step":0,"world":"{}"}';
		const notWorld = readShareFragment(
			`#share=${compressToEncodedURIComponent(checksum(payload) + payload)}`
		);
		expect(notWorld && !notWorld.ok ? notWorld.message : '').toMatch(/not a saved world|version/);
		expect(readShareFragment('#other')).toBeNull();
	});
});
