/**
 * The `connections` command: add, list, test, rotate, remove and choose the default of named connections. One file
 * per part of it in ./connections/; the argument rules (no key ever on argv) are shared with the other commands.
 */
import { out, UsageError } from './output.js';
import { allowFlags, noName } from './argv.js';
import { parse } from './connections/args.js';
import { CONNECTIONS_USAGE } from './connections/usage.js';

export { argumentHoldsKey, KEY_ON_ARGV, parseMode, refuseKeysOnArgv } from './connections/args.js';
export { CONNECTIONS_USAGE };

// Each part loads when run: only `test`, `add` and `rotate` need the tools' permissions (and so the tools' code).
export async function connectionsCommand(argv: string[]): Promise<number> {
  const p = parse(argv);
  switch (p.sub) {
    case 'add':
      allowFlags(p, ['mode', 'key-stdin', 'allow-secret-key', 'default']);
      return (await import('./connections/save.js')).add(p);
    case 'list':
    case 'ls':
      allowFlags(p, ['json']);
      noName(p);
      return (await import('./connections/list.js')).list(p);
    case 'test':
      allowFlags(p, ['mode', 'json']);
      return (await import('./connections/check.js')).check(p);
    case 'rotate':
      allowFlags(p, ['mode', 'key-stdin', 'allow-secret-key']);
      return (await import('./connections/save.js')).rotate(p);
    case 'remove':
    case 'rm':
      allowFlags(p, ['mode', 'yes']);
      return (await import('./connections/remove.js')).remove(p);
    case 'default':
      allowFlags(p, ['mode']);
      return (await import('./connections/remove.js')).setDefault(p);
    case 'help':
      out(CONNECTIONS_USAGE);
      return 0;
    default:
      throw new UsageError(`Unknown connections command "${p.sub}".\n${CONNECTIONS_USAGE}`);
  }
}
