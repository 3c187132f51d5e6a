/**
 * Lookups by a key that may come from a learner (a name, an id, a flag, a JSON key): only the record's own
 * entries count, never what every object inherits from `Object.prototype` (`constructor`, `toString`,
 * `__proto__`, `hasOwnProperty`…).
 */

/** The value filed under `key` in `record`, if the record itself has that key. */
export function own<T>(record: Readonly<Partial<Record<string, T>>>, key: string): T | undefined {
	return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Files `value` under `key` in a plain object as its own entry, even for `__proto__` (an assignment would
 * change the object's prototype instead). Not for drafts of the world: their writes go through operations.
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
	Object.defineProperty(record, key, {
		value,
		writable: true,
		enumerable: true,
		configurable: true
	});
}
