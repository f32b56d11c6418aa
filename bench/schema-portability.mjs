// What clients that convert JSON Schema for a model trip over (issue 13): type arrays such as ["string","null"]
// (Gemini-style converters reject them), anyOf / oneOf (LangChain's MCP adapter keeps only object branches) and
// empty schemas ({} or one with only a description: no type for a model to go by). Shared by the catalogue
// benchmark and the portability test.

const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'];
const SUBSCHEMA_ONE = ['items', 'additionalProperties', 'not', 'contains', 'propertyNames'];
/** Keywords that say what a value is; a schema with none of them accepts anything. */
const TYPING = ['type', 'enum', 'const', '$ref', 'anyOf', 'oneOf', 'allOf', 'not', 'properties', 'items'];

/** Calls `visit(schema, path)` for the schema and every subschema in it. */
export function walkSchema(schema, visit, path = '') {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return;
  visit(schema, path);
  for (const key of SUBSCHEMA_LISTS) if (Array.isArray(schema[key])) schema[key].forEach((s, i) => walkSchema(s, visit, `${path}/${key}/${i}`));
  for (const key of SUBSCHEMA_MAPS) {
    if (schema[key] && typeof schema[key] === 'object') for (const [name, s] of Object.entries(schema[key])) walkSchema(s, visit, `${path}/${key}/${name}`);
  }
  for (const key of SUBSCHEMA_ONE) if (schema[key] && typeof schema[key] === 'object') walkSchema(schema[key], visit, `${path}/${key}`);
}

/** Every problem of one schema, as `path: what` strings. */
export function schemaProblems(schema, { unions }) {
  const problems = [];
  walkSchema(schema, (s, path) => {
    if (Array.isArray(s.type)) problems.push({ kind: 'typeArray', where: `${path || '/'}: type ${JSON.stringify(s.type)}` });
    if (unions && (s.anyOf || s.oneOf)) problems.push({ kind: 'union', where: `${path || '/'}: ${s.anyOf ? 'anyOf' : 'oneOf'}` });
    if (!TYPING.some((k) => k in s)) problems.push({ kind: 'empty', where: `${path || '/'}: no type` });
  });
  return problems;
}

/** Counts over a tools/list answer's tools. */
export function schemaPortability(tools) {
  const counts = { typeArrays: 0, inputUnions: 0, outputUnions: 0, emptySchemas: 0, details: [] };
  for (const tool of tools) {
    for (const [io, schema] of [['input', tool.inputSchema], ['output', tool.outputSchema]]) {
      if (!schema) continue;
      for (const p of schemaProblems(schema, { unions: true })) {
        if (p.kind === 'typeArray') counts.typeArrays++;
        else if (p.kind === 'empty') counts.emptySchemas++;
        else if (io === 'input') counts.inputUnions++;
        else counts.outputUnions++;
        if (p.kind !== 'union' || io === 'input') counts.details.push(`${tool.name} ${io}${p.where}`);
      }
    }
  }
  return counts;
}
