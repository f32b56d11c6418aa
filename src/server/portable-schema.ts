/**
 * The JSON Schemas we publish in tools/list, made portable and small from what zod converts (issue 13). Every
 * client stores them and some convert them for a model, so:
 * - no `$schema`: MCP's default dialect is 2020-12, which is what zod writes; saying so costs every tool 56 bytes;
 * - no `type` arrays (`["string","null"]`: Gemini-style converters reject them): each becomes `anyOf` branches of
 *   one type each (input schemas have none: their arguments are one type each, see src/tools/common.ts);
 * - no untyped `{}` where an object's values or an array's items may be anything: the keyword is left out,
 *   which means the same and is not flagged as an untyped schema (a record of anything, like the aggregate tool's
 *   `filters`, is then `{"type":"object"}`);
 * - output schemas are what clients validate `structuredContent` against, not documentation: no descriptions, no
 *   enums (types only), no optional fields at the top (an absent one checks nothing), and the objects of a list (`data`) as objects with an
 *   id (their fields differ per detail and tool; the server itself checks every answer against the full schema,
 *   src/server/tool-runner.ts).
 * Each published schema accepts everything the zod schema accepts, so a client's validation of an answer the
 * server validated always passes.
 */

type JsonSchema = Record<string, unknown>;

const isObject = (value: unknown): value is JsonSchema => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A list item as published: any object with a string id. */
const LISTED_OBJECT: JsonSchema = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };

const SAFE_INTEGER_BOUND = Number.MAX_SAFE_INTEGER;

/**
 * What an output schema leaves out: it documents nothing (descriptions), and a value's type is all a client needs to
 * check (an enum such as every tool's mode ["test","live"] cost 24 bytes a tool, and grows with each value added).
 */
const OUTPUT_ONLY_DOCUMENTS = new Set(['description', 'propertyNames', 'enum']);

/** How deep an output schema keeps its structure: below this, objects and arrays say only their type. */
const OUTPUT_DEPTH = 0;

function portableNode(node: JsonSchema, output: boolean, depth = 0): JsonSchema {
  if (output && depth > OUTPUT_DEPTH && (node.type === 'object' || node.type === 'array')) return { type: node.type };
  let out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || (output && (OUTPUT_ONLY_DOCUMENTS.has(key) || (key === 'additionalProperties' && value === false)))) continue;
    // Property names are strings in any JSON object: zod's `propertyNames: {type: "string"}` on a record says nothing.
    if (key === 'propertyNames' && isObject(value) && value.type === 'string' && Object.keys(value).length === 1) continue;
    // zod writes the safe-integer range on every int: it says nothing a client needs.
    if ((key === 'minimum' || key === 'maximum') && Math.abs(value as number) === SAFE_INTEGER_BOUND) continue;
    if ((key === 'properties' || key === '$defs' || key === 'patternProperties') && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, isObject(sub) ? portableNode(sub, output, depth + 1) : sub]));
    } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf' || key === 'prefixItems') && Array.isArray(value)) {
      out[key] = value.map((sub) => (isObject(sub) ? portableNode(sub, output, depth) : sub));
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
      if (Object.keys(value).length === 0) continue; // {} = anything, the keyword's default
      out[key] = portableNode(value, output, depth + 1);
    } else {
      out[key] = value;
    }
  }
  if (Array.isArray(out.type)) {
    const { type, description, ...constraints } = out;
    out = { ...(description !== undefined ? { description } : {}), anyOf: (type as string[]).map((t) => (t === 'null' ? { type: t } : { type: t, ...constraints })) };
  }
  return out;
}

/** The published form of one tool's input or output JSON Schema. */
export function portableJsonSchema(schema: JsonSchema, io: 'input' | 'output'): JsonSchema {
  const published = portableNode(schema, io === 'output');
  const properties = published.properties;
  if (io === 'output' && isObject(properties)) {
    // An optional field (matched, note, summary, …) checks nothing when absent, and only its type when present:
    // left out, it still may be there (no additionalProperties), so every answer passes as before. The listed
    // objects (`data`) stay: objects with an id.
    const required = new Set(Array.isArray(published.required) ? (published.required as string[]) : []);
    const kept = Object.entries(properties).filter(([name]) => required.has(name) || name === 'data');
    published.properties = Object.fromEntries(kept.map(([name, sub]) => [name, name === 'data' && isObject(sub) && sub.type === 'array' ? { ...sub, items: LISTED_OBJECT } : sub]));
  }
  return published;
}
