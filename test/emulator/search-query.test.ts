/** Stripe's query language: the shared parser and field rules (src/stripe), and how the emulator evaluates them. */
import { describe, expect, it } from 'vitest';
import { compileSearch, searchGetters } from '../../src/emulator/search-query.js';
import { RESOURCES } from '../../src/emulator/resources.js';
import {
  SEARCH_FIELDS,
  SEARCH_RESOURCES,
  SearchSyntaxError,
  UNPARSABLE_QUERY,
  checkSearchQuery,
  describeSearchFields,
  parseSearchQuery,
} from '../../src/stripe/search-query.js';

describe('parseSearchQuery', () => {
  it('parses clauses, operators, negation, metadata and both kinds of quotes with escapes', () => {
    expect(parseSearchQuery(`email:'a@b.co' AND -status:"canceled" amount>=1000 metadata['order id']:'x\\'y' metadata["k"]:"a \\"b\\""`)).toEqual({
      combinator: 'AND',
      clauses: [
        { field: 'email', negated: false, operator: ':', value: 'a@b.co', quoted: true },
        { field: 'status', negated: true, operator: ':', value: 'canceled', quoted: true },
        { field: 'amount', negated: false, operator: '>=', value: '1000', quoted: false },
        { field: 'metadata', metadataKey: 'order id', negated: false, operator: ':', value: "x'y", quoted: true },
        { field: 'metadata', metadataKey: 'k', negated: false, operator: ':', value: 'a "b"', quoted: true },
      ],
    });
    expect(parseSearchQuery('created<1700000000').clauses[0]).toMatchObject({ operator: '<', value: '1700000000' });
    expect(parseSearchQuery('payment_method_details.card.last4:4242').clauses[0]).toMatchObject({ value: '4242', quoted: false });
  });

  it('takes AND, OR and null in any case, as Stripe documents (docs.stripe.com/search: "case insensitive")', () => {
    expect(parseSearchQuery(`name~'acm' or name~'glo'`).combinator).toBe('OR');
    expect(parseSearchQuery(`name~'acm' Or name~'glo'`).combinator).toBe('OR');
    expect(parseSearchQuery(`name~'acm' and email~'glo'`)).toMatchObject({ combinator: 'AND', clauses: [{ field: 'name' }, { field: 'email' }] });
    expect(parseSearchQuery('email:NULL').clauses[0]?.value).toBeNull();
    expect(parseSearchQuery('email:null').clauses[0]?.value).toBeNull();
  });

  it("refuses what Stripe's grammar does not have, with Stripe's message", () => {
    const unparsable = [
      '',
      `status:active`,
      `status:'open`,
      `(status:'a')`,
      `status:'a' AND (status:'b')`,
      `status`,
      `status:'a' AND`,
      `status = 'a'`,
      `metadata:'x'`,
      `metadata.plan:'pro'`,
      `metadata[plan]:'pro'`,
      `metadata['plan':'pro'`,
      `name['x']:'y'`,
      `name:'a'name:'b'`,
      `name:'a'AND name:'b'`,
      `active:true`,
    ];
    for (const q of unparsable) {
      const e = (() => {
        try {
          parseSearchQuery(q);
        } catch (err) {
          return err as SearchSyntaxError;
        }
        throw new Error(`accepted: ${q}`);
      })();
      expect(e, q).toBeInstanceOf(SearchSyntaxError);
      expect(e.message, q).toBe(UNPARSABLE_QUERY);
      expect(e.detail.length, q).toBeGreaterThan(10);
    }
    expect(() => parseSearchQuery(`metadata['plan']:'pro'`)).not.toThrow();
  });

  it('refuses AND mixed with OR (a space counts as AND) and more than 10 clauses', () => {
    for (const q of [`status:'a' AND status:'b' OR status:'c'`, `status:'a' status:'b' OR status:'c'`, `status:'a' and status:'b' or status:'c'`]) {
      expect(() => parseSearchQuery(q), q).toThrow('Search queries cannot combine `AND` and `OR`: join all clauses with one of them.');
    }
    const clauses = (n: number) => Array.from({ length: n }, (_, i) => `metadata['k${i}']:'v'`).join(' OR ');
    expect(parseSearchQuery(clauses(10)).clauses).toHaveLength(10);
    expect(() => parseSearchQuery(clauses(11))).toThrow('Search queries can have at most 10 clauses; this one has 11.');
  });
});

describe('checkSearchQuery: the field rules of Stripe\'s tables', () => {
  const refusal = (resource: (typeof SEARCH_RESOURCES)[number], q: string): SearchSyntaxError => {
    try {
      checkSearchQuery(resource, q);
    } catch (e) {
      if (e instanceof SearchSyntaxError) return e;
      throw e;
    }
    throw new Error(`accepted: ${q}`);
  };

  it('refuses each kind of query Stripe refuses, saying what the field allows', () => {
    expect(refusal('customers', `nickname:'bob'`).message).toBe(
      'Field `nickname` is an unsupported search field for resource `customers`. See http://stripe.com/docs/search#query-fields-for-customers for a list of supported fields.',
    );
    expect(refusal('payment_intents', `description:'x'`).message).toMatch(/#query-fields-for-payment-intents /);
    // Fields the emulator used to take that are not in Stripe's tables.
    expect(refusal('products', 'created>5').message).toMatch(/`created` is an unsupported search field for resource `products`/);
    expect(refusal('charges', `payment_intent:'pi_1'`).message).toMatch(/`payment_intent` is an unsupported/);

    const tilde = refusal('charges', `currency~'usd'`);
    expect(tilde.message).toBe('Field `currency` does not support substring matching (`~`) for resource `charges`.');
    expect(tilde.detail).toBe("currency on charges takes currency:'value' (exact match only), currency:null for empty, and - to negate");
    expect(refusal('subscriptions', `status~'act'`).message).toMatch(/does not support substring/);
    expect(refusal('customers', `metadata['plan']~'pro'`).message).toMatch(/`metadata` does not support substring/);
    expect(refusal('charges', `amount~'100'`).message).toMatch(/`amount` does not support substring/);

    const gt = refusal('customers', `email>'a'`);
    expect(gt.message).toBe('Field `email` does not support the `>` operator for resource `customers`: only numeric fields support `>`, `<`, `>=` and `<=`.');
    expect(gt.detail).toMatch(/email:'value' \(words in that order\) or email~'part' \(3\+ characters\)/);
    expect(refusal('charges', `status<='b'`).message).toMatch(/`status` does not support the `<=` operator/);

    const short = refusal('customers', `name~'ab'`);
    expect(short.message).toBe("Substring matching (`~`) on `name` needs at least 3 characters, got 'ab'.");
    expect(refusal('charges', `amount>'many'`).message).toBe("Field `amount` is numeric; 'many' is not a number.");
    expect(refusal('charges', `amount:'many'`).message).toMatch(/is numeric/);
    expect(refusal('charges', `disputed:'maybe'`).message).toBe(`Field \`disputed\` accepts only "true" or "false"; got 'maybe'.`);
    expect(refusal('products', `active:'yes'`).detail).toMatch(/active:'true', active:'false'/);
    expect(refusal('customers', 'created>null').message).toBe('`null` can only be used with the `:` operator (`created:null`).');
  });

  it('accepts what the tables allow', () => {
    const accepted: Array<[(typeof SEARCH_RESOURCES)[number], string]> = [
      ['customers', `email~'example' AND name:'jane doe' AND phone~'555' AND created>=1700000000 AND -metadata['crm']:null`],
      ['charges', `amount>"10" AND currency:'USD' AND refunded:null AND disputed:'false' AND payment_method_details.card_present.last4:4242`],
      ['charges', `billing_details.address.postal_code:12345 OR payment_method_details.interac_present.brand:'interac' OR status:'failed'`],
      ['invoices', `number~'ACME' AND status~'ope' AND total<=1000 AND subscription:'sub_1' AND receipt_number:null`],
      ['payment_intents', `amount:1234 and currency:'kwd' and customer:'cus_1' and status:'succeeded'`],
      ['prices', `active:'true' AND lookup_key~'pro' AND product:'gold-plan' AND type:'recurring' AND currency:'eur'`],
      ['products', `name~'pro' OR description~'t-shirts' OR url~'/dinosaur_swag' OR shippable:'true'`],
      ['subscriptions', `status:'active' AND created<1700000000 AND metadata['plan']:'pro'`],
    ];
    for (const [resource, q] of accepted) expect(() => checkSearchQuery(resource, q), `${resource}: ${q}`).not.toThrow();
  });

  it("describes each resource's fields from the same table (~ substring, # comparisons)", () => {
    expect(describeSearchFields('customers')).toBe('created#, email~, metadata, name~, phone~');
    expect(describeSearchFields('charges')).toMatch(/payment_method_details\.\{card,card_present,interac_present\}\.\{brand,exp_month,exp_year,fingerprint,last4\}/);
    expect(describeSearchFields('charges')).toMatch(/^amount#, billing_details\.address\.postal_code, created#, currency, /);
  });
});

describe('compileSearch (emulator evaluation)', () => {
  interface Row {
    id: string;
    name: string | null;
    email: string | null;
    created: number;
    metadata: Record<string, string>;
  }
  const getters = { name: (r: Row) => r.name, email: (r: Row) => r.email, created: (r: Row) => r.created, metadata: (r: Row) => r.metadata };
  const rows: Row[] = [
    { id: 'a', name: 'One Two Three Four', email: 'Jane.Doe@Example.com', created: 500, metadata: { plan: 'Pro' } },
    { id: 'b', name: null, email: null, created: 1500, metadata: {} },
    { id: 'c', name: 'Three Two One', email: 'bob@example.org', created: 1000, metadata: { plan: 'starter' } },
  ];
  const run = (q: string) => rows.filter(compileSearch(q, 'customers', getters)).map((r) => r.id);

  it('string fields: exact match finds the words in order; ~ finds substrings; both case-insensitive', () => {
    expect(run(`name:"one two three"`)).toEqual(['a']);
    expect(run(`name:"two one"`)).toEqual(['c']);
    expect(run(`name:"one three"`)).toEqual([]);
    expect(run(`email:'jane.doe@example.com'`)).toEqual(['a']);
    expect(run(`email~'EXAMPLE'`)).toEqual(['a', 'c']);
    expect(run(`-email~'example'`)).toEqual(['b']);
    expect(run('email:null')).toEqual(['b']);
  });

  it('numeric comparisons, token metadata (exact, case-insensitive), null, AND/OR', () => {
    expect(run('created>=1000')).toEqual(['b', 'c']);
    expect(run('created>1000')).toEqual(['b']);
    expect(run('created<1000')).toEqual(['a']);
    expect(run('created:1000')).toEqual(['c']);
    expect(run(`metadata['plan']:'pro'`)).toEqual(['a']);
    expect(run(`metadata['plan']:'pr'`)).toEqual([]);
    expect(run(`metadata['plan']:null`)).toEqual(['b']);
    expect(run(`-metadata['plan']:null`)).toEqual(['a', 'c']);
    expect(run(`created>600 AND metadata['plan']:'starter'`)).toEqual(['c']);
    expect(run(`created>1200 or email~'jane'`)).toEqual(['a', 'b']);
  });

  it("derives the emulator's getters from Stripe's table: one per query field, none besides", () => {
    for (const resource of SEARCH_RESOURCES) {
      const def = RESOURCES.find((r) => r.searchName === resource);
      expect(Object.keys(def?.search ?? {}).sort(), resource).toEqual(Object.keys(SEARCH_FIELDS[resource]).sort());
    }
    expect(RESOURCES.filter((r) => r.search).map((r) => r.searchName).sort()).toEqual([...SEARCH_RESOURCES].sort());
    expect(() => searchGetters('subscriptions', { created: () => 1, plan: () => 'x' })).toThrow(/plan is not a query field/);
    // A field is read at its own path, a reference as its id whether expanded or not.
    const charges = searchGetters('charges');
    const charge = { customer: { id: 'cus_1', object: 'customer' }, payment_method_details: { card: { brand: 'visa' } }, billing_details: { address: null } };
    expect(charges['customer']!(charge)).toBe('cus_1');
    expect(charges['payment_method_details.card.brand']!(charge)).toBe('visa');
    expect(charges['payment_method_details.card_present.brand']!(charge)).toBeNull();
    expect(charges['billing_details.address.postal_code']!(charge)).toBeNull();
  });
});
