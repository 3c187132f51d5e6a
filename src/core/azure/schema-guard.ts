/**
 * A fast yes/no check compiled from a valibot schema. valibot builds an output copy of every object it
 * validates, which dominates restoring a large world; this guard only walks the input. It answers `true` only
 * when valibot would accept the value: any schema or action it does not know makes it answer `false`, and the
 * caller then asks valibot itself, which also words the error. One source of truth: the valibot schema.
 */

/** A compiled check. */
export type Guard = (value: unknown) => boolean;

/** The parts of a valibot schema or action object the compiler reads. */
interface SchemaNode {
	kind?: string;
	type: string;
	pipe?: SchemaNode[];
	requirement?: unknown;
	literal?: unknown;
	options?: unknown[];
	wrapped?: SchemaNode;
	entries?: Record<string, SchemaNode>;
	key?: SchemaNode | string;
	value?: SchemaNode;
	item?: SchemaNode;
}

const never: Guard = () => false;

/**
 * A variant's options by the value of their tag, when every tag is a plain literal or picklist (as valibot does,
 * the first option that takes a value wins); null when some tag is anything else.
 */
function optionsByTag(options: unknown[], discriminator: string): Map<unknown, Guard> | null {
	const byTag = new Map<unknown, Guard>();
	for (const option of options) {
		const o = option as SchemaNode;
		const tag = o.entries?.[discriminator];
		if (!tag || tag.pipe) return null;
		let values: unknown[];
		if (tag.type === 'literal') values = [tag.literal];
		else if (tag.type === 'picklist') values = tag.options ?? [];
		else return null;
		const check = compileGuard(o);
		// A Map finds NaN, which no literal equals: leave NaN to the slow path that says no.
		for (const value of values)
			if (!byTag.has(value) && !Number.isNaN(value)) byTag.set(value, check);
	}
	return byTag;
}

function isRecordObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compileAction(action: SchemaNode): Guard {
	switch (action.type) {
		case 'integer':
			return (value) => Number.isInteger(value);
		case 'min_value':
			return (value) =>
				typeof value === 'number' &&
				typeof action.requirement === 'number' &&
				value >= action.requirement;
		case 'max_value':
			return (value) =>
				typeof value === 'number' &&
				typeof action.requirement === 'number' &&
				value <= action.requirement;
		case 'finite':
			return (value) => Number.isFinite(value);
		default:
			return never;
	}
}

function compileBase(node: SchemaNode): Guard {
	switch (node.type) {
		case 'string':
			return (value) => typeof value === 'string';
		case 'number':
			return (value) => typeof value === 'number' && !Number.isNaN(value);
		case 'boolean':
			return (value) => typeof value === 'boolean';
		case 'unknown':
			return () => true;
		case 'literal':
			return (value) => value === node.literal;
		case 'picklist': {
			const options = new Set(node.options ?? []);
			return (value) => options.has(value);
		}
		case 'nullable': {
			const inner = compileGuard(node.wrapped);
			return (value) => value === null || inner(value);
		}
		case 'optional': {
			const inner = compileGuard(node.wrapped);
			return (value) => value === undefined || inner(value);
		}
		case 'array': {
			const item = compileGuard(node.item);
			return (value) => {
				if (!Array.isArray(value)) return false;
				for (let i = 0; i < value.length; i++) if (!item(value[i])) return false;
				return true;
			};
		}
		case 'record': {
			const key = typeof node.key === 'object' ? compileGuard(node.key) : never;
			const entry = compileGuard(node.value);
			return (value) => {
				if (!isRecordObject(value)) return false;
				// for…in also visits inherited enumerable keys: that can only turn a yes into a no, which is safe.
				for (const name in value) if (!key(name) || !entry(value[name])) return false;
				return true;
			};
		}
		case 'object':
		case 'loose_object':
		case 'strict_object': {
			const names = Object.keys(node.entries ?? {});
			const checks = names.map((name) => compileGuard(node.entries?.[name]));
			const known = new Set(names);
			const strict = node.type === 'strict_object';
			return (value) => {
				if (!isRecordObject(value)) return false;
				for (let i = 0; i < names.length; i++)
					if (!(checks[i] as Guard)(value[names[i] as string])) return false;
				if (strict) for (const name in value) if (!known.has(name)) return false;
				return true;
			};
		}
		case 'variant': {
			const discriminator = typeof node.key === 'string' ? node.key : '';
			const options = (node.options ?? []).map((option) => {
				const o = option as SchemaNode;
				const tag = o.entries?.[discriminator];
				return { tag: tag ? compileGuard(tag) : never, check: compileGuard(o) };
			});
			const byTag = optionsByTag(node.options ?? [], discriminator);
			if (byTag !== null)
				return (value) => {
					if (!isRecordObject(value)) return false;
					const check = byTag.get(value[discriminator]);
					return check !== undefined && check(value);
				};
			return (value) => {
				if (!isRecordObject(value)) return false;
				const option = options.find((o) => o.tag(value[discriminator]));
				return option !== undefined && option.check(value);
			};
		}
		default:
			return never;
	}
}

/** Compiles a valibot schema into a guard; unknown schema types compile to a guard that always says no. */
export function compileGuard(schema: unknown): Guard {
	const node = schema as SchemaNode | undefined;
	if (!node || typeof node.type !== 'string') return never;
	// A piped schema's first item is the schema it pipes (itself piped when pipes nest): its checks come first.
	const root = node.pipe?.[0];
	const base = root && root !== node ? compileGuard(root) : compileBase(node);
	const actions = (node.pipe ?? [])
		.slice(1)
		.map((action) => (action.kind === 'validation' ? compileAction(action) : never));
	if (actions.length === 0) return base;
	return (value) => {
		if (!base(value)) return false;
		for (let i = 0; i < actions.length; i++) if (!(actions[i] as Guard)(value)) return false;
		return true;
	};
}
