/** Creating and deleting resource groups and resources, as ARM does. */
import type {
	IdentityHost,
	KeyVault,
	Resource,
	ResourceIdentity,
	SqlDatabase,
	SqlServer,
	StorageAccount,
	UserAssignedIdentityResource,
	VirtualMachine,
	VirtualMachineScaleSet,
	WebSite
} from '../model.ts';
import { RESOURCE_TYPES, type World } from '../model.ts';
import type { OperationError } from '../errors.ts';
import { opError } from '../errors.ts';
import type { OperationContext, WorldDraft } from './context.ts';
import { checkName, idKey, kindLabel, resourceGroupId, resourceId } from '../naming.ts';
import { isIdentityHost, ownEntry } from '../queries.ts';
import { indexOf, recordGet } from '../store/record.ts';
import {
	assignmentsUnderResource,
	databasesByServer,
	groupsByName,
	hostsByUserIdentity,
	lookup,
	resourcesByName
} from '../store/indexes.ts';
import { createIdentityPrincipal, deleteIdentityPrincipal } from './principals.ts';
import { attachUserIdentity, enableSystem } from './identities.ts';
import { blobNameProblem, containerNameProblem, secretNameProblem } from './data.ts';
import {
	isPlainObject,
	optionalTextProblem,
	reservedKeyProblem,
	stringMapProblem
} from './validate.ts';
import { seededEtag, seededOpaque } from '../../ids.ts';
import { own } from '../../own.ts';

/** Fields every create operation accepts. */
export interface CreateCommon {
	resourceGroup: string;
	name: string;
	location?: string;
	tags?: Record<string, string>;
}

/** Identity wanted at creation time (like `az vm create --assign-identity`). */
export interface IdentityAtCreate {
	systemAssigned?: boolean;
	/** ARM ids of user-assigned identities to attach. */
	userAssigned?: string[];
}

type Draftable = WorldDraft;

function resolveGroup(
	base: World,
	name: unknown
): { subscriptionId: string; name: string; location: string } | OperationError {
	if (typeof name !== 'string' || !name) {
		return opError('InvalidInput', 'Name the resource group (for example rg-stock).');
	}
	const keys = lookup(indexOf(base.resourceGroups, groupsByName), name.toLowerCase());
	// The same name in two subscriptions: the first in the record, as before the index.
	const group =
		keys.length === 1
			? recordGet(base.resourceGroups, keys[0] ?? '')
			: Object.values(base.resourceGroups).find((g) => g.name.toLowerCase() === name.toLowerCase());
	if (!group) {
		return opError(
			'ResourceGroupNotFound',
			`Resource group '${name}' could not be found. Create it first, or use one of: ${
				Object.values(base.resourceGroups)
					.map((g) => g.name)
					.join(', ') || '(none)'
			}.`
		);
	}
	return { subscriptionId: group.subscriptionId, name: group.name, location: group.location };
}

/** The resources of the world before the operation whose name is `name` in any casing (an index lookup). */
function namedResources(ctx: OperationContext, name: string): Resource[] {
	const resources = ctx.base.resources;
	const out: Resource[] = [];
	for (const key of lookup(indexOf(resources, resourcesByName), name.toLowerCase())) {
		const r = recordGet(resources, key);
		if (r !== undefined) out.push(r);
	}
	return out;
}

function isError(value: unknown): value is OperationError {
	return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

/** Validates the common fields and returns the ARM id and the base of the new resource. */
function prepare(
	draft: Draftable,
	ctx: OperationContext,
	kind: Resource['kind'],
	input: CreateCommon,
	parentName?: string
): OperationError | (Omit<Resource, 'kind'> & { key: string }) {
	if (typeof input !== 'object' || input === null)
		return opError('InvalidInput', 'The operation needs its parameters.');
	const nameProblem = checkName(kind, input.name);
	if (nameProblem) return opError('InvalidName', nameProblem);
	const group = resolveGroup(ctx.base, input.resourceGroup);
	if (isError(group)) return group;
	if (
		input.location !== undefined &&
		(typeof input.location !== 'string' || !/^[a-z0-9]+$/.test(input.location))
	) {
		return opError(
			'InvalidInput',
			`'${String(input.location)}' is not a location name; use a name such as westeurope.`
		);
	}
	const tagsProblem = stringMapProblem(input.tags, 'tags');
	if (tagsProblem) return tagsProblem;
	const id = resourceId(group.subscriptionId, group.name, kind, input.name, parentName);
	const key = idKey(id);
	const existing = recordGet(ctx.base.resources, key);
	if (existing) {
		return opError(
			'ResourceExists',
			`A ${kindLabel(existing.kind)} named '${input.name}' already exists in resource group '${group.name}'. Pick another name or delete it first.`
		);
	}
	return {
		key,
		id,
		name: input.name,
		subscriptionId: group.subscriptionId,
		resourceGroup: group.name,
		location: input.location ?? group.location,
		tags: { ...(input.tags ?? {}) },
		createdAt: draft.now
	};
}

function emitWrite(ctx: OperationContext, resource: Resource, summary: string): void {
	ctx.emit({
		kind: 'activity',
		operationName: `${RESOURCE_TYPES[resource.kind]}/write`,
		resourceId: resource.id,
		caller: ctx.caller,
		status: 'Succeeded',
		summary
	});
}

function emptyIdentity(): ResourceIdentity {
	return { systemAssigned: null, userAssigned: [] };
}

/** Adds the identities asked for at creation time; refuses when a user-assigned id is unknown. */
function applyCreateIdentity(
	draft: Draftable,
	ctx: OperationContext,
	host: IdentityHost,
	identity: IdentityAtCreate | undefined
): OperationError | null {
	if (identity === undefined) return null;
	if (
		!isPlainObject(identity) ||
		(identity.systemAssigned !== undefined && typeof identity.systemAssigned !== 'boolean') ||
		(identity.userAssigned !== undefined && !Array.isArray(identity.userAssigned))
	) {
		return opError(
			'InvalidInput',
			'identity must look like { systemAssigned: true, userAssigned: [<identity resource id>, …] }.'
		);
	}
	for (const uid of identity.userAssigned ?? []) {
		const problem = attachUserIdentity(draft, ctx, host, uid);
		if (problem) return problem;
	}
	if (identity.systemAssigned) enableSystem(draft, ctx, host);
	return null;
}

/** Derived from the id counter, so that it is deterministic per world. */
function privateIp(draft: Draftable): string {
	return `10.0.${Math.floor(draft.idCounter / 250) % 250}.${4 + (draft.idCounter % 250)}`;
}

/** Creates a virtual machine. */
export function createVirtualMachine(
	draft: Draftable,
	ctx: OperationContext,
	input: CreateCommon & {
		vmSize?: string;
		osType?: 'Linux' | 'Windows';
		identity?: IdentityAtCreate;
		files?: Record<string, string>;
	}
): OperationError | void {
	const base = prepare(draft, ctx, 'virtualMachine', input);
	if (isError(base)) return base;
	const problem =
		optionalTextProblem(input.vmSize, 'vmSize', 'Standard_B2s') ??
		(input.osType !== undefined && input.osType !== 'Linux' && input.osType !== 'Windows'
			? opError('InvalidInput', `osType is 'Linux' or 'Windows', not '${String(input.osType)}'.`)
			: null) ??
		stringMapProblem(input.files, 'files');
	if (problem) return problem;
	const { key, ...rest } = base;
	const vm: VirtualMachine = {
		...rest,
		kind: 'virtualMachine',
		vmId: ctx.guid(),
		vmSize: input.vmSize ?? 'Standard_B2s',
		osType: input.osType ?? 'Linux',
		privateIp: privateIp(draft),
		identity: emptyIdentity(),
		files: { ...(input.files ?? {}) }
	};
	draft.resources[key] = vm;
	emitWrite(ctx, vm, `Created virtual machine '${vm.name}' in ${vm.resourceGroup}.`);
	return applyCreateIdentity(draft, ctx, draft.resources[key], input.identity) ?? undefined;
}

/** Creates a scale set with `capacity` instances. */
export function createScaleSet(
	draft: Draftable,
	ctx: OperationContext,
	input: CreateCommon & { capacity?: number; vmSize?: string; identity?: IdentityAtCreate }
): OperationError | void {
	const capacity = input.capacity ?? 2;
	if (!Number.isInteger(capacity) || capacity < 0 || capacity > 1000) {
		return opError(
			'InvalidCapacity',
			`A scale set holds 0 to 1000 instances; '${String(input.capacity)}' is not allowed.`
		);
	}
	const base = prepare(draft, ctx, 'virtualMachineScaleSet', input);
	if (isError(base)) return base;
	const sizeProblem = optionalTextProblem(input.vmSize, 'vmSize', 'Standard_B2s');
	if (sizeProblem) return sizeProblem;
	const { key, ...rest } = base;
	const vmss: VirtualMachineScaleSet = {
		...rest,
		kind: 'virtualMachineScaleSet',
		vmSize: input.vmSize ?? 'Standard_B2s',
		instances: [],
		nextInstanceId: 0,
		identity: emptyIdentity(),
		files: {}
	};
	draft.resources[key] = vmss;
	addInstances(draft, ctx, draft.resources[key], capacity);
	emitWrite(ctx, vmss, `Created scale set '${vmss.name}' with ${capacity} instance(s).`);
	return applyCreateIdentity(draft, ctx, draft.resources[key], input.identity) ?? undefined;
}

function addInstances(
	draft: Draftable,
	ctx: OperationContext,
	vmss: VirtualMachineScaleSet,
	count: number
): void {
	for (let i = 0; i < count; i++) {
		const instanceId = String(vmss.nextInstanceId++);
		vmss.instances.push({
			instanceId,
			name: `${vmss.name}_${instanceId}`,
			vmId: ctx.guid(),
			privateIp: privateIp(draft)
		});
	}
}

/** Changes the number of instances of a scale set (new instances share its identities). */
export function scaleScaleSet(
	draft: Draftable,
	ctx: OperationContext,
	input: { resourceId: string; capacity: number }
): OperationError | void {
	const vmss = ownEntry(draft.resources, idKey(String(input?.resourceId ?? '')));
	if (!vmss || vmss.kind !== 'virtualMachineScaleSet') {
		return opError(
			'ResourceNotFound',
			`No scale set has the id '${String(input?.resourceId)}'. List scale sets with az vmss list.`
		);
	}
	const capacity = input.capacity;
	if (!Number.isInteger(capacity) || capacity < 0 || capacity > 1000) {
		return opError(
			'InvalidCapacity',
			`A scale set holds 0 to 1000 instances; '${String(capacity)}' is not allowed.`
		);
	}
	const before = vmss.instances.length;
	if (capacity > before) addInstances(draft, ctx, vmss, capacity - before);
	else vmss.instances.splice(capacity);
	emitWrite(ctx, vmss, `Scaled '${vmss.name}' from ${before} to ${capacity} instance(s).`);
}

/** Creates an App Service web app or a Function app. */
export function createWebSite(
	draft: Draftable,
	ctx: OperationContext,
	input: CreateCommon & {
		kind: 'webApp' | 'functionApp';
		appSettings?: Record<string, string>;
		identity?: IdentityAtCreate;
		/** Linux unless the world says otherwise. */
		osType?: 'Linux' | 'Windows';
	}
): OperationError | void {
	if (input?.kind !== 'webApp' && input?.kind !== 'functionApp') {
		return opError('InvalidInput', "Say whether the site is a 'webApp' or a 'functionApp'.");
	}
	if (input.osType !== undefined && input.osType !== 'Linux' && input.osType !== 'Windows') {
		return opError(
			'InvalidInput',
			`osType is 'Linux' or 'Windows', not '${String(input.osType)}'.`
		);
	}
	const base = prepare(draft, ctx, input.kind, input);
	if (isError(base)) return base;
	const settingsProblem = stringMapProblem(input.appSettings, 'appSettings');
	if (settingsProblem) return settingsProblem;
	if (
		namedResources(ctx, input.name).some(
			(r) =>
				(r.kind === 'webApp' || r.kind === 'functionApp') &&
				r.name.toLowerCase() === input.name.toLowerCase()
		)
	) {
		return opError(
			'NameNotAvailable',
			`The site name '${input.name}' is already taken (site names are global in azurewebsites.net).`
		);
	}
	const { key, ...rest } = base;
	const site: WebSite = {
		...rest,
		kind: input.kind,
		defaultHostName: `${input.name.toLowerCase()}.azurewebsites.net`,
		appSettings: { ...(input.appSettings ?? {}) },
		identityHeader: ctx.guid(),
		identity: emptyIdentity(),
		files: {},
		osType: input.osType ?? 'Linux'
	};
	draft.resources[key] = site;
	emitWrite(ctx, site, `Created ${kindLabel(site.kind)} '${site.name}'.`);
	return applyCreateIdentity(draft, ctx, draft.resources[key], input.identity) ?? undefined;
}

/** Creates a storage account (names are global: unique across all of Azure). */
export function createStorageAccount(
	draft: Draftable,
	ctx: OperationContext,
	input: CreateCommon & { containers?: Record<string, Record<string, string>> }
): OperationError | void {
	const base = prepare(draft, ctx, 'storageAccount', input);
	if (isError(base)) return base;
	const containersProblem = initialContainersProblem(input.containers);
	if (containersProblem) return containersProblem;
	if (
		namedResources(ctx, input.name).some(
			(r) => r.kind === 'storageAccount' && r.name === input.name
		)
	) {
		return opError(
			'NameNotAvailable',
			`The storage account name '${input.name}' is already taken. Storage account names are unique across Azure.`
		);
	}
	const { key, ...rest } = base;
	const account: StorageAccount = {
		...rest,
		kind: 'storageAccount',
		keys: {
			key1: `${seededOpaque(draft.seed, `${key}:key1`, 86)}==`,
			key2: `${seededOpaque(draft.seed, `${key}:key2`, 86)}==`
		},
		containers: {}
	};
	for (const [container, blobs] of Object.entries(input.containers ?? {})) {
		account.containers[container] = { createdAt: draft.now, blobs: {} };
		for (const [blob, content] of Object.entries(blobs)) {
			account.containers[container].blobs[blob] = {
				content,
				contentType: blob.endsWith('.csv') ? 'text/csv' : 'application/octet-stream',
				lastModified: draft.now,
				etag: seededEtag(draft.seed, `${key}/${container}/${blob}`)
			};
		}
	}
	draft.resources[key] = account;
	emitWrite(ctx, account, `Created storage account '${account.name}'.`);
}

/** Null when the containers given at creation are `{ container: { blob: text } }` with valid names. */
function initialContainersProblem(containers: unknown): OperationError | null {
	if (containers === undefined) return null;
	if (!isPlainObject(containers)) {
		return opError(
			'InvalidInput',
			'containers must look like { "quotes": { "today.csv": "<content>" } }.'
		);
	}
	for (const [container, blobs] of Object.entries(containers)) {
		const problem = containerNameProblem(container);
		if (problem) return problem;
		if (!isPlainObject(blobs)) {
			return opError(
				'InvalidInput',
				`containers.${container} must map blob names to their content (text).`
			);
		}
		for (const [blob, content] of Object.entries(blobs)) {
			const blobProblem = blobNameProblem(blob);
			if (blobProblem) return blobProblem;
			if (typeof content !== 'string') {
				return opError(
					'InvalidInput',
					`The content of blob '${blob}' in '${container}' must be text.`
				);
			}
		}
	}
	return null;
}

/** Creates a key vault using the Azure RBAC permission model. */
export function createKeyVault(
	draft: Draftable,
	ctx: OperationContext,
	input: CreateCommon & { secrets?: Record<string, string> }
): OperationError | void {
	const base = prepare(draft, ctx, 'keyVault', input);
	if (isError(base)) return base;
	const secretsProblem =
		stringMapProblem(input.secrets, 'secrets') ??
		Object.keys(input.secrets ?? {}).reduce<OperationError | null>(
			(found, name) => found ?? secretNameProblem(name),
			null
		);
	if (secretsProblem) return secretsProblem;
	if (
		namedResources(ctx, input.name).some(
			(r) => r.kind === 'keyVault' && r.name.toLowerCase() === input.name.toLowerCase()
		)
	) {
		return opError(
			'NameNotAvailable',
			`The vault name '${input.name}' is already in use. Vault names are unique across Azure.`
		);
	}
	const { key, ...rest } = base;
	const vault: KeyVault = {
		...rest,
		kind: 'keyVault',
		vaultUri: `https://${input.name.toLowerCase()}.vault.azure.net/`,
		enableRbacAuthorization: true,
		secrets: {}
	};
	for (const [name, value] of Object.entries(input.secrets ?? {})) {
		vault.secrets[name] = {
			versions: [{ version: ctx.guid().replace(/-/g, ''), value, created: draft.now }]
		};
	}
	draft.resources[key] = vault;
	emitWrite(ctx, vault, `Created key vault '${vault.name}' (permission model: Azure RBAC).`);
}

/** Creates a logical SQL server. */
export function createSqlServer(
	draft: Draftable,
	ctx: OperationContext,
	input: CreateCommon
): OperationError | void {
	const base = prepare(draft, ctx, 'sqlServer', input);
	if (isError(base)) return base;
	if (
		namedResources(ctx, input.name).some((r) => r.kind === 'sqlServer' && r.name === input.name)
	) {
		return opError(
			'NameNotAvailable',
			`The server name '${input.name}' is already in use: ${input.name}.database.windows.net must be unique across Azure.`
		);
	}
	const { key, ...rest } = base;
	const server: SqlServer = {
		...rest,
		kind: 'sqlServer',
		fullyQualifiedDomainName: `${input.name}.database.windows.net`,
		adAdmin: null
	};
	draft.resources[key] = server;
	emitWrite(ctx, server, `Created SQL server '${server.name}'.`);
}

/** Creates a database on an existing SQL server. */
export function createSqlDatabase(
	draft: Draftable,
	ctx: OperationContext,
	input: CreateCommon & { serverName: string; tables?: SqlDatabase['tables'] }
): OperationError | void {
	const group = resolveGroup(ctx.base, input?.resourceGroup);
	if (isError(group)) return group;
	const serverKey = idKey(
		resourceId(group.subscriptionId, group.name, 'sqlServer', String(input.serverName))
	);
	const server = own(draft.resources, serverKey);
	if (!server || server.kind !== 'sqlServer') {
		return opError(
			'ResourceNotFound',
			`SQL server '${String(input.serverName)}' was not found in '${group.name}'. Create the server first.`
		);
	}
	const base = prepare(draft, ctx, 'sqlDatabase', input, server.name);
	if (isError(base)) return base;
	const tablesProblem = tablesInputProblem(input.tables);
	if (tablesProblem) return tablesProblem;
	const { key, ...rest } = base;
	const db: SqlDatabase = {
		...rest,
		kind: 'sqlDatabase',
		serverName: server.name,
		users: {},
		tables: structuredClone(input.tables ?? {})
	};
	draft.resources[key] = db;
	emitWrite(ctx, db, `Created database '${db.name}' on SQL server '${server.name}'.`);
}

function isTextList(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Null when the tables of a new database are `{ name: { columns: [text], rows: [[text]] } }`. */
function tablesInputProblem(tables: unknown): OperationError | null {
	if (tables === undefined) return null;
	if (!isPlainObject(tables)) {
		return opError(
			'InvalidInput',
			'tables must look like { "Quotes": { "columns": ["Symbol"], "rows": [["CTSO"]] } }.'
		);
	}
	for (const [name, table] of Object.entries(tables)) {
		const reserved = reservedKeyProblem(name, 'a table name');
		if (reserved) return reserved;
		if (
			!isPlainObject(table) ||
			!isTextList(table.columns) ||
			!Array.isArray(table.rows) ||
			!table.rows.every(isTextList)
		) {
			return opError(
				'InvalidInput',
				`Table '${name}' needs columns (a list of text) and rows (lists of text).`
			);
		}
	}
	return null;
}

/** Creates a user-assigned managed identity: an ARM resource plus its service principal. */
export function createUserIdentity(
	draft: Draftable,
	ctx: OperationContext,
	input: CreateCommon
): OperationError | void {
	const base = prepare(draft, ctx, 'userAssignedIdentity', input);
	if (isError(base)) return base;
	const { key, ...rest } = base;
	const sp = createIdentityPrincipal(draft, ctx, {
		displayName: input.name,
		resourceId: rest.id,
		explicit: true
	});
	const identity: UserAssignedIdentityResource = {
		...rest,
		kind: 'userAssignedIdentity',
		clientId: sp.appId,
		principalId: sp.id,
		tenantId: draft.tenant.tenantId
	};
	draft.resources[key] = identity;
	emitWrite(
		ctx,
		identity,
		`Created user-assigned identity '${identity.name}' (client id ${identity.clientId}).`
	);
}

/**
 * Deletes a resource. Its system-assigned identity goes with it; user-assigned identities it used live on.
 * Role assignments scoped to the resource are deleted with it (they are its extension resources);
 * assignments elsewhere that named its identity stay behind as "Identity not found".
 */
export function deleteResource(
	draft: Draftable,
	ctx: OperationContext,
	input: { resourceId: string }
): OperationError | void {
	const key = idKey(String(input?.resourceId ?? ''));
	const resource = ownEntry(draft.resources, key);
	if (!resource) {
		return opError(
			'ResourceNotFound',
			`No resource has the id '${String(input?.resourceId)}'. Check the name with az resource list.`
		);
	}
	const doomed: Resource[] = [resource];
	if (resource.kind === 'sqlServer') {
		for (const k of lookup(indexOf(ctx.base.resources, databasesByServer), key)) {
			const db = draft.resources[k];
			if (db) doomed.push(db);
		}
	}
	for (const r of doomed) {
		if (isIdentityHost(r) && r.identity.systemAssigned) {
			deleteIdentityPrincipal(
				draft,
				ctx,
				r.identity.systemAssigned.principalId,
				`because its resource '${r.name}' was deleted`
			);
		}
		if (r.kind === 'userAssignedIdentity') {
			const users = lookup(indexOf(ctx.base.resources, hostsByUserIdentity), idKey(r.id));
			for (const k of users) {
				const host = draft.resources[k];
				if (host && isIdentityHost(host)) {
					const before = host.identity.userAssigned.length;
					host.identity.userAssigned = host.identity.userAssigned.filter(
						(u) => idKey(u) !== idKey(r.id)
					);
					if (host.identity.userAssigned.length !== before) {
						emitWrite(ctx, host, `Detached deleted identity '${r.name}' from '${host.name}'.`);
					}
				}
			}
			deleteIdentityPrincipal(
				draft,
				ctx,
				r.principalId,
				`because the user-assigned identity '${r.name}' was deleted`
			);
		}
		const rKey = idKey(r.id);
		for (const name of lookup(indexOf(ctx.base.roleAssignments, assignmentsUnderResource), rKey)) {
			delete draft.roleAssignments[name];
		}
		delete draft.resources[rKey];
		ctx.emit({
			kind: 'activity',
			operationName: `${RESOURCE_TYPES[r.kind]}/delete`,
			resourceId: r.id,
			caller: ctx.caller,
			status: 'Succeeded',
			summary: `Deleted ${kindLabel(r.kind)} '${r.name}'.`
		});
	}
}

/** Creates a resource group in the world's subscription. */
export function createResourceGroup(
	draft: Draftable,
	ctx: OperationContext,
	input: { name: string; location: string; subscriptionId?: string }
): OperationError | void {
	const nameProblem = checkName('resourceGroup', input?.name);
	if (nameProblem) return opError('InvalidName', nameProblem);
	if (typeof input.location !== 'string' || !/^[a-z0-9]+$/.test(input.location)) {
		return opError('InvalidInput', 'Give the resource group a location such as westeurope.');
	}
	const subscription =
		input.subscriptionId === undefined
			? Object.values(draft.subscriptions)[0]
			: Object.values(draft.subscriptions).find(
					(s) => s.subscriptionId.toLowerCase() === String(input.subscriptionId).toLowerCase()
				);
	if (!subscription)
		return opError(
			'InvalidInput',
			`Subscription '${String(input.subscriptionId)}' does not exist.`
		);
	const id = resourceGroupId(subscription.subscriptionId, input.name);
	if (own(draft.resourceGroups, idKey(id))) {
		return opError('ResourceGroupExists', `Resource group '${input.name}' already exists.`);
	}
	draft.resourceGroups[idKey(id)] = {
		id,
		name: input.name,
		subscriptionId: subscription.subscriptionId,
		location: input.location,
		tags: {}
	};
	ctx.emit({
		kind: 'activity',
		operationName: 'Microsoft.Resources/subscriptions/resourceGroups/write',
		resourceId: id,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `Created resource group '${input.name}' in ${input.location}.`
	});
}
