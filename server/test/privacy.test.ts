// What the server keeps and says: headers on every response, log lines, and
// the database itself after a distinctive report.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessHashOf, formatToken, openCaseView, sealMessage, toB64u } from '../../shared/src/crypto/index.ts';
import { dialects } from './databases.ts';
import { makeApp, postMessage, postReport, sealFor, type TestApp } from './helpers.ts';

const EXPECTED_CSP =
  "default-src 'self';script-src 'self' 'wasm-unsafe-eval';style-src 'self';img-src 'self' data:;font-src 'self';" +
  "connect-src 'self';worker-src 'self';object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'";

const WORDS = ['Zanzibarquux', 'Plumberwick', 'Inspector Moonfeather', 'moonfeather@example.test', 'Whistleglade'];

describe.each(dialects)('privacy on $name', (dialect) => {
  let t: TestApp;
  let secrets: string[];
  beforeAll(async () => {
    t = await makeApp(dialect);
    const { body, session } = await sealFor(t.app, {
      mode: 'named', category: 'corruption', unit: 'mo-taskforce',
      report: { narrative: `${WORDS[0]} took cash from ${WORDS[1]}`, people: WORDS[2] },
      identity: { name: WORDS[2]!, contact: WORDS[3] },
    });
    expect((await postReport(t.app, body)).statusCode).toBe(201);
    const headers = { authorization: session.authorization };
    const view = (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers })).json();
    const { caseKey } = openCaseView(session, view);
    const msg = sealMessage(caseKey, session.keyPair.publicKey, 'reporter', `More about ${WORDS[4]}`);
    expect((await postMessage(t.app, session.authorization, msg)).statusCode).toBe(201);
    const accessKey = toB64u(session.accessKey);
    secrets = [
      ...WORDS,
      formatToken(session.token),
      formatToken(session.token).replace(/-/g, ''),
      toB64u(session.token),
      accessKey,
    ];
    // Log checks also cover the values the server does store.
    secrets.push(toB64u(accessHashOf(session.accessKey)), body.reporterPk);
  });
  afterAll(async () => { await t?.close(); });

  it('keeps no token, key, hash, address or reporter key in its logs', async () => {
    // Reporter routes write no per-request line (plugins/logging.ts); a staff request shows the capture works.
    await t.app.inject({ method: 'GET', url: '/api/v1/staff/auth/session' });
    const text = t.logs.join('');
    expect(text).toContain('/api/v1/staff/auth/session');
    expect(text).not.toContain('/api/v1/case');
    for (const s of [...secrets, '127.0.0.1', 'remoteAddress', 'hostname', 'authorization']) expect(text).not.toContain(s);
  });

  it('stores none of the words, the token or the access key', async () => {
    const stored = secrets.slice(0, WORDS.length + 4);
    const db = t.tdb.handle.db;
    const tables = ['teams', 'commands', 'units', 'categories', 'settings', 'staff', 'team_members', 'recovery_keys', 'cases', 'case_keys', 'case_history', 'messages'] as const;
    let dump = '';
    for (const table of tables) dump += JSON.stringify(await db.selectFrom(table).selectAll().execute());
    expect(dump).toContain('mo-taskforce'); // the dump did read the case
    for (const s of stored) expect(dump.toLowerCase()).not.toContain(s.toLowerCase());
    if (dialect.name === 'sqlite') {
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
      const bytes = readFileSync(t.tdb.url).toString('latin1');
      for (const s of stored) expect(bytes).not.toContain(s);
    }
  });

  it('keeps no trace of avoidOwnUnit (it says where the reporter works): routing only, no column', async () => {
    const { body } = await sealFor(t.app, {
      mode: 'anonymous', category: 'bullying', unit: 'cs-response-lambeth', avoidOwnUnit: true, report: { narrative: 'elsewhere' },
    });
    const res = await postReport(t.app, body);
    expect(res.statusCode).toBe(201);
    const db = t.tdb.handle.db;
    const row = await db.selectFrom('cases').selectAll().where('case_ref', '=', res.json().caseRef).executeTakeFirstOrThrow();
    expect(row.team_id).toBe('dps-central');
    expect(Object.keys(row).some((k) => k.includes('avoid'))).toBe(false);
    const tables = await db.introspection.getTables();
    const columns = tables.find((x) => x.name === 'cases')!.columns.map((c) => c.name);
    expect(columns).toContain('unit_id');
    expect(columns.filter((c) => c.includes('avoid'))).toEqual([]);
  });

  it('sends the strict headers on API, error and 404 responses, and never a cookie', async () => {
    const responses = await Promise.all([
      t.app.inject({ method: 'GET', url: '/api/v1/intake' }),
      t.app.inject({ method: 'GET', url: '/api/v1/case' }),
      postReport(t.app, { v: 2 }),
      t.app.inject({ method: 'GET', url: '/nowhere' }),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 404, 400, 404]);
    for (const r of responses) {
      expect(r.headers['content-security-policy']).toBe(EXPECTED_CSP);
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['set-cookie']).toBeUndefined();
    }
  });
});

describe('static client', () => {
  let dir: string;
  let t: TestApp;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-dist-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>RC</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    t = await makeApp(dialects[0]!, { clientDist: dir });
  });
  afterAll(async () => { await t?.close(); rmSync(dir, { recursive: true, force: true }); });

  it('serves files and the SPA fallback with no-store, but not for /api', async () => {
    for (const url of ['/', '/app.js', '/case', '/report/category', '/token']) {
      const r = await t.app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['content-security-policy']).toBe(EXPECTED_CSP);
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    expect((await t.app.inject({ method: 'GET', url: '/case' })).body).toContain('<title>RC</title>');
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/unknown' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
  });
});

describe('rate limits', () => {
  it('answers 429 rate_limited in the API error shape, per client and globally', async () => {
    const t = await makeApp(dialects[0]!, {
      rateLimits: { intake: { max: 2, timeWindow: 60_000 }, reportsGlobal: { max: 1, timeWindow: 60_000 } },
    });
    try {
      const a = await sealFor(t.app); // counted on the recipients route, which has its own bucket
      const get = () => t.app.inject({ method: 'GET', url: '/api/v1/intake' });
      expect((await get()).statusCode).toBe(200);
      expect((await get()).statusCode).toBe(200);
      const limited = await get();
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('rate_limited');
      expect(limited.headers['cache-control']).toBe('no-store');
      // The global brake counts every client together.
      expect((await postReport(t.app, a.body)).statusCode).toBe(201);
      const b = await postReport(t.app, a.body, { remoteAddress: '10.9.8.7' });
      expect(b.statusCode).toBe(429);
      expect(b.json().error.code).toBe('rate_limited');
    } finally {
      await t.close();
    }
  });
});
