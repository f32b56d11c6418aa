/** The arguments of `connections …`: parsed strictly, and never a key among them (keys are read from a prompt or stdin). */
import { parseArgs } from 'node:util';
import { CLI } from '../../connections/manager.js';
import { MODES, type Mode } from '../../stripe/keys.js';
import { UsageError } from '../output.js';

export const KEY_ON_ARGV =
  'Keys are never taken on the command line: shell history and `ps` would show them to anyone who looks. ' +
  'Run the command in a terminal to be asked for the key (the input is hidden), or pipe it in with --key-stdin. ' +
  'If that was a real key, it is now in your shell history: roll it in the Stripe Dashboard (Developers → API keys).';

/**
 * A Stripe key anywhere in one argument: alone, after `=` (`--x=KEY`), glued to a short flag (`-xKEY`), inside
 * JSON, or as a flag name (`--KEY`). The key must not follow a letter or digit, so a name such as
 * `risk_test_accounts` is not taken for one. `--key` itself is refused too: keys never come on argv.
 */
export function argumentHoldsKey(arg: string): boolean {
  return /(^|[^A-Za-z0-9])(sk|rk|pk)_(test|live|org)/.test(arg) || /^-[A-Za-z]+(sk|rk|pk)_(test|live|org)/.test(arg) || /^--key(=|$)/.test(arg);
}

/** Anything shaped like a Stripe key among the arguments (every command, every form): refused, never echoed. */
export function refuseKeysOnArgv(args: string[]): void {
  if (args.some(argumentHoldsKey)) throw new UsageError(KEY_ON_ARGV);
}

export function parseMode(value: string | undefined, flag = '--mode'): Mode | undefined {
  if (value === undefined) return undefined;
  if ((MODES as readonly string[]).includes(value)) return value as Mode;
  throw new UsageError(`${flag} must be test or live (got "${value}").`);
}

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
