/**
 * Restricted-key permission each emulated endpoint needs (read). The `_write` variant of a permission also
 * grants read. Names follow what Stripe's Dashboard uses when it pre-fills a restricted key
 * (`/apikeys/create?permissions[]=…`): prices are still `rak_plan_read` (Prices were Plans), balance transactions
 * are `rak_balance_transaction_source_read`.
 */
export const EMULATOR_PERMISSIONS: Record<string, string> = {
  '/v1/customers': 'rak_customer_read',
  '/v1/charges': 'rak_charge_read',
  '/v1/payment_intents': 'rak_payment_intent_read',
  '/v1/invoices': 'rak_invoice_read',
  '/v1/subscriptions': 'rak_subscription_read',
  '/v1/products': 'rak_product_read',
  '/v1/prices': 'rak_plan_read',
  '/v1/refunds': 'rak_refund_read',
  '/v1/disputes': 'rak_dispute_read',
  '/v1/payouts': 'rak_payout_read',
  '/v1/balance_transactions': 'rak_balance_transaction_source_read',
  '/v1/coupons': 'rak_coupon_read',
  '/v1/promotion_codes': 'rak_promotion_code_read',
  '/v1/events': 'rak_event_read',
  '/v1/balance': 'rak_balance_read',
  '/v1/account': 'rak_account_read',
};

/**
 * Expandable references to objects the emulator does not serve as an endpoint, and the permission expanding one
 * needs (an expanded object is read like its own endpoint). Names as integrations pre-fill them on Stripe's
 * create-key form; references whose permission name is not known (application, destination, test_clock, …) are
 * not listed and so not checked.
 */
export const EXPANSION_PERMISSIONS: Record<string, string> = {
  coupon: 'rak_coupon_read',
  promotion_code: 'rak_promotion_code_read',
  payment_method: 'rak_payment_method_read',
  default_payment_method: 'rak_payment_method_read',
  transfer: 'rak_transfer_read',
  source_transfer: 'rak_transfer_read',
  application_fee: 'rak_application_fee_read',
  review: 'rak_review_read',
  pending_setup_intent: 'rak_setup_intent_read',
};

/** True when `granted` ('all' or a list) allows `permission` (`rak_x_read` is also allowed by `rak_x_write`). */
export function hasPermission(granted: 'all' | ReadonlySet<string>, permission: string): boolean {
  if (granted === 'all') return true;
  if (granted.has(permission)) return true;
  if (permission.endsWith('_read')) return granted.has(permission.slice(0, -'_read'.length) + '_write');
  return false;
}

export function writePermission(readPermission: string): string {
  return readPermission.replace(/_read$/, '_write');
}
