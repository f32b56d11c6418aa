// `npm test`: the type check (tsc) and the suite (vitest) at the same time, failing if either fails. tsc is
// TypeScript 7, the native compiler: about 7 s of CPU from a fresh clone, 2.5 s when little changed (TypeScript 5.9,
// the JavaScript one: 26 s and 9 s, measured on this 2-core machine). It runs at a lower priority: the suite's
// processes come first, tsc takes what they leave. Arguments go to vitest (`npm test -- test/cli`); tsc checks
// everything.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

const bin = (path) => fileURLToPath(new URL(`../node_modules/${path}`, import.meta.url));

/** Resolves with the exit code (1 for a signal). */
const exitOf = (child) => new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));

// Incremental: tsc keeps what it learnt in node_modules/.cache, so a later run checks only what changed and what
// depends on it. `npm run typecheck` checks from scratch.
const tscArgs = ['-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', bin('.cache/stripe-readonly-mcp/tsbuildinfo')];
// TypeScript 7's `tsc` is a Node wrapper that, before Node 22.15, runs the native compiler as a child of its own: it
// starts in a process group of its own (detached), and a signal (below) goes to the whole group, compiler included.
const tsc = spawn(process.execPath, [bin('typescript/bin/tsc'), ...tscArgs], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
try {
  setPriority(tsc.pid, 10);
} catch {
  // not allowed here: it runs at the same priority, which is only slower
}
let typeErrors = '';
tsc.stdout.on('data', (chunk) => (typeErrors += chunk));
tsc.stderr.on('data', (chunk) => (typeErrors += chunk));
const vitest = spawn(process.execPath, [bin('vitest/vitest.mjs'), 'run', ...process.argv.slice(2)], { stdio: 'inherit' });

// Stopped by a signal (a CI time-out kills this process, not its group): both stop too, none is left running.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    try {
      process.kill(-tsc.pid, signal);
    } catch {
      tsc.kill(signal); // no process groups here (Windows), or the type check has finished
    }
    vitest.kill(signal);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

const [tscCode, vitestCode] = await Promise.all([exitOf(tsc), exitOf(vitest)]);
if (tscCode !== 0) {
  process.stdout.write(`\n${typeErrors}`);
  process.stderr.write('\nThe type check failed (tsc -p tsconfig.json): see above.\n');
} else {
  process.stdout.write('Type check (tsc -p tsconfig.json): no errors.\n');
}
process.exit(tscCode !== 0 ? tscCode : vitestCode);
