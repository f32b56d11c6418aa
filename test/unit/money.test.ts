import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMinorUnits, money, parseMajorUnits } from '../../src/stripe/money.js';

describe('money', () => {
  it('formats two-decimal currencies exactly', () => {
    expect(formatMinorUnits(1999, 'usd')).toBe('19.99');
    expect(formatMinorUnits(5, 'EUR')).toBe('0.05');
    expect(formatMinorUnits(0, 'usd')).toBe('0.00');
    expect(formatMinorUnits(-250, 'usd')).toBe('-2.50');
    expect(formatMinorUnits(-5, 'gbp')).toBe('-0.05');
  });

  it('formats zero-decimal currencies (JPY) as whole units', () => {
    expect(formatMinorUnits(3000, 'jpy')).toBe('3000');
    expect(formatMinorUnits(-120, 'krw')).toBe('-120');
    expect(currencyExponent('XOF')).toBe(0);
  });

  it('formats three-decimal currencies (KWD) in thousandths', () => {
    expect(formatMinorUnits(1250, 'kwd')).toBe('1.250');
    expect(formatMinorUnits(7, 'bhd')).toBe('0.007');
    expect(formatMinorUnits(-1001, 'jod')).toBe('-1.001');
  });

  it('stays exact past float precision', () => {
    expect(formatMinorUnits(9007199254740991, 'usd')).toBe('90071992547409.91');
    expect(formatMinorUnits(123456789012345678901234567890n, 'usd')).toBe('1234567890123456789012345678.90');
  });

  it('refuses non-integers instead of guessing', () => {
    expect(() => formatMinorUnits(12.5, 'usd')).toThrow(/not an integer/);
  });

  it('passes null through and round-trips major units', () => {
    expect(money(null, 'usd')).toBeNull();
    expect(money(100, null)).toBeNull();
    expect(parseMajorUnits('19.99', 'usd')).toBe(1999n);
    expect(parseMajorUnits('3000', 'jpy')).toBe(3000n);
    expect(parseMajorUnits('-1.25', 'kwd')).toBe(-1250n);
    expect(() => parseMajorUnits('1.5', 'jpy')).toThrow(/more decimals/);
  });
});
