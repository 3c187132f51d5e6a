/** The closed set of reasons an operation refuses, each with a message written for a learner. */
export type OperationErrorCode =
	| 'InvalidInput'
	| 'InvalidName'
	| 'UnknownOperation'
	| 'ResourceGroupNotFound'
	| 'ResourceGroupExists'
	| 'ResourceNotFound'
	| 'ResourceExists'
	| 'NameNotAvailable'
	| 'UnsupportedResourceType'
	| 'IdentityNotFound'
	| 'IdentityNotAssigned'
	| 'InvalidIdentityType'
	| 'UserAssignedIdentitiesRequired'
	| 'InvalidCapacity'
	| 'RoleNotFound'
	| 'InvalidScope'
	| 'ScopeNotFound'
	| 'PrincipalNotFound'
	| 'UnmatchedPrincipalType'
	| 'RoleAssignmentExists'
	| 'RoleAssignmentNotFound'
	| 'RoleAssignmentUpdateNotPermitted'
	| 'LastOwner'
	| 'ContainerNotFound'
	| 'ContainerExists'
	| 'SqlAdminRequired'
	| 'SqlUserExists'
	| 'SqlUserNotFound'
	| 'SqlPrincipalNotFound'
	| 'SqlPrincipalAmbiguous'
	| 'SqlRoleNotFound'
	| 'InvalidClockAdvance'
	| 'SigningKeyNotFound'
	| 'SigningKeyExists'
	| 'FederatedCredentialNotFound'
	| 'FederatedCredentialExists'
	| 'FederatedCredentialLimit'
	| 'MachineNotFound'
	| 'ArcAlreadyConnected'
	| 'ClusterNotFound'
	| 'ServiceAccountNotFound';

/** Why an operation refused. `message` says what is wrong and what to do. */
export interface OperationError {
	code: OperationErrorCode;
	message: string;
	/**
	 * The lab's own advice, when `message` is Azure's exact text and should stay so (the terminal prints it on a
	 * `# ` explanation line, never inside Azure's message).
	 */
	hint?: string;
}

/** Builds an operation error; `hint` is the lab's advice next to an error whose message is Azure's own. */
export function opError(code: OperationErrorCode, message: string, hint?: string): OperationError {
	return hint === undefined ? { code, message } : { code, message, hint };
}
