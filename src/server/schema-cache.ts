/**
 * Tool schemas built once and reused by every server instance. Over HTTP a server is built per request
 * (stateless), and the SDK turns each tool's zod schemas into JSON Schema on every tools/list and tools/call; for
 * our tools that conversion costs far more than the rest of a request. Here each schema is built once per tool
 * (and per list of connection names, which the input schema enumerates) and its JSON Schema is computed once,
 * through zod's own per-instance `~standard.jsonSchema` hook, then frozen so no caller can change the shared copy.
 */
import type { z } from 'zod';
import type { AnyTool } from '../tools/define-tool.js';
import { toolInputSchema, toolOutputSchema } from './tool-runner.js';

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

/** Makes `schema['~standard'].jsonSchema` compute each (io, target) once. */
export function memoiseJsonSchema<S extends z.ZodType>(schema: S): S {
  const standard = (schema as unknown as { '~standard': StandardWithJson })['~standard'];
  const original = standard.jsonSchema;
  if (!original) return schema;
  const memo = new Map<string, Record<string, unknown>>();
  const cached =
    (io: Io): JsonSchemaFn =>
    (options) => {
      const key = `${io}\u0000${options?.target ?? ''}`;
      let json = memo.get(key);
      if (!json) {
        json = deepFreeze(original[io](options));
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

export function cachedInputSchema(tool: AnyTool, connectionNames: string[]): z.ZodObject {
  let perNames = inputs.get(tool);
  if (!perNames) {
    perNames = new Map();
    inputs.set(tool, perNames);
  }
  const key = connectionNames.join('\u0000');
  let schema = perNames.get(key);
  if (!schema) {
    schema = memoiseJsonSchema(toolInputSchema(tool, connectionNames));
    if (perNames.size >= MAX_NAME_LISTS) perNames.delete(perNames.keys().next().value as string);
    perNames.set(key, schema);
  }
  return schema;
}

export function cachedOutputSchema(tool: AnyTool): z.ZodObject {
  let schema = outputs.get(tool);
  if (!schema) {
    schema = memoiseJsonSchema(toolOutputSchema(tool));
    outputs.set(tool, schema);
  }
  return schema;
}
