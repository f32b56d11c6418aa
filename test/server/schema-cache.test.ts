/**
 * The tools' JSON Schemas are computed at build time (dist/tool-schemas.json) so a stdio start need not convert
 * sixteen zod schemas before its first tools/list. What a client is shown must be exactly what converting the
 * source's schemas gives, with any list of configured connection names.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemaOf, snapshotToolSchemas, withConnectionNames, type ToolSchemaSnapshot } from '../../src/server/schema-cache.js';
import { toolInputSchema, toolOutputSchema } from '../../src/server/tool-runner.js';
import { TOOLS } from '../../src/tools/index.js';

// Written by the build that test/global-setup.ts runs before every test run.
const built = JSON.parse(readFileSync(new URL('../../dist/tool-schemas.json', import.meta.url), 'utf8')) as ToolSchemaSnapshot;

describe('tool JSON Schemas computed at build time', () => {
  it('the build ships every tool, each schema equal to converting the source now', () => {
    expect(Object.keys(built).sort()).toEqual(TOOLS.map((t) => t.name).sort());
    expect(built).toEqual(snapshotToolSchemas(TOOLS));
    for (const tool of TOOLS) expect(built[tool.name]!.output, tool.name).toEqual(jsonSchemaOf(toolOutputSchema(tool), 'output'));
  });

  it('put together with configured connection names, gives what zod gives for those names', () => {
    for (const names of [[], ['acme'], ['acme', 'globex', 'initech']]) {
      for (const tool of TOOLS) {
        const fromSnapshot = withConnectionNames(built[tool.name]!.input, names);
        expect(fromSnapshot, `${tool.name} with ${names.join(',') || 'no connections'}`).toEqual(jsonSchemaOf(toolInputSchema(tool, names), 'input'));
      }
    }
    const connection = (withConnectionNames(built.list_customers!.input, ['acme', 'globex']).properties as Record<string, { enum?: string[] }>).connection;
    expect(connection?.enum).toEqual(['acme', 'globex']);
  });
});
