/** `az login --identity` and `az logout`: az signs in as the managed identity of the machine it runs on. */
import { isGuid } from '../../../ids.ts';
import type { AzCommand, AzInvocation, AzOutcome } from '../types.ts';
import { flag, str } from '../args.ts';
import { failure, success } from '../common.ts';
import { exchange } from '../../exchange.ts';
import { identityAccounts, identityToken } from '../identity-login.ts';
import type { AzIdentityLogin } from '../../types.ts';

/** The identity az was told to use, or az's usage error. */
function selectorOf(inv: AzInvocation): AzIdentityLogin['selector'] | { error: string } {
	type By = NonNullable<AzIdentityLogin['selector']>['by'];
	const options: [By, string | undefined][] = [
		['clientId', str(inv.args, 'clientId')],
		['principalId', str(inv.args, 'objectId')],
		['resourceId', str(inv.args, 'resourceId')]
	];
	const given = options.filter((g): g is [By, string] => g[1] !== undefined);
	const username = str(inv.args, 'username');
	if (given.length > 1 || (given.length === 1 && username !== undefined)) {
		return {
			error:
				'usage error: --client-id, --object-id and --resource-id (or --username) are mutually exclusive.'
		};
	}
	const [one] = given;
	if (one) return { by: one[0], value: one[1] };
	if (username === undefined) return null;
	if (username.startsWith('/')) return { by: 'resourceId', value: username };
	if (isGuid(username.toLowerCase())) return { by: 'clientId', value: username };
	return {
		error: `usage error: '${username}' is not a client id, object id or resource id of a managed identity.`
	};
}

/** Runs `az login --identity …` on the current machine. */
export async function loginWithIdentity(inv: AzInvocation): Promise<AzOutcome> {
	const selector = selectorOf(inv);
	if (selector && 'error' in selector) return failure(selector.error, 2);
	const got = await identityToken(
		inv.world,
		inv.state,
		inv.env,
		'https://management.core.windows.net/',
		selector
	);
	if (!got.ok) {
		return {
			ok: false,
			error: {
				message: got.failure.message,
				exitCode: 1,
				...(got.failure.hint ? { hint: got.failure.hint } : {})
			},
			world: got.world,
			events: got.events,
			hops: got.hops
		};
	}
	const listed = await exchange(
		got.world,
		inv.state.place,
		{
			method: 'GET',
			url: 'https://management.azure.com/subscriptions?api-version=2022-12-01',
			headers: { Authorization: `Bearer ${got.accessToken}` }
		},
		inv.env
	);
	const events = [...got.events, ...listed.events];
	const hops = [...got.hops, ...listed.hops];
	let subscriptionIds: string[];
	try {
		const body = JSON.parse(listed.response?.body ?? '{}') as {
			value?: { subscriptionId?: string }[];
		};
		subscriptionIds = (body.value ?? []).map((s) => s.subscriptionId ?? '').filter((s) => s !== '');
	} catch {
		subscriptionIds = [];
	}
	if (subscriptionIds.length === 0 && !flag(inv.args, 'allowNoSubscriptions')) {
		return {
			ok: false,
			error: {
				message:
					"No access was configured for the VM, hence no subscriptions were found. If this is expected, use '--allow-no-subscriptions' to have tenant level access.",
				exitCode: 1,
				hint: `The identity (object id ${got.principalId}) holds no role assignment in any subscription, so ARM lists none. Give it a role (az role assignment create in Cloud Shell), or add --allow-no-subscriptions to use it for data planes only.`
			},
			world: listed.world,
			events,
			hops
		};
	}
	const login: AzIdentityLogin = {
		selector,
		principalId: got.principalId,
		clientId: got.clientId,
		subscriptionIds
	};
	return {
		ok: true,
		result: identityAccounts(listed.world, login),
		world: listed.world,
		events,
		hops,
		state: { ...inv.state, azLogin: login }
	};
}

/** `az logout`. */
export const logout: AzCommand = {
	name: 'logout',
	summary: 'Log out to remove access to Azure subscriptions.',
	args: [
		{
			dest: 'username',
			options: ['--username'],
			help: 'Account user, if missing, logout the current active account.'
		}
	],
	needsLogin: false,
	examples: [{ command: 'az logout', description: 'Log out the active account.' }],
	run(inv) {
		if (inv.state.place.kind === 'cloudShell') {
			return failure(
				'Cloud Shell is automatically authenticated: az logout does not apply here.',
				1,
				'In this lab Cloud Shell stays signed in as you.'
			);
		}
		if (!inv.state.azLogin) return failure('There are no active accounts.');
		const { azLogin: _dropped, ...rest } = inv.state;
		void _dropped;
		return { ...success(undefined), state: { ...rest } };
	}
};
