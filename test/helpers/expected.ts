/**
 * What a user should see, worked out on the test side from Stripe's raw objects.
 *
 * Deliberately independent of src/stripe/money.ts and src/stripe/time.ts: if the project's own conversion were wrong,
 * a test that reused it would agree with the mistake. These are kept small and exact (whole numbers and strings only,
 * no floating-point division), and they throw on input they were not written for instead of guessing.
 */

/**
 * Decimal places of each currency the tests meet (Stripe's minor-unit exponents). A currency missing here makes
 * `major` throw: add it with its real exponent rather than let the test assume two decimals.
 */
export const EXPONENT: Readonly<Record<string, number>> = { usd: 2, eur: 2, gbp: 2, cad: 2, aud: 2, chf: 2, jpy: 0, kwd: 3 };

export function exponentOf(currency: string): number {
  const exponent = EXPONENT[currency];
  if (exponent === undefined) throw new Error(`test does not know the currency ${currency}`);
  return exponent;
}

/** Minor units (Stripe's integer amount) → the exact major-unit string: 1999 usd → "19.99", 3000 jpy → "3000", 12345 kwd → "12.345". */
export function major(amount: number | bigint, currency: string): string {
  const exponent = exponentOf(currency);
  const minor = BigInt(amount); // throws on anything that is not a whole number of minor units
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const body = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return (negative ? '-' : '') + body;
}

/** Unix seconds → ISO 8601 UTC without milliseconds ("2026-01-01T00:00:00Z"); null and undefined → null. */
export function iso(seconds: number): string;
export function iso(seconds: number | null | undefined): string | null;
export function iso(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined) return null;
  if (!Number.isSafeInteger(seconds)) throw new Error(`test expected whole Unix seconds, got ${seconds}`);
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** The id of a reference Stripe gives either as an id or as an expanded object; null and undefined → null. */
export const id = (ref: string | { id: string } | null | undefined): string | null => (ref == null ? null : typeof ref === 'string' ? ref : ref.id);

export const ids = (items: ReadonlyArray<{ id: string }>): string[] => items.map((item) => item.id);

/** A compact object as the tools send it: fields that are null or {} are left out (the README's rule, restated). */
export function asSent<T extends Record<string, unknown>>(compact: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(compact).filter(([, v]) => v !== null && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)),
  ) as Partial<T>;
}

/**
 * The names a row grouped by customer carries, from the dataset's own customers: name and email when set,
 * "(deleted)" for a customer the account deleted (the generated business's `special.deletedCustomer`, or one seeded
 * with `deleted: true`).
 */
export function customerNamesIn(
  ds: { customers: Array<{ id: string; name?: string | null; email?: string | null; deleted?: unknown }>; special?: { deletedCustomer?: string } },
  customer: string | null,
): { customer_name?: string; customer_email?: string } {
  if (customer === null) return {};
  const c = ds.customers.find((x) => x.id === customer);
  if (!c || c.deleted === true || ds.special?.deletedCustomer === customer) return { customer_name: '(deleted)' };
  // Tool output drops control and invisible format characters from account text (the demo has "Acme\u200B Corp\u0007").
  const visible = (text: string) => text.replace(/[\p{Cc}\p{Cf}]/gu, '');
  return { ...(c.name ? { customer_name: visible(c.name) } : {}), ...(c.email ? { customer_email: visible(c.email) } : {}) };
}

const utcMonth = () => new Date().toISOString().slice(0, 7);

/**
 * Runs a check whose expectations depend on today's UTC month (the tools read the real clock) with the month it
 * starts in; if the month turned while it ran (midnight UTC on the 1st), runs it once more in the new month, so the
 * test never fails for the calendar.
 */
export async function inOneUtcMonth<T>(check: (today: Date) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const month = utcMonth();
    const result = await check(new Date());
    if (utcMonth() === month || attempt > 0) return result;
  }
}
