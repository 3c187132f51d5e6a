/**
 * Large worlds for the benchmark, built as data (applying 100,000 operations one by one would measure the
 * builder, not the thing under test). The result passes findInconsistencies like any other world.
 */
import {
	applyOperation,
	createDefaultWorld,
	findInconsistencies,
	identityCertificateFor,
	resourceGroupId,
	resourceId,
	seededGuid,
	type Operation,
	type RoleAssignment,
	type VirtualMachine,
	type World
} from '../src/core/index.ts';

const ROLES = [
	'acdd72a7-3385-48ef-bd42-f606fba81ae7', // Reader
	'4633458b-17de-408a-b874-0445c86b69e6', // Key Vault Secrets User
	'2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', // Storage Blob Data Reader
	'b24988ac-6180-42a0-ab88-20f7382dd24c', // Contributor
	'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
];

/** A deterministic pseudo-random sequence (the benchmark, not the core, so any PRNG will do). */
export function prng(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * `resources` VMs with system-assigned identities in 100 groups, and `assignments` role assignments held by
 * random VMs' identities, or by the first `principals` VMs' identities only (the concentrated case).
 */
export function largeWorld(
	resources: number,
	assignments: number,
	seed = 1,
	principals?: number
): World {
	const world = structuredClone(createDefaultWorld({ seed: `bench-${seed}` }));
	const random = prng(seed);
	const sub = Object.keys(world.subscriptions)[0] ?? '';
	const groups: string[] = [];
	for (let g = 0; g < 100; g++) {
		const name = `rg-bench-${g}`;
		const id = resourceGroupId(sub, name);
		world.resourceGroups[id.toLowerCase()] = {
			id,
			name,
			subscriptionId: sub,
			location: 'westeurope',
			tags: {}
		};
		groups.push(id);
	}
	const vms: VirtualMachine[] = [];
	for (let i = 0; i < resources; i++) {
		const rg = `rg-bench-${i % 100}`;
		const id = resourceId(sub, rg, 'virtualMachine', `vm-bench-${i}`);
		const principalId = seededGuid(world.seed, `p${i}`);
		const clientId = seededGuid(world.seed, `c${i}`);
		const vm: VirtualMachine = {
			id,
			name: `vm-bench-${i}`,
			kind: 'virtualMachine',
			subscriptionId: sub,
			resourceGroup: rg,
			location: 'westeurope',
			tags: {},
			createdAt: world.now,
			vmId: seededGuid(world.seed, `v${i}`),
			vmSize: 'Standard_B2s',
			osType: 'Linux',
			privateIp: `10.1.${Math.floor(i / 250) % 250}.${4 + (i % 250)}`,
			identity: {
				systemAssigned: { principalId, clientId, tenantId: world.tenant.tenantId },
				userAssigned: []
			},
			files: {}
		};
		world.resources[id.toLowerCase()] = vm;
		world.directory.servicePrincipals[principalId] = {
			id: principalId,
			appId: clientId,
			displayName: vm.name,
			servicePrincipalType: 'ManagedIdentity',
			appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
			alternativeNames: ['isExplicit=False', id],
			servicePrincipalNames: [clientId],
			accountEnabled: true,
			createdAt: world.now,
			managedIdentityResourceId: id,
			certificate: identityCertificateFor(principalId, world.now)
		};
		vms.push(vm);
	}
	for (let i = 0; i < assignments; i++) {
		const holders = principals === undefined ? vms.length : Math.min(principals, vms.length);
		const vm = vms[Math.floor(random() * holders)] as VirtualMachine;
		const target = vms[Math.floor(random() * vms.length)] as VirtualMachine;
		const scope =
			random() < 0.5 ? target.id : (groups[Math.floor(random() * groups.length)] as string);
		const name = seededGuid(world.seed, `a${i}`);
		const a: RoleAssignment = {
			id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
			name,
			scope,
			roleDefinitionId: ROLES[Math.floor(random() * ROLES.length)] as string,
			principalId: vm.identity.systemAssigned?.principalId ?? '',
			principalType: 'ServicePrincipal',
			description: '',
			createdAt: world.now,
			createdBy: 'bench',
			effectiveAt: world.now,
			removedAt: null
		};
		world.roleAssignments[name] = a;
	}
	const problems = findInconsistencies(world);
	if (problems.length) throw new Error(`The benchmark world is inconsistent: ${problems[0] ?? ''}`);
	return world;
}

/** The VMs of a large world, for choosing callers and targets. */
export function virtualMachines(world: World): VirtualMachine[] {
	return Object.values(world.resources).filter(
		(r): r is VirtualMachine => r.kind === 'virtualMachine'
	);
}

/**
 * A world of `resources` resources built with the real operations, in the default world's mix: VMs and web
 * apps with system-assigned identities, user-assigned identities, storage accounts and key vaults, and one
 * role assignment per identity on a vault or an account.
 */
export function mixedWorld(resources: number): World {
	let world = createDefaultWorld({ seed: `mixed-${resources}` });
	const apply = (operation: Operation): void => {
		const result = applyOperation(world, operation);
		if (!result.ok) throw new Error(`Building the benchmark world: ${result.error.message}`);
		world = result.value.world;
	};
	const sub = Object.keys(world.subscriptions)[0] ?? '';
	const targets: string[] = [];
	const principals: string[] = [];
	const groups = Math.max(1, Math.ceil(resources / 100));
	for (let g = 0; g < groups; g++)
		apply({ type: 'createResourceGroup', name: `rg-mix-${g}`, location: 'westeurope' });
	for (let i = 0; i < resources; i++) {
		const rg = `rg-mix-${i % groups}`;
		switch (i % 10) {
			case 0:
			case 1:
			case 2:
			case 3:
				apply({
					type: 'createVirtualMachine',
					resourceGroup: rg,
					name: `vm-mix-${i}`,
					identity: { systemAssigned: true }
				});
				break;
			case 4:
				apply({ type: 'createUserIdentity', resourceGroup: rg, name: `id-mix-${i}` });
				break;
			case 5:
			case 6:
				apply({ type: 'createStorageAccount', resourceGroup: rg, name: `stmix${i}` });
				targets.push(resourceId(sub, rg, 'storageAccount', `stmix${i}`));
				break;
			case 7:
			case 8:
				apply({
					type: 'createKeyVault',
					resourceGroup: rg,
					name: `kv-mix-${i}`,
					secrets: { 'db-password': `secret-${i}` }
				});
				targets.push(resourceId(sub, rg, 'keyVault', `kv-mix-${i}`));
				break;
			default:
				apply({
					type: 'createWebSite',
					kind: 'webApp',
					resourceGroup: rg,
					name: `app-mix-${i}`,
					identity: { systemAssigned: true }
				});
		}
	}
	for (const sp of Object.values(world.directory.servicePrincipals)) {
		if (sp.servicePrincipalType === 'ManagedIdentity') principals.push(sp.id);
	}
	principals.forEach((principalId, i) => {
		const scope = targets[i % targets.length] ?? '';
		const role = scope.includes('/vaults/') ? 'Key Vault Secrets User' : 'Storage Blob Data Reader';
		apply({
			type: 'createRoleAssignment',
			role,
			scope,
			principalId,
			principalType: 'ServicePrincipal'
		});
	});
	return world;
}
