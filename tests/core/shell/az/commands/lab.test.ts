import { describe, expect, it } from 'vitest';
import { json, terminal } from '../../terminal.ts';

describe('az lab (simulator controls)', () => {
	it('clock show and advance, from any place (no sign-in needed)', async () => {
		const t = await terminal();
		expect(json(await t.run('az lab clock show'))).toEqual({
			now: '2026-03-02T09:00:00Z',
			epochSeconds: 1772442000
		});
		const advanced = await t.run('az lab clock advance --minutes 10 --seconds 30');
		expect(json(advanced)).toMatchObject({
			advancedBy: '10 min 30 s',
			now: '2026-03-02T09:10:30Z'
		});
		expect(advanced.events).toEqual([expect.objectContaining({ kind: 'clock' })]);
		await t.run('ssh vm-stock-app');
		expect((await t.run('az lab clock advance --hours 1 -o none')).exitCode).toBe(0);
		expect((await t.run('az lab clock advance')).exitCode).toBe(2);
		expect((await t.run('az lab clock advance --minutes ten')).stderr).toContain(
			"invalid int value: 'ten'"
		);
	});

	it('propagation show and set', async () => {
		const t = await terminal();
		expect(json(await t.run('az lab propagation show'))).toEqual({
			propagationDelaySeconds: 300,
			description: '5 min'
		});
		expect(json(await t.run('az lab propagation set --seconds 0'))).toEqual({
			propagationDelaySeconds: 0
		});
		expect((await t.run('az lab propagation set --seconds 999999')).exitCode).toBe(1);
	});

	it('keys list, rollover and retire', async () => {
		const t = await terminal();
		const [first] = json<{ kid: string; active: boolean }[]>(await t.run('az lab keys list'));
		expect(first?.active).toBe(true);
		const rolled = json(await t.run('az lab keys rollover'));
		expect(rolled.kid).not.toBe(first?.kid);
		expect((await t.run(`az lab keys retire --kid ${first?.kid ?? ''}`)).exitCode).toBe(0);
		expect((await t.run('az lab keys retire --kid nope')).stderr).toContain(
			"No published signing key has kid 'nope'"
		);
		expect((await t.run('az lab --help')).stdout).toContain('[Lab]');
	});
});
