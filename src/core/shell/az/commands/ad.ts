/**
 * az ad: the directory through Microsoft Graph — service principals (enterprise applications, among them the
 * managed identities), app registrations and users. `--filter` takes the OData forms used with these lists.
 */
import type { Application, ServicePrincipal, User, World } from '../../../azure/model.ts';
import { isGuid } from '../../../ids.ts';
import type { AzCommand, AzOutcome } from '../types.ts';
import { flag, str } from '../args.ts';
import { failure, success } from '../common.ts';
import { servicePrincipalView } from '../views.ts';
import { cloudShellUser } from '../../state.ts';
import { own } from '../../../own.ts';

type Row = Record<string, unknown>;

/** A property's text for comparing (objects and lists compare as empty). */
function scalarText(value: unknown): string {
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
		? String(value)
		: '';
}

/** Evaluates the OData `$filter` forms Graph lists are usually filtered with; an error names the clause. */
export function odataFilter(
	filter: string
): { ok: true; test: (row: Row) => boolean } | { ok: false; clause: string } {
	// `or` and `and` between blanks; each clause is trimmed below. (`/\s+or\s+/` would retry every blank of a
	// long run of them: quadratic in a pasted line.)
	const alternatives = filter
		.split(/(?<=\s)or(?=\s)/i)
		.map((part) => part.split(/(?<=\s)and(?=\s)/i));
	const tests: ((row: Row) => boolean)[][] = [];
	for (const conjunction of alternatives) {
		const all: ((row: Row) => boolean)[] = [];
		for (const raw of conjunction) {
			const clause = raw
				.trim()
				.replace(/^\((.*)\)$/, '$1')
				.trim();
			const literal = /^(\w+)\s+(eq|ne)\s+'((?:[^']|'')*)'$/i.exec(clause);
			const bool = /^(\w+)\s+(eq|ne)\s+(true|false)$/i.exec(clause);
			const starts = /^startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(clause);
			if (literal) {
				const [, prop = '', op = '', value = ''] = literal;
				const wanted = value.replace(/''/g, "'").toLowerCase();
				const negate = op.toLowerCase() === 'ne';
				all.push((row) => (scalarText(row[prop]).toLowerCase() === wanted) !== negate);
			} else if (bool) {
				const [, prop = '', op = '', value = ''] = bool;
				const negate = op.toLowerCase() === 'ne';
				all.push((row) => (row[prop] === (value.toLowerCase() === 'true')) !== negate);
			} else if (starts) {
				const [, prop = '', value = ''] = starts;
				const prefix = value.replace(/''/g, "'").toLowerCase();
				all.push((row) => scalarText(row[prop]).toLowerCase().startsWith(prefix));
			} else {
				return { ok: false, clause };
			}
		}
		tests.push(all);
	}
	return { ok: true, test: (row) => tests.some((all) => all.every((t) => t(row))) };
}

function filterFailure(clause: string): AzOutcome {
	return failure(
		`Invalid filter clause: '${clause}'`,
		1,
		"This lab's Graph understands prop eq 'value', prop ne 'value', startswith(prop,'value'), joined with and/or. Example: --filter \"servicePrincipalType eq 'ManagedIdentity'\""
	);
}

/** The OData clause of `--display-name`: the display name starts with the text. */
function displayNameClause(displayName: string): string {
	return `startswith(displayName,'${displayName.replace(/'/g, "''")}')`;
}

/** The rows every clause keeps, or az's error for the first clause the lab cannot evaluate. */
function applyClauses(rows: Row[], clauses: readonly string[]): Row[] | AzOutcome {
	let kept = rows;
	for (const clause of clauses) {
		const compiled = odataFilter(clause);
		if (!compiled.ok) return filterFailure(compiled.clause);
		kept = kept.filter(compiled.test);
	}
	return kept;
}

function findServicePrincipal(world: World, id: string): ServicePrincipal | undefined {
	const lower = id.toLowerCase();
	const sps = Object.values(world.directory.servicePrincipals);
	return (
		sps.find((sp) => sp.servicePrincipalNames.some((n) => n.toLowerCase() === lower)) ??
		own(world.directory.servicePrincipals, lower)
	);
}

function notFound(id: string): AzOutcome {
	return isGuid(id)
		? failure(
				`Resource '${id}' does not exist or one of its queried reference-property objects are not present.`
			)
		: failure(`Service principal '${id}' doesn't exist`);
}

const spShow: AzCommand = {
	name: 'ad sp show',
	summary: 'Get the details of a service principal.',
	args: [
		{ dest: 'id', options: ['--id'], required: true, help: 'Service principal name, or object id.' }
	],
	examples: [
		{
			command: 'az ad sp show --id <principalId>',
			description:
				'The service principal behind an identity (servicePrincipalType ManagedIdentity).'
		}
	],
	run({ world, args }) {
		const id = str(args, 'id') ?? '';
		const sp = findServicePrincipal(world, id);
		return sp ? success(servicePrincipalView(world, sp)) : notFound(id);
	}
};

const spList: AzCommand = {
	name: 'ad sp list',
	summary: 'List service principals (enterprise applications and managed identities).',
	args: [
		{
			dest: 'displayName',
			options: ['--display-name'],
			help: "Object's display name or its prefix."
		},
		{ dest: 'spn', options: ['--spn'], help: 'Service principal name.' },
		{
			dest: 'filter',
			options: ['--filter'],
			help: "OData filter, e.g. --filter \"displayname eq 'test' and servicePrincipalType eq 'Application'\"."
		},
		{
			dest: 'all',
			options: ['--all'],
			kind: 'flag',
			help: 'List all entities, expect long delay if under a big organization.'
		},
		{
			dest: 'showMine',
			options: ['--show-mine'],
			kind: 'flag',
			help: 'List entities owned by the current user.'
		}
	],
	examples: [
		{
			command: 'az ad sp list --filter "servicePrincipalType eq \'ManagedIdentity\'" -o table',
			description: 'The managed identities of the tenant.'
		},
		{
			command: 'az ad sp list --display-name vm-stock-app',
			description: 'Service principals whose display name starts with vm-stock-app.'
		}
	],
	table: (result) =>
		(result as Row[]).map((sp) => ({
			DisplayName: sp.displayName,
			Id: sp.id,
			AppId: sp.appId,
			CreatedDateTime: sp.createdDateTime
		})),
	run({ world, args }) {
		const views = Object.values(world.directory.servicePrincipals)
			.sort((a, b) => a.createdAt - b.createdAt || a.displayName.localeCompare(b.displayName))
			.map((sp) => servicePrincipalView(world, sp));
		const clauses: string[] = [];
		const displayName = str(args, 'displayName');
		if (displayName !== undefined) clauses.push(displayNameClause(displayName));
		const spn = str(args, 'spn');
		const named =
			spn === undefined
				? views
				: views.filter((sp) =>
						(sp.servicePrincipalNames as string[]).some(
							(n) => n.toLowerCase() === spn.toLowerCase()
						)
					);
		const filter = str(args, 'filter');
		if (filter !== undefined) clauses.push(filter);
		const rows = applyClauses(named, clauses);
		if (!Array.isArray(rows)) return rows;
		const unfiltered =
			displayName === undefined &&
			spn === undefined &&
			filter === undefined &&
			!flag(args, 'all') &&
			!flag(args, 'showMine');
		return success(
			rows,
			undefined,
			unfiltered
				? [
						"The result is not complete. You can still use '--all' to get all of them with long latency expected, or provide a filter through command arguments"
					]
				: []
		);
	}
};

function userView(user: User): Row {
	const [given, ...family] = user.displayName.split(' ');
	return {
		'@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
		businessPhones: [],
		displayName: user.displayName,
		givenName: given ?? null,
		id: user.id,
		jobTitle: null,
		mail: null,
		mobilePhone: null,
		officeLocation: null,
		preferredLanguage: null,
		surname: family.length ? family.join(' ') : null,
		userPrincipalName: user.userPrincipalName
	};
}

const signedInUser: AzCommand = {
	name: 'ad signed-in-user show',
	summary: 'Get the details for the currently logged-in user.',
	args: [],
	examples: [
		{
			command: 'az ad signed-in-user show --query id -o tsv',
			description: 'Your own object id (e.g. for az sql server ad-admin create).'
		}
	],
	run({ world }) {
		const user = cloudShellUser(world);
		return user ? success(userView(user)) : failure("Please run 'az login' to setup account.");
	}
};

const userShow: AzCommand = {
	name: 'ad user show',
	summary: 'Get the details of a user.',
	args: [
		{ dest: 'id', options: ['--id'], required: true, help: 'User principal name or object id.' }
	],
	examples: [
		{ command: 'az ad user show --id sarah@contoso.onmicrosoft.com', description: 'Show a user.' }
	],
	run({ world, args }) {
		const id = (str(args, 'id') ?? '').toLowerCase();
		const user = Object.values(world.directory.users).find(
			(u) => u.id === id || u.userPrincipalName.toLowerCase() === id
		);
		return user
			? success(userView(user))
			: failure(
					`Resource '${str(args, 'id') ?? ''}' does not exist or one of its queried reference-property objects are not present.`
				);
	}
};

const userList: AzCommand = {
	name: 'ad user list',
	summary: 'List users.',
	args: [
		{
			dest: 'displayName',
			options: ['--display-name'],
			help: "Object's display name or its prefix."
		},
		{ dest: 'upn', options: ['--upn'], help: 'User principal name.' },
		{ dest: 'filter', options: ['--filter'], help: 'OData filter.' }
	],
	examples: [{ command: 'az ad user list -o table', description: 'List users.' }],
	run({ world, args }) {
		const clauses: string[] = [];
		const displayName = str(args, 'displayName');
		if (displayName !== undefined) clauses.push(displayNameClause(displayName));
		const upn = str(args, 'upn');
		if (upn !== undefined) clauses.push(`userPrincipalName eq '${upn.replace(/'/g, "''")}'`);
		const filter = str(args, 'filter');
		if (filter !== undefined) clauses.push(filter);
		const rows = applyClauses(Object.values(world.directory.users).map(userView), clauses);
		return Array.isArray(rows) ? success(rows) : rows;
	}
};

function applicationView(world: World, app: Application): Row {
	return {
		'@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#applications/$entity',
		appId: app.appId,
		displayName: app.displayName,
		id: app.id,
		keyCredentials: app.credentials
			.filter((c) => c.kind === 'certificate')
			.map((c) => ({
				displayName: c.displayName,
				endDateTime: new Date(c.endDateTime * 1000).toISOString().replace('.000Z', 'Z'),
				type: 'AsymmetricX509Cert',
				usage: 'Verify'
			})),
		passwordCredentials: app.credentials
			.filter((c) => c.kind === 'secret')
			.map((c) => ({
				displayName: c.displayName,
				endDateTime: new Date(c.endDateTime * 1000).toISOString().replace('.000Z', 'Z')
			})),
		publisherDomain: world.tenant.defaultDomain,
		signInAudience: app.signInAudience
	};
}

const appList: AzCommand = {
	name: 'ad app list',
	summary:
		'List app registrations (the global templates of applications; managed identities have none).',
	args: [
		{
			dest: 'displayName',
			options: ['--display-name'],
			help: "Object's display name or its prefix."
		},
		{ dest: 'filter', options: ['--filter'], help: 'OData filter.' },
		{ dest: 'all', options: ['--all'], kind: 'flag', help: 'List all entities.' }
	],
	examples: [
		{
			command: 'az ad app list --all -o table',
			description: 'Every app registration of the tenant.'
		}
	],
	table: (result) =>
		(result as Row[]).map((a) => ({ DisplayName: a.displayName, Id: a.id, AppId: a.appId })),
	run({ world, args }) {
		const clauses: string[] = [];
		const displayName = str(args, 'displayName');
		if (displayName !== undefined) clauses.push(displayNameClause(displayName));
		const filter = str(args, 'filter');
		if (filter !== undefined) clauses.push(filter);
		const rows = applyClauses(
			Object.values(world.directory.applications).map((a) => applicationView(world, a)),
			clauses
		);
		return Array.isArray(rows) ? success(rows) : rows;
	}
};

const appShow: AzCommand = {
	name: 'ad app show',
	summary: 'Get the details of an app registration.',
	args: [
		{
			dest: 'id',
			options: ['--id'],
			required: true,
			help: 'Identifier uri, application id, or object id.'
		}
	],
	examples: [{ command: 'az ad app show --id <appId>', description: 'Show an app registration.' }],
	run({ world, args }) {
		const id = (str(args, 'id') ?? '').toLowerCase();
		const app = Object.values(world.directory.applications).find(
			(a) => a.id === id || a.appId === id
		);
		if (app) return success(applicationView(world, app));
		const sp = findServicePrincipal(world, id);
		return failure(
			`Resource '${str(args, 'id') ?? ''}' does not exist or one of its queried reference-property objects are not present.`,
			1,
			sp?.servicePrincipalType === 'ManagedIdentity'
				? `${sp.displayName} is a managed identity: it has a service principal (az ad sp show --id ${sp.id}) but no app registration.`
				: undefined
		);
	}
};

/** The az ad commands. */
export const AD_COMMANDS: readonly AzCommand[] = [
	spShow,
	spList,
	signedInUser,
	userShow,
	userList,
	appList,
	appShow
];
