/** The terminal's interpreter: a shell with az, curl, jq, jwt, ssh and sqlcmd over the simulated world. */
export { runLine, MAX_LINE_LENGTH } from './interpreter.ts';
export { createShellState, prompt, describePlace, cloudShellUser } from './state.ts';
export type { PlaceInfo } from './state.ts';
export type { ShellState, ShellSession, LineResult } from './types.ts';
export { COMMANDS, findCommand } from './commands.ts';
export { azCommandNames } from './az/driver.ts';
export { parseLine } from './parse.ts';
export { decodeReport, explainClaim } from './jwt.ts';
export { cloudShellUserToken, AZURE_CLI_APP_ID } from '../token/user-token.ts';
export { HISTSIZE, historyLines, historyEntries, type ShellHistory } from './history.ts';
