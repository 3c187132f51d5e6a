// Serves the built site (dist/) on localhost, compressed, with the same Content-Security-Policy the page
// declares: sirv for the files and compression for gzip. `npm start` and `npm run preview` run it, the
// end-to-end tests import startServer.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import compression from 'compression';
import sirv from 'sirv';
import { existsSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Content types by file extension; anything else is sent as application/octet-stream. */
const CONTENT_TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.json': 'application/json; charset=utf-8',
	'.webmanifest': 'application/manifest+json; charset=utf-8',
	'.wasm': 'application/wasm',
	'.map': 'application/json; charset=utf-8',
	'.ico': 'image/x-icon',
	'.png': 'image/png',
	'.woff2': 'font/woff2',
	'.txt': 'text/plain; charset=utf-8',
	'.md': 'text/markdown; charset=utf-8',
	'.xml': 'application/xml; charset=utf-8',
	'.zip': 'application/zip'
};

const DEFAULT_PORT = 4173;
const DEFAULT_HOST = '127.0.0.1';
/** How many ports the command line tries, from PORT's default upwards, when one is busy. */
const PORT_ATTEMPTS = 20;

/**
 * The policy of the page's `<meta http-equiv="Content-Security-Policy">`, so that the header and the meta tag
 * can never disagree. Null when the page declares none.
 * @param {string} html
 * @returns {string | null}
 */
export function cspFromHtml(html) {
	for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
		if (!/http-equiv\s*=\s*["']content-security-policy["']/i.test(tag)) continue;
		const content = /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
		if (content) return (content[1] ?? content[2] ?? '').trim();
	}
	return null;
}

/**
 * The file under `root` that a request path names, or null when the path is malformed or leaves `root`.
 * @param {string} root absolute directory
 * @param {string} urlPath the request target (path and optional query)
 * @returns {string | null}
 */
export function resolveRequestPath(root, urlPath) {
	let pathname;
	try {
		pathname = decodeURIComponent(new URL(urlPath, 'http://localhost').pathname);
	} catch {
		return null;
	}
	if (pathname.includes('\0')) return null;
	if (pathname.endsWith('/')) pathname += 'index.html';
	const file = resolve(root, `.${pathname}`);
	return file === root || file.startsWith(root + sep) ? file : null;
}

/**
 * Starts a static file server over `root`.
 * @param {{ root?: string, port?: number, host?: string, portAttempts?: number }} [options]
 *   `port` 0 picks a free port; `portAttempts` > 1 tries the following ports while one is busy.
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startServer(options = {}) {
	const root = resolve(options.root ?? 'dist');
	const host = options.host ?? DEFAULT_HOST;
	const firstPort = options.port ?? DEFAULT_PORT;
	const attempts = Math.max(1, options.portAttempts ?? 1);

	const indexFile = join(root, 'index.html');
	if (!existsSync(indexFile)) {
		throw new Error(
			`There is no built site in ${root} (index.html is missing). Run \`npm run build\` first, or \`npm start\`, which builds and then serves.`
		);
	}
	const csp = cspFromHtml(await readFile(indexFile, 'utf8'));

	const onRequest = createHandler(root, csp);

	/** @type {import('node:http').Server | undefined} */
	let server;
	for (let attempt = 0; !server; attempt++) {
		const port = firstPort === 0 ? 0 : firstPort + attempt;
		const candidate = createServer(onRequest);
		try {
			await listen(candidate, port, host);
			server = candidate;
		} catch (error) {
			const busy = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
			if (!busy) throw error;
			if (attempt + 1 >= attempts) {
				const ports = attempts > 1 ? `Ports ${firstPort} to ${port} are` : `Port ${port} is`;
				throw new Error(
					`${ports} already in use. Stop the program using it, or choose another port, e.g. PORT=8080 npm start`,
					{ cause: error }
				);
			}
		}
	}
	const running = server;

	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : firstPort;
	const urlHost = host.includes(':') ? `[${host}]` : host;
	return {
		url: `http://${urlHost}:${port}/`,
		port,
		close: () =>
			new Promise((done, fail) => {
				running.close((error) => (error ? fail(error) : done()));
				running.closeAllConnections();
			})
	};
}

/**
 * @param {import('node:http').Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<void>}
 */
function listen(server, port, host) {
	return new Promise((done, fail) => {
		const onError = (/** @type {Error} */ error) => {
			server.off('listening', onListening);
			fail(error);
		};
		const onListening = () => {
			server.off('error', onError);
			done();
		};
		server.once('error', onError);
		server.once('listening', onListening);
		server.listen(port, host);
	});
}

/**
 * The request handler: sirv serves the files (content types, ETags, ranges, HEAD), compression gzips what is
 * worth it, as any real host does. Around them: the page's CSP and hardening headers on every answer, 405 for
 * writes, 400 for a path that is malformed or leaves the site, and long caching for Vite's hashed assets.
 * @param {string} root
 * @param {string | null} csp
 * @returns {(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void}
 */
function createHandler(root, csp) {
	/** @type {Record<string, string>} */
	const headers = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };
	if (csp) headers['Content-Security-Policy'] = csp;
	const files = sirv(root, {
		dev: false,
		etag: true,
		dotfiles: false,
		setHeaders: (response, pathname) => {
			for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
			const ext = extname(pathname).toLowerCase() || '.html';
			const type = CONTENT_TYPES[/** @type {keyof typeof CONTENT_TYPES} */ (ext)];
			if (type) response.setHeader('Content-Type', type);
			// Vite puts content-hashed files under assets/: they never change, everything else is revalidated.
			response.setHeader(
				'Cache-Control',
				pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'
			);
		}
	});
	const compress = compression();
	return (request, response) => {
		if (request.method !== 'GET' && request.method !== 'HEAD') {
			response.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
			response.end('Method not allowed: this server only serves files (GET and HEAD).\n');
			return;
		}
		if (!resolveRequestPath(root, request.url ?? '/')) {
			response.writeHead(400, { ...headers, 'Content-Type': 'text/plain' });
			response.end('Bad request: the path is malformed or points outside the site.\n');
			return;
		}
		// compression's types name Express's request and response; plain node:http ones are what it uses.
		compress(/** @type {any} */ (request), /** @type {any} */ (response), () => {
			files(request, response, () => {
				response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
				response.end(`Not found: ${request.url ?? '/'}\n`);
			});
		});
	};
}

/**
 * The port asked for in PORT, or null when PORT is not set.
 * @param {string | undefined} value
 * @returns {number | null}
 */
function parsePort(value) {
	if (value === undefined || value === '') return null;
	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`PORT must be a whole number from 0 to 65535, not "${value}".`);
	}
	return port;
}

async function main() {
	const root = fileURLToPath(new URL('../dist/', import.meta.url));
	if (!existsSync(join(root, 'index.html'))) {
		console.error(
			'The site is not built yet: dist/index.html is missing. Run `npm run build` first (or `npm start`, which builds and then serves).'
		);
		process.exit(1);
	}
	const asked = parsePort(process.env.PORT);
	const server = await startServer({
		root,
		port: asked ?? DEFAULT_PORT,
		portAttempts: asked === null ? PORT_ATTEMPTS : 1
	});
	console.log(`Managed Identity Lab is running at http://localhost:${server.port}/`);
	console.log('Press Ctrl+C to stop.');
	const stop = () => {
		server.close().then(
			() => process.exit(0),
			() => process.exit(0)
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	main().catch((error) => {
		console.error(error instanceof Error ? error.message : String(error));
		process.exit(1);
	});
}
