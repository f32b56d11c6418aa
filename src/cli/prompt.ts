import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { SetupError } from '../stripe/errors.js';

/** More than any Stripe key; stops a mistaken `< bigfile` from filling memory. */
const MAX_STDIN_BYTES = 16 * 1024;

export class CancelledError extends Error {
  override name = 'CancelledError';
}

/**
 * Asks on the terminal without echoing what is typed or pasted: readline reads the line, and its echo goes to a
 * stream that discards it. The prompt itself goes to stderr so stdout stays clean for scripts.
 */
export function readHidden(prompt: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(prompt);
    const muted = new Writable({ write: (_chunk, _enc, done) => done() });
    const rl = createInterface({ input, output: muted, terminal: true, historySize: 0 });
    let answered = false;
    rl.on('line', (line) => {
      answered = true;
      rl.close();
      output.write('\n');
      resolve(line);
    });
    rl.on('SIGINT', () => {
      answered = true;
      rl.close();
      output.write('\n');
      reject(new CancelledError('Cancelled: nothing was changed.'));
    });
    rl.on('close', () => {
      if (!answered) reject(new CancelledError('Cancelled (end of input): nothing was changed.'));
    });
  });
}

/** Asks a yes/no question on the terminal (echoed); anything but y/yes is no. */
export function confirm(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, output, terminal: true, historySize: 0 });
    let answered = false;
    rl.question(`${question} [y/N] `, (answer) => {
      answered = true;
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
    rl.on('SIGINT', () => {
      rl.close();
      output.write('\n');
    });
    rl.on('close', () => {
      if (!answered) resolve(false);
    });
  });
}

/** The whole of stdin (for --key-stdin): one key, surrounding whitespace and a trailing newline ignored. */
export async function readAllStdin(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_STDIN_BYTES) throw new SetupError('Standard input is far longer than a Stripe key: pipe in exactly one key.');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text.split(/\r?\n/).filter((l) => l.trim() !== '').length > 1) {
    throw new SetupError('Standard input holds more than one line: pipe in exactly one key.');
  }
  return text;
}

/**
 * Gets a key without it ever touching argv: a hidden prompt on a terminal, else stdin with --key-stdin.
 * With --key-stdin on a terminal, the hidden prompt is used anyway (typing into plain stdin would echo it).
 */
export async function readKey(options: { keyStdin: boolean; prompt: string }): Promise<string> {
  if (process.stdin.isTTY) return readHidden(options.prompt);
  if (options.keyStdin) return readAllStdin();
  throw new SetupError(
    'There is no terminal to ask for the key on. Pipe the key in with --key-stdin, e.g. `stripe-readonly-mcp connections add NAME --key-stdin < key.txt` ' +
      '(then delete the file), or run the command in a terminal to be asked for it.',
  );
}
