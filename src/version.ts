import { createRequire } from 'node:module';

/** Read from package.json so --version, the MCP server info and the npm package never disagree. */
export const PACKAGE_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
