/**
 * Snapshot and restore: the world as versioned JSON. Restore checks the shape (valibot) and the world's rules
 * (invariants.ts) and returns a typed error that names what is wrong; it never half-restores.
 */
import * as v from 'valibot';
import type { World } from './model.ts';
import { WORLD_VERSION } from './model.ts';
import { LATEST_TIME, TEN_YEARS_SECONDS } from '../clock.ts';
import { findInconsistencies } from './invariants.ts';
import { compileGuard } from './schema-guard.ts';
import { asciiJsonOf, objectJson, prettyAsciiJson, stringifyNoting } from './ascii-json.ts';
import { builtIndex, indexOf, keepIndex } from './store/record.ts';
import { nonAsciiEntries } from './store/indexes.ts';
import type { Result } from '../result.ts';
import { err, ok } from '../result.ts';

/** Why a snapshot could not be restored. */
export interface SnapshotError {
	code: 'SnapshotMalformed' | 'SnapshotVersion' | 'SnapshotInvalid' | 'SnapshotInconsistent';
	message: string;
}

const str = v.string();
/** Any finite number: JSON has no Infinity or NaN, and a world never holds them (they would poison the clock). */
const num = v.pipe(v.number(), v.finite());
/** A whole, non-negative number (a count, a position). */
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** A length of time in seconds: whole, from 0 to ten years. */
const duration = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(TEN_YEARS_SECONDS));
const record = <T extends v.GenericSchema>(item: T) => v.record(v.string(), item);
const stringMap = record(str);
// Strict: a field the lab does not know is refused (with its path), never carried along silently.
const object = v.strictObject;

const identity = object({
	systemAssigned: v.nullable(object({ principalId: str, clientId: str, tenantId: str })),
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
	object({
		...base,
		kind: v.literal('virtualMachine'),
		vmId: str,
		vmSize: str,
		osType: v.picklist(['Linux', 'Windows']),
		privateIp: str,
		identity,
		files: stringMap
	}),
	object({
		...base,
		kind: v.literal('virtualMachineScaleSet'),
		vmSize: str,
		instances: v.array(object({ instanceId: str, name: str, vmId: str, privateIp: str })),
		nextInstanceId: count,
		identity,
		files: stringMap
	}),
	object({
		...base,
		kind: v.picklist(['webApp', 'functionApp']),
		defaultHostName: str,
		appSettings: stringMap,
		identityHeader: str,
		identity,
		files: stringMap,
		osType: v.optional(v.picklist(['Linux', 'Windows']))
	}),
	object({
		...base,
		kind: v.literal('storageAccount'),
		keys: object({ key1: str, key2: str }),
		keyCreationTime: v.optional(object({ key1: num, key2: num })),
		containers: record(
			object({
				createdAt: num,
				blobs: record(object({ content: str, contentType: str, lastModified: num, etag: str }))
			})
		)
	}),
	object({
		...base,
		kind: v.literal('keyVault'),
		vaultUri: str,
		enableRbacAuthorization: v.boolean(),
		secrets: record(
			object({
				versions: v.array(
					object({ version: str, value: str, created: num, contentType: v.optional(str) })
				)
			})
		)
	}),
	object({
		...base,
		kind: v.literal('sqlServer'),
		fullyQualifiedDomainName: str,
		adAdmin: v.nullable(object({ login: str, sid: str }))
	}),
	object({
		...base,
		kind: v.literal('sqlDatabase'),
		serverName: str,
		users: record(object({ name: str, principalId: str, roles: v.array(str) })),
		tables: record(object({ columns: v.array(str), rows: v.array(v.array(str)) }))
	}),
	object({
		...base,
		kind: v.literal('userAssignedIdentity'),
		clientId: str,
		principalId: str,
		tenantId: str,
		federatedCredentials: v.optional(
			record(
				object({
					name: str,
					issuer: str,
					subject: str,
					audiences: v.array(str),
					createdAt: num
				})
			)
		)
	})
]);
const certificate = object({
	thumbprint: str,
	issuer: str,
	notBefore: num,
	notAfter: num,
	renewAfter: num
});
const signingKey = object({
	kid: str,
	x5t: str,
	jwk: record(v.unknown()),
	createdAt: num,
	active: v.boolean()
});
const eventBase = { seq: count, at: num };
const event = v.variant('kind', [
	object({
		...eventBase,
		kind: v.literal('activity'),
		operationName: str,
		resourceId: str,
		caller: str,
		status: v.picklist(['Succeeded', 'Failed']),
		summary: str
	}),
	object({
		...eventBase,
		kind: v.literal('directoryAudit'),
		activity: str,
		initiatedBy: str,
		initiatedById: str,
		targetId: str,
		targetDisplayName: str,
		summary: str
	}),
	object({
		...eventBase,
		kind: v.literal('token'),
		principalId: str,
		clientId: str,
		resource: str,
		hostId: str,
		endpoint: v.picklist(['imds', 'appService', 'arc', 'federation']),
		fromCache: v.boolean(),
		expiresOn: num
	}),
	object({
		...eventBase,
		kind: v.literal('serviceCall'),
		service: v.picklist([
			'keyVault',
			'storage',
			'sql',
			'arm',
			'imds',
			'appService',
			'arc',
			'entra'
		]),
		operation: str,
		target: str,
		status: num,
		principalId: v.nullable(str),
		authMethod: v.picklist(['bearer', 'sharedKey', 'none']),
		source: str,
		errorCode: v.nullable(str)
	}),
	object({ ...eventBase, kind: v.literal('clock'), from: num, to: num })
]);

/** The shape of a saved world (valibot); restore also checks the world's rules (invariants.ts). */
export const worldSchema = object({
	version: v.literal(WORLD_VERSION),
	seed: str,
	idCounter: count,
	// The clock stays within years 1970 to 9999, the range ISO 8601 times (and the lab's messages) can show.
	now: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LATEST_TIME)),
	settings: object({
		propagationDelaySeconds: duration,
		tokenLifetimeSeconds: v.pipe(duration, v.minValue(60)),
		principalReplicationDelaySeconds: v.optional(duration),
		imdsThrottle: v.optional(v.boolean())
	}),
	tenant: object({ tenantId: str, displayName: str, defaultDomain: str }),
	managementGroups: record(
		object({ id: str, name: str, displayName: str, parentId: v.nullable(str) })
	),
	subscriptions: record(
		object({
			id: str,
			subscriptionId: str,
			displayName: str,
			tenantId: str,
			managementGroupId: str
		})
	),
	resourceGroups: record(
		object({ id: str, name: str, subscriptionId: str, location: str, tags: stringMap })
	),
	resources: record(resource),
	outsideMachines: record(
		object({
			name: str,
			hostname: str,
			description: str,
			files: stringMap,
			arc: v.optional(
				object({
					resourceId: str,
					subscriptionId: str,
					resourceGroup: str,
					location: str,
					identity: object({ principalId: str, clientId: str, tenantId: str }),
					connectedAt: num,
					secretFiles: stringMap
				})
			),
			pod: v.optional(
				object({
					cluster: str,
					namespace: str,
					serviceAccount: str,
					useWorkloadIdentity: v.boolean()
				})
			)
		})
	),
	kubernetesClusters: v.optional(
		record(
			object({
				name: str,
				id: str,
				subscriptionId: str,
				resourceGroup: str,
				location: str,
				oidcIssuerUrl: str,
				issuerKeys: v.array(signingKey),
				serviceAccounts: record(object({ namespace: str, name: str, annotations: stringMap })),
				createdAt: num
			})
		)
	),
	directory: object({
		users: record(object({ id: str, userPrincipalName: str, displayName: str })),
		applications: record(
			object({
				id: str,
				appId: str,
				displayName: str,
				signInAudience: v.picklist(['AzureADMyOrg', 'AzureADMultipleOrgs']),
				publisherTenantId: str,
				credentials: v.array(
					object({
						kind: v.picklist(['certificate', 'secret']),
						displayName: str,
						endDateTime: num
					})
				)
			})
		),
		servicePrincipals: record(
			object({
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
		object({
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
	signingKeys: v.array(signingKey),
	tokenCache: record(
		object({
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

/**
 * A large record's JSON: one `JSON.stringify` when no entry holds a character outside ASCII (the index says so
 * without a look at every entry), else entry by entry, escaping only the entries that do. The index only
 * decides what is escaped: were it ever out of date, a character could go unescaped, but the JSON would hold
 * the same data.
 */
function largeRecordJson(record: Record<string, unknown>): string {
	let marked = builtIndex(record, nonAsciiEntries);
	if (marked === undefined) {
		// Not known yet (a restored world): writing the record while looking tells whether the index is empty.
		const { text, ascii } = stringifyNoting(record);
		if (ascii && text !== undefined) {
			keepIndex(record, nonAsciiEntries, []);
			return text;
		}
		marked = indexOf(record, nonAsciiEntries);
	}
	if (marked.length === 0) return JSON.stringify(record);
	const escape = new Set(marked);
	return objectJson(record, (entry, key) =>
		escape.has(key) ? asciiJsonOf(entry) : JSON.stringify(entry)
	);
}

/**
 * The world as JSON text (pretty when asked), all ASCII: characters outside ASCII are written as `\uXXXX`
 * escapes (see ascii-json.ts for why). Private keys are never part of a world.
 */
export function snapshotWorld(world: World, options: { pretty?: boolean } = {}): string {
	if (options.pretty) return prettyAsciiJson(world);
	return objectJson(world as unknown as Record<string, unknown>, (section, key) => {
		if (key === 'resources' || key === 'roleAssignments' || key === 'tokenCache')
			return largeRecordJson(section as Record<string, unknown>);
		if (key === 'directory')
			return objectJson(section as Record<string, unknown>, (part, name) =>
				name === 'servicePrincipals'
					? largeRecordJson(part as Record<string, unknown>)
					: asciiJsonOf(part)
			);
		return asciiJsonOf(section);
	});
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
