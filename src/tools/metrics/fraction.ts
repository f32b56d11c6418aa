/**
 * Exact rationals over bigint, for MRR: a yearly price divided by 12, a 12.5 % coupon or a weekly price times
 * 52/12 are not whole minor units, and rounding each subscription before adding would drift. Figures are summed
 * exactly and rounded once, when shown.
 */
export class Fraction {
  private constructor(
    readonly n: bigint,
    readonly d: bigint,
  ) {}

  static readonly ZERO = new Fraction(0n, 1n);

  static of(n: bigint | number, d: bigint | number = 1n): Fraction {
    let num = BigInt(n);
    let den = BigInt(d);
    if (den === 0n) throw new RangeError('division by zero');
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    const g = gcd(num < 0n ? -num : num, den);
    return g > 1n ? new Fraction(num / g, den / g) : new Fraction(num, den);
  }

  /** A plain decimal string ("12.5", "-0.0042") as an exact fraction. */
  static decimal(value: string): Fraction {
    const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(value.trim());
    if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new RangeError(`"${value}" is not a decimal number`);
    const fraction = match[3] ?? '';
    const n = BigInt((match[2] || '0') + fraction);
    return Fraction.of(match[1] ? -n : n, 10n ** BigInt(fraction.length));
  }

  add(other: Fraction): Fraction {
    return Fraction.of(this.n * other.d + other.n * this.d, this.d * other.d);
  }

  sub(other: Fraction): Fraction {
    return Fraction.of(this.n * other.d - other.n * this.d, this.d * other.d);
  }

  mul(other: Fraction): Fraction {
    return Fraction.of(this.n * other.n, this.d * other.d);
  }

  div(other: Fraction): Fraction {
    return Fraction.of(this.n * other.d, this.d * other.n);
  }

  compare(other: Fraction): number {
    const left = this.n * other.d;
    const right = other.n * this.d;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  isZero(): boolean {
    return this.n === 0n;
  }

  /** Rounded to a whole number (of minor units), halves away from zero. */
  round(): bigint {
    const negative = this.n < 0n;
    const magnitude = negative ? -this.n : this.n;
    const rounded = (magnitude * 2n + this.d) / (2n * this.d);
    return negative ? -rounded : rounded;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}
