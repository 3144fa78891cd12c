// Start a listening server on a database: used by server.ts, the demo entry
// point (seeds/demo-server.ts), the benchmark and the browser tests.
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from './app.ts';
import { createDb, type Db, type DbOptions } from './db/dialect.ts';
import { prepareDatabase } from './setup.ts';

export interface StartOptions {
  /** SQLite file path; ignored when databaseUrl is given. */
  dbFile?: string;
  /** postgres://… or sqlite:… or a file path. */
  databaseUrl?: string;
  /** 0 = any free port (the default). */
  port?: number;
  host?: string;
  recoveryPublicKey?: string;
  /** The organisation's Ed25519 key and the file of its certificates (setup.ts); both optional. */
  orgPublicKey?: string;
  keyCertificatesFile?: string;
  /**
   * Prepares the database instead of the production steps (migrate, recovery key, structure check):
   * the demo entry point seeds its data here. The server itself knows nothing of demo data.
   */
  prepare?: (handle: Db) => Promise<void>;
  redisUrl?: string;
  logger?: AppOptions['logger'];
  rateLimits?: AppOptions['rateLimits'];
  clientDist?: AppOptions['clientDist'];
  /** Staff notification delivery (notifications/config.ts builds it from the environment). */
  notifications?: AppOptions['notifications'];
  trustProxy?: AppOptions['trustProxy'];
  /** Pool size and timeouts (defaults: DB_DEFAULTS). */
  db?: Omit<DbOptions, 'onError'>;
  /** The server secret (see secret.ts); server.ts reads it from the environment, the demo from a key file. */
  secret?: AppOptions['secret'];
  pow?: AppOptions['pow'];
  /** The server's clock (tests move it to reach a notification slot instead of waiting an hour). */
  now?: AppOptions['now'];
  receiptPreviousKeys?: AppOptions['receiptPreviousKeys'];
}

export interface Started {
  app: FastifyInstance;
  handle: Db;
  url: string;
  close(): Promise<void>;
}

export async function startServer(opts: StartOptions = {}): Promise<Started> {
  // Connection errors outside any request go to the app's log once it exists.
  let onDbError = (_err: Error): void => undefined;
  const handle = createDb(opts.databaseUrl ?? opts.dbFile ?? 'data/portal.sqlite', {
    // SQLite: the WAL is synced off the event loop and every answer waits for it (db/durability.ts).
    durability: 'barrier', ...opts.db, onError: (err) => onDbError(err),
  });
  try {
    await (opts.prepare ? opts.prepare(handle) : prepareDatabase(handle, {
      recoveryPublicKey: opts.recoveryPublicKey, orgPublicKey: opts.orgPublicKey, keyCertificatesFile: opts.keyCertificatesFile,
    }));
    const app = await buildApp({
      db: handle.db,
      logger: opts.logger ?? false,
      ...(opts.redisUrl ? { redis: opts.redisUrl } : {}),
      ...(opts.rateLimits ? { rateLimits: opts.rateLimits } : {}),
      ...(opts.clientDist !== undefined ? { clientDist: opts.clientDist } : {}),
      ...(opts.notifications ? { notifications: opts.notifications } : {}),
      ...(opts.trustProxy ? { trustProxy: opts.trustProxy } : {}),
      ...(opts.secret ? { secret: opts.secret } : {}),
      ...(opts.pow ? { pow: opts.pow } : {}),
      ...(opts.now ? { now: opts.now } : {}),
      ...(opts.receiptPreviousKeys ? { receiptPreviousKeys: opts.receiptPreviousKeys } : {}),
    });
    // Code only: the text can name the database host.
    onDbError = (err) => app.log.warn({ code: 'db_connection_lost', errCode: (err as { code?: string }).code }, 'database connection lost; the pool reconnects on demand');
    const host = opts.host ?? '127.0.0.1';
    await app.listen({ port: opts.port ?? 0, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : opts.port ?? 0;
    return {
      app, handle,
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      close: async () => {
        await app.close();
        await handle.close();
      },
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
