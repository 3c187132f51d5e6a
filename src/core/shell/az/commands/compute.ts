/** az vm and az vmss: create, delete, show, list, scale, list-instances, and their identity commands. */
import type { VirtualMachine, VirtualMachineScaleSet } from '../../../azure/model.ts';
import type { Operation } from '../../../azure/operations/index.ts';
import { idKey, resourceId } from '../../../azure/naming.ts';
import type { AzArg, AzCommand, AzInvocation, AzOutcome } from '../types.ts';
import { flag, list, str } from '../args.ts';
import {
	CREATE_GROUP_ARG,
	GROUP_ARG,
	commit,
	failure,
	findGroup,
	groupNotFound,
	locationOption,
	nameArg,
	newNameArg,
	success,
	targets
} from '../common.ts';
import { deleteCommand, listCommand, showCommand } from '../resource-commands.ts';
import { vmCreateView, vmView, vmssInstanceView, vmssView } from '../views.ts';
import {
	ASSIGN_IDENTITY_ARG,
	createIdentityRequest,
	identityCommands,
	identityOption,
	roleForSystemIdentity
} from './identity-host.ts';
import { own } from '../../../own.ts';

function tags(values: readonly string[]): Record<string, string> {
	return Object.fromEntries(
		values
			.filter((v) => v !== '')
			.map((v) => {
				const eq = v.indexOf('=');
				return eq < 0 ? [v, ''] : [v.slice(0, eq), v.slice(eq + 1)];
			})
	);
}

const CREATE_EXTRAS: AzArg[] = [
	{
		dest: 'location',
		options: ['--location', '-l'],
		help: 'Location in which to create the resource. Default: the resource group’s location.'
	},
	{
		dest: 'adminUsername',
		options: ['--admin-username'],
		help: 'Username for the VM. Default: azureuser.'
	},
	{
		dest: 'adminPassword',
		options: ['--admin-password'],
		help: 'Password for the VM if authentication type is password.'
	},
	{
		dest: 'authenticationType',
		options: ['--authentication-type'],
		choices: ['all', 'password', 'ssh'],
		help: 'Type of authentication to use with the VM.'
	},
	{
		dest: 'generateSshKeys',
		options: ['--generate-ssh-keys'],
		kind: 'flag',
		help: 'Generate SSH public and private key files if missing.'
	},
	{
		dest: 'publicIpAddress',
		options: ['--public-ip-address'],
		help: 'Name of the public IP address ("" for none).'
	},
	{
		dest: 'noWait',
		options: ['--no-wait'],
		kind: 'flag',
		help: 'Do not wait for the long-running operation to finish.'
	},
	{
		dest: 'tags',
		options: ['--tags'],
		kind: 'list',
		help: 'Space-separated tags: key[=value] [key[=value] ...].'
	},
	{
		dest: 'role',
		options: ['--role'],
		help: 'Role name or id the system assigned identity will have.'
	},
	{ dest: 'scope', options: ['--scope'], help: 'Scope the system assigned identity can access.' },
	ASSIGN_IDENTITY_ARG
];

function osTypeOf(image: string): 'Linux' | 'Windows' {
	return /win/i.test(image) ? 'Windows' : 'Linux';
}

/** Creates a VM or scale set with its identities and role, all or nothing. */
function createHost(
	inv: AzInvocation,
	operation: Operation,
	id: string
):
	| {
			ok: true;
			world: AzInvocation['world'];
			events: NonNullable<Extract<AzOutcome, { ok: true }>['events']>;
	  }
	| { ok: false; outcome: AzOutcome } {
	const applied = commit(inv, [operation]);
	if (!applied.ok) return applied;
	const host = own(applied.world.resources, idKey(id));
	if (!host || (host.kind !== 'virtualMachine' && host.kind !== 'virtualMachineScaleSet')) {
		return { ok: false, outcome: failure('The resource was not created.') };
	}
	const role = roleForSystemIdentity(
		applied.world,
		host,
		str(inv.args, 'role'),
		str(inv.args, 'scope')
	);
	if (!role.ok) return role;
	if (!role.operation) return applied;
	const granted = commit({ world: applied.world, caller: inv.caller }, [role.operation]);
	if (!granted.ok) return granted;
	return { ok: true, world: granted.world, events: [...applied.events, ...granted.events] };
}

const vmCreate: AzCommand = {
	name: 'vm create',
	summary: 'Create an Azure Virtual Machine.',
	args: [
		newNameArg('Name of the virtual machine.'),
		CREATE_GROUP_ARG,
		{
			dest: 'image',
			options: ['--image'],
			required: true,
			help: 'The name of the operating system image, e.g. Ubuntu2204 or Win2022Datacenter.'
		},
		{
			dest: 'size',
			options: ['--size'],
			help: 'The VM size to be created. Default: Standard_B2s.'
		},
		...CREATE_EXTRAS
	],
	examples: [
		{
			command: 'az vm create -g rg-stock -n vm-stock-test --image Ubuntu2204 --generate-ssh-keys',
			description: 'Create a Linux VM.'
		},
		{
			command:
				'az vm create -g rg-stock -n vm-stock-test --image Ubuntu2204 --assign-identity [system]',
			description: 'Create a VM with its system-assigned identity on.'
		}
	],
	run(inv) {
		const group = str(inv.args, 'resourceGroup') ?? '';
		const groupRecord = findGroup(inv.world, group);
		if (!groupRecord) return groupNotFound(inv.world, group);
		const identity = createIdentityRequest(inv, group);
		if (!identity.ok) return identity.outcome;
		const name = str(inv.args, 'name') ?? '';
		const operation: Operation = {
			type: 'createVirtualMachine',
			resourceGroup: groupRecord.name,
			name,
			...locationOption(inv.args),
			vmSize: str(inv.args, 'size') ?? 'Standard_B2s',
			osType: osTypeOf(str(inv.args, 'image') ?? ''),
			tags: tags(list(inv.args, 'tags')),
			...identityOption(identity.request)
		};
		const id = resourceId(groupRecord.subscriptionId, groupRecord.name, 'virtualMachine', name);
		const created = createHost(inv, operation, id);
		if (!created.ok) return created.outcome;
		const vm = own(created.world.resources, idKey(id)) as VirtualMachine;
		const warnings = flag(inv.args, 'generateSshKeys')
			? [
					"SSH key files '/home/sarah/.ssh/id_rsa' and '/home/sarah/.ssh/id_rsa.pub' have been generated under ~/.ssh to allow SSH access to the VM. If using machines without permanent storage, back up your keys to a safe location."
				]
			: [];
		if (flag(inv.args, 'noWait')) return success(undefined, created, warnings);
		return success(vmCreateView(created.world, vm), created, warnings);
	}
};

const vmDelete = deleteCommand({
	name: 'vm delete',
	summary:
		'Delete a VM (its system-assigned identity goes with it; user-assigned identities live on).',
	kinds: ['virtualMachine'],
	nameHelp: 'The name of the Virtual Machine.',
	confirm: true,
	examples: [
		{
			command: 'az vm delete -g rg-stock -n vm-stock-web-3 --yes',
			description: 'Delete a VM without the prompt.'
		}
	]
});

const vmShow = showCommand({
	name: 'vm show',
	summary: 'Get the details of a VM.',
	kinds: ['virtualMachine'],
	nameHelp: 'The name of the Virtual Machine.',
	extraArgs: [
		{
			dest: 'showDetails',
			options: ['--show-details', '-d'],
			kind: 'flag',
			help: 'Show public ip address, FQDN, and power states.'
		}
	],
	examples: [
		{
			command: 'az vm show -g rg-stock -n vm-stock-app --query identity',
			description: 'Show the identity property of a VM.'
		}
	],
	view(world, vm, args) {
		const view = vmView(world, vm);
		return flag(args, 'showDetails')
			? { ...view, powerState: 'VM running', privateIps: vm.privateIp }
			: view;
	}
});

const vmList = listCommand({
	name: 'vm list',
	summary: 'List details of Virtual Machines.',
	kinds: ['virtualMachine'],
	examples: [
		{ command: 'az vm list -g rg-stock -o table', description: 'List the VMs of rg-stock.' }
	],
	table: (result) =>
		(result as Record<string, unknown>[]).map((vm) => ({
			Name: vm.name,
			ResourceGroup: vm.resourceGroup,
			Location: vm.location,
			Zones: ''
		})),
	view: vmView
});

const vmssCreate: AzCommand = {
	name: 'vmss create',
	summary: 'Create an Azure Virtual Machine Scale Set.',
	args: [
		newNameArg('Name of the virtual machine scale set.'),
		CREATE_GROUP_ARG,
		{
			dest: 'image',
			options: ['--image'],
			required: true,
			help: 'The name of the operating system image.'
		},
		{
			dest: 'instanceCount',
			options: ['--instance-count'],
			help: 'Number of VMs in the scale set. Default: 2.'
		},
		{
			dest: 'vmSku',
			options: ['--vm-sku'],
			help: 'Size of VMs in the scale set. Default: Standard_B2s.'
		},
		{
			dest: 'orchestrationMode',
			options: ['--orchestration-mode'],
			choices: ['Flexible', 'Uniform'],
			help: 'Choose how virtual machines are managed by the scale set.'
		},
		...CREATE_EXTRAS
	],
	examples: [
		{
			command:
				'az vmss create -g rg-stock -n vmss-stock --image Ubuntu2204 --instance-count 3 --assign-identity id-stock-web',
			description: 'A scale set whose instances all use one user-assigned identity.'
		}
	],
	run(inv) {
		const group = str(inv.args, 'resourceGroup') ?? '';
		const groupRecord = findGroup(inv.world, group);
		if (!groupRecord) return groupNotFound(inv.world, group);
		const countText = str(inv.args, 'instanceCount') ?? '2';
		if (!/^\d+$/.test(countText))
			return failure(`argument --instance-count: invalid int value: '${countText}'`, 2);
		const identity = createIdentityRequest(inv, group);
		if (!identity.ok) return identity.outcome;
		const name = str(inv.args, 'name') ?? '';
		const operation: Operation = {
			type: 'createScaleSet',
			resourceGroup: groupRecord.name,
			name,
			capacity: Number(countText),
			vmSize: str(inv.args, 'vmSku') ?? 'Standard_B2s',
			...locationOption(inv.args),
			tags: tags(list(inv.args, 'tags')),
			...identityOption(identity.request)
		};
		const id = resourceId(
			groupRecord.subscriptionId,
			groupRecord.name,
			'virtualMachineScaleSet',
			name
		);
		const created = createHost(inv, operation, id);
		if (!created.ok) return created.outcome;
		const vmss = own(created.world.resources, idKey(id)) as VirtualMachineScaleSet;
		return success({ vmss: vmssView(created.world, vmss) }, created);
	}
};

const vmssScale: AzCommand = {
	name: 'vmss scale',
	summary: 'Change the number of VMs within a VMSS (new instances share its identities).',
	args: [
		nameArg('Scale set name.'),
		GROUP_ARG,
		{
			dest: 'newCapacity',
			options: ['--new-capacity'],
			required: true,
			help: 'Number of VMs in the VMSS.'
		}
	],
	examples: [
		{
			command: 'az vmss scale -g rg-stock -n vmss-stock --new-capacity 50',
			description: 'Scale out to 50 instances.'
		}
	],
	run(inv) {
		const found = targets(inv, ['virtualMachineScaleSet']);
		if (!found.ok) return found.outcome;
		const capacityText = str(inv.args, 'newCapacity') ?? '';
		if (!/^\d+$/.test(capacityText))
			return failure(`argument --new-capacity: invalid int value: '${capacityText}'`, 2);
		const vmss = found.resources[0];
		if (!vmss) return failure('Nothing to scale.');
		const applied = commit(inv, [
			{ type: 'scaleScaleSet', resourceId: vmss.id, capacity: Number(capacityText) }
		]);
		if (!applied.ok) return applied.outcome;
		return success(
			vmssView(
				applied.world,
				own(applied.world.resources, idKey(vmss.id)) as VirtualMachineScaleSet
			),
			applied
		);
	}
};

const vmssDelete = deleteCommand({
	name: 'vmss delete',
	summary: 'Delete a VM scale set.',
	kinds: ['virtualMachineScaleSet'],
	nameHelp: 'Scale set name.',
	examples: [
		{ command: 'az vmss delete -g rg-stock -n vmss-stock', description: 'Delete a scale set.' }
	]
});

const vmssShow = showCommand({
	name: 'vmss show',
	summary: 'Get details on VMs within a VMSS.',
	kinds: ['virtualMachineScaleSet'],
	nameHelp: 'Scale set name.',
	examples: [
		{
			command: 'az vmss show -g rg-stock -n vmss-stock --query identity',
			description: 'Show the identity of a scale set.'
		}
	],
	view: vmssView
});

const vmssList = listCommand({
	name: 'vmss list',
	summary: 'List VMSS.',
	kinds: ['virtualMachineScaleSet'],
	examples: [{ command: 'az vmss list -o table', description: 'List scale sets.' }],
	view: vmssView
});

const vmssListInstances: AzCommand = {
	name: 'vmss list-instances',
	summary:
		'Get a list of all virtual machines in a VM scale set (ssh <name> opens a shell on one).',
	args: [nameArg('Scale set name.'), GROUP_ARG],
	examples: [
		{
			command: 'az vmss list-instances -g rg-stock -n vmss-stock --query "[].name" -o tsv',
			description: 'The instance names, e.g. vmss-stock_0.'
		}
	],
	run(inv) {
		const found = targets(inv, ['virtualMachineScaleSet']);
		if (!found.ok) return found.outcome;
		const vmss = found.resources[0] as VirtualMachineScaleSet;
		return success(vmss.instances.map((i) => vmssInstanceView(vmss, i)));
	}
};

/** The compute commands. */
export const COMPUTE_COMMANDS: readonly AzCommand[] = [
	vmCreate,
	vmDelete,
	vmShow,
	vmList,
	...identityCommands('virtualMachine'),
	vmssCreate,
	vmssScale,
	vmssDelete,
	vmssShow,
	vmssList,
	vmssListInstances,
	...identityCommands('virtualMachineScaleSet')
];
