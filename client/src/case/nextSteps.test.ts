import { describe, expect, it } from 'vitest';
import { nextSteps } from './nextSteps.ts';

const due = { acknowledge: '2026-11-08', feedback: '2027-02-01' };
const view = (status: string, history: Array<[string, string]>) => ({ status, due, history: history.map(([s, on]) => ({ status: s, on })) });

describe('what the reporter is told comes next', () => {
  it('gives the acknowledgement date while it is ahead', () => {
    expect(nextSteps(view('received', [['received', '2026-11-01']]), false, '2026-11-08'))
      .toBe('The team should confirm they have your report by 8 November 2026.');
  });
  it('says plainly that the date has gone by once it has, never "should confirm … by" a past day', () => {
    const words = nextSteps(view('received', [['received', '2026-11-01']]), false, '2026-11-09')!;
    expect(words).toContain('should have confirmed they had your report by 8 November 2026, and has not yet');
    expect(words).toContain('send them a message');
  });
  it('moves on to the feedback date once acknowledged, late or not', () => {
    for (const ackOn of ['2026-11-03', '2026-11-12']) {
      expect(nextSteps(view('assessing', [['received', '2026-11-01'], ['assessing', ackOn]]), false, '2026-11-20'))
        .toBe('The team should tell you what they are doing about your report by 1 February 2027.');
    }
  });
  it('says the feedback date has gone by, and nothing once feedback was given or the case closed', () => {
    const ack: Array<[string, string]> = [['received', '2026-11-01'], ['acknowledged', '2026-11-02']];
    expect(nextSteps(view('acknowledged', ack), false, '2027-02-02')).toContain('should have told you what they are doing about your report by 1 February 2027, and has not yet');
    expect(nextSteps(view('investigating', [...ack, ['investigating', '2026-12-01']]), false, '2027-03-01')).toBeNull();
    expect(nextSteps(view('closed', [...ack, ['closed', '2026-12-01']]), false, '2027-03-01')).toBeNull();
  });
  it('speaks of an advice request\'s answer, before and after its day', () => {
    expect(nextSteps(view('received', [['received', '2026-11-01']]), true, '2026-11-08')).toBe('The team should answer your question by 8 November 2026.');
    expect(nextSteps(view('received', [['received', '2026-11-01']]), true, '2026-11-09')).toContain('should have answered your question by 8 November 2026');
  });
});
