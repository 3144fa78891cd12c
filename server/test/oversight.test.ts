// Oversight counts: a lone small cell cannot be recovered by subtraction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protect } from '../src/oversight/service.ts';
import { dialects } from './databases.ts';
import { makeApp, postReport, sealFor, type TestApp } from './helpers.ts';
import { call, Clock, signIn } from './staff-helpers.ts';

describe('secondary suppression', () => {
  it('hides another cell when exactly one is 1–4', () => {
    expect(protect([12, 3, 40])).toEqual(['withheld', '<5', 40]);
    expect(protect([12, 3, 0, 40, 0])).toEqual([12, '<5', '<5', 40, '<5']);
    expect(protect([12, 3, 2, 40])).toEqual([12, '<5', '<5', 40]);
    expect(protect([12, 0, 40])).toEqual([12, 0, 40]);
    expect(protect([3])).toEqual(['<5']);
  });
});

type Row = { count: number | string };

describe.each(dialects)('oversight stats on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  // Reports arrive in December; the figures are read in January, when December has ended.
  let day = '2025-12-10';
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: ['oversight-demo'], now: clock.now, today: () => day });
    for (let i = 0; i < 6; i++) expect((await postReport(t.app, (await sealFor(t.app)).body)).statusCode).toBe(201);
    // The demo's other small categories grow past 4, so social-media is the lone small cell.
    for (const [category, n] of [['sexual-harassment', 5], ['discrimination', 5], ['social-media', 1]] as const) {
      for (let i = 0; i < n; i++) {
        const r = await sealFor(t.app, { mode: 'anonymous', category, unit: 'nw-cid', report: { narrative: 'x' } });
        expect((await postReport(t.app, r.body)).statusCode).toBe(201);
      }
    }
    day = '2026-01-15';
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  it('never leaves a single hidden cell in a breakdown', async () => {
    const o = await signIn(t.app, clock, 'oversight-demo');
    const body = (await call(t.app, o, 'GET', '/oversight/stats')).json();
    expect(body.period).toEqual({ through: '2025-12-31' });
    expect(typeof body.total).toBe('number');
    const cat = Object.fromEntries((body.byCategory as (Row & { id: string })[]).map((r) => [r.id, r.count]));
    expect(cat['social-media']).toBe('<5');
    expect(cat['corruption']).toBe('<5'); // a 0, hidden alike
    for (const key of ['byCommand', 'byCategory', 'byStatus']) {
      const hidden = (body[key] as Row[]).filter((r) => typeof r.count === 'string').length;
      expect([key, hidden === 1]).toEqual([key, false]);
    }
  });

  it('counts ended months only: a case arriving now, or in the month still running, changes no figure', async () => {
    const o = await signIn(t.app, clock, 'oversight-demo');
    const before = (await call(t.app, o, 'GET', '/oversight/stats')).json();
    // A lone report in a category and command of its own: were it counted, it would show at once.
    const r = await sealFor(t.app, { mode: 'anonymous', category: 'corruption', unit: 'nw-cid', report: { narrative: 'x' } });
    expect((await postReport(t.app, r.body)).statusCode).toBe(201);
    const after = (await call(t.app, o, 'GET', '/oversight/stats')).json();
    expect(after).toEqual(before);
    // Once January has ended it is counted, with the rest of January.
    day = '2026-02-01';
    const feb = (await call(t.app, o, 'GET', '/oversight/stats')).json();
    day = '2026-01-15';
    expect(feb.period).toEqual({ through: '2026-01-31' });
    expect(typeof feb.total).toBe('number');
    expect(feb.total).toBeGreaterThan(before.total as number);
  });
});
