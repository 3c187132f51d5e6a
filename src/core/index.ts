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
	OPERATION_TYPES,
	recordsOnly
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
export * from './http/types.ts';
export { send, describeSource, IMDS_HOST } from './network/network.ts';
export {
	createKeyRing,
	ensureSigningKey,
	rolloverSigningKey,
	retireSigningKey,
	type KeyRing
} from './token/key-ring.ts';
export { buildTokenRequest, type TokenRequestOptions } from './token/token-request.ts';
export { requestToken } from './network/request-token.ts';
export { appServiceEnvironment, APP_SERVICE_IDENTITY_ENDPOINT } from './token/app-service.ts';
export { openIdConfiguration, tenantJwks, issueManagedIdentityToken } from './token/entra.ts';
export {
	authorize,
	effectiveAssignmentsFor,
	assignmentState,
	principalExists,
	type AuthorizationDecision,
	type AssignmentState
} from './azure/rbac/authorize.ts';
export { BUILT_IN_ROLES, findRole, type RoleDefinition } from './azure/rbac/roles.ts';
export { decodeForDisplay, verifyAccessToken } from './crypto/index.ts';
export { sqlLogin, runSqlStatement } from './services/sql.ts';
export * from './shell/index.ts';
