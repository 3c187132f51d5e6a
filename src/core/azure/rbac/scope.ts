/**
 * ARM scope strings: `/`, `/providers/Microsoft.Management/managementGroups/{mg}`, `/subscriptions/{sub}`,
 * `/subscriptions/{sub}/resourceGroups/{rg}`, `…/providers/{namespace}/{type}/{name}` and deeper child scopes such
 * as a blob container or a secret. Pure helpers; every comparison is case-insensitive, as ARM's is.
 */
import type { ManagementGroup, Subscription, World } from '../model.ts';
import { own } from '../../own.ts';

/** Where a scope sits in the hierarchy management group ⊃ subscription ⊃ resource group ⊃ resource ⊃ child. */
export type ScopeLevel =
	'root' | 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource' | 'child';

/** What the scope helpers need to know to climb above a subscription: which management group holds it. */
export type ScopeHierarchy = Pick<World, 'subscriptions' | 'managementGroups'>;

/** The parts of a resource (or child resource) id, with the casing of the input. */
export interface ResourceIdParts {
	subscriptionId: string;
	resourceGroup: string;
	/** Resource provider namespace, e.g. `Microsoft.Storage`. */
	provider: string;
	/** Types from the top-level resource down, e.g. `['storageAccounts', 'blobServices', 'containers']`. */
	types: string[];
	/** Names matching `types`, e.g. `['ststockdata', 'default', 'reports']`. */
	names: string[];
}

interface ParsedScope {
	level: ScopeLevel;
	/** Trimmed, without a trailing slash, input casing. */
	text: string;
	managementGroup: string | null;
	subscriptionId: string | null;
	/** `/subscriptions/{sub}/resourceGroups/{rg}` with input casing, when under a resource group. */
	resourceGroupScope: string | null;
	resource: ResourceIdParts | null;
}

const MG_PREFIX = '/providers/Microsoft.Management/managementGroups/';
const MG_PREFIX_KEY = MG_PREFIX.toLowerCase();

/**
 * The comparison key of a scope: trimmed, without a trailing slash (except the root `/`), lower case. Two scopes
 * are the same scope exactly when their keys are equal.
 */
export function normalizeScope(scope: string): string {
	return trimScope(scope).toLowerCase();
}

function trimScope(scope: string): string {
	const trimmed = scope.trim();
	let end = trimmed.length;
	while (end > 1 && trimmed.charCodeAt(end - 1) === 47) end--;
	return end === trimmed.length ? trimmed : trimmed.slice(0, end);
}

function parseScope(scope: string): ParsedScope | null {
	const text = trimScope(scope);
	if (text.charCodeAt(0) !== 47) return null;
	if (text === '/') return parsed('root', text, null, null, null, null);
	const seg = text.split('/');
	const n = seg.length;
	for (let i = 1; i < n; i++) if (seg[i] === '') return null;
	const first = (seg[1] ?? '').toLowerCase();
	if (first === 'providers') {
		if (n !== 5 || (seg[2] ?? '').toLowerCase() !== 'microsoft.management') return null;
		if ((seg[3] ?? '').toLowerCase() !== 'managementgroups') return null;
		return parsed('managementGroup', text, seg[4] ?? null, null, null, null);
	}
	const sub = seg[2];
	if (first !== 'subscriptions' || sub === undefined) return null;
	if (n === 3) return parsed('subscription', text, null, sub, null, null);
	const rg = seg[4];
	if ((seg[3] ?? '').toLowerCase() !== 'resourcegroups' || rg === undefined) return null;
	const resourceGroupScope = n === 5 ? text : seg.slice(0, 5).join('/');
	if (n === 5) return parsed('resourceGroup', text, null, sub, resourceGroupScope, null);
	const provider = seg[6];
	if ((seg[5] ?? '').toLowerCase() !== 'providers' || provider === undefined) return null;
	const types: string[] = [];
	const names: string[] = [];
	for (let i = 7; i < n; i += 2) {
		const type = seg[i] ?? '';
		const name = seg[i + 1];
		if (name === undefined) return null;
		types.push(type);
		if (type.length === 5 && type.toLowerCase() === 'blobs') {
			// A blob name may contain slashes (`reports/2026/q1.csv`): it is the rest of the path.
			names.push(i + 2 < n ? seg.slice(i + 1).join('/') : name);
			break;
		}
		names.push(name);
	}
	if (types.length === 0) return null;
	const resource = { subscriptionId: sub, resourceGroup: rg, provider, types, names };
	const level = types.length === 1 ? 'resource' : 'child';
	return parsed(level, text, null, sub, resourceGroupScope, resource);
}

function parsed(
	level: ScopeLevel,
	text: string,
	managementGroup: string | null,
	subscriptionId: string | null,
	resourceGroupScope: string | null,
	resource: ResourceIdParts | null
): ParsedScope {
	return { level, text, managementGroup, subscriptionId, resourceGroupScope, resource };
}

/** The level of a scope, or undefined when the text is not an ARM scope this simulator understands. */
export function describeScopeLevel(scope: string): ScopeLevel | undefined {
	return parseScope(scope)?.level;
}

/**
 * The parts of a resource id or child resource id (`…/providers/{ns}/{type}/{name}[/{type}/{name}…]`), or
 * undefined for anything else (including subscription and resource group scopes).
 */
export function parseResourceId(id: string): ResourceIdParts | undefined {
	return parseScope(id)?.resource ?? undefined;
}

function resourceScope(rgScope: string, parts: ResourceIdParts, depth: number): string {
	let out = `${rgScope}/providers/${parts.provider}`;
	for (let i = 0; i < depth; i++) out += `/${parts.types[i] ?? ''}/${parts.names[i] ?? ''}`;
	return out;
}

/**
 * The top-level resource that holds a scope (the storage account of a blob, the vault of a secret, the resource
 * itself for a resource), or undefined when the scope is not inside a resource.
 */
export function topLevelResourceId(scope: string): string | undefined {
	const parsed = parseScope(scope);
	if (parsed === null || parsed.resource === null || parsed.resourceGroupScope === null) {
		return undefined;
	}
	return resourceScope(parsed.resourceGroupScope, parsed.resource, 1);
}

function findManagementGroup(h: ScopeHierarchy, ref: string): ManagementGroup | undefined {
	const scope = ref.startsWith('/') ? trimScope(ref) : `${MG_PREFIX}${ref}`;
	const key = scope.toLowerCase();
	const direct =
		own(h.managementGroups, key) ??
		own(h.managementGroups, ref) ??
		own(h.managementGroups, ref.toLowerCase());
	if (direct !== undefined) return direct;
	const name = key.slice(key.lastIndexOf('/') + 1);
	return Object.values(h.managementGroups).find(
		(mg) => normalizeScope(mg.id) === key || mg.name.toLowerCase() === name
	);
}

function findSubscription(h: ScopeHierarchy, subscriptionId: string): Subscription | undefined {
	const lower = subscriptionId.toLowerCase();
	return (
		own(h.subscriptions, `/subscriptions/${lower}`) ??
		own(h.subscriptions, lower) ??
		own(h.subscriptions, subscriptionId) ??
		Object.values(h.subscriptions).find((s) => s.subscriptionId.toLowerCase() === lower)
	);
}

/** The management-group scopes from `ref` (a name or an ARM id) up to the tenant root group, nearest first. */
function managementGroupChain(h: ScopeHierarchy | undefined, ref: string): string[] {
	const chain: string[] = [];
	const seen = new Set<string>();
	let next: string | null = ref;
	// Azure allows six levels below the root group; the bound also stops a malformed cycle.
	while (next !== null && chain.length < 10) {
		const mg: ManagementGroup | undefined =
			h === undefined ? undefined : findManagementGroup(h, next);
		const scope =
			mg !== undefined
				? trimScope(mg.id)
				: next.startsWith('/')
					? trimScope(next)
					: `${MG_PREFIX}${next}`;
		const key = scope.toLowerCase();
		if (seen.has(key)) break;
		seen.add(key);
		chain.push(scope);
		next = mg?.parentId ?? null;
	}
	return chain;
}

interface SubscriptionChain {
	/** Management-group scopes above the subscription, nearest first, with the world's casing. */
	scopes: string[];
	/** The same, as comparison keys. */
	keys: string[];
}

interface ChainCache {
	managementGroups: ScopeHierarchy['managementGroups'];
	bySubscription: Map<string, SubscriptionChain>;
}

const NO_PARENTS: SubscriptionChain = { scopes: [], keys: [] };
const chainCaches = new WeakMap<ScopeHierarchy['subscriptions'], ChainCache>();

/** Management-group scopes above a subscription, nearest first (memoized per world hierarchy). */
function subscriptionParents(
	h: ScopeHierarchy | undefined,
	subscriptionId: string
): SubscriptionChain {
	if (h === undefined) return NO_PARENTS;
	let cache = chainCaches.get(h.subscriptions);
	if (cache === undefined || cache.managementGroups !== h.managementGroups) {
		cache = { managementGroups: h.managementGroups, bySubscription: new Map() };
		chainCaches.set(h.subscriptions, cache);
	}
	const key = subscriptionId.toLowerCase();
	let chain = cache.bySubscription.get(key);
	if (chain === undefined) {
		const mgRef = findSubscription(h, subscriptionId)?.managementGroupId;
		const scopes = mgRef ? managementGroupChain(h, mgRef) : [];
		chain = { scopes, keys: scopes.map((m) => m.toLowerCase()) };
		cache.bySubscription.set(key, chain);
	}
	return chain;
}

/** Where the levels of a scope end, found by {@link shapeOf}. */
interface Shape {
	/** End offsets of the resource levels, top-level resource first (empty outside resources). */
	ends: number[];
	/** End of the resource group segment, or -1. */
	rgEnd: number;
	/** End of the subscription segment, or -1. */
	subEnd: number;
	subscriptionId: string | null;
	managementGroup: string | null;
}

/** The end of the segment starting at `from`: the next `/`, or the end of the text. */
function segmentEnd(text: string, from: number): number {
	const i = text.indexOf('/', from);
	return i < 0 ? text.length : i;
}

/**
 * Scans a trimmed scope other than `/` by offsets only (this runs on every authorization): the grammar of
 * `parseScope` without splitting into arrays. `lower` is `text` in lower case.
 */
function shapeOf(text: string, lower: string): Shape | null {
	if (text.charCodeAt(0) !== 47 || text.includes('//')) return null;
	const shape: Shape = {
		ends: [],
		rgEnd: -1,
		subEnd: -1,
		subscriptionId: null,
		managementGroup: null
	};
	if (lower.startsWith('/providers/')) {
		const name = text.slice(MG_PREFIX.length);
		if (!lower.startsWith(MG_PREFIX_KEY) || name === '' || name.includes('/')) return null;
		shape.managementGroup = name;
		return shape;
	}
	if (!lower.startsWith('/subscriptions/')) return null;
	shape.subEnd = segmentEnd(text, 15);
	shape.subscriptionId = text.slice(15, shape.subEnd);
	if (shape.subEnd === text.length) return shape;
	if (!lower.startsWith('/resourcegroups/', shape.subEnd)) return null;
	shape.rgEnd = segmentEnd(text, shape.subEnd + 16);
	if (shape.rgEnd === text.length) return shape;
	if (!lower.startsWith('/providers/', shape.rgEnd)) return null;
	let at = text.indexOf('/', shape.rgEnd + 11);
	if (at < 0) return null;
	while (at < text.length) {
		const typeEnd = text.indexOf('/', at + 1);
		if (typeEnd < 0) return null;
		// A blob name may contain slashes (`reports/2026/q1.csv`): it is the rest of the path.
		const isBlob = typeEnd - at === 6 && lower.startsWith('blobs', at + 1);
		at = isBlob ? text.length : segmentEnd(text, typeEnd + 1);
		shape.ends.push(at);
	}
	return shape;
}

/** Management-group keys that contain a scope of this shape, nearest first (the group itself for a group). */
function managementGroupsOver(shape: Shape, hierarchy: ScopeHierarchy | undefined): string[] {
	if (shape.subscriptionId !== null)
		return subscriptionParents(hierarchy, shape.subscriptionId).keys;
	if (shape.managementGroup !== null) {
		return managementGroupChain(hierarchy, shape.managementGroup).map((mg) => mg.toLowerCase());
	}
	return [];
}

function climb(
	text: string,
	lower: string,
	hierarchy: ScopeHierarchy | undefined,
	asKeys: boolean
): string[] {
	if (text === '/') return ['/'];
	const shape = shapeOf(text, lower);
	if (shape === null) return [];
	const out: string[] = [];
	for (let i = shape.ends.length - 1; i >= 0; i--) out.push(text.slice(0, shape.ends[i]));
	if (shape.rgEnd >= 0) out.push(text.slice(0, shape.rgEnd));
	if (shape.subEnd >= 0) out.push(text.slice(0, shape.subEnd));
	if (shape.subscriptionId !== null) {
		const parents = subscriptionParents(hierarchy, shape.subscriptionId);
		for (const mg of asKeys ? parents.keys : parents.scopes) out.push(mg);
	}
	if (shape.managementGroup !== null) {
		for (const mg of managementGroupChain(hierarchy, shape.managementGroup)) {
			out.push(asKeys ? mg.toLowerCase() : mg);
		}
	}
	out.push('/');
	return out;
}

/**
 * The scope itself and every scope above it, nearest first, ending with `/`: child → … → resource → resource
 * group → subscription → its management group(s) → `/`. Pass the world (or its `subscriptions` and
 * `managementGroups`) to include the management groups; without it a subscription's parent is `/`. Keeps the
 * input's casing; an unparseable scope has no ancestors (empty list).
 */
export function ancestorScopes(scope: string, hierarchy?: ScopeHierarchy): string[] {
	const text = trimScope(scope);
	return climb(text, text.toLowerCase(), hierarchy, false);
}

/** Like {@link ancestorScopes}, but each entry is the lower-case comparison key ({@link normalizeScope}). */
export function ancestorScopeKeys(scope: string, hierarchy?: ScopeHierarchy): string[] {
	const key = normalizeScope(scope);
	return climb(key, key, hierarchy, true);
}

/**
 * A scope's comparison key and where it sits, computed without building its ancestors: what an authorization
 * check needs to test "is assignment scope X at or above this scope" with string prefixes.
 */
export interface ScopeCoverage {
	/** {@link normalizeScope} of the scope. */
	key: string;
	/** Length of the key of the top-level resource holding the scope (the whole key outside resources). */
	ownerLength: number;
	/**
	 * True when an assignment scope key `k` is the scope itself or one of its ancestors. `k` must be a
	 * normalized, well-formed scope key, as stored assignment scopes are.
	 */
	covers(k: string): boolean;
	/** How near `k` is to the scope: higher is nearer. Only meaningful when `covers(k)`. */
	nearness(k: string): number;
	/** The same list as {@link ancestorScopeKeys}, from what is already known. */
	ancestorKeys(): string[];
}

class Coverage implements ScopeCoverage {
	readonly key: string;
	readonly ownerLength: number;
	private readonly shape: Shape | null;
	private readonly hierarchy: ScopeHierarchy | undefined;
	private groups: string[] | undefined;

	constructor(key: string, shape: Shape | null, hierarchy: ScopeHierarchy | undefined) {
		this.key = key;
		this.shape = shape;
		this.hierarchy = hierarchy;
		this.ownerLength = shape?.ends[0] ?? key.length;
	}

	private groupIndex(k: string): number {
		if (this.shape === null) return -1;
		this.groups ??= managementGroupsOver(this.shape, this.hierarchy);
		return this.groups.indexOf(k);
	}

	covers(k: string): boolean {
		const key = this.key;
		if (k === key || k === '/') return true;
		if (k.startsWith('/subscriptions/')) {
			return k.length < key.length && key.charCodeAt(k.length) === 47 && key.startsWith(k);
		}
		return k.startsWith('/providers/') && this.groupIndex(k) >= 0;
	}

	ancestorKeys(): string[] {
		const { key, shape } = this;
		if (shape === null) return ['/'];
		const out: string[] = [];
		for (let i = shape.ends.length - 1; i >= 0; i--) out.push(key.slice(0, shape.ends[i]));
		if (shape.rgEnd >= 0) out.push(key.slice(0, shape.rgEnd));
		if (shape.subEnd >= 0) out.push(key.slice(0, shape.subEnd));
		this.groups ??= managementGroupsOver(shape, this.hierarchy);
		for (const mg of this.groups) out.push(mg);
		out.push('/');
		return out;
	}

	nearness(k: string): number {
		if (k === this.key) return this.key.length + 1;
		if (k === '/') return -1_000_000;
		return k.startsWith('/subscriptions/') ? k.length : -1 - this.groupIndex(k);
	}
}

/**
 * The {@link ScopeCoverage} of a scope, or null when the text is not a scope. Management groups come from the
 * hierarchy, looked up only when an assignment at a management group is tested.
 */
export function scopeCoverage(scope: string, hierarchy?: ScopeHierarchy): ScopeCoverage | null {
	const key = normalizeScope(scope);
	if (key === '/') return new Coverage(key, null, hierarchy);
	const shape = shapeOf(key, key);
	return shape === null ? null : new Coverage(key, shape, hierarchy);
}

/**
 * The scope directly above `scope` (a subscription's management group when the hierarchy says so), or null for
 * the root `/` and for text that is not a scope.
 */
export function parentScope(scope: string, hierarchy?: ScopeHierarchy): string | null {
	return ancestorScopes(scope, hierarchy)[1] ?? null;
}

/**
 * True when `scope` is `ancestor` or lies below it, so that an assignment at `ancestor` applies to `scope`.
 * Management groups only contain subscriptions the hierarchy places under them.
 */
export function isWithinScope(
	scope: string,
	ancestor: string,
	hierarchy?: ScopeHierarchy
): boolean {
	const key = normalizeScope(ancestor);
	return ancestorScopeKeys(scope, hierarchy).includes(key);
}

const TYPE_LABELS: Record<string, string> = {
	'microsoft.storage/storageaccounts': 'storage account',
	'microsoft.storage/storageaccounts/blobservices': 'blob service',
	'microsoft.storage/storageaccounts/blobservices/containers': 'container',
	'microsoft.storage/storageaccounts/blobservices/containers/blobs': 'blob',
	'microsoft.keyvault/vaults': 'key vault',
	'microsoft.keyvault/vaults/secrets': 'secret',
	'microsoft.keyvault/vaults/keys': 'key',
	'microsoft.keyvault/vaults/certificates': 'certificate',
	'microsoft.compute/virtualmachines': 'virtual machine',
	'microsoft.compute/virtualmachinescalesets': 'scale set',
	'microsoft.web/sites': 'app',
	'microsoft.sql/servers': 'SQL server',
	'microsoft.sql/servers/databases': 'SQL database',
	'microsoft.managedidentity/userassignedidentities': 'user-assigned identity'
};

/** Labels for each level of a resource id, top-level first ("storage account", "container", …). */
function typeLabels(parts: ResourceIdParts): string[] {
	let full = parts.provider.toLowerCase();
	return parts.types.map((type) => {
		full += `/${type.toLowerCase()}`;
		return own(TYPE_LABELS, full) ?? type;
	});
}

/**
 * A learner-facing name for a scope: "key vault kv-stock", "blob q1.csv in container reports in storage
 * account ststockdata", "resource group rg-stock", "subscription Contoso Dev" (display name when the world knows
 * it), "management group Contoso", "the root scope (/)". Unparseable text is quoted back.
 */
export function describeScope(scope: string, hierarchy?: ScopeHierarchy): string {
	if (hierarchy === undefined) return describeParsed(scope, parseScope(scope), undefined);
	const memo = descriptionMemo(hierarchy);
	const known = memo.get(scope);
	if (known !== undefined) return known;
	const parsed = parseScope(scope);
	const text = describeParsed(scope, parsed, hierarchy);
	// Scopes down to resources are a finite set that repeats; child scopes (blobs, secrets) rarely do.
	if (parsed !== null && parsed.level !== 'child') {
		if (memo.size >= 50_000) memo.clear();
		memo.set(scope, text);
	}
	return text;
}

interface DescriptionMemo {
	managementGroups: ScopeHierarchy['managementGroups'];
	texts: Map<string, string>;
}

const descriptionMemos = new WeakMap<ScopeHierarchy['subscriptions'], DescriptionMemo>();

/** Descriptions depend only on the scope text and the display names of subscriptions and management groups. */
function descriptionMemo(h: ScopeHierarchy): Map<string, string> {
	let memo = descriptionMemos.get(h.subscriptions);
	if (memo === undefined || memo.managementGroups !== h.managementGroups) {
		memo = { managementGroups: h.managementGroups, texts: new Map() };
		descriptionMemos.set(h.subscriptions, memo);
	}
	return memo.texts;
}

function describeParsed(
	scope: string,
	parsed: ParsedScope | null,
	hierarchy: ScopeHierarchy | undefined
): string {
	if (parsed === null) return `'${scope}'`;
	switch (parsed.level) {
		case 'root':
			return 'the root scope (/)';
		case 'managementGroup': {
			const ref = parsed.managementGroup ?? '';
			const mg = hierarchy === undefined ? undefined : findManagementGroup(hierarchy, ref);
			return `management group ${mg?.displayName ?? ref}`;
		}
		case 'subscription': {
			const id = parsed.subscriptionId ?? '';
			const sub = hierarchy === undefined ? undefined : findSubscription(hierarchy, id);
			return `subscription ${sub?.displayName ?? id}`;
		}
		case 'resourceGroup':
			return `resource group ${parsed.text.slice(parsed.text.lastIndexOf('/') + 1)}`;
		default: {
			const parts = parsed.resource;
			if (parts === null) return `'${scope}'`;
			const described: string[] = [];
			const labels = typeLabels(parts);
			for (let depth = parts.types.length; depth >= 1; depth--) {
				const type = (parts.types[depth - 1] ?? '').toLowerCase();
				// `blobServices/default` is plumbing in the path, not something a learner names.
				if (depth > 1 && depth < parts.types.length && type.endsWith('services')) continue;
				described.push(`${labels[depth - 1] ?? 'resource'} ${parts.names[depth - 1] ?? ''}`);
			}
			return described.join(' in ');
		}
	}
}
