import { describe, expect, it } from 'vitest';
import { json, terminal } from '../../terminal.ts';

const VM =
	'/subscriptions/a1b2c3d4-0000-4000-8000-00000005707c/resourceGroups/rg-stock/providers/Microsoft.Compute/virtualMachines/vm-stock-app';

describe('az rest', () => {
	it('reads a resource from ARM as the signed-in user', async () => {
		const t = await terminal();
		const result = await t.run(`az rest --url "${VM}?api-version=2024-07-01"`);
		expect(result.exitCode).toBe(0);
		expect(json(result)).toMatchObject({
			name: 'vm-stock-app',
			type: 'Microsoft.Compute/virtualMachines'
		});
		expect(result.hops.length).toBeGreaterThan(0);
		// ARM's GET body has no `resourceGroup` member (that is az's own addition to `az vm show`).
		expect(json(result)).not.toHaveProperty('resourceGroup');
		expect(json(await t.run('az vm show -g rg-stock -n vm-stock-app')).resourceGroup).toBe(
			'rg-stock'
		);
	});

	it('refuses a URL whose audience it cannot derive, and bad headers', async () => {
		const t = await terminal();
		expect((await t.run('az rest --url https://example.org/x')).stderr).toContain(
			"Can't derive appropriate Azure AD resource from --url"
		);
		expect((await t.run(`az rest --url ${VM} --headers nonsense`)).exitCode).toBe(2);
	});

	it('prints an ARM error as az rest does', async () => {
		const result = await (
			await terminal()
		).run(`az rest --url "${VM}-nope?api-version=2024-07-01"`);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toMatch(/^ERROR: Not Found\(\{"error":/);
	});
});

describe('az rest: an ARM PATCH of identity', () => {
	it('sets the identity as ARM does (both spellings of the combined type)', async () => {
		const t = await terminal();
		await t.run('az identity create -g rg-stock -n id-stock-web -o none');
		const uami = (
			await t.run('az identity show -g rg-stock -n id-stock-web --query id -o tsv')
		).stdout.trim();
		const body = JSON.stringify({
			identity: { type: 'SystemAssigned,UserAssigned', userAssignedIdentities: { [uami]: {} } }
		});
		const patched = await t.run(
			`az rest --method patch --url "${VM}?api-version=2024-07-01" --body '${body}'`
		);
		expect(patched.exitCode).toBe(0);
		const identity = json(patched).identity as {
			type: string;
			userAssignedIdentities: Record<string, unknown>;
		};
		expect(identity.type).toBe('SystemAssigned, UserAssigned');
		// ARM ids compare case-insensitively; the MSI RP spells `resourcegroups` in lower case.
		expect(Object.keys(identity.userAssignedIdentities).map((k) => k.toLowerCase())).toEqual([
			uami.toLowerCase()
		]);
		const none = await t.run(
			`az rest --method patch --url "${VM}?api-version=2024-07-01" --body '{"identity":{"type":"None"}}'`
		);
		expect(json(none)).toMatchObject({ identity: { type: 'None' } });
		const bad = await t.run(
			`az rest --method patch --url "${VM}?api-version=2024-07-01" --body '{"identity":{"type":"Sometimes"}}'`
		);
		expect(bad.stderr).toContain('(InvalidIdentityType)');
	});
});
