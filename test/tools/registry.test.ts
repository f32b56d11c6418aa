/** The whole catalogue as a client sees it: names, order, hints, schemas and the files behind each tool. */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../../src/tools/index.js';
import type { AnyTool } from '../../src/tools/define-tool.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const toolsDir = join(root, 'src', 'tools');
/** Files in src/tools that are shared code, not tools. */
const NOT_TOOLS = new Set(['common.ts', 'define-tool.ts', 'index.ts', 'toolsets.ts']);

/** The catalogue: TOOLS, in its order. Every expectation below is derived from it, so a tool added later is covered. */
const EXPECTED = (TOOLS as readonly AnyTool[]).map((t) => t.name);

const kebab = (name: string) => name.replace(/_/g, '-');
const snake = (file: string) => file.replace(/\.ts$/, '').replace(/-/g, '_');

interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  annotations?: Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inputSchema: { type: string; properties?: Record<string, any>; required?: string[] };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  outputSchema?: { type: string; properties?: Record<string, any>; required?: string[] };
}

/** The JSON objects written after "Example:" in a description (balanced braces, strings respected). */
function examplesIn(description: string): unknown[] {
  const at = description.search(/Example:/);
  if (at < 0) return [];
  const text = description.slice(at);
  const found: unknown[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '{') continue;
    let depth = 0;
    let inString = false;
    for (let j = i; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === '\\') j++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        found.push(JSON.parse(text.slice(i, j + 1)));
        i = j;
        break;
      }
    }
  }
  return found;
}

let h: Harness;
let listed: ListedTool[];
let instructions: string;
beforeAll(async () => {
  h = await startHarness();
  listed = (await h.client.listTools()).tools as ListedTool[];
  instructions = h.client.getInstructions() ?? '';
});
afterAll(async () => h?.close());

const byName = (name: string) => listed.find((t) => t.name === name)!;
const isListTool = (name: string) => name.startsWith('list_');

describe('the catalogue', () => {
  it('lists every tool of the catalogue, in its order, without duplicates, each name snake_case', () => {
    expect(listed.map((t) => t.name)).toEqual(EXPECTED);
    expect(new Set(EXPECTED).size).toBe(EXPECTED.length);
    for (const name of EXPECTED) expect(name, name).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('gives every tool a title and a description a model can choose by, with a valid JSON example', () => {
    for (const tool of TOOLS as readonly AnyTool[]) {
      const seen = byName(tool.name);
      expect(seen.title, tool.name).toBe(tool.title);
      expect(seen.title?.trim().length, tool.name).toBeGreaterThan(3);
      const description = seen.description ?? '';
      expect(description.length, `${tool.name} description length`).toBeGreaterThanOrEqual(200);
      expect(description.length, `${tool.name} description length`).toBeLessThanOrEqual(1200);
      const examples = examplesIn(description);
      expect(examples.length, `${tool.name} has a JSON example`).toBeGreaterThan(0);
      for (const example of examples) {
        const parsed = tool.input.safeParse(example);
        expect(parsed.success, `${tool.name} example ${JSON.stringify(example)}: ${parsed.error?.message}`).toBe(true);
      }
    }
  });

  it('marks every tool read-only and non-destructive (the hints whose defaults are wrong for us), titled like the tool', () => {
    for (const tool of listed) {
      expect(tool.annotations, tool.name).toEqual({ title: tool.title, readOnlyHint: true, destructiveHint: false });
    }
  });

  it('lets every call choose its connection and mode, and refuses unknown arguments', () => {
    for (const tool of listed) {
      const props = tool.inputSchema.properties ?? {};
      expect(Object.keys(props), tool.name).toEqual(expect.arrayContaining(['connection', 'mode']));
      expect(props.mode.enum, tool.name).toEqual(['test', 'live']);
      expect(props.connection.enum, tool.name).toEqual(['demo']);
      expect(tool.inputSchema.required ?? [], tool.name).not.toContain('connection');
      expect(tool.inputSchema.required ?? [], tool.name).not.toContain('mode');
      expect((tool.inputSchema as { additionalProperties?: unknown }).additionalProperties, tool.name).toBe(false);
      // Described where the name, enum or type do not say it all; what every tool shares is said once, in the
      // server's instructions (issue 13), which must then name the argument.
      for (const [field, schema] of Object.entries(props)) {
        const explained = (typeof schema.description === 'string' && schema.description.length > 0) || schema.enum || schema.type === 'boolean' || instructions.includes(field);
        expect(explained, `${tool.name}.${field} is described, an enum, a boolean or explained in the instructions`).toBeTruthy();
      }
    }
  });

  it('pages every list tool with limit (1–100) and cursor', () => {
    const lists = listed.filter((t) => isListTool(t.name));
    expect(lists.length).toBeGreaterThan(0);
    for (const tool of lists) {
      const props = tool.inputSchema.properties ?? {};
      expect(props.limit, tool.name).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
      expect(props.cursor?.type, tool.name).toBe('string');
      expect(Object.keys(tool.outputSchema?.properties ?? {}), tool.name).toEqual(
        expect.arrayContaining(['has_more', 'next_cursor', 'data', 'count']),
      );
    }
  });

  it('lets every list tool and search page up to 10,000 objects on the server', () => {
    for (const tool of listed.filter((t) => isListTool(t.name) || t.name === 'search')) {
      const props = tool.inputSchema.properties ?? {};
      expect(props.max_results, tool.name).toMatchObject({ type: 'integer', minimum: 1 });
      expect(props.max_results.maximum, tool.name).toBeGreaterThanOrEqual(10_000);
      expect(Object.keys(tool.outputSchema?.properties ?? {}), tool.name).toEqual(expect.arrayContaining(['count']));
      if (tool.name === 'search') continue;
      expect(Object.keys(tool.outputSchema?.properties ?? {}), tool.name).toEqual(expect.arrayContaining(['scanned', 'filters']));
      // Aggregation is the aggregate tool's: declared once, not on each list.
      for (const arg of ['group_by', 'metrics', 'order_by', 'top', 'date_field']) expect(Object.keys(props), tool.name).not.toContain(arg);
      expect(Object.keys(tool.outputSchema?.properties ?? {}), tool.name).not.toContain('aggregate');
    }
  });

  it('aggregates every list tool, by the resource name of its objects, with the aggregation arguments declared once', () => {
    const aggregate = listed.find((t) => t.name === 'aggregate')!;
    const props = aggregate.inputSchema.properties ?? {};
    const lists = listed.filter((t) => isListTool(t.name));
    expect(props.resource.enum).toEqual(lists.map((t) => t.name.replace(/^list_/, '')));
    expect(Object.keys(props)).toEqual(expect.arrayContaining(['resource', 'filters', 'group_by', 'metrics', 'order_by', 'order', 'top', 'timezone', 'date_field']));
    expect(props.filters).toEqual({ type: 'object' }); // one real type, no empty schema
    // Each resource's keys and money fields reach the model in group_by's description, one line each.
    for (const t of lists) expect(props.group_by.description, t.name).toMatch(new RegExp(`${t.name.replace(/^list_/, '')}: \\w`));
    expect(Object.keys(aggregate.outputSchema?.properties ?? {})).toEqual(expect.arrayContaining(['aggregate', 'filters', 'scanned']));
  });

  it('publishes in output schemas only the fields every answer has, and data (issue 13: tools/list ≤ 40,000 bytes)', () => {
    for (const tool of listed) {
      const out = tool.outputSchema!;
      const optional = Object.keys(out.properties ?? {}).filter((name) => !(out.required ?? []).includes(name) && name !== 'data');
      expect(optional, tool.name).toEqual([]);
    }
  });

  it('declares connection and mode in every output schema', () => {
    for (const tool of listed) {
      const out = tool.outputSchema;
      expect(out?.type, tool.name).toBe('object');
      expect(Object.keys(out?.properties ?? {}), tool.name).toEqual(expect.arrayContaining(['connection', 'mode']));
      expect(out?.required ?? [], tool.name).toEqual(expect.arrayContaining(['connection', 'mode']));
    }
  });
});

describe('the files behind the catalogue', () => {
  const toolFiles = readdirSync(toolsDir).filter((f) => f.endsWith('.ts') && !NOT_TOOLS.has(f));

  it('has one file per tool, named after it (snake_case name ↔ kebab-case file)', () => {
    expect(toolFiles.map(snake).sort()).toEqual([...EXPECTED].sort());
  });

  it('exports each tool from the file named after it', async () => {
    for (const tool of TOOLS as readonly AnyTool[]) {
      const module = (await import(join(toolsDir, `${kebab(tool.name)}.ts`))) as Record<string, unknown>;
      expect(Object.values(module), `${kebab(tool.name)}.ts exports ${tool.name}`).toContain(tool);
    }
  });

  it('has a test file beside every tool file', () => {
    const missing = toolFiles.map((f) => `test/tools/${f.replace(/\.ts$/, '.test.ts')}`).filter((t) => !existsSync(join(root, t)));
    expect(missing, 'tool files without a test beside them').toEqual([]);
  });
});
