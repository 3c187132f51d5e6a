import { describe, expect, it } from 'vitest';
import { presentKeyFor } from '../../../src/ui/present/keys.ts';

function press(key: string, target: EventTarget | null = document.body, mods = {}) {
	return presentKeyFor({ key, ctrlKey: false, metaKey: false, altKey: false, target, ...mods });
}

describe('presenter keys', () => {
	it.each([
		['ArrowRight', 'next'],
		['PageDown', 'next'],
		['ArrowLeft', 'back'],
		['PageUp', 'back'],
		[' ', 'playPause'],
		['.', 'playPause'],
		['b', 'playPause'],
		['r', 'reset'],
		['R', 'reset'],
		['n', 'notes'],
		['f', 'fullscreen'],
		['?', 'help'],
		['+', 'faster'],
		['-', 'slower'],
		['Home', 'first'],
		['End', 'last']
	])('%s does %s', (key, action) => {
		expect(press(key)).toBe(action);
	});

	it('leaves keys to text fields, tab lists and focused buttons', () => {
		const input = document.createElement('input');
		expect(press('r', input)).toBeNull();
		expect(press('ArrowRight', input)).toBeNull();
		const list = document.createElement('div');
		list.setAttribute('role', 'tablist');
		const tab = document.createElement('button');
		tab.setAttribute('role', 'tab');
		list.append(tab);
		expect(press('ArrowRight', tab)).toBeNull();
		expect(press('PageDown', tab)).toBe('next');
		const button = document.createElement('button');
		expect(press(' ', button)).toBeNull();
		expect(press('.', button)).toBe('playPause');
	});

	it('ignores keys with modifiers (browser shortcuts)', () => {
		expect(press('r', document.body, { ctrlKey: true })).toBeNull();
		expect(press('ArrowLeft', document.body, { altKey: true })).toBeNull();
		expect(press('f', document.body, { metaKey: true })).toBeNull();
	});
});
