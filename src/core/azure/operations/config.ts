/**
 * An application's configuration: files on a machine (a VM's `/etc/stock-app/appsettings.json`, a file on an
 * outside server) and the app settings of a web or function app. This is where the stock app keeps the
 * secrets a managed identity replaces, so removing them is a change to the world like any other.
 */
import type { OperationError } from '../errors.ts';
import { opError } from '../errors.ts';
import type { OperationContext, WorldDraft } from './context.ts';
import { idKey } from '../naming.ts';
import { ownEntry } from '../queries.ts';
import { isPlainObject, reservedKeyProblem } from './validate.ts';

/** Learner input as text for a message; objects without a prototype cannot be converted by String(). */
function shown(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || value === undefined)
		return String(value);
	return 'that value';
}

function pathProblem(path: unknown): OperationError | null {
	if (typeof path !== 'string' || !/^\/[^\0]*[^/]$/.test(path) || path.includes('/../')) {
		return opError(
			'InvalidInput',
			`'${shown(path)}' is not a file path: give an absolute path such as /etc/stock-app/appsettings.json.`
		);
	}
	return reservedKeyProblem(path, 'a file path');
}

/**
 * Operation: write (create or replace) a file on a VM, a scale set's instances, a web or function app, or a
 * machine outside Azure (`machine`: its name). `content: null` deletes the file.
 */
export function writeFile(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { resourceId?: string; machine?: string; path: string; content: string | null }
): OperationError | void {
	const problem = pathProblem(input?.path);
	if (problem) return problem;
	if (input.content !== null && typeof input.content !== 'string')
		return opError('InvalidInput', 'A file needs text content (or null to delete it).');
	let files: Record<string, string>;
	let where: string;
	let resourceId: string;
	if (input.machine !== undefined) {
		if (typeof input.machine !== 'string')
			return opError('InvalidInput', 'machine must be the name of a machine outside Azure.');
		const machine = ownEntry(draft.outsideMachines, input.machine);
		if (!machine)
			return opError(
				'ResourceNotFound',
				`No machine named '${input.machine}' exists in this world.`
			);
		files = machine.files;
		where = machine.name;
		resourceId = machine.hostname;
	} else {
		const r = ownEntry(
			draft.resources,
			idKey(typeof input.resourceId === 'string' ? input.resourceId : '')
		);
		if (
			!r ||
			(r.kind !== 'virtualMachine' &&
				r.kind !== 'virtualMachineScaleSet' &&
				r.kind !== 'webApp' &&
				r.kind !== 'functionApp')
		) {
			return opError(
				'ResourceNotFound',
				`No VM, scale set or app has the id '${shown(input.resourceId)}': files live on machines.`
			);
		}
		files = r.files;
		where = r.name;
		resourceId = r.id;
	}
	const existed = Object.hasOwn(files, input.path);
	if (input.content === null) {
		if (!existed) return opError('InvalidInput', `${where} has no file ${input.path}.`);
		delete files[input.path];
	} else {
		files[input.path] = input.content;
	}
	ctx.emit({
		kind: 'activity',
		operationName: 'Lab/files/write',
		resourceId,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `${input.content === null ? 'Deleted' : existed ? 'Changed' : 'Created'} ${input.path} on ${where}.`
	});
}

/** Operation: set and remove app settings of a web or function app (what its code sees as environment variables). */
export function setAppSettings(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { resourceId: string; set?: Record<string, string>; remove?: string[] }
): OperationError | void {
	const site = ownEntry(
		draft.resources,
		idKey(typeof input?.resourceId === 'string' ? input.resourceId : '')
	);
	if (!site || (site.kind !== 'webApp' && site.kind !== 'functionApp')) {
		return opError(
			'ResourceNotFound',
			`No web app or function app has the id '${shown(input?.resourceId)}'.`
		);
	}
	const set = input.set ?? {};
	const remove = input.remove ?? [];
	if (!isPlainObject(set) || Object.values(set).some((value) => typeof value !== 'string'))
		return opError('InvalidInput', 'Settings are names with text values, e.g. { "Mode": "live" }.');
	if (!Array.isArray(remove) || remove.some((n) => typeof n !== 'string'))
		return opError('InvalidInput', 'Give the names of the settings to remove as a list of text.');
	for (const name of Object.keys(set)) {
		if (!/^[A-Za-z0-9_.:-]+$/.test(name))
			return opError(
				'InvalidInput',
				`'${name}' is not a valid setting name: use letters, digits, '_', '.', ':' and '-'.`
			);
	}
	const missing = remove.filter((n) => !Object.hasOwn(site.appSettings, n));
	if (missing.length > 0)
		return opError('InvalidInput', `${site.name} has no app setting named ${missing.join(', ')}.`);
	if (Object.keys(set).length === 0 && remove.length === 0)
		return opError('InvalidInput', 'Name at least one setting to set or remove.');
	for (const name of remove) delete site.appSettings[name];
	Object.assign(site.appSettings, set);
	ctx.emit({
		kind: 'activity',
		operationName: 'Microsoft.Web/sites/config/write',
		resourceId: `${site.id}/config/appsettings`,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: [
			Object.keys(set).length ? `Set ${Object.keys(set).join(', ')}` : '',
			remove.length ? `Removed ${remove.join(', ')}` : ''
		]
			.filter(Boolean)
			.join('; ')
			.concat(` on ${site.name}.`)
	});
}
