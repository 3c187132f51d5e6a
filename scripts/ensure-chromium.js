// Makes sure a Chromium binary is there for the end-to-end tests: CHROMIUM_PATH, else /usr/bin/chromium,
// else (as root on Debian/Ubuntu) installs it with apt-get. Exits 1 with what to do when it cannot.
import { accessSync, constants } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';

const DEFAULT_PATH = '/usr/bin/chromium';
const HOW_TO =
	'Chromium is needed for the end-to-end tests and is not installed. Install it with: sudo apt-get update && sudo apt-get install -y chromium (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary.';

/**
 * @param {string} path
 * @returns {boolean}
 */
function isExecutable(path) {
	try {
		accessSync(path, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

/**
 * @param {string} command
 * @returns {boolean}
 */
function onPath(command) {
	return (process.env.PATH ?? '')
		.split(delimiter)
		.some((dir) => dir && isExecutable(join(dir, command)));
}

/**
 * Runs a command with its output streamed to ours.
 * @param {string} command
 * @param {string[]} args
 * @returns {boolean} true when it exited with status 0
 */
function run(command, args) {
	console.log(`$ ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, {
		stdio: 'inherit',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
	});
	return result.status === 0;
}

function main() {
	const configured = process.env.CHROMIUM_PATH;
	if (configured) {
		if (isExecutable(configured)) return 0;
		console.error(
			`CHROMIUM_PATH is set to ${configured}, but there is no executable file there. Point it at a Chromium binary, or unset it to use ${DEFAULT_PATH}.`
		);
		return 1;
	}
	if (isExecutable(DEFAULT_PATH)) return 0;

	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!isRoot || !onPath('apt-get')) {
		console.error(HOW_TO);
		return 1;
	}
	console.log('Chromium is not installed; installing it with apt-get for the end-to-end tests.');
	const installed = run('apt-get', ['update']) && run('apt-get', ['install', '-y', 'chromium']);
	if (installed && isExecutable(DEFAULT_PATH)) return 0;
	console.error(`apt-get could not install Chromium at ${DEFAULT_PATH}. ${HOW_TO}`);
	return 1;
}

process.exitCode = main();
