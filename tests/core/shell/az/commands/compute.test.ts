import { describe, expect, it } from 'vitest';
import { json, snapshot, terminal } from '../../terminal.ts';

const SUB = 'a1b2c3d4-0000-4000-8000-00000005707c';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-stock`;
const UAMI = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-stock-web`;

describe('az vm identity', () => {
	it('assign turns on the system-assigned identity and prints az’s summary', async () => {
		const t = await terminal();
		const result = await t.run('az vm identity assign -g rg-stock -n vm-stock-app');
		expect(result.exitCode).toBe(0);
		const out = json(result);
		expect(Object.keys(out)).toEqual(['systemAssignedIdentity', 'userAssignedIdentities']);
		expect(out.systemAssignedIdentity).toMatch(/^[0-9a-f-]{36}$/);
		expect(out.userAssignedIdentities).toEqual({});
		expect(
			result.events.map((e) => (e.kind === 'directoryAudit' ? e.initiatedBy : e.kind))
		).toEqual(['Managed Service Identity', 'activity']);
	});

	it('assign takes [system] and user-assigned identities by name or id; show prints the identity object', async () => {
		const t = await terminal();
		await t.run('az identity create -g rg-stock -n id-stock-web -o none');
		const assigned = json(
			await t.run(
				'az vm identity assign -g rg-stock -n vm-stock-web-1 --identities [system] id-stock-web'
			)
		);
		const users = assigned.userAssignedIdentities as Record<
			string,
			{ clientId: string; principalId: string }
		>;
		expect(Object.keys(users)).toEqual([UAMI]);
		expect(Object.keys(users[UAMI] ?? {})).toEqual(['clientId', 'principalId']);
		await t.run(`az vm identity assign -g rg-stock -n vm-stock-web-2 --identities ${UAMI}`);
		const shown = json(await t.run('az vm identity show -g rg-stock -n vm-stock-web-1'));
		expect(shown).toMatchObject({
			type: 'SystemAssigned, UserAssigned',
			tenantId: 'c0a7e5f0-1d2b-4c3a-9e8f-00000c0a7050'
		});
		expect(json(await t.run('az vm identity show -g rg-stock -n vm-stock-web-2'))).toMatchObject({
			type: 'UserAssigned',
			principalId: null
		});
	});

	it('show prints nothing for a VM without identity', async () => {
		const result = await (await terminal()).run('az vm identity show -g rg-stock -n vm-stock-app');
		expect([result.exitCode, result.stdout]).toEqual([0, '']);
	});

	it('assign with --role and --scope also grants the system-assigned identity', async () => {
		const t = await terminal();
		const result = await t.run(
			`az vm identity assign -g rg-stock -n vm-stock-app --role Reader --scope ${RG}`
		);
		expect(json(result)).toMatchObject({ role: 'Reader', scope: RG });
		expect(Object.values(t.world.roleAssignments).some((a) => a.scope === RG)).toBe(true);
		const half = await t.run('az vm identity assign -g rg-stock -n vm-stock-web-1 --role Reader');
		expect(half.exitCode).toBe(2);
		expect(half.stderr).toContain('please specify both --role and --scope');
	});

	it('refuses an unknown identity without changing anything', async () => {
		const t = await terminal();
		const before = snapshot(t.world);
		const result = await t.run(
			'az vm identity assign -g rg-stock -n vm-stock-app --identities [system] id-nope'
		);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toMatch(
			/^ERROR: \(ResourceNotFound\) The Resource 'Microsoft.ManagedIdentity\/userAssignedIdentities\/id-nope' under resource group 'rg-stock' was not found/
		);
		expect(result.stderr).toContain('\nCode: ResourceNotFound\n');
		expect(snapshot(result.world)).toBe(before);
	});

	it('remove turns the system-assigned identity off (its principal goes) or detaches a user-assigned one', async () => {
		const t = await terminal();
		await t.script([
			'az identity create -g rg-stock -n id-stock-web -o none',
			'az vm identity assign -g rg-stock -n vm-stock-app --identities [system] id-stock-web -o none'
		]);
		const detached = await t.run(
			'az vm identity remove -g rg-stock -n vm-stock-app --identities id-stock-web'
		);
		expect(json(detached)).toMatchObject({ type: 'SystemAssigned', userAssignedIdentities: null });
		const off = await t.run('az vm identity remove -g rg-stock -n vm-stock-app');
		expect([off.exitCode, off.stdout]).toEqual([0, '']);
		expect(
			off.events.some(
				(e) => e.kind === 'directoryAudit' && e.activity === 'Hard delete service principal'
			)
		).toBe(true);
		const again = await t.run(
			'az vm identity remove -g rg-stock -n vm-stock-app --identities id-stock-web'
		);
		expect(again.stderr).toMatch(/^ERROR: '.*id-stock-web' are not associated with 'vm-stock-app'/);
	});

	it('names a missing VM or group as ARM does', async () => {
		const t = await terminal();
		const vm = await t.run('az vm identity show -g rg-stock -n vm-nope');
		expect(vm.stderr).toContain(
			"(ResourceNotFound) The Resource 'Microsoft.Compute/virtualMachines/vm-nope' under resource group 'rg-stock' was not found."
		);
		const group = await t.run('az vm identity show -g rg-nope -n vm-stock-app');
		expect(group.stderr).toContain(
			"ERROR: (ResourceGroupNotFound) Resource group 'rg-nope' could not be found."
		);
	});
});

describe('az vm', () => {
	it('create prints az’s summary, with the identity when asked', async () => {
		const t = await terminal();
		const created = json(
			await t.run('az vm create -g rg-stock -n vm-new --image Ubuntu2204 --assign-identity')
		);
		expect(Object.keys(created)).toEqual([
			'fqdns',
			'id',
			'identity',
			'location',
			'macAddress',
			'powerState',
			'privateIpAddress',
			'publicIpAddress',
			'resourceGroup',
			'zones'
		]);
		expect(created).toMatchObject({
			powerState: 'VM running',
			location: 'westeurope',
			resourceGroup: 'rg-stock'
		});
		expect((created.identity as { systemAssignedIdentity: string }).systemAssignedIdentity).toMatch(
			/^[0-9a-f-]{36}$/
		);
		const plain = await t.run(
			'az vm create -g rg-stock -n vm-plain --image Win2022Datacenter --generate-ssh-keys'
		);
		expect(json(plain)).not.toHaveProperty('identity');
		expect(plain.stderr).toContain('WARNING: SSH key files');
		expect(json(await t.run('az vm show -g rg-stock -n vm-plain'))).toMatchObject({
			storageProfile: { osDisk: { osType: 'Windows' } }
		});
	});

	it('create needs --image and refuses a duplicate name', async () => {
		const t = await terminal();
		expect((await t.run('az vm create -g rg-stock -n vm-x')).stderr).toContain(
			'the following arguments are required: --image'
		);
		const duplicate = await t.run('az vm create -g rg-stock -n vm-stock-app --image Ubuntu2204');
		expect(duplicate.exitCode).toBe(1);
		expect(duplicate.stderr).toContain('(ResourceExists)');
	});

	it('delete needs --yes; the VM’s system-assigned identity goes with it', async () => {
		const t = await terminal();
		await t.run('az vm identity assign -g rg-stock -n vm-stock-web-3 -o none');
		const refused = await t.run('az vm delete -g rg-stock -n vm-stock-web-3');
		expect(refused.stderr).toContain(
			'Unable to prompt for confirmation as no tty available. Use --yes.'
		);
		const deleted = await t.run('az vm delete -g rg-stock -n vm-stock-web-3 --yes');
		expect([deleted.exitCode, deleted.stdout]).toEqual([0, '']);
		expect(
			deleted.events.some(
				(e) => e.kind === 'directoryAudit' && e.activity === 'Hard delete service principal'
			)
		).toBe(true);
		expect((await t.run('az vm list --query "[].name" -o tsv')).stdout).toBe(
			'vm-stock-app\nvm-stock-web-1\nvm-stock-web-2\n'
		);
	});

	it('show prints the VM with its identity property; --ids works too', async () => {
		const t = await terminal();
		const shown = json(await t.run('az vm show -g rg-stock -n vm-stock-app'));
		expect(shown).toMatchObject({
			name: 'vm-stock-app',
			identity: null,
			hardwareProfile: { vmSize: 'Standard_B2s' },
			type: 'Microsoft.Compute/virtualMachines'
		});
		const byId = await t.run(`az vm show --ids ${shown.id as string} --query name -o tsv`);
		expect(byId.stdout).toBe('vm-stock-app\n');
	});
});

describe('az vmss', () => {
	it('create, scale, list-instances and identity', async () => {
		const t = await terminal();
		await t.run('az identity create -g rg-stock -n id-stock-web -o none');
		const created = json(
			await t.run(
				'az vmss create -g rg-stock -n vmss-stock --image Ubuntu2204 --instance-count 3 --assign-identity id-stock-web'
			)
		);
		expect(created.vmss).toMatchObject({
			sku: { capacity: 3 },
			identity: { type: 'UserAssigned' }
		});
		expect(
			json(await t.run('az vmss scale -g rg-stock -n vmss-stock --new-capacity 5'))
		).toMatchObject({ sku: { capacity: 5 } });
		expect(
			(
				await t.run('az vmss list-instances -g rg-stock -n vmss-stock --query "[].name" -o tsv')
			).stdout
				.split('\n')
				.filter(Boolean)
		).toHaveLength(5);
		const assigned = json(await t.run('az vmss identity assign -g rg-stock -n vmss-stock'));
		expect(assigned.systemAssignedIdentity).toMatch(/^[0-9a-f-]{36}$/);
		expect(json(await t.run('az vmss identity show -g rg-stock -n vmss-stock'))).toMatchObject({
			type: 'SystemAssigned, UserAssigned'
		});
		const bad = await t.run('az vmss scale -g rg-stock -n vmss-stock --new-capacity many');
		expect(bad.stderr).toContain("invalid int value: 'many'");
		expect((await t.run('az vmss delete -g rg-stock -n vmss-stock')).exitCode).toBe(0);
		expect((await t.run('az vmss list')).stdout).toBe('[]\n');
	});
});
