/**
 * `sqlcmd` with Microsoft Entra authentication. It gets a token for `https://database.windows.net/` the way the
 * driver would on this machine — from IMDS on a VM, from IDENTITY_ENDPOINT in an App Service console (both
 * through the simulated network, so the token request shows in the token flow) — or, in Cloud Shell, as the
 * signed-in user (Cloud Shell's own identity endpoint hands out the user's token, so both ActiveDirectoryDefault
 * and ActiveDirectoryManagedIdentity act as Sarah there). Then it runs the statement with runSqlStatement.
 */
import type { World } from '../azure/model.ts';
import type { WorldEvent } from '../azure/events.ts';
import { applyOperations } from '../azure/operations/index.ts';
import type { Hop, HttpRequest } from '../http/types.ts';
import { runSqlStatement } from '../services/sql.ts';
import type { SqlStatementResult } from '../services/sql.ts';
import type { CommandContext, CommandOutcome, ShellCommand } from './types.ts';
import { exchange } from './exchange.ts';
import { cloudShellUserToken } from '../token/user-token.ts';

const SQL_RESOURCE = 'https://database.windows.net/';
const METHODS = [
	'ActiveDirectoryDefault',
	'ActiveDirectoryManagedIdentity',
	'ActiveDirectoryAzCli',
	'SqlPassword'
];
const IGNORED_WITH_VALUE = new Set(['-h', '-s', '-w', '-y', '-Y', '-l', '-t', '-c', '-W', '-e']);
const IGNORED_FLAGS = new Set(['-C', '-N', '-b', '-r', '-X', '-I', '-W']);

interface SqlcmdOptions {
	server?: string;
	database?: string;
	query?: string;
	method?: string;
	user?: string;
	password?: string;
}

function usage(message: string): CommandOutcome {
	return {
		exitCode: 1,
		stderr: `Sqlcmd: ${message}\n# Usage: sqlcmd -S sql-stock.database.windows.net -d stockdb --authentication-method ActiveDirectoryDefault -Q "SELECT * FROM Quotes"\n`
	};
}

function parse(
	args: readonly string[]
): { ok: true; options: SqlcmdOptions } | { ok: false; outcome: CommandOutcome } {
	const options: SqlcmdOptions = {};
	for (let i = 0; i < args.length; i++) {
		let arg = args[i] ?? '';
		let inline: string | undefined;
		if (arg.startsWith('--') && arg.includes('=')) {
			inline = arg.slice(arg.indexOf('=') + 1);
			arg = arg.slice(0, arg.indexOf('='));
		}
		const value = (): string | undefined => {
			if (inline !== undefined) return inline;
			const next = args[i + 1];
			if (next !== undefined) i++;
			return next;
		};
		switch (arg) {
			case '-S':
			case '--server':
				options.server = value();
				break;
			case '-d':
			case '--database-name':
				options.database = value();
				break;
			case '-Q':
			case '--query':
			case '-q':
			case '--initial-query':
				options.query = value();
				break;
			case '--authentication-method':
				options.method = value();
				break;
			case '-G':
				options.method ??= 'ActiveDirectoryDefault';
				break;
			case '-U':
			case '--user-name':
				options.user = value();
				break;
			case '-P':
			case '--password':
				options.password = value();
				break;
			default:
				if (IGNORED_WITH_VALUE.has(arg)) {
					if (arg !== '-W') value();
				} else if (!IGNORED_FLAGS.has(arg)) {
					return { ok: false, outcome: usage(`'${arg}': Unknown Option. Enter '-?' for help.`) };
				}
		}
	}
	return { ok: true, options };
}

/** sqlcmd's result table: columns padded to their widest value, dashes under the headers, then the count. */
function formatRows(columns: string[], rows: string[][], message: string): string {
	if (columns.length === 0) return `${message}\n`;
	const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
	const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' ');
	return `${[line(columns), widths.map((w) => '-'.repeat(w)).join(' '), ...rows.map(line)].join('\n')}\n\n${message}\n`;
}

interface Got {
	world: World;
	events: WorldEvent[];
	hops: Hop[];
}

/** The token the driver gets on this machine, or why it could not get one. */
async function acquireToken(
	ctx: CommandContext,
	method: string,
	clientId: string | undefined
): Promise<Got & ({ token: string } | { error: string })> {
	const place = ctx.state.place;
	if (place.kind === 'cloudShell') {
		const token = await cloudShellUserToken(ctx.world, ctx.env, SQL_RESOURCE);
		if (!token)
			return {
				world: ctx.world,
				events: [],
				hops: [],
				error: 'no user is signed in to Cloud Shell'
			};
		const applied = applyOperations(ctx.world, token.operations, { caller: 'system' });
		if (!applied.ok)
			return { world: ctx.world, events: [], hops: [], error: applied.error.message };
		return { ...applied.value, hops: [], token: token.accessToken };
	}
	const endpoint = ctx.environment.IDENTITY_ENDPOINT;
	const selector = clientId !== undefined ? `&client_id=${encodeURIComponent(clientId)}` : '';
	const request: HttpRequest =
		endpoint !== undefined && ctx.environment.IDENTITY_HEADER !== undefined
			? {
					method: 'GET',
					url: `${endpoint}?resource=${encodeURIComponent(SQL_RESOURCE)}&api-version=2019-08-01${selector}`,
					headers: { 'X-IDENTITY-HEADER': ctx.environment.IDENTITY_HEADER }
				}
			: {
					method: 'GET',
					url: `http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(SQL_RESOURCE)}${selector}`,
					headers: { Metadata: 'true' }
				};
	const result = await exchange(ctx.world, place, request, ctx.env);
	const base = { world: result.world, events: result.events, hops: result.hops };
	const credential =
		method === 'ActiveDirectoryManagedIdentity'
			? 'ManagedIdentityCredential'
			: 'DefaultAzureCredential';
	if (!result.response) {
		return {
			...base,
			error: `${credential}: no managed identity endpoint is reachable from this machine (${result.failure?.message ?? 'connection failed'}).${result.explanation ? `\n${result.explanation}` : ''}`
		};
	}
	if (result.response.status !== 200) {
		return {
			...base,
			error: `${credential}: the identity endpoint answered ${result.response.status} ${result.response.statusText}: ${result.response.body}${result.explanation ? `\n${result.explanation}` : ''}`
		};
	}
	try {
		const body = JSON.parse(result.response.body) as { access_token?: unknown };
		if (typeof body.access_token === 'string') return { ...base, token: body.access_token };
	} catch {
		// handled below
	}
	return { ...base, error: `${credential}: the identity endpoint's answer has no access_token.` };
}

function serverLabel(server: string): string {
	return server.replace(/^tcp:/i, '').replace(/,\d+$/, '').split('.')[0] ?? server;
}

async function runSqlcmd(ctx: CommandContext): Promise<CommandOutcome> {
	const args = ctx.argv.slice(1);
	if (args.length === 0 || args.includes('-?') || args.includes('--help')) {
		return {
			exitCode: 0,
			stdout:
				'Usage: sqlcmd -S <server> -d <database> --authentication-method ActiveDirectoryDefault|ActiveDirectoryManagedIdentity [-U <client id>] -Q "<statement>"\n' +
				'  Statements: SELECT <columns|*> FROM <table>; CREATE USER [name] FROM EXTERNAL PROVIDER; ALTER ROLE <role> ADD MEMBER [name]\n'
		};
	}
	const parsed = parse(args);
	if (!parsed.ok) return parsed.outcome;
	const { server, database, query, user, password } = parsed.options;
	const method = parsed.options.method ?? (password !== undefined ? 'SqlPassword' : undefined);
	if (server === undefined) return usage('no server given: -S <server>.database.windows.net');
	if (query === undefined)
		return usage('no statement given: this terminal runs one statement with -Q "…"');
	if (method === undefined) {
		return usage(
			'choose how to sign in: --authentication-method ActiveDirectoryDefault (a managed identity on a VM or app; you in Cloud Shell)'
		);
	}
	const canonical = METHODS.find((m) => m.toLowerCase() === method.toLowerCase());
	if (canonical === undefined)
		return usage(
			`'${method}' is not an authentication method. Use ActiveDirectoryDefault or ActiveDirectoryManagedIdentity.`
		);
	if (canonical === 'SqlPassword') {
		return {
			exitCode: 1,
			stderr: `Msg 18456, Level 14, State 1, Server ${serverLabel(server)}, Line 1\nLogin failed for user '${user ?? ''}'.\n# ${serverLabel(server)} accepts Microsoft Entra sign-ins only (no passwords): use --authentication-method ActiveDirectoryDefault.\n`
		};
	}
	if (canonical === 'ActiveDirectoryAzCli' && ctx.state.place.kind !== 'cloudShell') {
		return {
			exitCode: 1,
			stderr:
				"Sqlcmd: Error: AzureCLICredential: Azure CLI not found on path or not logged in. Please run 'az login'.\n"
		};
	}
	const clientId =
		canonical === 'ActiveDirectoryManagedIdentity' || canonical === 'ActiveDirectoryDefault'
			? user
			: undefined;
	const got = await acquireToken(
		ctx,
		canonical,
		ctx.state.place.kind === 'cloudShell' ? undefined : clientId
	);
	const changes = { world: got.world, events: got.events, hops: got.hops };
	if ('error' in got) {
		return {
			exitCode: 1,
			stderr: `Sqlcmd: Error: Microsoft ODBC Driver 18 for SQL Server : Failed to authenticate the user in Active Directory (Authentication option is '${canonical}').\n${got.error
				.split('\n')
				.map((l) => `# ${l}`)
				.join('\n')}\n`,
			...changes
		};
	}
	const result: SqlStatementResult = await runSqlStatement(got.world, {
		server,
		database: database ?? 'master',
		accessToken: got.token,
		statement: query,
		source: ctx.state.place
	});
	const applied = applyOperations(got.world, result.operations, { caller: 'system' });
	const after = applied.ok ? applied.value : { world: got.world, events: [] };
	const outcome = { world: after.world, events: [...got.events, ...after.events], hops: got.hops };
	if (!result.ok) {
		return {
			exitCode: 1,
			stderr: `Msg ${result.errorNumber}, Level ${result.level}, State ${result.state}, Server ${serverLabel(server)}, Line 1\n${result.message}\n# ${result.explanation}\n`,
			...outcome
		};
	}
	if (!applied.ok) {
		return {
			exitCode: 1,
			stderr: `Msg 50000, Level 16, State 1, Server ${serverLabel(server)}, Line 1\n${applied.error.message}\n`,
			world: got.world,
			events: got.events,
			hops: got.hops
		};
	}
	return {
		exitCode: 0,
		stdout: formatRows(result.columns, result.rows, result.message),
		...outcome
	};
}

/** `sqlcmd`. */
export const sqlcmd: ShellCommand = {
	name: 'sqlcmd',
	summary:
		'Run a SQL statement against Azure SQL with a Microsoft Entra token (the machine’s managed identity; you in Cloud Shell).',
	usage: [
		'sqlcmd -S sql-stock.database.windows.net -d stockdb --authentication-method ActiveDirectoryDefault -Q "SELECT * FROM Quotes"',
		'sqlcmd -S sql-stock.database.windows.net -d stockdb --authentication-method ActiveDirectoryDefault -Q "CREATE USER [vm-stock-app] FROM EXTERNAL PROVIDER"'
	],
	genericHelp: false,
	run: runSqlcmd
};
