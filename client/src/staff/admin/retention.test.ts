import { describe, expect, it } from 'vitest';
import { countWords, isRetentionKey, periodWords, ruleName, ruleQuestion, validateRule } from './retention.ts';

describe('retention rule form', () => {
  it('asks for a choice, then a whole number of months from 1 to 1200, in the GOV.UK words', () => {
    expect(validateRule({ choice: '', months: '' })).toEqual([{ field: 'period', message: 'Select how long to keep them' }]);
    expect(validateRule({ choice: 'keep', months: 'anything' })).toEqual([]);
    const months = (m: string) => validateRule({ choice: 'months', months: m }).map((e) => e.message);
    expect(months(' ')).toEqual(['Enter the number of months']);
    expect(months('1.5')).toEqual(['The number of months must be a whole number, like 12']);
    expect(months('-3')).toEqual(['The number of months must be a whole number, like 12']);
    expect(months('twelve')).toEqual(['The number of months must be a whole number, like 12']);
    expect(months('0')).toEqual(['The number of months must be 1 or more']);
    expect(months('1201')).toEqual(['The number of months must be 1200 or fewer']);
    expect(months(' 84 ')).toEqual([]);
    expect(validateRule({ choice: 'months', months: '1200' })).toEqual([]);
  });

  it('names periods and counts in plain words', () => {
    expect([1, 3, 12, 18, 24, 84].map(periodWords)).toEqual(['1 month', '3 months', '1 year', '18 months', '2 years', '7 years']);
    expect(countWords('no_case_to_answer', 1)).toBe('1 closed case');
    expect(countWords('withdrawn', 3)).toBe('3 closed cases');
    expect(countWords('record', '<5')).toBe('fewer than 5 private records');
    expect(countWords('no_case_to_answer', '<5')).toBe('fewer than 5 closed cases');
    expect(countWords('advice', 2)).toBe('2 advice requests');
    expect(countWords('record', 1)).toBe('1 private record');
    expect(ruleName('referred_iopc')).toBe('Referred to the IOPC');
    expect(ruleQuestion('no_case_to_answer')).toBe('How long should closed cases with the outcome ‘No case to answer’ be kept?');
  });

  it('knows the keys the server keys rules by, and nothing else', () => {
    expect(['no_case_to_answer', 'advice', 'record'].every(isRetentionKey)).toBe(true);
    expect(['records', 'closed', '', 'constructor'].some(isRetentionKey)).toBe(false);
  });
});
