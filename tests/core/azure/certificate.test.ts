/** The managed identity's credential certificate as time passes (queries.ts currentCertificate). */
import { describe, expect, it } from 'vitest';
import {
	applyOperations,
	createDefaultWorld,
	currentCertificate,
	findResourcesByName,
	getServicePrincipal,
	isoTime
} from '../../../src/core/index.ts';

const DAY = 86_400;

function worldWithIdentity() {
	const world = createDefaultWorld();
	const vm = findResourcesByName(world, 'vm-stock-app')[0]!;
	const on = applyOperations(world, [{ type: 'enableSystemIdentity', resourceId: vm.id }]);
	if (!on.ok) throw new Error(on.error.message);
	const host = findResourcesByName(on.value.world, 'vm-stock-app')[0]!;
	const principalId =
		host.kind === 'virtualMachine' ? host.identity.systemAssigned!.principalId : '';
	return { world: on.value.world, sp: getServicePrincipal(on.value.world, principalId)! };
}

describe('currentCertificate', () => {
	it('is the certificate issued with the identity until 45 days have passed', () => {
		const { world, sp } = worldWithIdentity();
		const first = currentCertificate(world, sp)!;
		expect(first).toEqual(sp.certificate);
		expect(first.notAfter - first.notBefore).toBe(90 * DAY);
		expect(first.renewAfter - first.notBefore).toBe(45 * DAY);
		const later = applyOperations(world, [{ type: 'advanceClock', seconds: 45 * DAY - 1 }]);
		if (!later.ok) throw new Error(later.error.message);
		expect(currentCertificate(later.value.world, sp)).toEqual(first);
	});

	it('is rolled at 45 days: a new thumbprint, issued on day 45, valid 90 days', () => {
		const { world, sp } = worldWithIdentity();
		const first = currentCertificate(world, sp)!;
		const later = applyOperations(world, [{ type: 'advanceClock', seconds: 46 * DAY }]);
		if (!later.ok) throw new Error(later.error.message);
		const second = currentCertificate(later.value.world, sp)!;
		expect(second.thumbprint).not.toBe(first.thumbprint);
		expect(isoTime(second.notBefore)).toBe(
			isoTime((first.notBefore + 45 * DAY) as typeof first.notBefore)
		);
		expect(second.notAfter - second.notBefore).toBe(90 * DAY);
	});

	it('is null for a principal that is not a managed identity', () => {
		const world = createDefaultWorld();
		const msi = Object.values(world.directory.servicePrincipals).find(
			(p) => p.displayName === 'Managed Service Identity'
		)!;
		expect(currentCertificate(world, msi)).toBeNull();
	});
});
