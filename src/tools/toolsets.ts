/**
 * Toolsets: named groups of tools, so a client can be given only what it needs (`--tools metrics,lookup`, or
 * STRIPE_MCP_TOOLS), as github-mcp-server's toolsets and @stripe/mcp's --tools do. Every tool names its set beside
 * its name (`toolset: '…'` in its file); a new tool joins a set with that one line. A tool not served is not
 * listed, and a call to it says how to enable it.
 *
 * This module is on the stdio start path: it imports nothing but the closest-name helper.
 */
import { closestName } from '../server/argument-hints.js';

/** Each set's name and what is in it (shown by --help and in start-up errors). No set is named like a tool. */
export const TOOLSETS = {
  billing: 'customers, invoices, subscriptions, products, prices, coupons, promotion codes',
  payments: 'charges, payment intents, refunds, disputes',
  balance: 'balance, payouts, balance transactions',
  metrics: 'MRR, churn and the subscription figures built on them',
  lookup: 'search by text, amount or card last4; fetch any object by id',
  events: "the account's events: what changed, and when",
} as const satisfies Record<string, string>;

export type ToolsetName = keyof typeof TOOLSETS;

/**
 * The set of a tool that works over other tools' resources (aggregate, over the lists): it is served whenever one
 * of them is, whichever set brought it, and only by name otherwise.
 */
export interface ServedWith {
  servedWith: readonly string[];
}

/** The word for every tool (the default). */
export const ALL_TOOLS = 'all';

/** The environment variable equivalent to --tools. */
export const TOOLS_ENV = 'STRIPE_MCP_TOOLS';

/** What selecting needs to know of a tool. */
export interface SelectableTool {
  name: string;
  toolset: ToolsetName | ServedWith;
}

/** Which tools a server serves, and how that was asked for (quoted back when a call asks for another one). */
export interface ToolSelection {
  /** The served tools' names; undefined = every tool. */
  names: ReadonlySet<string> | undefined;
  /** What was given, e.g. "--tools metrics,search"; empty for the default. */
  asked: string;
}

export const SERVE_ALL: ToolSelection = { names: undefined, asked: '' };

export const isServed = (selection: ToolSelection, name: string): boolean => selection.names === undefined || selection.names.has(name);

/** Thrown for a --tools value that names no tool or set; the CLI shows it as a usage error (exit 2). */
export class ToolSelectionError extends Error {
  override name = 'ToolSelectionError';
}

const asked = (from: string, value: string) => (from.startsWith('-') ? `${from} ${value}` : `${from}=${value}`);

/** "payments (charges, …), …, all (every tool)": the valid set names, for --help and errors. */
export function describeToolsets(): string {
  return [...Object.entries(TOOLSETS).map(([name, what]) => `${name} (${what})`), `${ALL_TOOLS} (every tool, the default)`].join('; ');
}

/**
 * Reads a --tools / STRIPE_MCP_TOOLS value: tool names and set names separated by commas (spaces allowed), `all`
 * for every tool. Undefined (not given) serves every tool. A name that is neither stops start-up with the valid
 * names and the closest one.
 */
export function selectTools(value: string | undefined, tools: readonly SelectableTool[], from: string): ToolSelection {
  if (value === undefined) return SERVE_ALL;
  const words = value
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  if (words.length === 0) {
    throw new ToolSelectionError(`${from} needs tool or set names separated by commas, e.g. ${from === TOOLS_ENV ? `${TOOLS_ENV}=metrics,lookup` : '--tools metrics,lookup'}. Sets: ${describeToolsets()}.`);
  }
  const names = new Set<string>();
  for (const word of words) {
    const lower = word.toLowerCase();
    if (lower === ALL_TOOLS) return { names: undefined, asked: asked(from, value) };
    const tool = tools.find((t) => t.name === lower);
    if (tool) {
      names.add(tool.name);
      continue;
    }
    if (Object.hasOwn(TOOLSETS, lower)) {
      const members = tools.filter((t) => t.toolset === lower);
      if (members.length === 0) throw new ToolSelectionError(`The set "${lower}" in ${from} has no tools in this version. Sets: ${describeToolsets()}.`);
      for (const t of members) names.add(t.name);
      continue;
    }
    const near = closestName(lower, [...Object.keys(TOOLSETS), ALL_TOOLS, ...tools.map((t) => t.name)]);
    throw new ToolSelectionError(
      `${from}: "${word}" is neither a tool nor a set${near ? ` (did you mean "${near}"?)` : ''}. ` +
        `Sets: ${describeToolsets()}. Tools: ${tools.map((t) => t.name).join(', ')}.`,
    );
  }
  for (const tool of tools) {
    if (typeof tool.toolset === 'object' && tool.toolset.servedWith.some((name) => names.has(name))) names.add(tool.name);
  }
  return { names, asked: asked(from, value) };
}

/** What a call to a tool this server does not serve hears: which flag or set enables it. */
export function notServedMessage(tool: SelectableTool, selection: ToolSelection): string {
  const add = typeof tool.toolset === 'object' ? `${tool.name} (or a tool it works with: ${tool.toolset.servedWith.join(', ')}, or its set)` : `${tool.name} (or its set, ${tool.toolset})`;
  return (
    `${tool.name} is not served by this server: it was started with ${selection.asked}. To use it, add ${add} ` +
    `to --tools or ${TOOLS_ENV} in this server's entry in the MCP client's config (or leave it out to serve every tool), then restart the server.`
  );
}
