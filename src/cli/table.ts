/** Renders a tool result for a person at a terminal: a header line and a table of the listed objects. */

const MAX_CELL = 32;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const json = JSON.stringify(value);
    return json === '{}' || json === '[]' ? '' : json;
  }
  return String(value);
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/**
 * A plain-text table: a column per key set in at least one row, widths fitted to the content. When there are
 * more columns than fit, columns holding the same value in every row go first: they are told once below the table.
 */
export function renderTable(rows: Array<Record<string, unknown>>, maxColumns = 9): string {
  if (rows.length === 0) return '(no objects)';
  const columns: string[] = [];
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      if (!columns.includes(key) && cell(value) !== '') columns.push(key);
    }
  }
  const constant = (c: string) => rows.length > 1 && rows.every((r) => cell(r[c]) === cell(rows[0]![c]));
  const varying = columns.filter((c) => c === 'id' || !constant(c));
  const shown = (columns.length > maxColumns ? varying : columns).slice(0, maxColumns);
  const sameEverywhere = columns.filter((c) => !shown.includes(c) && constant(c));
  const hidden = columns.filter((c) => !shown.includes(c) && !sameEverywhere.includes(c));
  const widths = shown.map((c) => Math.min(MAX_CELL, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  const line = (values: string[]) => values.map((v, i) => clip(v, widths[i]!).padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(shown), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(shown.map((c) => cell(r[c]))))];
  if (sameEverywhere.length > 0) out.push(`(in every row: ${sameEverywhere.map((c) => `${c}=${clip(cell(rows[0]![c]), MAX_CELL)}`).join(', ')})`);
  if (hidden.length > 0) out.push(`(+${hidden.length} more fields: ${hidden.join(', ')}; use --json for everything)`);
  return out.join('\n');
}

/** "1 payment intent", "5 payment intents": Stripe's object names (all singular, snake_case) for people. */
function nounFor(object: unknown, count: number): string {
  if (typeof object !== 'string' || object === '') return count === 1 ? 'object' : 'objects';
  const words = object.replace(/_/g, ' ');
  return count === 1 || words.endsWith('s') ? words : `${words}s`;
}

/** Header, table or key/value lines, and the paging hint. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function renderResult(structured: Record<string, any>): string {
  const lines: string[] = [];
  const where = `connection ${structured.connection} · ${structured.mode} mode`;
  if (Array.isArray(structured.data)) {
    const count = structured.count ?? structured.data.length;
    lines.push(`${where} · ${count} ${nounFor(structured.resource ?? structured.object, count)}${structured.has_more ? ' (more available)' : ''}`);
    lines.push(renderTable(structured.data));
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
    if (Array.isArray(value) && value.every((v) => v && typeof v === 'object')) {
      lines.push(`${key}:`, renderTable(value as Array<Record<string, unknown>>));
    } else {
      lines.push(`${key}: ${cell(value)}`);
    }
  }
  return lines.join('\n');
}
