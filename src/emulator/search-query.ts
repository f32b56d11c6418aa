/**
 * Stripe's Search Query Language (https://stripe.com/docs/search#search-query-language), parsed and evaluated.
 *
 *   clause  := ['-'] field op value
 *   field   := name ('.' name)* | 'metadata[' quoted ']'
 *   op      := ':' | '~' | '>' | '<' | '>=' | '<='
 *   value   := 'single quoted' | "double quoted" | number | null
 *   query   := clause ((' AND ' | ' OR ' | ' ') clause)*      (AND and OR not mixed; a space means AND; ≤ 10 clauses)
 *
 * `:` is an exact, case-insensitive match; `~` a substring match (≥ 3 characters); comparisons work on numeric
 * fields (amounts, timestamps). `field:null` matches an empty field; `-field:null` a present one.
 */

export type SearchOperator = ':' | '~' | '>' | '<' | '>=' | '<=';

export interface SearchClause {
  /** Dotted field name, or 'metadata' with metadataKey set. */
  field: string;
  metadataKey?: string;
  negated: boolean;
  operator: SearchOperator;
  /** null = the `null` keyword. Numbers stay strings until the field's type is known. */
  value: string | null;
  quoted: boolean;
}

export interface SearchQuery {
  combinator: 'AND' | 'OR';
  clauses: SearchClause[];
}

export class SearchQueryError extends Error {}

export const MAX_CLAUSES = 10;

export function parseSearchQuery(input: string): SearchQuery {
  const s = input;
  let i = 0;
  const clauses: SearchClause[] = [];
  const joins: Array<'AND' | 'OR'> = [];
  const fail = (why: string): never => {
    throw new SearchQueryError(why);
  };
  const skipSpaces = (): number => {
    const from = i;
    while (i < s.length && /\s/.test(s[i] as string)) i++;
    return i - from;
  };
  const readQuoted = (): string => {
    const q = s[i] as string;
    i++;
    let out = '';
    while (i < s.length && s[i] !== q) {
      if (s[i] === '\\' && i + 1 < s.length) {
        out += s[i + 1];
        i += 2;
      } else {
        out += s[i];
        i++;
      }
    }
    if (i >= s.length) fail(`unterminated string starting at position ${out.length ? i - out.length - 1 : i - 1}`);
    i++; // closing quote
    return out;
  };

  skipSpaces();
  if (i >= s.length) fail('the query is empty');
  for (;;) {
    // clause
    let negated = false;
    if (s[i] === '-') {
      negated = true;
      i++;
    }
    const fieldMatch = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(s.slice(i));
    if (!fieldMatch) fail(`expected a field name at position ${i}`);
    let field = (fieldMatch as RegExpExecArray)[0];
    i += field.length;
    let metadataKey: string | undefined;
    if (s[i] === '[') {
      if (field !== 'metadata') fail(`only metadata supports [key] (at position ${i})`);
      i++;
      if (s[i] !== "'" && s[i] !== '"') fail(`expected a quoted metadata key at position ${i}`);
      metadataKey = readQuoted();
      if (s[i] !== ']') fail(`expected ] at position ${i}`);
      i++;
    } else if (field === 'metadata') {
      fail("metadata must be followed by a key, e.g. metadata['order_id']");
    } else if (field.startsWith('metadata.')) {
      metadataKey = field.slice('metadata.'.length);
      field = 'metadata';
    }
    const opMatch = /^(>=|<=|:|~|>|<)/.exec(s.slice(i));
    if (!opMatch) fail(`expected an operator (:, ~, >, <, >=, <=) after ${field} at position ${i}`);
    const operator = (opMatch as RegExpExecArray)[1] as SearchOperator;
    i += operator.length;
    let value: string | null;
    let quoted = false;
    if (s[i] === "'" || s[i] === '"') {
      value = readQuoted();
      quoted = true;
    } else {
      const bare = /^[^\s'"()]+/.exec(s.slice(i));
      if (!bare) fail(`expected a value after ${field}${operator} at position ${i}`);
      const raw = (bare as RegExpExecArray)[0];
      i += raw.length;
      if (raw === 'null') value = null;
      else if (/^-?\d+(\.\d+)?$/.test(raw) || raw === 'true' || raw === 'false') value = raw;
      else fail(`string values must be quoted: ${raw}`);
      value = raw === 'null' ? null : raw;
    }
    clauses.push({ field, ...(metadataKey !== undefined ? { metadataKey } : {}), negated, operator, value, quoted });

    const spaces = skipSpaces();
    if (i >= s.length) break;
    if (s[i] === '(' || s[i] === ')') fail('parentheses are not supported');
    const rest = s.slice(i);
    const kw = /^(AND|OR)(?=\s)/.exec(rest);
    if (kw) {
      joins.push(kw[1] as 'AND' | 'OR');
      i += (kw[1] as string).length;
      skipSpaces();
      if (i >= s.length) fail(`the query ends with ${kw[1]}`);
    } else if (spaces > 0) {
      joins.push('AND');
    } else {
      fail(`unexpected character '${s[i]}' at position ${i}`);
    }
  }
  if (clauses.length > MAX_CLAUSES) throw new SearchQueryError(`a query may have at most ${MAX_CLAUSES} clauses, this one has ${clauses.length}`);
  const hasAnd = joins.includes('AND');
  const hasOr = joins.includes('OR');
  if (hasAnd && hasOr) throw new SearchQueryError('AND and OR cannot be combined in the same query');
  return { combinator: hasOr ? 'OR' : 'AND', clauses };
}

// ----------------------------------------------------------------------------------------------------------------
// Evaluation

export type SearchFieldType = 'string' | 'number' | 'boolean' | 'metadata';

export interface SearchField<T> {
  type: SearchFieldType;
  get(o: T): unknown;
}

export type SearchFields<T> = Record<string, SearchField<T>>;

/** Thrown for a query that parses but does not fit the resource (unknown field, bad operator for the type). */
export class SearchFieldError extends Error {}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

export function compileSearch<T>(q: SearchQuery, fields: SearchFields<T>, resource: string): (o: T) => boolean {
  const tests = q.clauses.map((c) => compileClause(c, fields, resource));
  if (q.combinator === 'OR') return (o) => tests.some((t) => t(o));
  return (o) => tests.every((t) => t(o));
}

function compileClause<T>(c: SearchClause, fields: SearchFields<T>, resource: string): (o: T) => boolean {
  const f = fields[c.field];
  if (!f) {
    throw new SearchFieldError(
      `Field \`${c.field}\` is an unsupported search field for resource \`${resource}\`. See http://stripe.com/docs/search#query-fields-for-${resource.replace(/_/g, '-')} for a list of supported fields.`,
    );
  }
  const comparison = c.operator === '>' || c.operator === '<' || c.operator === '>=' || c.operator === '<=';
  if (c.operator === '~' && (c.value === null || c.value.length < 3)) {
    throw new SearchFieldError(`Substring search (~) on \`${c.field}\` needs a value of at least 3 characters.`);
  }
  if (c.operator === '~' && f.type !== 'string' && f.type !== 'metadata') {
    throw new SearchFieldError(`The ~ operator is not supported on \`${c.field}\`, which is not a text field.`);
  }
  if (comparison && f.type !== 'number') {
    throw new SearchFieldError(`The ${c.operator} operator is only supported on numeric fields; \`${c.field}\` is not numeric.`);
  }
  if (comparison && (c.value === null || !/^-?\d+(\.\d+)?$/.test(c.value))) {
    throw new SearchFieldError(`The ${c.operator} operator on \`${c.field}\` needs a number.`);
  }
  const key = c.metadataKey;
  const read = (o: T): unknown => {
    const v = f.get(o);
    if (f.type === 'metadata') {
      const md = (v ?? {}) as Record<string, string>;
      return key === undefined ? undefined : md[key];
    }
    return v;
  };
  let test: (o: T) => boolean;
  if (c.value === null) {
    test = (o) => isEmpty(read(o));
  } else if (comparison) {
    const n = Number(c.value);
    const op = c.operator;
    test = (o) => {
      const v = read(o);
      if (typeof v !== 'number') return false;
      return op === '>' ? v > n : op === '<' ? v < n : op === '>=' ? v >= n : v <= n;
    };
  } else if (c.operator === '~') {
    const needle = c.value.toLowerCase();
    test = (o) => {
      const v = read(o);
      return typeof v === 'string' && v.toLowerCase().includes(needle);
    };
  } else if (f.type === 'number') {
    if (!/^-?\d+(\.\d+)?$/.test(c.value)) throw new SearchFieldError(`\`${c.field}\` is numeric; '${c.value}' is not a number.`);
    const n = Number(c.value);
    test = (o) => read(o) === n;
  } else if (f.type === 'boolean') {
    const want = c.value.toLowerCase();
    if (want !== 'true' && want !== 'false') throw new SearchFieldError(`\`${c.field}\` is a boolean; use 'true' or 'false'.`);
    test = (o) => String(read(o)) === want;
  } else {
    const want = c.value.toLowerCase();
    test = (o) => {
      const v = read(o);
      return typeof v === 'string' ? v.toLowerCase() === want : typeof v === 'number' ? String(v) === want : false;
    };
  }
  return c.negated ? (o) => !test(o) : test;
}
