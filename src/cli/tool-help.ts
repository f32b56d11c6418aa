/** `tools NAME`: one tool's arguments (type, default, what it means) and an example, from its own schema. */
import { z } from 'zod';
import type { AnyTool } from '../tools/define-tool.js';
import { toolInputSchema } from '../server/tool-runner.js';
import { describePermissions } from '../stripe/permissions.js';

type JsonSchema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A JSON Schema type for people: `string`, `"a" | "b"`, `integer 1–100`, `array of string`. */
export function typeOf(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return alternatives.map(typeOf).join(' or ');
  if (schema.type === 'array') return `array of ${schema.items ? typeOf(schema.items) : 'any'}${schema.maxItems !== undefined ? ` (≤ ${schema.maxItems})` : ''}`;
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
  // zod's safe-integer bounds say nothing a person needs.
  const bound = (v: unknown) => (typeof v === 'number' && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined);
  const min = bound(schema.minimum ?? schema.exclusiveMinimum);
  const max = bound(schema.maximum ?? schema.exclusiveMaximum);
  if ((type === 'integer' || type === 'number') && (min !== undefined || max !== undefined)) return `${type} ${min ?? ''}–${max ?? ''}`;
  return type;
}

/** The example the tool's description gives a model ("Example: {...} or {...}."). */
export function exampleOf(description: string): string | undefined {
  const match = /Example:\s*(.+?)\.?\s*$/m.exec(description);
  return match?.[1];
}

export function describeTool(tool: AnyTool): string {
  const schema = z.toJSONSchema(toolInputSchema(tool, []), { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set<string>(schema.required ?? []);
  const rows = Object.entries(properties).map(([name, p]) => ({
    name: `${name}${required.has(name) ? ' (required)' : ''}`,
    type: typeOf(p),
    def: p.default !== undefined ? JSON.stringify(p.default) : '',
    what: String(p.description ?? ''),
  }));
  const nameWidth = Math.max(...rows.map((r) => r.name.length));
  const lines = [`${tool.name}: ${tool.title}  (${describePermissions(tool.permissions)})`, '', tool.description, '', 'Arguments (all optional unless marked required):'];
  for (const r of rows) {
    lines.push(`  ${r.name.padEnd(nameWidth)}  ${r.type}${r.def ? `, default ${r.def}` : ''}`);
    if (r.what) lines.push(`  ${' '.repeat(nameWidth)}  ${r.what}`);
  }
  const example = exampleOf(tool.description);
  const first = example?.match(/^(\{.*?\})(?: or |$)/)?.[1] ?? example;
  lines.push('', 'Example:', `  stripe-readonly-mcp call ${tool.name}${first ? ` '${first}'` : ''} --demo`);
  return lines.join('\n');
}
