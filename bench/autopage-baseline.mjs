// Baseline for bench/aggregate.mjs, run in its own process: what a script does without this server — the `stripe`
// package auto-pages every balance transaction into an array, then reduces it by month and currency.
// Prints one JSON line: objects, CPU milliseconds of this process for the work, resident memory growth.
// (BENCH_RATE pages by hand at that many requests per second instead.)
import { readFileSync, writeFileSync } from 'node:fs';
import Stripe from 'stripe';

const ticks = () => {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (1/100 s)
};
const status = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;

const url = new URL(process.env.BENCH_API_BASE);
const stripe = new Stripe(process.env.BENCH_KEY, { host: url.hostname, port: url.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
await stripe.balanceTransactions.list({ limit: 1 }); // load and warm the client like the server's warm-up call

const rssBefore = status('VmRSS');
writeFileSync('/proc/self/clear_refs', '5'); // peak RSS counts from here
const cpuBefore = ticks();
// autoPagingToArray stops at 10,000 items, so the same auto-pagination is collected with for await.
// BENCH_RATE (requests per second) holds each page back to that pace, for a comparison at the server's own rate.
const rate = Number(process.env.BENCH_RATE ?? 0);
const all = [];
if (!rate) {
  for await (const t of stripe.balanceTransactions.list({ limit: 100 })) all.push(t);
} else {
  const start = Date.now();
  let after;
  for (let i = 0; ; i++) {
    const wait = start + (i * 1000) / rate - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const page = await stripe.balanceTransactions.list({ limit: 100, ...(after ? { starting_after: after } : {}) });
    all.push(...page.data);
    if (!page.has_more) break;
    after = page.data[page.data.length - 1].id;
  }
}
const months = new Map();
for (const t of all) {
  const key = `${new Date(t.created * 1000).toISOString().slice(0, 7)}|${t.currency}`;
  const row = months.get(key) ?? { count: 0, amount: 0, fee: 0, net: 0 };
  row.count++;
  row.amount += t.amount;
  row.fee += t.fee;
  row.net += t.net;
  months.set(key, row);
}
const cpuMs = (ticks() - cpuBefore) * 10;
const peak = status('VmHWM');
process.stdout.write(`${JSON.stringify({ objects: all.length, rows: months.size, cpuMs, rssGrowth: peak - rssBefore })}\n`);
