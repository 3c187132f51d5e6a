import { describe, expect, it } from 'vitest';
import { expandJoined, expandWord, variableValue } from '../../../src/core/shell/expand.ts';
import {
	SUB_CLOSE,
	SUB_QUOTED,
	SUB_SPLIT,
	VAR_CLOSE,
	VAR_OPEN
} from '../../../src/core/shell/parse.ts';

const vars: Record<string, string> = { A: 'one', EMPTY: '', SPACED: 'a b' };
const lookup = (name: string) => vars[name];
const v = (name: string) => `${VAR_OPEN}${name}${VAR_CLOSE}`;
const outputs = ['line1\nline2\n', '  padded  \n', '', 'x'];
const run = (index: number) => Promise.resolve(outputs[index] ?? '');

describe('variableValue', () => {
	it('reads names, defaults and lengths', () => {
		expect(variableValue('A', lookup)).toBe('one');
		expect(variableValue('MISSING', lookup)).toBe('');
		expect(variableValue('MISSING:-fallback', lookup)).toBe('fallback');
		expect(variableValue('EMPTY:-fallback', lookup)).toBe('fallback');
		expect(variableValue('EMPTY-fallback', lookup)).toBe('');
		expect(variableValue('#A', lookup)).toBe('3');
		expect(variableValue('', lookup)).toBe('$');
	});
});

describe('expandWord', () => {
	it('replaces variables in place, without splitting their values', async () => {
		expect(await expandWord(`pre-${v('A')}-post`, lookup, run)).toEqual(['pre-one-post']);
		expect(await expandWord(v('SPACED'), lookup, run)).toEqual(['a b']);
		expect(await expandWord(v('MISSING'), lookup, run)).toEqual(['']);
	});

	it('keeps a quoted substitution as one word without its trailing newlines', async () => {
		expect(await expandWord(`${SUB_QUOTED}0${SUB_CLOSE}`, lookup, run)).toEqual(['line1\nline2']);
	});

	it('splits an unquoted substitution into words, joining text around it', async () => {
		expect(await expandWord(`a${SUB_SPLIT}0${SUB_CLOSE}b`, lookup, run)).toEqual([
			'aline1',
			'line2b'
		]);
		expect(await expandWord(`a${SUB_SPLIT}1${SUB_CLOSE}b`, lookup, run)).toEqual([
			'a',
			'padded',
			'b'
		]);
	});

	it('drops a word that was only an empty unquoted substitution', async () => {
		expect(await expandWord(`${SUB_SPLIT}2${SUB_CLOSE}`, lookup, run)).toEqual([]);
		expect(await expandWord('', lookup, run)).toEqual(['']);
	});

	it('joins fields for assignments', async () => {
		expect(await expandJoined(`${SUB_SPLIT}0${SUB_CLOSE}`, lookup, run)).toBe('line1\nline2');
	});
});
