/**
 * Tool schemas built once and reused by every server instance. Over HTTP a server is built per request
 * (stateless), and the SDK turns each tool's zod schemas into JSON Schema on every tools/list and tools/call; for
 * our tools that conversion costs far more than the rest of a request. Here each schema is built once per tool
 * (and per list of connection names, which the input schema enumerates) and its JSON Schema is computed once,
 * through zod's own per-instance `~standard.jsonSchema` hook, then frozen so no caller can change the shared copy.
 *
 * The JSON Schemas themselves are computed at build time too (scripts/build.mjs writes dist/tool-schemas.json):
 * converting sixteen tools' zod schemas took ~60 ms of every stdio start, before the first tools/list could be
 * answered. Only the `connection` argument, which lists the configured names, is converted at run time. Run
 * from source (no snapshot beside the module) everything is converted on first use, with the same result.
 */
import type { z } from 'zod';
import type { AnyTool } from '../tools/define-tool.js';
import { portableJsonSchema } from './portable-schema.js';
import {
  jsonSchemaOf,
  SDK_JSON_SCHEMA_TARGET,
  toolInputSchema,
  toolOutputSchema,
  withConnectionNames,
  type CatalogueEntry,
  type JsonSchema,
  type ToolSchemaSnapshot,
} from './catalogue.js';

export { jsonSchemaOf, SDK_JSON_SCHEMA_TARGET, withConnectionNames, type ToolSchemaSnapshot } from './catalogue.js';

type Io = 'input' | 'output';
type JsonSchemaFn = (options?: { target?: string }) => Record<string, unknown>;
interface StandardWithJson {
  jsonSchema?: Record<Io, JsonSchemaFn>;
  [key: string]: unknown;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** What the build writes to dist/tool-schemas.json: each tool's catalogue entry, in tools/list order. */
export function snapshotToolSchemas(tools: readonly AnyTool[]): ToolSchemaSnapshot {
  return Object.fromEntries(
    tools.map((tool): [string, CatalogueEntry] => [
      tool.name,
      {
        toolset: tool.toolset,
        title: tool.title,
        description: tool.description,
        input: jsonSchemaOf(toolInputSchema(tool, []), 'input'),
        output: jsonSchemaOf(toolOutputSchema(tool), 'output'),
      },
    ]),
  );
}

/**
 * Makes `schema['~standard'].jsonSchema` compute each (io, target) once; `known` gives the SDK's target's
 * answers in advance.
 */
export function memoiseJsonSchema<S extends z.ZodType>(schema: S, known: Partial<Record<Io, JsonSchema>> = {}): S {
  const standard = (schema as unknown as { '~standard': StandardWithJson })['~standard'];
  const original = standard.jsonSchema;
  if (!original) return schema;
  const memo = new Map<string, JsonSchema>();
  for (const io of ['input', 'output'] as const) {
    const json = known[io];
    if (json) memo.set(`${io}\u0000${SDK_JSON_SCHEMA_TARGET}`, deepFreeze(json));
  }
  const cached =
    (io: Io): JsonSchemaFn =>
    (options) => {
      const key = `${io}\u0000${options?.target ?? ''}`;
      let json = memo.get(key);
      if (!json) {
        json = deepFreeze(portableJsonSchema(original[io](options), io));
        memo.set(key, json);
      }
      return json;
    };
  // zod lets an instance carry its own `~standard` (its setter stores it on the instance).
  (schema as unknown as { '~standard': StandardWithJson })['~standard'] = { ...standard, jsonSchema: { input: cached('input'), output: cached('output') } };
  return schema;
}

const inputs = new WeakMap<AnyTool, Map<string, z.ZodObject>>();
const outputs = new WeakMap<AnyTool, z.ZodObject>();
/** Distinct connection-name lists are few (one per kind of caller); a bound keeps a misbehaving setup from growing this. */
const MAX_NAME_LISTS = 64;

/**
 * The tool's input schema for these connection names, built once; `built` is the build's entry for it (a built-in
 * tool), whose JSON Schema is then used rather than converted.
 */
export function cachedInputSchema(tool: AnyTool, connectionNames: string[], built?: CatalogueEntry): z.ZodObject {
  let perNames = inputs.get(tool);
  if (!perNames) {
    perNames = new Map();
    inputs.set(tool, perNames);
  }
  const key = connectionNames.join('\u0000');
  let schema = perNames.get(key);
  if (!schema) {
    const known = built && withConnectionNames(built.input, connectionNames);
    schema = memoiseJsonSchema(toolInputSchema(tool, connectionNames), known ? { input: known } : {});
    if (perNames.size >= MAX_NAME_LISTS) perNames.delete(perNames.keys().next().value as string);
    perNames.set(key, schema);
  }
  return schema;
}

/**
 * The output schema the SDK is given: its JSON Schema for tools/list, and a validation that lets every result through,
 * because the one wrapper (tool-runner.ts runTool) has already checked it against the same zod schema and turned a
 * miss into an isError saying why. The SDK checking it again would only repeat the walk on every call.
 */
export function cachedOutputSchema(tool: AnyTool, built?: CatalogueEntry): z.ZodObject {
  let schema = outputs.get(tool);
  if (!schema) {
    const known = built?.output;
    schema = alreadyValidated(memoiseJsonSchema(toolOutputSchema(tool), known ? { output: known } : {}));
    outputs.set(tool, schema);
  }
  return schema;
}

function alreadyValidated<S extends z.ZodType>(schema: S): S {
  const standard = (schema as unknown as { '~standard': StandardWithJson })['~standard'];
  (schema as unknown as { '~standard': StandardWithJson })['~standard'] = { ...standard, validate: (value: unknown) => ({ value }) };
  return schema;
}
