/**
 * The `connections` command: add, list, test, rotate, remove and choose the default of named connections. One file
 * per part of it in ./connections/; the argument rules (no key ever on argv) are shared with the other commands.
 */
import { CLI } from '../connections/manager.js';
import { out, UsageError } from './output.js';
import { allowFlags, noName } from './argv.js';
import { parse } from './connections/args.js';
import { check } from './connections/check.js';
import { list } from './connections/list.js';
import { remove, setDefault } from './connections/remove.js';
import { add, rotate } from './connections/save.js';

export { argumentHoldsKey, KEY_ON_ARGV, parseMode, refuseKeysOnArgv } from './connections/args.js';

export const CONNECTIONS_USAGE = `Usage:
  ${CLI} connections add NAME [--mode test|live] [--key-stdin] [--allow-secret-key] [--default]
  ${CLI} connections list [--json]
  ${CLI} connections test NAME [--mode test|live]
  ${CLI} connections rotate NAME --mode test|live [--key-stdin] [--allow-secret-key]
  ${CLI} connections remove NAME [--mode test|live] [--yes]
  ${CLI} connections default NAME [--mode test|live]`;

export async function connectionsCommand(argv: string[]): Promise<number> {
  const p = parse(argv);
  switch (p.sub) {
    case 'add':
      allowFlags(p, ['mode', 'key-stdin', 'allow-secret-key', 'default']);
      return add(p);
    case 'list':
    case 'ls':
      allowFlags(p, ['json']);
      noName(p);
      return list(p);
    case 'test':
      allowFlags(p, ['mode', 'json']);
      return check(p);
    case 'rotate':
      allowFlags(p, ['mode', 'key-stdin', 'allow-secret-key']);
      return rotate(p);
    case 'remove':
    case 'rm':
      allowFlags(p, ['mode', 'yes']);
      return remove(p);
    case 'default':
      allowFlags(p, ['mode']);
      return setDefault(p);
    case 'help':
      out(CONNECTIONS_USAGE);
      return 0;
    default:
      throw new UsageError(`Unknown connections command "${p.sub}".\n${CONNECTIONS_USAGE}`);
  }
}
