// The inbox in daily use: find a case by a typed reference (an unreachable case
// answers like an unknown one), three keyset-paged orders, counts per tab
// scoped like the list, the unit filter's covered units, and a two-team user
// whose inbox is read by index-ordered per-team queries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseView, sealMessage } from '../../shared/src/crypto/index.ts';
import { COMMANDS } from '../../seeds/structure.ts';
import { submitReport } from '../src/intake/service.ts';
import { dialects } from './databases.ts';
import { makeApp, sealFor, TODAY, type Sealed, type TestApp, postMessage } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const USERS = ['nw-bcu-psu-1', 'dps-central-1', 'two-team-lead'];
type Item = { caseRef: string; receivedOn: string; lastActivityOn: string; status: string };
type Page = { cases: Item[]; next: string | null; counts: { open: number; closed: number } };

describe.each(dialects)('inbox on $name', (dialect) => {
  let t: TestApp;
  let day = TODAY;
  const clock = new Clock();
  const s: Record<string, Session> = {};
  const mine: { ref: string; sealed: Sealed }[] = [];
  let centralRef = '';
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: USERS, now: clock.now, today: () => day });
    for (const u of USERS) s[u] = await signIn(t.app, clock, u);
    // Five nw-bcu-psu cases received on different days, one dps-central case.
    for (const [i, received] of ['2025-12-01', '2025-12-20', '2026-01-03', '2026-01-10', '2026-01-12'].entries()) {
      const sealed = await sealFor(t.app, { mode: 'anonymous', category: i % 2 ? 'social-media' : 'bullying', unit: 'nw-cid', report: { narrative: `n${i}` } });
      mine.push({ ref: (await submitReport(t.tdb.handle.db, sealed.body, received)).caseRef, sealed });
    }
    centralRef = (await submitReport(t.tdb.handle.db, (await sealFor(t.app, { mode: 'anonymous', category: 'bullying', report: { narrative: 'c' } })).body, TODAY)).caseRef;
    // Activity: the oldest case hears from its reporter latest.
    day = '2026-01-14';
    const r = mine[0]!.sealed;
    const view = (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: r.session.authorization } })).json();
    const m = sealMessage(openCaseView(r.session, view).caseKey, r.session.keyPair.publicKey, 'reporter', 'hello');
    expect((await postMessage(t.app, r.session.authorization, m)).statusCode).toBe(201);
    day = TODAY;
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  const get = async (u: string, qs: string) => (await call(t.app, s[u]!, 'GET', `/cases?${qs}`)).json() as Page;

  it('finds a case by its reference as typed; a case out of reach answers like an unknown one', async () => {
    const ref = mine[2]!.ref;
    for (const typed of [ref, ref.toLowerCase().replace(/-/g, ''), ref.slice(3).toLowerCase(), ` ${ref.toLowerCase().replace('-', ' ')} `]) {
      const res = await get('nw-bcu-psu-1', `ref=${encodeURIComponent(typed)}`);
      expect(res.cases.map((c) => c.caseRef)).toEqual([ref]);
    }
    const hidden = await call(t.app, s['nw-bcu-psu-1']!, 'GET', `/cases?ref=${centralRef}`);
    const unknown = await call(t.app, s['nw-bcu-psu-1']!, 'GET', '/cases?ref=RC-0000-0000');
    expect(hidden.statusCode).toBe(200);
    expect(hidden.body).toBe(unknown.body);
    expect(unknown.json()).toEqual({ cases: [], next: null, counts: { open: 0, closed: 0 } });
    expect((await get('dps-central-1', `ref=${centralRef.toLowerCase()}`)).cases.map((c) => c.caseRef)).toEqual([centralRef]);
    for (const bad of ['hello', 'RC-1234', 'RC%21234-5678', 'x'.repeat(30)]) {
      const res = await call(t.app, s['nw-bcu-psu-1']!, 'GET', `/cases?ref=${bad}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
  });

  it('sorts by due, received or last activity, each paged by its own keyset cursor', async () => {
    const all = async (sort: string) => (await get('nw-bcu-psu-1', `sort=${sort}&limit=100`)).cases;
    const walk = async (sort: string) => {
      const seen: string[] = [];
      let next: string | null = null;
      do {
        const p: Page = await get('nw-bcu-psu-1', `sort=${sort}&limit=2${next ? `&cursor=${next}` : ''}`);
        expect(p.cases.length).toBeLessThanOrEqual(2);
        seen.push(...p.cases.map((c) => c.caseRef));
        next = p.next;
      } while (next);
      return seen;
    };
    const received = await all('received');
    expect(received.map((c) => c.receivedOn)).toEqual([...received.map((c) => c.receivedOn)].sort().reverse());
    const activity = await all('activity');
    expect(activity[0]!.caseRef).toBe(mine[0]!.ref);
    expect(activity[0]!.lastActivityOn).toBe('2026-01-14');
    expect(activity.map((c) => c.lastActivityOn)).toEqual([...activity.map((c) => c.lastActivityOn)].sort().reverse());
    // The oldest case was received first, so it is last by received date but first by activity.
    expect(received.at(-1)!.caseRef).toBe(mine[0]!.ref);
    for (const sort of ['due', 'received', 'activity']) expect(await walk(sort)).toEqual((await all(sort)).map((c) => c.caseRef));
    const p1 = await get('nw-bcu-psu-1', 'sort=received&limit=2');
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'GET', `/cases?sort=activity&cursor=${p1.next}`)).statusCode).toBe(400);
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'GET', `/cases?cursor=${p1.next}`)).statusCode).toBe(400);
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'GET', '/cases?sort=newest')).statusCode).toBe(400);
  });

  it('counts each tab with the list’s own filters', async () => {
    for (const qs of ['', 'category=social-media', 'unit=nw-cid', 'assigned=me', 'sort=activity']) {
      const open = await get('nw-bcu-psu-1', `${qs}&tab=open&limit=100`);
      const closed = await get('nw-bcu-psu-1', `${qs}&tab=closed&limit=100`);
      expect(open.counts).toEqual({ open: open.cases.length, closed: closed.cases.length });
      expect(closed.counts).toEqual(open.counts);
      expect(open.cases.every((c) => c.status !== 'closed')).toBe(true);
      expect(closed.cases.every((c) => c.status === 'closed')).toBe(true);
    }
    expect((await get('nw-bcu-psu-1', 'category=social-media')).counts).toEqual({ open: 2, closed: 0 });
    expect((await call(t.app, s['nw-bcu-psu-1']!, 'GET', '/cases?tab=archived')).statusCode).toBe(400);
  });

  it('offers only the units the team covers; a central team covers every unit', async () => {
    const units = (u: string) => call(t.app, s[u]!, 'GET', '/units').then((r) => (r.json() as { id: string }[]).map((x) => x.id).sort());
    expect(await units('nw-bcu-psu-1')).toEqual(COMMANDS.find((c) => c.id === 'nw-bcu')!.units.map((x) => x.id).sort());
    expect(await units('two-team-lead')).toEqual(COMMANDS.filter((c) => ['specialist-ops', 'frontline-hq'].includes(c.id)).flatMap((c) => c.units.map((x) => x.id)).sort());
    expect(await units('dps-central-1')).toEqual(COMMANDS.flatMap((c) => c.units.map((x) => x.id)).sort());
    expect((await call(t.app, null, 'GET', '/units')).statusCode).toBe(401);
  });
});
