/**
 * Azure RBAC's access decision: does a principal hold a role assignment, at the target scope or above it, whose
 * role grants the action on the requested plane? Every answer explains itself for a learner.
 */
import type { EpochSeconds } from '../../clock.ts';
import { describeDuration } from '../../clock.ts';
import type { RoleAssignment, World } from '../model.ts';
import type { Plane } from './match.ts';
import {
	excludingPattern,
	hasDataActions,
	permissionGrants,
	permissionGrantsNormalized
} from './match.ts';
import type { RoleDefinition } from './roles.ts';
import { BUILT_IN_ROLES, findRole } from './roles.ts';
import type { ScopeCoverage } from './scope.ts';
import { describeScope, normalizeScope, scopeCoverage, topLevelResourceId } from './scope.ts';
import { own } from '../../own.ts';
import { PMap } from '../store/hamt.ts';
import { indexOf, type IndexSpec } from '../store/record.ts';

/** An assignment that would grant the action but has not propagated yet. */
export interface PendingGrant {
	assignment: RoleAssignment;
	effectiveAt: EpochSeconds;
	secondsLeft: number;
}

/**
 * The outcome of {@link authorize}, with the explanation a learner sees. On a refusal, `reason` and the
 * `suggestion…` fields are written when first read; they are still own, enumerable properties, so JSON, spreading
 * and deep equality see them as plain values.
 */
export interface AuthorizationDecision {
	allowed: boolean;
	/** The assignment that grants the action (the one nearest the target scope), or null when refused. */
	grantedBy: RoleAssignment | null;
	/** One or two sentences: which role on which scope granted, or why nothing did. */
	reason: string;
	/** Assignments that would grant the action once they propagate, soonest first. */
	pending: PendingGrant[];
	/** On refusal: what would grant the action (least-privileged built-in role on the narrowest sensible scope). */
	suggestion: string | null;
	/** The role named in `suggestion`, for a "show me" button; null when allowed or nothing fits. */
	suggestedRole: RoleDefinition | null;
	/** The scope named in `suggestion`. */
	suggestedScope: string | null;
	/** How many of the principal's assignments sit at the target scope or above it and were evaluated. */
	consideredAssignments: number;
}

/**
 * Where an assignment is in its life: `pending` until `effectiveAt`, `effective` after, `removing` once deleted
 * while the removal propagates (it still grants until `removedAt`), `removed` when the removal has propagated.
 */
export type AssignmentState = 'pending' | 'effective' | 'removing' | 'removed';

/** A principal's assignment as the UI lists it. */
export interface PrincipalAssignment {
	assignment: RoleAssignment;
	/** Undefined when the role definition id is not a built-in role the simulator knows. */
	role: RoleDefinition | undefined;
	state: Exclude<AssignmentState, 'removed'>;
	/** Seconds until a pending assignment applies or a removal takes effect; null when effective. */
	secondsLeft: number | null;
}

interface PrincipalIndex {
	/** The principal's assignments in the order of the world's record. */
	all: readonly RoleAssignment[];
	/** `keys[i]` is the scope key of `all[i]`. */
	keys: readonly string[];
	/** Assignments by the comparison key of their scope. */
	byScope: PMap<readonly RoleAssignment[]>;
	/** Assignments by role GUID (lower case), or by the raw role definition id when it is not one. */
	byRole: ReadonlyMap<string, readonly RoleAssignment[]>;
}

type AssignmentIndex = PMap<PrincipalIndex>;

const scopeKeys = new WeakMap<RoleAssignment, string>();

/** The comparison key of an assignment's scope (assignments are immutable, so it is computed once). */
function scopeKeyOf(a: RoleAssignment): string {
	let key = scopeKeys.get(a);
	if (key === undefined) {
		key = normalizeScope(a.scope);
		scopeKeys.set(a, key);
	}
	return key;
}

const EMPTY_PRINCIPAL: PrincipalIndex = {
	all: [],
	keys: [],
	byScope: PMap.empty(),
	byRole: new Map()
};

function principalKey(a: RoleAssignment): string {
	return a.principalId.trim().toLowerCase();
}

function roleKey(a: RoleAssignment): string {
	return a.roleDefinitionId.trim().toLowerCase();
}

/** `list` with `before` replaced by `after` where it stood, `before` dropped, or `after` appended. */
function edit(
	list: readonly RoleAssignment[],
	before: RoleAssignment | undefined,
	after: RoleAssignment | undefined
): readonly RoleAssignment[] {
	const at = before === undefined ? -1 : list.indexOf(before);
	if (at < 0) return after === undefined ? list : [...list, after];
	if (after === undefined) return list.filter((_, i) => i !== at);
	const out = list.slice();
	out[at] = after;
	return out;
}

function editScopes(
	byScope: PMap<readonly RoleAssignment[]>,
	key: string,
	before: RoleAssignment | undefined,
	after: RoleAssignment | undefined
): PMap<readonly RoleAssignment[]> {
	const list = edit(byScope.get(key) ?? [], before, after);
	return list.length > 0 ? byScope.set(key, list) : byScope.delete(key);
}

function editRoles(
	byRole: ReadonlyMap<string, readonly RoleAssignment[]>,
	key: string,
	before: RoleAssignment | undefined,
	after: RoleAssignment | undefined
): ReadonlyMap<string, readonly RoleAssignment[]> {
	const list = edit(byRole.get(key) ?? [], before, after);
	const out = new Map(byRole);
	if (list.length > 0) out.set(key, list);
	else out.delete(key);
	return out;
}

/**
 * The principal's index with `before` replaced by `after` where it stood (an assignment whose removal is being
 * scheduled keeps its place, as in the record), `before` removed (`after` undefined) or `after` added.
 */
function updatePrincipal(
	entry: PrincipalIndex,
	before: RoleAssignment | undefined,
	after: RoleAssignment | undefined
): PrincipalIndex {
	const at = before === undefined ? -1 : entry.all.indexOf(before);
	let all = entry.all;
	let keys = entry.keys;
	if (at < 0) {
		if (after !== undefined) {
			all = [...all, after];
			keys = [...keys, scopeKeyOf(after)];
		}
	} else if (after === undefined) {
		all = all.filter((_, i) => i !== at);
		keys = keys.filter((_, i) => i !== at);
	} else {
		const nextAll = all.slice();
		nextAll[at] = after;
		const nextKeys = keys.slice();
		nextKeys[at] = scopeKeyOf(after);
		all = nextAll;
		keys = nextKeys;
	}
	let byScope = entry.byScope;
	let byRole = entry.byRole;
	const sameScope =
		before !== undefined && after !== undefined && scopeKeyOf(before) === scopeKeyOf(after);
	if (sameScope) byScope = editScopes(byScope, scopeKeyOf(after), before, after);
	else {
		if (before !== undefined) byScope = editScopes(byScope, scopeKeyOf(before), before, undefined);
		if (after !== undefined) byScope = editScopes(byScope, scopeKeyOf(after), undefined, after);
	}
	if (before !== undefined && after !== undefined && roleKey(before) === roleKey(after)) {
		byRole = editRoles(byRole, roleKey(after), before, after);
	} else {
		if (before !== undefined) byRole = editRoles(byRole, roleKey(before), before, undefined);
		if (after !== undefined) byRole = editRoles(byRole, roleKey(after), undefined, after);
	}
	return { all, keys, byScope, byRole };
}

/**
 * Each principal's assignments, indexed for {@link authorize}: built once from a `roleAssignments` record, then
 * carried forward by every operation with the assignments it changed (store/record.ts).
 */
const principalIndexes: IndexSpec<RoleAssignment, AssignmentIndex> = {
	name: 'principalIndexes',
	build(record) {
		interface Group {
			all: RoleAssignment[];
			keys: string[];
			byScope: Map<string, RoleAssignment[]>;
			byRole: Map<string, RoleAssignment[]>;
		}
		const groups = new Map<string, Group>();
		const add = (map: Map<string, RoleAssignment[]>, key: string, a: RoleAssignment): void => {
			const list = map.get(key);
			if (list === undefined) map.set(key, [a]);
			else list.push(a);
		};
		for (const a of Object.values(record)) {
			const key = principalKey(a);
			let group = groups.get(key);
			if (group === undefined) {
				group = { all: [], keys: [], byScope: new Map(), byRole: new Map() };
				groups.set(key, group);
			}
			const scopeKey = scopeKeyOf(a);
			group.all.push(a);
			group.keys.push(scopeKey);
			add(group.byScope, scopeKey, a);
			add(group.byRole, roleKey(a), a);
		}
		let index: AssignmentIndex = PMap.empty();
		for (const [key, g] of groups) {
			index = index.set(key, {
				all: g.all,
				keys: g.keys,
				byScope: PMap.from(g.byScope),
				byRole: g.byRole
			});
		}
		return index;
	},
	update(index, _name, before, after) {
		const from = before === undefined ? undefined : principalKey(before);
		const to = after === undefined ? undefined : principalKey(after);
		if (from !== undefined && from === to) {
			return index.set(from, updatePrincipal(index.get(from) ?? EMPTY_PRINCIPAL, before, after));
		}
		if (from !== undefined) {
			const entry = updatePrincipal(index.get(from) ?? EMPTY_PRINCIPAL, before, undefined);
			index = entry.all.length > 0 ? index.set(from, entry) : index.delete(from);
		}
		if (to !== undefined) {
			index = index.set(to, updatePrincipal(index.get(to) ?? EMPTY_PRINCIPAL, undefined, after));
		}
		return index;
	}
};

function indexFor(assignments: Record<string, RoleAssignment>): AssignmentIndex {
	return indexOf(assignments, principalIndexes);
}

const roleCache = new Map<string, RoleDefinition | null>();

function roleOf(roleDefinitionId: string): RoleDefinition | undefined {
	let role = roleCache.get(roleDefinitionId);
	if (role === undefined) {
		role = findRole(roleDefinitionId) ?? null;
		if (roleCache.size > 1000) roleCache.clear();
		roleCache.set(roleDefinitionId, role);
	}
	return role ?? undefined;
}

function grantsAt(a: RoleAssignment, now: number): boolean {
	return now >= a.effectiveAt && (a.removedAt === null || now < a.removedAt);
}

/** True when an assignment still waits to apply and will apply (it was not deleted before that). */
function willApply(a: RoleAssignment, now: number): boolean {
	return now < a.effectiveAt && (a.removedAt === null || a.removedAt > a.effectiveAt);
}

/** The life-cycle state of an assignment at the world's current time. */
export function assignmentState(world: World, a: RoleAssignment): AssignmentState {
	if (a.removedAt !== null) return world.now >= a.removedAt ? 'removed' : 'removing';
	return world.now < a.effectiveAt ? 'pending' : 'effective';
}

/**
 * The principal's role assignments that are not gone yet (pending, effective, or removal still propagating),
 * oldest first, each with its role and state: what the portal's "Azure role assignments" blade lists.
 */
export function effectiveAssignmentsFor(world: World, principalId: string): PrincipalAssignment[] {
	const entry = indexFor(world.roleAssignments).get(principalId.trim().toLowerCase());
	if (entry === undefined) return [];
	const out: PrincipalAssignment[] = [];
	for (const assignment of entry.all) {
		const state = assignmentState(world, assignment);
		if (state === 'removed') continue;
		const secondsLeft =
			state === 'pending'
				? assignment.effectiveAt - world.now
				: state === 'removing' && assignment.removedAt !== null
					? assignment.removedAt - world.now
					: null;
		out.push({ assignment, role: roleOf(assignment.roleDefinitionId), state, secondsLeft });
	}
	return out.sort((x, y) =>
		x.assignment.createdAt !== y.assignment.createdAt
			? x.assignment.createdAt - y.assignment.createdAt
			: x.assignment.name.localeCompare(y.assignment.name)
	);
}

/**
 * True when a user or service principal with this object id exists in the world's directory. Assignments whose
 * principal was deleted stay behind; the portal shows them as "Identity not found" (type Unknown).
 */
export function principalExists(world: World, principalId: string): boolean {
	const id = principalId.trim();
	if (id === '') return false;
	const { users, servicePrincipals } = world.directory;
	const lower = id.toLowerCase();
	return (
		(own(users, id) ??
			own(users, lower) ??
			own(servicePrincipals, id) ??
			own(servicePrincipals, lower)) !== undefined
	);
}

/** Extra operations the simulator's services and the portal perform, used only to rank role breadth. */
const RANKING_PROBES: readonly (readonly [string, Plane])[] = [
	['Microsoft.Resources/subscriptions/read', 'control'],
	['Microsoft.Resources/subscriptions/resourceGroups/write', 'control'],
	['Microsoft.Resources/subscriptions/resourceGroups/delete', 'control'],
	['Microsoft.Authorization/roleAssignments/read', 'control'],
	['Microsoft.Authorization/roleDefinitions/read', 'control'],
	['Microsoft.Authorization/policyAssignments/write', 'control'],
	['Microsoft.Storage/storageAccounts/write', 'control'],
	['Microsoft.Storage/storageAccounts/delete', 'control'],
	['Microsoft.KeyVault/vaults/read', 'control'],
	['Microsoft.KeyVault/vaults/write', 'control'],
	['Microsoft.KeyVault/vaults/delete', 'control'],
	['Microsoft.KeyVault/vaults/secrets/read', 'control'],
	['Microsoft.KeyVault/vaults/secrets/write', 'control'],
	['Microsoft.Compute/virtualMachines/read', 'control'],
	['Microsoft.Compute/virtualMachines/write', 'control'],
	['Microsoft.Compute/virtualMachines/delete', 'control'],
	['Microsoft.Compute/virtualMachines/start/action', 'control'],
	['Microsoft.Web/sites/read', 'control'],
	['Microsoft.Web/sites/write', 'control'],
	['Microsoft.Sql/servers/read', 'control'],
	['Microsoft.Sql/servers/write', 'control'],
	['Microsoft.Network/virtualNetworks/write', 'control'],
	['Microsoft.ManagedIdentity/userAssignedIdentities/assign/action', 'control'],
	['Microsoft.KeyVault/vaults/secrets/setSecret/action', 'data'],
	['Microsoft.KeyVault/vaults/secrets/delete', 'data'],
	['Microsoft.KeyVault/vaults/secrets/purge/action', 'data'],
	['Microsoft.KeyVault/vaults/keys/read', 'data'],
	['Microsoft.KeyVault/vaults/keys/encrypt/action', 'data'],
	['Microsoft.KeyVault/vaults/certificates/read', 'data']
];

let roleBreadth: Map<RoleDefinition, number> | undefined;

/**
 * How much a role allows, measured on a fixed set of operations: every literal action of the catalogue plus
 * {@link RANKING_PROBES}. Wildcard roles (Owner's `*`, Reader's read-everything) score high, narrow data roles low.
 */
function breadthOf(role: RoleDefinition): number {
	if (roleBreadth === undefined) {
		const probes = new Map<string, Plane>(RANKING_PROBES.map(([a, p]) => [`${p}:${a}`, p]));
		for (const r of BUILT_IN_ROLES) {
			for (const p of r.permissions) {
				for (const a of p.actions) if (!a.includes('*')) probes.set(`control:${a}`, 'control');
				for (const a of p.dataActions) if (!a.includes('*')) probes.set(`data:${a}`, 'data');
			}
		}
		roleBreadth = new Map();
		for (const r of BUILT_IN_ROLES) {
			let n = 0;
			for (const [key, plane] of probes) {
				if (permissionGrants(r, key.slice(key.indexOf(':') + 1), plane)) n++;
			}
			roleBreadth.set(r, n);
		}
	}
	return roleBreadth.get(role) ?? Number.MAX_SAFE_INTEGER;
}

/** Housekeeping actions most service roles carry; they do not make a role "about" those namespaces. */
const HOUSEKEEPING = new Set(
	[
		'Microsoft.Authorization/*/read',
		'Microsoft.Insights/alertRules/*',
		'Microsoft.Resources/deployments/*',
		'Microsoft.Resources/subscriptions/resourceGroups/read',
		'Microsoft.Support/*'
	].map((a) => a.toLowerCase())
);

const homeNamespaces = new WeakMap<RoleDefinition, Set<string> | 'any'>();

/**
 * The provider namespaces a role is meant for (`any` for the general roles whose patterns start with `*`), so
 * that reading a resource group suggests Reader rather than a Key Vault role that happens to carry
 * `resourceGroups/read` as housekeeping.
 */
function homeOf(role: RoleDefinition): Set<string> | 'any' {
	let home = homeNamespaces.get(role);
	if (home === undefined) {
		const patterns = role.permissions.flatMap((p) => [...p.actions, ...p.dataActions]);
		if (patterns.some((a) => a.startsWith('*'))) home = 'any';
		else {
			home = new Set(
				patterns
					.map((a) => a.toLowerCase())
					.filter((a) => !HOUSEKEEPING.has(a))
					.map((a) => a.slice(0, a.indexOf('/')))
			);
		}
		homeNamespaces.set(role, home);
	}
	return home;
}

/** Control-plane actions that hand out more than they name: role assignments, and account keys (data access). */
const SENSITIVE_ACTIONS = [
	'microsoft.authorization/roleassignments/write',
	'microsoft.storage/storageaccounts/listkeys/action'
];

/**
 * Whether a role also grants a sensitive action the request (`lower`, lower case) did not ask for: such roles are
 * suggested only when no other role fits — Reader and Data Access is "narrower" than Reader but lists the storage
 * keys. Roles with an ABAC condition are never suggested (the lab does not evaluate conditions).
 */
function grantsUnaskedSensitive(role: RoleDefinition, lower: string): boolean {
	return SENSITIVE_ACTIONS.some(
		(sensitive) => sensitive !== lower && permissionGrantsNormalized(role, sensitive, 'control')
	);
}

const leastPrivilegedCache: Record<Plane, Map<string, RoleDefinition | null>> = {
	control: new Map(),
	data: new Map()
};

/**
 * The built-in role to suggest for an action: among the roles meant for the action's provider namespace (or
 * general roles such as Reader and Owner) that grant it, the one with the smallest breadth; catalogue order breaks
 * ties. Null when no built-in role grants it.
 */
export function leastPrivilegedRole(action: string, plane: Plane): RoleDefinition | null {
	return leastPrivilegedNormalized(action.trim().toLowerCase(), plane);
}

function leastPrivilegedNormalized(lower: string, plane: Plane): RoleDefinition | null {
	const cache = leastPrivilegedCache[plane];
	const cached = cache.get(lower);
	if (cached !== undefined) return cached;
	const namespace = lower.slice(0, lower.indexOf('/'));
	let best: RoleDefinition | null = null;
	let bestSensitive: RoleDefinition | null = null;
	for (const role of BUILT_IN_ROLES) {
		if (!permissionGrantsNormalized(role, lower, plane)) continue;
		if (role.permissions.some((p) => p.condition !== undefined)) continue;
		const home = homeOf(role);
		if (home !== 'any' && !home.has(namespace)) continue;
		if (grantsUnaskedSensitive(role, lower)) {
			if (bestSensitive === null || breadthOf(role) < breadthOf(bestSensitive))
				bestSensitive = role;
		} else if (best === null || breadthOf(role) < breadthOf(best)) best = role;
	}
	best ??= bestSensitive;
	if (cache.size > 2000) cache.clear();
	cache.set(lower, best);
	return best;
}

/** The learner-facing name of an assignment's scope (describeScope memoizes scopes down to resources). */
function scopeOf(world: World, a: RoleAssignment): string {
	return describeScope(a.scope, world);
}

/** The top-level resource holding `scope` (or `scope` itself outside resources), in the input's casing. */
function ownerScope(scope: string, coverage: ScopeCoverage): string {
	const trimmed = scope.trim();
	const ownerKey = coverage.key.slice(0, coverage.ownerLength);
	const candidate = trimmed.slice(0, ownerKey.length);
	// Slicing the input keeps its casing; it is only right when lower-casing kept every length (ASCII).
	return candidate.toLowerCase() === ownerKey ? candidate : (topLevelResourceId(scope) ?? trimmed);
}

interface Held {
	assignment: RoleAssignment;
	role: RoleDefinition | undefined;
	/** How near the target its scope is (higher is nearer), for assignments that cover the target. */
	nearness?: number;
}

function roleLabel(h: Held): string {
	return h.role?.roleName ?? `an unknown role (${h.assignment.roleDefinitionId})`;
}

function listHeld(world: World, held: readonly Held[]): string {
	const shown = held.slice(0, 2).map((h) => `${roleLabel(h)} on ${scopeOf(world, h.assignment)}`);
	if (held.length > shown.length) return `${shown.join(', ')} and others`;
	return shown.join(' and ');
}

/** Up to `limit` assignments that are not gone, without walking a long list to its end. */
function firstLiving(
	world: World,
	list: readonly RoleAssignment[],
	limit: number
): RoleAssignment[] {
	const out: RoleAssignment[] = [];
	for (const a of list) {
		if (assignmentState(world, a) !== 'removed') out.push(a);
		if (out.length >= limit) break;
	}
	return out;
}

function decision(
	fields: Pick<AuthorizationDecision, 'reason' | 'pending' | 'consideredAssignments'> &
		Partial<AuthorizationDecision>
): AuthorizationDecision {
	// Fields listed, not `{ …defaults, ...fields }`: a spread after literal keys costs many times more in V8.
	return {
		allowed: fields.allowed ?? false,
		grantedBy: fields.grantedBy ?? null,
		suggestion: fields.suggestion ?? null,
		suggestedRole: fields.suggestedRole ?? null,
		suggestedScope: fields.suggestedScope ?? null,
		reason: fields.reason,
		pending: fields.pending,
		consideredAssignments: fields.consideredAssignments
	};
}

/**
 * Decides whether `principalId` may perform `action` on `scope` (an ARM scope, or a child scope such as
 * `…/vaults/kv/secrets/name` or `…/storageAccounts/st/blobServices/default/containers/c/blobs/name`).
 * `plane: 'control'` checks the roles' `actions` (ARM), `'data'` their `dataActions` (blob data, secrets).
 *
 * An assignment counts when it is at the target scope or above it (management groups included), when
 * `world.now >= effectiveAt`, and while a deletion has not propagated (`now < removedAt`). Looks only at the
 * principal's own assignments through an index memoized per `world.roleAssignments` object.
 */
export function authorize(
	world: World,
	principalId: string,
	action: string,
	scope: string,
	plane: Plane
): AuthorizationDecision {
	const coverage = scopeCoverage(scope, world);
	if (coverage === null) {
		return decision({
			reason: `Denied: '${scope}' is not an Azure scope. A scope looks like /subscriptions/{id}/resourceGroups/{group}/providers/{namespace}/{type}/{name}.`,
			pending: [],
			consideredAssignments: 0
		});
	}
	const lowerAction = action.trim().toLowerCase();
	if (lowerAction === '') {
		return decision({
			reason:
				'Denied: no action was named. An action looks like Microsoft.KeyVault/vaults/secrets/getSecret/action.',
			pending: [],
			consideredAssignments: 0
		});
	}
	const entry = indexFor(world.roleAssignments).get(principalId.trim().toLowerCase());
	const tally: Tally = {
		now: world.now,
		lowerAction,
		plane,
		granted: null,
		grantedRole: undefined,
		grantedNearness: 0,
		pending: [],
		heldHere: [],
		removedGranting: [],
		considered: 0,
		grantsByRole: null
	};
	if (entry !== undefined) {
		if (entry.all.length <= LINEAR_LIMIT) {
			// Few assignments: prefix tests on their scope keys beat hashing every ancestor of the target.
			for (let i = 0; i < entry.all.length; i++) {
				const k = entry.keys[i] ?? '';
				const a = entry.all[i];
				if (a !== undefined && coverage.covers(k)) visit(tally, a, coverage.nearness(k));
			}
		} else {
			for (const k of coverage.ancestorKeys()) {
				const list = entry.byScope.get(k);
				if (list === undefined) continue;
				const nearness = coverage.nearness(k);
				for (const a of list) visit(tally, a, nearness);
			}
		}
	}
	const { granted, grantedRole, pending } = tally;
	pending.sort((x, y) => x.secondsLeft - y.secondsLeft);
	if (granted !== null && grantedRole !== undefined) {
		const where = scopeOf(world, granted);
		const grantedKey = scopeKeyOf(granted);
		// A role on a vault applies to its secrets without a learner needing to be told; above that, say so.
		const atOrBelowOwner =
			grantedKey.startsWith('/subscriptions/') && grantedKey.length >= coverage.ownerLength;
		const inherited = atOrBelowOwner
			? ''
			: `, inherited by ${describeScope(ownerScope(scope, coverage), world)}`;
		let reason = `Allowed: ${grantedRole.roleName} on ${where} (assigned to this identity${inherited}) grants ${action}.`;
		if (granted.removedAt !== null) {
			reason += ` The assignment was deleted, but the removal is still propagating: it keeps granting access for another ${describeDuration(granted.removedAt - world.now)}.`;
		}
		return decision({
			allowed: true,
			grantedBy: granted,
			reason,
			pending,
			consideredAssignments: tally.considered
		});
	}
	return refusal(world, {
		entry,
		principalId,
		action,
		scope,
		plane,
		coverage,
		lowerAction,
		pending,
		heldHere: tally.heldHere,
		removedGranting: tally.removedGranting,
		considered: tally.considered
	});
}

/** Above this many assignments for one principal, look its assignments up by the target's ancestor scopes. */
const LINEAR_LIMIT = 24;

interface Tally {
	now: number;
	lowerAction: string;
	plane: Plane;
	granted: RoleAssignment | null;
	grantedRole: RoleDefinition | undefined;
	grantedNearness: number;
	pending: PendingGrant[];
	heldHere: Held[];
	removedGranting: Held[];
	considered: number;
	/**
	 * Whether each role id seen grants the action, for this call: a principal with many assignments at one scope
	 * holds few distinct roles, and one lookup beats the role and permission caches' three.
	 */
	grantsByRole: Map<string, { role: RoleDefinition | undefined; grants: boolean }> | null;
}

function roleGrants(
	t: Tally,
	roleDefinitionId: string
): { role: RoleDefinition | undefined; grants: boolean } {
	t.grantsByRole ??= new Map();
	let known = t.grantsByRole.get(roleDefinitionId);
	if (known === undefined) {
		const role = roleOf(roleDefinitionId);
		known = {
			role,
			grants: role !== undefined && permissionGrantsNormalized(role, t.lowerAction, t.plane)
		};
		t.grantsByRole.set(roleDefinitionId, known);
	}
	return known;
}

/** Weighs one assignment that covers the target scope. */
function visit(t: Tally, a: RoleAssignment, nearness: number): void {
	t.considered++;
	const { role, grants } = roleGrants(t, a.roleDefinitionId);
	if (grantsAt(a, t.now)) {
		if (!grants) {
			t.heldHere.push({ assignment: a, role, nearness });
			return;
		}
		const current = t.granted;
		// Prefer an assignment that is not being removed, then the one nearest the target.
		const better =
			current === null ||
			(current.removedAt !== null && a.removedAt === null) ||
			((current.removedAt === null) === (a.removedAt === null) && nearness > t.grantedNearness);
		if (better) {
			t.granted = a;
			t.grantedRole = role;
			t.grantedNearness = nearness;
		}
	} else if (grants && willApply(a, t.now)) {
		t.pending.push({
			assignment: a,
			effectiveAt: a.effectiveAt,
			secondsLeft: a.effectiveAt - t.now
		});
	} else if (grants && a.removedAt !== null && t.now >= a.removedAt) {
		t.removedGranting.push({ assignment: a, role });
	}
}

interface RefusalContext {
	entry: PrincipalIndex | undefined;
	principalId: string;
	action: string;
	scope: string;
	plane: Plane;
	coverage: ScopeCoverage;
	lowerAction: string;
	pending: PendingGrant[];
	heldHere: Held[];
	removedGranting: Held[];
	considered: number;
}

/** An assignment of a role that grants the action, but at a scope that does not cover the target. */
function grantingElsewhere(world: World, ctx: RefusalContext): Held | undefined {
	const entry = ctx.entry;
	if (entry === undefined) return undefined;
	const lowerAction = ctx.lowerAction;
	for (const list of entry.byRole.values()) {
		const first = list[0];
		if (first === undefined) continue;
		const role = roleOf(first.roleDefinitionId);
		if (role === undefined || !permissionGrantsNormalized(role, lowerAction, ctx.plane)) continue;
		// At most one assignment per (scope, role) covers the target, so this loop ends quickly.
		for (const a of list) {
			const covered = ctx.coverage.covers(scopeKeyOf(a));
			if (!covered && assignmentState(world, a) !== 'removed') return { assignment: a, role };
		}
	}
	return undefined;
}

type Explanation = Pick<
	AuthorizationDecision,
	'reason' | 'suggestion' | 'suggestedRole' | 'suggestedScope'
>;

const REFUSAL = Symbol('refusal');

interface RefusalState {
	world: World;
	ctx: RefusalContext;
	explanation: Explanation | null;
}

type LazyRefusal = AuthorizationDecision & { [REFUSAL]: RefusalState };

function explanationOf(d: LazyRefusal): Explanation {
	const state = d[REFUSAL];
	state.explanation ??= explainRefusal(state.world, state.ctx);
	return state.explanation;
}

/** Shared accessors: own, enumerable (JSON, spreading and equality see them), no closure per decision. */
const EXPLANATION_PROPERTIES: PropertyDescriptorMap = {
	reason: {
		enumerable: true,
		get(this: LazyRefusal) {
			return explanationOf(this).reason;
		}
	},
	suggestion: {
		enumerable: true,
		get(this: LazyRefusal) {
			return explanationOf(this).suggestion;
		}
	},
	suggestedRole: {
		enumerable: true,
		get(this: LazyRefusal) {
			return explanationOf(this).suggestedRole;
		}
	},
	suggestedScope: {
		enumerable: true,
		get(this: LazyRefusal) {
			return explanationOf(this).suggestedScope;
		}
	}
};

/**
 * A refusal whose explanation is written on first read of `reason`, `suggestion`, `suggestedRole` or
 * `suggestedScope`: services often need only `allowed`, and the explanation costs more than the decision. The
 * world is immutable, so the text is the same whenever it is read.
 */
function refusal(world: World, ctx: RefusalContext): AuthorizationDecision {
	const d = {
		allowed: false,
		grantedBy: null,
		pending: ctx.pending,
		consideredAssignments: ctx.considered
	};
	Object.defineProperty(d, REFUSAL, { value: { world, ctx, explanation: null } });
	return Object.defineProperties(d, EXPLANATION_PROPERTIES) as AuthorizationDecision;
}

function explainRefusal(world: World, ctx: RefusalContext): Explanation {
	const { action, plane, pending } = ctx;
	const target = describeScope(ctx.scope, world);
	const soonest = pending[0];
	if (soonest !== undefined) {
		const role = roleOf(soonest.assignment.roleDefinitionId);
		const wait = describeDuration(soonest.secondsLeft);
		return {
			reason: `Denied for now: ${role?.roleName ?? 'a role'} on ${scopeOf(world, soonest.assignment)} is assigned to this identity but is still propagating; it applies in ${wait}.`,
			suggestion: `Wait ${wait} and try again: the assignment already grants ${action} once it has propagated (Azure takes up to 10 minutes).`,
			suggestedRole: role ?? null,
			suggestedScope: soonest.assignment.scope
		};
	}

	const best = leastPrivilegedNormalized(ctx.lowerAction, plane);
	const suggestedScope = ownerScope(ctx.scope, ctx.coverage);
	const suggestedWhere = describeScope(suggestedScope, world);
	const planeWord = plane === 'data' ? 'data action' : 'control-plane action';
	let reason: string;
	let suggestion: string | null =
		best === null
			? null
			: `Assign ${best.roleName} on ${suggestedWhere}: it is the least-privileged built-in role that grants ${action}.`;

	const removed = ctx.removedGranting[0];
	const removedText =
		removed === undefined
			? ''
			: `${roleLabel(removed)} assignment on ${scopeOf(world, removed.assignment)} was deleted and the removal has propagated`;
	const held = [...ctx.heldHere].sort((x, y) => (y.nearness ?? 0) - (x.nearness ?? 0));
	const controlOnly =
		plane === 'data' &&
		held.length > 0 &&
		held.every((h) => h.role !== undefined && !hasDataActions(h.role));
	if (controlOnly) {
		const verb = held.length === 1 ? 'grants' : 'grant';
		reason = `Denied: this identity has ${listHeld(world, held)}, which ${verb} no data actions; ${action} is a data action.`;
		if (best !== null) {
			const names = [...new Set(held.map(roleLabel))].join(' and ');
			suggestion = `${names} ${verb} no data actions; this request needs ${action}, e.g. ${best.roleName} on ${suggestedWhere}.`;
		}
	} else if (held.length > 0) {
		const verb = held.length === 1 ? 'does' : 'do';
		reason = `Denied: this identity has ${listHeld(world, held)}, which ${verb} not include the ${planeWord} ${action}.`;
		const excluded = held.find(
			(h) => h.role !== undefined && excludingPattern(h.role, action, plane) !== null
		);
		if (excluded?.role !== undefined) {
			const pattern = excludingPattern(excluded.role, action, plane) ?? '';
			const list = plane === 'data' ? 'NotDataActions' : 'NotActions';
			reason += ` ${excluded.role.roleName} covers it with a wildcard but takes it away again in its ${list} (${pattern}).`;
		}
	} else {
		const elsewhere = grantingElsewhere(world, ctx);
		const others = firstLiving(world, ctx.entry?.all ?? [], 3);
		if (elsewhere !== undefined) {
			const where = scopeOf(world, elsewhere.assignment);
			reason = `Denied: this identity has ${roleLabel(elsewhere)} on ${where}, which does not cover ${target}; an assignment applies only to its own scope and the scopes below it.`;
			if (best !== null) {
				suggestion = `Assign ${best.roleName} on ${suggestedWhere} (the existing ${roleLabel(elsewhere)} assignment is on ${where}).`;
			}
		} else if (others.length > 0) {
			const held = others.map((assignment) => ({
				assignment,
				role: roleOf(assignment.roleDefinitionId)
			}));
			reason = `Denied: none of this identity's role assignments covers ${target} or grants ${action} (it has ${listHeld(world, held)}).`;
		} else if (removed !== undefined) {
			reason = `Denied: this identity's ${removedText}, so nothing allows ${action} on ${target} any more.`;
		} else {
			reason = `Denied: this identity has no role assignments, so nothing allows ${action} on ${target}.`;
			if (!principalExists(world, ctx.principalId)) {
				reason += ` No user or service principal with object id ${ctx.principalId} exists in this directory.`;
			}
		}
	}
	if (removed !== undefined && !reason.includes(removedText)) {
		reason += ` Its ${removedText}.`;
	}
	if (best === null)
		reason += ` No built-in role grants ${action} on the ${plane} plane; check the action name.`;
	return {
		reason,
		suggestion,
		suggestedRole: best,
		suggestedScope: best === null ? null : suggestedScope
	};
}
