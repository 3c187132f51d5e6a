// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { createDefaultWorld, createEmptyWorld } from '../../../src/core/index.ts';
import { parseRoute } from '../../../src/ui/routes.ts';
import {
	readSharedWorld,
	shareData,
	sharedStart,
	shareUrl
} from '../../../src/ui/sandbox/share-link.ts';
import { apply, VM_APP } from '../../fixtures/worlds.ts';

const BASE = 'https://lab.example/sub/path/index.html';

describe('share links', () => {
	it('carry a sandbox world in #/sandbox?share=…, which opens it again', () => {
		const world = apply(createDefaultWorld(), [
			{ type: 'enableSystemIdentity', resourceId: VM_APP }
		]);
		const url = shareUrl(`${BASE}#/sandbox/flow/2`, world);
		expect(url.startsWith(`${BASE}#/sandbox?share=`)).toBe(true);
		const hash = url.slice(url.indexOf('#'));
		const route = parseRoute(hash);
		expect(route).toMatchObject({ name: 'sandbox', flowStep: null });
		const read = sharedStart(route);
		expect(read).toMatchObject({ kind: 'world', lessonId: null, step: 0 });
		if (read.kind !== 'world') throw new Error(read.kind);
		expect(read.world.resources).toEqual(world.resources);
		expect(readSharedWorld(hash)).toEqual(read);
	});

	it('carry a lesson id and step for the lesson route', () => {
		const world = createEmptyWorld();
		const url = shareUrl(BASE, world, { id: 'call-key-vault', step: 3 });
		const hash = url.slice(url.indexOf('#'));
		expect(hash).toMatch(/^#\/lesson\/call-key-vault\/3\?share=/);
		expect(readSharedWorld(hash)).toMatchObject({
			kind: 'world',
			lessonId: 'call-key-vault',
			step: 3
		});
		// Step 0 (before the first reference step) is the lesson route without a step.
		const start = shareUrl(BASE, world, { id: 'call-key-vault', step: 0 });
		expect(start).toMatch(/#\/lesson\/call-key-vault\?share=/);
		expect(readSharedWorld(start.slice(start.indexOf('#')))).toMatchObject({
			kind: 'world',
			step: 0
		});
	});

	it('say so when a link was edited, cut or made for another lesson, and where the learner starts instead', () => {
		const data = shareData(createDefaultWorld());
		const text = decompressFromEncodedURIComponent(data);
		const edited = compressToEncodedURIComponent(
			text.replace('contoso.onmicrosoft.com', 'fabrikam.onmicrosoft.com')
		);
		expect(edited).not.toBe(data);
		expect(readSharedWorld(`#/sandbox?share=${edited}`)).toEqual({
			kind: 'broken',
			message: expect.stringMatching(
				/broken or was changed \(its checksum does not match\)\. The sandbox starts from the default world instead\.$/
			) as string
		});
		expect(readSharedWorld(`#/sandbox?share=${data.slice(0, -30)}`)).toMatchObject({
			kind: 'broken'
		});
		expect(readSharedWorld(`#/lesson/principals?share=${data.slice(0, -30)}`)).toEqual({
			kind: 'broken',
			message: expect.stringMatching(/The lesson starts from its beginning instead\.$/) as string
		});
		expect(readSharedWorld(`#/lesson/principals?share=${data}`)).toEqual({
			kind: 'broken',
			message:
				'This shared link was made for the sandbox, not for this lesson. The lesson starts from its beginning instead.'
		});
		expect(readSharedWorld('#/sandbox')).toEqual({ kind: 'none' });
		expect(readSharedWorld('#/present/principals/1?share=abc')).toEqual({ kind: 'none' });
	});

	it('a bare #share=… (the curriculum fragment) opens in the sandbox', () => {
		expect(readSharedWorld(`#share=${shareData(createEmptyWorld())}`)).toMatchObject({
			kind: 'world',
			lessonId: null
		});
	});
});
