/**
 * The seed questions as MCP prompts, for clients that offer prompts as commands. Each prompt asks the question and
 * names the exact tool call that answers it (tool name + JSON arguments), so the model makes that call at once.
 * Prompt arguments are strings on the wire (MCP), so numbers are digit strings checked here.
 */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { MODES } from '../stripe/keys.js';
import { isoTime, parseDateInput } from '../stripe/time.js';
import { isDateWord } from '../tools/engine/date-words.js';
import { Bucketer, checkTimeZone, monthStart } from '../tools/engine/buckets.js';
import { connectionArgument } from '../server/catalogue.js';

interface ToolCall {
  tool: string;
  arguments: Record<string, unknown>;
  /** What this call gives, when a prompt needs more than one. */
  for?: string;
}

interface PromptDefinition<Shape extends z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  args: Shape;
  /** The question in words and the calls that answer it; `now` is Unix seconds. */
  build: (args: z.output<z.ZodObject<Shape>>, now: number) => { question: string; calls: ToolCall[] };
}

const definePrompt = <Shape extends z.ZodRawShape>(p: PromptDefinition<Shape>) => p;

/** A whole number in [min, max] given as a string (prompt arguments are strings), with a default. */
const count = (what: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .refine((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max, `must be a whole number, ${min}–${max}`)
    .default(String(fallback))
    .describe(`${what}, ${min}–${max} (default ${fallback})`);

const timezone = z
  .string()
  .refine((v) => {
    try {
      return checkTimeZone(v) !== '';
    } catch {
      return false;
    }
  }, 'must be an IANA time zone, e.g. UTC, Europe/Paris, America/New_York')
  .optional()
  .describe('IANA time zone (default UTC)');

const isAbsoluteDate = (v: string) => {
  try {
    return parseDateInput(v, 'since') >= 0;
  } catch {
    return false;
  }
};

const withZone = (tz: string | undefined) => (tz ? { timezone: tz } : {});

/** The local month (YYYY-MM) `back` months before the one containing `now`. */
function monthLabel(now: number, tz: string, back: number): string {
  const months = new Bucketer('month', tz);
  let bucket = months.bucketOf(now);
  for (let i = 0; i < back; i++) bucket = months.bucketOf(bucket.start - 1);
  return bucket.label;
}

export const PROMPTS = [
  definePrompt({
    name: 'mrr_by_plan',
    title: 'MRR by plan',
    description: 'MRR now and at the end of each of the last N months, by plan, per currency.',
    args: { months: count('months', 1, 36, 3), timezone },
    build: (a) => ({
      question: `What is our MRR for the last ${a.months} months, by plan?`,
      calls: [{ tool: 'get_mrr', arguments: { group_by: 'plan', history_months: Number(a.months), ...withZone(a.timezone) } }],
    }),
  }),
  definePrompt({
    name: 'top_customers',
    title: 'Top customers by revenue',
    description: 'Customers ranked by revenue net of refunds, per currency.',
    args: {
      top: count('top', 1, 100, 10),
      since: z
        .string()
        .refine((v) => isDateWord(v) || isAbsoluteDate(v), 'must be a date (2026-05-01) or a word such as this_quarter, last_month or 30d')
        .optional()
        .describe('Only charges created since: a date or a word such as this_quarter or 30d (default all time)'),
    },
    build: (a) => ({
      question: `Who are our top ${a.top} customers by total revenue${a.since ? ` since ${a.since}` : ''}?`,
      calls: [
        {
          tool: 'aggregate',
          arguments: {
            resource: 'charges',
            ...(a.since ? { filters: { created_after: a.since } } : {}),
            group_by: ['customer'],
            metrics: ['sum:net_of_refunds'],
            order_by: 'sum:net_of_refunds',
            top: Number(a.top),
          },
        },
      ],
    }),
  }),
  definePrompt({
    name: 'churn_in_month',
    title: 'Churn in a month',
    description: 'Customers and subscriptions that churned in a calendar month, with lost MRR.',
    args: {
      month: z
        .string()
        .regex(/^(\d{4}-(0[1-9]|1[0-2])|this_month|last_month)$/, 'must be YYYY-MM (e.g. 2026-05), this_month or last_month')
        .default('last_month')
        .describe('YYYY-MM, this_month or last_month (default last_month)'),
      timezone,
    },
    build: (a, now) => {
      const tz = a.timezone ? checkTimeZone(a.timezone) : 'UTC';
      const month = a.month === 'this_month' ? monthLabel(now, tz, 0) : a.month === 'last_month' ? monthLabel(now, tz, 1) : a.month;
      return { question: `How many customers churned in ${month}?`, calls: [{ tool: 'get_churn', arguments: { month, ...withZone(a.timezone) } }] };
    },
  }),
  definePrompt({
    name: 'fees_by_month',
    title: 'Stripe fees by month in a quarter',
    description: 'Stripe fees for a quarter, month by month, per currency.',
    args: {
      quarter: z
        .string()
        .regex(/^(\d{4}-Q[1-4]|this_quarter|last_quarter)$/i, 'must be YYYY-Qn (e.g. 2026-Q1), this_quarter or last_quarter')
        .default('last_quarter')
        .describe('YYYY-Qn (e.g. 2026-Q1), this_quarter or last_quarter (default last_quarter)'),
      timezone,
    },
    build: (a) => {
      const q = /^(\d{4})-Q([1-4])$/i.exec(a.quarter);
      // A named quarter becomes its first and next quarter's first local midnight; a word is resolved by the tool.
      const zone = a.timezone ? checkTimeZone(a.timezone) : 'UTC';
      const range = q
        ? (() => {
            const bucket = new Bucketer('quarter', zone).bucketOf(monthStart(Number(q[1]), (Number(q[2]) - 1) * 3 + 1, zone));
            return { created_after: isoTime(bucket.start), created_before: isoTime(bucket.end) };
          })()
        : { created_after: a.quarter, created_before: a.quarter };
      return {
        question: `What were our Stripe fees in ${a.quarter.replace('_', ' ')}, broken down by month?`,
        calls: [
          {
            tool: 'aggregate',
            arguments: { resource: 'balance_transactions', filters: range, group_by: ['month'], metrics: ['sum:total_fees', 'sum:fee'], ...withZone(a.timezone) },
          },
        ],
      };
    },
  }),
  definePrompt({
    name: 'failed_payments',
    title: 'Failed payments with reasons',
    description: 'Failed payment intents of the last N days with their failure reasons, and counts per reason.',
    args: { days: count('days', 1, 365, 7) },
    build: (a) => {
      const since = { status: 'failed', created_after: `${a.days}d` };
      return {
        question: `List the failed payment intents of the last ${a.days} days with their failure reason.`,
        calls: [
          { tool: 'list_payment_intents', arguments: { ...since, max_results: 100 }, for: 'the payments, each with last_payment_error' },
          { tool: 'aggregate', arguments: { resource: 'payment_intents', filters: since, group_by: ['failure_code', 'decline_code'], metrics: ['count'] }, for: 'the counts per reason' },
        ],
      };
    },
  }),
  definePrompt({
    name: 'balance_by_currency',
    title: 'Balance per currency',
    description: 'Available and pending balance, per currency.',
    args: {},
    build: () => ({ question: 'What is our current available and pending balance, per currency?', calls: [{ tool: 'get_balance', arguments: {} }] }),
  }),
];

function promptText(question: string, calls: ToolCall[]): string {
  const lines = calls.map((c) => `${c.tool} ${JSON.stringify(c.arguments)}${c.for ? ` (${c.for})` : ''}`);
  return calls.length === 1
    ? `${question}\n\nAnswer it with this tool call: ${lines[0]}`
    : `${question}\n\nAnswer it with these tool calls:\n${lines.map((l, i) => `${i + 1}. ${l}`).join('\n')}`;
}

/**
 * The tools a prompt's answer calls, read from the calls it builds with its defaults (every argument has one). An
 * aggregate call runs its resource's list tool (list_charges for charges), which must be served too.
 */
function toolsOf(prompt: (typeof PROMPTS)[number], now: number): string[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return prompt.build(z.strictObject(prompt.args).parse({}) as any, now).calls.flatMap((c) => (c.tool === 'aggregate' ? [c.tool, `list_${String(c.arguments.resource)}`] : [c.tool]));
}

/**
 * Registers the prompts whose tools are all served (`--tools` may hide some: a prompt naming a hidden tool would
 * only lead to an error); `connection` / `mode` are added to each and passed on to its tool calls.
 */
export function registerPrompts(server: McpServer, connectionNames: string[], now: () => number = Date.now, served: (tool: string) => boolean = () => true): void {
  const routing = {
    connection: connectionArgument(connectionNames).optional(),
    mode: z.enum(MODES).optional().describe('test or live (default: the connection\'s default mode)'),
  };
  for (const prompt of PROMPTS) {
    if (!toolsOf(prompt, Math.floor(now() / 1000)).every(served)) continue;
    const schema = z.strictObject({ ...prompt.args, ...routing });
    server.registerPrompt(prompt.name, { title: prompt.title, description: prompt.description, argsSchema: schema }, (raw) => {
      const { connection, mode, ...args } = raw as { connection?: string; mode?: string } & Record<string, unknown>;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const { question, calls } = prompt.build(args as any, Math.floor(now() / 1000));
      const routed = calls.map((c) => ({ ...c, arguments: { ...c.arguments, ...(connection ? { connection } : {}), ...(mode ? { mode } : {}) } }));
      return { description: prompt.description, messages: [{ role: 'user' as const, content: { type: 'text' as const, text: promptText(question, routed) } }] };
    });
  }
}
