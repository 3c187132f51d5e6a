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
			return (value) => Array.isArray(value) && value.every((entry) => item(entry));
		}
		case 'record': {
			const key = typeof node.key === 'object' ? compileGuard(node.key) : never;
			const entry = compileGuard(node.value);
			return (value) => {
				if (!isRecordObject(value)) return false;
				for (const name of Object.keys(value)) if (!key(name) || !entry(value[name])) return false;
				return true;
			};
		}
		case 'object':
		case 'loose_object':
		case 'strict_object': {
			const fields = Object.entries(node.entries ?? {}).map(
				([name, schema]) => [name, compileGuard(schema)] as const
			);
			const known = new Set(fields.map(([name]) => name));
			const strict = node.type === 'strict_object';
			return (value) =>
				isRecordObject(value) &&
				fields.every(([name, check]) => check(value[name])) &&
				(!strict || Object.keys(value).every((name) => known.has(name)));
		}
		case 'variant': {
			const discriminator = typeof node.key === 'string' ? node.key : '';
			const options = (node.options ?? []).map((option) => {
				const o = option as SchemaNode;
				const tag = o.entries?.[discriminator];
				return { tag: tag ? compileGuard(tag) : never, check: compileGuard(o) };
			});
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
	return actions.length === 0
		? base
		: (value) => base(value) && actions.every((check) => check(value));
}
