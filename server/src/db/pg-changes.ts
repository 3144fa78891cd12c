// PostgreSQL change feed: per-table write generations for results kept between
// requests (db/data-version.ts), without a round trip per request.
// - Every table carries a statement-level trigger (db/change-triggers.ts) that
//   sends `NOTIFY rc_change, '<table>'`. PostgreSQL delivers a notification
//   only once its transaction has committed, in commit order, to every
//   listening session: each instance keeps one connection that LISTENs and
//   moves that table's generation when one arrives, so another instance's
//   commit (or a CLI tool's, or psql's) is seen as soon as it is delivered.
// - This instance's own writes move the generations the moment COMMIT (or an
//   autocommit statement) returns, before the caller goes on (db/pool.ts), so a
//   request always sees what this instance wrote before it; the notification
//   for the same commit arrives later and moves them once more (harmless).
// - While the listening connection is not known to be working (not yet
//   connected, reconnecting, no heartbeat answered in the last HEARTBEAT_LIMIT
//   ms), the token is null: nothing is reused, every request reads the
//   database, and a database outage gets its 503 like any other request. On
//   reconnecting every generation moves, since notifications sent meanwhile
//   were lost.
// A result is thus reused at most until a change made elsewhere is delivered
// (normally well under a millisecond after its commit; the heartbeat bounds a
// silent network cut to HEARTBEAT_LIMIT).
import pg from 'pg';

export const CHANGE_CHANNEL = 'rc_change';
/**
 * Tables written often that nothing kept reads (pow_spent: every submission; staff_session_seen: each
 * active staff session about once a minute), left without the change trigger
 * (change-triggers.ts): a commit that notifies holds PostgreSQL's notify lock until it has flushed,
 * so commits that notify go one at a time, and each one reaches every instance's feed. A token over
 * one of them is always null (nothing kept), since other instances' writes to it are never announced.
 */
export const QUIET_TABLES: ReadonlySet<string> = new Set(['pow_spent', 'staff_session_seen']);
const HEARTBEAT_MS = 500;
/** Longest time since the last answered heartbeat during which results are still reused. */
export const HEARTBEAT_LIMIT = 1500;
const RECONNECT_MS = 1000;
const IDLE_SESSION_LIMIT_MS = 10_000;
const SYNC_PREFIX = '!sync:';
/** How the listening connection shows in pg_stat_activity. */
export const FEED_APPLICATION_NAME = 'rc-change-feed';

export class PgChangeFeed {
  #all = 0;
  readonly #byTable = new Map<string, number>();
  #client: pg.Client | null = null;
  /** Connecting started once, on first use; from then on the feed reconnects by itself until stopped. */
  #started = false;
  #stopped = false;
  #lastOk = 0;
  #heartbeat: NodeJS.Timeout | null = null;
  #retry: NodeJS.Timeout | null = null;
  readonly #syncs = new Map<string, () => void>();

  constructor(
    private readonly url: string,
    private readonly connectTimeoutMs: number,
    private readonly onError: (err: Error) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** A value that changes whenever one of `tables` may have changed; null while the feed is not known to work. */
  token(tables: readonly string[]): string | null {
    this.#start();
    if (!this.live() || tables.some((t) => QUIET_TABLES.has(t))) return null;
    let s = `${this.#all}`;
    for (const t of tables) s += `:${this.#byTable.get(t) ?? 0}`;
    return s;
  }

  live(): boolean {
    return this.#client !== null && this.now() - this.#lastOk < HEARTBEAT_LIMIT;
  }

  /** This instance committed writes to `tables` (null: unknown tables, e.g. a DELETE that may cascade). */
  committed(tables: Iterable<string> | null): void {
    if (tables === null) {
      this.#all++;
      return;
    }
    for (const t of tables) this.#bump(t);
  }

  /**
   * Resolves once every commit made anywhere before this call has been delivered here (a marker sent
   * now arrives after them: delivery follows commit order). For tests and tools that must see another
   * connection's write at once; starts the feed if needed.
   */
  async sync(timeoutMs = 5000): Promise<void> {
    const deadline = this.now() + timeoutMs;
    this.#start();
    while (!this.live()) {
      if (this.now() > deadline) throw new Error('change feed not connected');
      await new Promise((r) => setTimeout(r, 20));
    }
    const nonce = `${SYNC_PREFIX}${Math.random().toString(36).slice(2)}`;
    const arrived = new Promise<void>((resolve) => this.#syncs.set(nonce, resolve));
    await this.#client!.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, nonce]);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([arrived, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('change feed sync timed out')), timeoutMs); })]);
    } finally {
      clearTimeout(timer);
      this.#syncs.delete(nonce);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    if (this.#retry) clearTimeout(this.#retry);
    const c = this.#client;
    this.#client = null;
    if (c) await c.end().catch(() => undefined);
  }

  #bump(table: string): void {
    this.#byTable.set(table, (this.#byTable.get(table) ?? 0) + 1);
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#connect();
  }

  #connect(): void {
    if (this.#stopped) return;
    const client = new pg.Client({
      connectionString: this.url, connectionTimeoutMillis: this.connectTimeoutMs, keepAlive: true,
      application_name: FEED_APPLICATION_NAME,
      // The heartbeat must fail fast when a partition swallows packets.
      query_timeout: HEARTBEAT_LIMIT,
    });
    let dead = false;
    const lost = (err?: Error) => {
      if (dead) return;
      dead = true;
      if (err) this.onError(err);
      if (this.#client === client) this.#client = null;
      if (this.#heartbeat) clearInterval(this.#heartbeat);
      this.#heartbeat = null;
      // Notifications sent while nobody listened are lost: everything kept so far is suspect.
      this.#all++;
      client.end().catch(() => undefined);
      if (!this.#stopped) {
        this.#retry = setTimeout(() => this.#connect(), RECONNECT_MS);
        this.#retry.unref();
      }
    };
    client.on('error', (err) => lost(err));
    client.on('end', () => lost());
    client.on('notification', (n) => {
      const p = n.payload ?? '';
      if (p.startsWith(SYNC_PREFIX)) this.#syncs.get(p)?.();
      else if (p === '') this.#all++;
      else this.#bump(p);
    });
    client.connect()
      // A listener that stops reading holds back PostgreSQL's notification queue for every session;
      // if this process vanishes behind a dead network path, its backend ends itself once the
      // heartbeat has been silent this long instead of waiting for TCP to notice (hours).
      .then(() => client.query(`SET idle_session_timeout = ${IDLE_SESSION_LIMIT_MS}`))
      .then(() => client.query(`LISTEN ${CHANGE_CHANNEL}`))
      .then(() => {
        if (dead || this.#stopped) return void client.end().catch(() => undefined);
        this.#all++;
        this.#client = client;
        this.#lastOk = this.now();
        // A process waiting only on this connection should still exit.
        (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
        this.#heartbeat = setInterval(() => {
          client.query('SELECT 1').then(() => { this.#lastOk = this.now(); }, (err: Error) => lost(err));
        }, HEARTBEAT_MS);
        this.#heartbeat.unref();
      })
      .catch((err: Error) => lost(err));
  }
}
