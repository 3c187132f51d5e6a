/** Types of scripts/serve.js, for the end-to-end tests that start it in-process. */

/** A running static server. */
export interface RunningServer {
	/** Base URL with a trailing slash, e.g. `http://127.0.0.1:4173/`. */
	url: string;
	/** The port it listens on (the one picked when port 0 was asked for). */
	port: number;
	/** Stops listening and closes every open connection. */
	close(): Promise<void>;
}

/** Options of {@link startServer}. */
export interface ServerOptions {
	/** Directory to serve (default `dist`); it must contain index.html. */
	root?: string;
	/** Port to listen on (default 4173); 0 picks a free one. */
	port?: number;
	/** Address to bind (default 127.0.0.1). */
	host?: string;
	/** How many consecutive ports to try while the port is busy (default 1). */
	portAttempts?: number;
}

/** Starts a static file server over `root` that sends the page's Content-Security-Policy as a header. */
export function startServer(options?: ServerOptions): Promise<RunningServer>;

/** The policy in the page's `<meta http-equiv="Content-Security-Policy">`, or null when there is none. */
export function cspFromHtml(html: string): string | null;

/** The file under `root` a request path names, or null when the path is malformed or leaves `root`. */
export function resolveRequestPath(root: string, urlPath: string): string | null;
