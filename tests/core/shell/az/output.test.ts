import { describe, expect, it } from 'vitest';
import {
	formatResult,
	runQuery,
	simpleTable,
	sortKeys
} from '../../../../src/core/shell/az/output.ts';

describe('az output', () => {
	const value = [
		{ name: 'b', id: '/x/b', tags: {}, count: 2, on: true, none: null, list: [1, 2] },
		{ name: 'a', id: '/x/a', tags: {}, count: 10, on: false, none: null, list: [] }
	];

	it('prints JSON with sorted keys and two-space indents', () => {
		expect(formatResult({ b: 1, a: { d: [], c: {} } }, 'json')).toBe(
			'{\n  "a": {\n    "c": {},\n    "d": []\n  },\n  "b": 1\n}\n'
		);
		expect(formatResult({ b: 1 }, 'jsonc')).toBe('{\n  "b": 1\n}\n');
	});

	it('prints nothing for a missing result or -o none', () => {
		expect(formatResult(undefined, 'json')).toBe('');
		expect(formatResult(null, 'table')).toBe('');
		expect(formatResult({ a: 1 }, 'none')).toBe('');
	});

	it('prints tsv as knack does: list lengths, empty objects, None, True', () => {
		expect(formatResult(sortKeys(value), 'tsv')).toBe(
			'2\t/x/b\t2\tb\tNone\tTrue\t\n10\t/x/a\t0\ta\tNone\tFalse\t\n'
		);
		expect(formatResult('plain', 'tsv')).toBe('plain\n');
		expect(formatResult(true, 'tsv')).toBe('true\n');
		expect(formatResult(['x', 'y'], 'tsv')).toBe('x\ny\n');
	});

	it('prints tables with scalar columns only, skipping id and type, headers capitalised', () => {
		expect(formatResult(sortKeys(value), 'table')).toBe(
			[
				'Count    Name    On',
				'-------  ------  -----',
				'2        b       True',
				'10       a       False',
				''
			].join('\n')
		);
	});

	it('keeps the order of a multiselect query in tsv and tables', () => {
		const queried = runQuery(sortKeys(value), '[].{Name:name, N:count}');
		expect(queried.ok && formatResult(queried.value, 'tsv')).toBe('b\t2\na\t10\n');
		expect(queried.ok && formatResult(queried.value, 'table')).toBe(
			'Name    N\n------  ---\nb       2\na       10\n'
		);
	});

	it('reports an invalid query with az’s message', () => {
		const queried = runQuery(value, '[?name==');
		expect(queried.ok).toBe(false);
		if (!queried.ok)
			expect(queried.error).toMatch(/^argument --query: invalid jmespath_type value: '\[\?name=='/);
	});

	it('prints YAML with sorted keys', () => {
		expect(formatResult({ b: [1], a: 'x' }, 'yaml')).toBe('a: x\nb:\n- 1\n');
	});

	it('draws an empty table as one empty line', () => {
		expect(simpleTable([])).toBe('\n');
	});
});
