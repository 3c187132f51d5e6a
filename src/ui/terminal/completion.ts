/**
 * Tab completion for the lab's terminal: command names, az subcommands and flags, and the world's names
 * (resource groups, resources, identities, roles) where a command takes one. Pure: it reads the world and the
 * command tables and returns the new line and the candidates to show when more than one fits.
 */
import {
	BUILT_IN_ROLES,
	COMMANDS,
	azCommandNames,
	isIdentityHost,
	type World
} from '../../core/index.ts';
import { AZ_COMMANDS } from '../../core/shell/az/registry.ts';
import { GLOBAL_ARGS, IDS_ARG } from '../../core/shell/az/args.ts';

/** What Tab does to a line. */
export interface Completion {
	/** The line after completion (unchanged when nothing fits or several fit with no longer common prefix). */
	line: string;
	/** Where the cursor goes in the new line. */
	cursor: number;
	/** Every candidate when more than one fits (to show under the prompt); empty otherwise. */
	candidates: string[];
}

interface Token {
	text: string;
	/** Offset of the token's first character in the line. */
	start: number;
	/** The quote the token is open in, if any. */
	quote: '"' | "'" | null;
}

const SEPARATORS = new Set(['|', '||', '&&', ';']);

/** Splits text into shell words, keeping their offsets; quoted text stays one word. */
export function tokenize(text: string): { tokens: Token[]; endsInSpace: boolean } {
	const tokens: Token[] = [];
	let current: Token | null = null;
	let quote: '"' | "'" | null = null;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i] ?? '';
		if (quote) {
			if (ch === quote) quote = null;
			if (current) current.text += ch;
			continue;
		}
		if (/\s/.test(ch)) {
			if (current) tokens.push(current);
			current = null;
			continue;
		}
		if (ch === ';' || ch === '|' || ch === '&') {
			if (current) tokens.push(current);
			const double = (ch === '|' || ch === '&') && text[i + 1] === ch;
			tokens.push({ text: double ? ch + ch : ch, start: i, quote: null });
			if (double) i++;
			current = null;
			continue;
		}
		if (!current) current = { text: '', start: i, quote: null };
		if (ch === '"' || ch === "'") quote = ch;
		current.text += ch;
	}
	if (current) {
		current.quote = quote;
		tokens.push(current);
	}
	return { tokens, endsInSpace: current === null && text.length > 0 && /\s$/.test(text) };
}

function unquote(text: string): string {
	return text.replace(/^["']/, '').replace(/["']$/, '');
}

/** Quotes a candidate that has spaces (role names), as a shell needs it. */
function shellWord(candidate: string, quote: '"' | "'" | null): string {
	if (quote) return `${quote}${candidate}${quote}`;
	return /\s/.test(candidate) ? `"${candidate}"` : candidate;
}

function commonPrefix(words: string[]): string {
	if (words.length === 0) return '';
	let prefix = words[0] ?? '';
	for (const word of words) {
		while (!word.toLowerCase().startsWith(prefix.toLowerCase())) prefix = prefix.slice(0, -1);
	}
	return prefix;
}

function unique(words: string[]): string[] {
	return [...new Set(words)].sort((a, b) => a.localeCompare(b));
}

/** The next words of az commands after `path` (e.g. after `vm identity`: `assign`, `remove`, `show`). */
function azNextWords(path: string[]): string[] {
	const words: string[] = [];
	for (const name of azCommandNames()) {
		const parts = name.split(' ');
		if (parts.length <= path.length) continue;
		if (path.every((w, i) => parts[i] === w)) words.push(parts[path.length] ?? '');
	}
	return unique(words.filter((w) => w !== ''));
}

function azFlags(path: string[]): string[] {
	const command = AZ_COMMANDS.find((c) => c.name === path.join(' '));
	if (!command) return GLOBAL_ARGS.flatMap((a) => a.options.filter((o) => o.startsWith('--')));
	const args = [...command.args, ...(command.ids ? [IDS_ARG] : []), ...GLOBAL_ARGS];
	return unique(args.flatMap((a) => a.options.filter((o) => o.startsWith('--'))));
}

/** The world's names that fit the value of `flag` (or any name when the flag says nothing). */
export function worldNames(world: World, flag: string | null): string[] {
	const resources = Object.values(world.resources);
	const groups = Object.values(world.resourceGroups).map((g) => g.name);
	const identities = resources.filter((r) => r.kind === 'userAssignedIdentity');
	const roles = BUILT_IN_ROLES.map((r) => r.roleName);
	switch (flag) {
		case '--resource-group':
		case '-g':
			return unique(groups);
		case '--role':
			return unique(roles);
		case '--identities':
			return unique(['[system]', ...identities.map((r) => r.name)]);
		case '--assignee':
		case '--assignee-object-id':
		case '--object-id':
		case '--id': {
			const principals = resources.flatMap((r) => {
				if (r.kind === 'userAssignedIdentity') return [r.principalId];
				if (isIdentityHost(r) && r.identity.systemAssigned)
					return [r.identity.systemAssigned.principalId];
				return [];
			});
			return unique(principals);
		}
		case '--scope':
			return unique([
				...Object.values(world.subscriptions).map((s) => `/subscriptions/${s.subscriptionId}`),
				...Object.values(world.resourceGroups).map((g) => g.id),
				...resources.map((r) => r.id)
			]);
		case '--vault-name':
			return unique(resources.filter((r) => r.kind === 'keyVault').map((r) => r.name));
		case '--account-name':
		case '--storage-account':
			return unique(resources.filter((r) => r.kind === 'storageAccount').map((r) => r.name));
		case '--server':
		case '--server-name':
			return unique(resources.filter((r) => r.kind === 'sqlServer').map((r) => r.name));
		default:
			return unique([...resources.map((r) => r.name), ...groups]);
	}
}

/** The names `ssh`/`console` accept: the virtual machines and the outside machines. */
function machineNames(world: World): string[] {
	return unique([
		...Object.values(world.resources)
			.filter((r) => r.kind === 'virtualMachine' || r.kind === 'virtualMachineScaleSet')
			.map((r) => r.name),
		...Object.keys(world.outsideMachines)
	]);
}

/** Candidates for the word being typed, with the command words before it in this pipeline segment. */
function candidatesFor(world: World, words: string[], current: string): string[] {
	if (words.length === 0) return unique(COMMANDS.map((c) => c.name));
	const [command, ...rest] = words;
	if (command === 'az') {
		const path: string[] = [];
		for (const word of rest) {
			if (word.startsWith('-')) break;
			path.push(word);
		}
		const sawFlag = rest.length > path.length;
		const isCommand = azCommandNames().includes(path.join(' '));
		if (current.startsWith('-')) return azFlags(path);
		const previous = rest.at(-1);
		if (previous?.startsWith('-')) {
			const flags = azFlags(path);
			if (flags.includes(previous) || previous.startsWith('-')) return worldNames(world, previous);
		}
		if (!sawFlag && !isCommand) return azNextWords(path);
		if (isCommand) return azFlags(path);
		return [];
	}
	if (command === 'ssh' || command === 'console') return machineNames(world);
	if (command === 'help') return unique(COMMANDS.map((c) => c.name));
	return [];
}

/**
 * Completes the word before `cursor`. One candidate: the word is replaced and a space added. Several: the
 * word grows to their common prefix and all of them are returned to show.
 */
export function complete(world: World, line: string, cursor = line.length): Completion {
	const before = line.slice(0, cursor);
	const after = line.slice(cursor);
	const { tokens, endsInSpace } = tokenize(before);
	let segmentStart = 0;
	tokens.forEach((t, i) => {
		if (SEPARATORS.has(t.text)) segmentStart = i + 1;
	});
	const segment = tokens.slice(segmentStart);
	const currentToken = endsInSpace || segment.length === 0 ? null : (segment.at(-1) ?? null);
	const words = (currentToken ? segment.slice(0, -1) : segment).map((t) => unquote(t.text));
	const typed = currentToken ? unquote(currentToken.text) : '';
	const quote = currentToken?.text.startsWith('"')
		? '"'
		: currentToken?.text.startsWith("'")
			? "'"
			: null;
	const all = candidatesFor(world, words, typed);
	const fits = all.filter((c) => c.toLowerCase().startsWith(typed.toLowerCase()));
	const start = currentToken ? currentToken.start : before.length;
	const unchanged: Completion = { line, cursor, candidates: [] };
	if (fits.length === 0) return unchanged;
	if (fits.length === 1) {
		const word = `${shellWord(fits[0] ?? '', quote)} `;
		const next = before.slice(0, start) + word;
		return { line: next + after.replace(/^ /, ''), cursor: next.length, candidates: [] };
	}
	const prefix = commonPrefix(fits);
	const grown =
		prefix.length > typed.length
			? before.slice(0, start) + (quote ?? (/\s/.test(prefix) ? '"' : '')) + prefix
			: before;
	return { line: grown + after, cursor: grown.length, candidates: fits };
}
