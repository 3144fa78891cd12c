// Each dialect the test suite runs on. SQLite: a fresh real file (not
// :memory:, so WAL and durability settings are exercised). PostgreSQL: a
// throwaway database on the local server, dropped afterwards. In CI
// PostgreSQL must be there; locally it is skipped when unreachable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { requireService } from '../../shared/test/ci.ts';
import { createDb, type Db, type DbOptions, type DialectKind } from '../src/db/dialect.ts';

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDb {
  handle: Db;
  /** postgres:// URL or SQLite file path. */
  url: string;
  cleanup(): Promise<void>;
}

export interface TestDialect {
  name: DialectKind;
  create(): Promise<TestDb>;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function postgresReachable(): Promise<boolean> {
  try {
    await adminQuery('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/**
 * SQLite with the server's durability (synchronous=NORMAL and the WAL barrier, db/durability.ts), so the
 * route tests run as the server does; `opts` add to or replace it (durability-barrier.test.ts instruments it).
 */
export const sqliteWith = (opts: DbOptions = {}): TestDialect => ({
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'rc-test-'));
    const file = join(dir, 'test.sqlite');
    const handle = createDb(file, { durability: 'barrier', ...opts });
    return {
      handle,
      url: file,
      cleanup: async () => {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

export const sqlite: TestDialect = sqliteWith();

export const postgres: TestDialect = {
  name: 'postgres',
  async create() {
    const name = `rc_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
    const handle = createDb(url);
    return {
      handle,
      url,
      cleanup: async () => {
        await handle.close();
        // Not WITH (FORCE): terminating the pool's closing sockets surfaces as uncaught errors.
        // The pool has ended, so retry briefly while the server reaps the backends.
        for (let i = 0; ; i++) {
          try {
            await adminQuery(`DROP DATABASE IF EXISTS ${name}`);
            return;
          } catch (err) {
            if (i >= 20) throw err;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      },
    };
  },
};

async function available(): Promise<TestDialect[]> {
  const reachable = requireService('PostgreSQL', await postgresReachable(), `not reachable at ${PG_ADMIN_URL}`);
  return reachable ? [sqlite, postgres] : [sqlite];
}

/** The dialects to run `describe.each` over. */
export const dialects: TestDialect[] = await available();
