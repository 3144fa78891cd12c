// The durability barrier (db/durability.ts, plugins/durability.ts): on SQLite the server commits with
// synchronous=NORMAL and syncs the WAL on the thread pool, so the guarantee "nothing is acknowledged
// before it is on disk" now rests on every answer waiting for that sync. These tests hold the sync
// (an instrumented SyncFs, not a clock) and look at what has been answered meanwhile; and kill -9 a real
// server under load and count what it acknowledged.
import { fdatasync, fstatSync, mkdtempSync, renameSync, copyFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCaseView, sealMessage, toB64u } from '../../shared/src/crypto/index.ts';
import { demoRecoveryKeyPair } from '../../seeds/demo.ts';
import { prepareDemoDatabase } from '../../seeds/prepare.ts';
import { sql } from 'kysely';
import { checkpointerOf } from '../src/db/checkpointer.ts';
import { createDb } from '../src/db/dialect.ts';
import { barrierOf, DurabilityBarrier, type SyncFs } from '../src/db/durability.ts';
import { sqliteWith } from './databases.ts';
import { makeApp, postMessage, postReport, sealFor, type TestApp } from './helpers.ts';
import { postJson, sealedReport, spawnServer, stampFrom } from './support/spawn.ts';

const realDatasync = promisify(fdatasync);

/** A SyncFs whose fdatasyncs wait while held; counts those started and finished, keeps the fds. */
class HeldSync implements SyncFs {
  held = false;
  started = 0;
  finished = 0;
  readonly fds: number[] = [];
  #waiting: (() => void)[] = [];
  datasync(fd: number): Promise<void> {
    this.started++;
    this.fds.push(fd);
    return new Promise((resolve, reject) => {
      const go = () => { realDatasync(fd).then(() => { this.finished++; resolve(); }, reject); };
      if (this.held) this.#waiting.push(go); else go();
    });
  }
  release(): void {
    this.held = false;
    for (const go of this.#waiting.splice(0)) go();
  }
}

/** Turns of the event loop (no clock): until `done()` or `turns` have passed. Used only to show that
 *  something has NOT happened yet while the sync is held. */
async function spin(done: () => boolean, turns = 200): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise((r) => setImmediate(r));
}

/** Waits, however long the work takes (the test's timeout bounds it), until `done()`. A count of turns
 *  is not enough to wait FOR something: a submission passes through the thread pool (stamp check, WAL
 *  write), and on a loaded CI machine that took more than 2000 idle turns once. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 1));
}

function track<T>(p: Promise<T>): { settled: boolean; promise: Promise<T> } {
  const t = { settled: false, promise: p };
  p.then(() => { t.settled = true; }, () => { t.settled = true; });
  return t;
}

describe('SQLite: answers wait for the WAL sync behind their commits', () => {
  const fs = new HeldSync();
  let t: TestApp;
  let barrier: DurabilityBarrier;
  beforeAll(async () => {
    t = await makeApp(sqliteWith({ syncFs: fs }));
    barrier = barrierOf(t.tdb.handle.db)!;
    expect(barrier).toBeDefined();
  }, 60_000);
  afterEach(() => fs.release());
  afterAll(async () => { fs.release(); await t?.close(); });

  it('sends no 201 for a submission before an fdatasync started after its commit has finished', async () => {
    const { body, session } = await sealFor(t.app);
    fs.held = true;
    const startedBefore = fs.started;
    const finishedBefore = fs.finished;
    let atAnswer: { finished: number; dirty: boolean } | undefined;
    const res = track(postReport(t.app, body).then((r) => { atAnswer = { finished: fs.finished, dirty: barrier.dirty() }; return r; }));
    // The case is committed, and a sync has been asked for ...
    await until(() => fs.started > startedBefore || res.settled);
    expect(fs.started).toBeGreaterThan(startedBefore);
    const stored = await t.tdb.handle.db.selectFrom('cases').select('case_ref').where('access_hash', '=', body.accessHash).execute();
    expect(stored).toHaveLength(1);
    // ... and however many turns the loop takes, the answer waits for it.
    await spin(() => res.settled);
    expect(res.settled).toBe(false);
    expect(fs.finished).toBe(finishedBefore);
    fs.release();
    const r = await res.promise;
    expect(r.statusCode).toBe(201);
    expect(r.json().caseRef).toBe(stored[0]!.case_ref);
    expect(atAnswer!.finished).toBeGreaterThan(finishedBefore);
    expect(atAnswer!.dirty).toBe(false);
    void session;
  });

  it('holds a write outside the group commit too (a reporter message): its own commit is synced before the 201', async () => {
    const { body, session } = await sealFor(t.app);
    expect((await postReport(t.app, body)).statusCode).toBe(201);
    const view = openCaseView(session, (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: session.authorization } })).json());
    const msg = sealMessage(view.caseKey, session.keyPair.publicKey, 'reporter', 'Held until synced');
    fs.held = true;
    const startedBefore = fs.started;
    let dirtyAtAnswer: boolean | undefined;
    const res = track(postMessage(t.app, session.authorization, msg).then((r) => { dirtyAtAnswer = barrier.dirty(); return r; }));
    await until(() => {
      if (res.settled) return true;
      return fs.started > startedBefore && barrier.committed() > 0;
    });
    // The message row is committed while the answer is held.
    await spin(() => res.settled);
    expect(res.settled).toBe(false);
    const rows = await t.tdb.handle.db.selectFrom('messages').select('id').where('id', '=', msg.id).execute();
    expect(rows).toHaveLength(1);
    fs.release();
    const r = await res.promise;
    expect(r.statusCode).toBe(201);
    // Every write committed before the answer (the stamp's spend and the message after it) was synced.
    expect(dirtyAtAnswer).toBe(false);
  });

  it('shares one sync among submissions that committed before it started', async () => {
    const sealed = await Promise.all([1, 2, 3, 4].map(() => sealFor(t.app)));
    const startedBefore = fs.started;
    const results = await Promise.all(sealed.map((s) => postReport(t.app, s.body)));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    // Four submissions (their stamp spends and cases) never cost eight syncs: they share.
    expect(fs.started - startedBefore).toBeGreaterThanOrEqual(1);
    expect(fs.started - startedBefore).toBeLessThan(8);
  });

  it('answers 503 and never 201 once a sync has failed', async () => {
    const other = await makeApp(sqliteWith({ syncFs: { datasync: async () => { throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }); } } }));
    try {
      const { body } = await sealFor(other.app).catch(() => ({ body: null }));
      // Preparing the database wrote: even reading the recipients waited for a sync, which failed.
      expect(body).toBeNull();
      const res = await other.app.inject({ method: 'GET', url: '/api/v1/intake' });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('service_unavailable');
    } finally {
      await other.close();
    }
  });
});

describe('the barrier follows the WAL file', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rc-barrier-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reopens the WAL when the path names a new file, and syncs the database file when there is no WAL', async () => {
    const wal = join(dir, 'x.sqlite-wal');
    const main = join(dir, 'x.sqlite');
    writeFileSync(main, 'main');
    writeFileSync(wal, 'wal one');
    const fs = new HeldSync();
    const b = new DurabilityBarrier(wal, main, () => false, fs);
    const inode = (fd: number) => fstatSync(fd).ino;
    b.wrote();
    await b.wait();
    expect(b.stats.opens).toBe(1);
    expect(inode(fs.fds.at(-1)!)).toBe(statSync(wal).ino);
    b.wrote();
    await b.wait();
    expect(b.stats.opens).toBe(1); // same file: same descriptor
    // Replaced (a new inode at the same path): the next sync must reach the new file.
    renameSync(wal, `${wal}.old`);
    copyFileSync(`${wal}.old`, wal);
    expect(statSync(wal).ino).not.toBe(statSync(`${wal}.old`).ino);
    b.wrote();
    await b.wait();
    expect(b.stats.opens).toBe(2);
    expect(inode(fs.fds.at(-1)!)).toBe(statSync(wal).ino);
    // Gone (checkpointed and removed): what was committed is in the database file, which is synced.
    rmSync(wal);
    b.wrote();
    await b.wait();
    expect(inode(fs.fds.at(-1)!)).toBe(statSync(main).ino);
    // Nothing new committed: no sync at all.
    const syncs = fs.started;
    await b.wait();
    expect(fs.started).toBe(syncs);
    await b.close();
  });

  it('does not count a transaction still open as covered by a sync that starts meanwhile', async () => {
    writeFileSync(join(dir, 'y.sqlite-wal'), 'w');
    let inTx = false;
    const b = new DurabilityBarrier(join(dir, 'y.sqlite-wal'), join(dir, 'y.sqlite'), () => inTx, new HeldSync());
    b.ran(); // BEGIN, outside a transaction
    inTx = true;
    b.wrote(); // a write inside it
    b.ran();
    expect(b.committed()).toBe(0);
    expect(b.dirty()).toBe(false);
    inTx = false; // COMMIT returned
    expect(b.committed()).toBe(1);
    expect(b.dirty()).toBe(true);
    await b.wait();
    expect(b.dirty()).toBe(false);
    await b.close();
  });
});

describe('kill -9 under load (SQLite, the production entry point)', () => {
  it('loses no acknowledged submission', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-kill-'));
    const file = join(dir, 'kill.sqlite');
    const prep = createDb(file);
    await prepareDemoDatabase(prep, { demoSignIn: [] });
    await prep.close();
    const server = await spawnServer({ DATABASE_URL: file, RECOVERY_PUBLIC_KEY: toB64u(demoRecoveryKeyPair().publicKey), LOG_LEVEL: 'warn' });
    const acknowledged: string[] = [];
    let killed = false;
    try {
      const worker = async (): Promise<void> => {
        while (!killed) {
          const body = await sealedReport(server.url).catch(() => null) as { accessHash: string } | null;
          const stamp = body && await stampFrom(server.url).catch(() => null);
          if (!body || !stamp || killed) return;
          const r = await postJson(`${server.url}/api/v1/reports`, body, stamp).catch(() => null);
          if (r?.status === 201) acknowledged.push(body.accessHash);
        }
      };
      const workers = Array.from({ length: 12 }, () => worker());
      await new Promise<void>((resolve) => {
        const check = setInterval(() => { if (acknowledged.length >= 60) { clearInterval(check); resolve(); } }, 20);
      });
      // Requests are in flight when the process dies.
      killed = true;
      server.proc.kill('SIGKILL');
      await Promise.all(workers);
    } finally {
      if (server.alive()) server.proc.kill('SIGKILL');
    }
    const check = createDb(file);
    try {
      const rows = await check.db.selectFrom('cases').select('access_hash').execute();
      const stored = new Set(rows.map((r) => r.access_hash));
      expect(acknowledged.length).toBeGreaterThanOrEqual(60);
      expect(acknowledged.filter((h) => !stored.has(h))).toEqual([]);
    } finally {
      await check.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('checkpoints off the event loop (SQLite)', () => {
  it('turns automatic checkpoints off on the server handle and keeps the WAL bounded from its worker thread', async () => {
    const tdb = await sqliteWith().create();
    try {
      const db = tdb.handle.db;
      const ckpt = checkpointerOf(db)!;
      expect(ckpt).toBeDefined();
      const auto = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db);
      expect(auto.rows[0]!.wal_autocheckpoint).toBe(0);
      await sql`CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)`.execute(db);
      const page = 'x'.repeat(4000);
      // 3000 rows of about a page each: 12 MB of WAL if nothing checkpointed it.
      for (let batch = 0; batch < 30; batch++) {
        await db.transaction().execute(async (tx) => {
          for (let i = 0; i < 100; i++) await sql`INSERT INTO filler (body) VALUES (${page})`.execute(tx);
        });
        // Let the worker run twice between batches (counted, not timed).
        const seen = ckpt.runs();
        while (ckpt.runs() < seen + 2) await new Promise((r) => setTimeout(r, 20));
      }
      expect(statSync(`${tdb.url}-wal`).size).toBeLessThan(6 * 1024 * 1024);
      const rows = await sql<{ n: number }>`SELECT count(*) AS n FROM filler`.execute(db);
      expect(Number(rows.rows[0]!.n)).toBe(3000);
    } finally {
      await tdb.cleanup();
    }
  }, 120_000);
});
