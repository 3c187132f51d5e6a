import './match-media.ts';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
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

/** The drawn picture, box by box and edge by edge: ids with their places and shapes. */
function picture(container: HTMLElement): string[] {
	const svg = container.querySelector('svg.canvas')!;
	return [
		...[...svg.querySelectorAll('[data-node]')].map(
			(n) =>
				`${n.getAttribute('data-node')} ${n.closest('g[transform]')?.getAttribute('transform')} ${n.getAttribute('aria-label')}`
		),
		...[...svg.querySelectorAll('[data-edge]')].map(
			(e) =>
				`${e.getAttribute('data-edge')} ${e.querySelector('path')?.getAttribute('d')} ${e.getAttribute('aria-label')}`
		)
	].sort();
}

describe('Topology (scale sets and changes)', () => {
	const vmss = (capacity: number): World =>
		world([{ type: 'createScaleSet', resourceGroup: DEFAULT_GROUP, name: 'vmss-web', capacity }]);

	it('shows a scale set’s instances with its button and groups them again', async () => {
		const { view } = show(vmss(50));
		expect(screen.queryByRole('list', { name: 'Instances of vmss-web' })).toBeNull();
		const showButton = screen.getByRole('button', { name: 'Show 50 instances of vmss-web' });
		expect(showButton.getAttribute('aria-expanded')).toBe('false');
		await fireEvent.click(showButton);

		const hide = screen.getByRole('button', { name: 'Hide instances of vmss-web' });
		expect(hide.getAttribute('aria-expanded')).toBe('true');
		expect(view.expandedScaleSets).toEqual([
			'res:' + id('virtualMachineScaleSet', 'vmss-web').toLowerCase()
		]);
		// In the picture and in the words alike.
		const [grid, words] = screen.getAllByRole('list', { name: 'Instances of vmss-web' });
		expect(within(grid!).getAllByRole('listitem')).toHaveLength(50);
		expect(within(grid!).getByRole('listitem', { name: 'vmss-web_0' })).toBeInTheDocument();
		expect(
			within(words!)
				.getAllByRole('listitem')
				.map((li) => li.textContent)
		).toContain('vmss-web_49');
		expect(document.getElementById('topology-twin')!.contains(words!)).toBe(true);
		// The box grew to hold the grid.
		const box = screen.getByRole('button', { name: /^vmss-web, Scale set/ }).querySelector('rect')!;
		expect(Number(box.getAttribute('height'))).toBeGreaterThan(200);

		await fireEvent.click(hide);
		expect(
			screen.getByRole('button', { name: 'Show 50 instances of vmss-web' })
		).toBeInTheDocument();
		expect(screen.queryAllByRole('list', { name: 'Instances of vmss-web' })).toEqual([]);
		expect(view.expandedScaleSets).toEqual([]);
	});

	it('has no instance control on a box that has no instances to show', () => {
		show(vmss(0));
		expect(
			screen.getByRole('button', { name: /^vmss-web, Scale set · 0 instances/ })
		).toBeInTheDocument();
		expect(screen.queryByRole('button', { name: /instances of vmss-web/ })).toBeNull();
	});

	it('reaches the same picture after boxes appear and disappear as a fresh drawing of the world (instant)', async () => {
		const { session, container, unmount } = show();
		const before = picture(container);
		expect(
			session.apply([
				{ type: 'createUserIdentity', resourceGroup: DEFAULT_GROUP, name: 'id-new' },
				{ type: 'enableSystemIdentity', resourceId: id('virtualMachine', 'vm-stock-app') }
			]).ok
		).toBe(true);
		await tick();
		const grown = picture(container);
		expect(grown.length).toBeGreaterThan(before.length);
		expect(grown.some((line) => line.startsWith('res:') && line.includes('id-new'))).toBe(true);
		const afterWorld = session.world;
		unmount();
		const fresh = show(afterWorld);
		expect(grown).toEqual(picture(fresh.container));
		fresh.unmount();

		// And back: undo removes them again, to the first picture.
		const again = show();
		again.session.apply([
			{ type: 'createUserIdentity', resourceGroup: DEFAULT_GROUP, name: 'id-new' }
		]);
		await tick();
		expect(again.session.undo()).toBe(true);
		await tick();
		expect(picture(again.container)).toEqual(before);
	});
});
