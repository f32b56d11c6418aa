/** The arguments of `connections …`: parsed strictly, and never a key among them (keys are read from a prompt or stdin). */
import type { Mode } from '../../stripe/keys.js';

// The key guard and --mode parsing live in ../argv.ts (on every command's path, the stdio server's included).
export { argumentHoldsKey, KEY_ON_ARGV, parseMode, refuseKeysOnArgv } from '../argv.js';
import { parseMode, refuseKeysOnArgv, parseSubcommand, type SubcommandArgs } from '../argv.js';

export interface Parsed extends SubcommandArgs {
  mode: Mode | undefined;
  keyStdin: boolean;
  allowSecret: boolean;
  makeDefault: boolean;
  json: boolean;
  yes: boolean;
}

const CONNECTION_FLAGS = {
  mode: { type: 'string' },
  'key-stdin': { type: 'boolean' },
  'allow-secret-key': { type: 'boolean' },
  default: { type: 'boolean' },
  json: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
} as const;

export function parse(argv: string[]): Parsed {
  refuseKeysOnArgv(argv);
  const { args, flags } = parseSubcommand('connections', argv, CONNECTION_FLAGS, { noun: 'a connection', example: 'acme' });
  return {
    ...args,
    mode: parseMode(flags.mode),
    keyStdin: flags['key-stdin'] === true,
    allowSecret: flags['allow-secret-key'] === true,
    makeDefault: flags.default === true,
    json: flags.json === true,
    yes: flags.yes === true,
  };
}
