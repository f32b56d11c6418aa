import type Stripe from 'stripe';
import type { Mode } from '../stripe/keys.js';
import { describeError } from '../stripe/errors.js';
import { dashboardLabel, deniedPermission, READ_PERMISSION_LABELS, type ReadPermission } from '../stripe/permissions.js';
import type { AnyTool } from '../tools/define-tool.js';
import { TOOLS } from '../tools/index.js';
import { SEARCH_RESOURCES, type SearchResource } from '../tools/search.js';

export interface ToolCheck {
  tool: string;
  /** For search: which resource was searched. */
  resource?: SearchResource;
  status: 'ok' | 'permission' | 'error';
  /** The Dashboard resource to set to Read (permission): the one Stripe's 403 named, which may be an expanded object's. */
  permission?: string;
  /** Stripe's name for it, from the 403 (e.g. rak_subscription_read). */
  stripePermission?: string;
  /** What went wrong otherwise (error). */
  message?: string;
  /** Optional permissions (the tool's `mayUse`) Stripe refused while the tool still answered. */
  optionalMissing?: ReadPermission[];
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
export const checkedTools = (tools: readonly AnyTool[]): readonly AnyTool[] => tools.filter((tool) => tool.name !== 'fetch');
export const CHECKED_TOOLS: readonly AnyTool[] = checkedTools(TOOLS as readonly AnyTool[]);

/** The smallest valid arguments for a tool: one object, or a search that matches nothing; undefined if it needs more. */
export function minimalArguments(tool: AnyTool, resource?: SearchResource): Record<string, unknown> | undefined {
  if (resource) return tool.input.parse({ resource, query: SEARCH_PROBE_QUERY, limit: 1 }) as Record<string, unknown>;
  for (const candidate of [{ limit: 1 }, {}]) {
    const parsed = tool.input.safeParse(candidate);
    if (parsed.success) return parsed.data as Record<string, unknown>;
  }
  return undefined;
}

/** What the Dashboard calls the permission Stripe named; when it named none, what the tool declares it needs. */
function resourceToSet(tool: AnyTool, rak: string | null, resource?: SearchResource): string {
  if (rak) return dashboardLabel(rak) ?? rak;
  const choice = resource ? tool.permissions.byChoice?.permissions[resource] : undefined;
  return [...tool.permissions.needs, ...(choice ? [choice] : [])].map((p) => READ_PERMISSION_LABELS[p]).join(', ') || 'the resource it reads';
}

/**
 * Runs every tool's own handler once with minimal arguments on the given client, so the answer comes from the
 * same requests the tools make (no second list of endpoints to drift). Search is tried on each resource.
 */
export async function checkTools(stripe: Stripe, connection: string, mode: Mode, tools: readonly AnyTool[] = CHECKED_TOOLS): Promise<ToolCheck[]> {
  const results: ToolCheck[] = [];
  const signal = new AbortController().signal;
  for (const tool of checkedTools(tools)) {
    const resources: Array<SearchResource | undefined> = tool.name === 'search' ? [...SEARCH_RESOURCES] : [undefined];
    for (const resource of resources) {
      const base = { tool: tool.name, ...(resource ? { resource } : {}) };
      const args = minimalArguments(tool, resource);
      if (!args) {
        results.push({ ...base, status: 'error', message: 'it needs arguments, so it cannot be tried on its own' });
        continue;
      }
      const optionalMissing = new Set<ReadPermission>();
      const context = { tool: tool.name, permissions: tool.permissions, mode };
      try {
        await tool.handler(args, { stripe, connection, mode, signal, permissionMissing: (p) => optionalMissing.add(p) });
        results.push({ ...base, status: 'ok', ...(optionalMissing.size ? { optionalMissing: [...optionalMissing] } : {}) });
      } catch (err) {
        const type = (err as { type?: string }).type;
        if (type === 'StripeAuthenticationError') throw new KeyRejectedError(describeError(err, context));
        if (type === 'StripePermissionError') {
          const rak = deniedPermission(err);
          results.push({ ...base, status: 'permission', permission: resourceToSet(tool, rak, resource), ...(rak ? { stripePermission: rak } : {}) });
        } else {
          results.push({ ...base, status: 'error', message: describeError(err, context) });
        }
      }
    }
  }
  return results;
}

/** An optional permission of a tool, and whether the key has it. */
export interface OptionalCheck {
  /** Dashboard resource, e.g. "Coupons". */
  permission: string;
  stripePermission: ReadPermission;
  /** missing: Stripe refused it; ok: the key has it (or Stripe never refused it); unknown: the tool could not run. */
  status: 'missing' | 'ok' | 'unknown';
  /** What the tool's answer lacks without it. */
  without: string;
}

/** One line per tool: search is served when every searchable resource is. */
export interface ToolSummary {
  tool: string;
  ok: boolean;
  /** Dashboard resources to set to Read for this tool (empty when ok or when the failure is not a permission). */
  missing: Array<{ permission: string; stripePermission?: string; resource?: SearchResource }>;
  /** The tool's optional permissions (its declaration's `mayUse`), each with what the key has. */
  optional: OptionalCheck[];
  errors: string[];
  /** search only: resources it can search. */
  searchable?: SearchResource[];
}

/**
 * What the checks learnt of each permission: refused when a 403 named it or a tool went without it; held when a
 * tool that needs it answered, or a tool that may use it answered without being refused it.
 */
function permissionsSeen(checks: ToolCheck[], tools: readonly AnyTool[]): { refused: Set<string>; held: Set<string> } {
  const refused = new Set<string>();
  const held = new Set<string>();
  for (const check of checks) {
    if (check.stripePermission) refused.add(check.stripePermission);
    for (const p of check.optionalMissing ?? []) refused.add(p);
    if (check.status !== 'ok') continue;
    const tool = tools.find((t) => t.name === check.tool);
    const declared = tool?.permissions;
    if (!declared) continue;
    for (const p of [...declared.needs, ...declared.mayUse.map((o) => o.permission)]) held.add(p);
    if (check.resource && declared.byChoice?.permissions[check.resource]) held.add(declared.byChoice.permissions[check.resource]!);
  }
  return { refused, held };
}

export function summarise(checks: ToolCheck[], tools: readonly AnyTool[] = CHECKED_TOOLS): ToolSummary[] {
  const byTool = new Map<string, ToolSummary>();
  for (const check of checks) {
    let summary = byTool.get(check.tool);
    if (!summary) {
      summary = { tool: check.tool, ok: true, missing: [], optional: [], errors: [], ...(check.resource ? { searchable: [] } : {}) };
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
  const { refused, held } = permissionsSeen(checks, tools);
  for (const summary of byTool.values()) {
    const tool = tools.find((t) => t.name === summary.tool);
    summary.optional = (tool?.permissions.mayUse ?? []).map(({ permission, without }) => ({
      permission: READ_PERMISSION_LABELS[permission],
      stripePermission: permission,
      status: refused.has(permission) ? 'missing' : held.has(permission) ? 'ok' : 'unknown',
      without,
    }));
  }
  return [...byTool.values()];
}
