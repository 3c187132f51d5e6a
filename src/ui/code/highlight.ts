/**
 * Syntax highlighting by highlight.js: its core and only the four languages of the code view, loaded with
 * `import()` the first time the code view is shown, so the lab's first paint never waits for them.
 */
import type { HLJSApi } from 'highlight.js';
import type { Language } from './snippets.ts';

let loading: Promise<HLJSApi> | null = null;

/** highlight.js with C#, JavaScript, Python and Java registered (loaded once). */
export function loadHighlighter(): Promise<HLJSApi> {
	loading ??= Promise.all([
		import('highlight.js/lib/core'),
		import('highlight.js/lib/languages/csharp'),
		import('highlight.js/lib/languages/javascript'),
		import('highlight.js/lib/languages/python'),
		import('highlight.js/lib/languages/java')
	]).then(([core, csharp, javascript, python, java]) => {
		const hljs = core.default;
		hljs.registerLanguage('csharp', csharp.default);
		hljs.registerLanguage('javascript', javascript.default);
		hljs.registerLanguage('python', python.default);
		hljs.registerLanguage('java', java.default);
		return hljs;
	});
	return loading;
}

/** The code as highlighted HTML (highlight.js escapes the text it wraps). */
export function highlighted(hljs: HLJSApi, code: string, language: Language): string {
	return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
