import { describeError, ToolInputError } from '../stripe/errors.js';
import { redactKeys } from '../stripe/keys.js';
import { UsageError } from './output.js';
import { CancelledError } from './prompt.js';

/**
 * `tools | head`: once the reader has gone, stdout writes fail with EPIPE. That is the reader's choice, not our
 * failure: stop at once, exit 0, and print no stack trace (stderr may be gone too).
 */
function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
}

/**
 * What a command that failed prints (one clear line, never a stack trace) and its exit code: 2 for bad use, 130 for a
 * prompt the user cancelled, 1 for anything else.
 */
export function failureOf(err: unknown): { text: string; code: number } {
  const usage = err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'));
  const plain = err instanceof ToolInputError || err instanceof CancelledError || usage;
  const message = plain ? (err as Error).message : describeError(err, { tool: 'cli' });
  return {
    text: `stripe-readonly-mcp: ${redactKeys(message)}${usage ? '\nRun stripe-readonly-mcp --help for usage.' : ''}\n`,
    code: usage ? 2 : err instanceof CancelledError ? 130 : 1,
  };
}

/** Runs the command line and sets the exit code. */
export function run(command: () => Promise<number | undefined>): void {
  endQuietlyOnClosedPipe();
  command().then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (err: unknown) => {
      const failure = failureOf(err);
      process.stderr.write(failure.text);
      process.exitCode = failure.code;
    },
  );
}
