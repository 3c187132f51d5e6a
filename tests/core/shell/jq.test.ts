import { describe, expect, it } from 'vitest';
import { terminal } from './terminal.ts';

const DOC = `'{"access_token":"eyJ.a.b","expires_on":"1772528700","list":[{"name":"x"},{"name":"y"}],"nested":{"k":true}}'`;

describe('jq', () => {
	it('picks paths, with -r for raw strings', async () => {
		const t = await terminal();
		expect((await t.run(`echo ${DOC} | jq -r .access_token`)).stdout).toBe('eyJ.a.b\n');
		expect((await t.run(`echo ${DOC} | jq .access_token`)).stdout).toBe('"eyJ.a.b"\n');
		expect((await t.run(`echo ${DOC} | jq .nested.k`)).stdout).toBe('true\n');
		expect((await t.run(`echo ${DOC} | jq -r .list[1].name`)).stdout).toBe('y\n');
		expect((await t.run(`echo ${DOC} | jq -r '.list[].name'`)).stdout).toBe('x\ny\n');
		expect((await t.run(`echo ${DOC} | jq -r '.list | length'`)).stdout).toBe('2\n');
		expect((await t.run(`echo ${DOC} | jq -c '.nested'`)).stdout).toBe('{"k":true}\n');
		expect((await t.run(`echo ${DOC} | jq '.["expires_on"]'`)).stdout).toBe('"1772528700"\n');
		expect((await t.run(`echo ${DOC} | jq .missing`)).stdout).toBe('null\n');
		expect((await t.run(`echo ${DOC} | jq -r '.nested | keys | .[0]'`)).stdout).toBe('k\n');
	});

	it('pretty prints the whole document with .', async () => {
		const result = await (await terminal()).run(`echo '{"a":[1,2]}' | jq .`);
		expect(result.stdout).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}\n');
	});

	it('reports a runtime error as jq does (exit 5)', async () => {
		const result = await (await terminal()).run(`echo '"text"' | jq .access_token`);
		expect(result.exitCode).toBe(5);
		expect(result.stderr).toBe(
			'jq: error (at <stdin>:0): Cannot index string with "access_token"\n'
		);
	});

	it('explains input that is not JSON (exit 2)', async () => {
		const result = await (await terminal()).run('echo curl: failed | jq .a');
		expect(result.exitCode).toBe(2);
		expect(result.stderr).toContain('Cannot parse the input as JSON');
		expect(result.stderr).toContain('the command before the | printed something else');
	});

	it('refuses filters it does not know (exit 3) and unknown options (exit 2)', async () => {
		const t = await terminal();
		const compile = await t.run(`echo '{}' | jq 'map(.a)'`);
		expect(compile.exitCode).toBe(3);
		expect(compile.stderr).toContain('jq: 1 compile error');
		expect((await t.run(`echo '{}' | jq --slurp .`)).exitCode).toBe(2);
		expect((await t.run('jq')).exitCode).toBe(2);
	});

	it('-e sets the exit status from the last value', async () => {
		const t = await terminal();
		expect((await t.run(`echo '{"a":null}' | jq -e .a`)).exitCode).toBe(1);
		expect((await t.run(`echo '{"a":1}' | jq -e .a`)).exitCode).toBe(0);
	});
});
