import { describe, expect, it } from 'vitest';
import {
	applyOperations,
	createDefaultWorld,
	createKeyRing,
	createShellState,
	DEFAULT_IDS,
	getResource,
	runLine,
	subscriptionScope,
	type World,
	type WorldEvent
} from '../../../src/core/index.ts';
import {
	addRoleAssignmentAction,
	addUserIdentitiesAction,
	createUserIdentityAction,
	deleteResourceAction,
	disableSystemIdentityAction,
	enableSystemIdentityAction,
	hostById,
	removeRoleAssignmentAction,
	removeUserIdentitiesAction,
	shellWord
} from '../../../src/ui/blades/actions.ts';
import type { PortalAction } from '../../../src/ui/lab/session.svelte.ts';
import { apply, idOf } from '../../fixtures/worlds.ts';

const keyRing = createKeyRing();

/** What an event is, without its wording: kind plus the operation or activity it names. */
function eventKinds(events: readonly WorldEvent[]): string[] {
	return events.map((e) =>
		e.kind === 'activity'
			? `activity:${e.operationName}:${e.resourceId.toLowerCase()}`
			: e.kind === 'directoryAudit'
				? `directoryAudit:${e.activity}:${e.targetDisplayName}`
				: e.kind
	);
}

function withoutEvents(world: World): Omit<World, 'events'> {
	return Object.fromEntries(Object.entries(world).filter(([k]) => k !== 'events')) as Omit<
		World,
		'events'
	>;
}

/** Applies the action and runs its az line on the same world; both must change the world alike. */
async function expectSameAsAz(world: World, action: PortalAction): Promise<World> {
	const portal = applyOperations(world, action.operations);
	if (!portal.ok) throw new Error(`portal action refused: ${portal.error.message}`);
	expect(action.azCommand).toBeTruthy();
	const line = action.azCommand ?? '';
	const terminal = await runLine(world, createShellState(world), line, { keyRing });
	expect(terminal.stderr, line).not.toMatch(/ERROR/);
	expect(terminal.exitCode, `${line}\n${terminal.stderr}`).toBe(0);
	expect(eventKinds(terminal.events)).toEqual(eventKinds(portal.value.events));
	expect(withoutEvents(terminal.world)).toEqual(withoutEvents(portal.value.world));
	const arm = action.arm?.(world, portal.value.world);
	expect(arm).toBeTruthy();
	return portal.value.world;
}

function world(): World {
	return createDefaultWorld();
}

const VM = idOf('virtualMachine', 'vm-stock-app');
const WEB = idOf('webApp', 'app-stock-web');
const FUNC = idOf('functionApp', 'func-stock-import');
const VMSS = idOf('virtualMachineScaleSet', 'vmss-stock');
const UAMI = idOf('userAssignedIdentity', 'id-stock-web');

function richWorld(): World {
	return apply(world(), [
		{ type: 'createScaleSet', resourceGroup: 'rg-stock', name: 'vmss-stock', capacity: 2 },
		{ type: 'createUserIdentity', resourceGroup: 'rg-stock', name: 'id-stock-web' }
	]);
}

describe('blade actions do what their az line does', () => {
	it.each([
		['virtual machine', VM],
		['scale set', VMSS],
		['web app', WEB],
		['function app', FUNC]
	])('enables and disables the system assigned identity of a %s', async (_label, id) => {
		const start = richWorld();
		const host = hostById(start, id);
		if (!host) throw new Error('no host');
		const enabled = await expectSameAsAz(start, enableSystemIdentityAction(host));
		const on = hostById(enabled, id);
		expect(on?.identity.systemAssigned?.principalId).toMatch(/^[0-9a-f-]{36}$/);
		if (!on) throw new Error('no host');
		const disabled = await expectSameAsAz(enabled, disableSystemIdentityAction(on));
		expect(hostById(disabled, id)?.identity.systemAssigned).toBeNull();
	});

	it.each([
		['virtual machine', VM],
		['web app', WEB]
	])('adds and removes a user assigned identity on a %s', async (_label, id) => {
		const start = richWorld();
		const host = hostById(start, id);
		if (!host) throw new Error('no host');
		const added = await expectSameAsAz(start, addUserIdentitiesAction(host, [UAMI]));
		const withOne = hostById(added, id);
		expect(withOne?.identity.userAssigned).toEqual([UAMI]);
		if (!withOne) throw new Error('no host');
		const removed = await expectSameAsAz(added, removeUserIdentitiesAction(withOne, [UAMI]));
		expect(hostById(removed, id)?.identity.userAssigned).toEqual([]);
	});

	it('keeps the user assigned identities when the system assigned one is enabled (PATCH resends them)', async () => {
		const start = apply(richWorld(), [
			{ type: 'assignUserIdentity', resourceId: VM, identityId: UAMI }
		]);
		const host = hostById(start, VM);
		if (!host) throw new Error('no host');
		const action = enableSystemIdentityAction(host);
		const after = await expectSameAsAz(start, action);
		const arm = action.arm?.(start, after);
		expect(arm?.requestBody).toEqual({
			identity: { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { [UAMI]: {} } }
		});
		expect(arm?.responseBody).toMatchObject({
			identity: { type: 'SystemAssigned, UserAssigned' }
		});
	});

	it('creates and deletes a user assigned identity', async () => {
		const start = world();
		const action = createUserIdentityAction(start, {
			resourceGroup: 'rg-stock',
			name: 'id-new',
			location: 'westeurope'
		});
		const after = await expectSameAsAz(start, action);
		const created = getResource(after, idOf('userAssignedIdentity', 'id-new'));
		expect(created?.kind).toBe('userAssignedIdentity');
		const arm = action.arm?.(start, after);
		expect(arm?.method).toBe('PUT');
		expect(arm?.status).toBe(201);
		expect(arm?.responseBody).toMatchObject({
			name: 'id-new',
			properties: { clientId: created?.kind === 'userAssignedIdentity' ? created.clientId : '' }
		});
		if (!created) throw new Error('not created');
		await expectSameAsAz(after, deleteResourceAction(created));
	});

	it('deletes a virtual machine with its system assigned identity', async () => {
		const start = apply(world(), [{ type: 'enableSystemIdentity', resourceId: VM }]);
		const vm = getResource(start, VM);
		if (!vm) throw new Error('no vm');
		const after = await expectSameAsAz(start, deleteResourceAction(vm));
		expect(getResource(after, VM)).toBeUndefined();
	});

	it('adds and removes a role assignment (quoted role name, ServicePrincipal type)', async () => {
		const start = apply(world(), [{ type: 'enableSystemIdentity', resourceId: VM }]);
		const principalId = hostById(start, VM)?.identity.systemAssigned?.principalId ?? '';
		const action = addRoleAssignmentAction({
			scope: idOf('keyVault', 'kv-stock'),
			role: 'Key Vault Secrets User',
			principalId,
			principalType: 'ServicePrincipal'
		});
		expect(action.azCommand).toContain("--role 'Key Vault Secrets User'");
		const after = await expectSameAsAz(start, action);
		const created = Object.values(after.roleAssignments).find((a) => a.principalId === principalId);
		if (!created) throw new Error('not created');
		const arm = action.arm?.(start, after);
		expect(arm?.url).toBe(`https://management.azure.com${created.id}?api-version=2022-04-01`);
		expect(arm?.requestBody).toEqual({
			properties: {
				roleDefinitionId: `/subscriptions/${DEFAULT_IDS.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
				principalId,
				principalType: 'ServicePrincipal'
			}
		});
		await expectSameAsAz(after, removeRoleAssignmentAction(created));
	});

	it('adds a role assignment at subscription scope with a description', async () => {
		const start = apply(world(), [{ type: 'enableSystemIdentity', resourceId: WEB }]);
		const principalId = hostById(start, WEB)?.identity.systemAssigned?.principalId ?? '';
		await expectSameAsAz(
			start,
			addRoleAssignmentAction({
				scope: subscriptionScope(DEFAULT_IDS.subscriptionId),
				role: 'Reader',
				principalId,
				principalType: 'ServicePrincipal',
				description: "Sarah's test"
			})
		);
	});
});

describe('shellWord', () => {
	it('leaves plain words alone and quotes the rest', () => {
		expect(shellWord('rg-stock')).toBe('rg-stock');
		expect(shellWord('/subscriptions/x/resourceGroups/rg')).toBe(
			'/subscriptions/x/resourceGroups/rg'
		);
		expect(shellWord('Key Vault Secrets User')).toBe("'Key Vault Secrets User'");
		expect(shellWord("it's")).toBe("'it'\\''s'");
		expect(shellWord('')).toBe("''");
	});
});
