import { describe, expect, it } from 'vitest';
import { parseAzArgs } from '../../../../src/core/shell/az/args.ts';
import type { AzArg } from '../../../../src/core/shell/az/types.ts';

const SPECS: AzArg[] = [
	{
		dest: 'resourceGroup',
		options: ['--resource-group', '-g'],
		required: true,
		idPart: true,
		help: ''
	},
	{ dest: 'name', options: ['--name', '-n'], required: true, idPart: true, help: '' },
	{ dest: 'identities', options: ['--identities'], kind: 'list', help: '' },
	{ dest: 'assign', options: ['--assign-identity'], kind: 'optionalList', help: '' },
	{ dest: 'yes', options: ['--yes', '-y'], kind: 'flag', help: '' },
	{ dest: 'mode', options: ['--auth-mode'], choices: ['key', 'login'], help: '' }
];

describe('parseAzArgs', () => {
	it('reads values, inline values, attached short values, lists and switches', () => {
		const parsed = parseAzArgs(
			SPECS,
			[
				'-g',
				'rg',
				'--name=vm',
				'--identities',
				'[system]',
				'id1',
				'-y',
				'-ojson',
				'--assign-identity'
			],
			{ ids: false }
		);
		expect(parsed).toEqual({
			ok: true,
			value: {
				resourceGroup: 'rg',
				name: 'vm',
				identities: ['[system]', 'id1'],
				yes: true,
				output: 'json',
				assign: []
			}
		});
	});

	it('lower-cases choices and refuses others as argparse does', () => {
		expect(
			parseAzArgs(SPECS, ['-g', 'a', '-n', 'b', '--auth-mode', 'LOGIN'], { ids: false })
		).toMatchObject({ ok: true, value: { mode: 'login' } });
		expect(parseAzArgs(SPECS, ['-g', 'a', '-n', 'b', '-o', 'xml'], { ids: false })).toEqual({
			ok: false,
			error:
				"argument --output/-o: invalid choice: 'xml' (choose from 'json', 'jsonc', 'none', 'table', 'tsv', 'yaml', 'yamlc')"
		});
	});

	it('names missing required arguments, then unrecognized ones', () => {
		expect(parseAzArgs(SPECS, ['--foo'], { ids: false })).toEqual({
			ok: false,
			error: 'the following arguments are required: --resource-group/-g, --name/-n'
		});
		expect(parseAzArgs(SPECS, ['-g', 'a', '-n', 'b', '--foo', 'bar'], { ids: false })).toEqual({
			ok: false,
			error: 'unrecognized arguments: --foo bar'
		});
	});

	it('needs a value after a value option and one item in a list', () => {
		expect(parseAzArgs(SPECS, ['-g'], { ids: false })).toEqual({
			ok: false,
			error: 'argument --resource-group/-g: expected one argument'
		});
		expect(parseAzArgs(SPECS, ['-g', 'a', '-n', 'b', '--identities'], { ids: false })).toEqual({
			ok: false,
			error: 'argument --identities: expected at least one argument'
		});
		expect(parseAzArgs(SPECS, ['-g', 'a', '-n', 'b', '--yes=1'], { ids: false })).toEqual({
			ok: false,
			error: "argument --yes/-y: ignored explicit argument '1'"
		});
	});

	it('lets --ids stand for the resource group and name', () => {
		expect(parseAzArgs(SPECS, ['--ids', '/a', '/b'], { ids: true })).toEqual({
			ok: true,
			value: { ids: ['/a', '/b'] }
		});
		expect(parseAzArgs(SPECS, ['--ids', '/a'], { ids: false })).toMatchObject({ ok: false });
	});

	it('stops checking at --help', () => {
		expect(parseAzArgs(SPECS, ['--help'], { ids: false })).toEqual({
			ok: true,
			value: { help: true }
		});
	});
});
