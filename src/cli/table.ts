/**
 * Renders a tool result for a person at a terminal: a header line, then a table of the listed objects, the
 * aggregate's rows (one table per currency), or the summary of an answer too large to list.
 *
 * Width: a terminal's own width; when stdout is not a terminal, $COLUMNS if set, else 120 (a sane page width, so
 * `| less` and files read the same as a terminal). Columns that do not fit are dropped and named below the table;
 * long cells wrap onto a few lines rather than being cut.
 */

/** Used when stdout is not a terminal and $COLUMNS is not set. */
export const DEFAULT_WIDTH = 120;
/** A cell wider than this wraps even when there is room. */
const MAX_CELL = 60;
/** A cell wraps onto at most this many lines; the last one ends in … if there is more. */
const MAX_CELL_LINES = 3;
const GAP = '  ';

export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_WIDTH;
}

/** A value as a person reads it: objects as `key=value, …` (nested keys dotted), lists comma-separated. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    const parts = value.map(cell).filter((s) => s !== '');
    return parts.join(value.some((v) => v !== null && typeof v === 'object') ? '; ' : ', ');
  }
  if (typeof value === 'object') return flatPairs(value as Record<string, unknown>).join(', ');
  return String(value);
}

function flatPairs(object: Record<string, unknown>, prefix = ''): string[] {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) pairs.push(...flatPairs(value as Record<string, unknown>, `${prefix}${key}.`));
    else if (cell(value) !== '') pairs.push(`${prefix}${key}=${cell(value)}`);
  }
  return pairs;
}

const clip = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`);

/** Word-wraps one cell to `width`, at most MAX_CELL_LINES lines. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width && lines.length < MAX_CELL_LINES - 1) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > width / 3 ? space : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(clip(rest, width));
  return lines;
}

export interface TableOptions {
  /** Total width to fit, or null for none. */
  width: number | null;
  /** Columns that go first, in this order, and are kept (when present) even when the same in every row. */
  lead?: string[];
  /** Lead columns that fit before any other (a list's id and created). */
  keep?: string[];
  /** Whether columns holding one value in every row are told once below the table instead (lists: yes). */
  collapseConstant?: boolean;
}

/** A plain-text table: a column per key set in at least one row, the lead ones first, fitted to the width. */
export function renderTable(rows: Array<Record<string, unknown>>, options: TableOptions): string {
  if (rows.length === 0) return '(none)';
  const present: string[] = [];
  for (const row of rows) for (const [key, value] of Object.entries(row)) if (!present.includes(key) && cell(value) !== '') present.push(key);
  const lead = (options.lead ?? []).filter((c) => present.includes(c));
  const constant = (c: string) => options.collapseConstant !== false && rows.length > 1 && rows.every((r) => cell(r[c]) === cell(rows[0]![c]));
  const sameEverywhere = present.filter((c) => !lead.includes(c) && c !== 'id' && constant(c));
  const ordered = [...lead, ...present.filter((c) => !lead.includes(c) && !sameEverywhere.includes(c))];
  const natural = (c: string) => Math.min(MAX_CELL, Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  // A column may shrink (its cells wrap) to its header or 14 characters; ids and codes (no spaces) never shrink.
  const narrowest = (c: string) => (rows.every((r) => !cell(r[c]).includes(' ')) ? natural(c) : Math.min(natural(c), Math.max(c.length, 14)));
  const shown: string[] = [];
  const dropped: string[] = [];
  let used = 0;
  // The kept columns claim their room first; the rest then fit in order.
  const keep = (options.keep ?? []).filter((c) => ordered.includes(c));
  for (const c of [...keep, ...ordered.filter((c) => !keep.includes(c))]) {
    const need = (shown.length > 0 ? GAP.length : 0) + narrowest(c);
    if (options.width === null || used + need <= options.width) {
      shown.push(c);
      used += need;
    } else dropped.push(c);
  }
  shown.sort((a, b) => ordered.indexOf(a) - ordered.indexOf(b));
  const widths = shown.map(narrowest);
  let spare = options.width === null ? Infinity : options.width - used;
  shown.forEach((c, i) => {
    const more = Math.min(spare, natural(c) - widths[i]!);
    widths[i]! += more;
    spare -= more;
  });
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join(GAP).trimEnd();
  const out = [line(shown), line(widths.map((w) => '-'.repeat(w)))];
  for (const row of rows) {
    const cells = shown.map((c, i) => wrap(cell(row[c]), widths[i]!));
    const height = Math.max(...cells.map((lines) => lines.length));
    for (let k = 0; k < height; k++) out.push(line(cells.map((lines) => lines[k] ?? '')));
  }
  if (sameEverywhere.length > 0) out.push(`(in every row: ${sameEverywhere.map((c) => `${c}=${clip(cell(rows[0]![c]), MAX_CELL)}`).join(', ')})`);
  if (dropped.length > 0) out.push(`(not shown, too wide for ${options.width} columns: ${dropped.join(', ')}; widen the terminal, set COLUMNS, or use --json)`);
  return out.join('\n');
}

/** "1 payment intent", "5 payment intents": Stripe's object names (all singular, snake_case) for people. */
function nounFor(object: unknown, count: number): string {
  if (typeof object !== 'string' || object === '') return count === 1 ? 'object' : 'objects';
  const words = object.replace(/_/g, ' ');
  return count === 1 || words.endsWith('s') ? words : `${words}s`;
}

/**
 * "19.00 USD" in one cell: an amount is never printed apart from its currency ("19.00" alone could be dollars or
 * yen), and one column fits where two would be dropped. Rows without both fields are left as they are.
 */
export function withCurrencyInAmount(rows: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return rows.map((row) => {
    if (typeof row.amount !== 'string' || typeof row.currency !== 'string') return row;
    const { currency, ...rest } = row;
    return { ...rest, amount: `${row.amount} ${currency.toUpperCase()}` };
  });
}

// The bank's reason first: failure_code is mostly card_declined, which decline_code says more precisely.
const FAILURE_FIELDS = ['decline_code', 'failure_message', 'failure_code', 'last_payment_error'];

/**
 * The columns a list's question is about, first: the id, the fields its filters name (created_after → created),
 * the failure reason when failures were asked for, then amount, customer, and always created.
 */
export function leadColumns(filters: Record<string, unknown> | undefined): string[] {
  const lead = ['id'];
  const failures = Object.entries(filters ?? {}).some(([k, v]) => v === 'failed' || k.startsWith('failure') || k === 'decline_code');
  for (const key of Object.keys(filters ?? {})) {
    const field = key.replace(/_(after|before)$/, '');
    if (!lead.includes(field)) lead.push(field);
  }
  if (failures) lead.push(...FAILURE_FIELDS);
  lead.push('amount', 'currency', 'customer', 'created');
  return [...new Set(lead)];
}

/** A list's columns that claim their room before any other, in this order: which object, when, how much. */
const LIST_KEEP = ['id', 'created', 'amount'];

const n = (value: unknown) => (typeof value === 'number' ? value.toLocaleString('en-US') : String(value ?? '?'));

type Structured = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const filterText = (filters: Record<string, unknown> | undefined) => (filters && Object.keys(filters).length > 0 ? cell(filters) : 'none');

/** Header, table or key/value lines, and the paging hint. */
export function renderResult(structured: Structured, width: number | null = terminalWidth()): string {
  const where = `connection ${structured.connection} · ${structured.mode} mode`;
  if (structured.aggregate && typeof structured.aggregate === 'object') return renderAggregate(structured, where, width);
  if (structured.summary && Array.isArray(structured.data) && structured.data.length === 0) return renderSummary(structured, where, width);
  const lines: string[] = [];
  if (Array.isArray(structured.data)) {
    const count = structured.count ?? structured.data.length;
    lines.push(`${where} · ${count} ${nounFor(structured.resource ?? structured.object, count)}${structured.has_more ? ' (more available)' : ''}`);
    lines.push(renderTable(withCurrencyInAmount(structured.data), { width, lead: leadColumns(structured.filters), keep: LIST_KEEP, collapseConstant: true }));
    if (structured.note) lines.push(structured.note);
    if (structured.has_more && (structured.next_cursor || structured.next_page)) {
      lines.push(structured.next_cursor ? `next page: add "cursor":"${structured.next_cursor}"` : `next page: add "page":"${structured.next_page}"`);
    }
    if (structured.amounts) lines.push(structured.amounts);
    return lines.join('\n');
  }
  lines.push(where);
  for (const [key, value] of Object.entries(structured)) {
    // Routing is in the header; `object` is a type tag for programs; an absent value says nothing.
    if (key === 'connection' || key === 'mode' || key === 'object' || value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) lines.push(`${key}: (none)`);
    else if (Array.isArray(value) && value.every((v) => v && typeof v === 'object' && !Array.isArray(v))) {
      const rows = value as Array<Record<string, unknown>>;
      lines.push(`${key}:`, renderTable(rows, { width, keep: idsGiveWay(rows), collapseConstant: false }));
    } else lines.push(`${key}: ${cell(value)}`);
  }
  return lines.join('\n');
}

/**
 * A list's columns in order, but for ids with names beside them (customer → customer_name, products →
 * product_names): when the width is short, those ids give way first, so a person keeps who, when and how much.
 */
function idsGiveWay(rows: Array<Record<string, unknown>>): string[] {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return columns.filter((c) => !columns.includes(`${c}_name`) && !columns.includes(`${c.replace(/s$/, '')}_names`));
}

/** The names an aggregate's rows carry beside each id key (src/tools/engine/names.ts), shown right after it. */
const NAMES_BESIDE: Record<string, string[]> = {
  customer: ['customer_name', 'customer_email'],
  price: ['price_name', 'product', 'product_name'],
  product: ['product_name'],
};

/** group_by / metrics: the group columns (with their names), then the metrics; one table per currency, then the totals. */
function renderAggregate(structured: Structured, where: string, width: number | null): string {
  const agg = structured.aggregate as { group_by: string[]; metrics: string[]; rows: Structured[]; rows_total: number; totals: Structured[]; note: string };
  const noun = nounFor(structured.object, structured.matched ?? 2);
  const lines = [
    `${where} · ${agg.group_by.length > 0 ? `${agg.rows_total} groups by ${agg.group_by.join(', ')}` : 'totals'} over ${n(structured.matched)} ${noun} (${n(structured.scanned)} scanned)`,
    `filters: ${filterText(structured.filters)}`,
  ];
  const columns = [...agg.group_by.flatMap((k) => [k, ...(NAMES_BESIDE[k] ?? [])]), ...agg.metrics];
  // Ids and figures claim the width first; names fill what is left (an email is dropped before a sum).
  const keep = [...agg.group_by, ...agg.metrics];
  const currencies = [...new Set(agg.rows.map((r) => r.currency).filter((c) => typeof c === 'string'))] as string[];
  if (agg.group_by.length > 0 && currencies.length > 0) {
    for (const currency of currencies) {
      const rows = agg.rows.filter((r) => r.currency === currency).map(({ currency: _c, ...rest }) => rest);
      lines.push('', `${currency.toUpperCase()} (${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`, renderTable(rows, { width, lead: columns, keep, collapseConstant: false }));
    }
    const other = agg.rows.filter((r) => typeof r.currency !== 'string');
    if (other.length > 0) lines.push('', renderTable(other, { width, lead: columns, keep, collapseConstant: false }));
  } else if (agg.group_by.length > 0 || structured.summary) {
    lines.push('', renderTable(agg.rows, { width, lead: columns, keep, collapseConstant: false }));
  }
  if (agg.rows.length < agg.rows_total && !structured.summary) lines.push(`(${agg.rows.length} of ${agg.rows_total} groups shown)`);
  if (structured.summary) lines.push('', String(structured.summary.message));
  lines.push('', 'totals:', renderTable(agg.totals, { width, lead: ['currency', ...agg.metrics], collapseConstant: false }));
  lines.push(agg.note);
  if (structured.amounts) lines.push(structured.amounts);
  return lines.join('\n');
}

/** A list too large for a client: what was scanned and matched, the totals, and how to narrow. */
function renderSummary(structured: Structured, where: string, width: number | null): string {
  const summary = structured.summary as Structured;
  const matched = structured.matched ?? 0;
  const lines = [
    `${where} · ${n(matched)} ${nounFor(structured.object, matched)} matched${structured.has_more ? ' (more exist)' : ''}, too many to list (${n(structured.scanned)} scanned)`,
    `filters: ${filterText(structured.filters)}`,
  ];
  if (summary.oldest_created || summary.newest_created) lines.push(`created: ${summary.oldest_created ?? '?'} … ${summary.newest_created ?? '?'}`);
  if (Array.isArray(summary.totals) && summary.totals.length > 0) lines.push('totals:', renderTable(summary.totals, { width, lead: ['currency'], collapseConstant: false }));
  lines.push(String(summary.message));
  if (structured.next_cursor) lines.push(`next page: add "cursor":"${structured.next_cursor}"`);
  return lines.join('\n');
}
