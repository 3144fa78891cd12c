import { describe, expect, it } from 'vitest';
import { addDays, addMonths, todayInLondon } from './clock.ts';

describe('clock', () => {
  it('uses the London calendar day', () => {
    expect(todayInLondon(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01'); // BST
    expect(todayInLondon(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31'); // GMT
  });
  it('turns the day at London midnight to the millisecond, though it keeps each UTC minute\'s answer', () => {
    // The kept answer must not outlive its minute: asked in one minute, then in the next across midnight.
    expect(todayInLondon(new Date('2026-06-30T22:59:59.999Z'))).toBe('2026-06-30');
    expect(todayInLondon(new Date('2026-06-30T23:00:00.000Z'))).toBe('2026-07-01');
    expect(todayInLondon(new Date('2026-06-30T22:59:00.000Z'))).toBe('2026-06-30');
    expect(todayInLondon(new Date('2026-12-31T23:59:59.999Z'))).toBe('2026-12-31');
    expect(todayInLondon(new Date('2027-01-01T00:00:00.000Z'))).toBe('2027-01-01');
    // The spring change (01:00 UTC): the same UTC minute read twice, then the next.
    expect(todayInLondon(new Date('2026-03-29T00:59:30Z'))).toBe('2026-03-29');
    expect(todayInLondon(new Date('2026-03-29T00:59:59Z'))).toBe('2026-03-29');
    expect(() => todayInLondon(new Date(Number.NaN))).toThrow(RangeError);
  });
  it('adds days and calendar months, clamping to month end', () => {
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addMonths('2026-01-15', 3)).toBe('2026-04-15');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });
});
