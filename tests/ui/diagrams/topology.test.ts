import './match-media.ts';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Topology from '../../../src/ui/diagrams/Topology.svelte';
import { labContextMap } from '../../../src/ui/lab/context.ts';
import { LabSession } from '../../../src/ui/lab/session.svelte.ts';
import { LabView } from '../../../src/ui/lab/view.svelte.ts';
import {
	applyOperations,
	createDefaultWorld,
	DEFAULT_GROUP,
	DEFAULT_IDS,
	resourceId,
	type Operation,
	type World
} from '../../../src/core/index.ts';

const id = (kind: Parameters<typeof resourceId>[2], name: string): string =>
	resourceId(DEFAULT_IDS.subscriptionId, DEFAULT_GROUP, kind, name);

function world(ops: Operation[]): World {
	const applied = applyOperations(createDefaultWorld(), ops);
	if (!applied.ok) throw new Error(applied.error.message);
	return applied.value.world;
}

function show(w: World = createDefaultWorld()) {
	const session = new LabSession(w, { wait: () => Promise.resolve() });
	const view = new LabView();
	const result = render(Topology, {
		props: { instant: true },
		context: labContextMap({ session, view })
	});
	return { session, view, ...result };
}

describe('Topology', () => {
	it('draws the default world with a title, a description and a text twin', () => {
		show();
		const svg = screen.getByRole('group', { name: 'Topology of the lab' });
		const twin = document.getElementById('topology-twin')!;
		expect(svg.getAttribute('aria-describedby')).toContain('topology-twin');
		expect(
			screen.getByRole('button', { name: 'vm-stock-app, Virtual machine' })
		).toBeInTheDocument();
		expect(screen.getByRole('button', { name: 'kv-stock, Key vault' })).toBeInTheDocument();
		expect(within(twin).getByText('rg-stock contains vm-stock-app')).toBeInTheDocument();
		expect(screen.getByRole('img', { name: /has Owner \(control plane\) on/ })).toBeInTheDocument();
	});

	it('shows a new system-assigned identity and its service principal, and opens blades on click and Enter', async () => {
		const { session, view } = show();
		const vmId = id('virtualMachine', 'vm-stock-app');
		expect(session.apply([{ type: 'enableSystemIdentity', resourceId: vmId }]).ok).toBe(true);
		const edge = await screen.findByRole('img', {
			name: /^vm-stock-app has a system-assigned identity: service principal vm-stock-app$/
		});
		expect(edge).toBeInTheDocument();
		expect(
			screen.getByRole('button', { name: 'vm-stock-app, Managed identity' })
		).toBeInTheDocument();
		await fireEvent.click(screen.getByRole('button', { name: 'kv-stock, Key vault' }));
		expect(view.blade).toMatchObject({ kind: 'resource', id: id('keyVault', 'kv-stock') });
		await fireEvent.keyDown(
			screen.getByRole('button', { name: 'vm-stock-app, Managed identity' }),
			{
				key: 'Enter'
			}
		);
		expect(view.blade).toMatchObject({ kind: 'servicePrincipal' });
	});

	it('moves between nodes with the arrow keys', async () => {
		show();
		const rg = screen.getByRole('button', { name: 'rg-stock, Resource group' });
		rg.focus();
		await fireEvent.keyDown(rg, { key: 'ArrowRight' });
		expect(document.activeElement?.getAttribute('aria-label')).toMatch(
			/, (Virtual machine|Key vault|Storage account|SQL server|SQL database|App Service|Function app)$/
		);
		await fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
		expect(document.activeElement).toBe(rg);
	});

	it('draws a pending assignment with its remaining time, a ghost and an orphan', () => {
		const vmId = id('virtualMachine', 'vm-stock-app');
		let w = world([
			{ type: 'enableSystemIdentity', resourceId: vmId },
			{ type: 'createUserIdentity', resourceGroup: DEFAULT_GROUP, name: 'id-spare' }
		]);
		const vm = w.resources[vmId.toLowerCase()]!;
		const principalId = 'identity' in vm ? vm.identity.systemAssigned!.principalId : '';
		const applied = applyOperations(w, [
			{
				type: 'createRoleAssignment',
				role: 'Key Vault Secrets User',
				scope: id('keyVault', 'kv-stock'),
				principalId: DEFAULT_IDS.sarahId,
				principalType: 'User'
			},
			{
				type: 'createRoleAssignment',
				role: 'Reader',
				scope: id('storageAccount', 'ststockdata'),
				principalId,
				principalType: 'ServicePrincipal'
			},
			{ type: 'disableSystemIdentity', resourceId: vmId }
		]);
		if (!applied.ok) throw new Error(applied.error.message);
		w = applied.value.world;
		show(w);
		expect(
			screen.getByRole('img', {
				name: /has Key Vault Secrets User \(data plane\) on kv-stock, pending: counts in \d+ min/
			})
		).toBeInTheDocument();
		expect(screen.getByText(/Key Vault Secrets User \[data\] · pending/)).toBeInTheDocument();
		expect(
			screen.getByRole('button', { name: /^Identity not found, ✗ Deleted principal/ })
		).toBeInTheDocument();
		expect(
			screen.getByRole('img', {
				name: /^Identity not found \(.+\) has Reader \(control plane\) on ststockdata, pending/
			})
		).toBeInTheDocument();
		expect(
			screen.getByRole('button', {
				name: 'id-spare, ⚠ orphaned · User-assigned identity (no resource uses it)'
			})
		).toBeInTheDocument();
		expect(screen.getByText(/⚠ orphaned/, { selector: 'text' })).toBeInTheDocument();
	});

	it('groups a scale set into one node with its count', () => {
		show(
			world([
				{ type: 'createScaleSet', resourceGroup: DEFAULT_GROUP, name: 'vmss-web', capacity: 50 }
			])
		);
		expect(
			screen.getByRole('button', { name: 'vmss-web, Scale set · 50 instances ×50' })
		).toBeInTheDocument();
		expect(screen.getByText('×50')).toBeInTheDocument();
	});
});
