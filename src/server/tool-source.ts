/**
 * Where a server gets its tools from. Either the tools themselves (tests, and running from source), or the build's
 * catalogue (dist/tool-schemas.json), which lists them without loading them: their modules, zod schemas and
 * `stripe` load on the first call (a call's arguments are validated then, by the tool's own zod schema).
 * This module is on the stdio start path, so it loads the tool runner only when a call needs it.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { AnyTool } from '../tools/define-tool.js';
import type { ServedWith, ToolsetName } from '../tools/toolsets.js';
import { withConnectionNames, type JsonSchema, type StandardJsonSchema, type ToolSchemaSnapshot } from './catalogue.js';
import { cachedInputSchema, cachedOutputSchema } from './schema-cache.js';
import type { RunOptions } from './tool-runner.js';

/** What tools/list and the not-served message need of a tool. */
export interface ListedTool {
  name: string;
  toolset: ToolsetName | ServedWith;
  title: string;
  description: string;
}

export interface ToolSource {
  /** Every tool, in tools/list order. */
  readonly tools: readonly ListedTool[];
  /** The schema the SDK validates a call's arguments with (and lists, as JSON Schema). */
  inputSchema(name: string, connectionNames: string[]): StandardJsonSchema;
  outputSchema(name: string): StandardJsonSchema;
  /** Runs one call through the one wrapper (src/server/tool-runner.ts). */
  run(name: string, args: Record<string, unknown>, options: RunOptions): Promise<CallToolResult>;
}

const loadRunner = () => import('./tool-runner.js');

/** A source of these tools; `built` (only for the built-in tools) gives their JSON Schemas, else they are converted on first use. */
export function toolSourceOf(tools: readonly AnyTool[], built?: ToolSchemaSnapshot | null): ToolSource {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const get = (name: string) => byName.get(name)!;
  const entry = (name: string) => (built && Object.hasOwn(built, name) ? built[name] : undefined);
  return {
    tools,
    inputSchema: (name, names) => cachedInputSchema(get(name), names, entry(name)) as unknown as StandardJsonSchema,
    outputSchema: (name) => cachedOutputSchema(get(name), entry(name)) as unknown as StandardJsonSchema,
    run: async (name, args, options) => (await loadRunner()).runTool(get(name), args, options),
  };
}

/** Distinct connection-name lists are few (one per kind of caller); a bound keeps a misbehaving setup from growing this. */
const MAX_NAME_LISTS = 64;

/**
 * A Standard Schema that answers its JSON Schema from the catalogue and validates with the real one, loaded on
 * first use (the SDK awaits validation).
 */
function deferredSchema(json: JsonSchema, real: () => Promise<StandardJsonSchema>): StandardJsonSchema {
  const frozen = Object.freeze(json);
  return {
    '~standard': {
      version: 1,
      vendor: 'stripe-readonly-mcp',
      validate: async (value) => (await real())['~standard'].validate(value),
      jsonSchema: { input: () => frozen, output: () => frozen },
    },
  };
}

/** The build's catalogue: every tool listed from it, each loaded (with `load`) when a call first needs one. */
export function catalogueSource(snapshot: ToolSchemaSnapshot, load: () => Promise<ToolSource>): ToolSource {
  let loaded: Promise<ToolSource> | undefined;
  const real = () => (loaded ??= load());
  const tools = Object.entries(snapshot).map(([name, e]): ListedTool => ({ name, toolset: e.toolset, title: e.title, description: e.description }));
  const inputs = new Map<string, StandardJsonSchema>();
  const outputs = new Map<string, StandardJsonSchema>();
  return {
    tools,
    inputSchema(name, names) {
      const key = `${name}\u0000${names.join('\u0000')}`;
      let schema = inputs.get(key);
      if (!schema) {
        schema = deferredSchema(withConnectionNames(snapshot[name]!.input, names), async () => (await real()).inputSchema(name, names));
        if (inputs.size >= MAX_NAME_LISTS * tools.length) inputs.delete(inputs.keys().next().value as string);
        inputs.set(key, schema);
      }
      return schema;
    },
    outputSchema(name) {
      let schema = outputs.get(name);
      if (!schema) outputs.set(name, (schema = deferredSchema(snapshot[name]!.output, async () => (await real()).outputSchema(name))));
      return schema;
    },
    run: async (name, args, options) => (await real()).run(name, args, options),
  };
}
