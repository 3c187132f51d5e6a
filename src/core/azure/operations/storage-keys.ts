/** Storage account key rotation (`regenerateKey`): the old key stops signing requests at once. */
import type { StorageAccount } from '../model.ts';
import type { OperationError } from '../errors.ts';
import { opError } from '../errors.ts';
import type { OperationContext, WorldDraft } from './context.ts';
import { idKey } from '../naming.ts';
import { ownEntry } from '../queries.ts';
import { seededOpaque } from '../../ids.ts';

/** The names of a storage account's two keys. */
export const STORAGE_KEY_NAMES = ['key1', 'key2'] as const;

/** A storage account's key name. */
export type StorageKeyName = (typeof STORAGE_KEY_NAMES)[number];

/** A new key value: 64 bytes in base64, derived from the world's seed (replays give the same keys). */
export function newStorageKey(
	seed: string,
	accountId: string,
	keyName: string,
	counter: string,
	now: number
): string {
	return `${seededOpaque(seed, `${idKey(accountId)}:${keyName}:${counter}:${now}`, 86)}==`;
}

/** Operation: make a new value for one of a storage account's keys; Shared Key signatures made with the old one fail. */
export function regenerateStorageKey(
	draft: WorldDraft,
	ctx: OperationContext,
	input: { accountId: string; keyName: string; value?: string }
): OperationError | void {
	const account = ownEntry(draft.resources, idKey(String(input?.accountId ?? '')));
	if (!account || account.kind !== 'storageAccount') {
		return opError(
			'ResourceNotFound',
			`No storage account has the id '${String(input?.accountId)}'. List them with az storage account list.`
		);
	}
	const keyName = String(input.keyName ?? '').toLowerCase();
	if (keyName !== 'key1' && keyName !== 'key2') {
		return opError(
			'InvalidInput',
			`'${String(input.keyName)}' is not a key of a storage account: use key1 or key2.`
		);
	}
	const storage = account as StorageAccount;
	if (input.value !== undefined && !/^[A-Za-z0-9+/]{86}==$/.test(String(input.value))) {
		return opError(
			'InvalidInput',
			'A storage account key is 64 bytes in base64 (88 characters ending in ==).'
		);
	}
	storage.keys[keyName] =
		input.value ??
		newStorageKey(draft.seed, storage.id, keyName, String(draft.idCounter), draft.now);
	draft.idCounter++;
	const created = storage.keyCreationTime ?? { key1: storage.createdAt, key2: storage.createdAt };
	storage.keyCreationTime = { ...created, [keyName]: draft.now };
	ctx.emit({
		kind: 'activity',
		operationName: 'Microsoft.Storage/storageAccounts/regenerateKey/action',
		resourceId: storage.id,
		caller: ctx.caller,
		status: 'Succeeded',
		summary: `Regenerated ${keyName} of '${storage.name}'. Requests signed with the old ${keyName}, and connection strings that carry it, now fail with 403 AuthenticationFailed.`
	});
}
