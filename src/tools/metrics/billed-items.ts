/**
 * What each subscription billed, period by period, read from its invoices: a subscription shows only its current
 * items, but each invoice's subscription lines keep the price and quantity of the period they bill, and proration
 * lines date a change made inside a period (docs.stripe.com/api/invoice-line-item/object: `parent`,
 * `subscription_item_details.proration`, `pricing.price_details`, `period`). An invoice carries only the first
 * lines inline; the rest are paged from /v1/invoices/{id}/lines (docs.stripe.com/api/invoice-line-item/retrieve).
 *
 * States are kept per price (price id → quantity): a regular invoice sets the whole state from its period's start;
 * a proration line shifts it from its own period's start (a credit for unused time takes its quantity off the
 * price, a charge for remaining time puts its quantity on).
 */
import type Stripe from 'stripe';
import type { ToolContext } from '../define-tool.js';
import { AGGREGATE_SCAN_LIMIT } from '../engine/list.js';
import { PAGE_SIZE, ScanProgress, scanInOrder } from '../engine/scan.js';
import { ToolInputError } from '../../stripe/errors.js';
import { formatCount } from '../engine/output.js';

/** A subscription's items at a moment: price id → quantity. */
export type ItemState = Map<string, number>;

interface StateEvent {
  at: number;
  /** A regular invoice: the whole state. A proration: changes to the state before it. */
  kind: 'regular' | 'proration';
  delta: Map<string, number>;
}

/** What one line says about its price, for prices no subscription carries any more (valued from the line). */
export interface LinePrice {
  price: string;
  product: string | null;
  currency: string;
  unitAmountDecimal: string | null;
  periodStart: number;
  periodEnd: number;
}

const idOf = (ref: string | { id: string } | null | undefined) => (ref == null ? null : typeof ref === 'string' ? ref : ref.id);

/** The subscription a line bills and whether it is a proration; null for a line not of a subscription. */
function lineSubscription(line: Stripe.InvoiceLineItem): { subscription: string; proration: boolean } | null {
  const parent = line.parent;
  const details = parent?.subscription_item_details ?? parent?.invoice_item_details ?? null;
  const subscription = idOf(details?.subscription as string | { id: string } | null | undefined);
  if (!details || !subscription) return null;
  return { subscription, proration: details.proration === true };
}

export class BillingHistory {
  private readonly events = new Map<string, StateEvent[]>();
  readonly linePrices = new Map<string, LinePrice>();
  invoices = 0;

  /** Adds an invoice's lines; `isMetered` says which prices to leave out (usage is billed after the period). */
  addInvoice(invoice: Stripe.Invoice, lines: Stripe.InvoiceLineItem[], isMetered: (price: string) => boolean): void {
    if (invoice.status === 'void') return; // a voided invoice billed nothing
    this.invoices++;
    const regular = new Map<string, StateEvent>();
    for (const line of lines) {
      const of = lineSubscription(line);
      const price = line.pricing?.price_details?.price;
      if (!of || typeof price !== 'string' || isMetered(price)) continue;
      if (!this.linePrices.has(price)) {
        this.linePrices.set(price, {
          price,
          product: idOf(line.pricing?.price_details?.product as string | null | undefined),
          currency: line.currency,
          unitAmountDecimal: line.pricing?.unit_amount_decimal != null ? String(line.pricing.unit_amount_decimal) : null,
          periodStart: line.period.start,
          periodEnd: line.period.end,
        });
      }
      const quantity = line.quantity ?? 1;
      const at = line.period.start;
      if (of.proration) {
        // A credit (negative amount) for unused time takes the old quantity off; a charge for remaining time adds.
        const sign = line.amount < 0 ? -1 : 1;
        this.push(of.subscription, { at, kind: 'proration', delta: new Map([[price, sign * quantity]]) });
        continue;
      }
      const key = `${of.subscription}\u001f${at}`;
      let event = regular.get(key);
      if (!event) {
        regular.set(key, (event = { at, kind: 'regular', delta: new Map() }));
        this.push(of.subscription, event);
      }
      event.delta.set(price, (event.delta.get(price) ?? 0) + quantity);
    }
  }

  private push(subscription: string, event: StateEvent): void {
    let list = this.events.get(subscription);
    if (!list) this.events.set(subscription, (list = []));
    list.push(event);
  }

  /** Whether any invoice billed this subscription. */
  has(subscription: string): boolean {
    return (this.events.get(subscription)?.length ?? 0) > 0;
  }

  /** The items billed at `at`, or null when no invoice up to then says (before the first one read). */
  stateAt(subscription: string, at: number): ItemState | null {
    const list = this.events.get(subscription);
    if (!list) return null;
    // Regular invoices first at the same moment: a proration at a period's start changes what it billed.
    const ordered = [...list].filter((e) => e.at <= at).sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'regular' ? -1 : 1));
    let state: ItemState | null = null;
    for (const event of ordered) {
      if (event.kind === 'regular') state = new Map(event.delta);
      else {
        state ??= new Map();
        for (const [price, q] of event.delta) {
          const next = (state.get(price) ?? 0) + q;
          if (next > 0) state.set(price, next);
          else state.delete(price);
        }
      }
    }
    return state;
  }
}

/**
 * Reads the subscription invoices created since `since` (every status: a void one is skipped), paging the lines
 * an invoice does not carry inline.
 */
export async function readBillingHistory(ctx: ToolContext, since: number, isMetered: (price: string) => boolean): Promise<BillingHistory> {
  const history = new BillingHistory();
  const more: Stripe.Invoice[] = [];
  const progress = new ScanProgress(ctx, 'invoices');
  const scan = await scanInOrder<Stripe.Invoice>({
    ctx,
    progress,
    maxScan: AGGREGATE_SCAN_LIMIT,
    pageSize: () => PAGE_SIZE,
    created: { gte: since },
    fetchPage: (page) => ctx.stripe.invoices.list({ ...page }),
    onItem: (invoice) => {
      if (!invoice.parent?.subscription_details) return true; // not a subscription's invoice
      if (invoice.lines.has_more) more.push(invoice);
      else history.addInvoice(invoice, invoice.lines.data, isMetered);
      return true;
    },
  });
  if (scan.capped) throw new ToolInputError(`More than ${formatCount(AGGREGATE_SCAN_LIMIT)} invoices: more than one call reads.`);
  for (const invoice of more) {
    const lines: Stripe.InvoiceLineItem[] = [];
    await scanInOrder<Stripe.InvoiceLineItem>({
      ctx,
      progress: new ScanProgress(ctx, `lines of ${invoice.id}`),
      maxScan: AGGREGATE_SCAN_LIMIT,
      pageSize: () => PAGE_SIZE,
      fetchPage: (page) => ctx.stripe.invoices.listLineItems(invoice.id!, { ...page }),
      onItem: (line) => {
        lines.push(line);
        return true;
      },
    });
    history.addInvoice(invoice, lines, isMetered);
  }
  return history;
}
