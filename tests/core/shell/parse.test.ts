import { describe, expect, it } from 'vitest';
import {
	isAssignment,
	parseLine,
	SUB_QUOTED,
	SUB_SPLIT,
	SUB_CLOSE,
	VAR_CLOSE,
	VAR_OPEN
} from '../../../src/core/shell/parse.ts';

function words(line: string): string[][][] {
	const parsed = parseLine(line);
	if (!parsed.ok) throw new Error(parsed.error.message);
	return parsed.value.items.map((item) => item.pipeline.commands.map((c) => c.words));
}

describe('parseLine', () => {
	it('splits words with quotes and escapes as a shell does', () => {
		expect(words(`echo 'a b' "c d" e\\ f`)).toEqual([[['echo', 'a b', 'c d', 'e f']]]);
		expect(words(`echo 'it'\\''s'`)).toEqual([[['echo', "it's"]]]);
	});

	it('keeps variable references as markers to expand when the command runs', () => {
		expect(words('echo $A ${B}x "$C"')).toEqual([
			[
				[
					'echo',
					`${VAR_OPEN}A${VAR_CLOSE}`,
					`${VAR_OPEN}B${VAR_CLOSE}x`,
					`${VAR_OPEN}C${VAR_CLOSE}`
				]
			]
		]);
		expect(words(`echo '$A'`)).toEqual([[['echo', '$A']]]);
	});

	it('takes $( … ) out, quoted or not, and records its body', () => {
		const parsed = parseLine(`T=$(curl -s 'x?a=1&b=2' | jq -r .a) && echo "v=$(echo hi)"`);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.value.substitutions).toEqual([`curl -s 'x?a=1&b=2' | jq -r .a`, 'echo hi']);
		const [first, second] = parsed.value.items;
		expect(first?.pipeline.commands[0]?.words).toEqual([`T=${SUB_SPLIT}0${SUB_CLOSE}`]);
		expect(second?.connector).toBe('&&');
		expect(second?.pipeline.commands[0]?.words).toEqual(['echo', `v=${SUB_QUOTED}1${SUB_CLOSE}`]);
	});

	it('does not substitute inside single quotes or comments', () => {
		const parsed = parseLine(`echo '$(rm)' # $(rm -rf)`);
		expect(parsed.ok && parsed.value.substitutions).toEqual([]);
		expect(words(`echo '$(rm)' # $(rm -rf)`)).toEqual([[['echo', '$(rm)']]]);
	});

	it('builds pipelines and lists with ;, && and ||', () => {
		const parsed = parseLine('a | b; c && d || e');
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(
			parsed.value.items.map((i) => [i.connector, i.pipeline.commands.map((c) => c.words[0])])
		).toEqual([
			[null, ['a', 'b']],
			[';', ['c']],
			['&&', ['d']],
			['||', ['e']]
		]);
	});

	it('treats a whole-line comment and a blank line as nothing', () => {
		expect(words('# just a note')).toEqual([]);
		expect(words('   ')).toEqual([]);
	});

	it.each([
		['| a', "syntax error near unexpected token `|'"],
		['a |', "unexpected end of line after `|'"],
		['a && && b', "syntax error near unexpected token `&&'"],
		['echo $(oops', "unexpected EOF while looking for matching `)'"],
		['echo ${', 'Bad substitution'],
		['echo hi > file', 'redirection (>) is not supported'],
		['sleep 1 &', 'background jobs (&) are not supported'],
		['echo $((1+2))', 'arithmetic expansion']
	])('refuses %s with a message', (line, message) => {
		const parsed = parseLine(line);
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.error.message).toContain(message);
	});

	it('removes private-use characters a learner pasted, so they cannot forge markers', () => {
		expect(words(`echo a${VAR_OPEN}HOME${VAR_CLOSE}b`)).toEqual([[['echo', 'aHOMEb']]]);
	});

	it('recognises assignments by their raw text', () => {
		expect(isAssignment('TOKEN=abc')).toBe(true);
		expect(isAssignment('_x1=')).toBe(true);
		expect(isAssignment('1X=a')).toBe(false);
		expect(isAssignment('--query=x')).toBe(false);
	});
});
