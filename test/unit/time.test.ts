import { describe, expect, it } from 'vitest';
import { dateRange, isoTime, parseDateInput } from '../../src/stripe/time.js';

describe('date inputs', () => {
  it('reads an ISO date as UTC midnight', () => {
    expect(parseDateInput('2026-05-01', 'created_after')).toBe(Date.UTC(2026, 4, 1) / 1000);
  });

  it('honours the offset of a date-time', () => {
    expect(parseDateInput('2026-05-01T02:00:00+02:00', 'x')).toBe(Date.UTC(2026, 4, 1) / 1000);
    expect(parseDateInput('2026-05-01T00:00:00Z', 'x')).toBe(Date.UTC(2026, 4, 1) / 1000);
  });

  it('takes Unix seconds as numbers or digit strings', () => {
    expect(parseDateInput(1777593600, 'x')).toBe(1777593600);
    expect(parseDateInput('1777593600', 'x')).toBe(1777593600);
  });

  it('rejects impossible dates with the field name and the expected format', () => {
    expect(() => parseDateInput('2026-13-45', 'created_after')).toThrow(/created_after: "2026-13-45" is not a real calendar date/);
    expect(() => parseDateInput('2026-02-30', 'x')).toThrow(/not a real calendar date/);
    expect(() => parseDateInput('last tuesday', 'x')).toThrow(/ISO 8601/);
    expect(() => parseDateInput('2026-05-01T10:00:00', 'x')).toThrow(/offset|ISO 8601/);
    expect(() => parseDateInput(1777593600000, 'x')).toThrow(/milliseconds/);
  });

  it('builds inclusive-after / exclusive-before ranges and refuses inverted ones', () => {
    expect(dateRange('2026-05-01', '2026-06-01', 'created')).toEqual({ gte: 1777593600, lt: 1780272000 });
    expect(dateRange(undefined, undefined, 'created')).toBeUndefined();
    expect(() => dateRange('2026-06-01', '2026-05-01', 'created')).toThrow(/created_after .* must be earlier than created_before/);
    expect(() => dateRange('2026-06-01', '2026-06-01', 'created')).toThrow(/must be earlier/);
  });

  it('answers in ISO 8601 UTC', () => {
    expect(isoTime(1777593600)).toBe('2026-05-01T00:00:00Z');
    expect(isoTime(null)).toBeNull();
  });
});
