import { TOOLS } from '../../src/tools/index.js';

/** The smallest valid arguments of each tool (a tool not named here takes none). */
export function minimalArgs(tool: string, customerId: string): Record<string, unknown> {
  const args: Record<string, Record<string, unknown>> = {
    list_customers: { limit: 1 },
    search: { resource: 'customers', query: "email:'nobody@example.com'" },
    fetch: { id: customerId },
    aggregate: { resource: 'charges', group_by: ['status'] },
  };
  return args[tool] ?? {};
}

export const TOOL_NAMES: string[] = TOOLS.map((t) => t.name);
