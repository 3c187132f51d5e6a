import { describe, expect, it } from 'vitest';
import { azCommandNames } from '../../../../src/core/shell/index.ts';
import { OPERATION_TYPES } from '../../../../src/core/index.ts';
import { snapshot, terminal } from '../terminal.ts';

describe('az: finding the command', () => {
	it('prints group help for az, az <group> and --help', async () => {
		const t = await terminal();
		const root = await t.run('az');
		expect(root.exitCode).toBe(0);
		expect(root.stdout).toContain('Subgroups:');
		expect(root.stdout).toMatch(/^ {4}identity +: Managed Identities\.$/m);
		const group = await t.run('az vm identity --help');
		expect(group.stdout).toContain(
			'Group\n    az vm identity : Manage service identities of a VM.'
		);
		expect(group.stdout).toMatch(/^ {4}assign : Enable managed service identity on a VM\.$/m);
		expect((await t.run('az --version')).stdout).toContain('azure-cli');
	});

	it('prints command help with required arguments and examples', async () => {
		const help = await (await terminal()).run('az role assignment create -h');
		expect(help.exitCode).toBe(0);
		expect(help.stdout).toContain(
			'Command\n    az role assignment create : Create a new role assignment'
		);
		expect(help.stdout).toMatch(/--role \[Required\] +: Role name or id\./);
		expect(help.stdout).toContain('Global Arguments');
		expect(help.stdout).toContain('Examples');
	});

	it('says a misspelled word is not recognised, and suggests the close one (exit 2)', async () => {
		const t = await terminal();
		const wrong = await t.run('az vm idenity show -g rg-stock -n vm-stock-app');
		expect(wrong.exitCode).toBe(2);
		expect(wrong.stderr).toMatch(
			/^ERROR: 'idenity' is misspelled or not recognized by the system\.\nDid you mean 'az vm identity' \?\n/
		);
		const far = await t.run('az xyz');
		expect(far.stderr).toMatch(
			/^ERROR: 'xyz' is misspelled or not recognized by the system\.\n\n# Type az --help/
		);
	});

	it('prints usage errors with the usage line and examples (exit 2), world unchanged', async () => {
		const t = await terminal();
		const before = snapshot(t.world);
		const missing = await t.run('az vm identity assign');
		expect(missing.exitCode).toBe(2);
		expect(missing.stderr).toMatch(
			/^ERROR: \(--resource-group --name \| --ids\) are required\n\nusage: az vm identity assign /
		);
		// az's id-part wording for commands that take --ids (e.g. `az vm stop` → "(--resource-group --name | --ids)
		// are required"); only the missing parts are named.
		const noName = await t.run('az vm identity assign -g rg-stock');
		expect([noName.exitCode, noName.stderr]).toEqual([
			2,
			expect.stringMatching(/^ERROR: \(--name \| --ids\) are required\n/)
		]);
		expect(missing.stderr).toContain(
			'Examples:\naz vm identity assign -g rg-stock -n vm-stock-app'
		);
		const unknown = await t.run('az vm identity assign -g rg-stock -n vm-stock-app --foo');
		expect(unknown.stderr).toMatch(/^ERROR: unrecognized arguments: --foo\n/);
		expect(snapshot(t.world)).toBe(before);
	});

	it('applies --query and -o json|tsv|table|yaml|none', async () => {
		const t = await terminal();
		expect((await t.run('az group show -n rg-stock --query location -o tsv')).stdout).toBe(
			'westeurope\n'
		);
		expect((await t.run('az group show -n rg-stock --query location')).stdout).toBe(
			'"westeurope"\n'
		);
		expect((await t.run('az group show -n rg-stock -o none')).stdout).toBe('');
		expect((await t.run('az group list -o table')).stdout).toBe(
			'Name      Location    Status\n--------  ----------  ---------\nrg-stock  westeurope  Succeeded\n'
		);
		expect((await t.run('az vm list --query "[?name==\'vm-stock-app\'].name" -o tsv')).stdout).toBe(
			'vm-stock-app\n'
		);
		expect((await t.run('az group show -n rg-stock -o yaml')).stdout).toContain('name: rg-stock\n');
		const bad = await t.run("az vm list --query '[?name=='");
		expect(bad.exitCode).toBe(2);
		expect(bad.stderr).toContain('ERROR: argument --query: invalid jmespath_type value');
	});

	it('checks --query before running the command: a query that does not parse changes nothing', async () => {
		const t = await terminal();
		const before = t.world;
		const bad = await t.run('az identity create -g rg-stock -n id-prop --query "name =="');
		expect(bad.exitCode).toBe(2);
		expect(bad.stderr).toMatch(/^ERROR: argument --query: invalid jmespath_type value: 'name =='/);
		expect(bad.events).toEqual([]);
		expect(t.world).toBe(before);
		// A query that parses but fails on the result fails after the command ran, as in az: the change stays.
		const onResult = await t.run(
			'az identity create -g rg-stock -n id-prop --query "length(nope)"'
		);
		expect(onResult.exitCode).toBe(1);
		expect(onResult.stderr).toMatch(/^ERROR: Invalid jmespath query supplied for `--query`: /);
		expect(
			(await t.run('az identity show -g rg-stock -n id-prop --query name -o tsv')).stdout
		).toBe('id-prop\n');
	});

	it('checks --subscription', async () => {
		const t = await terminal();
		expect(
			(await t.run('az group list --subscription "Contoso Production" -o none')).exitCode
		).toBe(0);
		const wrong = await t.run('az group list --subscription Fabrikam');
		expect(wrong.exitCode).toBe(1);
		expect(wrong.stderr).toContain(
			"ERROR: The subscription of 'Fabrikam' doesn't exist in cloud 'AzureCloud'."
		);
	});

	it('hides warnings with --only-show-errors', async () => {
		const t = await terminal();
		expect((await t.run('az ad sp list -o none')).stderr).toContain(
			'WARNING: The result is not complete.'
		);
		expect((await t.run('az ad sp list -o none --only-show-errors')).stderr).toBe('');
	});

	it('is signed in only in Cloud Shell', async () => {
		const t = await terminal();
		await t.run('ssh vm-stock-app');
		const result = await t.run('az vm list');
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toMatch(/^ERROR: Please run 'az login' to setup account\.\n/);
	});

	it('has a command for every operation of the simulation', () => {
		const names = azCommandNames();
		const byOperation: Record<string, string> = {
			createResourceGroup: 'group create',
			createVirtualMachine: 'vm create',
			createScaleSet: 'vmss create',
			scaleScaleSet: 'vmss scale',
			createWebSite: 'webapp create',
			createStorageAccount: 'storage account create',
			createKeyVault: 'keyvault create',
			createSqlServer: 'sql server create',
			createSqlDatabase: 'sql db create',
			createUserIdentity: 'identity create',
			deleteResource: 'resource delete',
			enableSystemIdentity: 'vm identity assign',
			disableSystemIdentity: 'vm identity remove',
			assignUserIdentity: 'vm identity assign',
			unassignUserIdentity: 'vm identity remove',
			setResourceIdentity: 'rest',
			createRoleAssignment: 'role assignment create',
			deleteRoleAssignment: 'role assignment delete',
			setSecret: 'keyvault secret set',
			createContainer: 'storage container-rm create',
			putBlob: 'storage blob upload',
			setSqlAdAdmin: 'sql server ad-admin create',
			advanceClock: 'lab clock advance',
			setPropagationDelay: 'lab propagation set',
			setImdsThrottle: 'lab imds-throttle set',
			addSigningKey: 'lab keys rollover',
			removeSigningKey: 'lab keys retire',
			regenerateStorageKey: 'storage account keys renew',
			setReplicationDelay: 'lab replication set',
			createFederatedCredential: 'identity federated-credential create',
			deleteFederatedCredential: 'identity federated-credential delete',
			setAppSettings: 'webapp config appsettings set'
		};
		// createSqlUser and addSqlRoleMember come from sqlcmd; recordToken and recordServiceCall from every call;
		// writeFile from tee and rm; kubectl, azcmagent, kubelet and the Arc agent make the Kubernetes and Arc ones.
		const elsewhere = [
			'createSqlUser',
			'addSqlRoleMember',
			'recordToken',
			'recordServiceCall',
			'addClusterIssuerKey',
			'annotateServiceAccount',
			'projectServiceAccountToken',
			'connectArcMachine',
			'disconnectArcMachine',
			'writeArcSecret',
			'writeFile'
		];
		for (const type of OPERATION_TYPES) {
			if (elsewhere.includes(type)) continue;
			expect(names, type).toContain(byOperation[type]);
		}
	});
});
