import { describe, expect, it } from 'vitest';
import { SearchFieldError, SearchQueryError, compileSearch, parseSearchQuery } from '../../src/emulator/search-query.js';
import type { SearchFields } from '../../src/emulator/search-query.js';

describe('parseSearchQuery', () => {
  it('parses clauses, operators, negation, metadata and quoting', () => {
    expect(parseSearchQuery(`email:'a@b.co' AND -status:"canceled" amount>=1000 metadata['order id']:'x\\'y'`)).toEqual({
      combinator: 'AND',
      clauses: [
        { field: 'email', negated: false, operator: ':', value: 'a@b.co', quoted: true },
        { field: 'status', negated: true, operator: ':', value: 'canceled', quoted: true },
        { field: 'amount', negated: false, operator: '>=', value: '1000', quoted: false },
        { field: 'metadata', metadataKey: 'order id', negated: false, operator: ':', value: "x'y", quoted: true },
      ],
    });
    expect(parseSearchQuery(`name~'acm' OR name~'glo'`).combinator).toBe('OR');
    expect(parseSearchQuery('created<1700000000').clauses[0]).toMatchObject({ operator: '<', value: '1700000000' });
    expect(parseSearchQuery('email:null').clauses[0]?.value).toBeNull();
    expect(parseSearchQuery(`payment_method_details.card.brand:'visa'`).clauses[0]?.field).toBe('payment_method_details.card.brand');
  });

  it('rejects what Stripe rejects', () => {
    const bad = [
      '',
      `status:'a' AND status:'b' OR status:'c'`,
      `status:active`,
      `status:'open`,
      `(status:'a')`,
      `status`,
      `status:'a' AND`,
      `metadata:'x'`,
      `name:'a'name:'b'`,
      Array.from({ length: 11 }, (_, i) => `metadata['k${i}']:'v'`).join(' AND '),
    ];
    for (const q of bad) expect(() => parseSearchQuery(q), q).toThrow(SearchQueryError);
    expect(() => parseSearchQuery(Array.from({ length: 10 }, (_, i) => `metadata['k${i}']:'v'`).join(' AND '))).not.toThrow();
  });
});

describe('compileSearch', () => {
  interface Row {
    id: string;
    email: string | null;
    amount: number;
    refunded: boolean;
    metadata: Record<string, string>;
  }
  const fields: SearchFields<Row> = {
    email: { type: 'string', get: (r) => r.email },
    amount: { type: 'number', get: (r) => r.amount },
    refunded: { type: 'boolean', get: (r) => r.refunded },
    metadata: { type: 'metadata', get: (r) => r.metadata },
  };
  const rows: Row[] = [
    { id: 'a', email: 'Jane.Doe@Example.com', amount: 500, refunded: false, metadata: { plan: 'pro' } },
    { id: 'b', email: null, amount: 1500, refunded: true, metadata: {} },
    { id: 'c', email: 'bob@example.org', amount: 1000, refunded: false, metadata: { plan: 'starter' } },
  ];
  const run = (q: string) => rows.filter(compileSearch(parseSearchQuery(q), fields, 'charges')).map((r) => r.id);

  it('evaluates exact (case-insensitive), substring, comparisons, negation, metadata, null, AND/OR', () => {
    expect(run(`email:'jane.doe@example.com'`)).toEqual(['a']);
    expect(run(`email:'jane'`)).toEqual([]);
    expect(run(`email~'example'`)).toEqual(['a', 'c']);
    expect(run('amount>=1000')).toEqual(['b', 'c']);
    expect(run('amount>1000')).toEqual(['b']);
    expect(run('amount<1000')).toEqual(['a']);
    expect(run('amount:1000')).toEqual(['c']);
    expect(run(`-email~'example'`)).toEqual(['b']);
    expect(run(`metadata['plan']:'pro'`)).toEqual(['a']);
    expect(run(`metadata['plan']:null`)).toEqual(['b']);
    expect(run(`-metadata['plan']:null`)).toEqual(['a', 'c']);
    expect(run('email:null')).toEqual(['b']);
    expect(run(`refunded:'true'`)).toEqual(['b']);
    expect(run(`amount>600 AND refunded:'false'`)).toEqual(['c']);
    expect(run(`amount>1200 OR email~'jane'`)).toEqual(['a', 'b']);
    expect(run(`amount>600 refunded:'false'`)).toEqual(['c']);
  });

  it('rejects unknown fields and operators that do not fit the field', () => {
    const bad = [`nope:'x'`, `email>5`, `amount~'100'`, `email~'ab'`, `amount:'many'`, `refunded:'perhaps'`];
    for (const q of bad) expect(() => compileSearch(parseSearchQuery(q), fields, 'charges'), q).toThrow(SearchFieldError);
    expect(() => compileSearch(parseSearchQuery(`nope:'x'`), fields, 'charges')).toThrow(/`nope` is an unsupported search field for resource `charges`/);
  });
});
