import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import EventLog from '../../../src/ui/events/EventLog.svelte';
import { labContextMap } from '../../../src/ui/lab/context.ts';
import { LabSession } from '../../../src/ui/lab/session.svelte.ts';
import { LabView } from '../../../src/ui/lab/view.svelte.ts';
import { logRows } from '../../../src/ui/events/rows.ts';
import { keyedWorld, VAULT, VM_APP } from '../../fixtures/worlds.ts';

const KV_READ =
	'curl -s -H "Authorization: Bearer $(curl -s -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net" | jq -r .access_token)" "https://kv-stock.vault.azure.net/secrets/db-password?api-version=7.5"';

async function lab(): Promise<{ session: LabSession; view: LabView }> {
	const { world, ring } = await keyedWorld();
	const session = new LabSession(world, { keyRing: ring, wait: async () => {} });
	session.apply([{ type: 'enableSystemIdentity', resourceId: VM_APP }], 'portal');
	await session.run('ssh vm-stock-app');
	await session.run(KV_READ);
	for (let i = 0; i < 5; i++) session.advanceClock(1, true);
	const view = new LabView();
	render(EventLog, { context: labContextMap({ session, view }) });
	return { session, view };
}

function list(): HTMLElement {
	return screen.getByRole('list', { name: 'Events and HTTP exchanges' });
}

describe('Event log', () => {
	it('lists the audit trail and the HTTP exchanges newest first, with stable ids, as text', async () => {
		const { session } = await lab();
		const items = within(list())
			.getAllByRole('listitem')
			.filter((li) => li.parentElement === list());
		expect(items[0]).toHaveTextContent('Clock ran');
		expect(items[0]).toHaveTextContent('5 ticks of one second');
		const exchange = session.exchanges.at(-1);
		const row = document.getElementById(`exchange-${exchange?.id}`);
		expect(row).toHaveTextContent('→ GET https://kv-stock.vault.azure.net/secrets/db-password');
		expect(row).toHaveTextContent('Failed');
		expect(row).toHaveTextContent(/← 403 Forbidden/);
		const activity = session.world.events.find(
			(e) => e.kind === 'activity' && e.resourceId === VM_APP
		);
		expect(document.getElementById(`event-${activity?.seq}`)).toHaveTextContent(
			'Microsoft.Compute/virtualMachines/write'
		);
		await fireEvent.change(screen.getByRole('combobox', { name: 'Order' }), {
			target: { value: 'oldest' }
		});
		const first = within(list()).getAllByRole('listitem')[0];
		expect(first).toHaveTextContent('Activity log');
		expect(screen.getByText(/entries, oldest first/)).toBeInTheDocument();
	});

	it('filters by kind and by resource', async () => {
		await lab();
		await fireEvent.change(screen.getByRole('combobox', { name: 'Kind' }), {
			target: { value: 'directoryAudit' }
		});
		const audits = within(list()).getAllByRole('listitem');
		expect(audits.length).toBeGreaterThan(0);
		for (const row of audits) expect(row).toHaveTextContent('Directory audit');
		await fireEvent.change(screen.getByRole('combobox', { name: 'Kind' }), {
			target: { value: 'all' }
		});
		await fireEvent.change(screen.getByRole('combobox', { name: 'Resource' }), {
			target: { value: VAULT.toLowerCase() }
		});
		const vaultRows = within(list())
			.getAllByRole('listitem')
			.filter((li) => li.parentElement === list());
		expect(vaultRows.length).toBeGreaterThan(0);
		for (const row of vaultRows) expect(row).toHaveTextContent(/kv-stock|keyVault/);
		expect(within(list()).queryByText(/Clock ran/)).not.toBeInTheDocument();
	});

	it('each entry links to what it is about', async () => {
		const { view } = await lab();
		await fireEvent.click(
			screen.getAllByRole('button', { name: 'Open vm-stock-app' })[0] as HTMLElement
		);
		expect(view.blade).toMatchObject({ kind: 'resource', id: VM_APP });
		await fireEvent.click(
			screen.getAllByRole('button', { name: 'Open kv-stock' })[0] as HTMLElement
		);
		expect(view.blade).toEqual({ kind: 'resource', id: VAULT, section: 'overview' });
		await fireEvent.click(
			screen.getAllByRole('button', {
				name: /Open the enterprise application vm-stock-app/
			})[0] as HTMLElement
		);
		expect(view.blade).toMatchObject({ kind: 'servicePrincipal' });
	});

	it('merges only consecutive one-second ticks', async () => {
		const { world } = await keyedWorld();
		const session = new LabSession(world);
		session.advanceClock(1, true);
		session.advanceClock(1, true);
		session.advanceClock(60);
		session.advanceClock(1, true);
		const rows = logRows(session.world, []).filter((r) => r.kind === 'clock');
		const first = rows[0]?.id ?? '';
		const seq = Number(first.replace('event-', ''));
		expect(rows.map((r) => r.title.split(' ').slice(0, 2).join(' '))).toEqual([
			'Clock ran',
			'Clock moved',
			'Clock moved'
		]);
		expect(rows.map((r) => r.id)).toEqual([`event-${seq}`, `event-${seq + 2}`, `event-${seq + 3}`]);
	});
});
