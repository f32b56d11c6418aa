// Issue 13: what a model reads before the user asks anything. Spawns the built server over stdio (no connection
// configured, as a fresh install starts), asks tools/list and reports, into bench/RESULTS.md:
//   - the model-visible catalogue: the server's instructions plus each served tool's name, description and input
//     schema, in UTF-8 bytes and in o200k tokens (gpt-tokenizer, a devDependency: never loaded by the server);
//   - the whole tools/list answer in bytes (what a client stores, output schemas included);
//   - schema portability: type arrays anywhere, anyOf/oneOf in input schemas, empty schemas;
//   - per tool, where the bytes go.
// Peers' figures (issue 13, measured the same way) are printed beside ours as context.
// Run with `npm run bench:catalogue` (it builds first). Exits 1 when a goal is missed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { runInfo, writeResultsSection } from './results.mjs';
import { schemaPortability } from './schema-portability.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = `${root}bin/stripe-readonly-mcp.js`;

const GOALS = { modelBytes: 16_000, listBytes: 40_000 };
/** Issue 13's figures for the peers and for our main before it. */
const CONTEXT = [
  ['Stripe `@stripe/mcp` 0.2.5, 22 tools', '17,859 bytes'],
  ['Stripe `@stripe/mcp` 0.2.5, its 10 read tools', '6,754 bytes'],
  ['Community Stripe servers (less in them)', '2,100–7,100 bytes'],
  ['Ours, main before issue 13 (16 tools)', '60,936 bytes, ~15,000 tokens; tools/list 147,459 bytes; 296 Inspector warnings'],
];

const bytes = (value) => Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
const fmt = (n) => n.toLocaleString('en-US');

/** Lists the tools as a fresh install serves them (no Stripe variables, an empty config folder), or with `extraArgs`. */
async function listTools(extraArgs = []) {
  const home = mkdtempSync(join(tmpdir(), 'catalogue-bench-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STRIPE_')));
  Object.assign(env, { STRIPE_MCP_HOME: home });
  const client = new Client({ name: 'catalogue-bench', version: '1.0.0' });
  try {
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, ...extraArgs], env, stderr: 'ignore' }));
    const instructions = client.getInstructions() ?? '';
    // The raw answer, as a client stores it (listTools() would validate and could add defaults).
    const answer = await client.request({ method: 'tools/list', params: {} });
    return { instructions, answer };
  } finally {
    await client.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/** What a model is shown of the list: the instructions, then each tool's name, description and input schema. */
export function modelVisible(instructions, tools) {
  const parts = [instructions, ...tools.map((t) => JSON.stringify({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema }))];
  return parts.join('\n');
}

const { instructions, answer } = await listTools();
const tools = answer.tools;
const visible = modelVisible(instructions, tools);
const modelBytes = bytes(instructions) + tools.reduce((n, t) => n + bytes({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema }), 0);
const modelTokens = countTokens(visible);
const listBytes = bytes(answer);
const outputBytes = tools.reduce((n, t) => n + (t.outputSchema ? bytes(t.outputSchema) : 0), 0);
const portability = schemaPortability(tools);
// With a connection configured (the demo's), its name is an enum in every tool's input: what a user with a key pays.
const demo = (await listTools(['--demo'])).answer;
const demoListBytes = bytes(demo);
const demoModelBytes = bytes(instructions) + demo.tools.reduce((n, t) => n + bytes({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema }), 0);

/**
 * Where the model-visible bytes go: the arguments every list tool repeats (paging and dates), the aggregation
 * arguments (declared once, on aggregate: its per-resource keys and money fields included), connection and mode on
 * every tool, the tools' own arguments, the prose.
 */
const REPEATED = {
  paging: { args: ['limit', 'max_results', 'cursor', 'detail', 'created_after', 'created_before'], on: (tool) => tool.startsWith('list_') },
  aggregation: { args: ['group_by', 'metrics', 'date_field', 'timezone', 'order_by', 'order', 'top'], on: (tool) => tool === 'aggregate' },
  routing: { args: ['connection', 'mode'], on: () => true },
};
const split = { instructions: bytes(instructions), descriptions: 0, paging: 0, aggregation: 0, routing: 0, own: 0, wrapper: 0 };
const entryBytes = (t) => bytes({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema });
for (const t of tools) {
  const entry = entryBytes(t);
  let args = 0;
  for (const [name, schema] of Object.entries(t.inputSchema.properties ?? {})) {
    const size = bytes(name) + 1 + bytes(schema) + 1; // "name":{…},
    args += size;
    const group = Object.keys(REPEATED).find((g) => REPEATED[g].args.includes(name) && REPEATED[g].on(t.name));
    split[group ?? 'own'] += size;
  }
  const description = bytes(t.description ?? '');
  split.descriptions += description;
  split.wrapper += entry - args - description;
}

/**
 * What serving less by default would leave (the lead decides the default from these): the catalogue without each
 * set's tools. A tool's set is in the build's catalogue; aggregate (served with any list tool) stays while a list does.
 */
const snapshot = JSON.parse(readFileSync(new URL('../dist/tool-schemas.json', import.meta.url), 'utf8'));
const setOf = (name) => (typeof snapshot[name]?.toolset === 'string' ? snapshot[name].toolset : null);
const sets = [...new Set(tools.map((t) => setOf(t.name)).filter(Boolean))];
const listBytes14 = tools.filter((t) => t.name.startsWith('list_')).reduce((n, t) => n + entryBytes(t), 0);
const withoutSet = sets.map((set) => {
  const kept = tools.filter((t) => setOf(t.name) !== set);
  const lists = kept.some((t) => t.name.startsWith('list_'));
  const served = kept.filter((t) => t.name !== 'aggregate' || lists);
  return `${set} ${fmt(bytes(instructions) + served.reduce((n, t) => n + entryBytes(t), 0))}`;
});
const aggregateTool = tools.find((t) => t.name === 'aggregate');

const row = (name, ours, goal, ok) => `| ${name} | ${ours} | ${goal} | ${ok === undefined ? 'context' : ok ? 'met' : 'NOT met'} |`;
const lines = [
  '## What a model reads: the tool catalogue (issue 13)',
  '',
  `One run: ${runInfo()}. Reproduce with \`npm run bench:catalogue\`.`,
  `Measured over stdio on a fresh install (no connection configured), ${tools.length} tools served by default.`,
  'Bytes are UTF-8 of the JSON text; tokens are o200k (gpt-tokenizer) of the instructions and each tool\'s',
  '{name, description, inputSchema}, one per line.',
  '',
  '| Measure | Ours | Goal | |',
  '| --- | --- | --- | --- |',
  row('Model-visible catalogue (instructions + name, description, input schema)', `${fmt(modelBytes)} bytes, ${fmt(modelTokens)} tokens`, `≤ ${fmt(GOALS.modelBytes)} bytes`, modelBytes <= GOALS.modelBytes),
  row('… of which the server\'s instructions', `${fmt(bytes(instructions))} bytes`, '—'),
  row('Whole tools/list answer', `${fmt(listBytes)} bytes`, `≤ ${fmt(GOALS.listBytes)} bytes`, listBytes <= GOALS.listBytes),
  row('The same two with one connection configured (--demo)', `${fmt(demoModelBytes)} and ${fmt(demoListBytes)} bytes`, `≤ ${fmt(GOALS.listBytes)} bytes (tools/list)`, demoListBytes <= GOALS.listBytes),
  row('… of which output schemas', `${fmt(outputBytes)} bytes (${Math.round((outputBytes / listBytes) * 100)}%)`, '—'),
  row('Type arrays (e.g. ["string","null"]), any schema', String(portability.typeArrays), '0', portability.typeArrays === 0),
  row('anyOf / oneOf in input schemas', String(portability.inputUnions), '0', portability.inputUnions === 0),
  row('anyOf / oneOf in output schemas', String(portability.outputUnions), '—'),
  row('Empty schemas ({}), any schema', String(portability.emptySchemas), '0', portability.emptySchemas === 0),
  '',
  `Where the model-visible bytes go: instructions ${fmt(split.instructions)}; descriptions ${fmt(split.descriptions)}; ` +
    `paging and dates repeated on every list tool ${fmt(split.paging)}; the aggregation arguments, declared once on aggregate ${fmt(split.aggregation)}; ` +
    `connection and mode on every tool ${fmt(split.routing)}; the tools' own arguments ${fmt(split.own)}; names, types and JSON around them ${fmt(split.wrapper)}.`,
  '',
  ...(modelBytes > GOALS.modelBytes
    ? [
        `Why ≤ ${fmt(GOALS.modelBytes)} is not reached: without any description at all the catalogue would still be ${fmt(modelBytes - split.descriptions)} bytes. ` +
          `The aggregation arguments are declared once, on aggregate (${aggregateTool ? `${fmt(entryBytes(aggregateTool))} bytes with each resource's keys and money fields` : 'not served'}), ` +
          `and the shared arguments carry no prose (their meaning is in the instructions). What remains is mostly the ${tools.filter((t) => t.name.startsWith('list_')).length} list tools themselves: ` +
          `${fmt(listBytes14)} bytes (their descriptions, filters, and paging and dates repeated on each: ${fmt(split.paging)}). ` +
          `Reaching the goal takes serving fewer of them by default (toolsets) or declaring paging once too. The catalogue without each set's tools: ${withoutSet.join('; ')} bytes.`,
        '',
      ]
    : []),
  'Context (issue 13, measured the same way):',
  '',
  '| Server | Model-visible catalogue |',
  '| --- | --- |',
  ...CONTEXT.map(([name, figure]) => `| ${name} | ${figure} |`),
  '',
  'Where the bytes go, per tool (description; input schema; output schema):',
  '',
  '| Tool | Description | Input schema | Output schema |',
  '| --- | --- | --- | --- |',
  ...tools.map((t) => `| ${t.name} | ${fmt(bytes(t.description ?? ''))} | ${fmt(bytes(t.inputSchema))} | ${fmt(t.outputSchema ? bytes(t.outputSchema) : 0)} |`),
  '',
  'The Inspector CLI\'s strict portability check runs in CI (`.ci/conformance/inspector`), needing Node ≥ 22.19.',
];
writeResultsSection('bench/catalogue.mjs', lines.join('\n'));
const met = modelBytes <= GOALS.modelBytes && listBytes <= GOALS.listBytes && portability.typeArrays === 0 && portability.inputUnions === 0 && portability.emptySchemas === 0;
process.exitCode = met ? 0 : 1;
