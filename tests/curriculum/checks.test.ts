/** Each goal check: its evaluator passes and fails on worlds built through the terminal, with its failure line. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
	evaluateCheck,
	isAnsweredCorrectly,
	renderParts,
	secretsIn,
	CHECK_KINDS,
	type CheckContext
} from '../../src/curriculum/checks.ts';
import type { Check, QuizQuestion } from '../../src/curriculum/schema.ts';
import { terminal, type Terminal } from '../core/shell/terminal.ts';

const IMDS = 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01';
const SECRET = "'https://kv-stock.vault.azure.net/secrets/db-password?api-version=7.4'";
const QUIZ: QuizQuestion[] = [
	{
		id: 'q1',
		question: 'Which?',
		options: [
			{ text: 'a', correct: false, explanation: 'no' },
			{ text: 'b', correct: true, explanation: 'yes' }
		]
	}
];

function ctx(t: Terminal, answers: Record<string, number[]> = {}): CheckContext {
	return { world: t.world, startSeq: 0, startTime: t.world.now, quiz: QUIZ, answers };
}

const run = (check: Check, t: Terminal, answers?: Record<string, number[]>) =>
	evaluateCheck(check, ctx(t, answers));

let base: Terminal;
let granted: Terminal;

beforeAll(async () => {
	base = await terminal();
	granted = await terminal();
	await granted.script([
		'az vm identity assign -g rg-stock -n vm-stock-app -o none',
		'P=$(az vm identity show -g rg-stock -n vm-stock-app --query principalId -o tsv)',
		'az role assignment create --assignee "$P" --role Reader -g rg-stock -o none',
		'ssh vm-stock-app',
		`TOKEN=$(curl -s -H Metadata:true '${IMDS}&resource=https://vault.azure.net' | jq -r .access_token)`,
		`curl -s -H "Authorization: Bearer $TOKEN" ${SECRET}`,
		'exit',
		'az role assignment create --assignee "$P" --role "Key Vault Secrets User" --scope $(az keyvault show -n kv-stock --query id -o tsv) -o none',
		'ssh vm-stock-app',
		`TOKEN=$(curl -s -H Metadata:true '${IMDS}&resource=https://vault.azure.net' | jq -r .access_token)`,
		'clock +5m',
		`curl -s -H "Authorization: Bearer $TOKEN" ${SECRET}`,
		'exit'
	]);
});

describe('the check vocabulary', () => {
	it('has one evaluator per check kind', () => {
		expect(CHECK_KINDS.sort()).toEqual(
			[
				'identityEnabled',
				'leastPrivilege',
				'noOrphanedIdentity',
				'noSecretInConfig',
				'noStaleAssignment',
				'principalExists',
				'quizCorrect',
				'request',
				'resourceExists',
				'roleAssignment',
				'roleAssignmentCount',
				'tokenIssued',
				'userIdentityAssigned'
			].sort()
		);
	});

	it('renders parts as one line with ✓ and ✗ and what is missing', () => {
		expect(
			renderParts([
				{ text: 'role assignment exists', pass: true },
				{ text: 'at scope kv-stock', pass: false, note: 'yours is rg-stock' }
			])
		).toBe('role assignment exists ✓ · at scope kv-stock ✗ (yours is rg-stock)');
	});
});

describe('identityEnabled', () => {
	it('fails before and passes after the identity is on; says so', () => {
		const check: Check = { check: 'identityEnabled', resource: 'vm-stock-app' };
		expect(run(check, base).line).toBe(
			'system-assigned identity on for vm-stock-app ✗ (it is off (Status: Off))'
		);
		expect(run(check, granted).pass).toBe(true);
		expect(run({ ...check, enabled: false }, base).pass).toBe(true);
		expect(run({ check: 'identityEnabled', resource: 'kv-stock' }, base).pass).toBe(false);
	});
});

describe('userIdentityAssigned', () => {
	it('passes only when the identity is attached to the resource', async () => {
		const t = await terminal();
		await t.script(['az identity create -g rg-stock -n id-web -o none']);
		const check: Check = {
			check: 'userIdentityAssigned',
			identity: 'id-web',
			resource: 'vm-stock-web-1'
		};
		expect(run(check, t).line).toBe(
			'identity id-web exists ✓ · assigned to vm-stock-web-1 ✗ (it is not assigned)'
		);
		await t.script([
			'az vm identity assign -g rg-stock -n vm-stock-web-1 --identities id-web -o none'
		]);
		expect(run(check, t).pass).toBe(true);
		expect(run({ ...check, identity: 'id-none' }, t).pass).toBe(false);
	});
});

describe('roleAssignment', () => {
	const check: Check = {
		check: 'roleAssignment',
		principal: 'vm-stock-app',
		role: 'Key Vault Secrets User',
		scope: 'kv-stock'
	};

	it('says which part is missing: principal, role, or scope', async () => {
		expect(run(check, base).line).toBe(
			'vm-stock-app has an identity ✗ (vm-stock-app has no system-assigned identity)'
		);
		const t = await terminal();
		await t.script([
			'az vm identity assign -g rg-stock -n vm-stock-app -o none',
			'az role assignment create --assignee $(az vm identity show -g rg-stock -n vm-stock-app --query principalId -o tsv) --role "Key Vault Secrets User" -g rg-stock -o none'
		]);
		expect(run(check, t).line).toBe(
			'role assignment for the identity of vm-stock-app exists ✓ · role Key Vault Secrets User ✓ · at scope kv-stock ✗ (yours is rg-stock)'
		);
		expect(run({ ...check, match: 'atLeast' }, t).pass).toBe(true);
		expect(run({ ...check, role: 'Storage Blob Data Reader' }, t).line).toMatch(
			/role Storage Blob Data Reader ✗ \(yours: Key Vault Secrets User\)/
		);
	});

	it('passes at the exact scope, and present: false passes when it is gone', () => {
		expect(run(check, granted).pass).toBe(true);
		expect(run({ ...check, present: false }, granted).pass).toBe(false);
		expect(run({ ...check, principal: 'vm-stock-web-1', present: false }, granted).pass).toBe(true);
	});
});

describe('leastPrivilege', () => {
	it('fails on Owner or Contributor and on anything above the allowed scope', async () => {
		const check: Check = {
			check: 'leastPrivilege',
			principal: 'vm-stock-app',
			notAbove: 'kv-stock'
		};
		expect(run(check, granted).line).toBe(
			'no broad role (Owner, Contributor…) for the identity of vm-stock-app ✓ · nothing wider than kv-stock ✗ (Reader at rg-stock)'
		);
		expect(run({ ...check, notAbove: ['kv-stock', 'rg-stock'] }, granted).pass).toBe(true);
		const t = await terminal();
		await t.script([
			'az vm identity assign -g rg-stock -n vm-stock-app -o none',
			'az role assignment create --assignee $(az vm identity show -g rg-stock -n vm-stock-app --query principalId -o tsv) --role Contributor -g rg-stock -o none'
		]);
		expect(run({ check: 'leastPrivilege', principal: 'vm-stock-app' }, t).line).toMatch(
			/✗ \(Contributor at rg-stock\)/
		);
	});
});

describe('request', () => {
	const base403: Check = {
		check: 'request',
		principal: 'vm-stock-app',
		service: 'keyVault',
		operation: 'getSecret'
	};

	it('finds calls by principal, service and outcome, and says what the last one got', () => {
		expect(run({ ...base403, outcome: 'succeeded' }, granted).pass).toBe(true);
		expect(run({ ...base403, status: 403, code: 'ForbiddenByRbac' }, granted).pass).toBe(true);
		expect(run({ ...base403, service: 'storage', outcome: 'succeeded' }, granted).line).toBe(
			'a Storage getSecret by the identity of vm-stock-app ✗ (none yet)'
		);
		expect(run({ ...base403, status: 404 }, granted).line).toMatch(
			/that with 404 ✗ \(yours got 200\)/
		);
		expect(run({ ...base403, from: 'vm-stock-app', outcome: 'failed' }, granted).pass).toBe(true);
		expect(run({ ...base403, from: 'cloud-shell' }, granted).pass).toBe(false);
	});

	it('places calls before or after an assignment was made or took effect', () => {
		const ref = { principal: 'vm-stock-app', role: 'Key Vault Secrets User' };
		expect(run({ ...base403, status: 403, before: { assignmentCreated: ref } }, granted).pass).toBe(
			true
		);
		expect(
			run({ ...base403, outcome: 'succeeded', after: { assignmentEffective: ref } }, granted).pass
		).toBe(true);
		expect(
			run({ ...base403, outcome: 'succeeded', before: { assignmentCreated: ref } }, granted).line
		).toMatch(/before the Key Vault Secrets User assignment was made ✗ \(yours was after it\)/);
		expect(run({ ...base403, after: { secondsAfterStart: 0 } }, granted).pass).toBe(true);
		expect(
			run({ ...base403, after: { assignmentCreated: { ...ref, role: 'Owner' } } }, granted).line
		).toMatch(/no Owner assignment/);
	});

	it('ignores events from before the lesson start', () => {
		const c = { ...ctx(granted), startSeq: granted.world.events.at(-1)?.seq ?? 0 };
		expect(evaluateCheck({ ...base403, outcome: 'succeeded' }, c).pass).toBe(false);
	});
});

describe('request to a token endpoint', () => {
	it('sees IMDS refusals, tokens served, and the time-out from outside Azure', async () => {
		const t = await terminal();
		await t.script([
			'az vm identity assign -g rg-stock -n vm-stock-app -o none',
			'ssh vm-stock-app',
			`curl -s '${IMDS}&resource=https://vault.azure.net'`
		]);
		const refused: Check = {
			check: 'request',
			principal: 'vm-stock-app',
			service: 'imds',
			operation: 'getToken',
			status: 400,
			code: 'invalid_request'
		};
		expect(run(refused, t).pass).toBe(true);
		const served: Check = { ...refused, status: undefined, code: undefined, outcome: 'succeeded' };
		expect(run(served, t).line).toBe(
			'an IMDS getToken by the identity of vm-stock-app ✓ · that succeeded ✗ (yours got 400 invalid_request)'
		);
		await t.run(`curl -s -H Metadata:true '${IMDS}&resource=https://vault.azure.net'`);
		expect(run(served, t).pass).toBe(true);
		expect(run({ ...served, from: 'vm-stock-app' }, t).pass).toBe(true);
		const outside: Check = {
			check: 'request',
			service: 'imds',
			from: 'onprem-legacy-01',
			outcome: 'failed',
			code: 'timeout'
		};
		expect(run(outside, t).line).toBe('an IMDS call from onprem-legacy-01 ✗ (none yet)');
		await t.script(['exit', 'ssh onprem-legacy-01']);
		await t.run(`curl -s --max-time 5 -H Metadata:true '${IMDS}&resource=https://vault.azure.net'`);
		expect(run(outside, t).pass).toBe(true);
		expect(run({ ...outside, outcome: 'succeeded', code: undefined }, t).line).toBe(
			'an IMDS call from onprem-legacy-01 ✓ · that succeeded ✗ (yours got no answer (timeout))'
		);
	});
});

describe('tokenIssued', () => {
	it('passes for the right audience and endpoint only', () => {
		const check: Check = {
			check: 'tokenIssued',
			principal: 'vm-stock-app',
			resource: 'https://vault.azure.net',
			endpoint: 'imds'
		};
		expect(run(check, granted).pass).toBe(true);
		expect(run({ ...check, endpoint: 'appService' }, granted).pass).toBe(false);
		expect(run({ ...check, resource: 'https://storage.azure.com/' }, granted).line).toMatch(
			/yours were for https:\/\/vault.azure.net/
		);
	});
});

describe('resourceExists and principalExists', () => {
	it('see deletions of resources and of their principals', async () => {
		const t = await terminal();
		await t.script(['az vm identity assign -g rg-stock -n vm-stock-web-3 -o none']);
		const gone: Check = { check: 'resourceExists', resource: 'vm-stock-web-3', exists: false };
		const principalGone: Check = {
			check: 'principalExists',
			name: 'vm-stock-web-3',
			type: 'ManagedIdentity',
			exists: false
		};
		expect(run(gone, t).line).toBe('vm-stock-web-3 is deleted ✗ (it still exists)');
		expect(run(principalGone, t).pass).toBe(false);
		await t.script(['az vm delete -g rg-stock -n vm-stock-web-3 --yes']);
		expect(run(gone, t).pass).toBe(true);
		expect(run(principalGone, t).pass).toBe(true);
		expect(run({ check: 'resourceExists', resource: 'kv-stock' }, t).pass).toBe(true);
	});
});

describe('noOrphanedIdentity and noStaleAssignment', () => {
	it('name the orphan and the stale assignment until they are removed', async () => {
		const t = await terminal();
		await t.script([
			'az identity create -g rg-stock -n id-old -o none',
			'az vm identity assign -g rg-stock -n vm-stock-web-2 -o none',
			'az role assignment create --assignee $(az vm identity show -g rg-stock -n vm-stock-web-2 --query principalId -o tsv) --role Reader --scope $(az keyvault show -n kv-stock --query id -o tsv) -o none',
			'az vm delete -g rg-stock -n vm-stock-web-2 --yes'
		]);
		expect(run({ check: 'noOrphanedIdentity' }, t).line).toBe(
			'no orphaned user-assigned identity ✗ (id-old is assigned to nothing)'
		);
		expect(run({ check: 'noStaleAssignment' }, t).line).toBe(
			'no role assignment for a deleted identity ✗ (Reader at kv-stock → Identity not found)'
		);
		await t.script([
			'az identity delete -g rg-stock -n id-old',
			`az role assignment delete --ids $(az role assignment list --all --query "[?principalName==''].id" -o tsv)`
		]);
		expect(run({ check: 'noOrphanedIdentity' }, t).pass).toBe(true);
		expect(run({ check: 'noStaleAssignment' }, t).pass).toBe(true);
	});
});

describe('noSecretInConfig', () => {
	it('finds the key and password in the VM config, and app settings with keys', async () => {
		const t = await terminal();
		expect(run({ check: 'noSecretInConfig', resource: 'vm-stock-app' }, t).line).toBe(
			'no secret in the configuration of vm-stock-app ✗ (a storage account key in /etc/stock-app/appsettings.json, a password in /etc/stock-app/appsettings.json)'
		);
		const keyOnly: Check = {
			check: 'noSecretInConfig',
			resource: 'vm-stock-app',
			kinds: ['storageKey', 'sas']
		};
		expect(run(keyOnly, t).line).toBe(
			'no storage account key or SAS token in the configuration of vm-stock-app ✗ (a storage account key in /etc/stock-app/appsettings.json)'
		);
		await t.script([
			'ssh vm-stock-app',
			`echo '{"ConnectionStrings": {"StockDb": "Server=tcp:sql-stock.database.windows.net;Password=x"}}' | sudo tee /etc/stock-app/appsettings.json`
		]);
		expect(run(keyOnly, t).pass).toBe(true);
		expect(run({ ...keyOnly, kinds: ['password'] }, t).pass).toBe(false);
		await t.script([
			`echo '{"KeyVaultUri": "https://kv-stock.vault.azure.net/"}' | sudo tee /etc/stock-app/appsettings.json`,
			'exit',
			'az webapp config appsettings set -g rg-stock -n app-stock-web --settings "Quotes=AccountName=x;AccountKey=abc" -o none'
		]);
		expect(run({ check: 'noSecretInConfig', resource: 'vm-stock-app' }, t).pass).toBe(true);
		expect(run({ check: 'noSecretInConfig', resource: 'app-stock-web' }, t).line).toMatch(
			/a storage account key in app setting Quotes/
		);
		expect(secretsIn('https://x.blob.core.windows.net/c?sv=2022&sig=abc')).toEqual(['a SAS token']);
		expect(secretsIn('AccountKey=a;Password=b', ['password'])).toEqual(['a password']);
	});
});

describe('roleAssignmentCount', () => {
	it('counts assignments of a role at a scope', () => {
		const check: Check = {
			check: 'roleAssignmentCount',
			role: 'Key Vault Secrets User',
			scope: 'kv-stock',
			count: 1
		};
		expect(run(check, granted).pass).toBe(true);
		expect(run({ ...check, count: 0 }, granted).line).toBe(
			'0 Key Vault Secrets User assignments at kv-stock ✗ (there is 1)'
		);
	});
});

describe('quizCorrect', () => {
	it('passes with exactly the right options chosen', () => {
		expect(run({ check: 'quizCorrect' }, base).line).toBe(
			'quiz answered correctly ✗ (1 not answered yet)'
		);
		expect(run({ check: 'quizCorrect', question: 'q1' }, base, { q1: [0] }).pass).toBe(false);
		expect(run({ check: 'quizCorrect' }, base, { q1: [1] }).pass).toBe(true);
		expect(isAnsweredCorrectly(QUIZ[0] as QuizQuestion, [1, 0])).toBe(false);
	});

	it('shows the author’s label instead of the generated one', () => {
		expect(run({ check: 'quizCorrect', label: 'you explained it' }, base).line).toMatch(
			/^you explained it ✗/
		);
	});
});
