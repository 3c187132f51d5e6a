/** The simulation core's public face. */
export * from './clock.ts';
export * from './ids.ts';
export * from './result.ts';
export * from './azure/model.ts';
export * from './azure/events.ts';
export * from './azure/errors.ts';
export * from './azure/naming.ts';
export * from './azure/queries.ts';
export * from './azure/arm-view.ts';
export * from './azure/invariants.ts';
export * from './azure/snapshot.ts';
export * from './azure/default-world.ts';
export {
	applyOperation,
	applyOperations,
	eventsSince,
	OPERATION_TYPES
} from './azure/operations/index.ts';
export type { Operation, OperationType, Applied, ApplyOptions } from './azure/operations/index.ts';
export type { ArmIdentityBody } from './azure/operations/identities.ts';
export type { CreateRoleAssignmentInput } from './azure/operations/role-assignments.ts';
export { scopeProblem } from './azure/operations/role-assignments.ts';
export { tokenCacheKey } from './azure/operations/system.ts';
export {
	identityCertificateFor,
	currentIdentityCertificate
} from './crypto/identity-certificate.ts';
