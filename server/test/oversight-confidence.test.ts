// Oversight's new tables (issue 14 part 4): confidence from survey answers per
// command and per category, and timeliness per command with median days, over
// whole months that have ended, with the same small-number suppression; every
// table as CSV (formula-safe) and as an SVG chart, both agreeing with the table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseView, POW_HEADER, sealSurveyComment } from '../../shared/src/crypto/index.ts';
import type { OversightTables, OversightTableView } from '../../shared/src/api/trail.ts';
import { setStatus } from '../src/case/repository.ts';
import { cellText, csvField } from '../src/oversight/render.ts';
import { dialects } from './databases.ts';
import { makeApp, postReport, sealFor, stamp, type Sealed, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const SEPT = '2025-09-01';

describe('CSV fields', () => {
  it('quotes and defuses what a spreadsheet would run', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+44')).toBe("'+44");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('<5')).toBe('<5');
  });
});

describe.each(dialects)('oversight confidence and timeliness on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  let day = SEPT;
  let o: Session;
  beforeAll(async () => {
    t = await makeApp(dialect, { signIn: ['oversight-demo'], now: clock.now, today: () => day });
    o = await signIn(t.app, clock, 'oversight-demo');
    const report = async (unit: string): Promise<Sealed> => {
      const s = await sealFor(t.app, { mode: 'anonymous', category: 'victimisation', unit, report: { narrative: 'x' } });
      expect((await postReport(t.app, s.body)).statusCode).toBe(201);
      return s;
    };
    // Received in September: six in Met Operations, two in Specialist Operations.
    const met: Sealed[] = [];
    for (let i = 0; i < 6; i++) met.push(await report('mo-taskforce'));
    const spec = [await report('so-protection'), await report('so-protection')];
    // Five acknowledged after 2 days, one after 19 (late); no feedback by December.
    const db = t.tdb.handle.db;
    for (const [i, s] of met.entries()) {
      const row = await db.selectFrom('cases').select('id').where('reporter_pk', '=', s.body.reporterPk).executeTakeFirstOrThrow();
      await setStatus(db, row.id, 'acknowledged', { on: i < 5 ? '2025-09-03' : '2025-09-20' });
    }
    // Three months on, each is asked, and answers on 1 December.
    day = '2025-12-01';
    const scores: [Sealed, number, number][] = [
      [met[0]!, 5, 1], [met[1]!, 4, 2], [met[2]!, 4, 3], [met[3]!, 2, 4], [met[4]!, 1, 5], [met[5]!, 5, 5], [spec[0]!, 4, 4], [spec[1]!, 4, 4],
    ];
    for (const [s, listened, supported] of scores) {
      const view = (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: s.session.authorization } })).json();
      const c = sealSurveyComment(openCaseView(s.session, view).caseKey, s.session.keyPair.publicKey, 'comment');
      const res = await t.app.inject({
        method: 'POST', url: '/api/v1/case/survey', payload: { invitation: 'open-3m', id: c.id, listened, supported, comment: c.comment },
        headers: { authorization: s.session.authorization, [POW_HEADER]: await stamp(t.app) },
      });
      expect(res.statusCode).toBe(201);
    }
  }, 90_000);
  afterAll(async () => { await t?.close(); });

  const tables = async (): Promise<OversightTables> => (await call(t.app, o, 'GET', '/oversight/tables')).json();
  const tableOf = (all: OversightTables, id: string): OversightTableView => all.tables.find((x) => x.id === id)!;
  const row = (tb: OversightTableView, id: string) => tb.rows.find((r) => r.id === id)!.cells;

  it('counts answers of ended months only: none while December runs', async () => {
    day = '2025-12-20';
    const all = await tables();
    expect(all.period.through).toBe('2025-11-30');
    expect(row(tableOf(all, 'confidence-by-command'), 'met-ops')).toEqual([0, 'suppressed', 'suppressed']);
  });

  it('shows confidence per command and category only above the threshold', async () => {
    day = '2026-01-15';
    const all = await tables();
    expect(all.period.through).toBe('2025-12-31');
    const byCommand = tableOf(all, 'confidence-by-command');
    expect(row(byCommand, 'met-ops')).toEqual([6, 0.67, 0.5]);
    // Two answers: the count is "<5" and neither share is shown.
    expect(row(byCommand, 'specialist-ops')).toEqual(['<5', 'suppressed', 'suppressed']);
    // The lone small cell takes the zeros with it, so it cannot be worked out by subtraction.
    expect(row(byCommand, 'nw-bcu')).toEqual(['<5', 'suppressed', 'suppressed']);
    expect(row(tableOf(all, 'confidence-by-category'), 'victimisation')).toEqual([8, 0.75, 0.63]);
  });

  it('shows timeliness per command with median days, suppressed under 5 cases', async () => {
    day = '2026-01-15';
    const tb = tableOf(await tables(), 'timeliness-by-command');
    expect(tb.columns.map((c) => c.id)).toEqual(['acknowledged', 'acknowledgedDays', 'feedback', 'feedbackDays']);
    expect(row(tb, 'met-ops')).toEqual([0.83, 2, 0, 'suppressed']);
    expect(row(tb, 'specialist-ops')).toEqual(['suppressed', 'suppressed', 'suppressed', 'suppressed']);
  });

  it('serves every table as CSV equal to the table, suppression included', async () => {
    day = '2026-01-15';
    const all = await tables();
    expect(all.tables.map((x) => x.id)).toEqual([
      'by-command', 'by-category', 'by-status', 'timeliness', 'timeliness-by-command', 'confidence-by-command', 'confidence-by-category',
    ]);
    for (const tb of all.tables) {
      const res = await call(t.app, o, 'GET', `/oversight/csv/${tb.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${tb.id}-to-2025-12-31.csv"`);
      const lines = res.body.split('\r\n');
      expect(lines.pop()).toBe('');
      expect(lines).toHaveLength(tb.rows.length + 1);
      tb.rows.forEach((r, i) => {
        expect(lines[i + 1]).toBe([r.label, ...r.cells.map((c, k) => cellText(c, tb.columns[k]!.kind))].map(csvField).join(','));
      });
    }
    const csv = (await call(t.app, o, 'GET', '/oversight/csv/confidence-by-command')).body;
    expect(csv).toContain('\r\nMet Operations,6,67%,50%\r\n');
    expect(csv).toContain('\r\nSpecialist Operations,<5,suppressed,suppressed\r\n');
    // A label typed by an administrator cannot become a formula in a spreadsheet.
    await t.tdb.handle.db.updateTable('commands').set({ label: '=HYPERLINK("http://x","y")' }).where('id', '=', 'met-ops').execute();
    const evil = (await call(t.app, o, 'GET', '/oversight/csv/confidence-by-command')).body;
    await t.tdb.handle.db.updateTable('commands').set({ label: 'Met Operations' }).where('id', '=', 'met-ops').execute();
    expect(evil).toContain('\r\n"\'=HYPERLINK(""http://x"",""y"")",6,67%,50%\r\n');
  });

  it('draws every table as an accessible SVG that agrees with it: a suppressed cell has no bar', async () => {
    day = '2026-01-15';
    for (const tb of (await tables()).tables) {
      const res = await call(t.app, o, 'GET', `/oversight/charts/${tb.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      const svg = res.body;
      // Well-formed enough for an <img>: no raw '<' or '&' inside an attribute or text ("<5" is escaped).
      expect(svg).not.toMatch(/="[^"]*[<]/);
      expect(svg).not.toMatch(/&(?!amp;|lt;|gt;|quot;)/);
      expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="chart-[a-z-]+-title chart-[a-z-]+-desc"/);
      expect(svg).toContain(`<title id="chart-${tb.id}-title">${tb.caption}</title>`);
      expect(svg).toMatch(/<desc id="chart-[a-z-]+-desc">Figures up to 2025-12-31\./);
      for (const r of tb.rows) {
        tb.columns.forEach((col, k) => {
          const cell = r.cells[k]!;
          const marks = [...svg.matchAll(new RegExp(`<rect data-row="${r.id}" data-column="${col.id}" ([^>]*)>`, 'g'))].map((m) => m[1]!);
          expect(marks).toHaveLength(1);
          if (typeof cell === 'number') expect(marks[0]).toContain(`data-value="${cell}"`);
          else expect([marks[0]!.includes(`data-suppressed="${cell.replace('<', '&lt;')}"`), marks[0]!.includes('data-value')]).toEqual([true, false]);
        });
      }
    }
  });

  it('is for the oversight role only', async () => {
    expect((await call(t.app, null, 'GET', '/oversight/csv/by-command')).statusCode).toBe(401);
    expect((await call(t.app, o, 'GET', '/oversight/csv/nonsense')).statusCode).toBe(400);
  });
});
