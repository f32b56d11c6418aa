// Argument checks every command makes, the stdio server's start included: light on purpose (no connection store).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CLI } from '../program-name.js';
import { MODES, type Mode } from '../stripe/keys.js';
import { UsageError } from './output.js';

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

/**
 * A subcommand's words after parsing (`tokens revoke alice`, `connections add acme --mode live`): the same checks
 * for every command that has subcommands, so each says a misplaced flag or a missing NAME the same way.
 */
export interface SubcommandArgs {
  /** The command: connections, tokens, users. */
  command: string;
  /** Its subcommand, e.g. add. */
  sub: string;
  names: string[];
  /** The flags as parseArgs read them, by their name without `--`: given when set and not false. */
  flags: Readonly<Record<string, unknown>>;
  /** What NAME names ("a connection NAME") and a name to show in the example. */
  noun: string;
  example: string;
}

type FlagsConfig = NonNullable<ParseArgsConfig['options']>;
type SubcommandFlags<O extends FlagsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>['values'];

/**
 * Reads `COMMAND SUB [NAME…] [flags]` strictly (an unknown flag is refused): `connections add acme …` is sub
 * `add`, names `[acme]`; no subcommand is `list`.
 */
export function parseSubcommand<O extends FlagsConfig>(
  command: string,
  argv: string[],
  options: O,
  naming: Pick<SubcommandArgs, 'noun' | 'example'>,
): { args: SubcommandArgs; flags: SubcommandFlags<O> } {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const [sub = 'list', ...names] = positionals;
  return { args: { command, sub, names, flags: values, ...naming }, flags: values };
}

/** Refuses any flag given that this subcommand does not take (`allowed` by name without `--`). */
export function allowFlags(args: SubcommandArgs, allowed: readonly string[]): void {
  for (const [flag, value] of Object.entries(args.flags)) {
    if (value === undefined || value === false || allowed.includes(flag)) continue;
    const takes = allowed.length ? `it takes ${allowed.map((f) => `--${f}`).join(', ')}` : 'it takes no flags';
    throw new UsageError(`${args.command} ${args.sub} does not take --${flag} (${takes}).`);
  }
}

/** The one NAME the subcommand works on. */
export function oneName(args: SubcommandArgs): string {
  const [name, ...extra] = args.names;
  if (!name) throw new UsageError(`${args.command} ${args.sub} needs ${args.noun} NAME, e.g. ${CLI} ${args.command} ${args.sub} ${args.example}`);
  if (extra.length > 0) throw new UsageError(`${args.command} ${args.sub} takes one NAME (got ${args.names.length} arguments).`);
  return name;
}

/** For subcommands that work on no NAME (list). */
export function noName(args: SubcommandArgs): void {
  if (args.names.length) throw new UsageError(`${args.command} ${args.sub} takes no NAME.`);
}

/** --connection NAME, where a command takes one: an empty name is a mistake, not "every connection". */
export function connectionFlag(value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError('--connection needs a connection name.');
  return value;
}
