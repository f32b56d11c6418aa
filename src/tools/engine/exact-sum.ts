/**
 * Exact sums of integer minor units. Adding plain numbers is exact while the total stays within 2^53; the
 * running part is moved into a bigint long before that, so the sum is exact for any number of objects without
 * paying for a bigint addition per object.
 */
import { StripeDataError } from '../../stripe/data-error.js';

const FLUSH_AT = 2 ** 52;

export class ExactSum {
  private small = 0;
  private big = 0n;

  add(minorUnits: number): void {
    if (!Number.isSafeInteger(minorUnits) || Math.abs(minorUnits) >= FLUSH_AT) {
      if (!Number.isSafeInteger(minorUnits)) throw new StripeDataError(`Stripe amount ${minorUnits} is not an integer in minor units`);
      this.big += BigInt(minorUnits);
      return;
    }
    this.small += minorUnits;
    if (this.small >= FLUSH_AT || this.small <= -FLUSH_AT) {
      this.big += BigInt(this.small);
      this.small = 0;
    }
  }

  value(): bigint {
    return this.big + BigInt(this.small);
  }
}

/** a ÷ b rounded to the nearest integer, halves away from zero (b > 0). */
export function divideRounded(a: bigint, b: bigint): bigint {
  const negative = a < 0n;
  const magnitude = negative ? -a : a;
  const rounded = (magnitude * 2n + b) / (2n * b);
  return negative ? -rounded : rounded;
}
