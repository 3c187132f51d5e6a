import { describe, expect, it } from 'vitest';
import { createDefaultWorld } from '../../../src/core/index.ts';
import { complete, tokenize } from '../../../src/ui/terminal/completion.ts';

const world = createDefaultWorld();

describe('terminal completion', () => {
	it('keeps quoted words whole and knows where each starts', () => {
		const { tokens, endsInSpace } = tokenize('az role assignment create --role "Key Vault S');
		expect(tokens.at(-1)).toEqual({ text: '"Key Vault S', start: 33, quote: '"' });
		expect(endsInSpace).toBe(false);
		expect(tokenize('a | b ').endsInSpace).toBe(true);
	});

	it('completes the command after a pipe or &&', () => {
		expect(complete(world, 'echo "$T" | jw').line).toBe('echo "$T" | jwt ');
		const afterAnd = complete(world, 'az login && c').candidates;
		expect(afterAnd).toEqual(complete(world, 'c').candidates);
		expect(afterAnd).toEqual(expect.arrayContaining(['curl', 'clear', 'console']));
	});

	it('offers the az groups after az, and resource groups after -g', () => {
		expect(complete(world, 'az ').candidates).toEqual(
			expect.arrayContaining(['vm', 'keyvault', 'role'])
		);
		expect(complete(world, 'az vm show -g ').line).toBe('az vm show -g rg-stock ');
	});

	it('completes in the middle of a line without touching what follows', () => {
		const line = 'az keyvault secret show --vault-name kv --name db-password';
		const cursor = line.indexOf(' --name');
		const done = complete(world, line, cursor);
		expect(done.line).toBe('az keyvault secret show --vault-name kv-stock --name db-password');
		expect(done.cursor).toBe('az keyvault secret show --vault-name kv-stock '.length);
	});

	it('leaves the line alone when nothing fits', () => {
		expect(complete(world, 'zzz')).toEqual({ line: 'zzz', cursor: 3, candidates: [] });
	});
});
