import { declaredKinds, type AnyTool } from './define-tool.js';
import { listCustomers } from './list-customers.js';
import { listCharges } from './list-charges.js';
import { listPaymentIntents } from './list-payment-intents.js';
import { listInvoices } from './list-invoices.js';
import { listSubscriptions } from './list-subscriptions.js';
import { listProducts } from './list-products.js';
import { listPrices } from './list-prices.js';
import { listRefunds } from './list-refunds.js';
import { listDisputes } from './list-disputes.js';
import { listPayouts } from './list-payouts.js';
import { listBalanceTransactions } from './list-balance-transactions.js';
import { listCoupons } from './list-coupons.js';
import { listPromotionCodes } from './list-promotion-codes.js';
import { listEvents } from './list-events.js';
import { getBalance } from './get-balance.js';
import { search } from './search.js';
import { getMrr } from './get-mrr.js';
import { getChurn } from './get-churn.js';
import { defineFetch } from './fetch.js';

/**
 * The tools that list one kind of Stripe object, each declaring that kind beside its name (`returns`). Adding one
 * means its file and one line here: fetch, plain-text search, Dashboard links, errors, `connections test` and the
 * README's tables follow from the declaration (test/tools/declarations.test.ts holds them to it).
 */
const LIST_TOOLS = [
  listCustomers,
  listCharges,
  listPaymentIntents,
  listInvoices,
  listSubscriptions,
  listProducts,
  listPrices,
  listRefunds,
  listDisputes,
  listPayouts,
  listBalanceTransactions,
  listCoupons,
  listPromotionCodes,
  listEvents,
] as const satisfies readonly AnyTool[];

/** Every object kind a tool returns, in the tools' order: what fetch and the plain-text search can open. */
export const OBJECT_KINDS = declaredKinds(LIST_TOOLS);

/** The catalogue, in the order tools/list shows it. */
export const TOOLS = [...LIST_TOOLS, getBalance, getMrr, getChurn, search, defineFetch(OBJECT_KINDS)] as const satisfies readonly AnyTool[];
