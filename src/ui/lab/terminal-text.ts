/** Reading the terminal's output: the `#` lines that explain a refusal, and the tokens a learner can inspect. */

/** Splits stderr into the core's `# …` explanation lines and the rest (what the real tool printed). */
export function whyLines(stderr: string): { why: string[]; rest: string } {
	const why: string[] = [];
	const rest: string[] = [];
	for (const line of stderr.split('\n')) {
		if (line.startsWith('# ')) why.push(line.slice(2));
		else rest.push(line);
	}
	return { why, rest: rest.join('\n') };
}

/** A compact JWS: three base64url parts, the header starting with `{"` (`eyJ`). */
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** The distinct JWTs in a text, in the order they first appear. */
export function tokensIn(text: string): string[] {
	const found: string[] = [];
	for (const match of text.matchAll(JWT)) {
		if (!found.includes(match[0])) found.push(match[0]);
	}
	return found;
}
