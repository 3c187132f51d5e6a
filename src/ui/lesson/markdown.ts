/**
 * Lesson prose: Markdown parsed into tokens by marked and drawn by Svelte components, never as HTML strings —
 * so nothing in a lesson can inject markup or script. Raw HTML in the prose is dropped.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { findCommand } from '../../core/index.ts';

/** Parses lesson prose into block tokens. */
export function parseProse(prose: string): Token[] {
	return Lexer.lex(prose);
}

/** A fenced block of terminal lines (info string `run` or `run <place>`), or null for any other block. */
export function runBlock(token: Tokens.Code): { place: string; lines: string[] } | null {
	const info = (token.lang ?? '').trim().split(/\s+/);
	if (info[0] !== 'run') return null;
	const lines = token.text
		.split('\n')
		.map((l) => l.trim())
		.filter((l) => l !== '' && !l.startsWith('#'));
	return { place: info[1] ?? 'cloud-shell', lines };
}

/** True when an inline code span is a terminal line the lab knows (`az vm show …`, `curl …`, `clock +5m`). */
export function isCommand(text: string): boolean {
	const words = text.trim().split(/\s+/);
	// Leading assignments (TOKEN=$(…)) are part of a command line.
	while (words[0] !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]) && words.length > 1)
		words.shift();
	const first = words[0];
	if (!first || !/^[a-z][a-z0-9-]*$/.test(first)) return false;
	if (!findCommand(first)) return false;
	// A lone word is a command only when it is one people type alone (`exit`, `env`, `az`, `help`).
	return (
		words.length > 1 || ['exit', 'env', 'help', 'history', 'clear', 'hostname'].includes(first)
	);
}

/** A link the prose may open: the lab's own routes, and web pages in a new tab. */
export function safeHref(href: string): { href: string; external: boolean } | null {
	if (href.startsWith('#')) return { href, external: false };
	try {
		const url = new URL(href);
		return url.protocol === 'https:' || url.protocol === 'http:'
			? { href: url.href, external: true }
			: null;
	} catch {
		return null;
	}
}
