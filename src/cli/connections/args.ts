/** The arguments of `connections …`: parsed strictly, and never a key among them (keys are read from a prompt or stdin). */
import { parseArgs } from 'node:util';
import { CLI } from '../../connections/manager.js';
import { MODES, type Mode } from '../../stripe/keys.js';
import { UsageError } from '../output.js';

// The key guard and --mode parsing live in ../argv.ts (on every command's path, the stdio server's included).
export { argumentHoldsKey, KEY_ON_ARGV, parseMode, refuseKeysOnArgv } from '../argv.js';
import { parseMode, refuseKeysOnArgv } from '../argv.js';

export interface Parsed {
  sub: string;
  names: string[];
  mode: Mode | undefined;
  keyStdin: boolean;
  allowSecret: boolean;
  makeDefault: boolean;
  json: boolean;
  yes: boolean;
}

export function parse(argv: string[]): Parsed {
  refuseKeysOnArgv(argv);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      mode: { type: 'string' },
      'key-stdin': { type: 'boolean' },
      'allow-secret-key': { type: 'boolean' },
      default: { type: 'boolean' },
      json: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
    },
  });
  const [sub = 'list', ...names] = positionals;
  return {
    sub,
    names,
    mode: parseMode(values.mode),
    keyStdin: values['key-stdin'] === true,
    allowSecret: values['allow-secret-key'] === true,
    makeDefault: values.default === true,
    json: values.json === true,
    yes: values.yes === true,
  };
}

export function oneName(p: Parsed): string {
  const [name, ...extra] = p.names;
  if (!name) throw new UsageError(`connections ${p.sub} needs a connection NAME, e.g. ${CLI} connections ${p.sub} acme`);
  if (extra.length > 0) throw new UsageError(`connections ${p.sub} takes one NAME (got ${p.names.length} arguments).`);
  return name;
}

export function allow(p: Parsed, flags: Array<keyof Parsed>): void {
  const given: Array<[keyof Parsed, string]> = [
    ['mode', '--mode'],
    ['keyStdin', '--key-stdin'],
    ['allowSecret', '--allow-secret-key'],
    ['makeDefault', '--default'],
    ['json', '--json'],
    ['yes', '--yes'],
  ];
  for (const [field, flag] of given) {
    if (p[field] && !flags.includes(field)) throw new UsageError(`connections ${p.sub} does not take ${flag}.`);
  }
}
