import type Stripe from 'stripe';
import type { Mode } from '../stripe/keys.js';
import { describeError } from '../stripe/errors.js';
import type { AnyTool } from '../tools/define-tool.js';
import { TOOLS } from '../tools/index.js';
import { SEARCH_RESOURCES, type SearchResource } from '../tools/search.js';

export interface ToolCheck {
  tool: string;
  /** For search: which resource was searched. */
  resource?: SearchResource;
  status: 'ok' | 'permission' | 'error';
  /** The Dashboard resource to set to Read (permission). */
  permission?: string;
  /** Stripe's name for it, from the 403 (e.g. rak_subscription_read). */
  stripePermission?: string;
  /** What went wrong otherwise (error). */
  message?: string;
}

/** A key Stripe no longer accepts: checking the other tools would only repeat it. */
export class KeyRejectedError extends Error {
  override name = 'KeyRejectedError';
}

const SEARCH_PROBE_QUERY = "metadata['stripe_readonly_mcp_check']:'1'";

/**
 * The tools a key check tries: all but fetch, which reads whatever kind of object its id names, so the list
 * tools' lines already say which kinds it can open.
 */
export const CHECKED_TOOLS: readonly AnyTool[] = (TOOLS as readonly AnyTool[]).filter((tool) => tool.name !== 'fetch');

/** The smallest valid arguments for a tool: one object, or a search that matches nothing; undefined if it needs more. */
export function minimalArguments(tool: AnyTool, resource?: SearchResource): Record<string, unknown> | undefined {
  if (resource) return tool.input.parse({ resource, query: SEARCH_PROBE_QUERY, limit: 1 }) as Record<string, unknown>;
  for (const candidate of [{ limit: 1 }, {}]) {
    const parsed = tool.input.safeParse(candidate);
    if (parsed.success) return parsed.data as Record<string, unknown>;
  }
  return undefined;
}

/** The Dashboard resource behind a searched resource: the list tool of the same objects names it. */
function searchPermission(resource: SearchResource): string {
  const object = resource.replace(/s$/, '');
  const lister = TOOLS.find((t) => t.name === `list_${resource}`) ?? TOOLS.find((t) => t.name.startsWith('list_') && t.name.includes(object));
  return lister?.dashboardResource ?? resource;
}

/**
 * Runs every tool's own handler once with minimal arguments on the given client, so the answer comes from the
 * same requests the tools make (no second list of endpoints to drift). Search is tried on each resource.
 */
export async function checkTools(stripe: Stripe, connection: string, mode: Mode): Promise<ToolCheck[]> {
  const results: ToolCheck[] = [];
  const signal = new AbortController().signal;
  for (const tool of CHECKED_TOOLS) {
    const resources: Array<SearchResource | undefined> = tool.name === 'search' ? [...SEARCH_RESOURCES] : [undefined];
    for (const resource of resources) {
      const permission = resource ? searchPermission(resource) : tool.dashboardResource;
      const base = { tool: tool.name, ...(resource ? { resource } : {}) };
      const args = minimalArguments(tool, resource);
      if (!args) {
        results.push({ ...base, status: 'error', message: 'it needs arguments, so it cannot be tried on its own' });
        continue;
      }
      try {
        await tool.handler(args, { stripe, connection, mode, signal });
        results.push({ ...base, status: 'ok' });
      } catch (err) {
        const type = (err as { type?: string }).type;
        if (type === 'StripeAuthenticationError') throw new KeyRejectedError(describeError(err, { tool: tool.name, dashboardResource: permission, mode }));
        if (type === 'StripePermissionError') {
          const rak = /'(rak_[a-z_]+)'/.exec((err as Error).message)?.[1];
          results.push({ ...base, status: 'permission', permission, ...(rak ? { stripePermission: rak } : {}) });
        } else {
          results.push({ ...base, status: 'error', message: describeError(err, { tool: tool.name, dashboardResource: permission, mode }) });
        }
      }
    }
  }
  return results;
}

/** One line per tool: search is served when every searchable resource is. */
export interface ToolSummary {
  tool: string;
  ok: boolean;
  /** Dashboard resources to set to Read for this tool (empty when ok or when the failure is not a permission). */
  missing: Array<{ permission: string; stripePermission?: string; resource?: SearchResource }>;
  errors: string[];
  /** search only: resources it can search. */
  searchable?: SearchResource[];
}

export function summarise(checks: ToolCheck[]): ToolSummary[] {
  const byTool = new Map<string, ToolSummary>();
  for (const check of checks) {
    let summary = byTool.get(check.tool);
    if (!summary) {
      summary = { tool: check.tool, ok: true, missing: [], errors: [], ...(check.resource ? { searchable: [] } : {}) };
      byTool.set(check.tool, summary);
    }
    if (check.status === 'ok') {
      if (check.resource) summary.searchable!.push(check.resource);
      continue;
    }
    summary.ok = false;
    if (check.status === 'permission') {
      summary.missing.push({
        permission: check.permission!,
        ...(check.stripePermission ? { stripePermission: check.stripePermission } : {}),
        ...(check.resource ? { resource: check.resource } : {}),
      });
    } else {
      summary.errors.push(check.message ?? 'unknown error');
    }
  }
  return [...byTool.values()];
}
