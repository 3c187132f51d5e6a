import { describe, expect, it } from 'vitest';
import { createDefaultWorld } from '../../../src/core/index.ts';
import { explainClaim } from '../../../src/core/shell/jwt.ts';
import { terminal } from './terminal.ts';
import { FIXTURE_TOKEN as FIXTURE } from '../../fixtures/files.ts';

describe('jwt decode', () => {
	it('prints header, payload and every claim with its meaning', async () => {
		const result = await (await terminal()).run(`jwt decode ${FIXTURE}`);
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toMatch(/^Header\n\{\n {2}"typ": "JWT",\n {2}"alg": "RS256"/);
		expect(result.stdout).toContain('\nPayload\n{');
		expect(result.stdout).toContain('Decoding checks nothing');
		for (const claim of [
			'aud',
			'iss',
			'iat',
			'nbf',
			'exp',
			'appid',
			'oid',
			'sub',
			'tid',
			'ver',
			'idtyp',
			'xms_mirid'
		]) {
			expect(result.stdout).toMatch(new RegExp(`^  ${claim} +\\S`, 'm'));
		}
		expect(result.stdout).toMatch(/↳ expires at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
	});

	it('reads the token from stdin', async () => {
		const result = await (await terminal()).run(`echo ${FIXTURE} | jwt decode`);
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain('Payload');
	});

	it('explains a broken token with decodeForDisplay’s message', async () => {
		const t = await terminal();
		const bearer = await t.run(`jwt decode "Bearer ${FIXTURE}"`);
		expect(bearer.exitCode).toBe(1);
		expect(bearer.stderr).toContain('starts with "Bearer"');
		const parts = await t.run('jwt decode abc.def');
		expect(parts.stderr).toContain('three parts');
	});

	it('says what to do when no token is given or the command is wrong', async () => {
		const t = await terminal();
		const empty = await t.run('jwt decode "$TOKEN"');
		expect(empty.exitCode).toBe(1);
		expect(empty.stderr).toContain('Is $TOKEN set?');
		expect((await t.run('jwt verify x')).exitCode).toBe(2);
	});
});

describe('explainClaim', () => {
	const world = createDefaultWorld();
	it('names Azure resources, tenants and times in this world', () => {
		expect(explainClaim(world, 'aud', 'https://vault.azure.net')).toContain('Azure Key Vault');
		expect(explainClaim(world, 'tid', world.tenant.tenantId)).toContain('Contoso');
		expect(explainClaim(world, 'oid', '5a7a0000-5a7a-4a7a-8a7a-00000005a7a1')).toContain(
			'sarah@contoso.onmicrosoft.com'
		);
		expect(explainClaim(world, 'oid', '00000000-0000-4000-8000-000000000000')).toContain(
			'does not exist'
		);
		expect(explainClaim(world, 'exp', world.now - 60)).toContain('EXPIRED');
		expect(explainClaim(world, 'appidacr', '2')).toContain('certificate');
		expect(explainClaim(world, 'whatever', 1)).toBe('not explained here');
	});
});
