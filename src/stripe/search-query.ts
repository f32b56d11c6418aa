/**
 * Stripe's Search Query Language, as Stripe parses it: the query fields of each searchable resource and what each
 * allows, the parser, and the checks Stripe applies before it runs a query. Written once: the `search` tool checks
 * queries with it before sending them, and the emulator parses with it and evaluates what it returns.
 *
 * Source: https://docs.stripe.com/search ("Search query language" and "Supported query fields for each resource").
 *   clause  := ['-'] field op value          field   := name ('.' name)* | metadata["key"] | metadata['key']
 *   op      := ':' | '~' | '>' | '<' | '>=' | '<='
 *   value   := "double quoted" | 'single quoted' | number | null   (quotes required around strings; \ escapes a quote)
 *   query   := clause ((' AND ' | ' OR ' | ' ') clause)*           (AND/OR case-insensitive, never mixed; ≤ 10 clauses)
 * Field types: token (exact match, case-insensitive), string (exact match and `~` substring, ≥ 3 characters),
 * numeric (exact match and > < >= <=). `field:null` (null case-insensitive) tests emptiness; `-` negates a clause.
 */

/** Stripe's three query-field types (docs.stripe.com/search, "Field types, substring matching, and numeric comparators"). */
export type SearchFieldType = 'token' | 'string' | 'numeric';

export interface SearchFieldRule {
  type: SearchFieldType;
  /** The only values Stripe documents for the field (disputed: "accepts only the tokens true and false"). */
  values?: readonly string[];
}

const TOKEN: SearchFieldRule = { type: 'token' };
const STRING: SearchFieldRule = { type: 'string' };
const NUMERIC: SearchFieldRule = { type: 'numeric' };
const TRUE_FALSE: SearchFieldRule = { type: 'token', values: ['true', 'false'] };

/** payment_method_details.{{SOURCE}}.…: "For SOURCE, use card, card_present, or interac_present." */
const CARD_SOURCES = ['card', 'card_present', 'interac_present'] as const;
const CARD_FIELDS = ['brand', 'exp_month', 'exp_year', 'fingerprint', 'last4'] as const;
const cardFields = (): Record<string, SearchFieldRule> =>
  Object.fromEntries(CARD_SOURCES.flatMap((s) => CARD_FIELDS.map((f) => [`payment_method_details.${s}.${f}`, TOKEN])));

/** Stripe's query-field tables, per resource (docs.stripe.com/search#supported-query-fields-for-each-resource). */
export const SEARCH_FIELDS = {
  customers: { created: NUMERIC, email: STRING, metadata: TOKEN, name: STRING, phone: STRING },
  charges: {
    amount: NUMERIC,
    'billing_details.address.postal_code': TOKEN,
    created: NUMERIC,
    currency: TOKEN,
    customer: TOKEN,
    disputed: TRUE_FALSE,
    metadata: TOKEN,
    ...cardFields(),
    // refunded:"true" = fully refunded, "false" = partially refunded, refunded:null = not refunded.
    refunded: TRUE_FALSE,
    status: TOKEN,
  },
  invoices: {
    created: NUMERIC,
    currency: TOKEN,
    customer: TOKEN,
    metadata: TOKEN,
    number: STRING,
    receipt_number: STRING,
    status: STRING,
    subscription: STRING,
    total: NUMERIC,
  },
  payment_intents: { amount: NUMERIC, created: NUMERIC, currency: TOKEN, customer: TOKEN, metadata: TOKEN, status: TOKEN },
  prices: { active: TRUE_FALSE, currency: TOKEN, lookup_key: STRING, metadata: TOKEN, product: STRING, type: TOKEN },
  products: { active: TRUE_FALSE, description: STRING, metadata: TOKEN, name: STRING, shippable: TRUE_FALSE, url: STRING },
  subscriptions: { created: NUMERIC, metadata: TOKEN, status: TOKEN },
} satisfies Record<string, Record<string, SearchFieldRule>>;

export type SearchResource = keyof typeof SEARCH_FIELDS;
export const SEARCH_RESOURCES = Object.keys(SEARCH_FIELDS) as [SearchResource, ...SearchResource[]];

export function isSearchResource(name: string): name is SearchResource {
  return Object.hasOwn(SEARCH_FIELDS, name);
}

export function searchFieldsOf(resource: SearchResource): Record<string, SearchFieldRule> {
  return SEARCH_FIELDS[resource];
}

export const MAX_CLAUSES = 10;
export const MIN_SUBSTRING = 3;

// ----------------------------------------------------------------------------------------------------------------
// Errors

/**
 * A query Stripe refuses. `message` is what Stripe answers (its own words where known, otherwise words in its
 * style that say exactly what is wrong); `detail` says what is wrong and what is allowed instead, for our tool.
 */
export class SearchSyntaxError extends Error {
  override name = 'SearchSyntaxError';
  constructor(
    message: string,
    readonly detail: string,
    /** The field the refusal is about; absent when it is about the query as a whole. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The language in one line, for refusals about the query as a whole. */
export const SEARCH_SYNTAX =
  "field:'value' (exact), field~'abc' (contains, 3+ characters, text fields), amount>1000 or created>1700000000 (numeric fields), -field:'x' (not), field:null (empty), metadata['key']:'value'; up to 10 clauses joined by AND or OR (not both)";

/** Stripe's answer to a query it cannot parse (as stripe-ruby-mock's live tests against Stripe record it). */
export const UNPARSABLE_QUERY =
  'We were unable to parse your search query. Try using the format `metadata["key"]:"value"` to query for metadata or key:"value" to query for other fields.';

const unparsable = (detail: string): never => {
  throw new SearchSyntaxError(UNPARSABLE_QUERY, detail);
};

// ----------------------------------------------------------------------------------------------------------------
// Parsing

export type SearchOperator = ':' | '~' | '>' | '<' | '>=' | '<=';

export interface SearchClause {
  /** Dotted field name, or 'metadata' with metadataKey set. */
  field: string;
  metadataKey?: string;
  negated: boolean;
  operator: SearchOperator;
  /** null = the `null` keyword. */
  value: string | null;
  quoted: boolean;
}

export interface SearchQuery {
  combinator: 'AND' | 'OR';
  clauses: SearchClause[];
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;

class Reader {
  i = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.i >= this.s.length;
  }
  peek(): string {
    return this.s[this.i] ?? '';
  }
  skipSpaces(): number {
    const from = this.i;
    while (!this.done && /\s/.test(this.peek())) this.i++;
    return this.i - from;
  }
  match(re: RegExp): string | undefined {
    const m = re.exec(this.s.slice(this.i));
    if (!m) return undefined;
    this.i += m[0].length;
    return m[0];
  }
  quoted(): string {
    const quote = this.peek();
    const start = this.i;
    this.i++;
    let out = '';
    while (!this.done && this.peek() !== quote) {
      if (this.peek() === '\\' && this.i + 1 < this.s.length) this.i++;
      out += this.peek();
      this.i++;
    }
    if (this.done) unparsable(`the string starting at position ${start} has no closing ${quote}`);
    this.i++;
    return out;
  }
}

function readClause(r: Reader): SearchClause {
  const negated = r.peek() === '-';
  if (negated) r.i++;
  const at = r.i;
  const field = r.match(/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/);
  if (!field) return unparsable(`expected a field name at position ${at}, e.g. status:'active'`);
  let metadataKey: string | undefined;
  if (field === 'metadata' || field.startsWith('metadata.')) {
    const form = "metadata needs its key in brackets and quotes: metadata['key']:'value'";
    if (field !== 'metadata' || r.peek() !== '[') return unparsable(form);
    r.i++;
    if (r.peek() !== '"' && r.peek() !== "'") return unparsable(form);
    metadataKey = r.quoted();
    if (r.peek() !== ']') return unparsable(form);
    r.i++;
  } else if (r.peek() === '[') {
    return unparsable(`only metadata takes a [key], not ${field}`);
  }
  const operator = r.match(/^(?:>=|<=|:|~|>|<)/) as SearchOperator | undefined;
  if (!operator) return unparsable(`expected an operator (:, ~, >, <, >=, <=) right after ${field} at position ${r.i}`);
  let value: string | null;
  let quoted = false;
  if (r.peek() === '"' || r.peek() === "'") {
    value = r.quoted();
    quoted = true;
  } else {
    const bare = r.match(/^[^\s'"()]+/);
    if (bare === undefined) return unparsable(`expected a value right after ${field}${operator} at position ${r.i}`);
    if (bare.toLowerCase() === 'null') value = null;
    else if (NUMBER.test(bare)) value = bare;
    else return unparsable(`text values must be quoted: ${field}${operator}'${bare}' (only numbers and null go without quotes)`);
  }
  return { field, ...(metadataKey !== undefined ? { metadataKey } : {}), negated, operator, value, quoted };
}

/** Parses a query as Stripe does (syntax only; checkSearchQuery also applies the resource's field rules). */
export function parseSearchQuery(input: string): SearchQuery {
  const r = new Reader(input);
  const clauses: SearchClause[] = [];
  const joins = new Set<'AND' | 'OR'>();
  r.skipSpaces();
  if (r.done) unparsable('the query is empty');
  for (;;) {
    if (r.peek() === '(' || r.peek() === ')') unparsable('parentheses are not part of the query language');
    clauses.push(readClause(r));
    const spaces = r.skipSpaces();
    if (r.done) break;
    if (r.peek() === '(' || r.peek() === ')') unparsable('parentheses are not part of the query language');
    const keyword = spaces > 0 ? r.match(/^(?:and|or)(?=\s)/i) : undefined;
    if (keyword) {
      joins.add(keyword.toUpperCase() as 'AND' | 'OR');
      r.skipSpaces();
      if (r.done) unparsable(`the query ends with ${keyword}`);
    } else if (spaces > 0) {
      joins.add('AND');
    } else {
      unparsable(`unexpected ${JSON.stringify(r.peek())} at position ${r.i}; separate clauses with a space, AND or OR`);
    }
  }
  if (joins.has('AND') && joins.has('OR')) {
    throw new SearchSyntaxError(
      'Search queries cannot combine `AND` and `OR`: join all clauses with one of them.',
      'AND and OR cannot be combined in one query (a space counts as AND): join every clause with AND, or every clause with OR, and run separate searches for the rest',
    );
  }
  if (clauses.length > MAX_CLAUSES) {
    throw new SearchSyntaxError(
      `Search queries can have at most ${MAX_CLAUSES} clauses; this one has ${clauses.length}.`,
      `a query may have at most ${MAX_CLAUSES} clauses, this one has ${clauses.length}`,
    );
  }
  return { combinator: joins.has('OR') ? 'OR' : 'AND', clauses };
}

// ----------------------------------------------------------------------------------------------------------------
// The resource's field rules

function docsAnchor(resource: SearchResource): string {
  return `http://stripe.com/docs/search#query-fields-for-${resource.replace(/_/g, '-')}`;
}

/** What a field allows, in query form: "currency:'value' or currency:null (exact only)". */
export function allowedOn(resource: SearchResource, field: string): string {
  const rule = searchFieldsOf(resource)[field];
  if (!rule) return `${resource} has no field ${field}; its fields (~ also contains, # also compares): ${describeSearchFields(resource)}`;
  const name = field === 'metadata' ? "metadata['key']" : field;
  const exact = rule.values ? rule.values.map((v) => `${name}:'${v}'`).join(', ') : `${name}:'value'`;
  const what =
    rule.type === 'numeric'
      ? `${name}:1000 or ${name}>1000 (also <, >=, <=)`
      : rule.type === 'string'
        ? `${exact} (words in that order) or ${name}~'part' (${MIN_SUBSTRING}+ characters)`
        : `${exact} (exact match only)`;
  return `${field} on ${resource} takes ${what}, ${name}:null for empty, and - to negate`;
}

function checkClause(resource: SearchResource, c: SearchClause): void {
  const rule = searchFieldsOf(resource)[c.field];
  const allowed = (): string => allowedOn(resource, c.field);
  const refuse = (message: string): never => {
    throw new SearchSyntaxError(message, allowed(), c.field);
  };
  if (!rule) {
    throw new SearchSyntaxError(
      `Field \`${c.field}\` is an unsupported search field for resource \`${resource}\`. See ${docsAnchor(resource)} for a list of supported fields.`,
      allowed(),
      c.field,
    );
  }
  const comparison = c.operator !== ':' && c.operator !== '~';
  if (c.value === null) {
    if (c.operator !== ':') refuse(`\`null\` can only be used with the \`:\` operator (\`${c.field}:null\`).`);
    return;
  }
  if (c.operator === '~') {
    if (rule.type !== 'string') refuse(`Field \`${c.field}\` does not support substring matching (\`~\`) for resource \`${resource}\`.`);
    if ([...c.value].length < MIN_SUBSTRING) refuse(`Substring matching (\`~\`) on \`${c.field}\` needs at least ${MIN_SUBSTRING} characters, got '${c.value}'.`);
    return;
  }
  if (comparison && rule.type !== 'numeric') {
    refuse(`Field \`${c.field}\` does not support the \`${c.operator}\` operator for resource \`${resource}\`: only numeric fields support \`>\`, \`<\`, \`>=\` and \`<=\`.`);
  }
  if (rule.type === 'numeric' && !NUMBER.test(c.value)) refuse(`Field \`${c.field}\` is numeric; '${c.value}' is not a number.`);
  if (rule.values && !rule.values.includes(c.value.toLowerCase())) {
    refuse(`Field \`${c.field}\` accepts only ${rule.values.map((v) => `"${v}"`).join(' or ')}${c.field === 'refunded' ? ' (or null)' : ''}; got '${c.value}'.`);
  }
}

/** Parses a query and applies the resource's field rules, as Stripe does before running it. */
export function checkSearchQuery(resource: SearchResource, input: string): SearchQuery {
  const q = parseSearchQuery(input);
  for (const c of q.clauses) checkClause(resource, c);
  return q;
}

/** What is wrong with a query for the resource, as Stripe would refuse it; undefined when Stripe accepts it. */
export function searchQueryProblem(resource: SearchResource, input: string): SearchSyntaxError | undefined {
  try {
    checkSearchQuery(resource, input);
    return undefined;
  } catch (e) {
    if (e instanceof SearchSyntaxError) return e;
    throw e;
  }
}

// ----------------------------------------------------------------------------------------------------------------
// Short descriptions for the tool

/** payment_method_details.card.brand … → payment_method_details.{card,card_present,interac_present}.{brand,…}. */
function collapse(names: string[]): string[] {
  const byParent = new Map<string, string[]>();
  const out: string[] = [];
  for (const n of names) {
    const dot = n.lastIndexOf('.');
    if (dot < 0 || !n.startsWith('payment_method_details.')) {
      out.push(n);
      continue;
    }
    const parent = n.slice(0, dot);
    byParent.set(parent, [...(byParent.get(parent) ?? []), n.slice(dot + 1)]);
  }
  const bySuffix = new Map<string, string[]>();
  for (const [parent, leaves] of byParent) {
    const dot = parent.lastIndexOf('.');
    const key = `${parent.slice(0, dot)}|${leaves.join(',')}`;
    bySuffix.set(key, [...(bySuffix.get(key) ?? []), parent.slice(dot + 1)]);
  }
  for (const [key, middles] of bySuffix) {
    const [grand, leaves] = key.split('|') as [string, string];
    out.push(`${grand}.{${middles.join(',')}}.{${leaves}}`);
  }
  return out;
}

/** "created#, email~, metadata, name~, phone~": ~ allows substring, # allows comparisons, others exact only. */
export function describeSearchFields(resource: SearchResource): string {
  const fields = searchFieldsOf(resource);
  const mark = (name: string): string => {
    const rule = fields[name] ?? fields[`${name.replace(/\{([^,}]+)[^}]*\}/g, '$1')}`];
    return name + (rule?.type === 'string' ? '~' : rule?.type === 'numeric' ? '#' : '');
  };
  return collapse(Object.keys(fields)).map(mark).join(', ');
}
