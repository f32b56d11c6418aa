/**
 * What the connections layer is given from the catalogue: the calls `connections test` makes (one per tool, search
 * once per resource) and the permissions a new key should have. src/connections/ knows no tool by itself.
 */
import type { ToolProbe } from '../connections/tool-check.js';
import { READ_PERMISSION_LABELS } from '../stripe/permissions.js';
import type { AnyTool } from '../tools/define-tool.js';
import { TOOLS } from '../tools/index.js';
import { SEARCH_RESOURCES } from '../tools/search.js';

const SEARCH_PROBE_QUERY = "metadata['stripe_readonly_mcp_check']:'1'";

/**
 * The tools a key check tries: all but fetch, which reads whatever kind of object its id names, and aggregate, which
 * reads a list through that list tool's own handler: the list tools' lines already say which kinds they can open
 * and aggregate.
 */
export const CHECKED_TOOLS: readonly AnyTool[] = TOOLS.filter((tool) => tool.name !== 'fetch' && tool.name !== 'aggregate');

/** The smallest valid arguments for a tool: one object, or a search that matches nothing; undefined if it needs more. */
export function minimalArguments(tool: AnyTool, resource?: string): Record<string, unknown> | undefined {
  if (resource) return tool.input.parse({ resource, query: SEARCH_PROBE_QUERY, limit: 1 }) as Record<string, unknown>;
  for (const candidate of [{ limit: 1 }, {}]) {
    const parsed = tool.input.safeParse(candidate);
    if (parsed.success) return parsed.data as Record<string, unknown>;
  }
  return undefined;
}

/**
 * A list tool's permissions as `connections test` shows them: with what aggregating its objects may use (names of
 * grouped rows), since aggregate itself is not probed and that is the list's own resource, aggregated.
 */
function shownPermissions(tool: AnyTool): AnyTool['permissions'] {
  const aggregated = tool.aggregates?.mayUse ?? [];
  return aggregated.length ? { ...tool.permissions, mayUse: [...tool.permissions.mayUse, ...aggregated] } : tool.permissions;
}

/** One probe per checked tool; search once per resource it can search. */
export function toolProbes(tools: readonly AnyTool[] = CHECKED_TOOLS): ToolProbe[] {
  return tools.flatMap((tool) => {
    const resources: Array<string | undefined> = tool.name === 'search' ? [...SEARCH_RESOURCES] : [undefined];
    return resources.map((resource) => ({
      tool: tool.name,
      ...(resource ? { resource } : {}),
      permissions: shownPermissions(tool),
      args: minimalArguments(tool, resource),
      run: (args: Record<string, unknown>, ctx: Parameters<ToolProbe['run']>[1]) => tool.handler(args, ctx),
    }));
  });
}

/** The Dashboard resources the tools need at Read (search and fetch read whichever resource they are asked for). */
export function readPermissions(tools: readonly AnyTool[] = TOOLS): string[] {
  return [...new Set(tools.flatMap((tool) => tool.permissions.needs.map((p) => READ_PERMISSION_LABELS[p])))];
}

/** Resources only some tools' answers use, when the key has them, with those tools: "Coupons (for get_mrr, get_churn)". */
function optionalPermissions(tools: readonly AnyTool[]): string[] {
  const needed = new Set(readPermissions(tools));
  const users = new Map<string, string[]>();
  for (const tool of tools) {
    for (const { permission } of tool.permissions.mayUse) {
      const label = READ_PERMISSION_LABELS[permission];
      if (!needed.has(label)) users.set(label, [...(users.get(label) ?? []), tool.name]);
    }
  }
  return [...users].map(([label, users]) => `${label} (for ${users.join(', ')})`);
}

/** How to make a key for the tools: what key-shape's refusals say (given to the ConnectionManager). */
export function restrictedKeyHowTo(tools: readonly AnyTool[] = TOOLS): string {
  const optional = [...optionalPermissions(tools), "Account (for the account's name)"];
  return (
    'Create one in the Stripe Dashboard: Developers → API keys → Create restricted key, and set these to Read: ' +
    `${readPermissions(tools).join(', ')}; optionally also ${optional.join(', ')}; leave everything else None.`
  );
}
