import { describe, expect, it } from 'vitest';
import { handleKeyVault } from '../../../src/core/services/key-vault.ts';
import { refusedTokenTrace } from '../../../src/core/services/trace.ts';
import type { CheckTrace, Hop, RbacTrace } from '../../../src/core/http/types.ts';
import type { TokenFailureReason } from '../../../src/core/services/bearer.ts';
import { call, lab, mint, RG, VAULT, withRole } from './service-fixture.ts';
import type { Lab } from './service-fixture.ts';

const SECRET_URL = 'https://kv-stock.vault.azure.net/secrets/db-password?api-version=7.5';
const AUD = 'https://vault.azure.net';

async function getSecret(l: Lab, token: string): Promise<Hop[]> {
	const r = await call(handleKeyVault, l, l.world, {
		method: 'GET',
		url: SECRET_URL,
		headers: { Authorization: `Bearer ${token}` }
	});
	return r.hops;
}

function rbacOf(hops: Hop[]): RbacTrace {
	const trace = hops.find((h) => h.id === 'key-vault-authorize')?.trace;
	if (trace?.kind !== 'rbac') throw new Error('no RBAC trace on the authorize hop');
	return trace.rbac;
}

function outcomes(trace: CheckTrace | undefined): string[] {
	if (trace?.kind !== 'token') throw new Error('no token trace');
	return trace.steps.map((s) => `${s.check}:${s.outcome}`);
}

describe('decision trace: token validation', () => {
	it('lists every step passed, with the issuer, audience and expiry the service saw', async () => {
		const l = await lab();
		const hops = await getSecret(l, await mint(l, AUD));
		const trace = hops.find((h) => h.id === 'key-vault-token')?.trace;
		expect(outcomes(trace)).toEqual([
			'bearer:passed',
			'signature:passed',
			'issuer:passed',
			'audience:passed',
			'lifetime:passed'
		]);
		if (trace?.kind !== 'token') return;
		expect(trace.steps.find((s) => s.check === 'audience')?.seen).toBe(AUD);
		expect(trace.steps.find((s) => s.check === 'lifetime')?.seen).toMatch(/^exp \d{4}-/);
	});

	it('stops at the failing step: later steps are skipped', async () => {
		const l = await lab();
		const hops = await getSecret(l, await mint(l, 'https://management.azure.com/'));
		expect(outcomes(hops.find((h) => h.id === 'key-vault-token')?.trace)).toEqual([
			'bearer:passed',
			'signature:passed',
			'issuer:passed',
			'audience:failed',
			'lifetime:skipped'
		]);
	});

	it.each<[TokenFailureReason, string]>([
		['missing', 'bearer'],
		['scheme', 'bearer'],
		['signature', 'signature'],
		['unknownKey', 'signature'],
		['issuer', 'issuer'],
		['audience', 'audience'],
		['expired', 'lifetime'],
		['notYetValid', 'lifetime']
	])('a %s refusal fails the %s step', (reason, step) => {
		const trace = refusedTokenTrace({ reason, message: 'x' });
		if (trace.kind !== 'token') throw new Error('token trace expected');
		expect(trace.steps.filter((s) => s.outcome === 'failed').map((s) => s.check)).toEqual([step]);
	});
});

describe('decision trace: Azure RBAC', () => {
	it('with no assignment: the action needed, nothing found, refused with a suggestion', async () => {
		const l = await lab();
		const rbac = rbacOf(await getSecret(l, await mint(l, AUD)));
		expect(rbac).toMatchObject({
			principalId: l.principalId,
			action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
			plane: 'data',
			assignments: [],
			allowed: false
		});
		expect(rbac.suggestion).toContain('Key Vault Secrets User');
	});

	it('lists the assignments at each scope, nearest first, and names the one that granted', async () => {
		const l = withRole(withRole(await lab(), 'Reader', RG), 'Key Vault Secrets User', VAULT);
		const rbac = rbacOf(await getSecret(l, await mint(l, AUD)));
		expect(rbac.allowed).toBe(true);
		expect(
			rbac.assignments.map((a) => [a.roleName, a.scopeLabel, a.includesAction, a.granted])
		).toEqual([
			['Key Vault Secrets User', 'key vault kv-stock', true, true],
			['Reader', 'resource group rg-stock', false, false]
		]);
	});

	it('Reader alone is found at the resource group but has no data action: refused', async () => {
		const l = withRole(await lab(), 'Reader', RG);
		const rbac = rbacOf(await getSecret(l, await mint(l, AUD)));
		expect(rbac.allowed).toBe(false);
		expect(rbac.assignments).toHaveLength(1);
		expect(rbac.assignments[0]).toMatchObject({ roleName: 'Reader', includesAction: false });
		expect(rbac.reason).toContain('no data actions');
	});
});
