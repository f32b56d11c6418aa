// Argument checks every command makes, the stdio server's start included: light on purpose (no connection store).
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
