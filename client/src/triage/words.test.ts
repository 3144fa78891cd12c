import { describe, expect, it } from 'vitest';
import { clockWords, isOverdue, nextStatuses } from './words.ts';

describe('clockWords', () => {
  it('counts down to acknowledgement', () => {
    expect(clockWords({ kind: 'acknowledge', days: 3 })).toBe('Acknowledge in 3 days');
    expect(clockWords({ kind: 'acknowledge', days: 1 })).toBe('Acknowledge in 1 day');
    expect(clockWords({ kind: 'acknowledge', days: 0 })).toBe('Acknowledge today');
  });
  it('says how overdue an acknowledgement is', () => {
    expect(clockWords({ kind: 'acknowledge', days: -2 })).toBe('Acknowledgement 2 days overdue');
    expect(clockWords({ kind: 'acknowledge', days: -1 })).toBe('Acknowledgement 1 day overdue');
  });
  it('words the feedback clock', () => {
    expect(clockWords({ kind: 'feedback', days: 40 })).toBe('Feedback due in 40 days');
    expect(clockWords({ kind: 'feedback', days: -5 })).toBe('Feedback 5 days overdue');
    expect(clockWords({ kind: 'feedback', days: 0 })).toBe('Feedback due today');
  });
  it('is empty without a clock', () => {
    expect(clockWords({ kind: null, days: 0 })).toBe('');
    expect(isOverdue({ kind: null, days: -3 })).toBe(false);
    expect(isOverdue({ kind: 'feedback', days: -1 })).toBe(true);
  });
});

describe('nextStatuses', () => {
  it('moves forward only', () => {
    expect(nextStatuses('received')).toEqual(['acknowledged', 'assessing', 'investigating', 'referred', 'closed']);
    expect(nextStatuses('assessing')).toEqual(['investigating', 'referred', 'closed']);
    expect(nextStatuses('investigating')).toEqual(['closed']);
    expect(nextStatuses('referred')).toEqual(['investigating', 'closed']);
    expect(nextStatuses('closed')).toEqual([]);
  });
});
