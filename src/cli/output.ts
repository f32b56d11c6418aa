import { redactKeys } from '../stripe/keys.js';

/** Bad command-line use: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Everything the CLI prints goes through here, with anything key-shaped masked as a last line of defence. */
export function out(text = ''): void {
  process.stdout.write(`${redactKeys(text)}\n`);
}

export function err(text: string): void {
  process.stderr.write(`${redactKeys(text)}\n`);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
