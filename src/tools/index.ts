import type { AnyTool } from './define-tool.js';
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
import { getBalance } from './get-balance.js';
import { search } from './search.js';
import { getMrr } from './get-mrr.js';
import { getChurn } from './get-churn.js';
import { getMrrBridge } from './get-mrr-bridge.js';
import { fetchObject } from './fetch.js';

/** The catalogue, in the order tools/list shows it. Adding a tool means one file and one line here. */
export const TOOLS = [
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
  getBalance,
  getMrr,
  getChurn,
  getMrrBridge,
  search,
  fetchObject,
] as const satisfies readonly AnyTool[];
