/**
 * Goal checks: named predicates over the world and its event history. Each kind has one evaluator that gives
 * pass/fail and the parts the learner sees, each ✓ or ✗ with what is missing — "role assignment for the
 * identity of vm-stock-app ✓ · role Key Vault Secrets User ✓ · at scope kv-stock ✗ (yours is rg-stock)".
 * Checks look at what is true and what happened, never at which clicks or lines got there: any correct path
 * passes, through the blades or the terminal.
 */
import {
	effectiveAssignmentsFor,
	findRole,
	isIdentityHost,
	type EpochSeconds,
	type RoleAssignment,
	type ServiceCallEvent,
	type TokenEvent,
	type World,
	type WorldEvent
} from '../core/index.ts';
import { isWithinScope, normalizeScope } from '../core/azure/rbac/scope.ts';
import { principalExists as directoryHas } from '../core/azure/rbac/authorize.ts';
import type { Check, CheckKind, Moment, QuizQuestion, SecretKind } from './schema.ts';
import { resolvePrincipal, resolveScope, resourceNamed, shortScope } from './references.ts';

/** What a check looks at. */
export interface CheckContext {
	world: World;
	/** Sequence number of the last event of the lesson's start world: only later events count as the learner's. */
	startSeq: number;
	/** Simulated time at the lesson's start. */
	startTime: EpochSeconds;
	/** The lesson's quiz, and the learner's answers: option indexes by question id. */
	quiz: readonly QuizQuestion[];
	answers: Readonly<Record<string, readonly number[]>>;
}

/** One condition of a check, as the learner sees it. */
export interface CheckPart {
	text: string;
	pass: boolean;
	/** What is there instead, e.g. "yours is rg-stock". */
	note?: string;
}

/** The outcome of one check. */
export interface CheckResult {
	kind: CheckKind;
	pass: boolean;
	parts: CheckPart[];
	/** The parts on one line: "role assignment exists ✓ · at scope kv-stock ✗ (yours is rg-stock)". */
	line: string;
}

/** Renders parts as the one line the learner sees. */
export function renderParts(parts: readonly CheckPart[]): string {
	return parts
		.map((p) => `${p.text} ${p.pass ? '✓' : '✗'}${!p.pass && p.note ? ` (${p.note})` : ''}`)
		.join(' · ');
}

function result(check: Check, parts: CheckPart[]): CheckResult {
	const shown = check.label
		? [{ ...parts[0], text: check.label } as CheckPart, ...parts.slice(1)]
		: parts;
	return {
		kind: check.check,
		pass: parts.every((p) => p.pass),
		parts: shown,
		line: renderParts(shown)
	};
}

/** Events that happened after the lesson's start. */
function learnerEvents(ctx: CheckContext): WorldEvent[] {
	return ctx.world.events.filter((e) => e.seq > ctx.startSeq);
}

/** Assignments not deleted (a deleted one may still grant access while its removal propagates, but it is gone from every list). */
function activeAssignments(world: World): RoleAssignment[] {
	return Object.values(world.roleAssignments).filter((a) => a.removedAt === null);
}

function roleName(roleDefinitionId: string): string {
	return findRole(roleDefinitionId)?.roleName ?? roleDefinitionId;
}

const SECRET_PATTERNS: readonly { kind: SecretKind; pattern: RegExp; what: string }[] = [
	{ kind: 'storageKey', pattern: /AccountKey=/i, what: 'a storage account key' },
	{ kind: 'sas', pattern: /SharedAccessSignature=|[?&]sig=/i, what: 'a SAS token' },
	{ kind: 'password', pattern: /Password=|"password"\s*:/i, what: 'a password' },
	{ kind: 'clientSecret', pattern: /client_?secret/i, what: 'a client secret' },
	{ kind: 'privateKey', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: 'a private key' }
];

/** Where each secret is in a text, for the learner: "a storage account key" (only `kinds`, when given). */
export function secretsIn(text: string, kinds?: readonly SecretKind[]): string[] {
	return SECRET_PATTERNS.filter(
		(s) => (kinds === undefined || kinds.includes(s.kind)) && s.pattern.test(text)
	).map((s) => s.what);
}

const SECRET_NAMES: Record<SecretKind, string> = {
	storageKey: 'storage account key',
	sas: 'SAS token',
	password: 'password',
	clientSecret: 'client secret',
	privateKey: 'private key'
};

/** A moment as a point in the history: an event sequence number (exact order) or a simulated time. */
type Point = { seq: number } | { at: EpochSeconds };

function momentPoint(ctx: CheckContext, moment: Moment): Point | string {
	if ('secondsAfterStart' in moment)
		return { at: (ctx.startTime + moment.secondsAfterStart) as EpochSeconds };
	const ref = 'assignmentCreated' in moment ? moment.assignmentCreated : moment.assignmentEffective;
	const principal = resolvePrincipal(ctx.world, ref.principal);
	if (!principal.ok) return principal.why;
	const role = findRole(ref.role);
	const found = Object.values(ctx.world.roleAssignments)
		.filter(
			(a) =>
				a.principalId === principal.value.principalId &&
				role !== undefined &&
				findRole(a.roleDefinitionId)?.id === role.id
		)
		.sort((x, y) => y.createdAt - x.createdAt)[0];
	if (!found) return `no ${ref.role} assignment for ${principal.value.label} yet`;
	if ('assignmentEffective' in moment) return { at: found.effectiveAt };
	// Calls in the same simulated second as the assignment are ordered by the history.
	const created = ctx.world.events.find(
		(e) => e.kind === 'activity' && e.resourceId.toLowerCase() === found.id.toLowerCase()
	);
	return created ? { seq: created.seq } : { at: found.createdAt };
}

function isBefore(e: WorldEvent, point: Point): boolean {
	return 'seq' in point ? e.seq < point.seq : e.at < point.at;
}

function describeMoment(moment: Moment): string {
	if ('secondsAfterStart' in moment) return `${moment.secondsAfterStart} s after the start`;
	if ('assignmentCreated' in moment)
		return `the ${moment.assignmentCreated.role} assignment was made`;
	return `the ${moment.assignmentEffective.role} assignment took effect`;
}

const SERVICE_LABEL = {
	keyVault: 'Key Vault',
	storage: 'Storage',
	sql: 'SQL',
	arm: 'Resource Manager',
	imds: 'IMDS',
	appService: 'App Service identity endpoint',
	arc: 'Arc identity endpoint',
	entra: 'Entra ID'
} as const;

/** The token endpoint of each token event, as a request check names it. */
const TOKEN_ENDPOINT_SERVICE = {
	imds: 'imds',
	appService: 'appService',
	arc: 'arc',
	federation: 'entra'
} as const;

/**
 * The calls a request check sees for a service: its recorded calls, and for a token endpoint also the tokens it
 * served (each a successful getToken; refusals and unanswered requests are recorded as calls).
 */
function callsTo(
	ctx: CheckContext,
	service: Extract<Check, { check: 'request' }>
): ServiceCallEvent[] {
	const out: ServiceCallEvent[] = [];
	for (const e of learnerEvents(ctx)) {
		if (e.kind === 'serviceCall' && e.service === service.service) out.push(e);
		else if (e.kind === 'token' && TOKEN_ENDPOINT_SERVICE[e.endpoint] === service.service)
			out.push({
				kind: 'serviceCall',
				seq: e.seq,
				at: e.at,
				service: service.service,
				operation: 'getToken',
				target: e.resource,
				status: 200,
				principalId: e.principalId,
				authMethod: 'none',
				source: e.hostId,
				errorCode: null
			});
	}
	return out;
}

/** A call succeeded when something answered it with a status below 400. */
function succeeded(call: ServiceCallEvent): boolean {
	return call.status > 0 && call.status < 400;
}

function withArticle(label: string): string {
	return `${/^[AEIOU]/.test(label) ? 'an' : 'a'} ${label}`;
}

/** "403 ForbiddenByRbac", or "no answer (timeout)" for a request nothing answered. */
function describeOutcome(call: ServiceCallEvent): string {
	if (call.status === 0) return `no answer (${call.errorCode ?? 'timeout'})`;
	return `${call.status}${call.errorCode ? ` ${call.errorCode}` : ''}`;
}

type Evaluator<K extends CheckKind> = (
	check: Extract<Check, { check: K }>,
	ctx: CheckContext
) => CheckPart[];

const EVALUATORS: { [K in CheckKind]: Evaluator<K> } = {
	identityEnabled(check, { world }) {
		const want = check.enabled ?? true;
		const r = resourceNamed(world, check.resource);
		if (!r) return [{ text: `${check.resource} exists`, pass: false, note: 'it does not' }];
		if (!isIdentityHost(r))
			return [
				{ text: `${r.name} has an identity`, pass: false, note: `a ${r.kind} cannot have one` }
			];
		const on = r.identity.systemAssigned !== null;
		return [
			{
				text: `system-assigned identity ${want ? 'on' : 'off'} for ${r.name}`,
				pass: on === want,
				note: on ? 'it is on' : 'it is off (Status: Off)'
			}
		];
	},

	userIdentityAssigned(check, { world }) {
		const want = check.assigned ?? true;
		const identity = resourceNamed(world, check.identity);
		const host = resourceNamed(world, check.resource);
		if (!identity || identity.kind !== 'userAssignedIdentity')
			return [{ text: `identity ${check.identity} exists`, pass: false, note: 'it does not' }];
		if (!host || !isIdentityHost(host))
			return [
				{ text: `identity ${check.identity} exists`, pass: true },
				{ text: `${check.resource} exists`, pass: false, note: 'it does not' }
			];
		const attached = host.identity.userAssigned.some(
			(id) => id.toLowerCase() === identity.id.toLowerCase()
		);
		return [
			{ text: `identity ${identity.name} exists`, pass: true },
			{
				text: `${want ? 'assigned to' : 'not assigned to'} ${host.name}`,
				pass: attached === want,
				note: attached ? 'it is assigned' : 'it is not assigned'
			}
		];
	},

	roleAssignment(check, { world }) {
		const want = check.present ?? true;
		const principal = resolvePrincipal(world, check.principal);
		const role = findRole(check.role);
		const scope = resolveScope(world, check.scope);
		if (!principal.ok)
			return [{ text: `${check.principal} has an identity`, pass: !want, note: principal.why }];
		if (!role) return [{ text: `role ${check.role} exists`, pass: false, note: 'unknown role' }];
		if (!scope)
			return [{ text: `${check.scope} exists`, pass: false, note: 'nothing has that name' }];
		const mine = effectiveAssignmentsFor(world, principal.value.principalId).filter(
			(a) => a.state !== 'removing'
		);
		const withRole = mine.filter((a) => a.role?.id === role.id);
		const exact = (check.match ?? 'exact') === 'exact';
		const target = normalizeScope(scope);
		const atScope = withRole.filter((a) =>
			exact
				? normalizeScope(a.assignment.scope) === target
				: isWithinScope(scope, a.assignment.scope, world)
		);
		const scopeText = `${exact ? 'at' : 'at or above'} scope ${shortScope(scope)}`;
		if (!want) {
			return [
				{
					text: `no ${role.roleName} for ${principal.value.label} ${scopeText}`,
					pass: atScope.length === 0,
					note: 'it is still there'
				}
			];
		}
		const parts: CheckPart[] = [
			{
				text: `role assignment for ${principal.value.label} exists`,
				pass: mine.length > 0,
				note: 'it has none'
			}
		];
		if (mine.length === 0) return parts;
		parts.push({
			text: `role ${role.roleName}`,
			pass: withRole.length > 0,
			note: `yours: ${[...new Set(mine.map((a) => a.role?.roleName ?? 'unknown role'))].join(', ')}`
		});
		if (withRole.length === 0) return parts;
		parts.push({
			text: scopeText,
			pass: atScope.length > 0,
			note: `yours is ${withRole.map((a) => shortScope(a.assignment.scope)).join(', ')}`
		});
		return parts;
	},

	leastPrivilege(check, { world }) {
		const principal = resolvePrincipal(world, check.principal);
		if (!principal.ok)
			return [{ text: `${check.principal} has an identity`, pass: false, note: principal.why }];
		const forbidden = (
			check.forbiddenRoles ?? [
				'Owner',
				'Contributor',
				'User Access Administrator',
				'Role Based Access Control Administrator'
			]
		).map((n) => findRole(n)?.id ?? n);
		const mine = effectiveAssignmentsFor(world, principal.value.principalId).filter(
			(a) => a.state !== 'removing'
		);
		const tooStrong = mine.filter(
			(a) => a.role !== undefined && a.role !== null && forbidden.includes(a.role.id)
		);
		const parts: CheckPart[] = [
			{
				text: `no broad role (Owner, Contributor…) for ${principal.value.label}`,
				pass: tooStrong.length === 0,
				note: tooStrong
					.map((a) => `${a.role?.roleName ?? ''} at ${shortScope(a.assignment.scope)}`)
					.join(', ')
			}
		];
		if (check.notAbove !== undefined) {
			const refs = Array.isArray(check.notAbove) ? check.notAbove : [check.notAbove];
			const limits = refs.map((ref) => resolveScope(world, ref));
			const missing = refs.filter((_, i) => limits[i] === undefined);
			const known = limits.filter((l): l is string => l !== undefined);
			const wide = mine.filter(
				(a) => !known.some((limit) => isWithinScope(a.assignment.scope, limit, world))
			);
			parts.push({
				text: `nothing wider than ${known.map(shortScope).join(' or ') || refs.join(' or ')}`,
				pass: missing.length === 0 && wide.length === 0,
				note:
					missing.length > 0
						? `${missing.join(', ')} does not exist`
						: wide
								.map((a) => `${a.role?.roleName ?? ''} at ${shortScope(a.assignment.scope)}`)
								.join(', ')
			});
		}
		return parts;
	},

	request(check, ctx) {
		const { world } = ctx;
		let calls = callsTo(ctx, check);
		const what = `${withArticle(SERVICE_LABEL[check.service])} ${check.operation ?? 'call'}`;
		if (check.operation) calls = calls.filter((c) => c.operation === check.operation);
		let who = '';
		if (check.principal !== undefined) {
			const principal = resolvePrincipal(world, check.principal);
			if (!principal.ok)
				return [{ text: `${what} by ${check.principal}`, pass: false, note: principal.why }];
			who = ` by ${principal.value.label}`;
			calls = calls.filter((c) => c.principalId === principal.value.principalId);
		}
		if (check.authMethod) calls = calls.filter((c) => c.authMethod === check.authMethod);
		if (check.from !== undefined) {
			const place = check.from;
			const r = place === 'cloud-shell' ? undefined : resourceNamed(world, place);
			calls = calls.filter((c) =>
				place === 'cloud-shell'
					? c.source === 'cloudshell'
					: r
						? c.source.toLowerCase().startsWith(r.id.toLowerCase())
						: c.source === place
			);
			who += ` from ${place}`;
		}
		const parts: CheckPart[] = [
			{ text: `${what}${who}`, pass: calls.length > 0, note: 'none yet' }
		];
		if (calls.length === 0) return parts;
		const wanted: string[] = [];
		const matchesOutcome = (c: ServiceCallEvent) =>
			(check.outcome === undefined ||
				(check.outcome === 'succeeded' ? succeeded(c) : !succeeded(c))) &&
			(check.status === undefined || c.status === check.status) &&
			(check.code === undefined || c.errorCode === check.code);
		if (check.outcome) wanted.push(check.outcome);
		if (check.status !== undefined) wanted.push(`with ${check.status}`);
		if (check.code !== undefined) wanted.push(check.code);
		const outcomeOk = calls.filter(matchesOutcome);
		if (wanted.length > 0) {
			const last = calls[calls.length - 1];
			parts.push({
				text: `that ${wanted.join(' ')}`,
				pass: outcomeOk.length > 0,
				note: last ? `yours got ${describeOutcome(last)}` : undefined
			});
			if (outcomeOk.length === 0) return parts;
		}
		for (const [edge, moment] of [
			['before', check.before],
			['after', check.after]
		] as const) {
			if (!moment) continue;
			const at = momentPoint(ctx, moment);
			const timed =
				typeof at === 'string'
					? []
					: outcomeOk.filter((c) => (edge === 'before' ? isBefore(c, at) : !isBefore(c, at)));
			parts.push({
				text: `${edge} ${describeMoment(moment)}`,
				pass: timed.length > 0,
				note: typeof at === 'string' ? at : `yours was ${edge === 'before' ? 'after' : 'before'} it`
			});
		}
		return parts;
	},

	tokenIssued(check, ctx) {
		const principal = resolvePrincipal(ctx.world, check.principal);
		const audience = check.resource.replace(/\/$/, '');
		const text = `a token for ${check.resource}${check.endpoint ? ` from ${check.endpoint === 'imds' ? 'IMDS' : 'the App Service endpoint'}` : ''}`;
		if (!principal.ok)
			return [{ text: `${text} for ${check.principal}`, pass: false, note: principal.why }];
		const tokens = learnerEvents(ctx).filter(
			(e): e is TokenEvent => e.kind === 'token' && e.principalId === principal.value.principalId
		);
		const right = tokens.filter(
			(t) =>
				t.resource.replace(/\/$/, '') === audience &&
				(check.endpoint === undefined || t.endpoint === check.endpoint)
		);
		return [
			{
				text: `${text} issued to ${principal.value.label}`,
				pass: right.length > 0,
				note:
					tokens.length > 0
						? `yours were for ${[...new Set(tokens.map((t) => t.resource))].join(', ')}`
						: 'none yet'
			}
		];
	},

	resourceExists(check, { world }) {
		const want = check.exists ?? true;
		const there = resourceNamed(world, check.resource) !== undefined;
		return [
			{
				text: want ? `${check.resource} exists` : `${check.resource} is deleted`,
				pass: there === want,
				note: there ? 'it still exists' : 'it does not exist'
			}
		];
	},

	principalExists(check, { world }) {
		const want = check.exists ?? true;
		const lower = check.name.toLowerCase();
		const found = Object.values(world.directory.servicePrincipals).filter(
			(sp) =>
				sp.displayName.toLowerCase() === lower &&
				(check.type === undefined || sp.servicePrincipalType === check.type)
		);
		const kind =
			check.type === 'ManagedIdentity' ? 'managed identity principal' : 'service principal';
		return [
			{
				text: want ? `${kind} ${check.name} exists` : `${kind} ${check.name} is gone`,
				pass: found.length > 0 === want,
				note:
					found.length > 0
						? `still there (object id ${found[0]?.id ?? ''})`
						: 'not in the directory'
			}
		];
	},

	noOrphanedIdentity(_check, { world }) {
		const users = new Set<string>();
		for (const r of Object.values(world.resources))
			if (isIdentityHost(r)) for (const id of r.identity.userAssigned) users.add(id.toLowerCase());
		const orphans = Object.values(world.resources).filter(
			(r) => r.kind === 'userAssignedIdentity' && !users.has(r.id.toLowerCase())
		);
		return [
			{
				text: 'no orphaned user-assigned identity',
				pass: orphans.length === 0,
				note: `${orphans.map((o) => o.name).join(', ')} ${orphans.length === 1 ? 'is' : 'are'} assigned to nothing`
			}
		];
	},

	noStaleAssignment(_check, { world }) {
		const stale = activeAssignments(world).filter((a) => !directoryHas(world, a.principalId));
		return [
			{
				text: 'no role assignment for a deleted identity',
				pass: stale.length === 0,
				note: stale
					.map(
						(a) => `${roleName(a.roleDefinitionId)} at ${shortScope(a.scope)} → Identity not found`
					)
					.join(', ')
			}
		];
	},

	noSecretInConfig(check, { world }) {
		const r = resourceNamed(world, check.resource);
		const machine = world.outsideMachines[check.resource];
		const sources: [string, string][] = [];
		if (r && 'files' in r)
			for (const [path, text] of Object.entries(r.files)) sources.push([path, text]);
		if (r && (r.kind === 'webApp' || r.kind === 'functionApp'))
			for (const [name, value] of Object.entries(r.appSettings))
				sources.push([`app setting ${name}`, value]);
		if (machine)
			for (const [path, text] of Object.entries(machine.files)) sources.push([path, text]);
		if (!r && !machine)
			return [{ text: `${check.resource} exists`, pass: false, note: 'nothing has that name' }];
		const found = sources.flatMap(([where, text]) =>
			secretsIn(text, check.kinds).map((what) => `${what} in ${where}`)
		);
		const what = check.kinds ? check.kinds.map((k) => SECRET_NAMES[k]).join(' or ') : 'secret';
		return [
			{
				text: `no ${what} in the configuration of ${check.resource}`,
				pass: found.length === 0,
				note: found.join(', ')
			}
		];
	},

	roleAssignmentCount(check, { world }) {
		const role = findRole(check.role);
		const scope = resolveScope(world, check.scope);
		if (!role || !scope)
			return [
				{ text: `${check.role} at ${check.scope}`, pass: false, note: 'unknown role or scope' }
			];
		const target = normalizeScope(scope);
		const n = activeAssignments(world).filter(
			(a) => findRole(a.roleDefinitionId)?.id === role.id && normalizeScope(a.scope) === target
		).length;
		return [
			{
				text: `${check.count} ${role.roleName} assignment${check.count === 1 ? '' : 's'} at ${shortScope(scope)}`,
				pass: n === check.count,
				note: `there ${n === 1 ? 'is' : 'are'} ${n}`
			}
		];
	},

	quizCorrect(check, ctx) {
		const questions = check.question ? ctx.quiz.filter((q) => q.id === check.question) : ctx.quiz;
		const wrong = questions.filter((q) => !isAnsweredCorrectly(q, ctx.answers[q.id]));
		const unanswered = wrong.filter((q) => (ctx.answers[q.id] ?? []).length === 0);
		return [
			{
				text: check.question
					? `quiz question ${check.question} answered correctly`
					: 'quiz answered correctly',
				pass: questions.length > 0 && wrong.length === 0,
				note:
					unanswered.length === wrong.length
						? `${unanswered.length} not answered yet`
						: `${wrong.length - unanswered.length} answered wrongly, ${unanswered.length} not answered`
			}
		];
	}
};

/** True when exactly the options marked correct are chosen. */
export function isAnsweredCorrectly(
	question: QuizQuestion,
	chosen: readonly number[] | undefined
): boolean {
	const right = question.options.flatMap((o, i) => (o.correct ? [i] : []));
	const picked = [...new Set(chosen ?? [])].sort((a, b) => a - b);
	return right.length === picked.length && right.every((r, i) => r === picked[i]);
}

/** Evaluates one check. Never throws. */
export function evaluateCheck(check: Check, ctx: CheckContext): CheckResult {
	const evaluator = EVALUATORS[check.check] as Evaluator<CheckKind>;
	return result(check, evaluator(check, ctx));
}

/** Evaluates every check of every task: results by task id, in the lesson's order. */
export function evaluateTasks(
	tasks: readonly { id: string; checks: readonly Check[] }[],
	ctx: CheckContext
): { taskId: string; pass: boolean; results: CheckResult[] }[] {
	return tasks.map((task) => {
		const results = task.checks.map((c) => evaluateCheck(c, ctx));
		return { taskId: task.id, pass: results.every((r) => r.pass), results };
	});
}

/** The names of all check kinds (for docs and tests). */
export const CHECK_KINDS = Object.keys(EVALUATORS) as CheckKind[];
