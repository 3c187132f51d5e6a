import { describe, expect, it } from 'vitest';
import { VM_APP, WEB_APP, defaultWorld, refuse, run } from '../helpers.ts';
import { getResource } from '../../../../src/core/azure/queries.ts';

describe('writeFile', () => {
	it('replaces a file on a VM and records it', () => {
		const { world, events } = run(defaultWorld(), {
			type: 'writeFile',
			resourceId: VM_APP,
			path: '/etc/stock-app/appsettings.json',
			content: '{"KeyVaultUri":"https://kv-stock.vault.azure.net/"}\n'
		});
		const vm = getResource(world, VM_APP);
		expect(vm?.kind === 'virtualMachine' && vm.files['/etc/stock-app/appsettings.json']).toContain(
			'KeyVaultUri'
		);
		expect(events[0]).toMatchObject({ kind: 'activity', operationName: 'Lab/files/write' });
	});

	it('deletes a file with null content, and refuses what does not exist', () => {
		const { world } = run(defaultWorld(), {
			type: 'writeFile',
			resourceId: VM_APP,
			path: '/etc/stock-app/appsettings.json',
			content: null
		});
		const vm = getResource(world, VM_APP);
		expect(vm?.kind === 'virtualMachine' && Object.keys(vm.files)).toEqual([]);
		expect(
			refuse(world, {
				type: 'writeFile',
				resourceId: VM_APP,
				path: '/etc/stock-app/appsettings.json',
				content: null
			}).message
		).toMatch(/has no file/);
	});

	it('refuses relative paths and resources that hold no files', () => {
		expect(
			refuse(defaultWorld(), { type: 'writeFile', resourceId: VM_APP, path: 'x.json', content: '' })
				.code
		).toBe('InvalidInput');
		expect(
			refuse(defaultWorld(), { type: 'writeFile', machine: 'nope', path: '/x', content: '' }).code
		).toBe('ResourceNotFound');
	});
});

describe('setAppSettings', () => {
	it('sets and removes settings of a web app', () => {
		const set = run(defaultWorld(), {
			type: 'setAppSettings',
			resourceId: WEB_APP,
			set: { QuotesStorage: 'AccountKey=abc' }
		});
		const removed = run(set.world, {
			type: 'setAppSettings',
			resourceId: WEB_APP,
			remove: ['QuotesStorage']
		});
		const site = getResource(removed.world, WEB_APP);
		expect(site?.kind === 'webApp' && site.appSettings).toEqual({});
		expect(removed.events[0]?.kind === 'activity' && removed.events[0].summary).toMatch(
			/Removed QuotesStorage/
		);
	});

	it('refuses unknown settings, bad names and an empty change', () => {
		const w = defaultWorld();
		expect(
			refuse(w, { type: 'setAppSettings', resourceId: WEB_APP, remove: ['Nope'] }).message
		).toMatch(/no app setting named Nope/);
		expect(
			refuse(w, { type: 'setAppSettings', resourceId: WEB_APP, set: { 'a b': 'x' } }).message
		).toMatch(/not a valid setting name/);
		expect(refuse(w, { type: 'setAppSettings', resourceId: WEB_APP }).code).toBe('InvalidInput');
		expect(refuse(w, { type: 'setAppSettings', resourceId: VM_APP, set: { A: 'b' } }).code).toBe(
			'ResourceNotFound'
		);
	});
});
