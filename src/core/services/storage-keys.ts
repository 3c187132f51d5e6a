/**
 * ARM's storage account key actions: `POST …/storageAccounts/{name}/listKeys` and `…/regenerateKey`, authorized
 * by Azure RBAC control-plane actions (`Microsoft.Storage/storageAccounts/listKeys/action`, which Contributor
 * holds and Reader does not — learn.microsoft.com/azure/storage/common/storage-account-keys-manage). Whoever
 * can list the keys can use Shared Key, so Contributor on an account is a data-plane key.
 */
import type { StorageAccount, World } from '../azure/model.ts';
import { idKey } from '../azure/naming.ts';
import type { Operation } from '../azure/operations/index.ts';
import { newStorageKey } from '../azure/operations/storage-keys.ts';
import type { EpochSeconds } from '../clock.ts';
import { isoTime } from '../clock.ts';

/** The RBAC action of each key action. */
export const STORAGE_KEY_ACTIONS = {
	listKeys: 'Microsoft.Storage/storageAccounts/listKeys/action',
	regenerateKey: 'Microsoft.Storage/storageAccounts/regenerateKey/action'
} as const;

/** A key action named by an ARM path, or null. */
export interface StorageKeyRoute {
	action: keyof typeof STORAGE_KEY_ACTIONS;
	/** The storage account's id (as written in the path). */
	accountId: string;
	subscriptionId: string;
	resourceGroup: string;
	name: string;
}

/** Reads `/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Storage/storageAccounts/{n}/(listKeys|regenerateKey)`. */
export function storageKeyRoute(url: URL): StorageKeyRoute | null {
	const m =
		/^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Storage\/storageAccounts\/([^/]+)\/(listKeys|regenerateKey)\/?$/i.exec(
			url.pathname
		);
	if (!m) return null;
	const [, subscriptionId = '', resourceGroup = '', name = '', verb = ''] = m;
	return {
		action: verb.toLowerCase() === 'listkeys' ? 'listKeys' : 'regenerateKey',
		accountId: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Storage/storageAccounts/${name}`,
		subscriptionId,
		resourceGroup,
		name
	};
}

/** ARM's creation time text for a key: `2026-03-02T09:00:00.0000000Z`. */
function keyTime(at: EpochSeconds): string {
	return isoTime(at).replace(/\.\d{3}Z$/, '.0000000Z');
}

/** The body of listKeys and regenerateKey: both keys with their creation times. */
export function storageKeysBody(account: StorageAccount): { keys: Record<string, string>[] } {
	const created = account.keyCreationTime ?? { key1: account.createdAt, key2: account.createdAt };
	return {
		keys: (['key1', 'key2'] as const).map((keyName) => ({
			creationTime: keyTime(created[keyName]),
			keyName,
			value: account.keys[keyName],
			permissions: 'FULL'
		}))
	};
}

/** The storage account a route names, if it exists. */
export function storageAccountOf(world: World, route: StorageKeyRoute): StorageAccount | undefined {
	const resource = world.resources[idKey(route.accountId)];
	return resource?.kind === 'storageAccount' ? resource : undefined;
}

/** The key a regenerateKey body names (`{"keyName": "key1"}`), or null when it names none. */
export function regenerateKeyName(body: string | undefined): 'key1' | 'key2' | null {
	try {
		const parsed = JSON.parse(body ?? '') as { keyName?: unknown };
		const name = typeof parsed.keyName === 'string' ? parsed.keyName.toLowerCase() : '';
		return name === 'key1' || name === 'key2' ? name : null;
	} catch {
		return null;
	}
}

/** The operation that rotates a key, and the account as it will be once applied (for the response). */
export function regenerateOperation(
	world: World,
	account: StorageAccount,
	keyName: 'key1' | 'key2'
): { operation: Operation; after: StorageAccount } {
	const value = newStorageKey(world.seed, account.id, keyName, String(world.idCounter), world.now);
	const created = account.keyCreationTime ?? { key1: account.createdAt, key2: account.createdAt };
	return {
		operation: { type: 'regenerateStorageKey', accountId: account.id, keyName, value },
		after: {
			...account,
			keys: { ...account.keys, [keyName]: value },
			keyCreationTime: { ...created, [keyName]: world.now }
		}
	};
}
