/** ARM ids and Azure's naming rules. */
import type { ResourceKind } from './model.ts';
import { RESOURCE_TYPES } from './model.ts';

/** `/subscriptions/{sub}`. */
export function subscriptionScope(subscriptionId: string): string {
	return `/subscriptions/${subscriptionId}`;
}

/** `/subscriptions/{sub}/resourceGroups/{rg}`. */
export function resourceGroupId(subscriptionId: string, resourceGroup: string): string {
	return `${subscriptionScope(subscriptionId)}/resourceGroups/${resourceGroup}`;
}

/** The ARM id of a resource, formed as ARM forms it. SQL databases are children of their server. */
export function resourceId(
	subscriptionId: string,
	resourceGroup: string,
	kind: ResourceKind,
	name: string,
	parentName?: string
): string {
	const base = resourceGroupId(subscriptionId, resourceGroup);
	if (kind === 'sqlDatabase') {
		return `${base}/providers/Microsoft.Sql/servers/${parentName ?? ''}/databases/${name}`;
	}
	return `${base}/providers/${RESOURCE_TYPES[kind]}/${name}`;
}

/** The comparison key of an ARM id or scope: ARM ids are case-insensitive. */
export function idKey(id: string): string {
	const trimmed = id.trim();
	// Most ids have no trailing slash: skip the regular expression for them.
	const slashed = trimmed.length > 1 && trimmed.charCodeAt(trimmed.length - 1) === 47;
	return (slashed ? trimmed.replace(/\/+$/, '') : trimmed).toLowerCase();
}

interface NameRule {
	pattern: RegExp;
	min: number;
	max: number;
	rule: string;
}

const NAME_RULES: Record<ResourceKind | 'resourceGroup', NameRule> = {
	resourceGroup: {
		pattern: /^[-\w._()]+$/,
		min: 1,
		max: 90,
		rule: 'letters, digits, hyphens, underscores, periods and parentheses, not ending in a period'
	},
	virtualMachine: {
		pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]*$/,
		min: 1,
		max: 64,
		rule: 'letters, digits and hyphens, starting with a letter or digit'
	},
	virtualMachineScaleSet: {
		pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]*$/,
		min: 1,
		max: 64,
		rule: 'letters, digits and hyphens, starting with a letter or digit'
	},
	webApp: {
		pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$/,
		min: 2,
		max: 60,
		rule: 'letters, digits and hyphens, not starting or ending with a hyphen'
	},
	functionApp: {
		pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$/,
		min: 2,
		max: 60,
		rule: 'letters, digits and hyphens, not starting or ending with a hyphen'
	},
	storageAccount: {
		pattern: /^[a-z0-9]+$/,
		min: 3,
		max: 24,
		rule: 'lower-case letters and digits only'
	},
	keyVault: {
		pattern: /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/,
		min: 3,
		max: 24,
		rule: 'letters, digits and hyphens, starting with a letter, not ending with a hyphen'
	},
	sqlServer: {
		pattern: /^[a-z0-9][a-z0-9-]*[a-z0-9]$/,
		min: 1,
		max: 63,
		rule: 'lower-case letters, digits and hyphens, not starting or ending with a hyphen'
	},
	sqlDatabase: {
		pattern: /^[^<>*%&:\\/?]+$/,
		min: 1,
		max: 128,
		rule: 'no <>*%&:\\/? characters'
	},
	userAssignedIdentity: {
		pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
		min: 3,
		max: 128,
		rule: 'letters, digits, hyphens and underscores, starting with a letter or digit'
	}
};

const KIND_LABEL: Record<ResourceKind | 'resourceGroup', string> = {
	resourceGroup: 'resource group',
	virtualMachine: 'virtual machine',
	virtualMachineScaleSet: 'scale set',
	webApp: 'web app',
	functionApp: 'function app',
	storageAccount: 'storage account',
	keyVault: 'key vault',
	sqlServer: 'SQL server',
	sqlDatabase: 'SQL database',
	userAssignedIdentity: 'user-assigned identity'
};

/** A learner-facing label for a resource kind ("key vault", "web app"). */
export function kindLabel(kind: ResourceKind | 'resourceGroup'): string {
	return KIND_LABEL[kind];
}

/** Null when `name` is valid for the kind, else a message that says what is wrong. */
export function checkName(kind: ResourceKind | 'resourceGroup', name: unknown): string | null {
	const rule = NAME_RULES[kind];
	const label = KIND_LABEL[kind];
	if (typeof name !== 'string' || name.length === 0) return `A ${label} needs a name.`;
	if (name.length < rule.min || name.length > rule.max) {
		return `The ${label} name '${name}' has ${name.length} characters; it must have ${rule.min} to ${rule.max}.`;
	}
	if (!rule.pattern.test(name) || (kind === 'resourceGroup' && name.endsWith('.'))) {
		return `The ${label} name '${name}' is not valid: use ${rule.rule}.`;
	}
	return null;
}
