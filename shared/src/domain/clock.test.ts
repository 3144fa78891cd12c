import { describe, expect, it } from 'vitest';
import { addDays, addMonths, todayInLondon } from './clock.ts';

describe('clock', () => {
  it('uses the London calendar day', () => {
    expect(todayInLondon(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01'); // BST
    expect(todayInLondon(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31'); // GMT
  });
  it('adds days and calendar months, clamping to month end', () => {
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addMonths('2026-01-15', 3)).toBe('2026-04-15');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });
});
