import type Stripe from 'stripe';
import type { Mode } from '../stripe/keys.js';
import { describeError } from '../stripe/errors.js';
import { dashboardLabel, deniedPermission, READ_PERMISSION_LABELS, type ReadPermission, type ToolPermissions } from '../stripe/permissions.js';

/** What a probe's run gets: the same as a tool handler, less what only the MCP server gives. */
export interface ProbeContext {
  stripe: Stripe;
  connection: string;
  mode: Mode;
  signal: AbortSignal;
  permissionMissing: (permission: ReadPermission) => void;
  permissionUsed: (permission: ReadPermission) => void;
}

/**
 * One call `connections test` makes: a tool's own handler with the smallest arguments, given by the layer above
 * (src/cli/tool-probes.ts builds them from the catalogue), so this layer needs no list of tools or endpoints.
 */
export interface ToolProbe {
  tool: string;
  /** For a tool whose argument picks the resource (search): the resource this probe reads. */
  resource?: string;
  permissions: ToolPermissions;
  /** undefined: the tool needs more than minimal arguments, so it cannot be tried on its own. */
  args: Record<string, unknown> | undefined;
  run: (args: Record<string, unknown>, ctx: ProbeContext) => Promise<unknown>;
}

export interface ToolCheck {
  tool: string;
  /** For search: which resource was searched. */
  resource?: string;
  status: 'ok' | 'permission' | 'error';
  /** The Dashboard resource to set to Read (permission): the one Stripe's 403 named, which may be an expanded object's. */
  permission?: string;
  /** Stripe's name for it, from the 403 (e.g. rak_subscription_read). */
  stripePermission?: string;
  /** What went wrong otherwise (error). */
  message?: string;
  /** Optional permissions (the tool's `mayUse`) Stripe refused while the tool still answered. */
  optionalMissing?: ReadPermission[];
  /** Optional permissions the tool's call used and Stripe allowed. */
  optionalUsed?: ReadPermission[];
}

/** A key Stripe no longer accepts: checking the other tools would only repeat it. */
export class KeyRejectedError extends Error {
  override name = 'KeyRejectedError';
}

/** What the Dashboard calls the permission Stripe named; when it named none, what the tool declares it needs. */
function resourceToSet(probe: ToolProbe, rak: string | null): string {
  if (rak) return dashboardLabel(rak) ?? rak;
  const choice = probe.resource ? probe.permissions.byChoice?.permissions[probe.resource] : undefined;
  return [...probe.permissions.needs, ...(choice ? [choice] : [])].map((p) => READ_PERMISSION_LABELS[p]).join(', ') || 'the resource it reads';
}

/**
 * Runs every probe once on the given client, so the answer comes from the same requests the tools make (no second
 * list of endpoints to drift).
 */
export async function checkTools(stripe: Stripe, connection: string, mode: Mode, probes: readonly ToolProbe[]): Promise<ToolCheck[]> {
  const results: ToolCheck[] = [];
  const signal = new AbortController().signal;
  for (const probe of probes) {
    const base = { tool: probe.tool, ...(probe.resource ? { resource: probe.resource } : {}) };
    if (!probe.args) {
      results.push({ ...base, status: 'error', message: 'it needs arguments, so it cannot be tried on its own' });
      continue;
    }
    const optionalMissing = new Set<ReadPermission>();
    const optionalUsed = new Set<ReadPermission>();
    const context = { tool: probe.tool, permissions: probe.permissions, mode };
    try {
      await probe.run(probe.args, { stripe, connection, mode, signal, permissionMissing: (p) => optionalMissing.add(p), permissionUsed: (p) => optionalUsed.add(p) });
      results.push({
        ...base,
        status: 'ok',
        ...(optionalMissing.size ? { optionalMissing: [...optionalMissing] } : {}),
        ...(optionalUsed.size ? { optionalUsed: [...optionalUsed] } : {}),
      });
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (type === 'StripeAuthenticationError') throw new KeyRejectedError(describeError(err, context));
      if (type === 'StripePermissionError') {
        const rak = deniedPermission(err);
        results.push({ ...base, status: 'permission', permission: resourceToSet(probe, rak), ...(rak ? { stripePermission: rak } : {}) });
      } else {
        results.push({ ...base, status: 'error', message: describeError(err, context) });
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
  /** missing: Stripe refused it; ok: Stripe allowed it (a tool needing it answered, or a call used it); unknown: never tried. */
  status: 'missing' | 'ok' | 'unknown';
  /** What the tool's answer lacks without it. */
  without: string;
}

/** One line per tool: search is served when every searchable resource is. */
export interface ToolSummary {
  tool: string;
  ok: boolean;
  /** Dashboard resources to set to Read for this tool (empty when ok or when the failure is not a permission). */
  missing: Array<{ permission: string; stripePermission?: string; resource?: string }>;
  /** The tool's optional permissions (its declaration's `mayUse`), each with what the key has. */
  optional: OptionalCheck[];
  errors: string[];
  /** search only: resources it can search. */
  searchable?: string[];
}

/**
 * What the checks learnt of each permission: refused when a 403 named it or a tool went without it; held when a
 * tool that needs it answered, or a tool's call used it and Stripe allowed it. A tool that may use a permission but
 * answered without trying it (get_mrr when no subscription has a discount) shows nothing of it.
 */
function permissionsSeen(checks: ToolCheck[], declared: (tool: string) => ToolPermissions | undefined): { refused: Set<string>; held: Set<string> } {
  const refused = new Set<string>();
  const held = new Set<string>();
  for (const check of checks) {
    if (check.stripePermission) refused.add(check.stripePermission);
    for (const p of check.optionalMissing ?? []) refused.add(p);
    if (check.status !== 'ok') continue;
    const permissions = declared(check.tool);
    if (!permissions) continue;
    for (const p of [...permissions.needs, ...(check.optionalUsed ?? [])]) held.add(p);
    if (check.resource && permissions.byChoice?.permissions[check.resource]) held.add(permissions.byChoice.permissions[check.resource]!);
  }
  return { refused, held };
}

/** One summary per tool of the checks; `probes` are those the checks ran (they carry each tool's declaration). */
export function summarise(checks: ToolCheck[], probes: readonly ToolProbe[]): ToolSummary[] {
  const declared = (tool: string) => probes.find((p) => p.tool === tool)?.permissions;
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
  const { refused, held } = permissionsSeen(checks, declared);
  for (const summary of byTool.values()) {
    summary.optional = (declared(summary.tool)?.mayUse ?? []).map(({ permission, without }) => ({
      permission: READ_PERMISSION_LABELS[permission],
      stripePermission: permission,
      status: refused.has(permission) ? 'missing' : held.has(permission) ? 'ok' : 'unknown',
      without,
    }));
  }
  return [...byTool.values()];
}
