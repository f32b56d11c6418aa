import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
const root = '/work/wt-toolsets/';
const BIN = `${root}bin/stripe-readonly-mcp.js`, FLOOR = `${root}bench/floor-server.mjs`;
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STRIPE_')));
async function cold(args) {
  const t = performance.now();
  const c = new Client({ name: 'b', version: '1' });
  await c.connect(new StdioClientTransport({ command: process.execPath, args, env, stderr: 'ignore' }));
  await c.listTools();
  const e = performance.now() - t; await c.close(); return e;
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const N = Number(process.env.N ?? 9);
const cases = { ours: [BIN], floor: [FLOOR], demo: [BIN, '--demo'] };
const r = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const a of Object.values(cases)) await cold(a);
for (let i = 0; i < N; i++) for (const [k, a] of Object.entries(cases)) r[k].push(await cold(a));
for (const k of Object.keys(r)) console.log(k, med(r[k]).toFixed(1), (med(r[k]) / med(r.floor)).toFixed(2));
