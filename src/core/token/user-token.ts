/**
 * The Cloud Shell user's access tokens. In Azure, Cloud Shell is signed in as the learner's account and az gets
 * delegated tokens for it from Entra ID (client: Azure CLI). The lab does the same: a v1.0 user token for the
 * admin (Sarah), signed with the tenant's active key, with the claims of a user token. Services then judge it
 * exactly as they judge a managed identity's token — signature, audience, expiry, then Azure RBAC for its `oid` —
 * so an Owner without a data role gets 403 from Key Vault and Storage, as in Azure.
 */
import type { User, World } from '../azure/model.ts';
import type { Operation } from '../azure/operations/index.ts';
import type { EpochSeconds } from '../clock.ts';
import { addSeconds } from '../clock.ts';
import { signAccessToken } from '../crypto/index.ts';
import type { NetworkEnv } from '../http/types.ts';
import { seededGuid, seededOpaque } from '../ids.ts';
import { ensureSigningKey } from './key-ring.ts';

/** The user Cloud Shell is signed in as: the tenant's first user (Sarah, the admin, in the default world). */
export function cloudShellUser(world: World): User | undefined {
	return Object.values(world.directory.users)[0];
}

/** Azure CLI's application (client) id: the `appid` of every token az gets for a user. */
export const AZURE_CLI_APP_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

/** Lifetime of a user access token (Entra ID gives 60–90 minutes; the lab uses 75). */
export const USER_TOKEN_LIFETIME_SECONDS = 75 * 60;

/** A user token and the operations to apply before anyone verifies it (publishing a new signing key). */
export interface UserToken {
	accessToken: string;
	expiresOn: EpochSeconds;
	user: User;
	operations: Operation[];
}

/** The address Cloud Shell's sign-in comes from, as the `ipaddr` claim shows it. */
const CLOUD_SHELL_ADDRESS = '20.50.2.10';

/**
 * A delegated token for the Cloud Shell user and a resource (App ID URI; it becomes `aud` verbatim). Null when
 * the world has no user to sign in as.
 */
export async function cloudShellUserToken(
	world: World,
	env: NetworkEnv,
	resource: string
): Promise<UserToken | null> {
	const user = cloudShellUser(world);
	if (!user) return null;
	const { key, operations } = await ensureSigningKey(world, env.keyRing);
	const now = world.now;
	const expiresOn = addSeconds(now, USER_TOKEN_LIFETIME_SECONDS);
	const salt = `user-token:${user.id}:${resource}:${now}:${world.events.length}`;
	const [given, ...family] = user.displayName.split(' ');
	const issuer = `https://sts.windows.net/${world.tenant.tenantId}/`;
	const claims: Record<string, unknown> = {
		aud: resource,
		iss: issuer,
		iat: now,
		nbf: now,
		exp: expiresOn,
		acr: '1',
		aio: seededOpaque(world.seed, `${salt}:aio`, 56),
		amr: ['pwd', 'mfa'],
		appid: AZURE_CLI_APP_ID,
		appidacr: '0',
		...(family.length ? { family_name: family.join(' ') } : {}),
		given_name: given ?? user.displayName,
		idtyp: 'user',
		ipaddr: CLOUD_SHELL_ADDRESS,
		name: user.displayName,
		oid: user.id,
		puid: seededGuid(world.seed, `puid:${user.id}`).replace(/-/g, '').slice(0, 16).toUpperCase(),
		rh: `1.${seededOpaque(world.seed, `${salt}:rh`, 40)}.`,
		scp: 'user_impersonation',
		sub: seededOpaque(world.seed, `sub:${user.id}:${AZURE_CLI_APP_ID}`, 43),
		tid: world.tenant.tenantId,
		unique_name: user.userPrincipalName,
		upn: user.userPrincipalName,
		uti: seededOpaque(world.seed, `${salt}:uti`, 22),
		ver: '1.0'
	};
	const accessToken = await signAccessToken(key, claims);
	return { accessToken, expiresOn, user, operations };
}
