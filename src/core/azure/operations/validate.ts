/** Checks of operation inputs that several handlers share: a refused field never reaches the world. */
import type { OperationError } from '../errors.ts';
import { opError } from '../errors.ts';

/** True for a plain object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Null when `key` can name an entry of a record. `__proto__` cannot: assigning it would change the record's
 * prototype instead of adding an entry.
 */
export function reservedKeyProblem(key: string, what: string): OperationError | null {
	return key === '__proto__'
		? opError(
				'InvalidName',
				`'__proto__' cannot be used as ${what} in this lab. Choose another name.`
			)
		: null;
}

/**
 * Null when an optional map of text (tags, app settings, files, secrets) is absent or well formed, else an
 * InvalidInput error that names the field.
 */
export function stringMapProblem(value: unknown, field: string): OperationError | null {
	if (value === undefined) return null;
	if (!isPlainObject(value)) {
		return opError(
			'InvalidInput',
			`${field} must be an object of names and text values, e.g. { "env": "prod" }.`
		);
	}
	for (const [key, item] of Object.entries(value)) {
		const reserved = reservedKeyProblem(key, `a name in ${field}`);
		if (reserved) return reserved;
		if (typeof item !== 'string') {
			return opError(
				'InvalidInput',
				`${field}.${key} must be text, not ${item === null ? 'null' : typeof item}.`
			);
		}
	}
	return null;
}

/** Null when an optional text field is absent or non-empty text, else an InvalidInput error. */
export function optionalTextProblem(
	value: unknown,
	field: string,
	example: string
): OperationError | null {
	if (value === undefined || (typeof value === 'string' && value.length > 0)) return null;
	return opError('InvalidInput', `${field} must be text such as ${example}.`);
}
