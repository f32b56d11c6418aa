import { afterAll, beforeAll, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => h?.close());
it('scratch', async () => {
  const show = (r: any) => console.log(JSON.stringify(r.structured ?? r.text, null, 1).slice(0, 3000));
  let t = Date.now();
  show(await h.call('list_balance_transactions', { created_after: '2026-01-01', created_before: '2026-04-01', group_by: ['month'], metrics: ['count', 'sum:fee', 'sum:total_fees'] }));
  console.log('ms', Date.now() - t); t = Date.now();
  show(await h.call('list_charges', { group_by: ['customer'], metrics: ['sum:net_of_refunds', 'count'], top: 3 }));
  console.log('ms', Date.now() - t); t = Date.now();
  show(await h.call('get_mrr', { group_by: 'plan', history_months: 3 }));
  console.log('ms', Date.now() - t); t = Date.now();
  show(await h.call('get_churn', { month: '2026-05' }));
  show(await h.call('list_charges', { max_results: 1000 }));
  console.log('ms', Date.now() - t); t = Date.now();
});
