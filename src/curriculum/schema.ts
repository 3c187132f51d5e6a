/**
 * The lesson format as valibot schemas: the front matter of `lessons/NN-<id>/index.md` and the scenario in
 * `lessons/NN-<id>/scenario.yaml` (or `.json`). Every lesson is readable data — steps are terminal lines or
 * named portal actions, checks are named predicates — and every validation error names the file and the field.
 */
import * as v from 'valibot';

const text = (what: string) =>
	v.pipe(v.string(`${what} must be text`), v.minLength(1, `${what} must not be empty`));

/** Places a terminal line can be typed in: `cloud-shell`, a resource name (`vm-stock-app`) or an outside machine. */
const Place = text('a place (cloud-shell, or the name of a VM, web app or outside machine)');

/** A terminal line, typed where `in` says (default: Cloud Shell). */
export const RunStepSchema = v.strictObject({
	run: text('run (the terminal line)'),
	in: v.optional(Place)
});

/** The portal actions a step can name; `portalOperations` maps each to core operations. */
export const PORTAL_ACTIONS = [
	'identity.enableSystemAssigned',
	'identity.disableSystemAssigned',
	'identity.createUserAssigned',
	'identity.assignUserAssigned',
	'identity.removeUserAssigned',
	'roleAssignment.create',
	'roleAssignment.delete',
	'resource.delete',
	'appSettings.delete',
	'clock.advance'
] as const;
export type PortalAction = (typeof PORTAL_ACTIONS)[number];

/** A portal action, written as a named step (what the blades do when *show me* drives them). */
export const PortalStepSchema = v.strictObject({
	portal: v.picklist(PORTAL_ACTIONS, `portal must be one of: ${PORTAL_ACTIONS.join(', ')}`),
	/** The resource the blade is open on (a name such as `vm-stock-app`). */
	resource: v.optional(text('resource')),
	/** A user-assigned identity (its name). */
	identity: v.optional(text('identity')),
	/** Resource group for identity.createUserAssigned (default: the resource group of `resource` or rg-stock). */
	resourceGroup: v.optional(text('resourceGroup')),
	/** A principal reference (see docs/authoring.md): a resource name, an identity name or a user's UPN. */
	principal: v.optional(text('principal')),
	role: v.optional(text('role')),
	/** A scope reference: a resource name, a resource group name, `subscription`, or an ARM id. */
	scope: v.optional(text('scope')),
	/** App setting names (appSettings.delete). */
	settings: v.optional(v.array(text('a setting name'))),
	/** Seconds (clock.advance). */
	seconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)))
});

/** One reference step: a terminal line or a portal action. */
export const StepSchema = v.union(
	[RunStepSchema, PortalStepSchema],
	'a step is { run, in? } or { portal, … }'
);

export type RunStep = v.InferOutput<typeof RunStepSchema>;
export type PortalStep = v.InferOutput<typeof PortalStepSchema>;
export type Step = v.InferOutput<typeof StepSchema>;

const Principal = text('principal (a resource name, identity name or user principal name)');
const Scope = text('scope (a resource name, resource group name, subscription, or ARM id)');
/** The services a request check can ask about: the data planes and ARM, and the token endpoints. */
export const REQUEST_SERVICES = [
	'keyVault',
	'storage',
	'sql',
	'arm',
	'imds',
	'appService',
	'arc',
	'entra'
] as const;
const Service = v.picklist(
	REQUEST_SERVICES,
	`service must be one of: ${REQUEST_SERVICES.join(', ')}`
);

const AssignmentRef = v.strictObject({ principal: Principal, role: text('role') });

/**
 * A moment: seconds after the lesson's start, when a role assignment was created, or when it took effect
 * (created + the propagation delay).
 */
const MomentSchema = v.union(
	[
		v.strictObject({ secondsAfterStart: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
		v.strictObject({ assignmentCreated: AssignmentRef }),
		v.strictObject({ assignmentEffective: AssignmentRef })
	],
	'a moment is { secondsAfterStart }, { assignmentCreated: { principal, role } } or { assignmentEffective: { principal, role } }'
);

const checkBase = { label: v.optional(text('label')) };

/** The kinds of secret `noSecretInConfig` looks for. */
export const SECRET_KINDS = [
	'storageKey',
	'sas',
	'password',
	'clientSecret',
	'privateKey'
] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

/** Every goal check: a discriminated union on `check`. */
export const CheckSchema = v.variant(
	'check',
	[
		v.strictObject({
			check: v.literal('identityEnabled'),
			...checkBase,
			resource: text('resource'),
			enabled: v.optional(v.boolean())
		}),
		v.strictObject({
			check: v.literal('userIdentityAssigned'),
			...checkBase,
			identity: text('identity'),
			resource: text('resource'),
			assigned: v.optional(v.boolean())
		}),
		v.strictObject({
			check: v.literal('roleAssignment'),
			...checkBase,
			principal: Principal,
			role: text('role'),
			scope: Scope,
			match: v.optional(v.picklist(['exact', 'atLeast'], 'match must be exact or atLeast')),
			present: v.optional(v.boolean())
		}),
		v.strictObject({
			check: v.literal('leastPrivilege'),
			...checkBase,
			principal: Principal,
			/** A scope, or several: every assignment must lie at or below one of them. */
			notAbove: v.optional(v.union([Scope, v.array(Scope)])),
			forbiddenRoles: v.optional(v.array(text('a role name')))
		}),
		v.strictObject({
			check: v.literal('request'),
			...checkBase,
			principal: v.optional(Principal),
			service: Service,
			operation: v.optional(text('operation')),
			outcome: v.optional(
				v.picklist(['succeeded', 'failed'], 'outcome must be succeeded or failed')
			),
			status: v.optional(v.pipe(v.number(), v.integer())),
			code: v.optional(text('code')),
			authMethod: v.optional(v.picklist(['bearer', 'sharedKey', 'none'])),
			from: v.optional(Place),
			before: v.optional(MomentSchema),
			after: v.optional(MomentSchema)
		}),
		v.strictObject({
			check: v.literal('tokenIssued'),
			...checkBase,
			principal: Principal,
			resource: text('resource (the audience, e.g. https://vault.azure.net)'),
			endpoint: v.optional(v.picklist(['imds', 'appService']))
		}),
		v.strictObject({
			check: v.literal('resourceExists'),
			...checkBase,
			resource: text('resource'),
			exists: v.optional(v.boolean())
		}),
		v.strictObject({
			check: v.literal('principalExists'),
			...checkBase,
			name: text(
				'name (the display name of the service principal: for a managed identity, its resource name)'
			),
			type: v.optional(v.picklist(['ManagedIdentity', 'Application', 'Legacy'])),
			exists: v.optional(v.boolean())
		}),
		v.strictObject({ check: v.literal('noOrphanedIdentity'), ...checkBase }),
		v.strictObject({ check: v.literal('noStaleAssignment'), ...checkBase }),
		v.strictObject({
			check: v.literal('noSecretInConfig'),
			...checkBase,
			resource: text('resource'),
			/** Only these kinds of secret (default: all). */
			kinds: v.optional(
				v.pipe(
					v.array(v.picklist(SECRET_KINDS, `a secret kind is one of: ${SECRET_KINDS.join(', ')}`)),
					v.minLength(1, 'kinds lists at least one kind of secret')
				)
			)
		}),
		v.strictObject({
			check: v.literal('roleAssignmentCount'),
			...checkBase,
			role: text('role'),
			scope: Scope,
			count: v.pipe(v.number(), v.integer(), v.minValue(0))
		}),
		v.strictObject({
			check: v.literal('quizCorrect'),
			...checkBase,
			question: v.optional(text('question'))
		})
	],
	'check must name a known check (see docs/authoring.md)'
);

export type Check = v.InferOutput<typeof CheckSchema>;
export type CheckKind = Check['check'];
export type Moment = v.InferOutput<typeof MomentSchema>;

const TaskSchema = v.strictObject({
	id: v.pipe(
		text('id'),
		v.regex(/^[a-z0-9-]+$/, 'id must be lower-case letters, digits and hyphens')
	),
	text: text('text'),
	checks: v.pipe(v.array(CheckSchema), v.minLength(1, 'a task needs at least one check')),
	hints: v.pipe(v.array(text('a hint')), v.minLength(1, 'a task needs at least one hint'))
});

const DemonstrationSchema = v.strictObject({
	before: text('before'),
	step: StepSchema,
	after: text('after'),
	notes: text('notes (speaker notes)')
});

const OptionSchema = v.strictObject({
	text: text('text'),
	correct: v.boolean('correct must be true or false'),
	explanation: text('explanation')
});

const QuestionSchema = v.pipe(
	v.strictObject({
		id: v.pipe(
			text('id'),
			v.regex(/^[a-z0-9-]+$/, 'id must be lower-case letters, digits and hyphens')
		),
		question: text('question'),
		options: v.pipe(v.array(OptionSchema), v.minLength(2, 'a question needs at least two options'))
	}),
	v.check(
		(q) => q.options.some((o) => o.correct),
		'a question needs at least one option marked correct: true'
	)
);

const StartSchema = v.strictObject({
	/** `default` (the default world), `empty` (an empty subscription), `previous` (the previous lesson's end) or a world file. */
	from: v.union([
		v.picklist(['default', 'empty', 'previous']),
		v.pipe(
			text('from'),
			v.regex(/\.json$/, 'from is default, empty, previous or a world .json file')
		)
	]),
	steps: v.optional(v.array(StepSchema))
});

/** The scenario file of a lesson. */
export const ScenarioSchema = v.strictObject({
	$schema: v.optional(v.string()),
	start: StartSchema,
	tasks: v.pipe(v.array(TaskSchema), v.minLength(1, 'a lesson needs at least one task')),
	solution: v.pipe(v.array(StepSchema), v.minLength(1, 'a lesson needs a reference solution')),
	walkthrough: v.pipe(v.array(DemonstrationSchema), v.minLength(1, 'a lesson needs a walkthrough')),
	quiz: v.pipe(
		v.array(QuestionSchema),
		v.minLength(2, 'a quiz has 2 to 5 questions'),
		v.maxLength(5, 'a quiz has 2 to 5 questions')
	)
});

export type Scenario = v.InferOutput<typeof ScenarioSchema>;
export type Task = Scenario['tasks'][number];
export type QuizQuestion = Scenario['quiz'][number];
export type Demonstration = Scenario['walkthrough'][number];

/** The lesson sequences of the catalogue, in order. */
export const SEQUENCES = ['foundations', 'token-path', 'operations', 'advanced'] as const;
export type Sequence = (typeof SEQUENCES)[number];

/** The front matter of `index.md`. */
export const FrontMatterSchema = v.strictObject({
	id: v.pipe(
		text('id'),
		v.regex(/^[a-z0-9-]+$/, 'id must be lower-case letters, digits and hyphens')
	),
	title: text('title'),
	summary: text('summary'),
	minutes: v.pipe(v.number('minutes must be a number'), v.integer(), v.minValue(1)),
	objectives: v.pipe(v.array(text('an objective')), v.minLength(1, 'list at least one objective')),
	sequence: v.picklist(SEQUENCES, `sequence must be one of: ${SEQUENCES.join(', ')}`)
});

export type FrontMatter = v.InferOutput<typeof FrontMatterSchema>;

/** A loaded lesson: its folder number, front matter, prose and scenario. */
export interface Lesson extends FrontMatter {
	/** The NN of the folder name, e.g. 3 for `03-system-assigned`. */
	number: number;
	/** Folder name, e.g. `03-system-assigned`. */
	folder: string;
	/** The Markdown after the front matter. */
	prose: string;
	scenario: Scenario;
	/** World files of the folder (`start.from: <name>.json`), as their snapshot text, by file name. */
	worlds?: Record<string, string>;
}

/** Formats valibot issues as "file: field.path: message" lines. */
export function formatIssues(file: string, issues: readonly v.BaseIssue<unknown>[]): string[] {
	return issues.map((issue) => {
		const path = v.getDotPath(issue);
		return `${file}: ${path ?? '(top level)'}: ${issue.message}`;
	});
}
