import { describe, expect, it } from 'vitest';
import { newReplies } from './unread.ts';

const m = (id: string, from: 'reporter' | 'triage') => ({ id, from });

describe('new replies for the reporter', () => {
  it('counts team messages since the reporter last wrote', () => {
    expect([...newReplies([m('a', 'triage'), m('b', 'reporter'), m('c', 'triage'), m('d', 'triage')])]).toEqual(['c', 'd']);
  });
  it('counts every team message when the reporter never wrote', () => {
    expect([...newReplies([m('a', 'triage'), m('b', 'triage')])]).toEqual(['a', 'b']);
  });
  it('is empty when the reporter wrote last or nothing was said', () => {
    expect(newReplies([m('a', 'triage'), m('b', 'reporter')]).size).toBe(0);
    expect(newReplies([]).size).toBe(0);
  });
});
