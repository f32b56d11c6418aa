// Benchmark for issue 10 ("Stripe's documented limits"), measured in one run and written to its own section of
// bench/RESULTS.md (other sections are kept). The emulator enforces Stripe's limits (docs.stripe.com/rate-limits:
// live 100/s per account, 25/s per endpoint) and answers 429 past them:
//   1. Aggregating 100,000 live-mode balance transactions (one endpoint): 0 rate-limit errors, and the time within
//      1.2× of requests ÷ 25/s, the endpoint's ceiling.
//   2. Two concurrent live-mode aggregations on two endpoints (balance transactions and charges): 0 rate-limit
//      errors, each within 1.2× of its own ceiling (its requests ÷ 25/s).
// The server runs as users run it (stdio, its own process); requests and 429s are counted at the emulator.
// Run with `node scripts/build.mjs && node bench/rate-limits.mjs`.
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startEmulator } from '../dist/emulator.js';
import { runInfo, writeResultsSection } from './results.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = `${root}bin/stripe-readonly-mcp.js`;
const ANCHOR = new Date('2026-11-01T00:00:00Z');
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 100_000);
const ENDPOINT_LIMIT = 25;
const GOAL = 1.2;
const HOME = mkdtempSync(join(tmpdir(), 'bench-rate-limits-'));

const env = (extra) => ({ ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STRIPE_'))), ...extra });

async function startServer(emulator) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN],
    env: env({ STRIPE_API_KEY: emulator.keys.live, STRIPE_API_BASE: emulator.url, STRIPE_MCP_HOME: HOME }),
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench-rate-limits', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

async function call(client, tool, args) {
  const result = await client.callTool({ name: tool, arguments: { mode: 'live', ...args } }, { timeout: 900_000 });
  if (result.isError) throw new Error(result.content[0].text);
  return result.structuredContent;
}

/** The most requests that reached the emulator within any one second. */
function busiestSecond(requests) {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let best = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi] - times[lo] >= 1000) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

const dayOf = (seconds) => new Date(seconds * 1000).toISOString().slice(0, 10);
const n = (x) => x.toLocaleString('en-US');

/** Times one aggregation and measures it against its endpoint's ceiling, from what reached the emulator. */
async function measure(emulator, client, tool, path, objects, mark) {
  const started = performance.now();
  const answer = await call(client, tool, {
    created_after: dayOf(objects[objects.length - 1].created),
    group_by: ['month'],
    metrics: ['count', 'sum:amount'],
  });
  const wallMs = performance.now() - started;
  if (answer.scanned !== objects.length) throw new Error(`${tool} read ${answer.scanned} of ${objects.length}`);
  const sent = emulator.requests.slice(mark).filter((r) => r.path === path);
  const ceilingMs = (sent.length / ENDPOINT_LIMIT) * 1000;
  return {
    tool,
    objects: objects.length,
    requests: sent.length,
    limited: sent.filter((r) => r.status === 429).length,
    busiest: busiestSecond(sent),
    wallMs,
    ceilingMs,
    ratio: wallMs / ceilingMs,
  };
}

const row = (label, m) =>
  `| ${label} | ${n(m.objects)} objects, ${n(m.requests)} requests | ${(m.wallMs / 1000).toFixed(1)} s | ${(m.ceilingMs / 1000).toFixed(1)} s | ` +
  `${m.ratio.toFixed(2)}× | ${m.busiest} | ${m.limited} | ${m.limited === 0 && m.ratio <= GOAL ? 'met' : 'NOT met'} |`;

const loadBefore = loadavg()[0];
const emulator = await startEmulator({ anchor: ANCHOR, size: { balanceTransactions: OBJECTS } });
const live = emulator.dataset('live');
const client = await startServer(emulator);
// Warm-up: loads the stripe package and routes the connection; then a pause so its requests are out of every window.
await call(client, 'list_balance_transactions', { limit: 1 });
await call(client, 'list_charges', { limit: 1 });
await new Promise((resolve) => setTimeout(resolve, 1_500));

// 1. One endpoint alone.
let mark = emulator.requests.length;
const alone = await measure(emulator, client, 'list_balance_transactions', '/v1/balance_transactions', live.balanceTransactions, mark);
await new Promise((resolve) => setTimeout(resolve, 1_500));

// 2. Two endpoints at once, in the same server (the same account and mode).
mark = emulator.requests.length;
const [txns, charges] = await Promise.all([
  measure(emulator, client, 'list_balance_transactions', '/v1/balance_transactions', live.balanceTransactions, mark),
  measure(emulator, client, 'list_charges', '/v1/charges', live.charges, mark),
]);
const together = emulator.requests.slice(mark);
await client.close();
await emulator.close();

writeResultsSection(
  'bench/rate-limits.mjs',
  `## Issue 10: aggregating under Stripe's rate limits

One run: ${runInfo()}. Reproduce with \`node scripts/build.mjs && node bench/rate-limits.mjs\`.
The emulator enforces Stripe's limits (live mode: 100 requests/s per account, 25/s per endpoint, counted over any
1000 ms of arrivals, refused requests included) and answers 429 past them; the server runs over stdio in its own
process. Ceiling = the requests the aggregation sent ÷ the endpoint's 25/s; goal: 0 rate-limit errors and the time
within ${GOAL}× of the ceiling.

| Aggregation (live mode, by month) | Work | Time | Ceiling | Ratio | Busiest second (requests) | 429s | ≤ ${GOAL}×, 0 429s |
| --- | --- | --- | --- | --- | --- | --- | --- |
${row('Balance transactions alone', alone)}
${row('Balance transactions, beside charges', txns)}
${row('Charges, beside balance transactions', charges)}

- Both aggregations together: ${n(together.length)} requests, busiest second ${busiestSecond(together)} (the account's limit is 100), ${together.filter((r) => r.status === 429).length} answered 429.
- The client counts a request from its sending until a second after its answer, so the time per request above the
  ceiling is about the emulator's time to answer a page (no request can arrive early in a window). Each page costs
  CPU in both processes (the emulator writes it, the server parses it): two endpoints at 25 pages/s each need more
  CPU than a loaded machine gives, and then the answers, not the limiter, set the pace.
- Machine load (1-minute average) at the start: ${loadBefore.toFixed(1)}, at the end: ${loadavg()[0].toFixed(1)}, on ${cpus().length} CPUs.`,
);
