/**
 * A value in a Stripe answer that is not what Stripe's API sends (an amount that is not an integer, a timestamp
 * that is not a number): the answer is reported as such, not as a bug of ours. Its own module, so money.ts and
 * time.ts can throw it without importing the error mapper.
 */
export class StripeDataError extends Error {
  override name = 'StripeDataError';
}
