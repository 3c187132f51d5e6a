/**
 * Azure's action matching: how a role's `actions` / `dataActions` patterns (with `*` wildcards) decide whether
 * the role permits an operation such as `Microsoft.KeyVault/vaults/secrets/getSecret/action`.
 */
import type { RoleDefinition, RolePermission } from './roles.ts';

/** Which list of a role applies: `actions` for ARM (control plane), `dataActions` for the data plane. */
export type Plane = 'control' | 'data';

type Matcher = (lowerAction: string) => boolean;

const MATCHER_CACHE_LIMIT = 5000;
const matchers = new Map<string, Matcher>();

function escapeRegExp(text: string): string {
	return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function compilePattern(pattern: string): Matcher {
	const lower = pattern.trim().toLowerCase();
	if (lower === '*') return () => true;
	if (!lower.includes('*')) return (action) => action === lower;
	// A `*` between two slashes may also stand for no segment at all: Managed Identity Operator's
	// `userAssignedIdentities/*/assign/action` is what grants `userAssignedIdentities/assign/action`.
	const source = lower
		.split('/*/')
		.map((part) => part.split('*').map(escapeRegExp).join('.*'))
		.join('/(?:.*/)?');
	const regex = new RegExp(`^${source}$`);
	return (action) => regex.test(action);
}

function matcherFor(pattern: string): Matcher {
	let matcher = matchers.get(pattern);
	if (matcher === undefined) {
		if (matchers.size >= MATCHER_CACHE_LIMIT) matchers.clear();
		matcher = compilePattern(pattern);
		matchers.set(pattern, matcher);
	}
	return matcher;
}

/**
 * True when the role pattern `pattern` covers `action`, by Azure's rules: case-insensitive, and `*` matches any
 * sequence of characters including `/`, so Reader's `*` + `/read` covers `Microsoft.Storage/storageAccounts/read`.
 * Compiled patterns are cached.
 */
export function actionMatches(pattern: string, action: string): boolean {
	return matcherFor(pattern)(action.trim().toLowerCase());
}

interface CompiledBlock {
	allow: Matcher[];
	deny: { pattern: string; matches: Matcher }[];
}

interface CompiledRole {
	control: CompiledBlock[];
	data: CompiledBlock[];
	/** Memoized answers per lower-case action. */
	controlAnswers: Map<string, boolean>;
	dataAnswers: Map<string, boolean>;
}

const ANSWER_CACHE_LIMIT = 2000;
const compiledRoles = new WeakMap<RoleDefinition, CompiledRole>();

function compileBlock(allow: readonly string[], deny: readonly string[]): CompiledBlock {
	return {
		allow: allow.map(matcherFor),
		deny: deny.map((pattern) => ({ pattern, matches: matcherFor(pattern) }))
	};
}

function compiled(role: RoleDefinition): CompiledRole {
	let entry = compiledRoles.get(role);
	if (entry === undefined) {
		entry = {
			control: role.permissions.map((p: RolePermission) => compileBlock(p.actions, p.notActions)),
			data: role.permissions.map((p: RolePermission) =>
				compileBlock(p.dataActions, p.notDataActions)
			),
			controlAnswers: new Map(),
			dataAnswers: new Map()
		};
		compiledRoles.set(role, entry);
	}
	return entry;
}

function blockGrants(block: CompiledBlock, lowerAction: string): boolean {
	return block.allow.some((m) => m(lowerAction)) && !block.deny.some((d) => d.matches(lowerAction));
}

/**
 * True when `role` permits `action` on the given plane: some permission block lists it in `actions` (control)
 * or `dataActions` (data) and the same block does not take it away again through `notActions` /
 * `notDataActions`. Those are subtractions, not deny rules: another block or another role can still grant it.
 */
export function permissionGrants(role: RoleDefinition, action: string, plane: Plane): boolean {
	return permissionGrantsNormalized(role, action.trim().toLowerCase(), plane);
}

/** {@link permissionGrants} for an action that is already trimmed and lower case (the hot path). */
export function permissionGrantsNormalized(
	role: RoleDefinition,
	lowerAction: string,
	plane: Plane
): boolean {
	const entry = compiled(role);
	const answers = plane === 'control' ? entry.controlAnswers : entry.dataAnswers;
	const known = answers.get(lowerAction);
	if (known !== undefined) return known;
	const blocks = plane === 'control' ? entry.control : entry.data;
	const answer = blocks.some((block) => blockGrants(block, lowerAction));
	if (answers.size >= ANSWER_CACHE_LIMIT) answers.clear();
	answers.set(lowerAction, answer);
	return answer;
}

/**
 * The `notActions` / `notDataActions` pattern that takes `action` away from `role` (its `actions` cover it,
 * but the same block subtracts it), or null when the role simply does not list the action.
 */
export function excludingPattern(
	role: RoleDefinition,
	action: string,
	plane: Plane
): string | null {
	const lowerAction = action.trim().toLowerCase();
	const blocks = plane === 'control' ? compiled(role).control : compiled(role).data;
	for (const block of blocks) {
		if (!block.allow.some((m) => m(lowerAction))) continue;
		const deny = block.deny.find((d) => d.matches(lowerAction));
		if (deny !== undefined) return deny.pattern;
	}
	return null;
}

/** True when the role has any `dataActions` at all (Owner, Contributor and Reader have none). */
export function hasDataActions(role: RoleDefinition): boolean {
	return role.permissions.some((p) => p.dataActions.length > 0);
}
