/**
 * The aggregation arguments, declared once for every list (issue 13: repeated on each list tool they were ~7 KB of
 * every conversation's catalogue). A resource is a list tool that declares `aggregates`; its filters are that list
 * tool's own, checked by its own schema, and its list tool's handler answers (src/tools/engine/list.ts aggregates
 * when given group_by / metrics), so listing is never done twice.
 */
import { z } from 'zod';
import { AGGREGATION_ARGUMENTS, unknownArgumentMessage } from '../server/argument-hints.js';
import { ToolInputError } from '../stripe/errors.js';
import type { OptionalPermission, ReadPermission } from '../stripe/permissions.js';
import { DEFAULT_LIMIT, dateInput, aggregateOutput, listInput, timeZoneInput } from './common.js';
import { defineTool, type AnyTool } from './define-tool.js';
import { aggregationSchema, facetsLine, MAX_TOP } from './engine/aggregate.js';
import { dateFieldsOf, resolveDateWords } from './engine/date-words.js';
import { resourceOf } from './engine/resource.js';
import { LIST_TOOLS } from './lists/index.js';

/** The lists that aggregate, by resource name ("charges"), in the catalogue's order. */
const RESOURCES = new Map(
  LIST_TOOLS.flatMap((tool) => (tool.aggregates && tool.returns ? [[resourceOf(tool.returns.object), tool] as const] : [])),
);
const RESOURCE_NAMES = [...RESOURCES.keys()] as [string, ...string[]];

/** Paging and detail: a list tool's arguments that are not filters, since an aggregation covers every match. */
const PAGING = Object.fromEntries(Object.keys(listInput).map((key) => [key, true])) as { [K in keyof typeof listInput]: true };

const facetsOf = (tool: AnyTool) => tool.aggregates!.facets as Parameters<typeof aggregationSchema>[0];

/** Each resource's filters, checked by its list tool's own schema: a wrong one is named with the filters it has. */
const filterSchemas = new Map(
  [...RESOURCES].map(([resource, tool]) => {
    const shape = (tool.input as z.ZodObject).omit(PAGING).shape;
    const names = Object.keys(shape);
    const schema = z.strictObject(shape, {
      error: (issue) => (issue.code === 'unrecognized_keys' ? `${unknownArgumentMessage(issue.keys, resource, names, 'filter')}${pagingNote(issue.keys)}${misplacedNote(issue.keys)}` : undefined),
    });
    return [resource, { schema, aggregation: aggregationSchema(facetsOf(tool), resource), dates: dateFieldsOf(tool.input, dateInput) }] as const;
  }),
);

function misplacedNote(keys: readonly string[]): string {
  const misplaced = keys.filter((key) => AGGREGATION_ARGUMENTS.has(key));
  return misplaced.length ? ` ${misplaced.join(', ')} ${misplaced.length === 1 ? 'is an argument' : 'are arguments'} of aggregate itself: put ${misplaced.length === 1 ? 'it' : 'them'} beside resource, not inside filters.` : '';
}

function pagingNote(keys: readonly string[]): string {
  return keys.some((key) => Object.hasOwn(PAGING, key)) ? ' Paging and detail do not apply: an aggregation always covers every match (use top to keep the first rows).' : '';
}

/** One optional permission per Dashboard resource, from every list's declaration (names of grouped rows). */
function optionalPermissions(): OptionalPermission[] {
  const seen = new Map<ReadPermission, OptionalPermission>();
  for (const tool of RESOURCES.values()) for (const p of tool.aggregates!.mayUse) if (!seen.has(p.permission)) seen.set(p.permission, p);
  return [...seen.values()];
}

const issuesText = (error: z.ZodError, prefix?: string) =>
  error.issues.map((i) => (i.code === 'unrecognized_keys' ? i.message : `${[...(prefix ? [prefix] : []), ...i.path].join('.')}: ${i.message}`)).join('; ');

export const aggregate = defineTool({
  name: 'aggregate',
  toolset: { servedWith: [...RESOURCES.values()].map((tool) => tool.name) },
  permissions: {
    needs: [],
    mayUse: optionalPermissions(),
    byChoice: { of: 'the resource aggregated', permissions: Object.fromEntries([...RESOURCES].map(([resource, tool]) => [resource, tool.permissions.needs[0]!])) },
  },
  title: 'Aggregate a list',
  description: [
    "Totals, counts and rankings over every object of a list that matches filters (the list tool's own filters: list_charges' for charges), exact per currency, as the instructions say.",
    "Each resource's group_by keys and money fields (for metrics) are in group_by's description.",
    'Example: {"resource":"charges","filters":{"status":"failed","created_after":"30d"},"group_by":["decline_code"],"metrics":["count","sum:amount"]} or {"resource":"balance_transactions","group_by":["month"],"metrics":["sum:fee"]}.',
  ].join(' '),
  readme: {
    filters:
      "`resource` (a list: `charges`, `balance_transactions`, … as the list tools' names say), `filters` (that list tool's filters, e.g. `{\"status\":\"failed\",\"created_after\":\"7d\"}` for charges), `group_by`, `metrics`, `order_by`, `order`, `top`, `date_field`, `timezone`: see [Totals, rankings and time series](#totals-rankings-and-time-series)",
  },
  input: z.strictObject({
    resource: z.enum(RESOURCE_NAMES),
    filters: z.record(z.string(), z.unknown()).optional(),
    group_by: z
      .array(z.string())
      .optional()
      .describe(`By resource, its keys (and day…year), then its money fields for metrics: ${[...RESOURCES].map(([resource, tool]) => facetsLine(facetsOf(tool), resource)).join('. ')}`),
    metrics: z.array(z.string()).optional(),
    date_field: z.string().optional(),
    timezone: timeZoneInput,
    order_by: z.string().refine((v) => v.length >= 1 && v.length <= 64, 'must be a metric or a group_by key').optional(),
    order: z.enum(['asc', 'desc']).optional(),
    top: z.number().int().min(1).max(MAX_TOP).optional(),
  }),
  output: aggregateOutput,
  handler: async ({ resource, filters, ...aggregation }, ctx) => {
    const tool = RESOURCES.get(resource)!;
    const refused = ctx.notServed?.(tool.name);
    if (refused) throw new ToolInputError(`aggregate over ${resource} runs ${tool.name}, and ${refused}`);
    const { schema, aggregation: names, dates } = filterSchemas.get(resource)!;
    const filtered = schema.safeParse(filters ?? {});
    if (!filtered.success) throw new ToolInputError(issuesText(filtered.error, 'filters'));
    const named = names.safeParse(aggregation);
    if (!named.success) throw new ToolInputError(issuesText(named.error));
    // Without group_by or metrics: the totals (count and the list's usual sums) over every match.
    const metrics = aggregation.group_by || aggregation.metrics ? aggregation.metrics : ['count', ...facetsOf(tool).defaultSums.map((f) => `sum:${f}`)];
    // Date words in filters resolve here, as the server's wrapper resolves them in a list tool's own arguments.
    const args = resolveDateWords({ ...filtered.data, ...aggregation, metrics, limit: DEFAULT_LIMIT, detail: 'compact' }, dates, (ctx.now ?? Date.now)());
    const { count: _rows, has_more: _more, next_cursor: _cursor, ...answer } = await tool.handler(args, ctx);
    return answer;
  },
});
