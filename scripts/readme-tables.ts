/**
 * The README's per-tool tables, rendered from the tools' declarations: the toolsets table (from each tool's
 * `toolset`), the key table (what to set to Read, from `permissions`) and the Filters table (from each tool's arguments and its `readme` notes). `npm run readme`
 * (scripts/readme.mjs) writes them between their markers in README.md; test/tools/declarations.test.ts fails when
 * README.md differs from this rendering.
 */
import { jsonSchemaOf, type JsonSchema } from '../src/server/catalogue.js';
import { READ_PERMISSION_LABELS, type ReadPermission, type ToolPermissions } from '../src/stripe/permissions.js';
import { listInput } from '../src/tools/common.js';
import type { AnyTool } from '../src/tools/define-tool.js';
import { TOOLSETS } from '../src/tools/toolsets.js';

const label = (p: ReadPermission) => READ_PERMISSION_LABELS[p];
const named = (p: ReadPermission) => `${label(p)} (\`${p}\`)`;
const unique = <T>(xs: T[]) => [...new Set(xs)];
const code = (name: string) => `\`${name}\``;

/** The key table: per tool, the permissions to set to Read and the optional ones with what each changes. */
export function renderKeyTable(tools: readonly AnyTool[]): string {
  const needs = (p: ToolPermissions) => {
    const parts = p.needs.map(named);
    if (p.byChoice) {
      parts.push(`${p.byChoice.of}: ${unique(Object.values(p.byChoice.permissions)).map(label).join(', ')}`);
      if (p.byChoice.otherwise) parts.push(`${p.byChoice.otherwise.of}: ${p.byChoice.otherwise.permissions.map(label).join(', ')}`);
    }
    return parts.join('; ');
  };
  const optional = (p: ToolPermissions) => p.mayUse.map((o) => `${named(o.permission)}: without it, ${o.without}`).join('; ');
  return [
    '| Tool | Set to Read | Optional, Read if you want it (what it changes) |',
    '| --- | --- | --- |',
    ...tools.map((t) => `| ${code(t.name)} | ${needs(t.permissions)} | ${optional(t.permissions)} |`),
  ].join('\n');
}

/** Arguments every list tool takes (said in the table's header), not filters. */
const SHARED_ARGUMENTS = new Set(Object.keys(listInput));

/** A description that only hints at an id's form ("cus_…", "prod_… or a custom id"): the name says enough here. */
const ID_HINT = /^[a-z]+_…/;

/** What the table says of one argument: the tool's own note, else its description, else its values if few. */
function note(tool: AnyTool, name: string, schema: JsonSchema): string {
  const declared = (tool.readme?.notes as Record<string, string> | undefined)?.[name];
  if (declared !== undefined) return declared;
  const description = schema.description as string | undefined;
  if (description) return ID_HINT.test(description) ? '' : /^[A-Z][a-z]/.test(description) ? description[0]!.toLowerCase() + description.slice(1) : description;
  const values = schema.enum as string[] | undefined;
  return values && values.length <= 3 ? values.join(', ') : '';
}

/** The arguments as the table lists them: each with its note, a date range's two ends as one entry. */
function filterList(tool: AnyTool, names: string[], properties: Record<string, JsonSchema>): string {
  return names
    .flatMap((name) => {
      const from = /^(.+)_after$/.exec(name)?.[1];
      if (from && names.includes(`${from}_before`)) return [from === 'created' ? code('created_*') : `${code(name)} / ${code(`${from}_before`)}`];
      const to = /^(.+)_before$/.exec(name)?.[1];
      if (to && names.includes(`${to}_after`)) return [];
      const text = note(tool, name, properties[name]!);
      return [text ? `${code(name)} (${text})` : code(name)];
    })
    .join(', ');
}

/** One tool's Filters cell: its declared row, or its arguments (those applied while paging apart) and notes. */
export function filtersCell(tool: AnyTool): string {
  const properties = jsonSchemaOf(tool.input, 'input').properties as Record<string, JsonSchema>;
  const names = Object.keys(properties).filter((name) => !SHARED_ARGUMENTS.has(name));
  if (tool.readme?.filters !== undefined) {
    const missing = names.filter((name) => !tool.readme!.filters!.includes(code(name)));
    if (missing.length > 0) throw new Error(`${tool.name}'s readme.filters must name every argument; it leaves out ${missing.join(', ')}`);
    return tool.readme.filters;
  }
  const paged: readonly string[] = tool.readme?.appliedWhilePaging ?? [];
  const parts = [filterList(tool, names.filter((name) => !paged.includes(name)), properties)];
  if (paged.length > 0) parts.push(`applied while paging: ${filterList(tool, [...paged], properties)}`);
  if (tool.readme?.also) parts.push(tool.readme.also);
  return parts.filter(Boolean).join('; ') || 'none';
}

/** The Filters table: per tool, the arguments besides the shared ones. */
export function renderFiltersTable(tools: readonly AnyTool[]): string {
  return [
    '| Tool | Filters (besides `limit`, `cursor`, `max_results`, `detail`, `connection`, `mode`; `created_*` is `created_after` / `created_before`) |',
    '| --- | --- |',
    ...tools.map((t) => `| ${code(t.name)} | ${filtersCell(t)} |`),
  ].join('\n');
}

/** The toolsets table: each set and the tools that name it; a tool over other tools' resources (aggregate) after them. */
export function renderToolsetsTable(tools: readonly AnyTool[]): string {
  const alongside = tools.filter((t) => typeof t.toolset === 'object').map((t) => `| (with any tool it works over) | ${t.name} |`);
  return [
    '| Set | Tools |',
    '| --- | --- |',
    ...Object.keys(TOOLSETS).map((set) => `| ${code(set)} | ${tools.filter((t) => t.toolset === set).map((t) => t.name).join(', ')} |`),
    ...alongside,
  ].join('\n');
}

const SECTIONS: Record<string, (tools: readonly AnyTool[]) => string> = {
  'toolsets table': renderToolsetsTable,
  'key table': renderKeyTable,
  'filters table': renderFiltersTable,
};

/** The marker a generated section starts with; it ends at the next END_MARKER. */
export const startMarker = (section: string) => `<!-- generated by npm run readme: ${section} -->`;
const END_MARKER = '<!-- end -->';

/** README.md's text with every generated section rendered again from these tools. */
export function withGeneratedTables(readme: string, tools: readonly AnyTool[]): string {
  let text = readme;
  for (const [section, render] of Object.entries(SECTIONS)) {
    const start = text.indexOf(startMarker(section));
    const end = text.indexOf(END_MARKER, start);
    if (start < 0 || end < 0) throw new Error(`README.md has no section "${startMarker(section)}" … "${END_MARKER}"`);
    text = `${text.slice(0, start)}${startMarker(section)}\n\n${render(tools)}\n\n${text.slice(end)}`;
  }
  return text;
}
