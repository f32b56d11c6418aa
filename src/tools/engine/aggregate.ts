/**
 * Server-side aggregation for the list tools: group_by (one or two fields or time buckets), metrics (count and
 * sum/avg/min/max of money fields), order_by and top, computed while the pages stream by. Memory holds one entry
 * per group, never the objects. Money is summed exactly in minor units and always kept per currency.
 */
import type Stripe from 'stripe';
import { z } from 'zod';
import type { Facets } from '../../stripe/compact/facets.js';
import { ToolInputError } from '../../stripe/errors.js';
import { formatMinorUnits } from '../../stripe/money.js';
import type { UnixRange } from '../../stripe/time.js';
import { Bucketer, checkTimeZone, TIME_UNITS, type TimeUnit } from './buckets.js';
import { divideRounded, ExactSum } from './exact-sum.js';

export const MONEY_OPS = ['sum', 'avg', 'min', 'max'] as const;
type MoneyOp = (typeof MONEY_OPS)[number];

/** Most buckets filled in when a time range is known; a longer run of buckets is left sparse. */
const MAX_FILLED_BUCKETS = 400;
export const MAX_TOP = 1000;

/**
 * The aggregation arguments as one resource takes them, with the names its facets allow: the keys (enum), the money
 * fields (the metric pattern) and its dates. The aggregate tool checks a call against this before the resource's
 * list tool runs it, so a wrong name is refused with the names that resource has.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function aggregationSchema(facets: Facets<any>, resource: string) {
  const money = Object.keys(facets.money);
  const keys = [...Object.keys(facets.groups), ...TIME_UNITS];
  const dates = Object.keys(facets.dates);
  const metric = money.length ? new RegExp(`^(count|(${MONEY_OPS.join('|')}):(${money.join('|')}))$`) : /^count$/;
  const oneOf = (what: string, names: readonly string[]) => `${what} of ${resource}: ${names.join(', ')}`;
  return z.object({
    group_by: z.array(z.string().refine((k) => keys.includes(k), oneOf('must be a key', keys))).max(2).refine((list) => list.length >= 1, 'must name 1 or 2 keys').optional(),
    metrics: z
      .array(z.string().regex(metric, money.length ? `must be count or sum:/avg:/min:/max: of a money field of ${resource}: ${money.join(', ')}` : `must be count (${resource} have no money fields)`))
      .refine((list) => list.length >= 1 && list.length <= 10, 'must name 1 to 10 metrics')
      .optional(),
    date_field: z.string().refine((d) => dates.includes(d), oneOf('must be a date', dates)).optional(), // the Aggregator defaults to the first
  });
}

/**
 * What the aggregate tool says of one resource, in one line: its group_by keys, money fields (with what a derived
 * one means) and dates, e.g. "charges: customer, status, …; money amount, net_of_refunds [amount − refunded]; dates created".
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function facetsLine(facets: Facets<any>, resource: string): string {
  const derived = facets.derived ?? {};
  const money = Object.keys(facets.money).map((f) => (derived[f] ? `${f} [${derived[f]}]` : f));
  const dates = Object.keys(facets.dates);
  return `${resource}: ${Object.keys(facets.groups).join(', ')}${money.length ? `; money ${money.join(', ')}` : ''}${dates.length > 1 ? `; dates ${dates.join(', ')}` : ''}`;
}

export interface AggregateArgs {
  group_by?: string[] | undefined;
  metrics?: string[] | undefined;
  date_field?: string | undefined;
  timezone?: string | undefined;
  order_by?: string | undefined;
  order?: 'asc' | 'desc' | undefined;
  top?: number | undefined;
}

export function wantsAggregate(args: AggregateArgs): boolean {
  return args.group_by !== undefined || args.metrics !== undefined;
}

interface Metric {
  name: string;
  op: 'count' | MoneyOp;
  /** Index into the money fields accumulated. */
  field: number;
}

interface FieldAccumulator {
  sum: ExactSum;
  n: number;
  min: number;
  max: number;
}

interface Group {
  keys: Array<string | null>;
  currency: string | null;
  count: number;
  fields: FieldAccumulator[];
  /** Grouped by price, from the price the objects carry: its name and product. */
  price?: PriceLabel;
}

interface PriceLabel {
  name: string;
  product: string | null;
}

/** A price as people name it: its nickname, else its amount and interval ("15.00 USD/month", "99.00 EUR once"). */
export function priceName(price: Stripe.Price): string {
  if (price.nickname) return price.nickname;
  const currency = price.currency.toUpperCase();
  const amount = price.unit_amount !== null ? `${formatMinorUnits(price.unit_amount, price.currency)} ${currency}` : price.billing_scheme === 'tiered' ? `tiered ${currency}` : `custom amount ${currency}`;
  const r = price.recurring;
  if (!r) return `${amount} once`;
  return `${amount}/${r.interval_count > 1 ? `${r.interval_count} ${r.interval}s` : r.interval}`;
}

type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface AggregateResult {
  group_by: string[];
  metrics: string[];
  date_field: string | null;
  timezone: string | null;
  order_by: string | null;
  order: 'asc' | 'desc' | null;
  top: number | null;
  rows: Row[];
  rows_total: number;
  totals: Row[];
  note: string;
}

const newField = (): FieldAccumulator => ({ sum: new ExactSum(), n: 0, min: Infinity, max: -Infinity });

/** Streams objects into groups. `add` is called once per object; `result` at the end. */
export class Aggregator<T> {
  private readonly groups = new Map<string, Group>();
  private readonly totals = new Map<string, Group>();
  private readonly keyFns: Array<(o: T) => string | null>;
  private readonly moneyFns: Array<(o: T) => number | null | undefined>;
  private readonly moneyNames: string[];
  private readonly metrics: Metric[];
  private readonly splitByCurrency: boolean;
  private readonly groupBy: string[];
  private readonly carriedPrice: ((o: T) => Stripe.Price | null | undefined) | undefined;
  private timeKey: { unit: TimeUnit; bucketer: Bucketer } | null = null;
  readonly dateField: string;
  readonly timeZone: string;

  constructor(
    private readonly facets: Facets<T>,
    private readonly args: AggregateArgs,
  ) {
    this.groupBy = args.group_by ?? [];
    this.carriedPrice = this.groupBy.includes('price') ? facets.carriedPrice : undefined;
    if (new Set(this.groupBy).size !== this.groupBy.length) throw new ToolInputError('group_by: name each key once.');
    this.dateField = args.date_field ?? Object.keys(facets.dates)[0] ?? 'created';
    this.timeZone = checkTimeZone(args.timezone ?? 'UTC');
    const dateOf = facets.dates[this.dateField];
    if (!dateOf) throw new ToolInputError(`date_field: "${this.dateField}" is not a date of this object (${Object.keys(facets.dates).join(', ')}).`);

    const names = args.metrics ?? (this.groupBy.length ? ['count', ...facets.defaultSums.map((f) => `sum:${f}`)] : ['count']);
    if (new Set(names).size !== names.length) throw new ToolInputError('metrics: name each metric once.');
    this.moneyNames = [];
    this.metrics = names.map((name) => {
      if (name === 'count') return { name, op: 'count', field: -1 };
      const [op, field] = name.split(':') as [MoneyOp, string];
      if (!MONEY_OPS.includes(op) || !facets.money[field]) throw new ToolInputError(`metrics: "${name}" is not a metric of this object.`);
      let index = this.moneyNames.indexOf(field);
      if (index < 0) index = this.moneyNames.push(field) - 1;
      return { name, op, field: index };
    });
    this.moneyFns = this.moneyNames.map((f) => facets.money[f]!);
    this.splitByCurrency = this.moneyNames.length > 0;

    let buckets = 0;
    this.keyFns = this.groupBy.map((key) => {
      if ((TIME_UNITS as readonly string[]).includes(key)) {
        if (++buckets > 1) throw new ToolInputError('group_by: use at most one time bucket (day, week, month, quarter or year).');
        const bucketer = new Bucketer(key as TimeUnit, this.timeZone);
        this.timeKey = { unit: key as TimeUnit, bucketer };
        return (o: T) => {
          const at = dateOf(o);
          return typeof at === 'number' ? bucketer.label(at) : null;
        };
      }
      const get = facets.groups[key];
      if (!get) throw new ToolInputError(`group_by: "${key}" is not a field of this object that can be grouped.`);
      return (o: T) => get(o) ?? null;
    });

    if (args.order_by !== undefined || args.top !== undefined) {
      if (this.groupBy.length === 0) throw new ToolInputError('order_by and top rank rows: give group_by too (e.g. group_by ["customer"]).');
    }
    if (args.order_by !== undefined && !names.includes(args.order_by) && !this.groupBy.includes(args.order_by) && !(args.order_by === 'currency' && this.splitByCurrency)) {
      throw new ToolInputError(`order_by: "${args.order_by}" must be one of the metrics (${names.join(', ')}) or group_by keys (${this.groupBy.join(', ')}).`);
    }
  }

  add(object: T): void {
    const currency = this.splitByCurrency ? (this.facets.currency(object) ?? null) : null;
    let key = currency ?? '';
    const values: Array<string | null> = [];
    for (const fn of this.keyFns) {
      const value = fn(object);
      values.push(value);
      key += `\u001f${value ?? '\u0000'}`;
    }
    this.addTo(this.groups, key, values, currency, object, this.carriedPrice);
    if (this.keyFns.length > 0) this.addTo(this.totals, currency ?? '', [], currency, object);
  }

  private addTo(map: Map<string, Group>, key: string, values: Array<string | null>, currency: string | null, object: T, carried?: (o: T) => Stripe.Price | null | undefined): void {
    let group = map.get(key);
    if (!group) {
      group = { keys: values, currency, count: 0, fields: this.moneyFns.map(newField) };
      const price = carried?.(object);
      if (price) group.price = { name: priceName(price), product: typeof price.product === 'string' ? price.product : (price.product?.id ?? null) };
      map.set(key, group);
    }
    group.count++;
    if (currency === null) return;
    for (let i = 0; i < this.moneyFns.length; i++) {
      const amount = this.moneyFns[i]!(object);
      if (amount === null || amount === undefined) continue;
      const acc = group.fields[i]!;
      acc.sum.add(amount);
      acc.n++;
      if (amount < acc.min) acc.min = amount;
      if (amount > acc.max) acc.max = amount;
    }
  }

  /** The table. `range` is the date_field range the filters covered, to show empty time buckets too. */
  result(range?: UnixRange & { field: string }): AggregateResult {
    const totals = [...(this.keyFns.length > 0 ? this.totals : this.groups).values()].sort((a, b) => compareText(a.currency, b.currency));
    const groups = this.keyFns.length > 0 ? [...this.groups.values()] : [];
    this.fillEmptyBuckets(groups, totals, range);
    const sorted = this.sort(groups);
    const top = this.args.top;
    let kept = sorted;
    if (top !== undefined) {
      const perCurrency = this.ranksWithinCurrency();
      const seen = new Map<string, number>();
      kept = sorted.filter((g) => {
        const bucket = perCurrency ? (g.currency ?? '') : '';
        const n = (seen.get(bucket) ?? 0) + 1;
        seen.set(bucket, n);
        return n <= top;
      });
    }
    const orderBy = this.args.order_by ?? (top !== undefined ? this.defaultRankMetric() : null);
    return {
      group_by: this.groupBy,
      metrics: this.metrics.map((m) => m.name),
      date_field: this.timeKey ? this.dateField : null,
      timezone: this.timeKey ? this.timeZone : null,
      order_by: orderBy,
      order: orderBy ? this.direction(orderBy) : null,
      top: top ?? null,
      // Without group_by the table is the totals themselves, one row per currency.
      rows: this.keyFns.length > 0 ? kept.map((g) => this.row(g)) : totals.map((g) => this.row(g, true)),
      rows_total: this.keyFns.length > 0 ? groups.length : totals.length,
      totals: totals.map((g) => this.row(g, true)),
      note: this.note(top),
    };
  }

  private note(top: number | undefined): string {
    const parts = [];
    if (this.splitByCurrency) parts.push('Money: exact decimals in major units, one row per currency; amounts in different currencies are never added together.');
    if (this.moneyNames.length) parts.push('avg is rounded to the currency\'s smallest unit; sum/min/max are exact.');
    if (top !== undefined) parts.push(this.ranksWithinCurrency() ? `Ranked within each currency: the top ${top} of each.` : `The top ${top} rows.`);
    if (this.timeKey) parts.push(`Time buckets of ${this.dateField} in ${this.timeZone}${this.timeKey.unit === 'week' ? ' (ISO weeks, labelled by their Monday)' : ''}.`);
    parts.push('totals cover every matching object (before top).');
    return parts.join(' ');
  }

  private defaultRankMetric(): string {
    return (this.metrics.find((m) => m.op === 'sum') ?? this.metrics.find((m) => m.op !== 'count') ?? this.metrics[0]!).name;
  }

  private ranksWithinCurrency(): boolean {
    const orderBy = this.args.order_by ?? (this.args.top !== undefined ? this.defaultRankMetric() : undefined);
    return this.splitByCurrency && orderBy !== undefined && orderBy.includes(':');
  }

  private direction(orderBy: string): 'asc' | 'desc' {
    return this.args.order ?? (this.metrics.some((m) => m.name === orderBy) ? 'desc' : 'asc');
  }

  private sort(groups: Group[]): Group[] {
    const byKeys = (a: Group, b: Group) => {
      for (let i = 0; i < a.keys.length; i++) {
        const c = compareText(a.keys[i] ?? null, b.keys[i] ?? null);
        if (c !== 0) return c;
      }
      return compareText(a.currency, b.currency);
    };
    const orderBy = this.args.order_by ?? (this.args.top !== undefined ? this.defaultRankMetric() : undefined);
    if (orderBy === undefined) return groups.sort(byKeys);
    const sign = this.direction(orderBy) === 'desc' ? -1 : 1;
    const metric = this.metrics.find((m) => m.name === orderBy);
    const keyIndex = this.groupBy.indexOf(orderBy);
    const perCurrency = this.ranksWithinCurrency();
    return groups.sort((a, b) => {
      if (perCurrency) {
        const c = compareText(a.currency, b.currency);
        if (c !== 0) return c;
      }
      let c: number;
      if (metric) c = compareValues(this.value(a, metric), this.value(b, metric));
      else if (keyIndex >= 0) c = compareText(a.keys[keyIndex] ?? null, b.keys[keyIndex] ?? null);
      else c = compareText(a.currency, b.currency);
      return c !== 0 ? sign * c : byKeys(a, b);
    });
  }

  /** Exact value of a metric for sorting: count, or minor units (bigint); null when there is none. */
  private value(g: Group, m: Metric): number | bigint | null {
    if (m.op === 'count') return g.count;
    const acc = g.fields[m.field]!;
    if (g.currency === null || acc.n === 0) return null;
    switch (m.op) {
      case 'sum':
        return acc.sum.value();
      case 'avg':
        return divideRounded(acc.sum.value(), BigInt(acc.n));
      case 'min':
        return acc.min;
      case 'max':
        return acc.max;
    }
  }

  private row(g: Group, totalsRow = false): Row {
    const row: Row = {};
    if (!totalsRow) {
      this.groupBy.forEach((key, i) => {
        row[key] = g.keys[i] ?? null;
        if (key !== 'price' || !g.price) return;
        // Named beside its id; its product too, so the product's name can follow (names.ts).
        row.price_name = g.price.name;
        if (!this.groupBy.includes('product') && g.price.product) row.product = g.price.product;
      });
    }
    if (this.splitByCurrency && !('currency' in row)) row.currency = g.currency;
    for (const m of this.metrics) {
      const v = this.value(g, m);
      if (m.op === 'count') row[m.name] = g.count;
      else if (m.op === 'sum' && g.currency !== null && v === null) row[m.name] = formatMinorUnits(0n, g.currency);
      else row[m.name] = v === null || g.currency === null ? null : formatMinorUnits(v, g.currency);
    }
    return row;
  }

  private fillEmptyBuckets(groups: Group[], totals: Group[], range?: UnixRange & { field: string }): void {
    if (!this.timeKey || this.groupBy.length !== 1 || !range || range.field !== this.dateField) return;
    if (range.gte === undefined || range.lt === undefined) return;
    const buckets = this.timeKey.bucketer.bucketsBetween(range.gte, range.lt, MAX_FILLED_BUCKETS);
    if (!buckets) return;
    const currencies = this.splitByCurrency ? totals.map((t) => t.currency) : [null];
    for (const currency of currencies) {
      const present = new Set(groups.filter((g) => g.currency === currency).map((g) => g.keys[0]));
      for (const bucket of buckets) {
        if (!present.has(bucket.label)) groups.push({ keys: [bucket.label], currency, count: 0, fields: this.moneyFns.map(newField) });
      }
    }
  }
}

function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1; // nulls last
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function compareValues(a: number | bigint | null, b: number | bigint | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
