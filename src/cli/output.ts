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

/** A header and rows in aligned columns, two spaces apart (the short lists of tokens and users). */
export function columns(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
