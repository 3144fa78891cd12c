import { describe, expect, it } from 'vitest';
import { dueDates } from './clock.ts';
import { invitations, promises } from './trail.ts';

const R = '2026-01-15';
const due = dueDates(R); // acknowledge 2026-01-22, feedback 2026-04-15

describe('promises', () => {
  it('is due while its day has not passed, broken once it has, kept when met in time', () => {
    expect(promises([{ status: 'received', on: R }], due, '2026-01-22').acknowledge).toEqual({ state: 'due', due: '2026-01-22' });
    expect(promises([{ status: 'received', on: R }], due, '2026-01-23').acknowledge).toEqual({ state: 'broken', due: '2026-01-22' });
    const h = [{ status: 'received', on: R }, { status: 'acknowledged', on: '2026-01-20' }, { status: 'investigating', on: '2026-05-01' }];
    const p = promises(h, due, '2026-06-01');
    expect(p.acknowledge).toEqual({ state: 'kept', due: '2026-01-22', on: '2026-01-20' });
    expect(p.feedback).toEqual({ state: 'broken', due: '2026-04-15', on: '2026-05-01' });
  });

  it('after a reopening, answers the restarted clocks from the reopening on', () => {
    const h = [{ status: 'received', on: R }, { status: 'closed', on: '2026-02-01' }, { status: 'assessing', on: '2026-03-01' }];
    const p = promises(h, dueDates('2026-03-01'), '2026-03-02');
    expect(p.acknowledge).toEqual({ state: 'kept', due: '2026-03-08', on: '2026-03-01' });
    expect(p.feedback).toEqual({ state: 'due', due: '2026-06-01' });
  });
});

describe('invitations', () => {
  it('asks at each closing and once after three months open', () => {
    const h = [{ status: 'received', on: R }, { status: 'closed', on: '2026-05-01' }, { status: 'assessing', on: '2026-05-03' }, { status: 'closed', on: '2026-06-01' }];
    expect(invitations(h, R, '2026-04-14')).toEqual([]);
    expect(invitations(h, R, '2026-04-15')).toEqual([{ id: 'open-3m', kind: 'open', on: '2026-04-15' }]);
    expect(invitations(h, R, '2026-07-01').map((i) => i.id)).toEqual(['open-3m', 'closed-1', 'closed-2']);
    expect(invitations([{ status: 'received', on: R }, { status: 'closed', on: '2026-02-01' }], R, '2026-07-01').map((i) => i.id)).toEqual(['closed-1']);
  });
});
