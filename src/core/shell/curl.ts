/**
 * `curl`: builds an HTTP request value from curl's options and sends it from the machine the shell is on — the
 * only way it reaches anything. Prints as curl does: the body; with -i the status line and headers; with -v the
 * request (`> `) and response (`< `) on stderr; transport failures as `curl: (N) …` with exit code N.
 */
import type { HttpRequest, HttpResponse } from '../http/types.ts';
import type { CommandContext, CommandOutcome, ShellCommand } from './types.ts';
import { exchange } from './exchange.ts';

const USER_AGENT = 'curl/7.81.0';

interface CurlOptions {
	silent: boolean;
	showError: boolean;
	include: boolean;
	verbose: boolean;
	fail: boolean;
	get: boolean;
	head: boolean;
	method?: string;
	headers: [string, string][];
	data: string[];
	writeOut?: string;
	output?: string;
	url?: string;
}

type Parsed = { ok: true; options: CurlOptions } | { ok: false; outcome: CommandOutcome };

const SHORT_FLAGS: Record<string, keyof CurlOptions> = {
	s: 'silent',
	S: 'showError',
	i: 'include',
	v: 'verbose',
	f: 'fail',
	G: 'get',
	I: 'head'
};
const IGNORED_SHORT = new Set(['L', 'k', 'g', 'N', '#']);
const SHORT_VALUES = new Set(['X', 'H', 'd', 'o', 'w', 'm', 'A', 'e', 'u']);

const LONG_FLAGS: Record<string, keyof CurlOptions> = {
	'--silent': 'silent',
	'--show-error': 'showError',
	'--include': 'include',
	'--verbose': 'verbose',
	'--fail': 'fail',
	'--get': 'get',
	'--head': 'head'
};
const IGNORED_LONG = new Set([
	'--location',
	'--insecure',
	'--compressed',
	'--globoff',
	'--no-buffer',
	'--http1.1'
]);
const LONG_VALUES = new Set([
	'--request',
	'--header',
	'--data',
	'--data-raw',
	'--data-binary',
	'--data-ascii',
	'--data-urlencode',
	'--noproxy',
	'--output',
	'--write-out',
	'--max-time',
	'--connect-timeout',
	'--user-agent',
	'--url',
	'--referer',
	'--user',
	'--retry'
]);

function usageError(message: string): Parsed {
	return {
		ok: false,
		outcome: {
			exitCode: 2,
			stderr: `curl: ${message}\ncurl: try 'curl --help' or 'curl --manual' for more information\n`
		}
	};
}

function urlencodePair(text: string): string {
	const eq = text.indexOf('=');
	if (eq < 0) return encodeURIComponent(text);
	return `${text.slice(0, eq)}=${encodeURIComponent(text.slice(eq + 1))}`;
}

function applyValue(options: CurlOptions, name: string, value: string): Parsed | null {
	switch (name) {
		case '-X':
		case '--request':
			options.method = value;
			break;
		case '-H':
		case '--header': {
			const colon = value.indexOf(':');
			const semicolon = value.indexOf(';');
			if (colon > 0)
				options.headers.push([value.slice(0, colon).trim(), value.slice(colon + 1).trim()]);
			else if (semicolon > 0 && semicolon === value.length - 1)
				options.headers.push([value.slice(0, semicolon).trim(), '']);
			break;
		}
		case '-d':
		case '--data':
		case '--data-raw':
		case '--data-binary':
		case '--data-ascii':
			options.data.push(value);
			break;
		case '--data-urlencode':
			options.data.push(urlencodePair(value));
			break;
		case '-o':
		case '--output':
			options.output = value;
			break;
		case '-w':
		case '--write-out':
			options.writeOut = value;
			break;
		case '--url':
			options.url = value;
			break;
		case '-A':
		case '--user-agent':
			options.headers.push(['User-Agent', value]);
			break;
		case '-u':
		case '--user':
			return usageError(
				'option --user: basic authentication is not used with Azure endpoints; send a token: -H "Authorization: Bearer $TOKEN"'
			);
		default:
			break;
	}
	return null;
}

/** Reads curl's command line. */
export function parseCurlArgs(args: readonly string[]): Parsed {
	const options: CurlOptions = {
		silent: false,
		showError: false,
		include: false,
		verbose: false,
		fail: false,
		get: false,
		head: false,
		headers: [],
		data: []
	};
	for (let i = 0; i < args.length; i++) {
		const arg = args[i] ?? '';
		if (arg.startsWith('--')) {
			const flagName = LONG_FLAGS[arg];
			if (flagName) {
				(options[flagName] as boolean) = true;
				continue;
			}
			if (IGNORED_LONG.has(arg)) continue;
			if (LONG_VALUES.has(arg)) {
				const value = args[i + 1];
				if (value === undefined) return usageError(`option ${arg}: requires parameter`);
				i++;
				const problem = applyValue(options, arg, value);
				if (problem) return problem;
				continue;
			}
			return usageError(`option ${arg}: is unknown`);
		}
		if (arg.startsWith('-') && arg.length > 1) {
			for (let j = 1; j < arg.length; j++) {
				const letter = arg[j] ?? '';
				const flagName = SHORT_FLAGS[letter];
				if (flagName) {
					(options[flagName] as boolean) = true;
					continue;
				}
				if (IGNORED_SHORT.has(letter)) continue;
				if (SHORT_VALUES.has(letter)) {
					let value = arg.slice(j + 1);
					if (value === '') {
						const next = args[i + 1];
						if (next === undefined) return usageError(`option -${letter}: requires parameter`);
						value = next;
						i++;
					}
					const problem = applyValue(options, `-${letter}`, value);
					if (problem) return problem;
					break;
				}
				return usageError(`option -${letter}: is unknown`);
			}
			continue;
		}
		if (options.url !== undefined) {
			return usageError(
				`this lab's curl takes one URL; '${arg}' is a second one. Quote a URL that contains & or spaces: curl '…'`
			);
		}
		options.url = arg;
	}
	return { ok: true, options };
}

function header(options: CurlOptions, name: string): string | undefined {
	return options.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

/** The request curl sends for these options. */
export function buildRequest(
	options: CurlOptions
): { ok: true; request: HttpRequest } | { ok: false; outcome: CommandOutcome } {
	let url = options.url ?? '';
	if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url}`;
	const data = options.data.join('&');
	if (options.get && data) url += `${url.includes('?') ? '&' : '?'}${data}`;
	try {
		new URL(url);
	} catch {
		return {
			ok: false,
			outcome: {
				exitCode: 3,
				stderr: 'curl: (3) URL rejected: Malformed input to a URL function\n'
			}
		};
	}
	const method = options.method ?? (options.head ? 'HEAD' : data && !options.get ? 'POST' : 'GET');
	const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: '*/*' };
	if (data && !options.get && header(options, 'Content-Type') === undefined) {
		headers['Content-Type'] = 'application/x-www-form-urlencoded';
	}
	for (const [name, value] of options.headers) {
		for (const existing of Object.keys(headers))
			if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
		if (value !== '' || !['user-agent', 'accept'].includes(name.toLowerCase()))
			headers[name] = value;
	}
	return {
		ok: true,
		request: { method, url, headers, ...(data && !options.get ? { body: data } : {}) }
	};
}

function requestLines(request: HttpRequest): string {
	const url = new URL(request.url);
	const port = url.port || (url.protocol === 'https:' ? '443' : '80');
	const lines = [
		`*   Trying ${url.hostname}:${port}...`,
		`* Connected to ${url.hostname} (${url.hostname}) port ${port} (#0)`,
		`> ${request.method} ${url.pathname}${url.search} HTTP/1.1`,
		`> Host: ${url.host}`,
		...Object.entries(request.headers).map(([k, v]) => `> ${k}: ${v}`),
		'>'
	];
	return `${lines.join('\n')}\n`;
}

function statusLine(response: HttpResponse): string {
	return `HTTP/1.1 ${response.status} ${response.statusText}`;
}

function headerBlock(response: HttpResponse): string[] {
	return [statusLine(response), ...Object.entries(response.headers).map(([k, v]) => `${k}: ${v}`)];
}

function writeOut(format: string, response: HttpResponse | null): string {
	return format
		.replace(/%\{(http_code|response_code)\}/g, String(response?.status ?? 0).padStart(3, '0'))
		.replace(/%\{content_type\}/g, response?.headers['Content-Type'] ?? '')
		.replace(/\\n/g, '\n')
		.replace(/\\t/g, '\t');
}

function note(text: string | null): string {
	return text
		? `${text
				.split('\n')
				.map((l) => `# ${l}`)
				.join('\n')}\n`
		: '';
}

async function runCurl(ctx: CommandContext): Promise<CommandOutcome> {
	const args = ctx.argv.slice(1);
	if (args.includes('--help') || args.includes('-h')) {
		return {
			exitCode: 0,
			stdout: `Usage: curl [options...] <url>\n -d, --data <data>   HTTP POST data\n -f, --fail          Fail silently (no output at all) on HTTP errors\n -G, --get           Put the post data in the URL and use GET\n -H, --header <header/@file> Pass custom header(s) to server\n -i, --include       Include protocol response headers in the output\n -o, --output <file> Write to file instead of stdout (only /dev/null here)\n -s, --silent        Silent mode\n -S, --show-error    Show error even when -s is used\n -v, --verbose       Make the operation more talkative\n -w, --write-out <format> Use output FORMAT after completion (%{http_code})\n -X, --request <method> Specify request method to use\n\nExample: curl -s -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net'\n`
		};
	}
	const parsed = parseCurlArgs(args);
	if (!parsed.ok) return parsed.outcome;
	const { options } = parsed;
	if (options.url === undefined) {
		return {
			exitCode: 2,
			stderr:
				"curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n"
		};
	}
	if (options.output !== undefined && options.output !== '/dev/null') {
		return {
			exitCode: 23,
			stderr: `curl: (23) Failure writing output to destination\n# This lab's curl writes to the screen (or -o /dev/null). Keep a value in a variable instead: X=$(curl -s …)\n`
		};
	}
	const built = buildRequest(options);
	if (!built.ok) return built.outcome;
	const { request } = built;
	const result = await exchange(ctx.world, ctx.state.place, request, ctx.env);
	const changes = { world: result.world, events: result.events, hops: result.hops };
	const showErrors = !options.silent || options.showError;
	let stderr = options.verbose ? requestLines(request) : '';
	if (!result.response) {
		const message = result.failure?.message ?? 'curl: (7) Failed to connect';
		const code = Number(/curl: \((\d+)\)/.exec(message)?.[1] ?? 7);
		if (showErrors) stderr += `${message}\n`;
		stderr += note(result.failure?.explanation ?? null);
		const out = options.writeOut !== undefined ? writeOut(options.writeOut, null) : '';
		return { exitCode: code, stdout: out, stderr, ...changes };
	}
	const response = result.response;
	if (options.verbose)
		stderr += `${headerBlock(response)
			.map((l) => `< ${l}`)
			.join('\n')}\n<\n`;
	let stdout = '';
	let exitCode = 0;
	if (options.fail && response.status >= 400) {
		exitCode = 22;
		if (showErrors) stderr += `curl: (22) The requested URL returned error: ${response.status}\n`;
	} else {
		if (options.include || options.head) stdout += `${headerBlock(response).join('\n')}\n\n`;
		if (!options.head && options.output === undefined) stdout += response.body;
	}
	if (options.writeOut !== undefined) stdout += writeOut(options.writeOut, response);
	if (options.verbose)
		stderr += `* Connection #0 to host ${new URL(request.url).hostname} left intact\n`;
	if (response.status >= 400) stderr += note(result.explanation);
	return { exitCode, stdout, stderr, ...changes };
}

/** `curl`. */
export const curl: ShellCommand = {
	name: 'curl',
	summary:
		'Send an HTTP request from this machine: the identity endpoint (IMDS, IDENTITY_ENDPOINT), Key Vault, Storage, ARM.',
	usage: [
		"curl -s -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net'",
		'curl -s -H "Authorization: Bearer $TOKEN" \'https://kv-stock.vault.azure.net/secrets/db-password?api-version=7.4\'',
		'curl -i … (with the status line and headers), curl -v … (the whole exchange)'
	],
	genericHelp: false,
	run: runCurl
};
