/** The emulated Stripe account (the same in both modes). */
import type Stripe from 'stripe';
import type { Generator } from './generator.js';
import { DAY } from './util.js';

export function accountOf(g: Generator): Stripe.Account {
  const created = g.start - 60 * DAY;
  const account: Stripe.Account = {
    id: g.acctId,
    object: 'account',
    business_profile: {
      annual_revenue: null,
      estimated_worker_count: null,
      mcc: '5734',
      minority_owned_business_designation: null,
      name: 'Northwind Cloud',
      product_description: 'Project management software for small teams (emulated account).',
      specified_commercial_transactions_act_url: null,
      support_address: null,
      support_email: 'support@northwind-cloud.example',
      support_phone: null,
      support_url: null,
      url: 'https://northwind-cloud.example',
    },
    business_type: 'company',
    capabilities: { card_payments: 'active', transfers: 'active' },
    charges_enabled: true,
    controller: { type: 'account' },
    country: 'US',
    created,
    default_currency: 'usd',
    details_submitted: true,
    email: 'owner@northwind-cloud.example',
    external_accounts: { object: 'list', data: [], has_more: false, url: `/v1/accounts/${g.acctId}/external_accounts` },
    future_requirements: { alternatives: [], current_deadline: null, currently_due: [], disabled_reason: null, errors: [], eventually_due: [], past_due: [], pending_verification: [] },
    metadata: {},
    payouts_enabled: true,
    requirements: { alternatives: [], current_deadline: null, currently_due: [], disabled_reason: null, errors: [], eventually_due: [], past_due: [], pending_verification: [] },
    settings: {
      bacs_debit_payments: { display_name: null, service_user_number: null },
      branding: { icon: null, logo: null, primary_color: null, secondary_color: null },
      card_issuing: { tos_acceptance: { date: null, ip: null } },
      card_payments: { decline_on: { avs_failure: false, cvc_failure: true }, statement_descriptor_prefix: 'NORTHWIND', statement_descriptor_prefix_kana: null, statement_descriptor_prefix_kanji: null },
      dashboard: { display_name: 'Northwind Cloud', timezone: 'Etc/UTC' },
      invoices: { default_account_tax_ids: null, hosted_payment_method_save: 'offer' },
      payments: { statement_descriptor: 'NORTHWIND CLOUD', statement_descriptor_kana: null, statement_descriptor_kanji: null, statement_descriptor_prefix_kana: null, statement_descriptor_prefix_kanji: null },
      payouts: { debit_negative_balances: true, schedule: { delay_days: 2, interval: 'daily' }, statement_descriptor: null },
      sepa_debit_payments: {},
    },
    tos_acceptance: { date: created, ip: null, user_agent: null },
    type: 'standard',
  };
  return account;
}
