/**
 * The command line run inside the test process: the same `main()` the built CLI runs (src/cli/main.ts), its failures
 * printed and turned into an exit code by the same `failureOf` (src/cli/run.ts), with the run's own environment,
 * stdin, stdout and stderr. A run of the built CLI costs 0.2–0.6 s of CPU (a Node process, the bundle, and for
 * `--demo` the demo business generated again); here, a few milliseconds, and the demo business is generated once
 * per test worker. What only a process shows stays with the built CLI (test/connections/helpers.ts `runCli`): the
 * bundle itself, the entry (src/cli/index.ts, which picks the stdio server before main(): test/cli/serve-args.test.ts),
 * the argv other processes see (/proc), exit codes as the shell sees them, signals, a terminal, a closed pipe,
 * processes racing.
 *
 * It swaps process-wide things (process.env, process.argv, process.stdin, the two writers, process.exit) for the
 * length of one run (process.argv as the built CLI's: `config` reads which entry point it was started from), so runs
 * take turns, and nothing else in the worker may depend on them meanwhile: test files run one at a time in a worker
 * and each test's own emulator reads none of them.
 */
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { failureOf } from '../../src/cli/run.js';
import type { CliResult } from '../connections/helpers.js';
import { BIN, cleanEnv } from './spawn.js';

export interface InProcessOptions {
  env?: Record<string, string>;
  /** What stdin holds (then it ends); none: an empty stdin, as a pipe with nothing in it. */
  input?: string;
}

/** Commands that keep running until stopped (the server, the emulator): they need a process of their own. */
const keepsRunning = (args: string[]) => args.length === 0 || args.includes('--http') || ['serve', 'emulator'].includes(args.find((a) => !a.startsWith('-')) ?? '');

class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

let turn: Promise<unknown> = Promise.resolve();

/** Runs `stripe-readonly-mcp ARGS` in this process; resolves as `runCli` does (argv and descendants empty). */
export function runCliInProcess(args: string[], options: InProcessOptions = {}): Promise<CliResult> {
  if (keepsRunning(args)) throw new Error(`${args.join(' ')} runs until stopped: use runCli (a process of its own)`);
  const result = turn.then(() => runOnce(args, options));
  turn = result.catch(() => undefined);
  return result;
}

type Write = typeof process.stdout.write;

/** A writer that appends to `sink` and reports success as a stream would. */
function capture(sink: { text: string }): Write {
  return ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    sink.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const done = rest.find((r): r is () => void => typeof r === 'function');
    if (done) queueMicrotask(done);
    return true;
  }) as Write;
}

async function runOnce(args: string[], options: InProcessOptions): Promise<CliResult> {
  const saved = {
    env: process.env,
    argv: process.argv,
    stdin: Object.getOwnPropertyDescriptor(process, 'stdin')!,
    stdoutWrite: process.stdout.write,
    stderrWrite: process.stderr.write,
    exit: process.exit,
    exitCode: process.exitCode,
  };
  const stdout = { text: '' };
  const stderr = { text: '' };
  process.env = cleanEnv(options.env ?? {});
  process.argv = [process.execPath, BIN, ...args];
  Object.defineProperty(process, 'stdin', { value: Readable.from(options.input !== undefined ? [Buffer.from(options.input)] : []), configurable: true });
  process.stdout.write = capture(stdout);
  process.stderr.write = capture(stderr);
  process.exit = ((code?: number) => {
    throw new ExitCalled(code ?? 0);
  }) as typeof process.exit;
  let code: number;
  try {
    code = (await main(args)) ?? 0;
  } catch (err) {
    if (err instanceof ExitCalled) code = err.code;
    else {
      const failure = failureOf(err);
      stderr.text += failure.text;
      code = failure.code;
    }
  } finally {
    process.env = saved.env;
    process.argv = saved.argv;
    Object.defineProperty(process, 'stdin', saved.stdin);
    process.stdout.write = saved.stdoutWrite;
    process.stderr.write = saved.stderrWrite;
    process.exit = saved.exit;
    process.exitCode = saved.exitCode;
  }
  return { code, signal: null, stdout: stdout.text, stderr: stderr.text, argv: '', descendants: [] };
}
