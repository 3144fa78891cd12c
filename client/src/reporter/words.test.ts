import { describe, expect, it } from 'vitest';
import { OUTCOMES, STATUSES } from '../../../shared/src/api/domain.ts';
import { formatDay, outcomeWords, statusWords, OUTCOME_WORDS, STATUS_WORDS } from './words.ts';

describe('plain words', () => {
  it('has words for every status and outcome the server can send', () => {
    for (const s of STATUSES) expect(STATUS_WORDS[s]).toBeTruthy();
    for (const o of OUTCOMES) expect(OUTCOME_WORDS[o]).toMatch(/\.$/);
    expect(statusWords('assessing')).toBe('Being assessed');
    expect(outcomeWords('referred_iopc')).toContain('Independent Office for Police Conduct');
    expect(outcomeWords(undefined)).toBe('Your case is closed.');
  });
  it('formats days without times', () => {
    expect(formatDay('2025-03-04')).toBe('4 March 2025');
    expect(formatDay('2025-12-31')).toBe('31 December 2025');
    expect(formatDay('not a day')).toBe('not a day');
  });
});
