/**
 * Snapshot and restore: the world as versioned JSON. Restore checks the shape (valibot) and the world's rules
 * (invariants.ts) and returns a typed error that names what is wrong; it never half-restores.
 */
import * as v from 'valibot';
import type { World } from './model.ts';
import { WORLD_VERSION } from './model.ts';
import { findInconsistencies } from './invariants.ts';
import { compileGuard } from './schema-guard.ts';
import type { Result } from '../result.ts';
import { err, ok } from '../result.ts';

/** Why a snapshot could not be restored. */
export interface SnapshotError {
	code: 'SnapshotMalformed' | 'SnapshotVersion' | 'SnapshotInvalid' | 'SnapshotInconsistent';
	message: string;
}

const str = v.string();
const num = v.number();
const record = <T extends v.GenericSchema>(item: T) => v.record(v.string(), item);
const stringMap = record(str);

const identity = v.object({
	systemAssigned: v.nullable(v.object({ principalId: str, clientId: str, tenantId: str })),
	userAssigned: v.array(str)
});
const base = {
	id: str,
	name: str,
	subscriptionId: str,
	resourceGroup: str,
	location: str,
	tags: stringMap,
	createdAt: num
};
const resource = v.variant('kind', [
	v.object({
		...base,
		kind: v.literal('virtualMachine'),
		vmId: str,
		vmSize: str,
		osType: v.picklist(['Linux', 'Windows']),
		privateIp: str,
		identity,
		files: stringMap
	}),
	v.object({
		...base,
		kind: v.literal('virtualMachineScaleSet'),
		vmSize: str,
		instances: v.array(v.object({ instanceId: str, name: str, vmId: str, privateIp: str })),
		nextInstanceId: num,
		identity,
		files: stringMap
	}),
	v.object({
		...base,
		kind: v.picklist(['webApp', 'functionApp']),
		defaultHostName: str,
		appSettings: stringMap,
		identityHeader: str,
		identity,
		files: stringMap,
		osType: v.optional(v.picklist(['Linux', 'Windows']))
	}),
	v.object({
		...base,
		kind: v.literal('storageAccount'),
		keys: v.object({ key1: str, key2: str }),
		containers: record(
			v.object({
				createdAt: num,
				blobs: record(v.object({ content: str, contentType: str, lastModified: num, etag: str }))
			})
		)
	}),
	v.object({
		...base,
		kind: v.literal('keyVault'),
		vaultUri: str,
		enableRbacAuthorization: v.boolean(),
		secrets: record(
			v.object({
				versions: v.array(
					v.object({ version: str, value: str, created: num, contentType: v.optional(str) })
				)
			})
		)
	}),
	v.object({
		...base,
		kind: v.literal('sqlServer'),
		fullyQualifiedDomainName: str,
		adAdmin: v.nullable(v.object({ login: str, sid: str }))
	}),
	v.object({
		...base,
		kind: v.literal('sqlDatabase'),
		serverName: str,
		users: record(v.object({ name: str, principalId: str, roles: v.array(str) })),
		tables: record(v.object({ columns: v.array(str), rows: v.array(v.array(str)) }))
	}),
	v.object({
		...base,
		kind: v.literal('userAssignedIdentity'),
		clientId: str,
		principalId: str,
		tenantId: str
	})
]);
const certificate = v.object({
	thumbprint: str,
	issuer: str,
	notBefore: num,
	notAfter: num,
	renewAfter: num
});
const event = v.looseObject({
	seq: num,
	at: num,
	kind: v.picklist(['activity', 'directoryAudit', 'token', 'serviceCall', 'clock'])
});

/** The shape of a saved world (valibot); restore also checks the world's rules (invariants.ts). */
export const worldSchema = v.object({
	version: v.literal(WORLD_VERSION),
	seed: str,
	idCounter: v.pipe(num, v.integer(), v.minValue(0)),
	now: v.pipe(num, v.integer()),
	settings: v.object({
		propagationDelaySeconds: v.pipe(num, v.integer(), v.minValue(0)),
		tokenLifetimeSeconds: v.pipe(num, v.integer(), v.minValue(60)),
		imdsThrottle: v.optional(v.boolean())
	}),
	tenant: v.object({ tenantId: str, displayName: str, defaultDomain: str }),
	managementGroups: record(
		v.object({ id: str, name: str, displayName: str, parentId: v.nullable(str) })
	),
	subscriptions: record(
		v.object({
			id: str,
			subscriptionId: str,
			displayName: str,
			tenantId: str,
			managementGroupId: str
		})
	),
	resourceGroups: record(
		v.object({ id: str, name: str, subscriptionId: str, location: str, tags: stringMap })
	),
	resources: record(resource),
	outsideMachines: record(
		v.object({ name: str, hostname: str, description: str, files: stringMap })
	),
	directory: v.object({
		users: record(v.object({ id: str, userPrincipalName: str, displayName: str })),
		applications: record(
			v.object({
				id: str,
				appId: str,
				displayName: str,
				signInAudience: v.picklist(['AzureADMyOrg', 'AzureADMultipleOrgs']),
				publisherTenantId: str,
				credentials: v.array(
					v.object({
						kind: v.picklist(['certificate', 'secret']),
						displayName: str,
						endDateTime: num
					})
				)
			})
		),
		servicePrincipals: record(
			v.object({
				id: str,
				appId: str,
				displayName: str,
				servicePrincipalType: v.picklist(['Application', 'ManagedIdentity', 'Legacy']),
				appOwnerOrganizationId: str,
				alternativeNames: v.array(str),
				servicePrincipalNames: v.array(str),
				accountEnabled: v.boolean(),
				createdAt: num,
				managedIdentityResourceId: v.nullable(str),
				certificate: v.nullable(certificate)
			})
		)
	}),
	roleAssignments: record(
		v.object({
			id: str,
			name: str,
			scope: str,
			roleDefinitionId: str,
			principalId: str,
			principalType: v.picklist(['User', 'Group', 'ServicePrincipal']),
			description: str,
			createdAt: num,
			createdBy: str,
			effectiveAt: num,
			removedAt: v.nullable(num)
		})
	),
	signingKeys: v.array(
		v.object({ kid: str, x5t: str, jwk: record(v.unknown()), createdAt: num, active: v.boolean() })
	),
	tokenCache: record(
		v.object({
			principalId: str,
			clientId: str,
			resource: str,
			accessToken: str,
			issuedAt: num,
			expiresOn: num,
			kid: str
		})
	),
	events: v.array(event)
});

/** Accepts exactly what `worldSchema` accepts, without valibot's output copy (see schema-guard.ts). */
const isWorldShape = compileGuard(worldSchema);

/** The world as JSON text (pretty when asked). Private keys are never part of a world. */
export function snapshotWorld(world: World, options: { pretty?: boolean } = {}): string {
	return JSON.stringify(world, null, options.pretty ? 2 : undefined);
}

/** Restores a world from snapshot text, or says exactly what is wrong with it. */
export function restoreWorld(text: string): Result<World, SnapshotError> {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (cause) {
		return err({
			code: 'SnapshotMalformed',
			message: `This is not a saved world: it is not valid JSON (${cause instanceof Error ? cause.message : String(cause)}). Nothing was changed; check that the whole file was copied.`
		});
	}
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		return err({
			code: 'SnapshotMalformed',
			message: 'This is not a saved world: a world is a JSON object. Nothing was changed.'
		});
	}
	const version = (data as { version?: unknown }).version;
	if (version !== WORLD_VERSION) {
		return err({
			code: 'SnapshotVersion',
			message: `This world was saved in format version ${JSON.stringify(version ?? null)}; this lab reads version ${WORLD_VERSION}. Nothing was changed.`
		});
	}
	const parsed = isWorldShape(data) ? { success: true as const } : v.safeParse(worldSchema, data);
	if (!parsed.success) {
		const issue = parsed.issues[0];
		const path = issue ? v.getDotPath(issue) : null;
		return err({
			code: 'SnapshotInvalid',
			message: `This saved world is damaged at ${path ?? 'its top level'}: ${issue?.message ?? 'unexpected shape'}. Nothing was changed.`
		});
	}
	// The input itself (not valibot's copy) so that snapshot → restore → snapshot is byte for byte the same.
	const world = data as World;
	const problems = findInconsistencies(world);
	if (problems.length > 0) {
		return err({
			code: 'SnapshotInconsistent',
			message: `This saved world is inconsistent: ${problems.slice(0, 3).join(' ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''} Nothing was changed.`
		});
	}
	return ok(world);
}
