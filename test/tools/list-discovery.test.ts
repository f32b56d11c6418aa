/**
 * List tools are found by file name (src/tools/lists/discover.ts): every src/tools/list-*.ts is one, and nothing
 * else lists them. The built CLI's list (the bundle's static imports of the same files) is held to TOOLS in
 * test/cli/tables.test.ts, tools/list over stdio in test/e2e/stdio.test.ts.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../../src/tools/define-tool.js';
import { TOOLS } from '../../src/tools/index.js';
import { LIST_TOOL_FILES, LIST_TOOLS, listToolOf } from '../../src/tools/lists/index.js';

/** Looser than discovery's own pattern, so a file it skipped shows here. */
const filesInFolder = readdirSync(new URL('../../src/tools/', import.meta.url))
  .filter((name) => name.startsWith('list-') && name.endsWith('.ts'))
  .sort();

const tool = (name: string) =>
  defineTool({
    name,
    toolset: 'payments',
    permissions: { needs: ['rak_charge_read'], mayUse: [] },
    title: name,
    description: 'Test tool',
    input: z.strictObject({}),
    output: z.object({}),
    handler: async () => ({}),
  });

describe('list tools', () => {
  it('are every src/tools/list-*.ts file, each exporting the tool named after it, and the only list_ tools', () => {
    expect(filesInFolder.length).toBeGreaterThan(0);
    expect([...LIST_TOOL_FILES].sort()).toEqual(filesInFolder);
    expect(LIST_TOOLS.map((t) => `${t.name.replaceAll('_', '-')}.ts`)).toEqual(LIST_TOOL_FILES);
    expect(TOOLS.filter((t) => t.name.startsWith('list_'))).toEqual(LIST_TOOLS);
  });

  it('stand in the order they declare: customers first, and fetch tries an unprefixed id as a product first', () => {
    expect(LIST_TOOLS[0]!.name).toBe('list_customers');
    expect(LIST_TOOLS.flatMap((t) => (t.returns?.customIds ? [t.returns.object] : []))).toEqual(['product', 'price', 'coupon']);
  });

  it('come one to a file: a file with none or several says which file it is', () => {
    expect(listToolOf({ file: 'list-things.ts', exports: { listThings: tool('list_things'), THING_KINDS: ['a', 'b'] } }).name).toBe('list_things');
    expect(() => listToolOf({ file: 'list-things.ts', exports: { THING_KINDS: ['a', 'b'], notATool: { name: 'list_things' } } })).toThrow(
      'src/tools/list-things.ts must export exactly one tool made by defineTool (every src/tools/list-*.ts is a list tool), but exports 0',
    );
    expect(() => listToolOf({ file: 'list-things.ts', exports: { a: tool('list_things'), b: tool('list_other_things') } })).toThrow(/src\/tools\/list-things\.ts .* exports 2/);
  });
});
